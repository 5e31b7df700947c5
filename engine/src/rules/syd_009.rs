use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::systemd::{Blocked, Need, fpm_needs};

declare_rule! {
    /// ## What it does
    /// Reports a `SystemCallFilter=` that blocks a system call the FPM master needs for what
    /// the pools configure: `setuid`/`setgid`/`setgroups`/`kill` for pools with their own
    /// `user` (`~@setuid` removes the first three, `~@privileged` `setuid` and `setgroups`), `chown` for `listen.owner`, `ptrace` for a slowlog,
    /// `chroot` for `chroot`, `setrlimit`/`setpriority` for `rlimit_*` and
    /// `process.priority`. Groups are expanded with systemd 252's own tables.
    ///
    /// ## Why is this bad?
    /// A blocked call fails with `EPERM` (or kills the process): workers cannot drop to their
    /// pool user, the socket cannot be handed to nginx, slow requests are never traced. Fixing
    /// that by deleting the filter, or by running every pool as one user, gives each app back
    /// the kernel surface or the neighbours' files the filter and the users were keeping from
    /// it.
    ///
    /// ## How to fix
    /// Start from `SystemCallFilter=@system-service`, which keeps `@setuid`, `@chown` and
    /// `@resources`; never deny `@privileged` or `@setuid` for a root master with several
    /// pools; add `SystemCallFilter=ptrace` for slowlogs and `SystemCallFilter=chroot` for
    /// `chroot`.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [site]
    /// user = site
    /// group = site
    /// listen = /run/php/site.sock
    /// ```
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// SystemCallFilter=@system-service
    /// SystemCallFilter=~@privileged
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// SystemCallFilter=@system-service
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `SystemCallFilter=`; `systemd-analyze syscall-filter`
    /// - research notes: systemd-containers.md §3.3
    SyscallFilterBlocksFpm {
        id: "SYD-009",
        title: "syscall filter blocks FPM",
        severity: High,
        fixable: false,
    }
}

impl Rule for SyscallFilterBlocksFpm {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let needs = fpm_needs(&cx.model.fpm);
        for unit in cx.model.systemd.fpm_units() {
            // A master that is not root cannot switch users anyway (SYD-014).
            if !unit.runs_as_root() {
                continue;
            }
            let mut seen: Vec<&str> = Vec::new();
            let mut groups: Vec<(Blocked<'_>, Vec<(&str, &Need<'_>)>)> = Vec::new();
            for need in &needs {
                let Some(call) = need.syscall else { continue };
                let path = cx
                    .sources
                    .get(need.setting.origin.file)
                    .map_or("", |f| f.path.as_str());
                if seen.contains(&call) || !unit.serves(path) {
                    continue;
                }
                seen.push(call);
                let Some(blocked) = unit.syscall_blocked(call) else {
                    continue;
                };
                match groups.iter_mut().find(|(b, _)| *b == blocked) {
                    Some((_, calls)) => calls.push((call, need)),
                    None => groups.push((blocked, vec![(call, need)])),
                }
            }
            for (blocked, calls) in groups {
                let by = if blocked.by.is_empty() {
                    "the allow list does not include them".to_string()
                } else {
                    format!("`{}` blocks them", blocked.by)
                };
                let what: Vec<String> = calls
                    .iter()
                    .map(|(call, need)| format!("`{call}` to {}", need.reason))
                    .collect();
                let message = format!(
                    "{}: the system call filter stops calls the master needs: {} ({by}); FPM fails at those steps",
                    unit.name,
                    what.join(", ")
                );
                let mut finding = Self::meta_static().finding(
                    blocked.setting.origin.file,
                    blocked.setting.span(),
                    message,
                );
                for (_, need) in calls {
                    finding = finding.with_related(
                        need.setting.origin.file,
                        need.setting.span(),
                        need.reason.clone(),
                    );
                }
                out.push(finding);
            }
        }
    }
}
