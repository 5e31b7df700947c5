//! The ways one compromised app reaches another, read off the graph's structure. Each carries
//! the rule id whose docs explain it.

use std::collections::BTreeMap;

use super::build::{Builder, Route, UNKNOWN_USER};
use super::{EdgeKind, Lateral, NodeKind};
use crate::model::php_values::admits;
use crate::model::tenancy::Tenancy;
use crate::model::tenants::{is_root, is_web_account};

pub(super) fn derive(b: &mut Builder<'_>, routes: &[Route]) {
    shared_pools(b, routes);
    shared_users(b);
    shared_writable(b);
    reachable_sockets(b);
    basedir_overlaps(b, routes);
}

fn label(b: &Builder<'_>, node: usize) -> String {
    b.graph
        .nodes
        .get(node)
        .map_or_else(String::new, |n| n.label.clone())
}

fn push(
    b: &mut Builder<'_>,
    rule: &'static str,
    summary: String,
    nodes: Vec<usize>,
    edges: Vec<usize>,
) {
    b.graph.laterals.push(Lateral {
        rule,
        summary,
        nodes,
        edges,
    });
}

/// Sites with different roots that end in one pool run each other's code as one user.
fn shared_pools(b: &mut Builder<'_>, routes: &[Route]) {
    let mut by_pool: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
    for route in routes {
        for pool in &route.pools {
            by_pool.entry(pool.as_str()).or_default().push(route);
        }
    }
    for (pool, sites) in by_pool {
        let mut roots: Vec<Option<usize>> = sites.iter().map(|r| r.docroot).collect();
        crate::sort::sort(&mut roots);
        roots.dedup();
        if sites.len() < 2 || roots.len() < 2 {
            continue;
        }
        let Some(pool_node) = b.graph.node_index(&format!("pool:{pool}")) else {
            continue;
        };
        let names: Vec<String> = sites.iter().map(|r| label(b, r.vhost)).collect();
        let mut nodes: Vec<usize> = sites.iter().map(|r| r.vhost).collect();
        nodes.push(pool_node);
        let edges = sites.iter().flat_map(|r| r.edges.iter().copied()).collect();
        let summary = format!(
            "{} share pool [{pool}]: code of one site can read and change the others",
            names.join(", ")
        );
        push(b, "NGX-006", summary, nodes, edges);
    }
}

/// Pools that run as one unix user, and a pool that runs as the web server's user.
fn shared_users(b: &mut Builder<'_>) {
    let users: Vec<usize> = b
        .graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == NodeKind::User)
        .map(|(i, _)| i)
        .collect();
    for user in users {
        let runs: Vec<usize> = b
            .graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EdgeKind::RunsAs && e.to == user)
            .map(|(i, _)| i)
            .collect();
        let pools: Vec<usize> = runs
            .iter()
            .filter_map(|&e| b.graph.edges.get(e).map(|e| e.from))
            .collect();
        let name = b
            .graph
            .nodes
            .get(user)
            .map_or("", |n| n.id.trim_start_matches("user:"))
            .to_string();
        // Pools whose account no file decides, and root pools (FPM-101's), are not compared.
        if pools.len() >= 2 && name != UNKNOWN_USER && !is_root(&name) {
            let names: Vec<String> = pools.iter().map(|&p| label(b, p)).collect();
            let summary = format!(
                "{} all run as {name}: each can read and write the others' files",
                names.join(", ")
            );
            let mut nodes = pools.clone();
            nodes.push(user);
            push(b, "FPM-301", summary, nodes, runs.clone());
        }
        if name == b.web_user && !pools.is_empty() {
            let names: Vec<String> = pools.iter().map(|&p| label(b, p)).collect();
            let summary = format!(
                "{} run as the web server's user {name}: PHP code can read every site nginx serves",
                names.join(", ")
            );
            let mut nodes = pools;
            nodes.push(user);
            push(b, "FPM-302", summary, nodes, runs);
        }
    }
}

