//! Paths in the drop-in: which directories become writable, and which sessions, sockets and
//! document roots decide `PrivateTmp=` and `ProtectHome=`.

use super::facts::{DEBIAN_SESSIONS, Facts, Reasons, add};
use crate::model::Model;
use crate::model::fastcgi::{pools_behind, served_root};
use crate::model::fpm::Section;
use crate::model::nginx::Endpoint;
use crate::model::php_stack::{Layer, effective};
use crate::model::systemd::{Unit, split_words};

pub(super) fn parent(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((dir, _)) => dir,
    }
}

fn under(path: &str, dirs: &[&str]) -> bool {
    dirs.iter().any(|d| {
        path == *d
            || path
                .strip_prefix(d)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

pub(super) fn in_tmp(path: &str) -> bool {
    under(path, &["/tmp", "/var/tmp"])
}

pub(super) fn in_home(path: &str) -> bool {
    under(path, &["/home", "/root", "/run/user"])
}

/// The directories to make writable: nested ones folded into their parent, /tmp left out
/// when it is private anyway.
pub(super) fn writable(facts: &Facts, private_tmp: bool) -> Reasons {
    let mut dirs: Reasons = facts.writes.clone();
    if !private_tmp {
        for dir in ["/tmp", "/var/tmp"] {
            let why = "PHP's temp directory (uploads, temp files) outside a private /tmp";
            dirs.push((dir.to_string(), vec![why.to_string()]));
        }
    }
    let inside = |dir: &str, parent: &str| {
        parent == "/"
            || dir
                .strip_prefix(parent)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let mut out: Reasons = Vec::new();
    for (dir, whats) in dirs {
        // `/` would undo ProtectSystem=strict; a file directly in / is not worth that.
        if (private_tmp && in_tmp(&dir)) || dir == "/" {
            continue;
        }
        if let Some((_, reasons)) = out.iter_mut().find(|(d, _)| *d == dir || inside(&dir, d)) {
            reasons.extend(
                whats
                    .into_iter()
                    .filter(|w| !reasons.contains(w))
                    .collect::<Vec<_>>(),
            );
            continue;
        }
        // A new parent takes over the reasons of the directories it covers.
        let mut reasons = whats;
        out.retain(|(d, rs)| {
            let covered = inside(d, &dir);
            if covered {
                reasons.extend(rs.iter().cloned());
            }
            !covered
        });
        out.push((dir, reasons));
    }
    out
}

/// Sessions: where they go when `session.save_path` is not set, and whether they would be
/// lost in a private /tmp.
pub(super) fn session_facts(model: &Model, pool: &Section, f: &mut Facts) {
    let handler = effective(&model.php_ini, Some(pool), "session.save_handler")
        .map_or_else(|| "files".into(), |s| s.value.trim().to_ascii_lowercase());
    if handler != "files" {
        return;
    }
    let Some(save) = effective(&model.php_ini, Some(pool), "session.save_path") else {
        return;
    };
    let dir = crate::model::php_values::session_dir(&save.value);
    if save.layer == Layer::Default || dir.is_empty() {
        let why = format!(
            "sessions of pool [{}] (session.save_path not set: Debian's builds keep them here)",
            pool.name
        );
        add(&mut f.writes, DEBIAN_SESSIONS, why);
    } else if in_tmp(dir) {
        f.shared_tmp.push(format!(
            "pool [{}] keeps sessions in {dir} (a private /tmp loses them at every restart)",
            pool.name
        ));
    }
}

/// The sites nginx sends to these pools (to every FPM backend when no pool was given): their
/// trees, and sockets nginx expects in /tmp.
pub(super) fn sites(model: &Model, pools: &[&Section], f: &mut Facts) {
    let nginx = &model.nginx;
    for location in 0..nginx.locations.len() {
        for pass in nginx.passes(location) {
            let ours = if pools.is_empty() {
                true
            } else {
                pools_behind(&model.fpm, pass)
                    .iter()
                    .any(|p| pools.iter().any(|q| q.name == p.name))
            };
            if !ours {
                continue;
            }
            if pools.is_empty() {
                for backend in &pass.backends {
                    if let Endpoint::Unix(path) = &backend.endpoint
                        && in_tmp(path)
                    {
                        f.shared_tmp.push(format!("nginx passes to {path}"));
                    }
                }
            }
            let root = served_root(nginx, location);
            if root.starts_with('/') && !f.trees.contains(&root) {
                if in_home(&root) {
                    f.home.push(format!("the document root {root}"));
                }
                f.trees.push(root);
            }
        }
    }
    for (dir, whats) in &f.writes {
        if in_home(dir) {
            f.home.push(format!("{dir} ({})", whats.join(", ")));
        }
    }
    f.shared_tmp.dedup();
    f.home.dedup();
}

/// Debian's unit runs `php-fpm-socket-helper install /run/php/php-fpm.sock …` after start:
/// `update-alternatives` points that version-less link at this version's socket, writing in
/// /etc/alternatives and /var/lib/dpkg/alternatives. Those stay read-only unless nginx uses
/// the link (after a reboot /run is empty and only the helper recreates it).
pub(super) fn socket_alias(model: &Model, unit: &Unit, f: &mut Facts) {
    let post = unit.list("Service", "ExecStartPost");
    let alias = post.entries.iter().find_map(|s| {
        let words = split_words(&s.value, true);
        let at = words
            .iter()
            .position(|w| w.ends_with("/php-fpm-socket-helper"))?;
        words.get(at + 2).cloned()
    });
    let Some(alias) = alias else {
        return;
    };
    let used = model.nginx.locations.iter().enumerate().any(|(i, _)| {
        model.nginx.passes(i).iter().any(|pass| {
            pass.backends
                .iter()
                .any(|b| matches!(&b.endpoint, Endpoint::Unix(p) if *p == alias))
        })
    });
    if used {
        let why = format!(
            "nginx passes to {alias}, the link Debian's php-fpm-socket-helper (ExecStartPost=) makes with update-alternatives"
        );
        for dir in ["/etc/alternatives", "/var/lib/dpkg/alternatives"] {
            add(&mut f.writes, dir, why.clone());
        }
    } else {
        f.notes.push(format!(
            "/etc/alternatives stays read-only: php-fpm-socket-helper (ExecStartPost=) cannot update the link {alias}, which nginx does not use"
        ));
    }
}
