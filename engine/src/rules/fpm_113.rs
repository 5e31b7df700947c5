use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::fpm_values::written_name;
use crate::model::php_stack::{Layer, effective};

/// Security-relevant PHP settings an app may change itself (`PHP_INI_ALL`: `ini_set()`;
/// `PHP_INI_PERDIR`: `.user.ini`) unless the pool locks them with `php_admin_*`.
const OVERRIDABLE: [&str; 25] = [
    "assert.active",
    "auto_append_file",
    "auto_prepend_file",
    "display_errors",
    "display_startup_errors",
    "error_log",
    "error_reporting",
    "include_path",
    "log_errors",
    "mail.add_x_header",
    "mail.log",
    "max_execution_time",
    "max_input_time",
    "max_input_vars",
    "memory_limit",
    "open_basedir",
    "post_max_size",
    "session.cookie_httponly",
    "session.cookie_samesite",
    "session.cookie_secure",
    "session.save_path",
    "session.use_only_cookies",
    "session.use_strict_mode",
    "session.use_trans_sid",
    "upload_max_filesize",
];

declare_rule! {
    /// ## What it does
    /// Reports security settings a pool sets with `php_value`/`php_flag` when they can be
    /// changed by the application: `open_basedir`, `display_errors`, `error_log`,
    /// `include_path`, `session.save_path`, `auto_prepend_file`, `memory_limit`,
    /// `upload_max_filesize` and the other keys PHP marks `PHP_INI_ALL` or `PHP_INI_PERDIR`.
    /// System-only keys (`disable_functions`, `allow_url_include`) cannot be changed by the
    /// app either way and are not reported; a key the pool also sets with `php_admin_*` is
    /// locked already.
    ///
    /// ## Why is this bad?
    /// `php_value` only sets a default. Any script can call `ini_set()` on `PHP_INI_ALL` keys,
    /// and a `.user.ini` dropped in a writable directory changes `PHP_INI_PERDIR` ones (an
    /// `auto_prepend_file` backdoor that survives code updates). `php_admin_value` makes the
    /// key read-only for the app; the `ini_set('open_basedir', ...)` escape tricks, for
    /// instance, stop working.
    ///
    /// ## How to fix
    /// Write `php_admin_value[...]` instead of `php_value[...]` and `php_admin_flag[...]`
    /// instead of `php_flag[...]`, after checking the app does not change the key at runtime
    /// (some raise `memory_limit` or `max_execution_time` for one job).
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [shop]
    /// php_value[open_basedir] = /srv/shop/:/tmp/
    /// php_flag[display_errors] = off
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// php_admin_value[open_basedir] = /srv/shop/:/tmp/
    /// php_admin_flag[display_errors] = off
    /// php_value[date.timezone] = UTC
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_php.c`, `fpm_php_zend_ini_alter_master` (admin values become `PHP_INI_SYSTEM`)
    /// - PHP manual, "List of php.ini directives" (changeable modes)
    /// - PHP manual, ".user.ini files"
    SecurityKeyOverridable {
        id: "FPM-113",
        title: "Security setting set with php_value/php_flag (app can override)",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for SecurityKeyOverridable {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            for key in OVERRIDABLE {
                let Some(value) = effective(&cx.model.php_ini, Some(pool), key) else {
                    continue;
                };
                let (Layer::PoolValue, Some(setting)) = (value.layer, pool.array("php_value", key))
                else {
                    continue;
                };
                let name = written_name(cx.sources, setting);
                let admin = if name.ends_with("flag") {
                    "php_admin_flag"
                } else {
                    "php_admin_value"
                };
                let message = format!(
                    "pool [{}] sets `{key}` with {name}, so the app can change it (`ini_set()` or a `.user.ini`); use {admin} to lock it",
                    pool.name
                );
                let fix = Fix {
                    title: format!("write `{admin}[{key}]`"),
                    // The app may legitimately change the key at runtime.
                    safety: Safety::NeedsReview,
                    edits: vec![Edit {
                        file: setting.origin.file,
                        range: setting.key_range,
                        replacement: admin.to_string(),
                    }],
                };
                out.push(
                    Self::meta_static()
                        .finding(setting.origin.file, setting.span(), message)
                        .with_fix(fix),
                );
            }
        }
    }
}
