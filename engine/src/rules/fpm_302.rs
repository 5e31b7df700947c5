use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;

/// Accounts web servers run as on common distributions, used when nginx.conf is not given.
const USUAL_WEB_SERVER_USERS: [&str; 6] = ["www-data", "nginx", "apache", "http", "wwwrun", "www"];

declare_rule! {
    /// ## What it does
    /// Reports pools that run PHP as the same unix user as the web server. The web server's
    /// account comes from nginx's `user` directive when nginx.conf is part of the audit;
    /// otherwise the pool user is compared with the usual web server accounts (`www-data`,
    /// `nginx`, `apache`, `http`, `wwwrun`, `www`) and the message says so.
    ///
    /// ## Why is this bad?
    /// The web server can read every file it serves, every site's configuration and often TLS
    /// keys; it can connect to every pool's socket. PHP code running as that same user inherits
    /// all of it: one compromised app reads the others' secrets and sends FastCGI requests to
    /// their pools. It also lets PHP rewrite static files that nginx serves directly.
    ///
    /// ## How to fix
    /// Give each pool its own account (`user = $pool`, `group = $pool`, created with
    /// `useradd --system`), and let the web server reach the socket through
    /// `listen.owner`/`listen.group` only.
    ///
    /// ## Example
    /// ```nginx context /etc/nginx/nginx.conf
    /// user www-data;
    /// events {}
    /// ```
    /// ```fpm-pool bad
    /// [www]
    /// user = www-data
    /// group = www-data
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// user = www
    /// group = www
    /// listen = /run/php/www.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// ```
    ///
    /// ## References
    /// - Debian `php8.2-fpm` default pool `www.conf` (runs as `www-data`)
    /// - nginx core module: `user` directive
    PoolUserIsWebServer {
        id: "FPM-302",
        title: "Pool user is the web server user",
        severity: High,
        fixable: false,
    }
}

impl Rule for PoolUserIsWebServer {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        for pool in &cx.model.fpm.pools {
            let Some(user) = pool.get("user") else {
                continue;
            };
            let finding = match nginx.worker_user() {
                Some(web_user) if web_user == user.value => {
                    let message = format!(
                        "pool [{}] runs PHP as `{}`, the account nginx's workers run as: a compromised app gets everything the web server can read and reach",
                        pool.name, user.value
                    );
                    let finding =
                        Self::meta_static().finding(user.origin.file, user.span(), message);
                    match &nginx.user {
                        Some((_, origin)) => finding.with_related(
                            origin.file,
                            origin.value,
                            "nginx workers run as this user",
                        ),
                        None => finding,
                    }
                }
                None if USUAL_WEB_SERVER_USERS.contains(&user.value.as_str()) => {
                    let message = format!(
                        "pool [{}] runs PHP as `{}`, a usual web server account (nginx.conf was not given, so its `user` could not be compared)",
                        pool.name, user.value
                    );
                    Self::meta_static().finding(user.origin.file, user.span(), message)
                }
                Some(_) | None => continue,
            };
            out.push(finding);
        }
    }
}
