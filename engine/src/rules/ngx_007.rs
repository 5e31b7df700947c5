use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fastcgi::{backends, describe, pools_at};
use crate::model::listen::Listen;
use crate::model::nginx::Endpoint;

declare_rule! {
    /// ## What it does
    /// Reports a `fastcgi_pass` (or a `server` of the upstream it names) that connects to FPM
    /// over TCP on an address that is not loopback: another host, a private address, or a
    /// container name such as `php:9000`. When a given pool listens on that port on every
    /// interface without `listen.allowed_clients`, the finding is Critical.
    ///
    /// ## Why is this bad?
    /// FastCGI has neither authentication nor encryption. Whatever can reach the FPM port,
    /// another container on the network, a compromised neighbour host, a process in any other
    /// app, can send its own requests: run any PHP file on the FPM host as the pool user and
    /// pass `PHP_ADMIN_VALUE` to lift `open_basedir` or prepend code. On the way, request data
    /// (cookies, passwords in forms) travels in clear text.
    ///
    /// ## How to fix
    /// Run nginx and FPM on the same host and use a unix socket (`fastcgi_pass
    /// unix:/run/php/app.sock;`). When they must be apart, bind FPM to a private address, set
    /// `listen.allowed_clients` to the web server's address, and keep the port off every other
    /// network (firewall, a dedicated container network).
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     location ~ \.php$ { fastcgi_pass 10.0.0.5:9000; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/app.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen`, `listen.allowed_clients`
    /// - Invicti, "FastCGI Unauthorized Access"
    /// - docker-library/php FPM images (`listen = 9000`, `EXPOSE 9000`)
    NetworkFastcgi {
        id: "NGX-007",
        title: "FastCGI over the network",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for NetworkFastcgi {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let mut seen = BTreeSet::new();
        for group in backends(&cx.model.nginx) {
            for used in &group.uses {
                let endpoint = &used.backend.endpoint;
                if !matches!(endpoint, Endpoint::Tcp { .. }) || endpoint.is_loopback() {
                    continue;
                }
                let origin = used.backend.origin;
                if !seen.insert((origin.file, origin.value)) {
                    continue;
                }
                let open = pools_at(&cx.model.fpm, endpoint).into_iter().find(|p| {
                    p.get("listen")
                        .is_some_and(|l| Listen::parse(&l.value).is_all_interfaces())
                        && p.get("listen.allowed_clients").is_none()
                });
                let mut message = format!(
                    "FastCGI to {} crosses the network: whoever reaches that port can run PHP files as the pool user and set PHP_ADMIN_VALUE, and requests travel unencrypted",
                    describe(endpoint)
                );
                let mut finding = if let Some(pool) = open {
                    let _ = write!(
                        message,
                        "; pool [{}] listens on every interface without `listen.allowed_clients`",
                        pool.name
                    );
                    let finding = Self::meta_static()
                        .finding(origin.file, origin.value, message)
                        .with_severity(Severity::Critical);
                    match pool.get("listen") {
                        Some(l) => finding.with_related(l.origin.file, l.span(), "open to all"),
                        None => finding,
                    }
                } else {
                    Self::meta_static().finding(origin.file, origin.value, message)
                };
                if origin.file != used.pass.setting.file
                    || !used.pass.setting.range.contains_range(origin.value)
                {
                    finding = finding.with_related(
                        used.pass.setting.file,
                        used.pass.setting.head(),
                        "the fastcgi_pass that uses it",
                    );
                }
                out.push(finding);
            }
        }
    }
}
