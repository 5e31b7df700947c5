use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::php_stack::effective;
use crate::model::php_values::{host_dir, origin_span};
use crate::source::FileId;
use crate::text::TextRange;

/// Directory names that hold what a web server serves, used only when no nginx file is given.
const WEB_DIR_NAMES: [&str; 5] = ["public", "public_html", "htdocs", "html", "wwwroot"];

/// A log line: where, what (`access.log` to `path`), why it is served, and the pools.
type Hit = ((FileId, TextRange), String, String, Vec<String>);

declare_rule! {
    /// ## What it does
    /// Reports a pool log file inside a directory nginx serves: FPM's `access.log` and
    /// `slowlog`, and PHP's `error_log` as the pool runs with it (from the pool or php.ini,
    /// under the pool's `chroot`). The web roots are every `root` and `alias` of the nginx
    /// files given, whichever pool their sites use. Without any nginx file, a log under a
    /// directory named like a web root (`public`, `public_html`, `htdocs`, `html`, `wwwroot`)
    /// is reported at medium severity, saying that the site files would settle it.
    ///
    /// ## Why is this bad?
    /// Anyone can then download the log: the error log shows file paths, SQL fragments and
    /// stack traces, the access and slow logs list request URIs with their query strings
    /// (tokens, reset links) and the code paths behind them. An attacker learns where to aim,
    /// and often finds secrets outright. A log PHP writes into a served directory can also be
    /// poisoned with PHP code, and where that directory reaches the PHP handler the log runs.
    ///
    /// ## How to fix
    /// Write logs outside every web root: `access.log = /var/log/php-fpm/$pool.access.log`,
    /// `slowlog = /var/log/php-fpm/$pool.slow.log`,
    /// `php_admin_value[error_log] = /var/log/php-fpm/$pool.error.log`.
    ///
    /// ## Example
    /// ```nginx context /etc/nginx/sites-enabled/shop
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop/public;
    /// }
    /// ```
    /// ```fpm-pool bad
    /// [shop]
    /// user = shop
    /// access.log = /srv/shop/public/logs/access.log
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// user = shop
    /// access.log = /var/log/php-fpm/shop.access.log
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `access.log`, `slowlog`; runtime configuration:
    ///   `error_log`
    /// - pcc (sektioneins/pcc) `test_log_in_document_root`
    LogInWebRoot {
        id: "FPM-120",
        title: "Log files inside a web root",
        severity: High,
        fixable: false,
    }
}

impl Rule for LogInWebRoot {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let roots = cx.model.nginx.web_roots();
        let given = !cx.model.nginx.servers.is_empty();
        // One finding per line, naming every pool that writes there.
        let mut hits: Vec<Hit> = Vec::new();
        for pool in &cx.model.fpm.pools {
            let mut logs = Vec::new();
            for key in ["access.log", "slowlog"] {
                // The master opens these before any chroot, relative to its prefix.
                if let Some(s) = pool.get(key).filter(|s| s.value.trim().starts_with('/')) {
                    logs.push((key, s.value.trim().to_string(), (s.origin.file, s.span())));
                }
            }
            if let Some(s) = effective(&cx.model.php_ini, Some(pool), "error_log")
                && let Some(origin) = s.origin
                && s.value.trim().starts_with('/')
            {
                let path = host_dir(pool, &s.value);
                logs.push(("error_log", path, (origin.file, origin_span(origin))));
            }
            for (key, path, place) in logs {
                let inside = roots
                    .iter()
                    .find(|r| path.starts_with(&format!("{}/", r.path.trim_end_matches('/'))));
                let why = match inside {
                    Some(root) => format!(
                        "is inside `{}`, the {} of {}, so anyone can download it",
                        root.path, root.directive, root.site
                    ),
                    None if !given && under_web_dir(&path) => "looks like a web root; nginx's site files were not given (their `root` lines would settle whether it is served)".to_string(),
                    None => continue,
                };
                match hits.iter_mut().find(|(p, _, _, _)| *p == place) {
                    Some((_, _, _, pools)) => pools.push(pool.name.clone()),
                    None => hits.push((
                        place,
                        format!("`{key}` `{path}`"),
                        why,
                        vec![pool.name.clone()],
                    )),
                }
            }
        }
        for ((file, range), what, why, pools) in hits {
            let who = match pools.as_slice() {
                [one] => format!("pool [{one}] writes its"),
                _ => format!("pools [{}] write their", pools.join("], [")),
            };
            let message = format!(
                "{who} {what}, which {why}: its paths, queries and errors show an attacker where to aim"
            );
            let finding = Self::meta_static().finding(file, range, message);
            out.push(if given {
                finding
            } else {
                finding.with_severity(Severity::Medium)
            });
        }
    }
}

fn under_web_dir(path: &str) -> bool {
    let mut segments: Vec<&str> = path.split('/').collect();
    segments.pop();
    segments.iter().any(|s| WEB_DIR_NAMES.contains(s))
}
