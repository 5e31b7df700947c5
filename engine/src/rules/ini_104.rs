use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

const KEY: &str = "allow_url_include";

declare_rule! {
    /// ## What it does
    /// Reports `allow_url_include` switched on in the value each pool runs with (php.ini or a
    /// pool's `php_admin_value`; PHP's default is off). One finding per line that sets it.
    ///
    /// ## Why is this bad?
    /// `include`/`require` then accept URLs and stream wrappers such as `php://input` and
    /// `data://`. Any file-inclusion bug (`include $_GET['page']`) becomes remote code
    /// execution: the attacker sends the PHP code in the request body or hosts it on a server.
    /// The setting has been deprecated since PHP 7.4 because no sane application needs it.
    ///
    /// ## How to fix
    /// Set `allow_url_include = Off` in php.ini and remove any pool override. Fetch remote
    /// content with an HTTP client and never execute it.
    ///
    /// ## Example
    /// ```php-ini bad
    /// allow_url_include = On
    /// ```
    /// ```php-ini good
    /// allow_url_include = Off
    /// ```
    ///
    /// ## References
    /// - PHP manual, filesystem configuration: `allow_url_include`
    /// - PHP 7.4 deprecations: `allow_url_include`
    /// - Lynis test PHP-2378; iniscan and pcc check the same key
    AllowUrlInclude {
        id: "INI-104",
        title: "`allow_url_include` on",
        severity: Critical,
        fixable: true,
    }
}

impl Rule for AllowUrlInclude {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, KEY, is_on) {
            let message = format!(
                "`allow_url_include` is on{} ({}): a file-inclusion bug lets an attacker run PHP code sent in the request (`php://input`, `data://`) or hosted elsewhere",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            // An app could (wrongly) include a data:// or remote URL on purpose.
            out.push(
                match replace_value(&hit.setting, "Off", Safety::NeedsReview) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                },
            );
        }
    }
}
