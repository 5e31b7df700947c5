//! Times each rule (and the map) on a host of N generated server blocks, to find what grows
//! faster than the input: `cargo run --release -p fpmaudit-engine --example rule_times -- 16000`.

use std::io::Write as _;
use std::time::Instant;

use fpmaudit_engine::model::Model;
use fpmaudit_engine::rules::{Context, RULES};
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let piece = "server { listen 80; location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; } }\n";
    let text = piece.repeat(n);
    let mut sources = SourceSet::new();
    for kind in [
        FileKind::Nginx,
        FileKind::FpmPool,
        FileKind::PhpIni,
        FileKind::SystemdUnit,
    ] {
        sources.add(SourceFile::new(
            format!("/h/{}", kind.as_str()),
            text.clone(),
            kind,
        ));
    }
    let mut out = std::io::stdout().lock();
    let t = Instant::now();
    let model = Model::build(&sources);
    let _ = writeln!(out, "model {:?}", t.elapsed());
    let cx = Context {
        sources: &sources,
        model: &model,
    };
    let mut times = Vec::new();
    for rule in RULES {
        let t = Instant::now();
        let mut out = Vec::new();
        rule.check(cx, &mut out);
        times.push((t.elapsed(), rule.meta().id, out.len()));
    }
    times.sort();
    for (d, id, n) in times.iter().rev().take(8) {
        let _ = writeln!(out, "{id} {d:?} ({n} findings)");
    }
    let t = Instant::now();
    let _ = fpmaudit_engine::graph::from_model(&sources, &model, &[]);
    let _ = writeln!(out, "graph {:?}", t.elapsed());
}