/// A directory that two users write into: sessions (FPM-303) or uploads and temp files (FPM-304).
fn shared_writable(b: &mut Builder<'_>) {
    let mut writers: BTreeMap<(usize, bool), Vec<usize>> = BTreeMap::new();
    for (i, e) in b.graph.edges.iter().enumerate() {
        if e.kind != EdgeKind::CanWrite {
            continue;
        }
        // Labels from the configuration only: edges from real modes are judged by
        // `evidence::cross_writable`.
        let labels = e.label.as_deref().unwrap_or("");
        let configured = || {
            labels
                .split(", ")
                .filter(|l| !l.starts_with(super::evidence::REAL))
        };
        if configured().any(|l| l.starts_with("sessions")) {
            writers.entry((e.to, true)).or_default().push(i);
        }
        if configured().any(|l| !l.starts_with("sessions")) {
            writers.entry((e.to, false)).or_default().push(i);
        }
    }
    for ((path, sessions), edges) in writers {
        let mut users: Vec<usize> = edges
            .iter()
            .filter_map(|&e| b.graph.edges.get(e).map(|e| e.from))
            .collect();
        crate::sort::sort(&mut users);
        users.dedup();
        if users.len() < 2 {
            continue;
        }
        let (rule, what) = if sessions {
            ("FPM-303", "sessions")
        } else {
            ("FPM-304", "uploads and temp files")
        };
        let names: Vec<String> = users.iter().map(|&u| label(b, u)).collect();
        let summary = format!(
            "{} keep their {what} in {}: one app can read or plant the others'",
            names.join(", "),
            label(b, path)
        );
        let mut nodes = users;
        nodes.push(path);
        push(b, rule, summary, nodes, edges);
    }
}

/// A socket that another tenant (or everyone, or the network) can connect to.
fn reachable_sockets(b: &mut Builder<'_>) {
    let tenancy = Tenancy::new(b.sources, b.model);
    let web = format!("user:{}", b.web_user);
    let candidates: Vec<(usize, usize, usize)> = b
        .graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EdgeKind::CanConnect)
        .map(|(i, e)| (i, e.from, e.to))
        .collect();
    for (edge, from, to) in candidates {
        let Some(source) = b.graph.nodes.get(from) else {
            continue;
        };
        let (rule, who) = match source.kind {
            NodeKind::Network => (
                if b.graph.edges.get(edge).and_then(|e| e.label.as_deref()) == Some("any host") {
                    "FPM-103"
                } else {
                    "FPM-104"
                },
                "anyone on the network".to_string(),
            ),
            NodeKind::Everyone => {
                let tcp = b.graph.edges.get(edge).and_then(|e| e.label.as_deref()) == Some("TCP");
                // On TCP, FPM-306 only when another tenant is there to use it, as the rule.
                if tcp && !tenants_reach_tcp(b, &tenancy, to) {
                    continue;
                }
                (
                    if tcp { "FPM-306" } else { "FPM-106" },
                    "every local user".to_string(),
                )
            }
            NodeKind::User
                if source.id != web
                    && !is_web_account(b.model, source.id.trim_start_matches("user:")) =>
            {
                ("FPM-306", format!("user {}", source.label))
            }
            _ => continue,
        };
        let summary = format!(
            "{who} can connect to {} and run PHP as its pool",
            label(b, to)
        );
        push(b, rule, summary, vec![from, to], vec![edge]);
    }
}

/// Whether a pool listening on the TCP endpoint `node` has other tenants that can connect.
fn tenants_reach_tcp(b: &Builder<'_>, tenancy: &Tenancy<'_>, node: usize) -> bool {
    b.pool_endpoint
        .iter()
        .filter(|(_, ep)| **ep == node)
        .filter_map(|(name, _)| b.model.fpm.pool(name))
        .any(|pool| tenancy.tcp_tenants(pool, 0).1 > 0)
}

/// A pool whose `open_basedir` admits another site's root.
fn basedir_overlaps(b: &mut Builder<'_>, routes: &[Route]) {
    let confined: Vec<(usize, usize, usize)> = b
        .graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EdgeKind::ConfinedTo)
        .map(|(i, e)| (i, e.from, e.to))
        .collect();
    for (edge, pool, entry) in confined {
        let pool_name = label(b, pool).trim_matches(['[', ']']).to_string();
        let entry_path = label(b, entry);
        for route in routes.iter().filter(|r| !r.pools.contains(&pool_name)) {
            let Some(root) = route.docroot else {
                continue;
            };
            let root_path = label(b, root);
            if admits(&entry_path, &root_path) {
                let summary = format!(
                    "open_basedir of [{pool_name}] ({entry_path}) admits {root_path}, the root of {}",
                    label(b, route.vhost)
                );
                push(b, "FPM-305", summary, vec![pool, entry, root], vec![edge]);
            }
        }
    }
}
