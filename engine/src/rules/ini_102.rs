use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::php_stack::{effective, is_on};
use crate::model::php_values::{for_pools, hits, replace_value};

declare_rule! {
    /// ## What it does
    /// Reports `display_errors` set to show errors in the response (`On`, `1`, `stdout`; PHP's
    /// default is on), per pool. `display_startup_errors` is reported too (at low severity) for
    /// the pools that also display errors: PHP only shows startup errors when `display_errors`
    /// is on, so it is harmless alone. `display_errors = stderr` is not reported: under FPM it
    /// goes to the web server's error log, not to the client.
    ///
    /// ## Why is this bad?
    /// Warnings and uncaught exceptions then land in the page: file system paths, SQL
    /// fragments, parts of the code and sometimes credentials from a failed connection string.
    /// Attackers provoke errors on purpose to map an application.
    ///
    /// ## How to fix
    /// Set `display_errors = Off` and `display_startup_errors = Off` in php.ini, keep
    /// `log_errors = On`, and read errors from the log. Prefer `php_admin_flag` in pools: with
    /// `php_flag`, the app can switch display back on with `ini_set()`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// display_errors = On
    /// ```
    /// ```php-ini good
    /// display_errors = Off
    /// display_startup_errors = Off
    /// ```
    ///
    /// ## References
    /// - PHP manual, error handling configuration: `display_errors`, `display_startup_errors`
    /// - php-src `main/main.c` (`php_get_display_errors_mode`, `php_error_cb`)
    ErrorsDisplayed {
        id: "INI-102",
        title: "Errors displayed",
        severity: Medium,
        fixable: true,
    }
}

/// PHP's reading of `display_errors`: on/yes/true/stdout and integers other than 0 and 2 show
/// errors in the output; `stderr` (or 2) sends them to the SAPI's error stream.
fn displayed(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    match v.as_str() {
        "stderr" => false,
        "stdout" => true,
        _ => is_on(&v) && v.parse::<i64>().ok() != Some(2),
    }
}

impl Rule for ErrorsDisplayed {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, "display_errors", displayed) {
            let message = format!(
                "`display_errors` is on{} ({}): warnings and uncaught exceptions, with paths and query fragments, are sent to the client",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            out.push(match replace_value(&hit.setting, "Off", Safety::Safe) {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
        let ini = &cx.model.php_ini;
        let pools = &cx.model.fpm.pools;
        let shows =
            |pool| effective(ini, pool, "display_errors").is_some_and(|s| displayed(&s.value));
        for mut hit in hits(cx.sources, cx.model, "display_startup_errors", is_on) {
            // Startup errors are only displayed where display_errors is on as well.
            if pools.is_empty() {
                if !shows(None) {
                    continue;
                }
            } else {
                hit.place.pools.retain(|p| shows(Some(p)));
                if hit.place.pools.is_empty() {
                    continue;
                }
            }
            let message = format!(
                "`display_startup_errors` is on{} ({}), together with display_errors: errors raised while a request starts (oversized POST, failed uploads) are shown to the client",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static()
                .finding(hit.place.file, hit.place.range, message)
                .with_severity(Severity::Low);
            out.push(match replace_value(&hit.setting, "Off", Safety::Safe) {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
