use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety};
use crate::model::fpm_values::{insert_lines_after, text};
use crate::model::listen::{Listen, parse_mode};

declare_rule! {
    /// ## What it does
    /// Reports unix-socket pools that set none of `listen.owner`, `listen.group`,
    /// `listen.acl_users` and `listen.acl_groups`.
    ///
    /// ## Why is this bad?
    /// FPM then creates the socket owned by the master's account, `root:root` with mode 0660
    /// on a usual install, so the web server cannot connect. The usual "fix" found in forums
    /// is `listen.mode = 0666`, which lets every local account run code as the pool (FPM-106).
    ///
    /// ## How to fix
    /// Give the socket to the web server's account: `listen.owner = www-data` and
    /// `listen.group = www-data` (nginx's `user`), keeping `listen.mode = 0660`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// user = www
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// user = www
    /// listen = /run/php/www.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen.owner`, `listen.group`, `listen.mode`
    /// - php-src `sapi/fpm/fpm/fpm_unix.c`, `fpm_unix_resolve_socket_permissions`
    /// - NBZ4live/ansible-php-fpm#33
    SocketOwnershipGap {
        id: "FPM-107",
        title: "Unix socket without owner/group for the web server",
        severity: Low,
        fixable: true,
    }
}

impl Rule for SocketOwnershipGap {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some(listen) = text(pool, "listen") else {
                continue;
            };
            if !matches!(Listen::parse(&listen.value), Listen::Unix(_)) {
                continue;
            }
            let named = [
                "listen.owner",
                "listen.group",
                "listen.acl_users",
                "listen.acl_groups",
            ]
            .iter()
            .any(|k| text(pool, k).is_some());
            // A socket open to everyone is FPM-106's (critical) finding.
            let open = pool
                .get("listen.mode")
                .is_some_and(|m| parse_mode(&m.value) & 0o002 != 0);
            if named || open {
                continue;
            }
            let web = cx.model.nginx.worker_user();
            let who = web.unwrap_or("www-data");
            let message = format!(
                "the socket of pool [{}] gets the master's owner (root:root, mode 0660): the web server cannot connect unless someone widens the mode; add `listen.owner = {who}` and `listen.group = {who}` after `listen`{}",
                pool.name,
                if web.is_some() {
                    ""
                } else {
                    " (the web server's account; nginx.conf was not given)"
                }
            );
            let mut finding =
                Self::meta_static().finding(listen.origin.file, listen.span(), message);
            let lines = web.map(|user| {
                [
                    format!("listen.owner = {user}"),
                    format!("listen.group = {user}"),
                ]
            });
            if let (Some(user), Some(edit)) = (
                web,
                lines.and_then(|l| {
                    insert_lines_after(cx.sources, listen.origin.file, listen.origin.value.end, &l)
                }),
            ) {
                finding = finding.with_fix(Fix {
                    title: format!("give the socket to `{user}`"),
                    // Opens the socket to nginx's account: intended, but a person confirms.
                    safety: Safety::NeedsReview,
                    edits: vec![edit],
                });
            }
            out.push(finding);
        }
    }
}
