use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::Grant;
use crate::model::fs::judge::{PoolCode, fold, pool_code};

declare_rule! {
    /// ## What it does
    /// For every pool with its own `user`, reads the permissions snapshot for the pool's code
    /// (the web roots nginx sends to it, the app directory above a `public/` root, `chdir`, its
    /// `open_basedir` trees) and reports code the pool user can change: PHP files
    /// (`.php`, `.phtml`, `.phar`, `.inc`, ...), `.user.ini` and `.htaccess`, and the
    /// directories that hold them. It counts write access as the owner, or through a group when
    /// the file is not root's (root-owned trees writable by the group are FS-003, world-writable
    /// ones FS-001). Data directories (`uploads`, `cache`, `tmp`, ...) and the pool's session,
    /// upload and temp directories are left to FS-005.
    ///
    /// ## Why is this bad?
    /// A bug that lets an attacker write one file (an upload filter bypass, a path traversal,
    /// a vulnerable plugin) then rewrites the app itself: the backdoor survives the fix of the
    /// bug, updates and restarts, and runs with the app's rights on every request.
    ///
    /// ## How to fix
    /// Let root (or a deploy account) own the code and give the pool only read access:
    /// `chown -R root:shop /srv/shop && chmod -R u=rwX,g=rX,o= /srv/shop`, then give back
    /// write access to the data directories only (`chown shop /srv/shop/storage`).
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
    /// drwxr-xr-x shop shop 1001 1001 /srv/shop
    /// -rw-r--r-- shop shop 1001 1001 /srv/shop/index.php
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwxr-x--- root shop 0 1001 /srv/shop
    /// -rw-r----- root shop 0 1001 /srv/shop/index.php
    /// drwxrwx--- shop shop 1001 1001 /srv/shop/uploads
    /// ```
    ///
    /// ## References
    /// - OWASP, "File Upload Cheat Sheet" (store uploads outside code, no execute)
    /// - Seed article, "filesystem permission strategies": code read-only to the pool
    CodeWritableByPool {
        id: "FS-002",
        title: "App code writable by its own pool user",
        severity: High,
        fixable: false,
    }
}

impl Rule for CodeWritableByPool {
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
                    .filter_map(|e| match fs.can_write(&id, e)? {
                        Grant::Owner => Some((e, Grant::Owner)),
                        Grant::Group(g) if e.uid != 0 => Some((e, Grant::Group(g))),
                        _ => None,
                    })
                    .collect();
                let grants: Vec<(String, Grant)> = hits
                    .iter()
                    .map(|(e, g)| (e.path.clone(), g.clone()))
                    .collect();
                for hit in fold(hits.iter().map(|(e, _)| *e)) {
                    let e = hit.entry;
                    if seen.contains(&(e.file, e.line)) {
                        continue;
                    }
                    seen.push((e.file, e.line));
                    let how = grants
                        .iter()
                        .find(|(p, _)| *p == e.path)
                        .map_or_else(String::new, |(_, g)| g.describe());
                    let message = format!(
                        "pool [{}] runs as `{user}`, which can rewrite its own code `{}` {how} ({}){}: one file-write bug becomes a persistent backdoor",
                        pool.pool.name,
                        e.path,
                        e.describe(),
                        hit.more_text()
                    );
                    let mut finding = Self::meta_static().finding(e.file, e.line, message);
                    if let Some((file, range)) = pool.anchor() {
                        finding = finding.with_related(file, range, "the pool's user");
                    }
                    out.push(finding);
                }
            }
        }
    }
}
