use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::fpm::{Section, Setting};
use crate::model::fpm_values::written_name;
use crate::model::tenancy::{Grant, Tenancy};
use crate::model::tenants::{RunsAs, acl_without, same_account, web_server};

/// Other pools named in one finding; the rest are counted.
const SHOWN: usize = 5;

declare_rule! {
    /// ## What it does
    /// Reports a pool whose socket another pool can open. For a unix socket: `listen.owner`
    /// naming another pool's account, `listen.group` being another pool's group (its `group`,
    /// else the group named like its user) with the group write bit in `listen.mode`, or
    /// `listen.acl_users`/`listen.acl_groups` listing another pool's account or group. For a
    /// TCP socket: any local account can connect, so every other pool can. The web server's
    /// account (nginx's `user`) is the socket's intended client and is not counted; pools that
    /// run as it are FPM-302's, a world-writable mode is FPM-106's. Without nginx.conf, the
    /// usual web server accounts are left out and the severity drops to high.
    ///
    /// ## Why is this bad?
    /// Whoever can write to a pool's socket speaks FastCGI to it and runs any script as that
    /// pool's user. It can also send `PHP_ADMIN_VALUE` to switch off `open_basedir` and
    /// `disable_functions` or load an extension. Code execution in one app becomes code
    /// execution as every app whose socket it can reach, and the per-pool users are worth
    /// nothing.
    ///
    /// ## How to fix
    /// Let only the web server in: `listen.owner` and `listen.group` set to the web server's
    /// account (`www-data`), `listen.mode = 0660`, and ACLs that list the web server only.
    /// Prefer unix sockets to TCP when several pools share the host.
    ///
    /// ## Example
    /// ```nginx context /etc/nginx/nginx.conf
    /// user www-data;
    /// events {}
    /// ```
    /// ```fpm-pool bad
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// listen.owner = www-data
    /// listen.group = blog
    /// [blog]
    /// user = blog
    /// listen = /run/php/blog.sock
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// [blog]
    /// user = blog
    /// listen = /run/php/blog.sock
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen.owner`, `listen.group`, `listen.mode`,
    ///   `listen.acl_users`
    /// - php-src#15499 (one pool's code talking FastCGI to another pool)
    TenantReachesSocket {
        id: "FPM-306",
        title: "Another tenant can reach a pool's socket",
        severity: Critical,
        fixable: true,
    }
}

impl Rule for TenantReachesSocket {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let web = web_server(cx.model);
        let unsure = if web.is_none() {
            " (nginx.conf was not given; its `user` would confirm that this is not the web server)"
        } else {
            ""
        };
        let tenancy = Tenancy::new(cx.sources, cx.model);
        for pool in &cx.model.fpm.pools {
            let (open, count) = tenancy.tcp_tenants(pool, SHOWN);
            if !open.is_empty()
                && let Some(listen) = pool.get("listen")
            {
                let mut names: Vec<String> = open.iter().map(|p| format!("[{}]", p.name)).collect();
                if count > names.len() {
                    names.push(format!("{} more", count - names.len()));
                }
                let message = format!(
                    "pool [{}] listens on TCP `{}`, which every local account can connect to, including the other pools {}: their code can run scripts as [{}]'s user",
                    pool.name,
                    listen.value,
                    names.join(", "),
                    pool.name
                );
                out.push(Self::meta_static().finding(listen.origin.file, listen.span(), message));
            }
            for Grant {
                by,
                tenants: reached,
            } in tenancy.grants(pool)
            {
                let mut who: Vec<String> = reached
                    .iter()
                    .take(SHOWN)
                    .filter_map(|p| {
                        let r = tenancy.account_of(p)?;
                        Some(format!("[{}] (`{}`:`{}`)", p.name, r.user, r.group))
                    })
                    .collect();
                if reached.len() > who.len() {
                    who.push(format!("{} more", reached.len() - who.len()));
                }
                let message = format!(
                    "`{} = {}` lets pool {} open pool [{}]'s socket: code execution there runs scripts as [{}]'s user and can reset its `open_basedir`{unsure}",
                    written_name(cx.sources, by),
                    by.value,
                    who.join(", "),
                    pool.name,
                    pool.name
                );
                let finding = Self::meta_static().finding(by.origin.file, by.span(), message);
                let finding = if web.is_none() {
                    finding.with_severity(Severity::High)
                } else {
                    finding
                };
                let reached: Vec<&RunsAs> = reached
                    .iter()
                    .filter_map(|p| tenancy.account_of(p))
                    .collect();
                let all = tenancy.accounts_besides(pool);
                out.push(match tighten(pool, by, &reached, &all, web.as_ref()) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                });
            }
        }
    }
}

/// Hands the socket back to the web server: the owner or group line names nginx's account,
/// or the ACL loses the other pools' entries. `None` when the web server is not known or its
/// account is itself another tenant's, where no single edit is right.
fn tighten(
    pool: &Section,
    by: &Setting,
    reached: &[&RunsAs],
    tenants: &[&RunsAs],
    web: Option<&(String, String)>,
) -> Option<Fix> {
    let is = |key: &str| pool.get(key).is_some_and(|s| std::ptr::eq(s, by));
    let value = if is("listen.acl_users") || is("listen.acl_groups") {
        let names: Vec<&str> = reached
            .iter()
            .map(|r| {
                if is("listen.acl_users") {
                    r.user.as_str()
                } else {
                    r.group.as_str()
                }
            })
            .collect();
        acl_without(&by.value, &names)?
    } else {
        let (user, group) = web?;
        let taken = |name: &str| {
            tenants
                .iter()
                .any(|t| same_account(&t.user, name) || same_account(&t.group, name))
        };
        let new = if is("listen.owner") { user } else { group };
        if taken(new) || taken(group) {
            return None;
        }
        new.clone()
    };
    Some(Fix {
        title: format!("only the web server may open [{}]'s socket", pool.name),
        // Another legitimate client of the socket (a monitoring agent in that group) loses it.
        safety: Safety::NeedsReview,
        edits: vec![Edit {
            file: by.origin.file,
            range: by.origin.value,
            replacement: value,
        }],
    })
}
