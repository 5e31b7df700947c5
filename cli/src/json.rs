//! The JSON report (version 1, `shared/contract/report.schema.json`) and rule listings.

use fpmaudit_engine::rules::RuleMeta;
use fpmaudit_engine::{Report, Severity, SourceSet};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct JsonReport {
    version: u32,
    engine: &'static str,
    files: Vec<JsonFile>,
    findings: Vec<JsonFinding>,
    /// PHP-FPM units with their `systemd-analyze security` exposure score.
    units: Vec<JsonUnit>,
    summary: JsonSummary,
    /// Evidence lines not read and rules silent for lack of evidence (an extra field of
    /// version 1).
    notes: Vec<JsonNote>,
}

#[derive(Debug, Serialize)]
struct JsonNote {
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
struct JsonFile {
    path: String,
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct JsonFinding {
    rule: &'static str,
    severity: &'static str,
    title: &'static str,
    message: String,
    path: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    fixable: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated>,
}

#[derive(Debug, Serialize)]
struct JsonRelated {
    path: String,
    line: u32,
    column: u32,
    message: String,
}

#[derive(Debug, Serialize)]
struct JsonUnit {
    /// Host path of the unit's main file.
    path: String,
    name: String,
    exposure: f64,
    label: &'static str,
}

#[derive(Debug, Serialize)]
struct JsonSummary {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct JsonRule {
    id: &'static str,
    title: &'static str,
    severity: &'static str,
    fixable: bool,
    what: String,
    why: String,
    fix: String,
    references: Vec<String>,
}

pub(crate) fn rule(meta: &RuleMeta) -> JsonRule {
    let docs = meta.docs();
    JsonRule {
        id: meta.id,
        title: meta.title,
        severity: meta.severity.as_str(),
        fixable: meta.fixable,
        what: docs.what,
        why: docs.why,
        fix: docs.fix,
        references: docs.references,
    }
}

pub(crate) fn report(sources: &SourceSet, report: &Report) -> JsonReport {
    let files = sources
        .iter()
        .map(|(_, f)| JsonFile {
            path: f.path.clone(),
            kind: f.kind.as_str(),
        })
        .collect();
    let findings = report
        .findings
        .iter()
        .filter_map(|finding| {
            let file = sources.get(finding.file)?;
            let start = file.line_index.line_col(finding.range.start, &file.text);
            let end = file.line_index.line_col(finding.range.end, &file.text);
            let related = finding
                .related
                .iter()
                .filter_map(|r| {
                    let other = sources.get(r.file)?;
                    let at = other.line_index.line_col(r.range.start, &other.text);
                    Some(JsonRelated {
                        path: other.path.clone(),
                        line: at.line,
                        column: at.column,
                        message: r.message.clone(),
                    })
                })
                .collect();
            Some(JsonFinding {
                rule: finding.rule,
                severity: finding.severity.as_str(),
                title: finding.title,
                message: finding.message.clone(),
                path: file.path.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                fixable: finding.fix.is_some(),
                related,
            })
        })
        .collect();
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    JsonReport {
        version: 1,
        engine: fpmaudit_engine::VERSION,
        files,
        findings,
        units: report
            .units
            .iter()
            .filter_map(|u| {
                Some(JsonUnit {
                    path: sources.get(u.file)?.path.clone(),
                    name: u.name.clone(),
                    exposure: u.exposure,
                    label: u.label.as_str(),
                })
            })
            .collect(),
        summary: JsonSummary {
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            info: count(Severity::Info),
        },
        notes: report
            .notes
            .iter()
            .map(|n| {
                let file = n.file.and_then(|f| sources.get(f));
                JsonNote {
                    message: n.message.clone(),
                    path: file.map(|f| f.path.clone()),
                    line: file
                        .zip(n.range)
                        .map(|(f, r)| f.line_index.line_col(r.start, &f.text).line),
                    rules: n.rules.clone(),
                }
            })
            .collect(),
    }
}
