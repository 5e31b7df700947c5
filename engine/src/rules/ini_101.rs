use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

const KEY: &str = "expose_php";

declare_rule! {
    /// ## What it does
    /// Reports `expose_php` switched on in the value each pool really runs with (php.ini, the
    /// pool's `php_value`/`php_admin_value`, or PHP's default, which is on). One finding per
    /// line that sets it, naming the pools concerned.
    ///
    /// ## Why is this bad?
    /// Every PHP response then carries an `X-Powered-By: PHP/8.2.x` header. It tells an
    /// attacker the exact version to match against known vulnerabilities, for free, on every
    /// request. It protects nothing to leave it on.
    ///
    /// ## How to fix
    /// Set `expose_php = Off` in php.ini (it is a system setting, so a pool can also use
    /// `php_admin_flag[expose_php] = off`). Debian's packaged php.ini already has it off; the
    /// upstream `php.ini-production` still has it on.
    ///
    /// ## Example
    /// ```php-ini bad
    /// [PHP]
    /// expose_php = On
    /// ```
    /// ```php-ini good
    /// [PHP]
    /// expose_php = Off
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `expose_php`
    /// - Lynis test PHP-2372; iniscan and pcc check the same key
    ExposePhp {
        id: "INI-101",
        title: "expose_php on",
        severity: Low,
        fixable: true,
    }
}

impl Rule for ExposePhp {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, KEY, is_on) {
            let message = format!(
                "`expose_php` is on{} ({}): every PHP response announces the PHP version in `X-Powered-By`",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            out.push(match replace_value(&hit.setting, "Off", Safety::Safe) {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
