use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fastcgi::{backends, describe, pools_at};

declare_rule! {
    /// ## What it does
    /// When FPM pool files are part of the audit, reports a `fastcgi_pass` target (or a
    /// `server` of its upstream) that no given pool listens on: no pool has that socket path,
    /// or that TCP port on a matching address. The message lists where the pools do listen.
    /// When an FPM include matched no given file, a pool may simply be missing from the audit
    /// and the finding is lowered to Low.
    ///
    /// ## Why is this bad?
    /// Either the site answers 502 (a stale socket name after a PHP upgrade), or something
    /// else listens there: another PHP version's pool with other users and limits, or a socket
    /// some other account created. The map of which app runs as which user, which everything
    /// else in the audit relies on, is then wrong for this site.
    ///
    /// ## How to fix
    /// Point `fastcgi_pass` at the pool meant for the site (`unix:/run/php/shop.sock`), or add
    /// the pool file that defines that socket to the audit.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// listen = /run/php/shop.sock
    /// ```
    /// ```nginx bad
    /// server {
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/php7.4-fpm.sock; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/shop.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx fastcgi module: `fastcgi_pass`
    /// - PHP manual, FPM configuration: `listen`
    DanglingFastcgiPass {
        id: "NGX-060",
        title: "`fastcgi_pass` matches no pool",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for DanglingFastcgiPass {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fpm = &cx.model.fpm;
        if fpm.pools.is_empty() {
            return;
        }
        let listens: Vec<String> = fpm
            .pools
            .iter()
            .filter_map(|p| Some(format!("[{}] {}", p.name, p.get("listen")?.value)))
            .collect();
        let partial = !fpm.unresolved_includes.is_empty();
        let mut seen = BTreeSet::new();
        for group in backends(&cx.model.nginx) {
            for used in &group.uses {
                let endpoint = &used.backend.endpoint;
                let origin = used.backend.origin;
                if !pools_at(fpm, endpoint).is_empty() || !seen.insert((origin.file, origin.value))
                {
                    continue;
                }
                let mut message = format!(
                    "no given pool listens on {}, so this site gets a 502 or whatever else listens there (pools listen on: {})",
                    describe(endpoint),
                    listens.join(", ")
                );
                if partial {
                    message.push_str(
                        "; an FPM include matched no given file, so the pool may be defined there",
                    );
                }
                let finding = Self::meta_static().finding(origin.file, origin.value, message);
                out.push(if partial {
                    finding.with_severity(Severity::Low)
                } else {
                    finding
                });
            }
        }
    }
}
