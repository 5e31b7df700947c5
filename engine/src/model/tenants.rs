//! Pools as tenants of one host: which unix account each runs as, and who besides it may open
//! its socket. FPM-301, FPM-306 and the trust map's lateral paths all read these, so the rules
//! and the map agree on who shares what.
//!
//! Semantics follow `sapi/fpm/fpm/fpm_unix.c`: a master running as root switches each pool to
//! its `user`/`group`; a master started as another user ignores those directives ("'user'
//! directive is ignored when FPM is not running as root"), so every pool runs as the master's
//! account. A socket is created by the master (its owner and group, mode 0660) and then given
//! `listen.owner` (and that account's primary group) and `listen.group`; `listen.acl_users`/
//! `listen.acl_groups` replace owner and group with POSIX ACL entries.

use super::Model;
use super::fpm::{Section, Setting};
use super::listen::{Listen, parse_mode};
use crate::source::{FileId, SourceSet};
use crate::text::TextRange;

/// The account a pool's workers run as, and where that is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunsAs {
    /// As written: a name or a numeric uid.
    pub user: String,
    /// The pool's `group`, else the group named like the user (how distributions create
    /// accounts; `/etc/group` is not read).
    pub group: String,
    /// The `user` line, or the unit's `User=` line when a non-root master decides.
    pub place: (FileId, TextRange),
    /// The unit whose non-root master overrides the pool's `user`.
    pub master: Option<String>,
}

/// Whether two accounts as written are the same: equal names, or equal numeric uids
/// (`0033` is 33). A name and a number are not compared: without `/etc/passwd` nothing says
/// which uid a name has.
pub fn same_account(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(x), Ok(y)) => x == y,
        (Err(_), Err(_)) => a == b,
        _ => false,
    }
}

/// A key equal for the accounts [`same_account`] calls the same.
pub fn account_key(account: &str) -> String {
    let account = account.trim();
    account
        .parse::<u32>()
        .map_or_else(|_| format!("name:{account}"), |uid| format!("uid:{uid}"))
}

/// Whether an account as written is root.
pub fn is_root(account: &str) -> bool {
    same_account(account, "root") || same_account(account, "0")
}

/// Who `pool` runs as; `None` when no file says (no `user` and no unit with a non-root
/// `User=`: the pool then runs as whoever starts FPM, or FPM refuses to start as root).
pub fn runs_as(sources: &SourceSet, model: &Model, pool: &Section) -> Option<RunsAs> {
    let master = model.systemd.units_serving(sources, pool).find_map(|unit| {
        let user = unit.get("Service", "User")?;
        let name = user.value.trim();
        (!name.is_empty() && !is_root(name)).then_some((unit, user))
    });
    if let Some((unit, user)) = master {
        let group = unit
            .value("Service", "Group")
            .map_or_else(|| user.value.trim().to_string(), |g| g.trim().to_string());
        return Some(RunsAs {
            user: user.value.trim().to_string(),
            group,
            place: (user.origin.file, user.span()),
            master: Some(unit.name.clone()),
        });
    }
    let user = pool.get("user").filter(|u| !u.value.trim().is_empty())?;
    let group = pool
        .get("group")
        .map(|g| g.value.trim())
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| user.value.trim());
    Some(RunsAs {
        user: user.value.trim().to_string(),
        group: group.to_string(),
        place: (user.origin.file, user.span()),
        master: None,
    })
}

/// The socket's owner and group after FPM applied `listen.owner`/`listen.group`; an empty
/// string is the master's own account (root in the usual setup).
pub fn socket_owner(pool: &Section) -> (String, String) {
    let value = |key: &str| {
        pool.get(key)
            .map(|s| s.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let owner = value("listen.owner").unwrap_or_default();
    // `listen.owner` also sets the group to that account's primary group, assumed to carry
    // its name.
    let group = value("listen.group").unwrap_or_else(|| owner.clone());
    (owner, group)
}

/// The setting that lets the account `user` (primary group `group`) open `pool`'s unix socket:
/// an ACL entry naming it, else the owner or group with the matching write bit. `None` when
/// nothing grants it, and for TCP sockets (see [`is_tcp`]).
pub fn unix_grant<'s>(pool: &'s Section, user: &str, group: &str) -> Option<&'s Setting> {
    let listen = pool.get("listen")?;
    if !matches!(Listen::parse(&listen.value), Listen::Unix(_)) {
        return None;
    }
    let acl_users = pool.get("listen.acl_users");
    let acl_groups = pool.get("listen.acl_groups");
    if acl_users.is_some() || acl_groups.is_some() {
        return in_list(acl_users, user).or_else(|| in_list(acl_groups, group));
    }
    let mode = pool
        .get("listen.mode")
        .map_or(0o660, |m| parse_mode(&m.value));
    let (owner, socket_group) = socket_owner(pool);
    if !owner.is_empty() && same_account(&owner, user) && mode & 0o200 != 0 {
        return pool.get("listen.owner");
    }
    if !socket_group.is_empty() && same_account(&socket_group, group) && mode & 0o020 != 0 {
        return pool
            .get("listen.group")
            .or_else(|| pool.get("listen.owner"));
    }
    None
}

/// Whether the pool listens on TCP, where no file permission keeps any local user out.
pub fn is_tcp(pool: &Section) -> bool {
    pool.get("listen")
        .is_some_and(|l| matches!(Listen::parse(&l.value), Listen::Tcp { .. }))
}

/// An ACL list (`www-data,shop`) without the accounts in `names`; `None` when nothing would
/// be left, since an empty ACL lets nobody in (the web server included).
pub fn acl_without(list: &str, names: &[&str]) -> Option<String> {
    let kept: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|v| !names.iter().any(|n| same_account(v, n)))
        .collect();
    (!kept.is_empty()).then(|| kept.join(","))
}

/// The ACL setting when its comma-separated list names `name`.
fn in_list<'s>(list: Option<&'s Setting>, name: &str) -> Option<&'s Setting> {
    list.filter(|l| l.value.split(',').any(|v| same_account(v, name)))
}

/// nginx's worker account and group when nginx.conf is given: `user name [group];`, the group
/// defaulting to the one named like the user (nginx's documented default).
pub fn web_server(model: &Model) -> Option<(String, String)> {
    let user = model.nginx.worker_user()?.to_string();
    let group = model
        .nginx
        .roots
        .iter()
        .flat_map(|r| &r.settings)
        .filter(|s| s.name == "user")
        .find_map(|s| s.arg(1).map(str::to_string))
        .unwrap_or_else(|| user.clone());
    Some((user, group))
}

/// Accounts web servers run as on common distributions, used when nginx.conf is not given.
pub const USUAL_WEB_SERVER_USERS: [&str; 6] =
    ["www-data", "nginx", "apache", "http", "wwwrun", "www"];

/// Whether `user` is the web server's account: nginx's `user` when nginx.conf is given, else
/// any of the usual web server accounts (the socket's intended client, not a tenant).
pub fn is_web_account(model: &Model, user: &str) -> bool {
    match model.nginx.worker_user() {
        Some(web) => same_account(web, user),
        None => USUAL_WEB_SERVER_USERS.contains(&user.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_compare_as_fpm_resolves_them() {
        assert!(same_account("33", "0033"));
        assert!(same_account("shop", "shop"));
        assert!(!same_account("33", "www-data"));
        assert!(is_root("0") && is_root("root") && !is_root("rooter"));
    }
}
