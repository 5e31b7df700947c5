//! Edges from real modes: which pool users can write or read the app trees, as the
//! permissions snapshot shows them (not as the configuration intends). A directory two pool
//! users can write is a lateral path (FPM-310) even when no configuration line names it twice.

use std::collections::BTreeMap;

use super::build::Builder;
use super::{EdgeKind, Lateral, NodeKind, Place};
use crate::model::fs::apps::{is_within, pool_paths};
use crate::model::fs::judge::fold;

/// Labels of evidence edges start with this, so the configuration-based passes skip them.
pub(super) const REAL: &str = "real mode";
/// Paths drawn per user and tree: the map shows the doors, the findings list every one.
const MAX_PER_TREE: usize = 4;

pub(super) fn add_fs_edges(b: &mut Builder<'_>) {
    let model = b.model;
    let fs = &model.fs;
    if !fs.has_snapshot {
        return;
    }
    let pools = pool_paths(model);
    let mut users: Vec<(String, Option<String>)> = pools
        .iter()
        .filter_map(|p| Some((p.user.clone()?, p.group.clone())))
        .collect();
    users.sort();
    users.dedup_by(|a, b| a.0 == b.0);
    for tree in pools
        .iter()
        .flat_map(|p| p.trees().cloned().collect::<Vec<_>>())
    {
        if let Some(entry) = fs.entry(&tree.path) {
            let node = b.node(
                format!("path:{}", tree.path),
                NodeKind::Path,
                tree.path.clone(),
                None,
            );
            b.detail(node, entry.describe());
        }
    }
    let trees: Vec<String> = {
        let mut t: Vec<String> = pools
            .iter()
            .flat_map(|p| p.trees().map(|t| t.path.clone()))
            .collect();
        t.sort();
        t.dedup();
        t
    };
    for (user, group) in &users {
        let id = fs.identity(user, group.as_deref());
        if id.is_root() {
            continue;
        }
        let user_node = b.user(user);
        for tree in &trees {
            let writable = fs.under(tree).filter(|e| fs.can_write(&id, e).is_some());
            for hit in fold(writable).into_iter().take(MAX_PER_TREE) {
                let e = hit.entry;
                let how = fs
                    .can_write(&id, e)
                    .map_or_else(String::new, |g| g.describe());
                let node = b.node(
                    format!("path:{}", e.path),
                    NodeKind::Path,
                    e.path.clone(),
                    None,
                );
                b.detail(node, e.describe());
                b.edge(
                    user_node,
                    node,
                    EdgeKind::CanWrite,
                    Some(format!("{REAL} {}, {how}", e.describe()).replace(", ", "; ")),
                    Some(Place {
                        file: e.file,
                        range: e.line,
                    }),
                );
            }
            // Reading another pool's tree: its secrets (config files, keys) are readable.
            let others = pools.iter().any(|p| {
                p.user.as_deref() != Some(user.as_str()) && p.trees().any(|t| t.path == *tree)
            });
            let own = pools.iter().any(|p| {
                p.user.as_deref() == Some(user.as_str())
                    && p.trees().any(|t| is_within(tree, &t.path))
            });
            if others
                && !own
                && let Some(e) = fs.entry(tree)
                && fs.can_read(&id, e).is_some()
            {
                let node = b.node(
                    format!("path:{}", e.path),
                    NodeKind::Path,
                    e.path.clone(),
                    None,
                );
                b.edge(
                    user_node,
                    node,
                    EdgeKind::CanRead,
                    Some(format!("{REAL} {}", e.describe())),
                    Some(Place {
                        file: e.file,
                        range: e.line,
                    }),
                );
            }
        }
    }
}

/// Paths that two pool users or more can write by the real modes.
pub(super) fn cross_writable(b: &mut Builder<'_>) {
    let mut writers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, e) in b.graph.edges.iter().enumerate() {
        if e.kind == EdgeKind::CanWrite && e.label.as_deref().is_some_and(|l| l.contains(REAL)) {
            writers.entry(e.to).or_default().push(i);
        }
    }
    for (path, edges) in writers {
        let mut users: Vec<usize> = edges
            .iter()
            .filter_map(|&e| b.graph.edges.get(e).map(|e| e.from))
            .collect();
        users.sort_unstable();
        users.dedup();
        if users.len() < 2 {
            continue;
        }
        let name = |n: usize| {
            b.graph
                .nodes
                .get(n)
                .map_or_else(String::new, |n| n.label.clone())
        };
        let names: Vec<String> = users.iter().map(|&u| name(u)).collect();
        let summary = format!(
            "{} can all write {} (real modes): one app can plant code or data for the other",
            names.join(", "),
            name(path)
        );
        let mut nodes = users;
        nodes.push(path);
        b.graph.laterals.push(Lateral {
            rule: "FPM-310",
            summary,
            nodes,
            edges,
        });
    }
}
