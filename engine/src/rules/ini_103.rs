use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

const KEY: &str = "log_errors";

declare_rule! {
    /// ## What it does
    /// Reports `log_errors` switched off in the value each pool runs with (PHP's default is
    /// on). One finding per line that switches it off, naming the pools concerned. An
    /// `error_log` file inside a web root is FPM-120's finding, which compares it with the
    /// nginx roots.
    ///
    /// ## Why is this bad?
    /// Without the error log, failed attacks (probing for includes, broken deserialisation,
    /// type juggling attempts) leave no trace, and neither do the warnings that precede a
    /// successful one. Incident response then starts blind.
    ///
    /// ## How to fix
    /// Set `log_errors = On` in php.ini and send errors to a file outside every web root
    /// (`error_log = /var/log/php/error.log`) or leave `error_log` empty so FPM writes them to
    /// its own log. Use `php_admin_flag[log_errors] = on` in pools so apps cannot turn it off.
    ///
    /// ## Example
    /// ```php-ini bad
    /// log_errors = Off
    /// ```
    /// ```php-ini good
    /// log_errors = On
    /// ```
    ///
    /// ## References
    /// - PHP manual, error handling configuration: `log_errors`, `error_log`
    /// - pcc (sektioneins/pcc) checks `log_errors` and log files in the document root
    ErrorsNotLogged {
        id: "INI-103",
        title: "Errors not logged, or logged inside a web root",
        severity: Low,
        fixable: true,
    }
}

impl Rule for ErrorsNotLogged {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        // The other half of the title, `error_log` inside a web root, is reported by FPM-120
        // (with FPM's own logs), so one log line is not reported twice.
        for hit in hits(cx.sources, cx.model, KEY, |v| !is_on(v)) {
            let message = format!(
                "`log_errors` is off{} ({}): PHP errors and warnings, including those caused by attacks, are not recorded anywhere",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            out.push(match replace_value(&hit.setting, "On", Safety::Safe) {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
