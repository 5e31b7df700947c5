//! The trust-boundary map: who can reach what on the host, and where two apps meet.
//!
//! Columns, left to right: sites (and the network) → `FastCGI` endpoints → pools → unix users
//! → paths. Every node and edge keeps the place in the configuration that created it, and the
//! findings whose span lies there mark it with their rule ids. [`Lateral`] lists the ways one
//! compromised app reaches another, each explained by a rule id. The layout is computed here so
//! the CLI's SVG and the app's view are the same picture.

mod access;
mod build;
mod dot;
mod evidence;
mod lateral;
mod layout;
mod svg;

pub use dot::to_dot;
pub use layout::crossings;
pub use svg::to_svg;

use crate::diagnostic::Finding;
use crate::source::{FileId, SourceSet};
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// Anyone who can open a TCP connection to the host.
    Network,
    Vhost,
    Endpoint,
    Pool,
    User,
    /// Every local account (a world-writable socket).
    Everyone,
    Path,
}

impl NodeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Vhost => "vhost",
            Self::Endpoint => "endpoint",
            Self::Pool => "pool",
            Self::User => "user",
            Self::Everyone => "everyone",
            Self::Path => "path",
        }
    }

    /// The layout column.
    const fn column(self) -> usize {
        match self {
            Self::Network | Self::Vhost => 0,
            Self::Endpoint => 1,
            Self::Pool => 2,
            Self::User | Self::Everyone => 3,
            Self::Path => 4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    RoutesTo,
    ListensOn,
    RunsAs,
    CanConnect,
    CanRead,
    CanWrite,
    ConfinedTo,
}

impl EdgeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RoutesTo => "routes-to",
            Self::ListensOn => "listens-on",
            Self::RunsAs => "runs-as",
            Self::CanConnect => "can-connect",
            Self::CanRead => "can-read",
            Self::CanWrite => "can-write",
            Self::ConfinedTo => "confined-to",
        }
    }
}

/// A place in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub file: FileId,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable across runs: `pool:www`, `user:shop`, `path:/srv/shop`, `endpoint:unix:/run/x`.
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// Short facts shown under the label and on hover (owner and mode, the root, ...).
    pub detail: Vec<String>,
    pub origin: Option<Place>,
    /// Rule ids of the risks this node takes part in, sorted.
    pub risks: Vec<&'static str>,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub label: Option<String>,
    pub origin: Option<Place>,
    pub risks: Vec<&'static str>,
}

/// One way a compromised app reaches another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lateral {
    pub rule: &'static str,
    pub summary: String,
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub laterals: Vec<Lateral>,
    pub width: f64,
    pub height: f64,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }
}

/// Findings that describe a meeting point of two apps or of an app and the outside; only
/// these mark the map, so it shows boundaries rather than every hardening gap.
pub const BOUNDARY_RULES: &[&str] = &[
    "FPM-101", "FPM-103", "FPM-104", "FPM-106", "FPM-109", "FPM-301", "FPM-302", "FPM-303",
    "FPM-304", "FPM-305", "FPM-306", "FPM-310", "FS-001", "FS-002", "FS-003", "FS-004", "NGX-005",
    "NGX-006", "NGX-007", "NGX-021", "NGX-061",
];

/// The map of a host: builds the model and runs the rules once.
pub fn map(sources: &SourceSet) -> Graph {
    let model = crate::model::Model::build(sources);
    let report = crate::check(sources, &model);
    from_model(sources, &model, &report.findings)
}

/// The map from an existing model and its findings.
pub fn from_model(sources: &SourceSet, model: &crate::model::Model, findings: &[Finding]) -> Graph {
    let mut graph = build::build(sources, model);
    mark(&mut graph, findings);
    layout::layout(&mut graph);
    graph
}

fn overlaps(place: Option<Place>, file: FileId, range: TextRange) -> bool {
    place.is_some_and(|p| {
        p.file == file
            && (p.range.start == range.start
                || (p.range.start < range.end && range.start < p.range.end))
    })
}

/// Marks nodes and edges with the boundary findings whose span (or related span) lies on them.
fn mark(graph: &mut Graph, findings: &[Finding]) {
    for finding in findings.iter().filter(|f| BOUNDARY_RULES.contains(&f.rule)) {
        let places: Vec<(FileId, TextRange)> = std::iter::once((finding.file, finding.range))
            .chain(finding.related.iter().map(|r| (r.file, r.range)))
            .collect();
        for (file, range) in places {
            for edge in &mut graph.edges {
                if overlaps(edge.origin, file, range) {
                    edge.risks.push(finding.rule);
                }
            }
            for node in &mut graph.nodes {
                if overlaps(node.origin, file, range) {
                    node.risks.push(finding.rule);
                }
            }
        }
    }
    for lateral in &graph.laterals {
        for &n in &lateral.nodes {
            if let Some(node) = graph.nodes.get_mut(n) {
                node.risks.push(lateral.rule);
            }
        }
        for &e in &lateral.edges {
            if let Some(edge) = graph.edges.get_mut(e) {
                edge.risks.push(lateral.rule);
            }
        }
    }
    for node in &mut graph.nodes {
        crate::sort::sort(&mut node.risks);
        node.risks.dedup();
    }
    for edge in &mut graph.edges {
        crate::sort::sort(&mut edge.risks);
        edge.risks.dedup();
    }
}

/// Escapes text for XML and DOT labels.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
