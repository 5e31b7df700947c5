//! Who can connect to each pool's socket besides the pool itself.

use super::build::{Builder, setting_place};
use super::{EdgeKind, NodeKind};
use crate::model::fpm::Section;
use crate::model::listen::{Listen, parse_mode};
use crate::model::tenants::unix_grant;

/// Who besides the pool itself can open its socket: by mode, owner and group (or the ACL that
/// replaces them), and anyone on the host or the network for TCP.
pub(super) fn add_socket_access(b: &mut Builder<'_>, pool: &Section) {
    let Some(&ep) = b.pool_endpoint.get(&pool.name) else {
        return;
    };
    let Some(listen) = pool.get("listen") else {
        return;
    };
    let own_user = b.pool_user.get(&pool.name).cloned().unwrap_or_default();
    match Listen::parse(&listen.value) {
        Listen::Tcp { .. } => {
            let address = Listen::parse(&listen.value);
            let allowed = pool.get("listen.allowed_clients");
            if address.is_all_interfaces() || (!address.is_loopback() && allowed.is_none()) {
                let net = b.node("network".into(), NodeKind::Network, "network".into(), None);
                let label = allowed.map_or_else(
                    || "any host".to_string(),
                    |a| format!("port open; served: {}", a.value),
                );
                b.edge(
                    net,
                    ep,
                    EdgeKind::CanConnect,
                    Some(label),
                    Some(setting_place(listen)),
                );
            }
            b.detail(ep, "TCP: no file permissions".into());
            let everyone = b.node(
                "everyone".into(),
                NodeKind::Everyone,
                "every local user".into(),
                None,
            );
            b.edge(
                everyone,
                ep,
                EdgeKind::CanConnect,
                Some("TCP".into()),
                Some(setting_place(listen)),
            );
        }
        Listen::Unix(_) => unix_access(b, pool, ep, &own_user),
    }
}

/// Who can open a unix socket: its mode, owner and group, or the ACL that replaces them.
fn unix_access(b: &mut Builder<'_>, pool: &Section, ep: usize, own_user: &str) {
    let owner = pool
        .get("listen.owner")
        .map_or_else(|| own_user.to_string(), |s| s.value.clone());
    let group = pool.get("listen.group").map_or_else(
        || b.pool_group.get(&pool.name).cloned().unwrap_or_default(),
        |s| s.value.clone(),
    );
    let mode_setting = pool.get("listen.mode");
    let mode = mode_setting.map_or(0o660, |m| parse_mode(&m.value));
    let acl_users = pool.get("listen.acl_users");
    let acl_groups = pool.get("listen.acl_groups");
    if acl_users.is_some() || acl_groups.is_some() {
        let users = acl_users.map_or("", |s| s.value.as_str());
        let groups = acl_groups.map_or("", |s| s.value.as_str());
        b.detail(
            ep,
            format!("ACL users {users} groups {groups}")
                .trim()
                .to_string(),
        );
    } else {
        b.detail(ep, format!("{owner}:{group} {mode:04o}"));
    }
    if mode & 0o002 != 0 && acl_users.is_none() && acl_groups.is_none() {
        let everyone = b.node(
            "everyone".into(),
            NodeKind::Everyone,
            "every local user".into(),
            None,
        );
        b.edge(
            everyone,
            ep,
            EdgeKind::CanConnect,
            Some(format!("mode {mode:04o}")),
            mode_setting.map(setting_place),
        );
    }
    let mut candidates: Vec<(String, String)> = b
        .pool_user
        .iter()
        .map(|(p, u)| (u.clone(), b.pool_group.get(p).cloned().unwrap_or_default()))
        .collect();
    // nginx's primary group is assumed to carry its name, as Debian creates it.
    candidates.push((b.web_user.clone(), b.web_user.clone()));
    crate::sort::sort(&mut candidates);
    candidates.dedup();
    for (user, user_group) in candidates {
        if user == own_user {
            continue;
        }
        // The same test FPM-306 makes, so the map and the rule agree.
        let Some(by) = unix_grant(pool, &user, &user_group) else {
            continue;
        };
        let node = b.user(&user);
        b.edge(
            node,
            ep,
            EdgeKind::CanConnect,
            None,
            Some(setting_place(by)),
        );
    }
}
