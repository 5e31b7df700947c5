use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fastcgi::{backends, describe, pools_at};
use crate::model::listen::{Listen, parse_mode};

declare_rule! {
    /// ## What it does
    /// Reports a `fastcgi_pass` whose socket belongs to a pool with a world-writable
    /// `listen.mode` (`0666`, `0777`): the nginx side of FPM-106, pointing at the site that
    /// depends on that socket.
    ///
    /// ## Why is this bad?
    /// Any local account can connect to a socket with `o+w` and speak FastCGI to the pool that
    /// runs this site: another tenant's PHP code, a compromised daemon, a shell user. It can run
    /// any PHP file as this site's user and send `PHP_ADMIN_VALUE` to lift `open_basedir` or
    /// load code, so a break-in anywhere on the host becomes a break-in into this site.
    ///
    /// ## How to fix
    /// In the pool, set `listen.owner` and `listen.group` to the web server's account and
    /// `listen.mode = 0660` (or use `listen.acl_users` naming only the web server).
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// listen = /run/php/shop.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// listen.mode = 0666
    /// [blog]
    /// listen = /run/php/blog.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// listen.mode = 0660
    /// ```
    /// ```nginx bad
    /// server {
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/shop.sock; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/blog.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - CVE-2014-0185 (FPM socket created world-writable)
    /// - PHP manual, FPM configuration: `listen.owner`, `listen.group`, `listen.mode`
    SocketOpenToAll {
        id: "NGX-061",
        title: "Socket reachable by everyone (cross-file view of FPM-106)",
        severity: High,
        fixable: false,
    }
}

impl Rule for SocketOpenToAll {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let mut seen = BTreeSet::new();
        for group in backends(&cx.model.nginx) {
            for used in &group.uses {
                let endpoint = &used.backend.endpoint;
                for pool in pools_at(&cx.model.fpm, endpoint) {
                    let unix = pool
                        .get("listen")
                        .is_some_and(|l| matches!(Listen::parse(&l.value), Listen::Unix(_)));
                    let Some(mode) = pool.get("listen.mode") else {
                        continue;
                    };
                    let origin = used.backend.origin;
                    if !unix
                        || parse_mode(&mode.value) & 0o002 == 0
                        || !seen.insert((origin.file, origin.value))
                    {
                        continue;
                    }
                    let message = format!(
                        "{} belongs to pool [{}], whose `listen.mode = {}` lets every local account connect: any of them can run PHP as this site's user and set PHP_ADMIN_VALUE",
                        describe(endpoint),
                        pool.name,
                        mode.value
                    );
                    out.push(
                        Self::meta_static()
                            .finding(origin.file, origin.value, message)
                            .with_related(mode.origin.file, mode.span(), "world-writable socket"),
                    );
                }
            }
        }
    }
}
