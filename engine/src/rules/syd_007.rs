use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::systemd::fpm_needs;

declare_rule! {
    /// ## What it does
    /// Reports a capability a root FPM master needs that the unit's `CapabilityBoundingSet=`
    /// leaves out, from what php-fpm.conf and the pools ask for: `CAP_SETUID`, `CAP_SETGID`
    /// and `CAP_KILL` for pools with their own `user`, `CAP_CHOWN` for `listen.owner` or
    /// `listen.group`, `CAP_SYS_PTRACE` for a slowlog, `CAP_SYS_CHROOT` for `chroot`,
    /// `CAP_NET_BIND_SERVICE` for a TCP port below 1024.
    ///
    /// ## Why is this bad?
    /// Each of these makes FPM fail in its own way: without `CAP_SETUID`/`CAP_SETGID` every
    /// worker exits at once, without `CAP_CHOWN` the master stops at "failed to chown() the
    /// socket", without `CAP_KILL` it hangs in "Terminating …" with workers of other users
    /// left running. The quick way out people take is to delete the whole bounding set, or to
    /// run every pool as one user, and each app then loses its separation from the others.
    ///
    /// ## How to fix
    /// Add the capability to the set (another `CapabilityBoundingSet=` line adds to it).
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [site]
    /// user = site
    /// group = site
    /// listen = /run/php/site.sock
    /// listen.owner = www-data
    /// ```
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// CapabilityBoundingSet=CAP_SETUID CAP_SETGID
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_DAC_OVERRIDE
    /// ```
    ///
    /// ## References
    /// - capabilities(7); systemd.exec(5), `CapabilityBoundingSet=`
    /// - research notes: systemd-containers.md §3.2 (each capability removed with
    ///   `setpriv --bounding-set` on PHP 8.2)
    CapabilityMissing {
        id: "SYD-007",
        title: "a capability FPM needs is missing",
        severity: High,
        fixable: false,
    }
}

impl Rule for CapabilityMissing {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let needs = fpm_needs(&cx.model.fpm);
        for unit in cx.model.systemd.fpm_units() {
            let set = unit.capabilities("CapabilityBoundingSet");
            if !unit.runs_as_root() || set.is_default() {
                continue;
            }
            let Some(at) = set.entries.last() else {
                continue;
            };
            let mut missing: Vec<(&str, Vec<&crate::model::systemd::Need<'_>>)> = Vec::new();
            for need in &needs {
                let Some(cap) = need.capability else { continue };
                let path = cx
                    .sources
                    .get(need.setting.origin.file)
                    .map_or("", |f| f.path.as_str());
                if set.contains(cap) || !unit.serves(path) {
                    continue;
                }
                match missing.iter_mut().find(|(c, _)| *c == cap) {
                    Some((_, list)) => list.push(need),
                    None => missing.push((cap, vec![need])),
                }
            }
            for (cap, list) in missing {
                let reasons: Vec<&str> = list.iter().map(|n| n.reason.as_str()).collect();
                let message = format!(
                    "{}: the bounding set lacks {cap}, which the root master needs to {}; FPM fails at that step",
                    unit.name,
                    reasons.join(", ")
                );
                let mut finding = Self::meta_static().finding(at.origin.file, at.span(), message);
                for need in list {
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
