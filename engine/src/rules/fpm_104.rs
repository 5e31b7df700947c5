use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm_values::text;
use crate::model::listen::Listen;

declare_rule! {
    /// ## What it does
    /// Reports pools listening on a specific TCP address that is not loopback
    /// (`listen = 10.0.0.2:9000`, `listen = php:9000`) without `listen.allowed_clients`.
    /// Wildcard addresses and bare ports are FPM-103's.
    ///
    /// ## Why is this bad?
    /// Every host that can route to that address may speak FastCGI to the pool, and FastCGI
    /// has no authentication: a client can run any PHP file on the host and pass
    /// `PHP_ADMIN_VALUE` to rewrite settings (`auto_prepend_file`, `open_basedir`,
    /// `extension`). A private network is shared with every other machine or container on it.
    ///
    /// ## How to fix
    /// Set `listen.allowed_clients` to the web server's address (exact IPs, comma-separated;
    /// FPM takes no CIDR or host names), and firewall the port. When the web server runs on
    /// the same host, use a unix socket instead.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [api]
    /// listen = 10.0.0.2:9000
    /// ```
    /// ```fpm-pool good
    /// [api]
    /// listen = 10.0.0.2:9000
    /// listen.allowed_clients = 10.0.0.5
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen.allowed_clients`
    /// - php-src `main/fastcgi.c`, `fcgi_set_allowed_clients`
    /// - Invicti, "FastCGI unauthorized access" advisory
    TcpWithoutAllowedClients {
        id: "FPM-104",
        title: "Non-loopback TCP listen without listen.allowed_clients",
        severity: High,
        fixable: false,
    }
}

impl Rule for TcpWithoutAllowedClients {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some(listen) = text(pool, "listen") else {
                continue;
            };
            let address = Listen::parse(&listen.value);
            let tcp = matches!(address, Listen::Tcp { .. });
            if !tcp || address.is_all_interfaces() || address.is_loopback() {
                continue;
            }
            if text(pool, "listen.allowed_clients").is_some() {
                continue;
            }
            let message = format!(
                "pool [{}] accepts FastCGI on `{}` from any host that can reach it; add `listen.allowed_clients = <web server IP>` under [{}]",
                pool.name, listen.value, pool.name
            );
            out.push(Self::meta_static().finding(listen.origin.file, listen.span(), message));
        }
    }
}
