//! What the FS rules share: which files are code, which directories hold data, and folding a
//! run of hits under one directory into one finding (a `chmod -R 777` is one mistake, not
//! ten thousand).

use std::collections::BTreeSet;

use super::apps::{PoolPaths, is_within, pool_paths};
use super::identity::Identity;
use super::{FsEntry, FsEvidence};
use crate::model::Model;
use crate::syntax::snapshot::FileType;

/// Extensions PHP-FPM executes in common setups, and the per-directory files that change
/// how PHP runs (`.user.ini` can set `auto_prepend_file`).
const CODE_EXTENSIONS: &[&str] = &[
    "php", "phtml", "phar", "inc", "php3", "php4", "php5", "php7", "php8", "phps", "pht",
];

/// Directory names that hold data the app writes, not code.
const DATA_DIRS: &[&str] = &[
    "uploads", "upload", "files", "media", "images", "cache", "tmp", "temp", "sessions",
];

/// A file PHP would run or that configures PHP.
pub fn is_code(entry: &FsEntry) -> bool {
    if entry.file_type != FileType::File {
        return false;
    }
    let name = entry.path.rsplit('/').next().unwrap_or("");
    if name == ".user.ini" || name == ".htaccess" {
        return true;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// A directory whose name says it holds uploads, caches or temporary files.
pub fn is_data_dir(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| DATA_DIRS.contains(&name.to_ascii_lowercase().as_str()))
}

/// `path` lies inside (or is) a data directory below `root`.
pub fn in_data_dir(path: &str, root: &str) -> bool {
    let rest = path.strip_prefix(root).unwrap_or("");
    let mut current = root.to_string();
    for part in rest.split('/').filter(|p| !p.is_empty()) {
        current.push('/');
        current.push_str(part);
        if is_data_dir(&current) {
            return true;
        }
    }
    false
}

/// The code below `root`: code files and the directories that directly hold one (writing the
/// directory replaces the file).
pub fn code_entries<'a>(fs: &'a FsEvidence, root: &str) -> Vec<&'a FsEntry> {
    let entries: Vec<&FsEntry> = fs.under(root).collect();
    let holders: BTreeSet<&str> = entries
        .iter()
        .filter(|e| is_code(e))
        .filter_map(|e| super::ancestors(&e.path).next())
        .collect();
    entries
        .into_iter()
        .filter(|e| is_code(e) || (e.is_dir() && holders.contains(e.path.as_str())))
        .collect()
}

/// A hit and how many more lie below it.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub entry: &'a FsEntry,
    pub more: usize,
}

impl Hit<'_> {
    /// `` (and 12 more paths below it)`` or nothing.
    pub fn more_text(&self) -> String {
        match self.more {
            0 => String::new(),
            1 => " (and 1 more path below it)".into(),
            n => format!(" (and {n} more paths below it)"),
        }
    }
}

/// Folds hits (in path order) under the first hit above them.
pub fn fold<'a>(hits: impl IntoIterator<Item = &'a FsEntry>) -> Vec<Hit<'a>> {
    let mut out: Vec<Hit<'a>> = Vec::new();
    for entry in hits {
        match out.last_mut() {
            Some(last) if is_within(&entry.path, &last.entry.path) => last.more += 1,
            _ => out.push(Hit { entry, more: 0 }),
        }
    }
    out
}

/// A pool that runs as its own account, with the code of each of its trees outside data and
/// state directories: what FS-002 and FS-003 judge.
#[derive(Debug)]
pub struct PoolCode<'m> {
    pub pool: PoolPaths<'m>,
    pub user: String,
    pub id: Identity,
    /// One list per code tree of the pool, in the same order.
    pub trees: Vec<Vec<&'m FsEntry>>,
}

pub fn pool_code(model: &Model) -> Vec<PoolCode<'_>> {
    let fs = &model.fs;
    pool_paths(model)
        .into_iter()
        .filter_map(|pool| {
            let user = pool.user.clone()?;
            let id = fs.pool_identity(&pool)?;
            let trees = pool
                .code
                .iter()
                .map(|tree| {
                    code_entries(fs, &tree.path)
                        .into_iter()
                        .filter(|e| {
                            !in_data_dir(&e.path, &tree.path)
                                && !pool.state.iter().any(|s| is_within(&e.path, &s.path))
                        })
                        .collect()
                })
                .collect();
            Some(PoolCode {
                pool,
                user,
                id,
                trees,
            })
        })
        .collect()
}
