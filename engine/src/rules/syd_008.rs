use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm_values::text;
use crate::model::listen::Listen;
use crate::model::systemd::{CAPABILITIES, fpm_needs, service_anchor};

declare_rule! {
    /// ## What it does
    /// Reports PHP-FPM units whose master runs as root (no `User=`, or `User=root`) with no
    /// `CapabilityBoundingSet=`, so it keeps every capability of the kernel. The message
    /// lists the capabilities the given pools actually need.
    ///
    /// ## Why is this bad?
    /// The root master needs a handful of capabilities to start pools under their own users.
    /// With the full set, anything that takes over the master (or escalates from a worker to
    /// root) gets `CAP_SYS_ADMIN`, `CAP_SYS_MODULE`, `CAP_SYS_PTRACE` and the rest: load
    /// kernel modules, mount file systems, read any process's memory. A bounding set caps
    /// what root inside the unit can ever do.
    ///
    /// ## How to fix
    /// Add `CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_DAC_OVERRIDE`
    /// in a drop-in, plus `CAP_SYS_PTRACE` for slowlogs, `CAP_SYS_CHROOT` for `chroot` and
    /// `CAP_NET_BIND_SERVICE` for ports below 1024. Never write an empty
    /// `CapabilityBoundingSet=` for a root master: it leaves no capabilities at all.
    ///
    /// ## Example
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_DAC_OVERRIDE
    /// ```
    ///
    /// ## References
    /// - capabilities(7); systemd.exec(5), `CapabilityBoundingSet=`
    /// - research notes: systemd-containers.md §3.2 (each capability tested by removing it)
    RootFullCapabilities {
        id: "SYD-008",
        title: "root master with the full capability set",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for RootFullCapabilities {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            let Some(main) = unit.main else { continue };
            let set = unit.capabilities("CapabilityBoundingSet");
            // `CapabilityBoundingSet=~` alone (or `~` with unknown names) is the full set too.
            let full = set.is_default() || set.names().len() == CAPABILITIES.len();
            if !unit.runs_as_root() || !full {
                continue;
            }
            let mut caps: Vec<&str> = Vec::new();
            for need in fpm_needs(&cx.model.fpm) {
                if let Some(cap) = need.capability
                    && !caps.contains(&cap)
                {
                    caps.push(cap);
                }
            }
            let unix = cx.model.fpm.pools.iter().any(|p| {
                text(p, "listen")
                    .is_some_and(|l| matches!(Listen::parse(&l.value), Listen::Unix(_)))
            });
            if unix {
                // Binding in a socket directory the master does not own (Debian's /run/php).
                caps.push("CAP_DAC_OVERRIDE");
            }
            if !cx.model.fpm.present || caps.is_empty() {
                caps = vec![
                    "CAP_SETUID",
                    "CAP_SETGID",
                    "CAP_CHOWN",
                    "CAP_KILL",
                    "CAP_DAC_OVERRIDE",
                ];
            }
            let basis = if cx.model.fpm.present {
                "the pools given need"
            } else {
                "a root master usually needs (give php-fpm.conf and the pools to refine it)"
            };
            let message = format!(
                "{}: the root master keeps every capability (no CapabilityBoundingSet= limits it), so whoever takes it over can load modules, mount and trace any process; {basis}: CapabilityBoundingSet={}",
                unit.name,
                caps.join(" ")
            );
            let anchor = cx
                .model
                .unit_doc(main)
                .map(service_anchor)
                .unwrap_or_default();
            out.push(Self::meta_static().finding(main, anchor, message));
        }
    }
}
