//! What the pools, php-fpm.conf, php.ini and nginx given ask of one FPM unit's sandbox: the
//! capabilities and extra system calls the master uses, the directories FPM and PHP write,
//! and what rules out `PrivateTmp=`, `ProtectHome=yes`, `MemoryDenyWriteExecute=` and
//! `NoNewPrivileges=`. Everything carries the reason that goes into the drop-in's comments.

use crate::model::Model;
use crate::model::fpm::Section;
use crate::model::fpm_values::text;
use crate::model::listen::Listen;
use crate::model::php_stack::jits;
use crate::model::systemd::exposure::syscalls::Groups;
use crate::model::systemd::{Unit, fpm_needs, write_paths};
use crate::source::{FileId, SourceSet};

use super::paths::{in_home, in_tmp, parent, session_facts, sites, socket_alias};

/// Where Debian's builds keep sessions when `session.save_path` is not set.
pub(super) const DEBIAN_SESSIONS: &str = "/var/lib/php/sessions";

/// Socket and pid directories that belong to root on the distributions we know; binding in
/// any other one may need `CAP_DAC_OVERRIDE` (Debian's `/run/php` belongs to www-data).
const ROOT_OWNED: &[&str] = &["/run", "/var/run", "/run/php-fpm", "/tmp", "/var/tmp"];

/// Items with the reasons that asked for them, in the order first asked.
pub(super) type Reasons = Vec<(String, Vec<String>)>;

