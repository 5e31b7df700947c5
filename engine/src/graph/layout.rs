//! A layered layout, left to right by node kind. Within a column nodes start grouped by trust
//! domain (the unix user they lead to) and are then reordered by the barycentre of their
//! neighbours, sweeping both ways, which removes most crossings on graphs of this shape.

use std::collections::BTreeMap;

use super::{EdgeKind, Graph, NodeKind};

pub(super) const NODE_WIDTH: f64 = 210.0;
const COLUMN_GAP: f64 = 80.0;
const ROW_GAP: f64 = 16.0;
const MARGIN: f64 = 24.0;
/// Room above the columns for their headings.
pub(super) const HEADER: f64 = 40.0;
/// Room below for the legend.
pub(super) const LEGEND: f64 = 92.0;
const COLUMNS: usize = 5;
const SWEEPS: usize = 6;

/// Height grows with the number of text lines a node shows.
fn node_height(detail_lines: usize, risky: bool) -> f64 {
    let lines = 1 + detail_lines.min(2) + usize::from(risky);
    20.0 + 16.0 * f64::from(u32::try_from(lines).unwrap_or(4))
}

/// The trust domain of each node: the user a pool runs as, spread to its sockets, sites and
/// paths; shared things keep the first domain they meet.
fn domains(graph: &Graph) -> Vec<usize> {
    let mut domain = vec![usize::MAX; graph.nodes.len()];
    let mut next = 0;
    for edge in graph.edges.iter().filter(|e| e.kind == EdgeKind::RunsAs) {
        if let Some(d) = domain.get_mut(edge.to)
            && *d == usize::MAX
        {
            *d = next;
            next += 1;
        }
    }
    for _ in 0..COLUMNS {
        for edge in &graph.edges {
            let (a, b) = (edge.from, edge.to);
            let (da, db) = (
                domain.get(a).copied().unwrap_or(usize::MAX),
                domain.get(b).copied().unwrap_or(usize::MAX),
            );
            if da == usize::MAX && db != usize::MAX {
                if let Some(d) = domain.get_mut(a) {
                    *d = db;
                }
            } else if db == usize::MAX
                && da != usize::MAX
                && let Some(d) = domain.get_mut(b)
            {
                *d = da;
            }
        }
    }
    domain
}

pub(super) fn layout(graph: &mut Graph) {
    let domain = domains(graph);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); COLUMNS];
    let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
    // Network and "everyone" lead their columns; the rest start by domain, then by id.
    crate::sort::sort_by(&mut order, |&a, &b| {
        let key = |i: usize| {
            let node = graph.nodes.get(i);
            let special =
                node.is_some_and(|n| matches!(n.kind, NodeKind::Network | NodeKind::Everyone));
            (
                !special,
                domain.get(i).copied().unwrap_or(usize::MAX),
                node.map(|n| n.id.clone()),
            )
        };
        key(a).cmp(&key(b))
    });
    for i in order {
        if let Some(node) = graph.nodes.get(i)
            && let Some(column) = columns.get_mut(node.kind.column())
        {
            column.push(i);
        }
    }
    let mut neighbours: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for edge in &graph.edges {
        neighbours.entry(edge.from).or_default().push(edge.to);
        neighbours.entry(edge.to).or_default().push(edge.from);
    }
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        let sequence: Vec<usize> = if forward {
            (1..COLUMNS).collect()
        } else {
            (0..COLUMNS - 1).rev().collect()
        };
        for c in sequence {
            let position = positions(&columns);
            let reference = if forward { c - 1 } else { c + 1 };
            let Some(column) = columns.get_mut(c) else {
                continue;
            };
            let mut keyed: Vec<(f64, usize, usize)> = column
                .iter()
                .enumerate()
                .map(|(rank, &node)| {
                    let near: Vec<f64> = neighbours
                        .get(&node)
                        .into_iter()
                        .flatten()
                        .filter(|n| {
                            graph
                                .nodes
                                .get(**n)
                                .is_some_and(|m| m.kind.column() == reference)
                        })
                        .filter_map(|n| position.get(n).copied())
                        .collect();
                    let centre = if near.is_empty() {
                        f64::from(u32::try_from(rank).unwrap_or(u32::MAX))
                    } else {
                        near.iter().sum::<f64>() / f64::from(u32::try_from(near.len()).unwrap_or(1))
                    };
                    (centre, rank, node)
                })
                .collect();
            crate::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *column = keyed.into_iter().map(|(_, _, n)| n).collect();
        }
    }
    place(graph, &columns);
}

fn positions(columns: &[Vec<usize>]) -> BTreeMap<usize, f64> {
    columns
        .iter()
        .flat_map(|c| {
            c.iter()
                .enumerate()
                .map(|(rank, &n)| (n, f64::from(u32::try_from(rank).unwrap_or(u32::MAX))))
        })
        .collect()
}

/// Coordinates: columns side by side, each column centred vertically.
fn place(graph: &mut Graph, columns: &[Vec<usize>]) {
    let heights: Vec<f64> = columns
        .iter()
        .map(|c| {
            c.iter()
                .filter_map(|&n| graph.nodes.get(n))
                .map(|n| node_height(n.detail.len(), !n.risks.is_empty()) + ROW_GAP)
                .sum::<f64>()
        })
        .collect();
    let tallest = heights.iter().copied().fold(0.0_f64, f64::max);
    for (c, column) in columns.iter().enumerate() {
        let x = MARGIN + f64::from(u32::try_from(c).unwrap_or(0)) * (NODE_WIDTH + COLUMN_GAP);
        let mut y = MARGIN + HEADER + (tallest - heights.get(c).copied().unwrap_or(0.0)) / 2.0;
        for &n in column {
            if let Some(node) = graph.nodes.get_mut(n) {
                node.width = NODE_WIDTH;
                node.height = node_height(node.detail.len(), !node.risks.is_empty());
                node.x = x;
                node.y = y;
                y += node.height + ROW_GAP;
            }
        }
    }
    let columns_f = f64::from(u32::try_from(COLUMNS).unwrap_or(5));
    graph.width = MARGIN * 2.0 + columns_f * NODE_WIDTH + (columns_f - 1.0) * COLUMN_GAP;
    graph.height = MARGIN * 2.0 + HEADER + tallest + LEGEND;
}

/// How many pairs of edges between neighbouring columns cross; the layout test keeps it low.
pub fn crossings(graph: &Graph) -> usize {
    let spans: Vec<(usize, f64, f64)> = graph
        .edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (graph.nodes.get(e.from)?, graph.nodes.get(e.to)?);
            let (left, right) = if a.x <= b.x { (a, b) } else { (b, a) };
            (right.kind.column() == left.kind.column() + 1).then_some((
                left.kind.column(),
                left.y,
                right.y,
            ))
        })
        .collect();
    let mut count = 0;
    for (i, a) in spans.iter().enumerate() {
        for b in spans.iter().skip(i + 1) {
            if a.0 == b.0 && (a.1 - b.1) * (a.2 - b.2) < 0.0 {
                count += 1;
            }
        }
    }
    count
}
