use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety, Severity};
use crate::model::fastcgi::pools_behind;
use crate::model::fpm::Section;
use crate::model::nginx::{Endpoint, ScriptCheck, edit};
use crate::model::php_stack::{effective, is_on};
use crate::model::php_values::decided;

declare_rule! {
    /// ## What it does
    /// Reports a location that sends `.php` URIs of any name to FastCGI (`location ~ \.php$`,
    /// `location /` with `fastcgi_pass`) without first checking that the script exists:
    /// no `try_files`, no `if (!-f ...)` guard, not `internal`, and a `SCRIPT_FILENAME` built
    /// from the URI. Locations that only take a fixed front controller (`= /index.php`) are
    /// left alone. The severity follows what FPM does with a path that names no file: Critical
    /// when `cgi.fix_pathinfo` is 1 and `security.limit_extensions` lets non-PHP files run,
    /// Low when `cgi.fix_pathinfo` is 0, High otherwise or when php.ini and the pool are not
    /// part of the audit (the message says which file would settle it). When an include inside
    /// the location was not given, the finding says so instead of guessing.
    ///
    /// ## Why is this bad?
    /// nginx picks the PHP location from the URI alone. A request for
    /// `/uploads/avatar.jpg/x.php` reaches FPM even though `x.php` does not exist; with
    /// `cgi.fix_pathinfo = 1` PHP walks back to the nearest real file and runs the uploaded
    /// `avatar.jpg` as code, so any upload form becomes code execution as the pool user. From
    /// there the attacker has everything that pool can read, including other apps that share it.
    ///
    /// ## How to fix
    /// Add `try_files $fastcgi_script_name =404;` (or `try_files $uri =404;` without
    /// `fastcgi_split_path_info`) to the PHP location, and set `cgi.fix_pathinfo = 0` and
    /// `security.limit_extensions = .php` on the PHP side. When FPM runs on another host or
    /// container that has the scripts but nginx does not, rely on the PHP-side settings.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     root /srv/app/public;
    ///     location ~ \.php$ {
    ///         include fastcgi.conf;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     root /srv/app/public;
    ///     location ~ \.php$ {
    ///         try_files $uri =404;
    ///         include fastcgi.conf;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx wiki, Pitfalls and common mistakes: "Passing uncontrolled requests to PHP"
    /// - GHSA-8wf6-vq49-m6w2 (serversideup/docker-php 5.1.3, `/uploads/x.phar/y.php`)
    /// - PHP manual: `cgi.fix_pathinfo`; FPM configuration: `security.limit_extensions`
    ScriptNotChecked {
        id: "NGX-001",
        title: "PHP location forwards scripts that do not exist",
        severity: High,
        fixable: true,
    }
}

/// Whether FPM runs files that are not PHP scripts for this pool.
fn runs_non_php(pool: &Section) -> bool {
    pool.get("security.limit_extensions").is_some_and(|s| {
        let exts: Vec<String> = s
            .value
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        exts.is_empty()
            || exts
                .iter()
                .any(|e| !(e.starts_with(".php") || e == ".phar"))
    })
}

/// The severity and the clause explaining it, from the pools behind the location.
fn weigh(cx: Context<'_>, pools: &[&Section]) -> (Severity, String) {
    let ini = &cx.model.php_ini;
    if !decided(cx.sources, cx.model, "cgi.fix_pathinfo") {
        return (
            Severity::High,
            "php.ini (its `cgi.fix_pathinfo`) was not given, so whether PHP then runs the nearest existing file is not known".into(),
        );
    }
    let fix_on =
        |p: Option<&Section>| effective(ini, p, "cgi.fix_pathinfo").is_none_or(|s| is_on(&s.value));
    if pools.is_empty() {
        let clause = if cx.model.fpm.present {
            "no given pool listens there, so `security.limit_extensions` is not known"
        } else {
            "the pool file (its `security.limit_extensions`) was not given"
        };
        return if fix_on(None) {
            (
                Severity::High,
                format!(
                    "`cgi.fix_pathinfo` is 1, so PHP runs the nearest existing file of the path; {clause}"
                ),
            )
        } else {
            (
                Severity::Low,
                "`cgi.fix_pathinfo` is 0, so FPM refuses such paths".into(),
            )
        };
    }
    if let Some(p) = pools.iter().find(|p| fix_on(Some(p)) && runs_non_php(p)) {
        return (
            Severity::Critical,
            format!(
                "pool [{}] has `cgi.fix_pathinfo` 1 and a `security.limit_extensions` that lets non-PHP files run, so an uploaded image runs as PHP",
                p.name
            ),
        );
    }
    if pools.iter().any(|p| fix_on(Some(p))) {
        return (
            Severity::High,
            "`cgi.fix_pathinfo` is 1, so PHP runs the nearest existing file of the path (`.phar` uploads by default)".into(),
        );
    }
    (
        Severity::Low,
        "`cgi.fix_pathinfo` is 0, so FPM refuses such paths".into(),
    )
}

impl Rule for ScriptNotChecked {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        for (index, location) in nginx.php_handlers() {
            let check = nginx.script_check(index);
            if check == ScriptCheck::Checked
                || !seen.insert((location.head.file, location.head.range))
            {
                continue;
            }
            let passes = nginx.passes(index);
            let mut pools: Vec<&Section> = Vec::new();
            for pass in &passes {
                pools.extend(pools_behind(&cx.model.fpm, pass));
            }
            let head = location.head.head();
            let written = format!("{} {}", location.modifier.as_str(), location.pattern);
            let finding = if let ScriptCheck::Unknown(missing) = check {
                let message = format!(
                    "location `{}` sends `.php` URIs to FastCGI and its include `{}` was not given: whether it checks that the script exists (`try_files`) is not known",
                    written.trim(),
                    missing.pattern
                );
                Self::meta_static()
                    .finding(location.head.file, head, message)
                    .with_severity(Severity::Medium)
                    .with_related(missing.file, missing.range, "this file would settle it")
            } else {
                let (severity, why) = weigh(cx, &pools);
                let message = format!(
                    "location `{}` sends every `.php` URI to FastCGI without checking the script exists: `/uploads/a.jpg/x.php` reaches PHP; {why}",
                    written.trim()
                );
                let split = nginx
                    .effective(index, &["fastcgi_split_path_info"])
                    .is_some();
                let line = if split {
                    "try_files $fastcgi_script_name =404;"
                } else {
                    "try_files $uri =404;"
                };
                let remote = passes.iter().flat_map(|p| &p.backends).any(|b| {
                    matches!(b.endpoint, Endpoint::Tcp { .. }) && !b.endpoint.is_loopback()
                });
                let fix = (!remote)
                    .then(|| {
                        edit::insert_first(cx.sources, &location.head, &location.settings, &[line])
                    })
                    .flatten()
                    .map(|e| Fix {
                        title: format!("add `{line}`"),
                        // A FastCGI backend with its own copy of the scripts (a container)
                        // would answer 404 for every script nginx cannot see.
                        safety: Safety::NeedsReview,
                        edits: vec![e],
                    });
                let finding = Self::meta_static()
                    .finding(location.head.file, head, message)
                    .with_severity(severity);
                match fix {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                }
            };
            out.push(finding);
        }
    }
}
