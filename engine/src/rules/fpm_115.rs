use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::fpm_directives::atoi;
use crate::model::fpm_values::{seconds, set_directive};
use crate::model::php_stack::effective;

declare_rule! {
    /// ## What it does
    /// Reports pools without a hard request timeout: `request_terminate_timeout` unset or 0.
    ///
    /// ## Why is this bad?
    /// PHP's `max_execution_time` counts CPU time on Linux; a request waiting on a slow
    /// database, a remote API or `sleep()` is not stopped by it. Without a terminate timeout
    /// such requests hold their worker forever, and a handful of slow URLs is enough to
    /// exhaust `pm.max_children` and take the site down.
    ///
    /// ## How to fix
    /// Set `request_terminate_timeout` a little above the app's `max_execution_time`, e.g.
    /// `request_terminate_timeout = 60s`, and raise it per pool for long jobs.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// request_terminate_timeout = 60s
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `request_terminate_timeout`
    /// - PHP manual, `set_time_limit` (time spent outside the script is not counted)
    NoRequestTimeout {
        id: "FPM-115",
        title: "No request_terminate_timeout",
        severity: Low,
        fixable: true,
    }
}

impl Rule for NoRequestTimeout {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let at = match (
                pool.get("request_terminate_timeout"),
                seconds(pool, "request_terminate_timeout"),
            ) {
                (None, _) => pool.anchor(),
                (Some(s), Some((0, _))) => Some((s.origin.file, s.span())),
                // Set to a real timeout, or not a time at all (FPM-001).
                (Some(_), _) => None,
            };
            let Some((file, range)) = at else {
                continue;
            };
            let max_execution = effective(&cx.model.php_ini, Some(pool), "max_execution_time")
                .map_or(30, |s| atoi(&s.value));
            let want = if max_execution > 0 {
                (max_execution + 30).max(60)
            } else {
                60
            };
            // FPM refuses a slowlog timeout above the terminate timeout, so the new limit
            // must leave room for the slowlog the pool already has.
            let slowlog = seconds(pool, "request_slowlog_timeout").map_or(0, |(s, _)| s);
            let want = want.max(slowlog.saturating_add(30));
            let value = format!("{want}s");
            let message = format!(
                "pool [{}] has no hard request timeout: requests stuck on I/O or external calls hold their worker forever; add `request_terminate_timeout = {value}` under [{}] (above max_execution_time)",
                pool.name, pool.name
            );
            let mut finding = Self::meta_static().finding(file, range, message);
            // A timeout can cut off a legitimate long request.
            if let Some(fix) = set_directive(
                cx.sources,
                pool,
                "request_terminate_timeout",
                &value,
                Safety::NeedsReview,
            ) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
