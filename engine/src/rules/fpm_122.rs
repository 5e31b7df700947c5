use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::fpm_values::{boolean, set_directive, written};

declare_rule! {
    /// ## What it does
    /// Reports pools that throw their workers' output away (`catch_workers_output` unset or
    /// `no`), and a master `log_level` of `alert` or `error`, which drops the warnings FPM
    /// writes when a worker crashes.
    ///
    /// ## Why is this bad?
    /// Without `catch_workers_output`, FPM points each worker's stdout and stderr at
    /// `/dev/null`: apps that log to `php://stderr` (the container convention) log nothing, and
    /// the last words of a crashing worker (`zend_mm_heap corrupted`, an extension's abort
    /// message) are lost. With `log_level = error`, even "child exited on signal 11" is not
    /// recorded, so segfaults caused by an exploit attempt go unnoticed.
    ///
    /// ## How to fix
    /// `catch_workers_output = yes` in each pool (keep `decorate_workers_output = yes` so
    /// lines stay attributed to their pool), and `log_level = notice` (the default) or
    /// `warning` in `[global]`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// catch_workers_output = yes
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `catch_workers_output`, `log_level`
    /// - php-src `sapi/fpm/fpm/fpm_stdio.c`, `fpm_children.c` ("exited on signal")
    WorkerOutputLost {
        id: "FPM-122",
        title: "Worker output and crashes not captured",
        severity: Info,
        fixable: true,
    }
}

impl Rule for WorkerOutputLost {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let meta = Self::meta_static();
        for pool in &cx.model.fpm.pools {
            let at = match (
                pool.get("catch_workers_output"),
                boolean(pool, "catch_workers_output"),
            ) {
                (None, _) => pool.anchor(),
                (Some(s), Some((false, _))) => Some((s.origin.file, s.span())),
                _ => None,
            };
            let Some((file, range)) = at else {
                continue;
            };
            let message = format!(
                "stdout and stderr of pool [{}]'s workers go to /dev/null: logging to php://stderr and crash messages are lost; add `catch_workers_output = yes` under [{}]",
                pool.name, pool.name
            );
            let mut finding = meta.finding(file, range, message);
            // More goes to the master's log, which may then hold data the app prints.
            if let Some(fix) = set_directive(
                cx.sources,
                pool,
                "catch_workers_output",
                "yes",
                Safety::NeedsReview,
            ) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
        if let Some(level) = cx.model.fpm.global.get("log_level")
            && matches!(level.value.to_ascii_lowercase().as_str(), "alert" | "error")
        {
            let message = format!(
                "`log_level = {}` keeps FPM from logging warnings such as \"child exited on signal 11\": crashing workers go unnoticed; use `log_level = notice`",
                written(cx.sources, level)
            );
            let mut finding = meta.finding(level.origin.file, level.span(), message);
            if let Some(fix) = set_directive(
                cx.sources,
                &cx.model.fpm.global,
                "log_level",
                "notice",
                Safety::Safe,
            ) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
