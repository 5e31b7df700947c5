use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::fpm::Section;
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, names, replace_value};

const KEY: &str = "cgi.fix_pathinfo";

declare_rule! {
    /// ## What it does
    /// Reports `cgi.fix_pathinfo = 1`, PHP's default, in the value each pool runs with. The
    /// severity is raised to medium for pools whose `security.limit_extensions` is empty or
    /// lets non-PHP files (`.jpg`, `.html`...) run, because the guard that normally stops the
    /// attack is then gone.
    ///
    /// ## Why is this bad?
    /// With the fix-up on, a request for `/uploads/avatar.jpg/x.php` whose script does not
    /// exist makes PHP walk back to the existing `/uploads/avatar.jpg` and run it as PHP. If
    /// the web server forwards such requests without checking that the script exists, an
    /// uploaded "image" with PHP inside becomes code execution. FPM's
    /// `security.limit_extensions` (default `.php .phar`) refuses it; an existence check in
    /// nginx (`try_files $fastcgi_script_name =404;`) stops it earlier.
    ///
    /// ## How to fix
    /// Set `cgi.fix_pathinfo = 0` in php.ini when the web server passes `SCRIPT_FILENAME`
    /// exactly (Debian's `snippets/fastcgi-php.conf` does), keep
    /// `security.limit_extensions = .php` in every pool, and check script existence in nginx.
    ///
    /// ## Example
    /// ```php-ini bad
    /// cgi.fix_pathinfo = 1
    /// ```
    /// ```php-ini good
    /// cgi.fix_pathinfo = 0
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `cgi.fix_pathinfo`
    /// - FPM configuration: `security.limit_extensions` (added in PHP 5.3.9)
    /// - "Setting up PHP-FastCGI and nginx? Don't trust the tutorials" (cnedelcu, 2010)
    FixPathinfo {
        id: "INI-110",
        title: "`cgi.fix_pathinfo = 1`",
        severity: Low,
        fixable: true,
    }
}

/// Whether the pool lets FPM run files that are not PHP scripts.
fn unguarded(pool: &Section) -> bool {
    pool.get("security.limit_extensions").is_some_and(|s| {
        let exts: Vec<&str> = s.value.split_whitespace().collect();
        exts.is_empty()
            || exts.iter().any(|e| {
                let e = e.to_ascii_lowercase();
                !(e.starts_with(".php") || e == ".phtml" || e == ".phar")
            })
    })
}

impl Rule for FixPathinfo {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, KEY, is_on) {
            let open: Vec<&Section> = hit
                .place
                .pools
                .iter()
                .copied()
                .filter(|p| unguarded(p))
                .collect();
            let mut message = format!(
                "`cgi.fix_pathinfo` is 1{} ({}): PHP runs the nearest existing file of a path like `/upload/a.jpg/x.php`",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            if !open.is_empty() {
                let _ = write!(
                    message,
                    ", and `security.limit_extensions` of {} does not limit scripts to PHP files",
                    names(&open)
                );
            }
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            let finding = if open.is_empty() {
                finding
            } else {
                finding.with_severity(Severity::Medium)
            };
            // Setups that build SCRIPT_FILENAME from PATH_TRANSLATED need the fix-up.
            out.push(
                match replace_value(&hit.setting, "0", Safety::NeedsReview) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                },
            );
        }
    }
}
