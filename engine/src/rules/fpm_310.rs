use std::collections::BTreeMap;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::apps::{is_within, pool_paths};
use crate::model::fs::judge::fold;
use crate::model::fs::writers::WriterIndex;
use crate::model::fs::{FsEntry, Grant, Identity};

declare_rule! {
    /// ## What it does
    /// For every two pools that run as different users, reads the permissions snapshot for the
    /// first pool's trees (code, `chdir`, and the session, upload and temp directories it sets)
    /// and reports the paths the second pool's user can write as their owner or through a group
    /// it holds. World-writable paths are FS-001's (one finding, not one per pool pair); paths
    /// that are also the second pool's own trees (a shared `/tmp`) are left to FPM-303 and
    /// FPM-304. A run of writable paths under one directory is one finding at the topmost.
    ///
    /// ## Why is this bad?
    /// Separate users are the wall between apps; a path one app can write in the other's tree
    /// is a door in it. A compromised blog plants PHP in the shop's web root, or rewrites its
    /// sessions, and runs as the shop on the next request.
    ///
    /// ## How to fix
    /// Give each app's tree to root (code) or to its own pool user (data), with the group and
    /// other bits closed to other pools: `chown -R root:shop /srv/shop; chmod -R o-rwx,g-w
    /// /srv/shop`; do not put pool users in each other's groups or in the web server's group.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// chdir = /srv/shop
    /// [blog]
    /// user = blog
    /// listen = /run/php/blog.sock
    /// chdir = /srv/blog
    /// ```
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// drwxr-xr-x root shop 0 1001 /srv/shop
    /// drwxrwx--- blog shop 1002 1001 /srv/shop/lib
    /// -rw-r----- root shop 0 1001 /srv/shop/lib/a.php
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwxr-xr-x root shop 0 1001 /srv/shop
    /// drwxr-xr-x root shop 0 1001 /srv/shop/lib
    /// -rw-r----- root shop 0 1001 /srv/shop/lib/a.php
    /// ```
    ///
    /// ## References
    /// - Seed article, "filesystem permission strategies": one user per app
    /// - PHP manual, FPM configuration: `user`, `group`
    CrossWritablePaths {
        id: "FPM-310",
        title: "One pool's paths writable by another pool's user",
        severity: High,
        fixable: false,
    }
}

impl Rule for CrossWritablePaths {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        let pools = pool_paths(cx.model);
        let identities: Vec<Option<Identity>> = pools.iter().map(|p| fs.pool_identity(p)).collect();
        let index = WriterIndex::new(&identities);
        for (a, owner) in pools.iter().enumerate() {
            let Some(owner_user) = &owner.user else {
                continue;
            };
            for tree in owner
                .code
                .iter()
                .chain(owner.state.iter().filter(|s| s.configured))
            {
                // Per other pool, the paths of this tree it can write, in path order.
                let mut hits: BTreeMap<usize, Vec<(&FsEntry, Grant)>> = BTreeMap::new();
                for e in fs.under(&tree.path) {
                    for (b, grant) in index.writers(fs, e) {
                        let Some(other) = pools.get(b) else { continue };
                        let theirs = || {
                            other.trees().any(|t| {
                                is_within(&tree.path, &t.path) || is_within(&e.path, &t.path)
                            })
                        };
                        if b == a || other.user.as_deref() == Some(owner_user.as_str()) || theirs()
                        {
                            continue;
                        }
                        hits.entry(b).or_default().push((e, grant));
                    }
                }
                for (b, entries) in hits {
                    let Some(other) = pools.get(b) else { continue };
                    let other_user = other.user.as_deref().unwrap_or("");
                    for hit in fold(entries.iter().map(|(e, _)| *e)) {
                        let e = hit.entry;
                        let how = entries
                            .iter()
                            .find(|(x, _)| x.path == e.path)
                            .map_or_else(String::new, |(_, g)| g.describe());
                        let message = format!(
                            "pool [{}] (user `{other_user}`) can write `{}` in the {} of pool [{}] {how} ({}){}: one app can plant code or data in the other",
                            other.pool.name,
                            e.path,
                            tree.what,
                            owner.pool.name,
                            e.describe(),
                            hit.more_text()
                        );
                        let mut finding = Self::meta_static().finding(e.file, e.line, message);
                        if let Some((file, range)) = other.anchor() {
                            finding = finding.with_related(
                                file,
                                range,
                                format!("pool [{}]'s user", other.pool.name),
                            );
                        }
                        if let Some((file, range)) = tree.place {
                            finding = finding.with_related(
                                file,
                                range,
                                format!("{} of pool [{}]", tree.what, owner.pool.name),
                            );
                        }
                        out.push(finding);
                    }
                }
            }
        }
    }
}
