//! Human output: each finding with the offending line and a marker under it.

use std::io::Write;

use anyhow::Result;
use fpmaudit_engine::{Finding, Report, Safety, Severity, SourceFile, SourceSet};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, severity.as_str())
    }
}

pub(crate) fn render(
    out: &mut impl Write,
    sources: &SourceSet,
    report: &Report,
    skipped: &[(String, String)],
    color: bool,
) -> Result<()> {
    let style = Style { color };
    for finding in &report.findings {
        if let Some(file) = sources.get(finding.file) {
            render_finding(out, &style, sources, file, finding)?;
        }
    }
    for (path, why) in skipped {
        writeln!(out, "note: skipped {path}: {why}")?;
    }
    for note in &report.notes {
        match note.file.and_then(|f| sources.get(f)) {
            Some(file) => {
                let line = note
                    .range
                    .map_or(1, |r| file.line_index.line_col(r.start, &file.text).line);
                writeln!(out, "note: {}:{line}: {}", file.path, note.message)?;
            }
            None => writeln!(out, "note: {}", note.message)?,
        }
    }
    for unit in &report.units {
        writeln!(
            out,
            "unit {}: exposure {:.1} {} (systemd-analyze security)",
            unit.name,
            unit.exposure,
            unit.label.as_str()
        )?;
    }
    let counts = report.counts();
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", style.severity(*s)))
        .collect();
    let files = sources.len();
    if parts.is_empty() {
        writeln!(out, "no findings in {files} file(s)")?;
    } else {
        let total = report.findings.len();
        writeln!(
            out,
            "{total} finding(s) in {files} file(s): {}",
            parts.join(", ")
        )?;
    }
    Ok(())
}

fn render_finding(
    out: &mut impl Write,
    style: &Style,
    sources: &SourceSet,
    file: &SourceFile,
    finding: &Finding,
) -> Result<()> {
    let start = file.line_index.line_col(finding.range.start, &file.text);
    writeln!(
        out,
        "{}:{}:{}: {} {} {}",
        style.paint("1", &file.path),
        start.line,
        start.column,
        style.severity(finding.severity),
        style.paint("1", finding.rule),
        finding.title
    )?;
    let line_no = file.line_index.line_of(finding.range.start);
    let line_range = file.line_index.line_range(line_no, &file.text);
    let line_text = line_range.slice(&file.text);
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    writeln!(out, "{pad} |")?;
    writeln!(out, "{gutter} | {}", line_text.replace('\t', " "))?;
    // The marker covers the finding on its first line (at least one column).
    let marker_start = (start.column as usize).saturating_sub(1);
    let end_on_line = finding
        .range
        .end
        .min(line_range.end)
        .max(finding.range.start);
    let width = file
        .text
        .get(finding.range.start as usize..end_on_line as usize)
        .map_or(1, |s| s.chars().count().max(1));
    writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(marker_start),
        style.paint("1;31", &"^".repeat(width))
    )?;
    writeln!(out, "{pad} = {}", finding.message)?;
    for related in &finding.related {
        if let Some(other) = sources.get(related.file) {
            let at = other.line_index.line_col(related.range.start, &other.text);
            writeln!(
                out,
                "{pad} = note: {}:{}: {}",
                other.path, at.line, related.message
            )?;
        }
    }
    if let Some(fix) = &finding.fix {
        let safety = match fix.safety {
            Safety::Safe => "safe fix",
            Safety::NeedsReview => "fix, needs review",
        };
        writeln!(out, "{pad} = {safety}: {}", fix.title)?;
    }
    writeln!(out, "{pad} = see: fpmaudit explain {}", finding.rule)?;
    writeln!(out)?;
    Ok(())
}
