use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::apps::{is_within, pool_paths};
use crate::model::fs::judge::fold;

declare_rule! {
    /// ## What it does
    /// For every two pools that run as different users, reads the permissions snapshot for the
    /// first pool's trees (code, `chdir`, and the session, upload and temp directories it sets)
    /// and reports the paths the second pool's user can write: as owner, through a group the
    /// second pool holds, or because they are world-writable. Paths that are also the second
    /// pool's own trees (a shared `/tmp`) are left to FPM-303 and FPM-304. A run of writable
    /// paths under one directory is one finding at the topmost.
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
        for owner in &pools {
            for other in &pools {
                let (Some(owner_user), Some(other_user)) = (&owner.user, &other.user) else {
                    continue;
                };
                let id = fs.identity(other_user, other.group.as_deref());
                if owner_user == other_user || id.is_root() {
                    continue;
                }
                let theirs: Vec<&str> = other.trees().map(|t| t.path.as_str()).collect();
                for tree in owner
                    .code
                    .iter()
                    .chain(owner.state.iter().filter(|s| s.configured))
                {
                    if theirs.iter().any(|t| is_within(&tree.path, t)) {
                        continue;
                    }
                    let hits = fs.under(&tree.path).filter(|e| {
                        !theirs.iter().any(|t| is_within(&e.path, t))
                            && fs.can_write(&id, e).is_some()
                    });
                    for hit in fold(hits) {
                        let e = hit.entry;
                        let how = fs
                            .can_write(&id, e)
                            .map_or_else(String::new, |g| g.describe());
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
