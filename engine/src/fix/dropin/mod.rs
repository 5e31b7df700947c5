//! The fix of SYD-001: a systemd drop-in for each PHP-FPM unit, computed from what its pools,
//! php-fpm.conf, php.ini and nginx ask of the master (research notes §3.2–3.4). It keeps the
//! capabilities and system calls the pools use, makes writable exactly the directories FPM
//! and PHP write, and leaves out what would break them (a private /tmp hiding a socket,
//! `ProtectHome=yes` over a document root, `MemoryDenyWriteExecute=` under a JIT). Every line
//! carries a comment naming what asked for it.
//!
//! A drop-in is a new file, which an [`crate::diagnostic::Edit`] cannot create, so
//! [`crate::fix::harden_with`] places it (see [`place`]). It is written only for units
//! SYD-001 reports (MEDIUM or worse) or that already have one of ours, which is then brought
//! up to date: fixing twice changes nothing.

mod facts;
mod paths;
#[cfg(test)]
mod tests;
mod text;
#[cfg(test)]
mod unit_tests;

use crate::model::Model;
use crate::model::systemd::{Label, Unit};
use crate::source::{FileId, FileKind, SourceSet};

/// The file name used unless a later drop-in would override what it sets.
pub const DROPIN_NAME: &str = "50-hardening.conf";

/// The first line of every drop-in we write; how a later run recognises its own file.
pub const MARKER: &str = "# Written by fpmaudit";

/// Where systemd reads administrators' drop-ins; `/lib` and `/usr/lib` belong to packages.
const DROPIN_ROOT: &str = "/etc/systemd/system";

/// The `[Service]` keys the drop-in may set: a later drop-in setting one of them would undo it.
const KEYS: &[&str] = &[
    "CapabilityBoundingSet",
    "NoNewPrivileges",
    "ProtectSystem",
    "ReadWritePaths",
    "PrivateTmp",
    "PrivateDevices",
    "PrivateMounts",
    "ProtectHome",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectControlGroups",
    "ProtectClock",
    "ProtectHostname",
    "ProtectProc",
    "RestrictSUIDSGID",
    "RestrictRealtime",
    "RestrictNamespaces",
    "LockPersonality",
    "RestrictAddressFamilies",
    "SystemCallArchitectures",
    "SystemCallFilter",
    "SystemCallErrorNumber",
    "UMask",
    "MemoryDenyWriteExecute",
];

/// The drop-in one unit should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropin {
    pub unit: String,
    pub path: String,
    pub text: String,
    /// The file already at `path` (ours from an earlier run, or one of the same name), which
    /// the new text replaces.
    pub existing: Option<FileId>,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A drop-in of ours for `unit`: one of its drop-ins that starts with [`MARKER`].
fn ours(sources: &SourceSet, unit: &Unit) -> Option<FileId> {
    unit.dropins
        .iter()
        .copied()
        .find(|id| sources.get(*id).is_some_and(|f| f.text.starts_with(MARKER)))
}

/// `unit` as if `file` were not there.
fn without(unit: &Unit, file: Option<FileId>) -> Unit {
    let mut base = unit.clone();
    if let Some(file) = file {
        base.dropins.retain(|d| *d != file);
        base.settings.retain(|s| s.origin.file != file);
    }
    base
}

/// The path for a new drop-in: [`DROPIN_NAME`], or a name that sorts after the last drop-in
/// that sets one of the same keys (systemd applies drop-ins in file-name order, so that one
/// would win): `zz.conf` → `zz_hardening.conf`.
fn new_path(sources: &SourceSet, unit: &Unit) -> (String, Option<String>) {
    let later = unit
        .dropins
        .iter()
        .filter_map(|id| sources.get(*id).map(|f| (*id, file_name(&f.path))))
        .filter(|(id, name)| {
            *name > DROPIN_NAME
                && unit.settings.iter().any(|s| {
                    s.origin.file == *id && s.section == "Service" && KEYS.contains(&s.key.as_str())
                })
        })
        .map(|(_, name)| name)
        .max();
    let dir = format!("{DROPIN_ROOT}/{}.d", unit.name);
    match later {
        Some(name) => {
            let stem = name.strip_suffix(".conf").unwrap_or(name);
            let path = format!("{dir}/{stem}_hardening.conf");
            (path, Some(name.to_string()))
        }
        None => (format!("{dir}/{DROPIN_NAME}"), None),
    }
}

/// The hardening drop-in each FPM unit should have, for units that lack it or whose
/// drop-in of ours is out of date. Units whose main file was not given get none: their
/// files decide what the drop-in must override.
pub fn hardening_dropins(sources: &SourceSet, model: &Model) -> Vec<Dropin> {
    let mut out = Vec::new();
    for unit in model.systemd.fpm_units() {
        let mine = ours(sources, unit);
        if mine.is_none() && unit.exposure().label() < Label::Medium {
            continue;
        }
        let (path, after) = match mine.and_then(|id| sources.get(id)) {
            Some(file) => (file.path.clone(), None),
            None => new_path(sources, unit),
        };
        let existing = mine.or_else(|| sources.by_path(&path));
        let base = without(unit, existing);
        let facts = facts::gather(sources, model, &base);
        let name = file_name(&path);
        let earlier = |key: &str| {
            base.settings.iter().any(|s| {
                let before = Some(s.origin.file) == base.main
                    || sources
                        .get(s.origin.file)
                        .is_some_and(|f| file_name(&f.path) < name);
                before && s.key == key && s.section == "Service" && !s.value.trim().is_empty()
            })
        };
        let resets = text::Resets {
            caps: earlier("CapabilityBoundingSet"),
            syscalls: earlier("SystemCallFilter"),
            families: earlier("RestrictAddressFamilies"),
            ambient: !base.list("Service", "AmbientCapabilities").is_empty(),
            mdwe: base.flag("Service", "MemoryDenyWriteExecute") == Some(true),
            private_tmp: base.flag("Service", "PrivateTmp") == Some(true),
        };
        let text = text::render(&base, &facts, &resets, after.as_deref());
        let current = existing.and_then(|id| sources.get(id));
        if current.is_some_and(|f| f.text == text) {
            continue;
        }
        out.push(Dropin {
            unit: unit.name.clone(),
            path,
            text,
            existing,
        });
    }
    out
}

/// `sources` with the drop-ins written: new files are added at the end, existing ones get the
/// new text. Returns the new set and the paths of the files added.
pub fn place(sources: &SourceSet, dropins: &[Dropin]) -> (SourceSet, Vec<String>) {
    let mut out = SourceSet::new();
    for (id, file) in sources.iter() {
        let replaced = dropins.iter().find(|d| d.existing == Some(id));
        let text = replaced.map_or_else(|| file.text.clone(), |d| d.text.clone());
        out.add(crate::source::SourceFile::new(
            file.path.clone(),
            text,
            file.kind,
        ));
    }
    let mut added = Vec::new();
    for d in dropins.iter().filter(|d| d.existing.is_none()) {
        out.add(crate::source::SourceFile::new(
            d.path.clone(),
            d.text.clone(),
            FileKind::SystemdDropin,
        ));
        added.push(d.path.clone());
    }
    (out, added)
}
