//! SARIF 2.1.0 output (`check --format sarif`) for code-scanning dashboards.
//!
//! One run, with every registered rule as a reporting descriptor (so a dashboard can show the
//! help of a rule that did not fire) and one result per finding. Columns count characters, which
//! SARIF calls `unicodeCodePoints`; GitHub reads `security-severity` to rank security results.

use std::fmt::Write as _;

use fpmaudit_engine::rules::{RULES, RuleMeta};
use fpmaudit_engine::{Finding, Report, Safety, Severity, SourceFile, SourceSet};
use serde_json::{Map, Value, json};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://example.invalid/fpmaudit";

/// SARIF has three result levels; critical and high are errors, info is a note.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.5",
    }
}

/// A host path as a `file://` URI, percent-encoding everything but unreserved bytes and `/`.
fn file_uri(path: &str) -> String {
    let mut uri = String::from("file://");
    if !path.starts_with('/') {
        uri.push('/');
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

fn descriptor(meta: &RuleMeta) -> Value {
    let docs = meta.docs();
    let help_text = format!("{}\n\n{}\n\nHow to fix: {}", docs.what, docs.why, docs.fix);
    json!({
        "id": meta.id,
        "name": camel_name(meta.title),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": docs.what},
        "help": {"text": help_text, "markdown": docs.markdown},
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {
            "security-severity": security_severity(meta.severity),
            "problem.severity": meta.severity.as_str(),
            "tags": ["security", prefix_tag(meta.id)],
        },
    })
}

/// SARIF wants a name without spaces; `pools share a unix user` becomes `PoolsShareAUnixUser`.
fn camel_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn prefix_tag(id: &str) -> &'static str {
    match id.split('-').next() {
        Some("FPM") => "php-fpm",
        Some("INI") => "php-ini",
        Some("NGX") => "nginx",
        Some("SYD") => "systemd",
        Some("FS") => "filesystem",
        _ => "config",
    }
}

fn region(file: &SourceFile, start: u32, end: u32) -> Value {
    let from = file.line_index.line_col(start, &file.text);
    let to = file.line_index.line_col(end, &file.text);
    json!({
        "startLine": from.line,
        "startColumn": from.column,
        "endLine": to.line,
        "endColumn": to.column,
    })
}

/// A physical location; related locations also carry an id and a message.
fn location(file: &SourceFile, start: u32, end: u32, related: Option<(usize, &str)>) -> Value {
    let physical = json!({
        "artifactLocation": {"uri": file_uri(&file.path)},
        "region": region(file, start, end),
    });
    match related {
        Some((id, message)) => json!({
            "id": id,
            "physicalLocation": physical,
            "message": {"text": message},
        }),
        None => json!({"physicalLocation": physical}),
    }
}

fn result(sources: &SourceSet, finding: &Finding, rule_index: Option<usize>) -> Option<Value> {
    let file = sources.get(finding.file)?;
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.rule));
    if let Some(index) = rule_index {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(finding.severity)));
    result.insert("message".into(), json!({"text": finding.message}));
    result.insert(
        "locations".into(),
        json!([location(file, finding.range.start, finding.range.end, None)]),
    );
    let related: Vec<Value> = finding
        .related
        .iter()
        .enumerate()
        .filter_map(|(id, r)| {
            let other = sources.get(r.file)?;
            Some(location(
                other,
                r.range.start,
                r.range.end,
                Some((id, &r.message)),
            ))
        })
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    if let Some(fix) = &finding.fix {
        result.insert("fixes".into(), json!([fix_value(sources, fix)]));
    }
    result.insert(
        "properties".into(),
        json!({
            "problem.severity": finding.severity.as_str(),
            "security-severity": security_severity(finding.severity),
        }),
    );
    Some(Value::Object(result))
}

fn fix_value(sources: &SourceSet, fix: &fpmaudit_engine::Fix) -> Value {
    // SARIF groups replacements per file, in the order the files first appear.
    let mut changes: Vec<(fpmaudit_engine::FileId, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let Some(file) = sources.get(edit.file) else {
            continue;
        };
        let replacement = json!({
            "deletedRegion": region(file, edit.range.start, edit.range.end),
            "insertedContent": {"text": edit.replacement},
        });
        match changes.iter_mut().find(|(id, _)| *id == edit.file) {
            Some((_, list)) => list.push(replacement),
            None => changes.push((edit.file, vec![replacement])),
        }
    }
    let artifact_changes: Vec<Value> = changes
        .into_iter()
        .filter_map(|(id, replacements)| {
            let file = sources.get(id)?;
            Some(json!({
                "artifactLocation": {"uri": file_uri(&file.path)},
                "replacements": replacements,
            }))
        })
        .collect();
    let safety = match fix.safety {
        Safety::Safe => "safe",
        Safety::NeedsReview => "needs review",
    };
    json!({
        "description": {"text": format!("{} ({safety})", fix.title)},
        "artifactChanges": artifact_changes,
    })
}

pub(crate) fn report(sources: &SourceSet, report: &Report) -> Value {
    let rules: Vec<Value> = RULES.iter().map(|r| descriptor(r.meta())).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter_map(|finding| {
            let index = RULES.iter().position(|r| r.meta().id == finding.rule);
            result(sources, finding, index)
        })
        .collect();
    let artifacts: Vec<Value> = sources
        .iter()
        .map(|(_, file)| {
            json!({
                "location": {"uri": file_uri(&file.path)},
                "length": file.text.len(),
                "properties": {"kind": file.kind.as_str()},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "fpmaudit",
                "version": fpmaudit_engine::VERSION,
                "semanticVersion": fpmaudit_engine::VERSION,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::{camel_name, file_uri};

    #[test]
    fn uris_are_absolute_and_escaped() {
        assert_eq!(
            file_uri("/etc/php/8.2/fpm/pool.d/www.conf"),
            "file:///etc/php/8.2/fpm/pool.d/www.conf"
        );
        assert_eq!(file_uri("/srv/my site/a#b"), "file:///srv/my%20site/a%23b");
        assert_eq!(file_uri("pool.conf"), "file:///pool.conf");
    }

    #[test]
    fn names_have_no_spaces() {
        assert_eq!(
            camel_name("pool user is the web server user"),
            "PoolUserIsTheWebServerUser"
        );
        assert_eq!(
            camel_name("world-accessible FastCGI socket (`listen.mode` o+w)"),
            "WorldAccessibleFastCGISocketListenModeOW"
        );
    }
}
