use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Reports an empty assignment in a drop-in (`SystemCallFilter=`,
    /// `RestrictAddressFamilies=`, `CapabilityBoundingSet=`, `ReadOnlyPaths=`, …) that
    /// throws away a hardening list set by the unit or an earlier drop-in, when nothing after
    /// it sets the list again. An empty `CapabilityBoundingSet=` is high: it leaves no
    /// capabilities at all.
    ///
    /// ## Why is this bad?
    /// An empty assignment starts a list over. A drop-in written to change one detail can so
    /// silently remove the whole filter the vendor or an admin put in place: the unit file
    /// still shows `SystemCallFilter=@system-service`, but code that runs in an app gets
    /// every system call. For the bounding set the reverse happens: a root master with no
    /// capabilities cannot switch to pool users, and FPM fails to start its workers.
    ///
    /// ## How to fix
    /// Drop the empty line, or follow it with the complete list you want (`SystemCallFilter=`
    /// then `SystemCallFilter=@system-service ptrace`). `systemctl cat` shows every file in
    /// the order systemd applies them.
    ///
    /// ## Example
    /// ```systemd-unit context
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// SystemCallFilter=@system-service
    /// ```
    /// ```systemd-dropin bad
    /// [Service]
    /// SystemCallFilter=
    /// ```
    /// ```systemd-dropin good
    /// [Service]
    /// SystemCallFilter=
    /// SystemCallFilter=@system-service ptrace
    /// ```
    ///
    /// ## References
    /// - systemd.unit(5), drop-in directories; systemd.syntax(7)
    /// - systemd.exec(5), `CapabilityBoundingSet=` (an empty value drops all capabilities)
    ResetInDropin {
        id: "SYD-020",
        title: "a later drop-in resets a hardening list",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for ResetInDropin {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            for reset in unit.hardening_resets() {
                let caps = reset.key == "CapabilityBoundingSet";
                // No capabilities is good hardening for a master that does not run as root.
                if reset.refilled || caps && !unit.runs_as_root() {
                    continue;
                }
                let Some(first) = reset.discarded.first() else {
                    continue;
                };
                let earlier: Vec<&str> = reset.discarded.iter().map(|s| s.value.as_str()).collect();
                let effect = if caps {
                    "leaves the master with no capabilities at all, so it cannot switch to pool users"
                } else {
                    "removes that hardening for every pool"
                };
                let message = format!(
                    "{}: `{}=` discards `{}` set earlier and {effect}",
                    unit.name,
                    reset.key,
                    earlier.join(" ")
                );
                let finding = Self::meta_static()
                    .finding(reset.reset.origin.file, reset.reset.span(), message)
                    .with_related(first.origin.file, first.span(), "the discarded setting");
                out.push(if caps {
                    finding.with_severity(Severity::High)
                } else {
                    finding
                });
            }
        }
    }
}