pub(super) fn add(list: &mut Reasons, item: &str, reason: String) {
    match list.iter_mut().find(|(i, _)| i == item) {
        Some((_, reasons)) => {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        None => list.push((item.to_string(), vec![reason])),
    }
}

#[derive(Debug, Default)]
pub(super) struct Facts {
    /// php-fpm.conf or a pool this unit serves was given; otherwise Debian's stock
    /// `www.conf` is assumed and the comments say so.
    pub(super) given: bool,
    /// The master runs as root (no `User=`, or root), so it needs capabilities.
    pub(super) root: bool,
    pub(super) caps: Reasons,
    /// System calls the master uses that `@system-service` does not include.
    pub(super) syscalls: Reasons,
    /// Why the master changes resource limits or priorities (`@resources` stays allowed).
    pub(super) resources: Vec<String>,
    /// Directories to make writable.
    pub(super) writes: Reasons,
    /// Why a private /tmp would break something (a socket or sessions there).
    pub(super) shared_tmp: Vec<String>,
    /// Paths under /home, /root or /run/user that FPM or PHP use.
    pub(super) home: Vec<String>,
    /// Why the JIT stays on (`MemoryDenyWriteExecute=` would break it); empty when off.
    pub(super) jit: Vec<String>,
    /// Pools with `apparmor_hat`: the hat change is refused under `NoNewPrivileges=`.
    pub(super) hats: Vec<String>,
    /// The trees of the sites these pools serve, which may need writable directories.
    pub(super) trees: Vec<String>,
    /// Lines for the reader that set nothing (what stays read-only on purpose).
    pub(super) notes: Vec<String>,
    /// Every pool runs as (or in the group of) nginx's user, so group-readable files are
    /// enough for nginx to serve uploads.
    pub(super) group_readable_ok: bool,
}

fn path_of(sources: &SourceSet, file: FileId) -> &str {
    sources.get(file).map_or("", |f| f.path.as_str())
}

/// The facts for `unit` (its settings without the generated drop-in).
pub(super) fn gather(sources: &SourceSet, model: &Model, unit: &Unit) -> Facts {
    let served = |file: FileId| unit.serves(path_of(sources, file));
    let pools: Vec<&Section> = model
        .fpm
        .pools
        .iter()
        .filter(|p| p.anchor().is_some_and(|(f, _)| served(f)))
        .collect();
    let mut facts = Facts {
        given: !pools.is_empty(),
        root: unit.runs_as_root(),
        ..Facts::default()
    };
    if facts.given {
        from_pools(sources, model, unit, &pools, &mut facts);
    } else {
        debian_defaults(&mut facts);
    }
    let groups = Groups::new();
    let service = groups.expand("@system-service");
    let resources = groups.expand("@resources");
    for need in fpm_needs(&model.fpm) {
        let Some(call) = need.syscall.filter(|_| served(need.setting.origin.file)) else {
            continue;
        };
        if !service.contains(call) {
            add(&mut facts.syscalls, call, need.reason.clone());
        }
        if resources.contains(call) && !facts.resources.contains(&need.reason) {
            facts.resources.push(need.reason.clone());
        }
    }
    sites(model, &pools, &mut facts);
    socket_alias(model, unit, &mut facts);
    if model.php_ini.main.is_some_and(served) {
        let base: Vec<String> = jits(&model.php_ini, None)
            .into_iter()
            .map(|j| j.0)
            .collect();
        for pool in &pools {
            for (what, _) in jits(&model.php_ini, Some(pool)) {
                if !base.contains(&what) {
                    facts.jit.push(format!("{what} in pool [{}]", pool.name));
                }
            }
        }
        facts.jit.splice(0..0, base);
    } else {
        let why = "this PHP version's php.ini was not given, and pcre.jit is on by default";
        facts.jit.push(why.into());
    }
    facts
}

/// Debian's stock pool: `www` as www-data on `/run/php/php<v>-fpm.sock` owned by www-data.
fn debian_defaults(facts: &mut Facts) {
    let pool = "Debian's stock pool [www] (its file was not given)";
    let switch = format!("switch {pool} to user www-data");
    add(&mut facts.caps, "CAP_SETUID", switch.clone());
    add(&mut facts.caps, "CAP_SETGID", switch);
    let signal = format!("signal the workers of {pool}");
    add(&mut facts.caps, "CAP_KILL", signal);
    let chown = format!("hand the socket of {pool} to www-data");
    add(&mut facts.caps, "CAP_CHOWN", chown);
    add(
        &mut facts.caps,
        "CAP_DAC_OVERRIDE",
        "create the socket and pid file in /run/php, which Debian gives to www-data".into(),
    );
    add(
        &mut facts.writes,
        "/run/php",
        format!("the socket and pid file of {pool}"),
    );
    add(
        &mut facts.writes,
        "/var/log",
        "Debian's FPM log /var/log/php*-fpm.log".into(),
    );
    add(
        &mut facts.writes,
        DEBIAN_SESSIONS,
        "sessions (Debian's builds keep them here)".into(),
    );
    facts.group_readable_ok = true;
}

fn from_pools(sources: &SourceSet, model: &Model, unit: &Unit, pools: &[&Section], f: &mut Facts) {
    let served = |file: FileId| unit.serves(path_of(sources, file));
    if f.root {
        for need in fpm_needs(&model.fpm) {
            if let Some(cap) = need.capability
                && served(need.setting.origin.file)
            {
                add(&mut f.caps, cap, need.reason.clone());
            }
        }
    }
    let mut sockets: Vec<(String, String)> = Vec::new();
    for pool in pools {
        if let Some(s) = text(pool, "listen")
            && let Listen::Unix(path) = Listen::parse(&s.value)
        {
            sockets.push((path, format!("the socket of pool [{}]", pool.name)));
        }
    }
    if let Some(s) = text(&model.fpm.global, "pid") {
        sockets.push((s.value.clone(), "the pid file".into()));
    }
    let mut dirs: Reasons = Vec::new();
    for (path, what) in &sockets {
        let dir = parent(path);
        if f.root && !ROOT_OWNED.contains(&dir) {
            add(&mut dirs, dir, what.clone());
        }
        if in_tmp(path) && what.starts_with("the socket") {
            f.shared_tmp.push(format!("{what} is {path}"));
        }
    }
    for (dir, whats) in dirs {
        let why = format!(
            "create {} in {dir}, which need not belong to root (Debian gives /run/php to www-data)",
            whats.join(" and ")
        );
        add(&mut f.caps, "CAP_DAC_OVERRIDE", why);
    }
    for w in write_paths(model) {
        if served(w.file) {
            add(&mut f.writes, &w.dir, w.what.clone());
        }
    }
    for pool in pools {
        session_facts(model, pool, f);
        for key in ["chdir", "chroot", "prefix"] {
            if let Some(s) = text(pool, key)
                && in_home(&s.value)
            {
                f.home
                    .push(format!("pool [{}] {key} {}", pool.name, s.value));
            }
        }
        if let Some(s) = text(pool, "apparmor_hat") {
            f.hats
                .push(format!("pool [{}] apparmor_hat = {}", pool.name, s.value));
        }
    }
    let web = model.nginx.worker_user().unwrap_or("www-data");
    f.group_readable_ok = pools.iter().all(|p| {
        ["user", "group"]
            .iter()
            .any(|k| text(p, k).is_some_and(|s| s.value.trim() == web))
    });
}
