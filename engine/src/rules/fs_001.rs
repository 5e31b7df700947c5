use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use std::collections::BTreeMap;

use crate::model::fs::ancestors;
use crate::model::fs::apps::{PathUse, pool_paths};
use crate::model::fs::judge::fold;
use crate::syntax::snapshot::FileType;

declare_rule! {
    /// ## What it does
    /// Reads the permissions snapshot and reports files and directories of the app trees that
    /// every local account may write: mode `o+w` on a file, or on a directory without the
    /// sticky bit (`777`, `666`). The trees are those the configuration names (web roots,
    /// `chdir`, `open_basedir` entries, session, upload and temp directories); a snapshot given
    /// without any pool is judged whole. A run of such paths under one directory is one
    /// finding, at the topmost, with the count of the others.
    ///
    /// ## Why is this bad?
    /// Every account on the host — each other app's pool, daemons, a shell user — can change
    /// or plant code and data there. One compromised app writes a web shell into the other
    /// app's tree, or replaces its configuration.
    ///
    /// ## How to fix
    /// Give the tree to root, readable by the pool's group, and keep the few directories the
    /// app writes owned by the pool user with mode `0750`/`0700`:
    /// `chmod -R o-w /srv/shop`; a directory shared on purpose needs the sticky bit (`1777`).
    /// `fpmaudit fix` prints a provisioning script with these commands for review.
    ///
    /// ## Example
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// drwxrwxrwx www-data www-data 33 33 /var/www/shop
    /// -rw-rw-rw- www-data www-data 33 33 /var/www/shop/index.php
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwxr-x--- root shop 0 1001 /var/www/shop
    /// -rw-r----- root shop 0 1001 /var/www/shop/index.php
    /// drwxrwxrwt root root 0 0 /tmp
    /// ```
    ///
    /// ## References
    /// - POSIX `chmod`: the sticky bit on directories (`S_ISVTX`)
    /// - Seed article, "filesystem permission strategies"
    WorldWritable {
        id: "FS-001",
        title: "World-writable file or directory in an app tree",
        severity: High,
        fixable: false,
    }
}

impl Rule for WorldWritable {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        let pools = pool_paths(cx.model);
        // Tree path → (pool, use), first pool wins; looked up along each entry's ancestors so
        // the check stays linear in the snapshot on hosts with hundreds of pools.
        let mut trees: BTreeMap<&str, (&str, &PathUse)> = BTreeMap::new();
        for p in &pools {
            for t in p.trees() {
                trees
                    .entry(t.path.as_str())
                    .or_insert((p.pool.name.as_str(), t));
            }
        }
        let tree_of = |path: &str| {
            std::iter::once(path)
                .chain(ancestors(path))
                .find_map(|a| trees.get(a).copied())
        };
        let hits = fs.entries.iter().filter(|e| {
            let open = match e.file_type {
                FileType::Dir => e.mode & 0o002 != 0 && !e.sticky(),
                FileType::File | FileType::Other => e.mode & 0o002 != 0,
                FileType::Socket | FileType::Symlink => false,
            };
            open && (pools.is_empty() || tree_of(&e.path).is_some())
        });
        for hit in fold(hits) {
            let e = hit.entry;
            let what = if e.is_dir() { "directory" } else { "file" };
            let message = format!(
                "{what} `{}` is writable by every local account ({}){}: any other app or user can plant or change code and data here",
                e.path,
                e.describe(),
                hit.more_text()
            );
            let mut finding = Self::meta_static().finding(e.file, e.line, message);
            if let Some((pool, tree)) = tree_of(&e.path)
                && let Some((file, range)) = tree.place
            {
                finding =
                    finding.with_related(file, range, format!("{} of pool [{pool}]", tree.what));
            }
            out.push(finding);
        }
    }
}
