//! What the report says about evidence: lines of it that could not be read, and which rules
//! stayed silent for lack of it (and how to get it).

use super::{NEEDS_GROUPS, NEEDS_SNAPSHOT};
use crate::model::Model;
use crate::report::Note;

/// Notes for the report: unreadable evidence lines, then missing evidence.
pub fn evidence_notes(model: &Model) -> Vec<Note> {
    let fs = &model.fs;
    let mut notes: Vec<Note> = fs
        .unreadable
        .iter()
        .map(|u| Note {
            file: Some(u.file),
            range: Some(u.range),
            message: format!("line not read: {}", u.message),
            rules: Vec::new(),
        })
        .collect();
    if model.fpm.pools.is_empty() {
        return notes;
    }
    let how = "paste the output of the command `fpmaudit snapshot-command` prints (the app shows it too), or run `fpmaudit check --live` on the host";
    if !fs.has_snapshot {
        notes.push(Note {
            file: None,
            range: None,
            message: format!(
                "{} need the modes and owners of the app trees (an fs-snapshot): {how}",
                NEEDS_SNAPSHOT.join(", ")
            ),
            rules: NEEDS_SNAPSHOT.to_vec(),
        });
    }
    if !fs.has_groups {
        notes.push(Note {
            file: None,
            range: None,
            message: format!(
                "{} need the group database (`getent group`, part of the same collection): without it, the groups of the pool users are unknown",
                NEEDS_GROUPS.join(", ")
            ),
            rules: NEEDS_GROUPS.to_vec(),
        });
    }
    notes
}
