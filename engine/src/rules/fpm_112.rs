use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::fpm_values::written;

/// Extensions of files meant to run as PHP.
const PHP_EXTENSIONS: [&str; 8] = [
    ".php", ".phar", ".phtml", ".php3", ".php4", ".php5", ".php7", ".php8",
];

declare_rule! {
    /// ## What it does
    /// Reports pools whose `security.limit_extensions` is empty or lets FPM run files that are
    /// not PHP scripts (`.html`, `.htm`, `.jpg`, `.txt`, `.inc`, or an entry without a dot
    /// such as `php`, which matches any name ending in those letters). Leaving it unset is
    /// fine: FPM then allows `.php .phar`.
    ///
    /// ## Why is this bad?
    /// This guard is what stops an uploaded `avatar.jpg` holding PHP code from being executed
    /// when the web server forwards it to FPM (the `cgi.fix_pathinfo` / `/avatar.jpg/x.php`
    /// class of bugs, or a broad `location` regex). Empty, it allows every file.
    ///
    /// ## How to fix
    /// `security.limit_extensions = .php` (add `.phar` or `.phtml` only if the app needs
    /// them), and let the web server serve static files itself.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// security.limit_extensions = .php .html .jpg
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// security.limit_extensions = .php .php7
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `security.limit_extensions` (PHP 5.3.9+)
    /// - php-src `sapi/fpm/fpm/fpm_php.c`, `fpm_php_limit_extensions`
    /// - cnedelcu, "nginx + PHP via FastCGI: important security issue" (2010)
    ScriptExtensionGuard {
        id: "FPM-112",
        title: "security.limit_extensions empty or allows non-PHP extensions",
        severity: High,
        fixable: true,
    }
}

impl Rule for ScriptExtensionGuard {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some(setting) = pool.get("security.limit_extensions") else {
                continue;
            };
            let entries: Vec<&str> = setting
                .value
                .split([' ', '\t'])
                .filter(|e| !e.is_empty())
                .collect();
            let (kept, foreign): (Vec<&str>, Vec<&str>) = entries
                .iter()
                .partition(|e| PHP_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(e)));
            let message = if entries.is_empty() {
                let shown = match written(cx.sources, setting) {
                    "" => "an empty `security.limit_extensions`".to_string(),
                    w => format!("`security.limit_extensions = {w}` (read as empty)"),
                };
                format!(
                    "pool [{}] sets {shown}, which lets FPM run any file as PHP: an uploaded image with PHP code inside becomes executable",
                    pool.name
                )
            } else if foreign.is_empty() {
                continue;
            } else {
                format!(
                    "pool [{}] lets FPM run `{}` files as PHP (`security.limit_extensions`): an uploaded file with such a name and PHP code inside becomes executable",
                    pool.name,
                    foreign.join(" ")
                )
            };
            let replacement = if kept.is_empty() {
                ".php".to_string()
            } else {
                kept.join(" ")
            };
            let fix = Fix {
                title: format!("allow only `{replacement}`"),
                // The app may really serve other extensions through PHP.
                safety: Safety::NeedsReview,
                edits: vec![Edit {
                    file: setting.origin.file,
                    range: setting.origin.value,
                    replacement,
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
