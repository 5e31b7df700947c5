use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm_values::{seconds, text};

declare_rule! {
    /// ## What it does
    /// Reports pools that never write a slow log: no `slowlog` file, or a `slowlog` with
    /// `request_slowlog_timeout` unset or 0 (a timeout without a file is FPM-006's).
    ///
    /// ## Why is this bad?
    /// The slow log is the only place FPM records the PHP stack of a request that takes too
    /// long. Without it, a slow endpoint, a hanging remote call or a request crafted to burn
    /// CPU (a regular-expression or XML bomb) shows up only as exhausted workers, with no
    /// hint of which code ran.
    ///
    /// ## How to fix
    /// Add `slowlog = /var/log/php-fpm/$pool.slow.log` (the directory must exist) and
    /// `request_slowlog_timeout = 5s` (below `request_terminate_timeout`).
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// slowlog = /var/log/php-fpm/www.slow.log
    /// request_slowlog_timeout = 5s
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `slowlog`, `request_slowlog_timeout`
    /// - php-src `sapi/fpm/fpm/fpm_trace.c`
    NoSlowlog {
        id: "FPM-121",
        title: "No slowlog configured",
        severity: Low,
        fixable: false,
    }
}

impl Rule for NoSlowlog {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let name = &pool.name;
            let timeout = seconds(pool, "request_slowlog_timeout").map_or(0, |(t, _)| t);
            let (at, message) = match text(pool, "slowlog") {
                None if timeout > 0 => continue,
                None => (
                    pool.anchor(),
                    format!(
                        "pool [{name}] keeps no slow log, so long-running requests leave no stack trace; add `slowlog = /var/log/php-fpm/{name}.slow.log` and `request_slowlog_timeout = 5s` under [{name}]"
                    ),
                ),
                Some(_)
                    if timeout > 0
                        || pool.get("request_slowlog_timeout").is_some_and(|_| {
                            seconds(pool, "request_slowlog_timeout").is_none()
                        }) =>
                {
                    continue;
                }
                Some(log) => (
                    Some((log.origin.file, log.span())),
                    format!(
                        "pool [{name}] names a slow log but request_slowlog_timeout is 0, so nothing is ever written to it; add `request_slowlog_timeout = 5s` under [{name}]"
                    ),
                ),
            };
            if let Some((file, range)) = at {
                out.push(Self::meta_static().finding(file, range, message));
            }
        }
    }
}
