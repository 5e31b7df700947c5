use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::Parsed;
use crate::model::fpm::{ARRAY_DIRECTIVES, FpmProblem};
use crate::model::php_stack::default_of;
use crate::model::php_values::is_security_key;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports lines that php-fpm reads but refuses: a `#` "comment", an entry FPM does not
    /// know (a php.ini setting such as `memory_limit = 1G` written bare in a pool), an array
    /// name in the wrong case (`PHP_VALUE[...]`), an array or `$pool` in `[global]`, a key with
    /// no `= value`, a value of the wrong type, or includes nested too deeply. Lines the INI
    /// scanner cannot read at all are FPM-000's.
    ///
    /// ## Why is this bad?
    /// FPM stops at the first such line and does not start: a restart after the edit takes
    /// every pool down, and a reload keeps the old master until someone notices. `#` has not
    /// been a comment in PHP's INI syntax since PHP 7.0, so a commented-out `#pm = ondemand`
    /// copied from another format is enough.
    ///
    /// ## How to fix
    /// Comment with `;`. Write array names in lower case (`php_value`, `php_admin_value`,
    /// `env`). Put PHP settings in `php_admin_value[...]`/`php_value[...]` inside a pool, and
    /// pool directives under a `[pool]` header. Run `php-fpm -t` before reloading.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// #pm = ondemand
    /// pm = dynamic
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// ;pm = ondemand
    /// pm = dynamic
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`: `fpm_conf_ini_parser_entry`, `fpm_conf_ini_parser_array`
    /// - PHP 7.0 migration notes: `#` comments removed from INI files
    /// - laravel/valet#894 (`#` line in an FPM pool)
    LineFpmRejects {
        id: "FPM-001",
        title: "Line FPM will reject",
        severity: High,
        fixable: true,
    }
}

impl Rule for LineFpmRejects {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for problem in &cx.model.fpm.problems {
            let Some(source) = cx.sources.get(problem.file) else {
                continue;
            };
            let line = source.line_index.line_of(problem.range.start);
            // A line the scanner cannot read is FPM-000's finding already.
            let scanner_error = matches!(cx.model.parsed(problem.file), Some(Parsed::Ini(doc))
                if doc.errors.iter().any(|e| source.line_index.line_of(e.range.start) == line));
            if scanner_error {
                continue;
            }
            let key = problem.range.slice(&source.text);
            let (message, fix) = explain(cx, problem, key);
            let finding = Self::meta_static().finding(problem.file, problem.range, message);
            out.push(match fix {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}

fn explain(cx: Context<'_>, problem: &FpmProblem, key: &str) -> (String, Option<Fix>) {
    let edit = |range: TextRange, replacement: String| Edit {
        file: problem.file,
        range,
        replacement,
    };
    if key.starts_with('#') {
        let hash = TextRange::new(problem.range.start, problem.range.start + 1);
        let message = format!(
            "`#` does not start a comment in FPM files (since PHP 7.0): this line is the entry `{key}` and php-fpm refuses to start"
        );
        let fix = Fix {
            title: "comment the line with `;`".into(),
            // FPM never ran with this line, and `#` was meant as a comment.
            safety: Safety::Safe,
            edits: vec![edit(hash, ";".into())],
        };
        return (message, Some(fix));
    }
    let message = format!("{}: php-fpm refuses to start", problem.message);
    if let Some(name) = ARRAY_DIRECTIVES
        .iter()
        .find(|d| d.eq_ignore_ascii_case(key) && **d != key)
    {
        let fix = Fix {
            title: format!("write `{name}` in lower case"),
            // The setting has never been applied; turning it on is a change to review.
            safety: Safety::NeedsReview,
            edits: vec![edit(problem.range, (*name).to_string())],
        };
        return (message, Some(fix));
    }
    let in_global = cx
        .model
        .fpm
        .global
        .scalars
        .values()
        .flat_map(|o| &o.all)
        .any(|s| s.origin.file == problem.file && s.key_range == problem.range);
    let php_setting = default_of(key).is_some() || is_security_key(key);
    if problem.message.starts_with("unknown entry") && php_setting && !in_global {
        let message = format!(
            "{message}; `{key}` is a php.ini setting, which a pool sets with `php_admin_value[{key}]`"
        );
        let fix = Fix {
            title: format!("write it as `php_admin_value[{key}]`"),
            safety: Safety::NeedsReview,
            edits: vec![edit(problem.range, format!("php_admin_value[{key}]"))],
        };
        return (message, Some(fix));
    }
    (message, None)
}
