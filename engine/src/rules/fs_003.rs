use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::Grant;
use crate::model::fs::judge::{PoolCode, fold, pool_code};

declare_rule! {
    /// ## What it does
    /// For every pool with its own `user`, reads the permissions snapshot for code of the pool's
    /// trees (as FS-002 does) that root owns but leaves writable to its group (`g+w`), where the
    /// group is one the pool's workers hold: the pool's `group`, the account's primary group, or
    /// a group that lists the user in the group database. Data directories and the pool's
    /// session, upload and temp directories are not code and are skipped.
    ///
    /// ## Why is this bad?
    /// Root ownership looks like the code is protected, but the group bit gives the pool the
    /// same power as owning it: a compromised app rewrites its code (and, with `setgid`
    /// directories, everything created later inherits the same group). Often the web server's
    /// group (`www-data`) is the one left writable, so every pool in that group can do it.
    ///
    /// ## How to fix
    /// Drop the group write bit on code: `chmod -R g-w /srv/shop` (keep `g+rX` so the pool can
    /// read), and keep only the data directories writable, owned by the pool user.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// group = shop
    /// listen = /run/php/shop.sock
    /// chdir = /srv/shop
    /// ```
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// drwxrwxr-x root shop 0 1001 /srv/shop
    /// -rw-rw-r-- root shop 0 1001 /srv/shop/index.php
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwxr-x--- root shop 0 1001 /srv/shop
    /// -rw-r----- root shop 0 1001 /srv/shop/index.php
    /// ```
    ///
    /// ## References
    /// - `initgroups(3)`: supplementary groups of the pool user apply to the workers
    /// - Seed article, "filesystem permission strategies": root-owned, group-readable code
    RootTreeGroupWritable {
        id: "FS-003",
        title: "Root-owned app tree writable by a pool user's group",
        severity: High,
        fixable: false,
    }
}

impl Rule for RootTreeGroupWritable {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        let mut seen = Vec::new();
        for PoolCode {
            pool,
            user,
            id,
            trees,
        } in pool_code(cx.model)
        {
            for entries in &trees {
                let hits: Vec<_> = entries
                    .iter()
                    .copied()
                    .filter(|e| {
                        e.uid == 0
                            && e.mode & 0o020 != 0
                            && matches!(fs.can_write(&id, e), Some(Grant::Group(_)))
                    })
                    .collect();
                for hit in fold(hits) {
                    let e = hit.entry;
                    if seen.contains(&(e.file, e.line, pool.pool.name.clone())) {
                        continue;
                    }
                    seen.push((e.file, e.line, pool.pool.name.clone()));
                    let message = format!(
                        "`{}` is root's but writable by group `{}` ({}){}, which pool [{}] (user `{user}`) holds: the app can rewrite this code",
                        e.path,
                        e.group,
                        e.describe(),
                        hit.more_text(),
                        pool.pool.name
                    );
                    let mut finding = Self::meta_static().finding(e.file, e.line, message);
                    if let Some((file, range)) = pool.anchor() {
                        finding = finding.with_related(file, range, "the pool's user");
                    }
                    if let Some(group) = fs.group(&e.group) {
                        finding = finding.with_related(group.file, group.line, "the group");
                    }
                    out.push(finding);
                }
            }
        }
    }
}
