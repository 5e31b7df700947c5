use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm_values::{int, place, seconds, text};

declare_rule! {
    /// ## What it does
    /// Reports pools whose slow-request logging php-fpm refuses: `request_slowlog_timeout` (or
    /// `request_slowlog_trace_depth`) set without a `slowlog` file, or a slowlog timeout longer
    /// than `request_terminate_timeout`.
    ///
    /// ## Why is this bad?
    /// php-fpm checks these after reading its files and does not start when one fails, which
    /// takes every pool of the master down. A slowlog timeout above the terminate timeout
    /// could never fire: the request is killed before it is logged as slow.
    ///
    /// ## How to fix
    /// Add `slowlog = /var/log/php-fpm/$pool.slow.log` (the directory must exist) next to the
    /// timeout, and keep `request_slowlog_timeout` below `request_terminate_timeout`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// request_slowlog_timeout = 5s
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// slowlog = /var/log/php-fpm/www.slow.log
    /// request_slowlog_timeout = 5s
    /// request_terminate_timeout = 60s
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_process_all_pools` (slowlog checks)
    /// - PHP manual, FPM configuration: `slowlog`, `request_slowlog_timeout`
    SlowlogInconsistent {
        id: "FPM-006",
        title: "Slowlog timeout without slowlog file, or above the terminate timeout",
        severity: High,
        fixable: false,
    }
}

impl Rule for SlowlogInconsistent {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let meta = Self::meta_static();
        for pool in &cx.model.fpm.pools {
            let name = &pool.name;
            let has_slowlog = text(pool, "slowlog").is_some();
            let add = format!("add `slowlog = /var/log/php-fpm/{name}.slow.log` under [{name}]");
            if let Some((timeout, at)) = seconds(pool, "request_slowlog_timeout")
                && timeout > 0
            {
                if !has_slowlog {
                    out.push(meta.finding(at.origin.file, at.span(), format!("pool [{name}] sets request_slowlog_timeout = {} but no `slowlog` file: php-fpm refuses to start; {add}", at.value)));
                } else if let Some((terminate, t_at)) = seconds(pool, "request_terminate_timeout")
                    && terminate > 0
                    && timeout > terminate
                {
                    let where_ = place(
                        cx.sources,
                        at.origin.file,
                        t_at.origin.file,
                        t_at.key_range.start,
                    );
                    let message = format!(
                        "pool [{name}]: request_slowlog_timeout ({timeout}s) is above request_terminate_timeout ({terminate}s, {where_}): php-fpm refuses to start; lower it below {terminate}s"
                    );
                    out.push(
                        meta.finding(at.origin.file, at.span(), message)
                            .with_related(t_at.origin.file, t_at.span(), "the terminate timeout"),
                    );
                }
            }
            if !has_slowlog
                && let Some((depth, at)) = int(pool, "request_slowlog_trace_depth")
                && depth != 0
            {
                out.push(meta.finding(at.origin.file, at.span(), format!("pool [{name}] sets request_slowlog_trace_depth but no `slowlog` file: php-fpm refuses to start; {add}")));
            }
        }
    }
}
