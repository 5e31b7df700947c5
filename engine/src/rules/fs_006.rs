use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fs::apps::pool_paths;
use crate::model::listen::parse_mode;
use crate::syntax::snapshot::FileType;

declare_rule! {
    /// ## What it does
    /// Compares each pool's unix socket as the permissions snapshot shows it with what the pool
    /// asks for: owner `listen.owner`, group `listen.group` and mode `listen.mode` (default
    /// `0660`). An owner or group the pool leaves unset is the master's account, which the
    /// pool files do not tell, so it is not compared. Reports any difference, and says when
    /// the real mode is wider. Pools that use `listen.acl_users` or
    /// `listen.acl_groups` are skipped: the ACL, not the mode, decides there.
    ///
    /// ## Why is this bad?
    /// The configuration is not what runs: someone ran `chmod 666` on the socket to "fix" a 502,
    /// a stale socket of an old pool answers, or another master created it. Whoever can open
    /// the socket runs PHP as the pool and can set `PHP_ADMIN_VALUE` (open_basedir, extensions),
    /// so the real mode is what counts.
    ///
    /// ## How to fix
    /// Set `listen.owner`, `listen.group` and `listen.mode = 0660` in the pool, remove hand
    /// changes and restart PHP-FPM so it recreates the socket; check again with
    /// `stat /run/php/shop.sock`.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// listen.owner = www-data
    /// listen.group = www-data
    /// listen.mode = 0660
    /// ```
    /// ```fs-snapshot bad
    /// # fpmaudit fs-snapshot v1
    /// srw-rw-rw- www-data www-data 33 33 /run/php/shop.sock
    /// ```
    /// ```fs-snapshot good
    /// # fpmaudit fs-snapshot v1
    /// srw-rw---- www-data www-data 33 33 /run/php/shop.sock
    /// ```
    ///
    /// ## References
    /// - `sapi/fpm/fpm/fpm_unix.c`: `fpm_unix_set_socket_permissions`
    /// - CVE-2014-0185 (world-accessible FPM socket by default)
    SocketDiffersFromConfig {
        id: "FS-006",
        title: "The socket file's real owner/mode differ from the pool config",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for SocketDiffersFromConfig {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        if !fs.has_snapshot {
            return;
        }
        for pool in pool_paths(cx.model) {
            let section = pool.pool;
            if section.get("listen.acl_users").is_some()
                || section.get("listen.acl_groups").is_some()
            {
                continue;
            }
            let Some(socket) = &pool.socket else { continue };
            let Some(entry) = fs.entry(&socket.path) else {
                continue;
            };
            let setting = |key: &str| section.get(key).map(|s| s.value.clone());
            let owner = setting("listen.owner");
            let group = setting("listen.group");
            let mode = setting("listen.mode").map_or(0o660, |m| parse_mode(&m));
            let mut differences = Vec::new();
            if entry.file_type != FileType::Socket {
                differences.push(format!("it is not a socket (`{}`)", entry.describe()));
            }
            let uid_of = |name: &str| fs.user(name).map(|u| u.id);
            if let Some(owner) = owner.filter(|o| !names(o, &entry.owner, entry.uid, uid_of(o))) {
                differences.push(format!("owner `{}` instead of `{owner}`", entry.owner));
            }
            if let Some(group) = group.filter(|g| !names(g, &entry.group, entry.gid, fs.gid_of(g)))
            {
                differences.push(format!("group `{}` instead of `{group}`", entry.group));
            }
            let real = entry.mode & 0o777;
            if real != mode & 0o777 {
                let wider = if real & !mode != 0 {
                    ", wider than configured"
                } else {
                    ""
                };
                differences.push(format!(
                    "mode {real:04o} instead of {:04o}{wider}",
                    mode & 0o777
                ));
            }
            if differences.is_empty() {
                continue;
            }
            let message = format!(
                "socket `{}` of pool [{}] is not what the pool configures: {}",
                entry.path,
                section.name,
                differences.join(", ")
            );
            let mut finding = Self::meta_static().finding(entry.file, entry.line, message);
            if let Some((file, range)) = socket.place {
                finding = finding.with_related(file, range, "the pool's listen");
            }
            out.push(finding);
        }
    }
}

/// Whether a configured owner or group (a name or a number, `known` its number from the
/// databases) is the real one.
fn names(configured: &str, name: &str, id: u32, known: Option<u32>) -> bool {
    configured == name || configured.parse::<u32>().is_ok_and(|n| n == id) || known == Some(id)
}
