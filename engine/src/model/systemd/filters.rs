//! Questions the SYD rules ask of the `~` lists: does the system call filter block a call,
//! and which empty assignments threw hardening away.

use super::exposure::syscalls::Groups;
use super::{Reset, Setting, Unit};

/// A system call the filter blocks and the assignment that blocks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked<'a> {
    /// The `SystemCallFilter=` line that denies the call or removes it from the allow list;
    /// for an allow list that never lists it, the line that started the list.
    pub setting: &'a Setting,
    /// The name on that line that covers the call (`@privileged`), empty for an allow list
    /// that never lists it.
    pub by: String,
}

/// An empty assignment in a drop-in that discarded hardening set in an earlier file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardeningReset<'a> {
    pub key: &'static str,
    pub reset: &'a Setting,
    /// The assignments of earlier files it threw away.
    pub discarded: Vec<&'a Setting>,
    /// Whether an assignment after it (in any file) sets the list again.
    pub refilled: bool,
}

/// The list settings whose reset loosens (or, for the bounding set, empties) the sandbox.
pub const HARDENING_LISTS: [&str; 9] = [
    "CapabilityBoundingSet",
    "SystemCallFilter",
    "SystemCallArchitectures",
    "RestrictAddressFamilies",
    "RestrictNamespaces",
    "ReadOnlyPaths",
    "InaccessiblePaths",
    "NoExecPaths",
    "IPAddressDeny",
];

impl Unit {
    /// `Some` when `SystemCallFilter=` blocks `call`; `None` when it lets it through or there
    /// is no filter.
    pub fn syscall_blocked(&self, call: &str) -> Option<Blocked<'_>> {
        let filter = self.syscall_filter();
        let allow = filter.allow_list?;
        let groups = Groups::new();
        if groups.listed(&filter).contains(call) == allow {
            return None;
        }
        let covering = filter
            .ops
            .iter()
            .rev()
            .find(|op| op.add != allow && groups.expand(&op.name).contains(call));
        match covering {
            Some(op) => Some(Blocked {
                setting: op.setting,
                by: op.name.clone(),
            }),
            None => filter.ops.first().map(|op| Blocked {
                setting: op.setting,
                by: String::new(),
            }),
        }
    }

    /// Every reset in a drop-in of a [`HARDENING_LISTS`] key that discarded values of an
    /// earlier file.
    pub fn hardening_resets(&self) -> Vec<HardeningReset<'_>> {
        let mut out = Vec::new();
        for key in HARDENING_LISTS {
            let resets: Vec<Reset<'_>> = match key {
                "CapabilityBoundingSet" => self.capabilities(key).resets,
                "SystemCallFilter" => self.syscall_filter().resets,
                "RestrictAddressFamilies" => self.address_families().resets,
                "RestrictNamespaces" => self.namespaces().resets,
                _ => self.list("Service", key).resets,
            };
            let applied: Vec<&Setting> = self
                .assignments("Service", key)
                .filter(|s| s.effect == super::Effect::Applied && !s.value.is_empty())
                .collect();
            for reset in resets {
                let file = reset.setting.origin.file;
                if Some(file) == self.main {
                    continue;
                }
                let discarded: Vec<&Setting> = reset
                    .discarded
                    .iter()
                    .copied()
                    .filter(|s| s.origin.file != file)
                    .collect();
                if discarded.is_empty() {
                    continue;
                }
                let position = |s: &Setting| self.settings.iter().position(|t| t == s);
                let at = position(reset.setting);
                let refilled = applied.iter().any(|s| position(s) > at);
                out.push(HardeningReset {
                    key,
                    reset: reset.setting,
                    discarded,
                    refilled,
                });
            }
        }
        out
    }
}
