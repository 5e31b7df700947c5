use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::fpm_values::{int, set_directive};

declare_rule! {
    /// ## What it does
    /// Reports pools whose workers are never recycled: `pm.max_requests` unset or 0.
    ///
    /// ## Why is this bad?
    /// A worker then lives until FPM restarts. Memory leaked by the app or an extension
    /// accumulates, and so does state left behind by a request (static caches, changed INI
    /// values, open handles), which makes bugs depend on which worker answers. Recycling
    /// after a few hundred requests bounds both at almost no cost.
    ///
    /// ## How to fix
    /// `pm.max_requests = 500` (any value in the hundreds or thousands works).
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// pm.max_requests = 0
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// pm.max_requests = 500
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `pm.max_requests`
    /// - php-src `sapi/fpm/www.conf.in` ("useful to work around memory leaks in 3rd party libraries")
    NoWorkerRecycling {
        id: "FPM-119",
        title: "pm.max_requests = 0 (no recycling)",
        severity: Info,
        fixable: true,
    }
}

impl Rule for NoWorkerRecycling {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let at = match (pool.get("pm.max_requests"), int(pool, "pm.max_requests")) {
                (None, _) => pool.anchor(),
                (Some(s), Some((0, _))) => Some((s.origin.file, s.span())),
                _ => None,
            };
            let Some((file, range)) = at else {
                continue;
            };
            let message = format!(
                "workers of pool [{}] are never recycled, so leaks and leftover state build up until FPM restarts; add `pm.max_requests = 500` under [{}]",
                pool.name, pool.name
            );
            let mut finding = Self::meta_static().finding(file, range, message);
            // Replacing a worker between requests changes no request's behaviour.
            if let Some(fix) =
                set_directive(cx.sources, pool, "pm.max_requests", "500", Safety::Safe)
            {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
