use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::Grant;
use crate::model::fs::apps::pool_paths;

declare_rule! {
    /// ## What it does
    /// For the session, upload and temp directories a pool sets (`session.save_path`,
    /// `upload_tmp_dir`, `sys_temp_dir`), reads the directory's mode and owner from the
    /// permissions snapshot and reports it when it is not private to the pool: another pool's
    /// user or every account can create, delete or rename files in it without the sticky bit,
    /// or (for sessions) can list it, which reveals every session id. PHP's defaults are left
    /// to FPM-303 and FPM-304, since where they point depends on the build.
    ///
    /// ## Why is this bad?
    /// Session files are logins: whoever lists them can replay the ids as cookies, and whoever
    /// can write the directory can delete or plant sessions. Upload and temp files in a
    /// directory others can write are swapped between the upload and the app's
    /// `move_uploaded_file()`.
    ///
    /// ## How to fix
    /// One directory per pool, owned by the pool user, mode `0700` (or `1733` root-owned for a
    /// directory shared on purpose, as Debian's `/var/lib/php/sessions`):
    /// `install -d -o shop -g shop -m 0700 /var/lib/php/sessions/shop`.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// php_admin_value[session.save_path] = /var/lib/php/sessions/shop
    /// ```
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// drwxrwxrwx root root 0 0 /var/lib/php/sessions/shop
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// drwx------ shop shop 1001 1001 /var/lib/php/sessions/shop
    /// ```
    ///
    /// ## References
    /// - PHP manual, `session.save_path` (notes on shared hosts and directory modes)
    /// - Debian `php-common`: `/var/lib/php/sessions` is `1733 root:root`
    StateDirNotPrivate {
        id: "FS-004",
        title: "Session, upload or temp directory shared and not private",
        severity: High,
        fixable: false,
    }
}

impl Rule for StateDirNotPrivate {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        let pools = pool_paths(cx.model);
        let identities: Vec<(String, crate::model::fs::Identity)> = pools
            .iter()
            .filter_map(|p| {
                let user = p.user.as_deref()?;
                Some((p.pool.name.clone(), fs.identity(user, p.group.as_deref())))
            })
            .collect();
        let mut seen: Vec<String> = Vec::new();
        for pool in &pools {
            let own = pool.user.as_deref().unwrap_or("");
            for dir in pool.state.iter().filter(|d| d.configured) {
                let Some(entry) = fs.entry(&dir.path).filter(|e| e.is_dir()) else {
                    continue;
                };
                if seen.contains(&entry.path) {
                    continue;
                }
                let mut problems = Vec::new();
                if entry.mode & 0o002 != 0 && !entry.sticky() {
                    problems
                        .push("every account can delete, rename or plant files in it".to_string());
                } else if !entry.sticky() {
                    let writers: Vec<String> = identities
                        .iter()
                        .filter(|(_, id)| id.name != own && !id.is_root())
                        .filter_map(|(name, id)| {
                            let grant = fs.can_write(id, entry)?;
                            (grant != Grant::Other).then(|| {
                                format!("pool [{name}] ({} {})", id.name, grant.describe())
                            })
                        })
                        .collect();
                    if !writers.is_empty() {
                        problems.push(format!(
                            "{} can delete, rename or plant files in it",
                            writers.join(", ")
                        ));
                    }
                }
                if dir.what == "sessions" {
                    if entry.mode & 0o005 == 0o005 {
                        problems.push("every account can list it and read the session ids".into());
                    } else {
                        let readers: Vec<String> = identities
                            .iter()
                            .filter(|(_, id)| id.name != own && !id.is_root())
                            .filter(|(_, id)| fs.can_read(id, entry).is_some())
                            .map(|(name, _)| format!("pool [{name}]"))
                            .collect();
                        if !readers.is_empty() {
                            problems
                                .push(format!("{} can list the session ids", readers.join(", ")));
                        }
                    }
                }
                if problems.is_empty() {
                    continue;
                }
                seen.push(entry.path.clone());
                let message = format!(
                    "the {} directory `{}` of pool [{}] is not private ({}): {}",
                    dir.what,
                    entry.path,
                    pool.pool.name,
                    entry.describe(),
                    problems.join("; ")
                );
                let mut finding = Self::meta_static().finding(entry.file, entry.line, message);
                if let Some((file, range)) = dir.place {
                    finding = finding.with_related(
                        file,
                        range,
                        format!("the pool's {} directory", dir.what),
                    );
                }
                out.push(finding);
            }
        }
    }
}
