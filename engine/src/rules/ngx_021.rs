use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::nginx::WebRoot;

declare_rule! {
    /// ## What it does
    /// Reports a `root` or `alias` that hands out more than one app's public files: `/`
    /// itself; a directory that holds another server's root (`root /srv` next to a server
    /// with `root /srv/blog/public`, compared by whole path segments, so `/srv/shop` does not
    /// hold `/srv/shop-admin`); or a server root that is the app's directory rather than its
    /// `public/` one, when the server's own lines name `/public/` below it (a
    /// `try_files ... /public/index.php` or a `SCRIPT_FILENAME` ending in `/public/index.php`).
    /// Whether the directory holds `vendor/` or `.env` needs the file system and is not checked.
    ///
    /// ## Why is this bad?
    /// Everything under a root is a URL. A root above the public directory serves the app's
    /// `.env`, `composer.lock`, `storage/` logs and backups to anyone; a root above several
    /// apps serves each app's files through the others' host names, so one app's weaker rules
    /// (a missing dotfile deny, PHP in uploads) expose all of them, and a script planted in any
    /// of them is reachable through every server. With `/` nginx serves the whole host to the
    /// limit of its account's permissions.
    ///
    /// ## How to fix
    /// Point each server at its own app's public directory: `root /srv/shop/public;`, and
    /// give front-controller lines paths relative to it (`try_files $uri /index.php?$args;`).
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop;
    ///     location / { try_files $uri /public/index.php?$args; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     server_name shop.example;
    ///     root /srv/shop/public;
    ///     location / { try_files $uri /index.php?$args; }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx core module: `root`, `alias`
    /// - Gixy-Next `filesystem_root_exposure`
    /// - Laravel and Symfony deployment docs (the web server's root is `public/`)
    DocrootTooWide {
        id: "NGX-021",
        title: "Docroot too wide (`/`, a parent of several apps, app root instead of public/)",
        severity: High,
        fixable: false,
    }
}

impl Rule for DocrootTooWide {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let roots = nginx.web_roots();
        // Sorted by path, a directory's descendants are the paths from `dir/` up to `dir0`
        // (`0` follows `/`): found by binary search, as hostile configs have many servers.
        let mut sorted: Vec<&WebRoot<'_>> = roots.iter().collect();
        crate::sort::sort_by(&mut sorted, |a, b| a.path.cmp(&b.path));
        let mut server_root: Vec<Option<&str>> = vec![None; nginx.servers.len()];
        for r in roots.iter().filter(|r| r.location.is_none()) {
            if let Some(slot) = server_root.get_mut(r.server) {
                *slot = Some(r.path.as_str());
            }
        }
        let mut seen = BTreeSet::new();
        for root in &roots {
            let setting = root.setting;
            if !seen.insert((setting.file, setting.range)) {
                continue;
            }
            // Another server's directories; a location's own root counts only when its
            // server's root is not this one or below it (then that root already tells).
            let inner: Vec<&WebRoot<'_>> = if root.path == "/" {
                Vec::new()
            } else {
                let (low, high) = (format!("{}/", root.path), format!("{}0", root.path));
                let from = sorted.partition_point(|r| r.path < low);
                let to = sorted.partition_point(|r| r.path < high);
                sorted
                    .get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .copied()
                    .filter(|r| r.server != root.server)
                    .filter(|r| {
                        r.location.is_none()
                            || !server_root
                                .get(r.server)
                                .copied()
                                .flatten()
                                .is_some_and(|p| p == root.path || holds(&root.path, p))
                    })
                    .collect()
            };
            let why = if root.path == "/" {
                "serves the whole file system".to_string()
            } else if !inner.is_empty() {
                let sites: BTreeSet<String> = inner
                    .iter()
                    .map(|r| format!("{} (`{}`)", r.site, r.path))
                    .collect();
                let shown: Vec<String> = sites.iter().take(5).cloned().collect();
                let more = match sites.len().saturating_sub(shown.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                format!(
                    "holds the root of {}{more}: every file of those apps is served here too",
                    shown.join(", ")
                )
            } else if let Some(hint) = (root.location.is_none() && !root.path.ends_with("/public"))
                .then(|| {
                    let own: Vec<usize> = nginx
                        .server_locations(root.server)
                        .map(|(i, _)| i)
                        .collect();
                    nginx.names_public_dir(root.server, &own)
                })
                .flatten()
            {
                format!(
                    "is the app's directory, not its `public/` one (`{hint}` names it): `.env`, `vendor/` and logs are served"
                )
            } else {
                continue;
            };
            let message = format!("`{} {}` of {} {why}", root.directive, root.path, root.site);
            let mut finding = Self::meta_static().finding(setting.file, setting.range, message);
            for other in inner.into_iter().take(5) {
                finding = finding.with_related(
                    other.setting.file,
                    other.setting.range,
                    format!("the root of {}", other.site),
                );
            }
            out.push(finding);
        }
    }
}

/// Whether `dir` contains `path` (whole segments; a directory does not contain itself).
fn holds(dir: &str, path: &str) -> bool {
    dir != path && (dir == "/" || path.starts_with(&format!("{dir}/")))
}
