//! Live host mode: the evidence the collection command gathers, read by the CLI itself. It
//! follows the engine's plan (the same trees as `snapshot-command`), lists each path with
//! `lstat` the way `find -P … -printf '%M %u %g %U %G /%p\n'` does, sorts like
//! `LC_ALL=C sort -u -k 6`, and adds the text as the file `/fpmaudit/fs-snapshot.txt`; the
//! user and group databases are the host's `/etc/passwd` and `/etc/group` (under `--root`).
//! It only reads: no file, mode or owner on the host is changed.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
use std::path::{Path, PathBuf};

use fpmaudit_engine::model::Model;
use fpmaudit_engine::model::fs::command::{
    MAX_DEPTH, SNAPSHOT_HEADER, SNAPSHOT_PATH, SnapshotPlan, snapshot_plan,
};
use fpmaudit_engine::syntax::accounts::{Database, parse};
use fpmaudit_engine::syntax::snapshot::{FileType, mode_string};
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

/// Loads the configs as `load::load` does; with `live`, from `root` (default `/`) and with
/// the host's evidence added.
pub(crate) fn load(
    root: Option<&Path>,
    paths: &[PathBuf],
    live: bool,
) -> anyhow::Result<crate::load::Loaded> {
    if !live {
        return crate::load::load(root, paths);
    }
    let root = root.unwrap_or_else(|| Path::new("/"));
    let mut loaded = crate::load::load(Some(root), paths)?;
    let canonical = fs::canonicalize(root)?;
    add_evidence(&mut loaded.sources, &canonical);
    Ok(loaded)
}

/// Adds the host's evidence to `sources`: the user and group databases (unless given) and the
/// generated snapshot of the trees the configuration names.
pub(crate) fn add_evidence(sources: &mut SourceSet, root: &Path) {
    for (host, kind) in [
        ("/etc/passwd", FileKind::Passwd),
        ("/etc/group", FileKind::Group),
    ] {
        if sources.by_path(host).is_some() {
            continue;
        }
        if let Ok(text) = fs::read_to_string(on_disk(root, host)) {
            sources.add(SourceFile::new(host, text, kind));
        }
    }
    let model = Model::build(sources);
    let text = snapshot_text(root, &snapshot_plan(&model), &names(sources));
    sources.add(SourceFile::new(SNAPSHOT_PATH, text, FileKind::FsSnapshot));
}

/// uid → user name and gid → group name, from the databases just read.
#[derive(Debug, Default)]
struct Names {
    users: BTreeMap<u32, String>,
    groups: BTreeMap<u32, String>,
}

fn names(sources: &SourceSet) -> Names {
    let mut names = Names::default();
    for (_, file) in sources.iter() {
        let (database, map) = match file.kind {
            FileKind::Passwd => (Database::Passwd, &mut names.users),
            FileKind::Group => (Database::Group, &mut names.groups),
            _ => continue,
        };
        for (_, record) in parse(&file.text, database).records() {
            // getent and find report the first entry of an id.
            map.entry(record.id).or_insert_with(|| record.name.clone());
        }
    }
    names
}

fn on_disk(root: &Path, host: &str) -> PathBuf {
    root.join(host.trim_start_matches('/'))
}

/// The snapshot text of `plan` as the collection command prints it.
fn snapshot_text(root: &Path, plan: &SnapshotPlan, names: &Names) -> String {
    let mut lines: BTreeMap<String, String> = BTreeMap::new();
    for host in &plan.ancestors {
        list(root, host, 0, None, names, &mut lines);
    }
    for host in &plan.trees {
        let device = fs::symlink_metadata(on_disk(root, host))
            .ok()
            .map(|m| m.dev());
        list(root, host, MAX_DEPTH, device, names, &mut lines);
    }
    for host in &plan.shallow {
        list(root, host, 1, None, names, &mut lines);
    }
    let mut text = format!("{SNAPSHOT_HEADER}\n");
    for line in lines.into_values() {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Lists `host` and, `depth` levels down, its contents; with `device`, does not descend into
/// directories of other file systems (`find -xdev`). Unreadable paths are skipped, as
/// `2>/dev/null` skips them.
fn list(
    root: &Path,
    host: &str,
    depth: usize,
    device: Option<u64>,
    names: &Names,
    lines: &mut BTreeMap<String, String>,
) {
    let path = on_disk(root, host);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return;
    };
    lines.insert(host.to_string(), line(host, &meta, names));
    let crosses = device.is_some_and(|d| d != meta.dev());
    if depth == 0 || !meta.is_dir() || crosses {
        return;
    }
    let Ok(entries) = fs::read_dir(&path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if host == "/" {
            format!("/{name}")
        } else {
            format!("{host}/{name}")
        };
        list(root, &child, depth - 1, device, names, lines);
    }
}

/// `drwxr-x--- root shop 0 1001 /srv/shop`.
fn line(host: &str, meta: &fs::Metadata, names: &Names) -> String {
    let kind = meta.file_type();
    let letter = if kind.is_dir() {
        'd'
    } else if kind.is_symlink() {
        'l'
    } else if kind.is_socket() {
        's'
    } else if kind.is_fifo() {
        'p'
    } else if kind.is_char_device() {
        'c'
    } else if kind.is_block_device() {
        'b'
    } else {
        '-'
    };
    let perms = mode_string(FileType::File, meta.mode() & 0o7777);
    let (uid, gid) = (meta.uid(), meta.gid());
    let user = names
        .users
        .get(&uid)
        .cloned()
        .unwrap_or_else(|| uid.to_string());
    let group = names
        .groups
        .get(&gid)
        .cloned()
        .unwrap_or_else(|| gid.to_string());
    format!(
        "{letter}{} {user} {group} {uid} {gid} {host}",
        perms.get(1..).unwrap_or("")
    )
}
