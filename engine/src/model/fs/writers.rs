//! Who besides the owner's class can write a path, found without trying every pool on every
//! path: only pools whose uid owns the path (owner bit set) or whose groups include the
//! path's group (group bit set) are candidates. World-writable paths are FS-001's, once, not
//! one finding per pool pair. Keeps FPM-310 and the map linear in the snapshot on hosts with
//! hundreds of pools.

use std::collections::BTreeMap;

use super::{FsEntry, FsEvidence, Grant, Identity};

/// Identities indexed by uid and gid, and by user and group name (the numbers are unknown
/// when neither the databases nor the snapshot's owners tell them).
#[derive(Debug)]
pub struct WriterIndex<'i> {
    identities: &'i [Option<Identity>],
    by_uid: BTreeMap<u32, Vec<usize>>,
    by_user: BTreeMap<&'i str, Vec<usize>>,
    by_gid: BTreeMap<u32, Vec<usize>>,
    by_group: BTreeMap<&'i str, Vec<usize>>,
}

impl<'i> WriterIndex<'i> {
    /// `identities[i]` is pool `i`'s identity (`None`: no own user, or root).
    pub fn new(identities: &'i [Option<Identity>]) -> Self {
        let mut index = Self {
            identities,
            by_uid: BTreeMap::new(),
            by_user: BTreeMap::new(),
            by_gid: BTreeMap::new(),
            by_group: BTreeMap::new(),
        };
        for (i, id) in identities.iter().enumerate() {
            let Some(id) = id else { continue };
            if let Some(uid) = id.uid {
                index.by_uid.entry(uid).or_default().push(i);
            }
            index.by_user.entry(id.name.as_str()).or_default().push(i);
            for &gid in &id.gids {
                index.by_gid.entry(gid).or_default().push(i);
            }
            for group in &id.groups {
                index.by_group.entry(group.as_str()).or_default().push(i);
            }
        }
        index
    }

    /// The pools that can write `entry` as its owner or through a group, with how.
    pub fn writers(&self, fs: &FsEvidence, entry: &FsEntry) -> Vec<(usize, Grant)> {
        let mut candidates: Vec<usize> = Vec::new();
        if entry.mode & 0o200 != 0 {
            candidates.extend(self.by_uid.get(&entry.uid).into_iter().flatten());
            candidates.extend(self.by_user.get(entry.owner.as_str()).into_iter().flatten());
        }
        if entry.mode & 0o020 != 0 {
            candidates.extend(self.by_gid.get(&entry.gid).into_iter().flatten());
            candidates.extend(
                self.by_group
                    .get(entry.group.as_str())
                    .into_iter()
                    .flatten(),
            );
        }
        crate::sort::sort(&mut candidates);
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| {
                let id = self.identities.get(i)?.as_ref()?;
                match fs.can_write(id, entry)? {
                    Grant::Other | Grant::Root => None,
                    grant => Some((i, grant)),
                }
            })
            .collect()
    }
}
