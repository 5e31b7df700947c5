use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety};
use crate::model::nginx::edit;

/// URIs a PHP location must not take: a file named like a script with another extension.
const NOT_SCRIPTS: [&str; 3] = [
    "/uploads/shell.php.jpg",
    "/uploads/shell.phar.png",
    "/notes.phps",
];

declare_rule! {
    /// ## What it does
    /// Reports a regex location that hands requests to FastCGI and whose pattern matches `.php`
    /// in the middle of a name, because it is not anchored at the end: `location ~ \.php`
    /// takes `/uploads/shell.php.jpg`. The pattern is tried with nginx's own matching, so
    /// `\.php$`, `\.php(/|$)` and `[^/]\.php(/|$)` are fine. A pattern the probe URIs cannot
    /// reach (`^/admin/.*\.php`) or that the model cannot run is reported when it ends in
    /// `php` with no anchor after it.
    ///
    /// ## Why is this bad?
    /// Upload filters usually check the last extension only, so `shell.php.jpg` is accepted as
    /// an image. An unanchored PHP location sends it to FPM anyway, and if
    /// `security.limit_extensions` is loose (or the file has a second `.php` name) the upload
    /// runs as the pool user. Gixy rates unanchored regexes as a speed issue; for the PHP
    /// handler it is a routing hole.
    ///
    /// ## How to fix
    /// End the pattern with `$` (`location ~ \.php$`), or with `(/|$)` when the app uses
    /// `PATH_INFO` URLs such as `/index.php/route` (with `fastcgi_split_path_info`).
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     location ~ \.php {
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ {
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx core module: `location` (regex locations)
    /// - Gixy-Next `unanchored_regex` (rated low there)
    /// - FPM configuration: `security.limit_extensions`
    UnanchoredPhpLocation {
        id: "NGX-003",
        title: "Unanchored PHP location regex",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for UnanchoredPhpLocation {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        for (index, location) in nginx.locations.iter().enumerate() {
            if !location.modifier.is_regex() || nginx.passes(index).is_empty() {
                continue;
            }
            let answers: Vec<Option<bool>> = NOT_SCRIPTS
                .iter()
                .map(|uri| nginx.location_matches(index, uri))
                .collect();
            let taken = NOT_SCRIPTS
                .iter()
                .zip(&answers)
                .find(|(_, a)| **a == Some(true))
                .map(|(uri, _)| *uri);
            let pattern = location.pattern.as_str();
            // Patterns that cannot reach the probes (`^/admin/.*\.php`) are read as text.
            let open_end = pattern.to_ascii_lowercase().ends_with("php");
            if (taken.is_none() && !open_end)
                || !seen.insert((location.head.file, location.head.range))
            {
                continue;
            }
            let example = taken.map_or_else(
                || "a name like `shell.php.jpg` under it is".to_string(),
                |uri| format!("`{uri}` is"),
            );
            let message = format!(
                "location `{} {pattern}` is not anchored at the end, so {example} sent to FastCGI as a PHP script",
                location.modifier.as_str()
            );
            let split = nginx
                .effective(index, &["fastcgi_split_path_info"])
                .is_some();
            let suffix = if split { "(/|$)" } else { "$" };
            let finding =
                Self::meta_static().finding(location.head.file, location.head.head(), message);
            // Only a pattern that ends in `php` takes the anchor as written.
            let arg = location.head.args.len().saturating_sub(1);
            let fix = pattern
                .to_ascii_lowercase()
                .ends_with("php")
                .then(|| edit::append_to_arg(&location.head, arg, suffix))
                .flatten()
                .map(|e| Fix {
                    title: format!("anchor the pattern with `{suffix}`"),
                    // URLs like `/index.php/route` stop reaching PHP without a split.
                    safety: Safety::NeedsReview,
                    edits: vec![e],
                });
            out.push(match fix {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
