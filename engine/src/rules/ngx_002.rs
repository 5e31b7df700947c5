use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::fastcgi::php_version;
use crate::model::nginx::{ScriptCheck, Setting, edit};

declare_rule! {
    /// ## What it does
    /// Reports a PHP location that has the three nginx-side preconditions of CVE-2019-11043:
    /// a `fastcgi_split_path_info` regex using `.` (which does not match a newline, so an
    /// encoded `%0a` in the URI makes the split fail), `fastcgi_param PATH_INFO
    /// $fastcgi_path_info`, and nothing that checks the script exists (`try_files`, an
    /// `if (!-f ...)` guard). The severity is Critical unless the FPM or php.ini paths name a
    /// PHP version that has the fix (7.4 and later), which lowers it to Medium.
    ///
    /// ## Why is this bad?
    /// When the split fails, nginx sends an empty `PATH_INFO` and PHP-FPM before 7.1.33, 7.2.24
    /// and 7.3.11 writes past its buffer while fixing up the path. Public exploits (phuip-fpizdam)
    /// use it to set `PHP_VALUE` in the worker and run code with a single crafted URL, with no
    /// upload or account needed. Even on a fixed PHP the location still runs paths that name no
    /// script (NGX-001).
    ///
    /// ## How to fix
    /// Check the script before passing it, and keep `PATH_INFO` across `try_files` (which resets
    /// `$fastcgi_path_info`): `try_files $fastcgi_script_name =404;`,
    /// `set $path_info $fastcgi_path_info;` and `fastcgi_param PATH_INFO $path_info;` (Debian's
    /// `snippets/fastcgi-php.conf` does exactly this). Upgrade PHP.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     location ~ [^/]\.php(/|$) {
    ///         fastcgi_split_path_info ^(.+?\.php)(/.*)$;
    ///         fastcgi_param PATH_INFO $fastcgi_path_info;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ [^/]\.php(/|$) {
    ///         fastcgi_split_path_info ^(.+?\.php)(/.*)$;
    ///         try_files $fastcgi_script_name =404;
    ///         set $path_info $fastcgi_path_info;
    ///         fastcgi_param PATH_INFO $path_info;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - CVE-2019-11043; PHP bug #78599
    /// - neex/phuip-fpizdam README (the list of preconditions)
    /// - nginx trac #321 (`try_files` resets `$fastcgi_path_info`)
    /// - nginx fastcgi module: `fastcgi_split_path_info`
    PathInfoUnderflow {
        id: "NGX-002",
        title: "CVE-2019-11043 preconditions (split_path_info + PATH_INFO, no existence check)",
        severity: Critical,
        fixable: true,
    }
}

/// Whether a regex uses an unescaped `.` outside a bracket class: it stops at a newline.
fn stops_at_newline(regex: &str) -> bool {
    let mut escaped = false;
    let mut class = false;
    for c in regex.chars() {
        match (escaped, class, c) {
            (true, _, _) => escaped = false,
            (false, _, '\\') => escaped = true,
            (false, false, '[') => class = true,
            (false, true, ']') => class = false,
            (false, false, '.') => return true,
            _ => {}
        }
    }
    false
}

impl Rule for PathInfoUnderflow {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let version = php_version(cx.sources);
        let fixed = version.filter(|v| *v >= (7, 4));
        let mut seen = BTreeSet::new();
        for (index, location) in nginx.php_handlers() {
            let Some(split) = nginx.effective(index, &["fastcgi_split_path_info"]) else {
                continue;
            };
            if !split.arg(0).is_some_and(stops_at_newline)
                || nginx.script_check(index) != ScriptCheck::Unchecked
            {
                continue;
            }
            let Some(param) = location.fastcgi_params.settings.iter().find(|s| {
                s.arg(0) == Some("PATH_INFO")
                    && s.arg(1).is_some_and(|v| v.contains("$fastcgi_path_info"))
            }) else {
                continue;
            };
            if !seen.insert((
                split.file,
                split.range,
                location.head.file,
                location.head.range,
            )) {
                continue;
            }
            let mut message = format!(
                "`fastcgi_split_path_info {}` fails on a URI with an encoded newline, PATH_INFO then reaches PHP empty and nothing checks the script exists: the CVE-2019-11043 preconditions",
                split.arg(0).unwrap_or_default()
            );
            let severity = match (fixed, version) {
                (Some((major, minor)), _) => {
                    let _ = write!(
                        message,
                        " (PHP {major}.{minor}, from the file paths, has the fix; the unchecked scripts remain)"
                    );
                    Severity::Medium
                }
                (None, Some((major, minor))) => {
                    let _ = write!(
                        message,
                        " (PHP {major}.{minor} from the file paths: vulnerable before 7.1.33, 7.2.24, 7.3.11)"
                    );
                    Severity::Critical
                }
                (None, None) => {
                    message.push_str(" (the PHP version is not known: give the FPM or php.ini files to settle it)");
                    Severity::Critical
                }
            };
            let mut finding = Self::meta_static()
                .finding(split.file, split.head(), message)
                .with_severity(severity)
                .with_related(param.file, param.head(), "PATH_INFO comes from the split")
                .with_related(location.head.file, location.head.head(), "the PHP location");
            if let Some(fix) = fix(cx, location, param) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// `try_files` plus the `$path_info` copy, when the `PATH_INFO` line is the location's own.
fn fix(cx: Context<'_>, location: &crate::model::nginx::Location, param: &Setting) -> Option<Fix> {
    if !location.settings.iter().any(|s| s == param) {
        return None;
    }
    let insert = edit::insert_first(
        cx.sources,
        &location.head,
        &location.settings,
        &[
            "try_files $fastcgi_script_name =404;",
            "set $path_info $fastcgi_path_info;",
        ],
    )?;
    let value = param.args.get(1)?;
    Some(Fix {
        title: "check the script exists and keep PATH_INFO through `$path_info`".into(),
        // Scripts that exist only on the FastCGI host would answer 404.
        safety: Safety::NeedsReview,
        edits: vec![
            insert,
            Edit {
                file: param.file,
                range: value.range,
                replacement: "$path_info".into(),
            },
        ],
    })
}
