//! Edges from real modes: which pool users can write or read the app trees, as the
//! permissions snapshot shows them (not as the configuration intends). A directory two pool
//! users can write is a lateral path (FPM-310) even when no configuration line names it twice.

use std::collections::BTreeMap;

use super::build::Builder;
use super::{EdgeKind, Lateral, NodeKind, Place};
use crate::model::fs::apps::{PoolPaths, is_within, pool_paths};
use crate::model::fs::judge::fold;
use crate::model::fs::writers::WriterIndex;
use crate::model::fs::{FsEntry, Grant, Identity};
use crate::syntax::snapshot::FileType;

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
    let identities: Vec<Option<Identity>> = pools.iter().map(|p| fs.pool_identity(p)).collect();
    let index = WriterIndex::new(&identities);
    let mut trees: Vec<String> = pools
        .iter()
        .flat_map(|p| p.trees().map(|t| t.path.clone()))
        .collect();
    crate::sort::sort(&mut trees);
    trees.dedup();
    for tree in &trees {
        if let Some(entry) = fs.entry(tree) {
            let node = b.node(format!("path:{tree}"), NodeKind::Path, tree.clone(), None);
            b.detail(node, entry.describe());
        }
        // Per user (or everyone), the paths of this tree it can write, in path order.
        let mut writable: BTreeMap<String, Vec<(&FsEntry, String)>> = BTreeMap::new();
        for e in fs.under(tree) {
            for (i, grant) in index.writers(fs, e) {
                if let Some(user) = pools.get(i).and_then(|p| p.user.clone()) {
                    writable
                        .entry(user)
                        .or_default()
                        .push((e, grant.describe()));
                }
            }
            let open = e.mode & 0o002 != 0 && !(e.is_dir() && e.sticky());
            if open && e.file_type != FileType::Symlink {
                writable
                    .entry(String::new())
                    .or_default()
                    .push((e, Grant::Other.describe()));
            }
        }
        for (user, entries) in writable {
            let from = if user.is_empty() {
                b.node(
                    "everyone".into(),
                    NodeKind::Everyone,
                    "every local user".into(),
                    None,
                )
            } else {
                b.user(&user)
            };
            for hit in fold(entries.iter().map(|(e, _)| *e))
                .into_iter()
                .take(MAX_PER_TREE)
            {
                let e = hit.entry;
                let how = entries
                    .iter()
                    .find(|(x, _)| x.path == e.path)
                    .map_or("", |(_, h)| h.as_str());
                let node = b.node(
                    format!("path:{}", e.path),
                    NodeKind::Path,
                    e.path.clone(),
                    None,
                );
                b.detail(node, e.describe());
                b.edge(
                    from,
                    node,
                    EdgeKind::CanWrite,
                    Some(format!("{REAL} {}; {how}", e.describe())),
                    Some(Place {
                        file: e.file,
                        range: e.line,
                    }),
                );
            }
        }
        add_read_edges(b, &pools, &identities, tree);
    }
}

/// Reading another pool's tree root: its secrets (configuration, keys) are readable.
fn add_read_edges(
    b: &mut Builder<'_>,
    pools: &[PoolPaths<'_>],
    identities: &[Option<Identity>],
    tree: &str,
) {
    let fs = &b.model.fs;
    let Some(e) = fs.entry(tree) else { return };
    let owners: Vec<&str> = pools
        .iter()
        .filter(|p| p.trees().any(|t| t.path == tree))
        .filter_map(|p| p.user.as_deref())
        .collect();
    let mut readers: Vec<String> = Vec::new();
    for (p, id) in pools.iter().zip(identities) {
        let (Some(user), Some(id)) = (p.user.as_deref(), id) else {
            continue;
        };
        let own = owners.contains(&user) || p.trees().any(|t| is_within(tree, &t.path));
        // Read access through the other bits is shared by every account: one edge would
        // not say more than the mode in the node's details.
        if !own && matches!(fs.can_read(id, e), Some(Grant::Owner | Grant::Group(_))) {
            readers.push(user.to_string());
        }
    }
    crate::sort::sort(&mut readers);
    readers.dedup();
    for user in readers {
        let from = b.user(&user);
        let node = b.node(
            format!("path:{tree}"),
            NodeKind::Path,
            tree.to_string(),
            None,
        );
        b.edge(
            from,
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

/// Paths that two pool users or more (every account counts as one more) can write by the
/// real modes.
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
        crate::sort::sort(&mut users);
        users.dedup();
        let everyone = users.iter().any(|&u| {
            b.graph
                .nodes
                .get(u)
                .is_some_and(|n| n.kind == NodeKind::Everyone)
        });
        if users.len() < 2 && !everyone {
            continue;
        }
        let name = |n: usize| {
            b.graph
                .nodes
                .get(n)
                .map_or_else(String::new, |n| n.label.clone())
        };
        let names: Vec<String> = users.iter().map(|&u| name(u)).collect();
        let (rule, summary) = if everyone {
            (
                "FS-001",
                format!(
                    "{} can write {} (real modes): any account can plant code or data there",
                    names.join(", "),
                    name(path)
                ),
            )
        } else {
            (
                "FPM-310",
                format!(
                    "{} can all write {} (real modes): one app can plant code or data for the other",
                    names.join(", "),
                    name(path)
                ),
            )
        };
        let mut nodes = users;
        nodes.push(path);
        b.graph.laterals.push(Lateral {
            rule,
            summary,
            nodes,
            edges,
        });
    }
}
