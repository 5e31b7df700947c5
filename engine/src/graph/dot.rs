//! The map as Graphviz DOT, for people who lay it out with their own tools.

use std::fmt::Write as _;

use super::Graph;

/// DOT wants `"` and `\` escaped inside quoted ids and labels.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn to_dot(graph: &Graph) -> String {
    let mut out =
        String::from("digraph trust {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for node in &graph.nodes {
        let mut label = node.label.clone();
        for d in &node.detail {
            let _ = write!(label, "\n{d}");
        }
        let mut attrs = format!("label={}, class={}", quoted(&label), node.kind.as_str());
        if !node.risks.is_empty() {
            let _ = write!(
                attrs,
                ", color=red, style=\"rounded,dashed\", xlabel={}",
                quoted(&format!("⚠ {}", node.risks.join(" ")))
            );
        }
        let _ = writeln!(out, "  {} [{attrs}];", quoted(&node.id));
    }
    for edge in &graph.edges {
        let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) else {
            continue;
        };
        let mut label = edge.kind.as_str().to_string();
        if let Some(extra) = &edge.label {
            let _ = write!(label, " ({extra})");
        }
        if !edge.risks.is_empty() {
            let _ = write!(label, " ⚠ {}", edge.risks.join(" "));
        }
        let style = if edge.risks.is_empty() {
            ""
        } else {
            ", color=red, style=dashed"
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            quoted(&from.id),
            quoted(&to.id),
            quoted(&label)
        );
    }
    out.push_str("}\n");
    out
}
