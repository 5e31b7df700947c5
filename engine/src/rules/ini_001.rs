use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::php_values::{is_security_key, php_ini_docs};
use crate::syntax::ini::StatementKind;

declare_rule! {
    /// ## What it does
    /// Reports the consequence of a php.ini syntax error: PHP stops reading the file there, so
    /// every directive after it is not applied. The finding sits on the error (INI-000 reports
    /// the error itself) and says how many directives are lost and which of them are security
    /// settings (`disable_functions`, `open_basedir`, `allow_url_include`, `session.*`...).
    /// Files of the scan directory are read separately, so an error only costs the rest of its
    /// own file. Nothing is reported when no directive follows the error, and the severity
    /// drops to medium when none of the lost directives is a security setting.
    ///
    /// ## Why is this bad?
    /// PHP only prints a startup warning that nobody reads, then runs with its built-in
    /// defaults for everything below the error: exec functions enabled, no `open_basedir`,
    /// errors displayed. The file still looks hardened to anyone reading it, and to scanners
    /// that grep it.
    ///
    /// ## How to fix
    /// Fix the line (use `;` for comments, quote values with special characters), then check
    /// the effective values with `php-fpm8.2 -i` or `php -n -c /etc/php/8.2/fpm/php.ini -i`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// [PHP]
    /// # hardening (ticket 42)
    /// disable_functions = exec,passthru,shell_exec,system
    /// ```
    /// ```php-ini good
    /// [PHP]
    /// ; hardening (ticket 42)
    /// disable_functions = exec,passthru,shell_exec,system
    /// ```
    ///
    /// ## References
    /// - php-src `Zend/zend_ini_parser.y` and `main/php_ini.c` (parsing stops at the first error)
    /// - httptoolkit issue #433 (settings silently lost after a php.ini syntax error)
    IniRestNotApplied {
        id: "INI-001",
        title: "Syntax error stops the rest of php.ini (later directives not applied)",
        severity: High,
        fixable: false,
    }
}

impl Rule for IniRestNotApplied {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, doc) in php_ini_docs(cx.sources, cx.model) {
            let Some(error) = doc.errors.iter().min_by_key(|e| e.range.start) else {
                continue;
            };
            let Some(source) = cx.sources.get(file) else {
                continue;
            };
            let line = |offset| source.line_index.line_col(offset, &source.text).line;
            let lost: Vec<(&str, u32)> = doc
                .statements
                .iter()
                .filter(|s| !s.applied && s.range.start >= error.range.start)
                .filter_map(|s| match &s.kind {
                    StatementKind::Entry(e) if e.value.is_some() => {
                        Some((e.key.as_str(), line(e.key_range.start)))
                    }
                    _ => None,
                })
                .collect();
            let (Some((_, from)), Some((_, to))) = (lost.first(), lost.last()) else {
                continue;
            };
            let security: Vec<String> = lost
                .iter()
                .filter(|(k, _)| is_security_key(k))
                .map(|(k, l)| format!("{k} (line {l})"))
                .collect();
            let lines = if from == to {
                format!("line {from}")
            } else {
                format!("lines {from}–{to}")
            };
            let count = lost.len();
            let what = if count == 1 {
                format!("the directive after it ({lines}) is")
            } else {
                format!("the {count} directives after it ({lines}) are")
            };
            let mut message = format!(
                "PHP stops reading {} at this syntax error: {what} not applied (PHP's defaults stand in)",
                source.path
            );
            if security.is_empty() {
                message.push_str("; none is a security setting");
            } else {
                let _ = write!(message, "; among them {}", security.join(", "));
            }
            let finding = Self::meta_static().finding(file, error.range, message);
            out.push(if security.is_empty() {
                finding.with_severity(Severity::Medium)
            } else {
                finding
            });
        }
    }
}
