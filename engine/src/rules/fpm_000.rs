use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::Parsed;

declare_rule! {
    /// ## What it does
    /// Reports lines of a PHP-FPM file that the INI scanner cannot read: an unterminated quote,
    /// a `=` or `!` inside an unquoted value, a stray character before the key.
    ///
    /// ## Why is this bad?
    /// FPM parses its configuration line by line and refuses to start on any line it cannot
    /// scan. A reload with such a file leaves the old master running, or no master at all after
    /// a restart. A quoted value can never continue on the next line in an FPM file.
    ///
    /// ## How to fix
    /// Quote values that contain `;`, `=`, `!`, `&`, `|`, `^`, `~` or parentheses with double
    /// quotes, and keep every value on one line. Check with `php-fpm -t` before reloading.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// env[TOKEN] = p@ss!=1
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// env[TOKEN] = "p@ss!=1"
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_load_ini_file`
    /// - php-src `Zend/zend_ini_scanner.l`
    FpmSyntax {
        id: "FPM-000",
        title: "FPM file cannot be parsed",
        severity: High,
        fixable: false,
    }
}

impl Rule for FpmSyntax {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let is_fpm = cx.sources.get(*file).is_some_and(|f| f.kind.is_fpm());
            let Parsed::Ini(doc) = parsed else { continue };
            if !is_fpm {
                continue;
            }
            for error in &doc.errors {
                out.push(Self::meta_static().finding(
                    *file,
                    error.range,
                    format!("{}; php-fpm refuses to start with this line", error.message),
                ));
            }
        }
    }
}
