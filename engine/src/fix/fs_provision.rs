//! The part of the provisioning script that repairs what the evidence rules found: owners,
//! modes and group memberships. Code goes to root, readable by the pool's group; state the
//! pool writes goes to the pool user; nothing stays writable by other accounts. The commands
//! are printed for review; fpmaudit never runs them.

use std::fmt::Write as _;

use crate::diagnostic::Finding;
use crate::model::Model;
use crate::model::fs::apps::{PoolPaths, is_within, pool_paths};
use crate::model::fs::judge::in_data_dir;
use crate::model::fs::{FsEntry, NEEDS_SNAPSHOT};

/// The commands for `findings` (an audit of `model`'s sources), or `None` when none apply.
pub fn fs_section(model: &Model, findings: &[Finding]) -> Option<String> {
    let pools = pool_paths(model);
    let mut lines: Vec<String> = Vec::new();
    for finding in findings {
        if finding.rule == "FPM-102" {
            lines.extend(leave_group(model, finding));
            continue;
        }
        if !NEEDS_SNAPSHOT.contains(&finding.rule) {
            continue;
        }
        let Some(entry) = model
            .fs
            .entries
            .iter()
            .find(|e| e.file == finding.file && e.line == finding.range)
        else {
            continue;
        };
        let pool = owner_of(&pools, &entry.path);
        lines.extend(commands(finding.rule, entry, pool));
    }
    let mut unique: Vec<String> = Vec::new();
    for line in lines {
        if !unique.contains(&line) {
            unique.push(line);
        }
    }
    if unique.is_empty() {
        return None;
    }
    let mut text = String::from(
        "\n# Owners, modes and groups the permissions snapshot showed wrong (FS-001..FS-006,\n\
         # FPM-102, FPM-310): code root-owned and read-only to its pool, state owned by its pool,\n\
         # nothing writable by other accounts. Review every line; fpmaudit runs none of them.\n",
    );
    for line in unique {
        let _ = writeln!(text, "{line}");
    }
    Some(text)
}

/// The pool whose trees hold `path` (the innermost tree wins).
fn owner_of<'p, 'm>(pools: &'p [PoolPaths<'m>], path: &str) -> Option<&'p PoolPaths<'m>> {
    pools
        .iter()
        .flat_map(|p| {
            p.trees()
                .chain(p.socket.iter())
                .filter(|t| is_within(path, &t.path))
                .map(move |t| (t.path.len(), p))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, p)| p)
}

fn commands(rule: &str, entry: &FsEntry, pool: Option<&PoolPaths<'_>>) -> Vec<String> {
    let path = quote(&entry.path);
    let recursive = if entry.is_dir() { "-R " } else { "" };
    let user = pool.and_then(|p| p.user.clone());
    let group = pool.and_then(|p| p.group.clone().or_else(|| p.user.clone()));
    let is_state = pool.is_some_and(|p| {
        p.state.iter().any(|s| is_within(&entry.path, &s.path))
            || p.code.iter().any(|c| in_data_dir(&entry.path, &c.path))
    });
    match rule {
        "FS-001" => vec![format!("chmod {recursive}o-w {path}")],
        "FS-002" => group.map_or_else(Vec::new, |g| {
            vec![
                format!("chown {recursive}root:{g} {path}"),
                format!("chmod {recursive}go-w {path}"),
            ]
        }),
        "FS-003" => vec![format!("chmod {recursive}g-w {path}")],
        "FS-004" => match (user, group) {
            (Some(u), Some(g)) => vec![
                format!("chown {u}:{g} {path}"),
                format!("chmod 0700 {path}"),
            ],
            _ => Vec::new(),
        },
        "FS-005" => vec![format!(
            "# PHP in a directory the app writes; inspect it, then: rm -- {path}"
        )],
        "FS-006" => vec![format!(
            "# {path} is not what its pool configures: restart PHP-FPM so it recreates the socket"
        )],
        "FPM-310" => {
            let owner = if is_state {
                user
            } else {
                Some("root".to_string())
            };
            match (owner, group) {
                (Some(o), Some(g)) => vec![
                    format!("chown {recursive}{o}:{g} {path}"),
                    format!("chmod {recursive}g-w,o-rwx {path}"),
                ],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// `gpasswd -d user group` for an FPM-102 finding at a group line.
fn leave_group(model: &Model, finding: &Finding) -> Option<String> {
    let group = model
        .fs
        .groups
        .iter()
        .find(|g| g.file == finding.file && g.line == finding.range)?;
    let user = finding.related.first().and_then(|r| {
        model
            .fpm
            .pools
            .iter()
            .filter_map(|p| p.get("user"))
            .find(|u| u.origin.file == r.file && u.span() == r.range)
    })?;
    Some(format!(
        "gpasswd -d {} {}",
        quote(&user.value),
        quote(&group.name)
    ))
}

/// Single-quotes a word for the shell unless it is plain.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}
