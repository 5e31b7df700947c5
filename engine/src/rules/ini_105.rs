use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

const KEY: &str = "allow_url_fopen";

declare_rule! {
    /// ## What it does
    /// Reports `allow_url_fopen` switched on in the value each pool runs with (PHP's default
    /// is on, and so are the upstream and Debian php.ini files). One finding per line that
    /// sets it, naming the pools concerned.
    ///
    /// ## Why is this bad?
    /// Every file function (`file_get_contents`, `fopen`, `copy`, `simplexml_load_file`...)
    /// then also fetches `http://` and `ftp://` URLs. A path an attacker controls turns into
    /// server-side request forgery against internal services and cloud metadata endpoints, and
    /// into a way to pull tools onto the host.
    ///
    /// ## How to fix
    /// Set `allow_url_fopen = Off` (php.ini, or `php_admin_flag[allow_url_fopen] = off` per
    /// pool) for applications that do not need it; fetch remote content with cURL or an HTTP
    /// client where URLs are checked explicitly. Check the app first: some use it on purpose.
    ///
    /// ## Example
    /// ```php-ini bad
    /// allow_url_fopen = On
    /// ```
    /// ```php-ini good
    /// allow_url_fopen = Off
    /// ```
    ///
    /// ## References
    /// - PHP manual, filesystem configuration: `allow_url_fopen`
    /// - Lynis test PHP-2376; iniscan and pcc check the same key
    AllowUrlFopen {
        id: "INI-105",
        title: "`allow_url_fopen` on",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for AllowUrlFopen {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, KEY, is_on) {
            let message = format!(
                "`allow_url_fopen` is on{} ({}): file functions also fetch URLs, so a path an attacker controls becomes a request to internal services",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            // Apps may read remote URLs with file_get_contents on purpose.
            out.push(
                match replace_value(&hit.setting, "Off", Safety::NeedsReview) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                },
            );
        }
    }
}
