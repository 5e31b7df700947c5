use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::systemd::service_anchor;

declare_rule! {
    /// ## What it does
    /// Reports PHP-FPM units with no system call filter in effect (`SystemCallFilter=` unset,
    /// or reset by a drop-in), and, at low severity, units that filter but leave
    /// `SystemCallArchitectures=` unset.
    ///
    /// ## Why is this bad?
    /// Once an attacker runs code in an app, the kernel's whole system call surface is the
    /// next target: most local privilege escalations go through calls a PHP worker never
    /// needs (`keyctl`, `bpf`, `userfaultfd`, `perf_event_open`, the mount and module calls).
    /// A filter turns those into `EPERM`. Without `SystemCallArchitectures=native`, a process
    /// can switch to the 32-bit ABI, whose calls a filter written for the native one may miss.
    ///
    /// ## How to fix
    /// Add `SystemCallFilter=@system-service`, `SystemCallErrorNumber=EPERM` and
    /// `SystemCallArchitectures=native` in a drop-in. `@system-service` keeps the `@setuid`,
    /// `@chown` and `@resources` calls the root master needs; add `ptrace` when a pool uses
    /// the slowlog and `chroot` when one uses `chroot` (SYD-009 checks this).
    ///
    /// ## Example
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// SystemCallFilter=@system-service
    /// SystemCallErrorNumber=EPERM
    /// SystemCallArchitectures=native
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `SystemCallFilter=`, `SystemCallArchitectures=`
    /// - `systemd-analyze syscall-filter @system-service`
    NoSyscallFilter {
        id: "SYD-010",
        title: "no syscall filter",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for NoSyscallFilter {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            let Some(main) = unit.main else { continue };
            let filter = unit.syscall_filter();
            let archs = unit.list("Service", "SystemCallArchitectures");
            let anchor = cx
                .model
                .unit_doc(main)
                .map(service_anchor)
                .unwrap_or_default();
            if filter.allow_list.is_none() {
                let (file, range, how) = match filter.resets.last() {
                    Some(r) => (
                        r.setting.origin.file,
                        r.setting.span(),
                        "this empty `SystemCallFilter=` removes the filter",
                    ),
                    None => (main, anchor, "no `SystemCallFilter=` is set"),
                };
                let arch = if archs.is_empty() {
                    " and no `SystemCallArchitectures=`"
                } else {
                    ""
                };
                let message = format!(
                    "{}: {how}{arch}, so code running in any pool can reach every system call of the kernel; add SystemCallFilter=@system-service",
                    unit.name
                );
                out.push(Self::meta_static().finding(file, range, message));
            } else if archs.is_empty() {
                let message = format!(
                    "{}: the system call filter is set but `SystemCallArchitectures=` is not, so calls through another ABI are not covered; add SystemCallArchitectures=native",
                    unit.name
                );
                out.push(
                    Self::meta_static()
                        .finding(main, anchor, message)
                        .with_severity(Severity::Low),
                );
            }
        }
    }
}
