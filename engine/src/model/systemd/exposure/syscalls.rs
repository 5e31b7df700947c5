//! `SystemCallFilter=` as a set of system calls, with systemd's groups expanded.

use std::collections::BTreeSet;

use super::syscall_groups::GROUPS;
use crate::model::systemd::SyscallFilter;

/// systemd's group tables, and every system call name it knows (`@known`).
pub(crate) struct Groups {
    known: BTreeSet<&'static str>,
}

impl Groups {
    pub(crate) fn new() -> Self {
        let mut known = BTreeSet::new();
        flatten("@known", &mut known, 0);
        Self { known }
    }

    /// The system calls `name` (a call or an `@group`) stands for; unknown names stand for
    /// nothing, as systemd skips them.
    pub(crate) fn expand(&self, name: &str) -> BTreeSet<&'static str> {
        let mut names = BTreeSet::new();
        match self.known.get(name) {
            Some(known) => {
                names.insert(*known);
            }
            None => flatten(name, &mut names, 0),
        }
        names.retain(|n| self.known.contains(n));
        names
    }

    /// The calls a filter lists: allowed ones for an allow list (which starts from
    /// `@default`), denied ones for a deny list.
    pub(crate) fn listed(&self, filter: &SyscallFilter<'_>) -> BTreeSet<&'static str> {
        let mut set = BTreeSet::new();
        if filter.allow_list == Some(true) {
            set = self.expand("@default");
        }
        for op in &filter.ops {
            let names = self.expand(&op.name);
            if op.add {
                set.extend(names);
            } else {
                set.retain(|n| !names.contains(n));
            }
        }
        set
    }
}

/// The members of group `name`, recursively; groups nest only a few levels deep.
fn flatten(name: &str, out: &mut BTreeSet<&'static str>, depth: u8) {
    let Some((_, members)) = GROUPS.iter().find(|(group, _)| *group == name) else {
        return;
    };
    for member in members.split(' ').filter(|m| !m.is_empty()) {
        if member.starts_with('@') {
            if depth < 8 {
                flatten(member, out, depth + 1);
            }
        } else {
            out.insert(member);
        }
    }
}

/// Every group name and its members as written, for tests against systemd's own list.
pub fn group_table() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    GROUPS.iter().map(|(name, members)| {
        (
            *name,
            members.split(' ').filter(|m| !m.is_empty()).collect(),
        )
    })
}
