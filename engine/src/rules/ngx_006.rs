use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fastcgi::{backends, describe, pools_at, served_root, server_label};

declare_rule! {
    /// ## What it does
    /// Reports server blocks that serve different document roots yet send their PHP requests
    /// to the same FastCGI backend (the same socket path or address, after resolving
    /// `upstream` blocks). Servers with the same root (`www.` and bare names, HTTP and HTTPS
    /// of one site) count as one app. When the pool files are given the message names the pool
    /// and the user every app then runs as.
    ///
    /// ## Why is this bad?
    /// One pool is one unix user. Behind a shared backend every app runs as that user, so code
    /// execution in the weakest app reads the others' code, `.env` secrets, sessions and
    /// uploads, and can plant code in them when their files are writable. The backend also
    /// runs any script of any of the roots for any of the servers.
    ///
    /// ## How to fix
    /// Give each app its own pool with its own user and socket, and point each server at it:
    /// `[shop]` with `user = shop`, `listen = /run/php/shop.sock`, then
    /// `fastcgi_pass unix:/run/php/shop.sock;` in the shop's server only.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/www.sock; }
    /// }
    /// server {
    ///     server_name blog.example;
    ///     root /srv/blog;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/www.sock; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/shop.sock; }
    /// }
    /// server {
    ///     server_name blog.example;
    ///     root /srv/blog;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/blog.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: pools (`[name]`, `user`, `listen`)
    /// - research/php.md 3.9, the trust-boundary map (pool → user → socket → paths)
    SharedBackend {
        id: "NGX-006",
        title: "One FPM backend serves several apps (server blocks with different roots)",
        severity: High,
        fixable: false,
    }
}

/// How many other servers a message names.
const OTHERS_NAMED: usize = 5;

impl Rule for SharedBackend {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        for group in backends(nginx) {
            // The first use of the backend in each server, with the root it serves.
            let uses: Vec<_> = group
                .first_uses()
                .into_iter()
                .map(|u| (u, served_root(nginx, u.location)))
                .collect();
            let roots: BTreeSet<&str> = uses.iter().map(|(_, r)| r.as_str()).collect();
            if roots.len() < 2 {
                continue;
            }
            let Some((first, _)) = uses.first() else {
                continue;
            };
            let endpoint = &first.backend.endpoint;
            let pools = pools_at(&cx.model.fpm, endpoint);
            let runs_as = match pools.as_slice() {
                [pool] => format!(
                    " (pool [{}]), so every app runs as `{}`",
                    pool.name,
                    pool.get("user")
                        .map_or("the pool's user", |u| u.value.as_str())
                ),
                _ => ", so one pool and one unix user serve all of them".into(),
            };
            for (used, root) in &uses {
                let pass = &used.pass.setting;
                if !seen.insert((pass.file, pass.range)) {
                    continue;
                }
                // Named up to a handful; a message listing thousands of servers helps nobody
                // and would make the report grow with the square of the host.
                let mut others: Vec<String> = uses
                    .iter()
                    .filter(|(u, r)| u.server != used.server && r != root)
                    .take(OTHERS_NAMED + 1)
                    .map(|(u, r)| format!("`{}` ({r})", server_label(nginx, u.server)))
                    .collect();
                if others.len() > OTHERS_NAMED {
                    others.truncate(OTHERS_NAMED);
                    others.push("others".to_string());
                }
                let message = format!(
                    "server `{}` ({root}) sends PHP to {}, which also serves {}{runs_as}: code execution in one app reaches the others' files",
                    server_label(nginx, used.server),
                    describe(endpoint),
                    others.join(", ")
                );
                let mut finding = Self::meta_static().finding(pass.file, pass.head(), message);
                for pool in &pools {
                    if let Some((file, range)) = pool.anchor() {
                        finding = finding.with_related(file, range, "the shared pool");
                    }
                }
                out.push(finding);
            }
        }
    }
}
