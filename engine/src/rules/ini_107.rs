use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_values::{
    basedir_entries, broad_entry, for_pools, hits, is_shared_dir, replace_value,
};

const KEY: &str = "open_basedir";

declare_rule! {
    /// ## What it does
    /// Reports pools whose effective `open_basedir` is unset, or lists an entry that admits
    /// far more than the app: `/`, a top-level directory (`/home`, `/srv`, `/var`...), a usual
    /// parent of several sites (`/var/www`, `/srv/www`), a relative entry such as `.` (it
    /// follows the working directory, which `chdir()` changes), or an app directory written
    /// without a trailing `/` (PHP compares prefixes, so `/srv/www/shop` also admits
    /// `/srv/www/shop-admin`). Temp and system directories (`/tmp`, `/usr/share/php`) are fine.
    /// When one pool's entry really covers another pool's tree, FPM-305 reports it as well.
    ///
    /// ## Why is this bad?
    /// Without a narrow `open_basedir`, a file-inclusion or path-traversal bug reads anything
    /// the pool user can: other sites' configuration files, `/etc`, keys. It is defence in
    /// depth, not a sandbox (PHP maintainers say so, and exec functions or FFI bypass it), but
    /// it stops the common bugs cheaply.
    ///
    /// ## How to fix
    /// Give each pool its own list of directories, each ending in `/`:
    /// `php_admin_value[open_basedir] = /srv/www/shop/:/var/lib/php/sessions/shop/:/tmp/`.
    /// Use `php_admin_value` so the app cannot change it.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [shop]
    /// php_admin_value[open_basedir] = /srv/
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// php_admin_value[open_basedir] = /srv/shop/:/tmp/
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `open_basedir` (prefix match, end entries with `/`)
    /// - php-src PR #5150 discussion (open_basedir is not a security boundary)
    OpenBasedir {
        id: "INI-107",
        title: "open_basedir absent or too broad",
        severity: Medium,
        fixable: true,
    }
}

/// What is wrong with a value, one phrase per problem; empty when nothing is.
fn problems(value: &str) -> (Vec<String>, bool) {
    let entries: Vec<&str> = basedir_entries(value).collect();
    if entries.is_empty() {
        return (
            vec!["is not set: scripts can open any file the pool user can read".into()],
            false,
        );
    }
    let mut out = Vec::new();
    let mut only_slashes = true;
    for entry in entries.iter().filter(|e| !e.contains("${")) {
        if !entry.starts_with('/') {
            out.push(format!("lists `{entry}`, relative to the working directory, which scripts can change with chdir()"));
            only_slashes = false;
        } else if let Some(why) = broad_entry(entry) {
            out.push(format!("lists `{entry}`, {why}"));
            only_slashes = false;
        } else if !entry.ends_with('/') && !is_shared_dir(entry) {
            out.push(format!(
                "lists `{entry}` without a trailing `/`, which also admits `{entry}-admin`, `{entry}2`..."
            ));
        }
    }
    (out, only_slashes)
}

impl Rule for OpenBasedir {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for hit in hits(cx.sources, cx.model, KEY, |v| !problems(v).0.is_empty()) {
            let (what, only_slashes) = problems(&hit.setting.value);
            let message = format!(
                "`open_basedir`{} {} ({})",
                for_pools(&hit.place.pools),
                what.join("; "),
                hit.provenance
            );
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            // Closing the prefixes keeps every directory admitted; only a file entry would
            // break, hence the review.
            let plain = hit
                .setting
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/._-:".contains(&b));
            let fix = (only_slashes && plain)
                .then(|| {
                    let closed: Vec<String> = basedir_entries(&hit.setting.value)
                        .map(|e| {
                            if e.ends_with('/') || is_shared_dir(e) {
                                e.to_string()
                            } else {
                                format!("{e}/")
                            }
                        })
                        .collect();
                    replace_value(&hit.setting, &closed.join(":"), Safety::NeedsReview)
                })
                .flatten();
            out.push(match fix {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
