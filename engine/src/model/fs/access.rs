//! Who may read or write a path, by the classic unix rules: root may do anything; otherwise
//! exactly one class applies (owner, else group, else other); every directory above the path
//! that the snapshot lists must grant search (`x`) to the same identity. ACLs and capabilities
//! are not in the snapshot, so they are not judged.

use super::{FsEntry, FsEvidence, Identity};
use crate::syntax::snapshot::FileType;

/// Why an identity may do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    Root,
    Owner,
    /// Through this group.
    Group(String),
    /// Through the bits for everyone.
    Other,
}

impl Grant {
    /// `as its owner`, `through group shop`, ... for messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Root => "as root".into(),
            Self::Owner => "as its owner".into(),
            Self::Group(g) => format!("through group {g}"),
            Self::Other => "as any user (mode o+w)".into(),
        }
    }
}

const READ: u32 = 4;
const WRITE: u32 = 2;
const SEARCH: u32 = 1;

/// The class bits that apply to `id` on `entry`, with the class.
fn class(id: &Identity, entry: &FsEntry) -> (u32, Grant) {
    if id.owns(entry.uid, &entry.owner) {
        ((entry.mode >> 6) & 7, Grant::Owner)
    } else if id.in_group(entry.gid, &entry.group) {
        ((entry.mode >> 3) & 7, Grant::Group(entry.group.clone()))
    } else {
        (entry.mode & 7, Grant::Other)
    }
}

/// Whether the bits of `entry` alone grant `want` to `id`.
pub fn permits(id: &Identity, entry: &FsEntry, want: u32) -> Option<Grant> {
    if id.is_root() {
        return Some(Grant::Root);
    }
    let (bits, grant) = class(id, entry);
    (bits & want == want).then_some(grant)
}

impl FsEvidence {
    /// Every listed directory above `path` lets `id` pass.
    pub fn traversable(&self, id: &Identity, path: &str) -> bool {
        super::ancestors(path).all(|dir| {
            self.entry(dir)
                .is_none_or(|e| e.file_type != FileType::Dir || permits(id, e, SEARCH).is_some())
        })
    }

    /// Whether `id` can change `entry`: write a file, or create, delete and rename entries of
    /// a directory (write and search). Symbolic links are never written through their mode.
    pub fn can_write(&self, id: &Identity, entry: &FsEntry) -> Option<Grant> {
        let want = match entry.file_type {
            FileType::Dir => WRITE | SEARCH,
            FileType::Symlink => return None,
            FileType::File | FileType::Socket | FileType::Other => WRITE,
        };
        if !self.traversable(id, &entry.path) {
            return None;
        }
        permits(id, entry, want)
    }

    /// Whether `id` can read a file or list a directory.
    pub fn can_read(&self, id: &Identity, entry: &FsEntry) -> Option<Grant> {
        let want = match entry.file_type {
            FileType::Dir => READ | SEARCH,
            FileType::Symlink => return None,
            FileType::File | FileType::Socket | FileType::Other => READ,
        };
        if !self.traversable(id, &entry.path) {
            return None;
        }
        permits(id, entry, want)
    }

    /// Whether `id` can replace `entry` through its directory: the parent is writable and
    /// either not sticky or `id` owns the entry or the directory.
    pub fn can_replace(&self, id: &Identity, entry: &FsEntry) -> Option<Grant> {
        let parent = super::ancestors(&entry.path).next()?;
        let dir = self.entry(parent)?;
        let grant = self.can_write(id, dir)?;
        let sticky_blocks = dir.sticky()
            && !id.is_root()
            && !id.owns(entry.uid, &entry.owner)
            && !id.owns(dir.uid, &dir.owner);
        (!sticky_blocks).then_some(grant)
    }
}
