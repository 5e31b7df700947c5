//! The map as a standalone SVG: the CLI writes it and the app shows it. Risk reads without
//! colour: risky nodes and edges are dashed and carry a "⚠" with the rule ids as text.

use std::fmt::Write as _;

use super::layout::{HEADER, LEGEND, NODE_WIDTH};
use super::{Edge, Graph, Node, NodeKind, escape};

/// A coordinate with one decimal, as `{:.1}` prints it for the values a layout produces,
/// without the float formatting machinery (a visible share of the wasm bundle). Ties round
/// away from zero.
struct Dec1(f64);

impl std::fmt::Display for Dec1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = round(self.0 * 10.0);
        let sign = if tenths < 0 { "-" } else { "" };
        let abs = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", abs / 10, abs % 10)
    }
}

/// A whole number of pixels.
struct Dec0(f64);

impl std::fmt::Display for Dec0 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", round(self.0))
    }
}

/// `value` to the nearest integer; layouts stay far inside `i64`.
fn round(value: f64) -> i64 {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "layout coordinates are small and finite"
    )]
    let n = value.round() as i64;
    n
}

const STYLE: &str = "
svg { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }
.bg { fill: #ffffff; }
.heading { font-size: 13px; font-weight: 600; fill: #444; }
.node rect { stroke: #6b6b6b; stroke-width: 1.2; }
.node .label { font-size: 13px; font-weight: 600; fill: #1a1a1a; }
.node .detail { font-size: 11px; fill: #444; }
.node .risk-text, .edge-risk { font-size: 11px; font-weight: 700; fill: #a4161a; }
.k-network rect, .k-everyone rect { fill: #fde2e1; }
.k-vhost rect { fill: #e3efff; }
.k-endpoint rect { fill: #eee8ff; }
.k-pool rect { fill: #e6f4ea; }
.k-user rect { fill: #fff4d6; }
.k-path rect { fill: #f1f1f1; }
.node.risk rect { stroke: #a4161a; stroke-width: 2.4; stroke-dasharray: 7 4; }
.edge { fill: none; stroke: #8a8a8a; stroke-width: 1.4; }
.edge.risk { stroke: #a4161a; stroke-width: 2.4; stroke-dasharray: 7 4; }
.legend { font-size: 11px; fill: #333; }
@media (prefers-color-scheme: dark) {
  .bg { fill: #17181a; }
  .heading, .legend { fill: #ddd; }
  .node rect { stroke: #9a9a9a; }
  .node .label { fill: #f2f2f2; }
  .node .detail { fill: #cfcfcf; }
  .k-network rect, .k-everyone rect { fill: #4a1f1f; }
  .k-vhost rect { fill: #1d3150; }
  .k-endpoint rect { fill: #2f2750; }
  .k-pool rect { fill: #1f3d2a; }
  .k-user rect { fill: #4a3d14; }
  .k-path rect { fill: #2c2c2c; }
  .node.risk rect, .edge.risk { stroke: #ff7b72; }
  .node .risk-text, .edge-risk { fill: #ff7b72; }
}
";

const HEADINGS: [&str; 5] = [
    "Sites and network",
    "FastCGI endpoints",
    "Pools",
    "Unix users",
    "Paths",
];

/// Cuts text to what fits in a node (about 7 px a character at 11–13 px).
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

fn node_svg(out: &mut String, index: usize, node: &Node) {
    let risk = if node.risks.is_empty() { "" } else { " risk" };
    let mut aria = format!("{} {}", node.kind.as_str(), node.label);
    for d in &node.detail {
        let _ = write!(aria, ", {d}");
    }
    if !node.risks.is_empty() {
        let _ = write!(aria, ", risk: {}", node.risks.join(" "));
    }
    let _ = write!(
        out,
        "<g class=\"node k-{}{risk}\" id=\"n{index}\" data-id=\"{}\"><title>{}</title>",
        node.kind.as_str(),
        escape(&node.id),
        escape(&aria)
    );
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"7\"/>",
        Dec1(node.x),
        Dec1(node.y),
        Dec1(node.width),
        Dec1(node.height)
    );
    let mut y = node.y + 22.0;
    let _ = write!(
        out,
        "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
        Dec1(node.x + 10.0),
        Dec1(y),
        escape(&fit(&node.label, 27))
    );
    for d in node.detail.iter().take(2) {
        y += 16.0;
        let _ = write!(
            out,
            "<text class=\"detail\" x=\"{}\" y=\"{}\">{}</text>",
            Dec1(node.x + 10.0),
            Dec1(y),
            escape(&fit(d, 32))
        );
    }
    if !node.risks.is_empty() {
        y += 16.0;
        let _ = write!(
            out,
            "<text class=\"risk-text\" x=\"{}\" y=\"{}\">⚠ {}</text>",
            Dec1(node.x + 10.0),
            Dec1(y),
            escape(&fit(&node.risks.join(" "), 30))
        );
    }
    out.push_str("</g>\n");
}

/// A curve from the right side of the left node to the left side of the right node; edges
/// inside one column bow out to the right.
fn edge_path(from: &Node, to: &Node) -> (String, f64, f64) {
    let (a, b) = if from.x <= to.x {
        (from, to)
    } else {
        (to, from)
    };
    let (ay, by) = (a.y + a.height / 2.0, b.y + b.height / 2.0);
    if (a.x - b.x).abs() < 1.0 {
        let x = a.x + a.width;
        let bow = x + 40.0;
        let (xd, ayd, bowd, byd) = (Dec1(x), Dec1(ay), Dec1(bow), Dec1(by));
        let d = format!("M{xd},{ayd} C{bowd},{ayd} {bowd},{byd} {xd},{byd}");
        return (d, bow - 10.0, f64::midpoint(ay, by));
    }
    let (x1, x2) = (a.x + a.width, b.x);
    let mid = f64::midpoint(x1, x2);
    let (x1d, x2d, ayd, midd, byd) = (Dec1(x1), Dec1(x2), Dec1(ay), Dec1(mid), Dec1(by));
    let d = format!("M{x1d},{ayd} C{midd},{ayd} {midd},{byd} {x2d},{byd}");
    (d, mid, f64::midpoint(ay, by))
}

fn edge_svg(out: &mut String, graph: &Graph, edge: &Edge) {
    let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) else {
        return;
    };
    let (d, mx, my) = edge_path(from, to);
    let risk = if edge.risks.is_empty() { "" } else { " risk" };
    let mut title = format!("{} {} {}", from.label, edge.kind.as_str(), to.label);
    if let Some(label) = &edge.label {
        let _ = write!(title, " ({label})");
    }
    if !edge.risks.is_empty() {
        let _ = write!(title, ", risk: {}", edge.risks.join(" "));
    }
    let _ = write!(
        out,
        "<path class=\"edge e-{}{risk}\" d=\"{d}\"><title>{}</title></path>",
        edge.kind.as_str(),
        escape(&title)
    );
    // A rule already printed on both ends needs no third mention on the line.
    let own: Vec<&str> = edge
        .risks
        .iter()
        .copied()
        .filter(|r| !(from.risks.contains(r) && to.risks.contains(r)))
        .collect();
    if !own.is_empty() {
        let _ = write!(
            out,
            "<text class=\"edge-risk\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">⚠ {}</text>",
            Dec1(mx),
            Dec1(my - 4.0),
            escape(&own.join(" "))
        );
    }
    out.push('\n');
}

fn legend(out: &mut String, graph: &Graph) {
    let y = graph.height - LEGEND + 16.0;
    let _ = write!(
        out,
        "<g class=\"legend\" transform=\"translate(24,{})\">",
        Dec1(y)
    );
    out.push_str("<path class=\"edge\" d=\"M0,8 H40\"/><text x=\"48\" y=\"12\">who can reach or use what</text>");
    out.push_str("<path class=\"edge risk\" d=\"M240,8 H280\"/><text class=\"edge-risk\" x=\"288\" y=\"12\">⚠ RULE: where two apps (or an app and the outside) meet</text>");
    let kinds = [
        (NodeKind::Vhost, "site"),
        (NodeKind::Endpoint, "socket or port"),
        (NodeKind::Pool, "FPM pool"),
        (NodeKind::User, "unix user"),
        (NodeKind::Path, "path"),
        (NodeKind::Everyone, "everyone / network"),
    ];
    for (i, (kind, text)) in kinds.iter().enumerate() {
        let x = f64::from(u32::try_from(i).unwrap_or(0)) * 150.0;
        let _ = write!(
            out,
            "<g class=\"node k-{}\"><rect x=\"{}\" y=\"30\" width=\"18\" height=\"14\" rx=\"3\"/></g><text x=\"{}\" y=\"41\">{text}</text>",
            kind.as_str(),
            Dec1(x),
            Dec1(x + 24.0)
        );
    }
    let _ = write!(
        out,
        "<text x=\"0\" y=\"68\">{} lateral paths · hover a box or line for details · fpmaudit explain RULE for the why and the fix</text></g>",
        graph.laterals.len()
    );
}

pub fn to_svg(graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"map-title map-desc\">",
        w = Dec0(graph.width),
        h = Dec0(graph.height)
    );
    out.push_str("<title id=\"map-title\">Trust boundaries: sites, FastCGI endpoints, pools, unix users and paths</title>\n");
    let mut desc = format!("{} lateral paths.", graph.laterals.len());
    for lateral in &graph.laterals {
        let _ = write!(desc, " {}: {}.", lateral.rule, lateral.summary);
    }
    let _ = writeln!(out, "<desc id=\"map-desc\">{}</desc>", escape(&desc));
    let _ = writeln!(out, "<style>{STYLE}</style>");
    let _ = writeln!(
        out,
        "<rect class=\"bg\" width=\"{}\" height=\"{}\"/>",
        Dec0(graph.width),
        Dec0(graph.height)
    );
    for (c, heading) in HEADINGS.iter().enumerate() {
        let x = 24.0 + f64::from(u32::try_from(c).unwrap_or(0)) * (NODE_WIDTH + 80.0);
        let _ = writeln!(
            out,
            "<text class=\"heading\" x=\"{}\" y=\"{}\">{heading}</text>",
            Dec1(x),
            Dec1(24.0 + HEADER / 2.0)
        );
    }
    for edge in graph.edges.iter().filter(|e| e.risks.is_empty()) {
        edge_svg(&mut out, graph, edge);
    }
    // Risky edges last, so they are drawn on top.
    for edge in graph.edges.iter().filter(|e| !e.risks.is_empty()) {
        edge_svg(&mut out, graph, edge);
    }
    for (i, node) in graph.nodes.iter().enumerate() {
        node_svg(&mut out, i, node);
    }
    legend(&mut out, graph);
    out.push_str("</svg>\n");
    out
}
