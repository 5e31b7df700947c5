//! Who a pool runs as, in numbers: FPM calls `setgid(group)` and `initgroups(user, group)`
//! before `setuid(user)`, so a worker has the pool's group (the account's primary group when
//! `group` is unset) plus every group that lists the user as a member.

use super::FsEvidence;

/// A unix identity as far as the evidence tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    /// `None` when neither passwd nor the snapshot maps the name to a number.
    pub uid: Option<u32>,
    /// Every gid the process holds.
    pub gids: Vec<u32>,
    /// The names of those groups (and of named groups whose number is unknown).
    pub groups: Vec<String>,
}

impl Identity {
    pub fn is_root(&self) -> bool {
        self.uid == Some(0) || self.name == "root"
    }

    pub(crate) fn owns(&self, uid: u32, owner: &str) -> bool {
        self.uid.map_or(owner == self.name, |mine| mine == uid)
    }

    pub(crate) fn in_group(&self, gid: u32, group: &str) -> bool {
        self.gids.contains(&gid) || self.groups.iter().any(|g| g == group)
    }
}

impl FsEvidence {
    /// The identity a pool's workers run with, or `None` when they run as root or as the
    /// master's user (no `user` line): the rules about one app reaching another skip both.
    pub fn pool_identity(&self, pool: &super::apps::PoolPaths<'_>) -> Option<Identity> {
        let id = self.identity(pool.user.as_deref()?, pool.group.as_deref());
        (!id.is_root()).then_some(id)
    }

    /// The identity of a pool running as `user` with `group` (FPM's `user` and `group`).
    pub fn identity(&self, user: &str, group: Option<&str>) -> Identity {
        let account = self.user(user);
        let uid = user
            .parse()
            .ok()
            .or_else(|| account.map(|a| a.id))
            .or_else(|| self.snapshot_uid(user));
        let mut gids = Vec::new();
        let mut groups = Vec::new();
        match group.filter(|g| !g.is_empty()) {
            Some(name) => {
                groups.push(name.to_string());
                gids.extend(self.gid_of(name));
            }
            None => gids.extend(account.map(|a| a.gid)),
        }
        for g in self
            .groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m == user))
        {
            gids.push(g.id);
            groups.push(g.name.clone());
        }
        for &gid in &gids {
            if let Some(name) = self.group_name(gid) {
                groups.push(name);
            }
        }
        crate::sort::sort(&mut gids);
        gids.dedup();
        crate::sort::sort(&mut groups);
        groups.dedup();
        Identity {
            name: user.to_string(),
            uid,
            gids,
            groups,
        }
    }

    /// A group's number: numeric, from the group database, or from the snapshot's owners.
    pub fn gid_of(&self, name: &str) -> Option<u32> {
        name.parse()
            .ok()
            .or_else(|| self.group(name).map(|g| g.id))
            .or_else(|| self.snapshot_gid(name))
    }

    /// A group's name from its number.
    pub fn group_name(&self, gid: u32) -> Option<String> {
        self.group_by_id(gid)
            .map(|g| g.name.clone())
            .or_else(|| self.snapshot_group_name(gid).map(str::to_string))
    }
}
