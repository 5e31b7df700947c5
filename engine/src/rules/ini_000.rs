use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::Parsed;
use crate::source::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports the first place in a php.ini file that PHP's INI parser rejects.
    ///
    /// ## Why is this bad?
    /// PHP stops reading a php.ini file at its first syntax error and only prints a startup
    /// warning. Every directive after that point is silently not applied, including hardening
    /// such as `disable_functions` or `open_basedir`.
    ///
    /// ## How to fix
    /// Use `;` for comments (`#` stopped being a comment in PHP 7.0) and quote values that
    /// contain special characters. Check with `php -n -c FILE --ini` or `php -n -c FILE -r ''`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// # harden (see ticket)
    /// disable_functions = exec,system
    /// ```
    /// ```php-ini good
    /// ; harden (see ticket)
    /// disable_functions = exec,system
    /// ```
    ///
    /// ## References
    /// - php-src `Zend/zend_ini_parser.y`
    /// - PHP 7.0 migration guide: `#` comments in INI files removed
    IniSyntax {
        id: "INI-000",
        title: "php.ini cannot be parsed",
        severity: High,
        fixable: false,
    }
}

impl Rule for IniSyntax {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let is_ini = cx
                .sources
                .get(*file)
                .is_some_and(|f| f.kind == FileKind::PhpIni);
            let Parsed::Ini(doc) = parsed else { continue };
            if !is_ini {
                continue;
            }
            for error in &doc.errors {
                out.push(Self::meta_static().finding(
                    *file,
                    error.range,
                    format!("{}; PHP ignores the rest of this file", error.message),
                ));
            }
        }
    }
}
