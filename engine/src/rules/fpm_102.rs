use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;

/// Groups whose members are root in all but name: sudo rights, the Docker or LXD daemon,
/// every log, the shadow file, raw disks.
const PRIVILEGED: &[&str] = &[
    "sudo", "wheel", "admin", "docker", "lxd", "adm", "shadow", "disk", "root",
];

declare_rule! {
    /// ## What it does
    /// Reports pools whose user is a member of a privileged group: `sudo`, `wheel`, `admin`,
    /// `docker`, `lxd`, `adm`, `shadow`, `disk` or `root`. FPM calls `initgroups()` for the pool
    /// user, so every group that lists the user in the group database (`getent group`) applies
    /// to the workers, as does the pool's `group` directive. The finding points at the group's
    /// line (or the account's, for a primary group), with the pool's `user` as related place.
    /// Without the group database only the `group` directive is judged.
    ///
    /// ## Why is this bad?
    /// PHP code runs with these groups. `docker` and `lxd` members control the container
    /// daemon and so the whole host; `disk` reads raw block devices; `shadow` reads password
    /// hashes; `adm` reads every log (sessions ids, tokens in URLs); `sudo`/`wheel` members are
    /// one password (or none) away from root.
    ///
    /// ## How to fix
    /// Run the pool as a dedicated system account in no other group:
    /// `gpasswd -d shop docker`, and `group = shop` in the pool.
    ///
    /// ## Example
    /// ```fpm-pool context
    /// [shop]
    /// user = shop
    /// listen = /run/php/shop.sock
    /// ```
    /// ```group bad
    /// shop:x:1001:
    /// docker:x:998:deploy,shop
    /// ```
    /// ```group good
    /// shop:x:1001:
    /// docker:x:998:deploy
    /// ```
    ///
    /// ## References
    /// - `sapi/fpm/fpm/fpm_unix.c`: `initgroups()` before `setuid()`
    /// - Docker documentation, "Docker daemon attack surface"
    PrivilegedGroup {
        id: "FPM-102",
        title: "Pool user in a privileged group",
        severity: High,
        fixable: false,
    }
}

impl Rule for PrivilegedGroup {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fs = &cx.model.fs;
        for pool in &cx.model.fpm.pools {
            let Some(user) = pool.get("user") else {
                continue;
            };
            if user.value == "root" || user.value == "0" {
                continue;
            }
            let group = pool.get("group");
            if let Some(g) = group.filter(|g| PRIVILEGED.contains(&g.value.as_str())) {
                let message = format!(
                    "pool [{}] runs with `group = {}`: PHP code gets that group's powers over the host",
                    pool.name, g.value
                );
                out.push(Self::meta_static().finding(g.origin.file, g.span(), message));
            }
            for record in fs.groups.iter().filter(|g| {
                PRIVILEGED.contains(&g.name.as_str()) && g.members.contains(&user.value)
            }) {
                let message = format!(
                    "pool [{}] runs as `{}`, a member of the privileged group `{}` (initgroups gives it to every worker): a compromised app controls the host through it",
                    pool.name, user.value, record.name
                );
                // At the group's line: that is what to change (`gpasswd -d`).
                out.push(
                    Self::meta_static()
                        .finding(record.file, record.line, message)
                        .with_related(user.origin.file, user.span(), "the pool's user"),
                );
            }
            if let Some(account) = fs.user(&user.value)
                && group.is_none()
                && let Some(primary) = fs.group_by_id(account.gid)
                && PRIVILEGED.contains(&primary.name.as_str())
            {
                let message = format!(
                    "pool [{}] runs as `{}`, whose primary group is the privileged `{}`",
                    pool.name, user.value, primary.name
                );
                out.push(
                    Self::meta_static()
                        .finding(account.file, account.line, message)
                        .with_related(user.origin.file, user.span(), "the pool's user"),
                );
            }
        }
    }
}
