use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fpm_values::text;
use crate::model::listen::Listen;

declare_rule! {
    /// ## What it does
    /// Reports FPM status pages reachable over the network: `pm.status_path` set on a pool
    /// that listens on a non-loopback TCP address, or `pm.status_listen` on a non-loopback TCP
    /// address. Status over a unix socket or loopback is fine.
    ///
    /// ## Why is this bad?
    /// Anyone who can reach the FastCGI port can ask for the status page directly, without
    /// the web server: with `?full` it lists every worker's last request URI with its query
    /// string, the script path, the client's `REMOTE_USER`, timings and memory, which leaks
    /// tokens carried in URLs and maps the application. On a wildcard address that is the
    /// whole network.
    ///
    /// ## How to fix
    /// Keep pools that have a status page on a unix socket or loopback, and give monitoring
    /// its own listener (`pm.status_listen = 127.0.0.1:9001`, or a unix socket only it can
    /// read); let nginx expose the page behind an allow-list if needed.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = 0.0.0.0:9000
    /// pm.status_path = /status
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// pm.status_path = /status
    /// pm.status_listen = 127.0.0.1:9001
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM status page
    /// - php-src `sapi/fpm/fpm/fpm_status.c`
    /// - PHP manual, FPM configuration: `pm.status_listen` (PHP 8.0+)
    StatusOverTcp {
        id: "FPM-116",
        title: "Status page exposed over TCP",
        severity: Medium,
        fixable: false,
    }
}

/// Whether an address is TCP on something other than loopback; `Some(true)` for a wildcard.
fn exposed(value: &str) -> Option<bool> {
    let address = Listen::parse(value);
    let tcp = matches!(address, Listen::Tcp { .. }) && !address.is_loopback();
    tcp.then(|| address.is_all_interfaces())
}

impl Rule for StatusOverTcp {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let status_listen = text(pool, "pm.status_listen");
            let path = text(pool, "pm.status_path");
            // pm.status_listen alone makes FPM serve the status page at `/` (on the pool's own
            // listener too).
            let Some(at_path) = path.or(status_listen) else {
                continue;
            };
            let shown = path.map_or("/", |p| p.value.as_str());
            let mut places = Vec::new();
            if let Some(listen) = text(pool, "listen")
                && let Some(wildcard) = exposed(&listen.value)
            {
                let restricted = text(pool, "listen.allowed_clients").is_some();
                places.push((at_path, listen, wildcard && !restricted));
            }
            if let Some(listen) = status_listen
                && let Some(wildcard) = exposed(&listen.value)
            {
                places.push((listen, listen, wildcard));
            }
            for (at, listen, wide_open) in places {
                let message = format!(
                    "pool [{}] answers its status page `{}` on TCP `{}`: whoever reaches the port gets every worker's request URI with query string, script and user without going through the web server; keep status on a unix socket or loopback",
                    pool.name, shown, listen.value
                );
                let finding = Self::meta_static().finding(at.origin.file, at.span(), message);
                out.push(if wide_open {
                    // Every interface and no client list: the whole network can read it.
                    finding.with_severity(Severity::High)
                } else {
                    finding
                });
            }
        }
    }
}
