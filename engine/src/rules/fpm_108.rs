use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::fpm_values::text;
use crate::model::listen::Listen;

declare_rule! {
    /// ## What it does
    /// Reports `listen.owner` and `listen.group` on a unix-socket pool that also sets
    /// `listen.acl_users` or `listen.acl_groups`.
    ///
    /// ## Why is this bad?
    /// When an ACL is set, FPM ignores the owner and group (it only logs a warning at start):
    /// the socket stays owned by the master's account and access comes from the ACL alone.
    /// Whoever reads the file believes the owner/group lines decide who connects; they do not.
    ///
    /// ## How to fix
    /// Choose one mechanism. Either drop `listen.owner`/`listen.group` and list the web
    /// server in `listen.acl_users`, or drop the ACL lines.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php-fpm/www.sock
    /// listen.owner = nginx
    /// listen.acl_users = apache,nginx
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php-fpm/www.sock
    /// listen.acl_users = apache,nginx
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_unix.c` ("ACL set, listen.owner = '...' is ignored")
    /// - Fedora `php-fpm` default `www.conf`
    AclOverridesOwner {
        id: "FPM-108",
        title: "Listen ACL overrides owner/group",
        severity: Low,
        fixable: true,
    }
}

impl Rule for AclOverridesOwner {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let unix = text(pool, "listen")
                .is_some_and(|l| matches!(Listen::parse(&l.value), Listen::Unix(_)));
            let acl = text(pool, "listen.acl_users").or_else(|| text(pool, "listen.acl_groups"));
            let (true, Some(acl)) = (unix, acl) else {
                continue;
            };
            for directive in ["listen.owner", "listen.group"] {
                let Some(ignored) = text(pool, directive) else {
                    continue;
                };
                let message = format!(
                    "`{directive} = {}` of pool [{}] is ignored because an ACL is set (`{} = {}`): the socket keeps the master's owner and only the ACL grants access",
                    ignored.value,
                    pool.name,
                    acl.key_range.slice(
                        cx.sources
                            .get(acl.origin.file)
                            .map_or("", |f| f.text.as_str())
                    ),
                    acl.value
                );
                let fix = Fix {
                    title: format!("delete the ignored `{directive}` line"),
                    // FPM ignores the line already.
                    safety: Safety::Safe,
                    edits: vec![Edit {
                        file: ignored.origin.file,
                        range: ignored.origin.statement,
                        replacement: String::new(),
                    }],
                };
                out.push(
                    Self::meta_static()
                        .finding(ignored.origin.file, ignored.span(), message)
                        .with_related(acl.origin.file, acl.span(), "the ACL FPM applies instead")
                        .with_fix(fix),
                );
            }
        }
    }
}
