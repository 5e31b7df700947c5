use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::listen::Listen;

declare_rule! {
    /// ## What it does
    /// Reports pools whose `listen` is a bare port or a wildcard address (`9000`,
    /// `0.0.0.0:9000`, `[::]:9000`), which FPM binds on every network interface.
    ///
    /// ## Why is this bad?
    /// FastCGI has no authentication. Whoever can open a TCP connection to the port can ask
    /// FPM to run any PHP file on the host, and can pass `PHP_VALUE`/`PHP_ADMIN_VALUE` to change
    /// settings such as `auto_prepend_file` or `allow_url_include`, which turns a reachable port
    /// into remote code execution. `listen.allowed_clients` narrows who is served, but the port
    /// still answers.
    ///
    /// ## How to fix
    /// Use a unix socket (`listen = /run/php/$pool.sock`) when nginx runs on the same host, or
    /// bind to loopback (`listen = 127.0.0.1:9000`). When the web server is on another host,
    /// bind to a private address and set `listen.allowed_clients` to the web server's address.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = 9000
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = 127.0.0.1:9000
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen`, `listen.allowed_clients`
    /// - php-src `sapi/fpm/fpm/fpm_sockets.c`
    /// - CISOfy lynis issue #837 (PHP-FPM listening on all interfaces)
    ListenAllInterfaces {
        id: "FPM-103",
        title: "FastCGI listens on all interfaces",
        severity: Critical,
        fixable: true,
    }
}

impl Rule for ListenAllInterfaces {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some(listen) = pool.get("listen") else {
                continue;
            };
            let address = Listen::parse(&listen.value);
            if !address.is_all_interfaces() {
                continue;
            }
            let port = address.port().unwrap_or("9000");
            let restricted = pool.get("listen.allowed_clients").is_some();
            let mut message = format!(
                "pool [{}] listens on every interface (`{}`): anyone who reaches port {port} can run PHP files and set PHP_ADMIN_VALUE",
                pool.name, listen.value
            );
            if restricted {
                message.push_str("; listen.allowed_clients limits who is served, but the port stays open on all interfaces");
            }
            let fix = Fix {
                title: format!("listen on 127.0.0.1:{port} only"),
                // The web server may be on another host; a person must confirm it is local.
                safety: Safety::NeedsReview,
                edits: vec![Edit {
                    file: listen.origin.file,
                    range: listen.origin.value,
                    replacement: format!("127.0.0.1:{port}"),
                }],
            };
            let finding = Self::meta_static()
                .finding(listen.origin.file, listen.span(), message)
                .with_fix(fix);
            out.push(if restricted {
                finding.with_severity(Severity::High)
            } else {
                finding
            });
        }
    }
}
