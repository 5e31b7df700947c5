//! `fpmaudit map`: the trust-boundary map as SVG, DOT or JSON (the same graph and layout the
//! app draws).

use std::io::Write;

use anyhow::Result;
use fpmaudit_engine::SourceSet;
use fpmaudit_engine::graph::{Graph, Place, map, to_dot, to_svg};
use serde_json::{Value, json};

use crate::args::{MapArgs, MapFormat};

pub(crate) fn run(args: &MapArgs, out: &mut impl Write) -> Result<u8> {
    let loaded = crate::live::load(args.root.as_deref(), &args.paths, args.live)?;
    let graph = map(&loaded.sources);
    match args.format {
        MapFormat::Svg => out.write_all(to_svg(&graph).as_bytes())?,
        MapFormat::Dot => out.write_all(to_dot(&graph).as_bytes())?,
        MapFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &to_json(&loaded.sources, &graph))?;
            writeln!(out)?;
        }
    }
    Ok(0)
}

fn origin(sources: &SourceSet, place: Option<Place>) -> Value {
    let Some(place) = place else {
        return Value::Null;
    };
    let Some(file) = sources.get(place.file) else {
        return Value::Null;
    };
    let at = file.line_index.line_col(place.range.start, &file.text);
    json!({"path": file.path, "line": at.line, "column": at.column})
}

pub(crate) fn to_json(sources: &SourceSet, graph: &Graph) -> Value {
    let id = |i: usize| graph.nodes.get(i).map(|n| n.id.clone());
    let nodes: Vec<Value> = graph
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.id, "kind": n.kind.as_str(), "label": n.label, "detail": n.detail,
                "origin": origin(sources, n.origin), "risks": n.risks,
                "x": n.x, "y": n.y, "width": n.width, "height": n.height,
            })
        })
        .collect();
    let edges: Vec<Value> = graph
        .edges
        .iter()
        .map(|e| {
            json!({
                "from": id(e.from), "to": id(e.to), "kind": e.kind.as_str(), "label": e.label,
                "origin": origin(sources, e.origin), "risks": e.risks,
            })
        })
        .collect();
    let laterals: Vec<Value> = graph
        .laterals
        .iter()
        .map(|l| {
            json!({
                "rule": l.rule, "summary": l.summary,
                "nodes": l.nodes.iter().filter_map(|&n| id(n)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "version": 1, "width": graph.width, "height": graph.height,
        "nodes": nodes, "edges": edges, "laterals": laterals,
    })
}
