//! What a PHP-FPM master needs from its unit's sandbox, read from php-fpm.conf and the pools:
//! capabilities and system calls (research §3.2: each was checked by taking it away), and
//! which units serve which FPM configuration.

use super::Unit;
use crate::model::fpm::{FpmModel, Section, Setting};
use crate::model::fpm_values::{seconds, text};
use crate::model::listen::Listen;

/// One thing the master must be allowed, and the directive that asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need<'a> {
    /// `CAP_SETUID`; `None` when only a system call is needed.
    pub capability: Option<&'static str>,
    /// A system call that stands for what is needed (`setuid`, `ptrace`).
    pub syscall: Option<&'static str>,
    /// What FPM does with it, for messages: "switch pool [site] to user site".
    pub reason: String,
    pub setting: &'a Setting,
}

fn need<'a>(
    capability: Option<&'static str>,
    syscall: Option<&'static str>,
    reason: String,
    setting: &'a Setting,
) -> Need<'a> {
    Need {
        capability,
        syscall,
        reason,
        setting,
    }
}

/// Everything the pools and the global section ask of a root master, in pool order.
pub fn fpm_needs(fpm: &FpmModel) -> Vec<Need<'_>> {
    let mut needs = Vec::new();
    for pool in &fpm.pools {
        pool_needs(pool, &mut needs);
    }
    for section in std::iter::once(&fpm.global).chain(&fpm.pools) {
        for key in ["rlimit_files", "rlimit_core"] {
            if let Some(s) = text(section, key) {
                let why = format!("apply {key} = {}", s.value);
                needs.push(need(None, Some("setrlimit"), why, s));
            }
        }
        if let Some(s) = text(section, "process.priority") {
            let why = format!("apply process.priority = {}", s.value);
            needs.push(need(None, Some("setpriority"), why, s));
        }
    }
    needs
}

fn pool_needs<'a>(pool: &'a Section, needs: &mut Vec<Need<'a>>) {
    let name = &pool.name;
    if let Some(user) = text(pool, "user")
        && !matches!(user.value.as_str(), "root" | "0")
    {
        let why = format!("switch pool [{name}] to user {}", user.value);
        needs.push(need(Some("CAP_SETUID"), Some("setuid"), why.clone(), user));
        needs.push(need(Some("CAP_SETGID"), Some("setgid"), why.clone(), user));
        // initgroups(): the pool user's supplementary groups.
        needs.push(need(None, Some("setgroups"), why, user));
        let why = format!("signal the workers of pool [{name}] (user {})", user.value);
        needs.push(need(Some("CAP_KILL"), Some("kill"), why, user));
    }
    let listen = text(pool, "listen");
    if let Some(listen) = listen {
        match Listen::parse(&listen.value) {
            Listen::Unix(_) => {
                for key in ["listen.owner", "listen.group"] {
                    if let Some(s) = text(pool, key) {
                        let why = format!("hand the socket of pool [{name}] to {}", s.value);
                        needs.push(need(Some("CAP_CHOWN"), Some("chown"), why, s));
                    }
                }
            }
            Listen::Tcp { port, .. } => {
                if port.parse::<u32>().is_ok_and(|p| p < 1024) {
                    let why = format!("bind pool [{name}] to privileged port {port}");
                    needs.push(need(Some("CAP_NET_BIND_SERVICE"), None, why, listen));
                }
            }
        }
    }
    if let Some((timeout, s)) = seconds(pool, "request_slowlog_timeout")
        && timeout > 0
        && text(pool, "slowlog").is_some()
    {
        let why = format!("trace slow requests of pool [{name}] (slowlog)");
        needs.push(need(Some("CAP_SYS_PTRACE"), Some("ptrace"), why, s));
    }
    if let Some(s) = text(pool, "chroot") {
        let why = format!("chroot pool [{name}] into {}", s.value);
        needs.push(need(Some("CAP_SYS_CHROOT"), Some("chroot"), why, s));
    }
}

/// The PHP version in a unit or path name: `php8.2-fpm.service` → `8.2`,
/// `/etc/php/8.2/fpm/pool.d/www.conf` → `8.2`.
fn version_in(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("/etc/php/")
        .or_else(|| text.strip_prefix("php"))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let version = rest.get(..end)?.trim_end_matches('.');
    (!version.is_empty()).then_some(version)
}

impl Unit {
    /// Whether this unit's master reads the FPM file at `path`: a versioned unit
    /// (`php8.2-fpm.service`, or `--fpm-config /etc/php/8.2/…`) reads only that version's
    /// `/etc/php/<v>/` tree; anything else is taken to read every FPM file given.
    pub fn serves(&self, path: &str) -> bool {
        let config = self.exec_start().and_then(|e| {
            if let Some(inline) = e.argv.iter().find_map(|a| a.strip_prefix("--fpm-config=")) {
                return Some(inline.to_string());
            }
            let at = e
                .argv
                .iter()
                .position(|a| a == "--fpm-config" || a == "-y")?;
            e.argv.get(at + 1).cloned()
        });
        let unit_version = version_in(&self.name)
            .map(str::to_string)
            .or_else(|| config.as_deref().and_then(version_in).map(str::to_string));
        // `php82-fpm` and `/etc/php/8.2/` name the same version.
        let bare = |v: &str| v.replace('.', "");
        match (unit_version, version_in(path)) {
            (Some(unit), Some(file)) => bare(&unit) == bare(file),
            _ => true,
        }
    }
}

impl super::SystemdModel {
    /// The FPM units whose master reads the pool (see [`Unit::serves`]).
    pub fn units_serving<'a>(
        &'a self,
        sources: &'a crate::source::SourceSet,
        pool: &'a Section,
    ) -> impl Iterator<Item = &'a Unit> + 'a {
        let path = pool
            .anchor()
            .and_then(|(file, _)| sources.get(file))
            .map_or("", |f| f.path.as_str());
        self.fpm_units().filter(move |u| u.serves(path))
    }
}
