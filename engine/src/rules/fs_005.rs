use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fs::judge::{in_data_dir, is_code};

declare_rule! {
    /// ## What it does
    /// Reads the permissions snapshot for PHP files (`.php`, `.phtml`, `.phar`, ...,
    /// `.user.ini`, `.htaccess`) inside directories a pool writes: its session, upload and temp
    /// directories, and data directories (`uploads`, `files`, `media`, `cache`, `tmp`, ...)
    /// under the web roots nginx serves for it that the pool user can write. Each file is one
    /// finding; under a web root the severity is raised to high, since nginx hands such a file
    /// to PHP.
    ///
    /// ## Why is this bad?
    /// Apps do not put code in their upload or temp directories; PHP files there are usually
    /// uploaded web shells, or plugins that write code at run time. Under a web root, one
    /// request runs them with the pool's rights.
    ///
    /// ## How to fix
    /// Inspect and remove the files. Keep upload directories outside the web root or deny
    /// PHP there in nginx (`location ^~ /uploads/ { location ~ \.php$ { deny all; } }`), and
    /// mount them `noexec` where possible.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// php_admin_value[upload_tmp_dir] = /srv/shop/upload-tmp
    /// ```
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// drwx------ shop shop 1001 1001 /srv/shop/upload-tmp
    /// -rw------- shop shop 1001 1001 /srv/shop/upload-tmp/x.php
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwx------ shop shop 1001 1001 /srv/shop/upload-tmp
    /// -rw------- shop shop 1001 1001 /srv/shop/upload-tmp/phpA1b2C3
    /// ```
    ///
    /// ## References
    /// - OWASP, "File Upload Cheat Sheet"
    /// - nginx pitfalls: passing uncontrolled requests to PHP
    PhpInWritableDir {
        id: "FS-005",
        title: "PHP files present in an upload or writable directory",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for PhpInWritableDir {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        let mut seen = Vec::new();
        for pool in crate::model::fs::apps::pool_paths(cx.model) {
            let id = pool
                .user
                .as_deref()
                .map(|u| fs.identity(u, pool.group.as_deref()));
            let mut hits = Vec::new();
            for dir in &pool.state {
                for e in fs.under(&dir.path).filter(|e| is_code(e)) {
                    hits.push((e, format!("the pool's {} directory", dir.what), false));
                }
            }
            for root in &pool.web_roots {
                for e in fs
                    .under(&root.path)
                    .filter(|e| is_code(e) && in_data_dir(&e.path, &root.path))
                {
                    let parent = crate::model::fs::ancestors(&e.path)
                        .next()
                        .and_then(|p| fs.entry(p));
                    let writable = match (&id, parent) {
                        (Some(id), Some(dir)) => fs.can_write(id, dir).is_some(),
                        (None, Some(dir)) => dir.mode & 0o002 != 0,
                        _ => false,
                    };
                    if writable {
                        hits.push((
                            e,
                            "a data directory under the web root that the pool can write"
                                .to_string(),
                            true,
                        ));
                    }
                }
            }
            for (e, place, served) in hits {
                if seen.contains(&(e.file, e.line)) {
                    continue;
                }
                seen.push((e.file, e.line));
                let mut message = format!(
                    "PHP file `{}` ({}) sits in {place} (pool [{}]): apps do not keep code there, it is likely an uploaded web shell",
                    e.path,
                    e.describe(),
                    pool.pool.name
                );
                let mut finding = Self::meta_static().finding(e.file, e.line, String::new());
                if served {
                    message.push_str("; under the web root one request runs it (severity raised)");
                    finding = finding.with_severity(Severity::High);
                }
                finding.message = message;
                if let Some((file, range)) = pool.anchor() {
                    finding = finding.with_related(file, range, "the pool");
                }
                out.push(finding);
            }
        }
    }
}
