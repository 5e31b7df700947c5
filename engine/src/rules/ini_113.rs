use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::fpm::Section;
use crate::model::php_values::{for_pools, hits, quantity, replace_value};

declare_rule! {
    /// ## What it does
    /// Reports PHP limits switched off in the value each pool runs with:
    /// `memory_limit = -1` (high), `max_execution_time = 0` (medium; low for pools whose
    /// `request_terminate_timeout` still ends runaway requests), and `post_max_size = 0`, which
    /// means no limit on request bodies (medium). Large but finite values are left alone: they
    /// are sizing choices, not missing limits.
    ///
    /// ## Why is this bad?
    /// One request that loops or allocates without bound then holds a worker and the host's
    /// memory until the OOM killer or an operator stops it; a few such requests exhaust the
    /// pool (`pm.max_children`) and take every site on it down. Unlimited request bodies let a
    /// client fill memory and disk with a single upload.
    ///
    /// ## How to fix
    /// Keep `memory_limit` at what the app needs (`256M`), `max_execution_time` at a bound
    /// (`30`) and `post_max_size` finite (`8M`, or the app's largest upload). Raise them for one
    /// pool with `php_admin_value` rather than globally, and set `request_terminate_timeout`
    /// in every pool as a wall-clock backstop (`max_execution_time` counts CPU time only).
    ///
    /// ## Example
    /// ```php-ini bad
    /// memory_limit = -1
    /// ```
    /// ```php-ini good
    /// memory_limit = 256M
    /// max_execution_time = 30
    /// post_max_size = 8M
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `memory_limit`, `max_execution_time`, `post_max_size`
    /// - FPM configuration: `request_terminate_timeout`
    UnboundedLimits {
        id: "INI-113",
        title: "Resource limits unbounded",
        severity: Medium,
        fixable: true,
    }
}

/// Whether FPM kills the pool's requests after a while (`request_terminate_timeout` > 0).
fn terminates(pool: &Section) -> bool {
    pool.get("request_terminate_timeout").is_some_and(|s| {
        let digits = s.value.trim().trim_end_matches(['s', 'm', 'h', 'd']);
        digits.parse::<i64>().is_ok_and(|n| n > 0)
    })
}

impl Rule for UnboundedLimits {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let meta = Self::meta_static();
        // Any negative quantity is read as "no limit".
        for hit in hits(cx.sources, cx.model, "memory_limit", |v| {
            quantity(v).is_some_and(|n| n < 0)
        }) {
            let message = format!(
                "`memory_limit` is `{}`{} ({}): one request can take all of the host's memory",
                hit.setting.value,
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = meta
                .finding(hit.place.file, hit.place.range, message)
                .with_severity(Severity::High);
            push(
                out,
                finding,
                replace_value(&hit.setting, "256M", Safety::NeedsReview),
            );
        }
        let unlimited = |v: &str| v.trim().parse::<i64>().is_ok_and(|n| n <= 0);
        for hit in hits(cx.sources, cx.model, "max_execution_time", unlimited) {
            let backstop =
                !hit.place.pools.is_empty() && hit.place.pools.iter().all(|p| terminates(p));
            let mut message = format!(
                "`max_execution_time` is `{}`{} ({}): a script may run forever and hold its worker",
                hit.setting.value,
                for_pools(&hit.place.pools),
                hit.provenance
            );
            if backstop {
                message.push_str("; request_terminate_timeout still stops it");
            }
            let finding = meta.finding(hit.place.file, hit.place.range, message);
            let finding = if backstop {
                finding.with_severity(Severity::Low)
            } else {
                finding
            };
            push(
                out,
                finding,
                replace_value(&hit.setting, "30", Safety::NeedsReview),
            );
        }
        for hit in hits(cx.sources, cx.model, "post_max_size", |v| {
            quantity(v) == Some(0)
        }) {
            let message = format!(
                "`post_max_size` is `{}`{} ({}), which means no limit: one request body can fill memory and the upload directory",
                hit.setting.value,
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = meta.finding(hit.place.file, hit.place.range, message);
            push(
                out,
                finding,
                replace_value(&hit.setting, "8M", Safety::NeedsReview),
            );
        }
    }
}

fn push(out: &mut Vec<Finding>, finding: Finding, fix: Option<crate::diagnostic::Fix>) {
    out.push(match fix {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    });
}
