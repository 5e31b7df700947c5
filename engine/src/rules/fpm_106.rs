use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::listen::{Listen, parse_mode};

declare_rule! {
    /// ## What it does
    /// Reports unix-socket pools whose `listen.mode` gives write permission to others
    /// (`0666`, `0777`, `666`).
    ///
    /// ## Why is this bad?
    /// Connecting to a unix socket needs write permission on it. With `o+w` every local
    /// account can talk FastCGI to the pool: another tenant, or any compromised service, can
    /// run PHP as the pool's user and send `PHP_ADMIN_VALUE` to load extensions or lift
    /// `open_basedir`. This is CVE-2014-0185, when FPM's default mode was 0666.
    ///
    /// ## How to fix
    /// Set `listen.mode = 0660` and let only the web server in: `listen.owner` and
    /// `listen.group` set to the web server's account (or `listen.acl_users` naming it).
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// listen.mode = 0666
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// listen.mode = 0660
    /// ```
    ///
    /// ## References
    /// - CVE-2014-0185 (PHP-FPM socket created world-writable)
    /// - PHP manual, FPM configuration: `listen.owner`, `listen.group`, `listen.mode`
    WorldAccessibleSocket {
        id: "FPM-106",
        title: "World-accessible FastCGI socket",
        severity: Critical,
        fixable: true,
    }
}

impl Rule for WorldAccessibleSocket {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some(mode) = pool.get("listen.mode") else {
                continue;
            };
            let is_unix = pool
                .get("listen")
                .is_some_and(|l| matches!(Listen::parse(&l.value), Listen::Unix(_)));
            let bits = parse_mode(&mode.value);
            if !is_unix || bits & 0o002 == 0 {
                continue;
            }
            let web_server_named = [
                "listen.owner",
                "listen.group",
                "listen.acl_users",
                "listen.acl_groups",
            ]
            .iter()
            .any(|k| pool.get(k).is_some());
            let mut message = format!(
                "listen.mode {} lets every local user connect to pool [{}] and run PHP as its user",
                mode.value, pool.name
            );
            if !web_server_named {
                message.push_str(
                    "; set listen.owner/listen.group to the web server before narrowing the mode",
                );
            }
            let fix = Fix {
                title: "set listen.mode = 0660".into(),
                // Without an owner or group for the web server, 0660 could lock nginx out.
                safety: if web_server_named {
                    Safety::Safe
                } else {
                    Safety::NeedsReview
                },
                edits: vec![Edit {
                    file: mode.origin.file,
                    range: mode.origin.value,
                    replacement: "0660".into(),
                }],
            };
            out.push(
                Self::meta_static()
                    .finding(mode.origin.file, mode.span(), message)
                    .with_fix(fix),
            );
        }
    }
}
