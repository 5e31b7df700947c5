//! Rule fixtures as data: `tests/rules/<ID>/bad/` is a host tree (files at their host paths)
//! with an `expect` file listing `PATH:LINE` where the rule must fire — exactly there and
//! nowhere else; `tests/rules/<ID>/good/` is its twin where the rule must stay silent. Every
//! registered rule must have both.

use std::path::{Path, PathBuf};

use fpmaudit_engine::rules::RULES;
use fpmaudit_engine::{SourceSet, audit};

use crate::support::fixtures;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Reads a fixture tree as a host: `DIR/etc/x` becomes `/etc/x`.
pub(crate) fn host(dir: &Path) -> SourceSet {
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    let mut sources = SourceSet::new();
    for file in files {
        let rel = file.strip_prefix(dir).unwrap();
        if rel == Path::new("expect") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        sources.add_text(format!("/{}", rel.display()), text);
    }
    sources
}

/// `PATH:LINE` of every finding of `rule`.
fn hits(sources: &SourceSet, rule: &str) -> Vec<String> {
    let report = audit(sources);
    let mut hits: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            let file = sources.get(f.file).unwrap();
            let line = file.line_index.line_col(f.range.start, &file.text).line;
            format!("{}:{line}", file.path)
        })
        .collect();
    hits.sort();
    hits
}

#[test]
fn every_rule_fires_where_expected_and_not_on_its_twin() {
    let root = fixtures().join("rules");
    let mut checked = 0;
    for rule in RULES {
        let id = rule.meta().id;
        let bad = root.join(id).join("bad");
        let good = root.join(id).join("good");
        assert!(
            bad.is_dir() && good.is_dir(),
            "{id}: missing tests/rules/{id}/bad or good"
        );
        let expect = std::fs::read_to_string(bad.join("expect"))
            .unwrap_or_else(|_| panic!("{id}: missing bad/expect"));
        let mut expected: Vec<String> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{id}: bad/expect lists no PATH:LINE");
        assert_eq!(hits(&host(&bad), id), expected, "{id}: bad fixture");
        assert_eq!(
            hits(&host(&good), id),
            Vec::<String>::new(),
            "{id}: good fixture"
        );
        checked += 1;
    }
    println!("rule fixtures: {checked} rules, bad and good");
}

#[test]
fn fixture_folders_name_registered_rules() {
    for entry in std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            RULES.iter().any(|r| r.meta().id == name),
            "tests/rules/{name} names no rule"
        );
    }
}
