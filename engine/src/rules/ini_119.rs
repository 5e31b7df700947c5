use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

const KEY: &str = "ffi.enable";

declare_rule! {
    /// ## What it does
    /// Reports `ffi.enable` switched on (`1`, `On`, `true`) in the value each pool runs with.
    /// PHP's default, `preload`, only allows FFI in code loaded by `opcache.preload` and is not
    /// reported.
    ///
    /// ## Why is this bad?
    /// FFI lets PHP code call any C function of any shared library and write raw memory.
    /// `disable_functions`, `open_basedir` and every other PHP-level restriction stop meaning
    /// anything: `FFI::cdef("int system(const char *);")->system("id")` runs a command even
    /// when `system` and `exec` are disabled.
    ///
    /// ## How to fix
    /// Leave `ffi.enable = preload` (or set `0`) in php.ini. Applications that need FFI should
    /// declare their bindings in a preload script.
    ///
    /// ## Example
    /// ```php-ini bad
    /// ffi.enable = On
    /// ```
    /// ```php-ini good
    /// ffi.enable = preload
    /// ```
    ///
    /// ## References
    /// - PHP manual, FFI configuration: `ffi.enable`, `ffi.preload`
    /// - pcc (sektioneins/pcc) rates it high (its result is lost to a missing `break`)
    FfiEnabled {
        id: "INI-119",
        title: "FFI enabled",
        severity: High,
        fixable: true,
    }
}

impl Rule for FfiEnabled {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let enabled = |v: &str| !v.trim().eq_ignore_ascii_case("preload") && is_on(v);
        for hit in hits(cx.sources, cx.model, KEY, enabled) {
            let message = format!(
                "`ffi.enable` is `{}`{} ({}): any script can call C functions directly, which bypasses disable_functions and open_basedir",
                hit.setting.value,
                for_pools(&hit.place.pools),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            // An app may use FFI outside preload on purpose.
            out.push(
                match replace_value(&hit.setting, "preload", Safety::NeedsReview) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                },
            );
        }
    }
}
