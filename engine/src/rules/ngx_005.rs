use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fastcgi::{backends, describe, server_label};
use crate::model::nginx::Setting;

declare_rule! {
    /// ## What it does
    /// Reports a `fastcgi_param PHP_VALUE` or `PHP_ADMIN_VALUE` line sent to a FastCGI backend
    /// that other server blocks use too, when some of those servers do not send the same
    /// value. The severity is raised to High when the value sets an isolation setting
    /// (`open_basedir`, `disable_functions`, `session.save_path`, temp and upload directories).
    ///
    /// ## Why is this bad?
    /// FPM applies these values to the worker process and they stay there after the request:
    /// the next request that worker takes, possibly for another server block's app, runs with
    /// them. An `open_basedir` meant to confine one app then confines (and breaks) another at
    /// random, and the first app's own requests sometimes run without it, so after a
    /// compromise the confinement cannot be relied on. Several projects have hit this in
    /// production (Leantime, Kimai, centminmod).
    ///
    /// ## How to fix
    /// Give the app its own pool and set the value there (`php_admin_value[open_basedir] =
    /// /srv/shop/:/tmp/`). If the pool must stay shared, send the parameter with an explicit
    /// value from every server that uses the backend.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop;
    ///     location ~ \.php$ {
    ///         fastcgi_param PHP_ADMIN_VALUE "open_basedir=/srv/shop/:/tmp/";
    ///         fastcgi_pass unix:/run/php/www.sock;
    ///     }
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
    ///     location ~ \.php$ {
    ///         fastcgi_param PHP_ADMIN_VALUE "open_basedir=/srv/shop/:/tmp/";
    ///         fastcgi_pass unix:/run/php/shop.sock;
    ///     }
    /// }
    /// server {
    ///     server_name blog.example;
    ///     root /srv/blog;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/blog.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - Leantime/leantime#432, kimai/kimai#3213, centminmod/centminmod#53 (values leaking between sites)
    /// - digitalocean/nginxconfig.io#108 (`PHP_ADMIN_VALUE open_basedir` on a shared pool)
    /// - PHP manual, FPM configuration: `PHP_VALUE` and `PHP_ADMIN_VALUE`
    StickyIniOnSharedPool {
        id: "NGX-005",
        title: "PHP_VALUE / PHP_ADMIN_VALUE on a shared pool sticks to other apps",
        severity: Medium,
        fixable: false,
    }
}

const ISOLATION_KEYS: [&str; 7] = [
    "open_basedir",
    "disable_functions",
    "disable_classes",
    "session.save_path",
    "upload_tmp_dir",
    "sys_temp_dir",
    "auto_prepend_file",
];

fn ini_params(params: &[Setting]) -> impl Iterator<Item = &Setting> {
    params
        .iter()
        .filter(|s| matches!(s.arg(0), Some("PHP_VALUE" | "PHP_ADMIN_VALUE")))
}

/// The php.ini keys a `PHP_VALUE` line sets (one `key=value` per line).
fn keys(value: &str) -> Vec<String> {
    value
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

impl Rule for StickyIniOnSharedPool {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        for group in backends(nginx) {
            if group.servers().len() < 2 {
                continue;
            }
            for used in &group.uses {
                let Some(location) = nginx.location(used.location) else {
                    continue;
                };
                for param in ini_params(&location.fastcgi_params.settings) {
                    let sends_same = |other: usize| {
                        nginx.location(other).is_some_and(|l| {
                            ini_params(&l.fastcgi_params.settings)
                                .any(|p| p.arg(0) == param.arg(0) && p.arg(1) == param.arg(1))
                        })
                    };
                    let mut others: Vec<String> = group
                        .uses
                        .iter()
                        .filter(|u| u.server != used.server && !sends_same(u.location))
                        .map(|u| format!("`{}`", server_label(nginx, u.server)))
                        .collect();
                    others.dedup();
                    if others.is_empty() || !seen.insert((param.file, param.range)) {
                        continue;
                    }
                    let value = param.arg(1).unwrap_or_default();
                    let isolation: Vec<String> = keys(value)
                        .into_iter()
                        .filter(|k| ISOLATION_KEYS.contains(&k.as_str()))
                        .collect();
                    let message = format!(
                        "`fastcgi_param {}` of `{}` goes to {}, which also serves {} without it: FPM workers keep the value, so other apps' requests run with it and this app's requests sometimes without it",
                        param.arg(0).unwrap_or_default(),
                        server_label(nginx, used.server),
                        describe(&used.backend.endpoint),
                        others.join(", ")
                    );
                    let finding = Self::meta_static().finding(param.file, param.head(), message);
                    out.push(if isolation.is_empty() {
                        finding
                    } else {
                        finding.with_severity(Severity::High)
                    });
                }
            }
        }
    }
}
