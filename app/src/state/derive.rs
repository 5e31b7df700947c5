//! Everything the views show that follows from the files: findings with their fixes, the
//! trust map and the diffs against the loaded files. One model build per change.

use fpmaudit_engine::fix::unified_diff;
use fpmaudit_engine::graph;
use fpmaudit_engine::model::Model;
use fpmaudit_engine::model::fs::command::snapshot_command;
use fpmaudit_engine::model::systemd::exposure::score_text;
use fpmaudit_engine::{FileId, Safety, Severity, SourceFile, SourceSet};

use super::EditorFile;

/// A fix as the findings list offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixView {
    pub title: String,
    pub safe: bool,
}

/// A finding as the views show it: positions already converted to 1-based lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingView {
    pub file: usize,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    /// 1-based, exclusive.
    pub end_column: u32,
    /// Byte offset of the span, to find the same finding again when its fix is applied.
    pub start: u32,
    pub severity: Severity,
    pub rule: &'static str,
    pub title: &'static str,
    pub message: String,
    pub fix: Option<FixView>,
}

/// One changed file: its unified diff against the text that was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    pub file: usize,
    pub path: String,
    pub diff: String,
}

/// A lateral path of the map, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateralView {
    pub rule: &'static str,
    pub summary: String,
}

/// A node of the map, for details on focus and the click-through to its source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapNodeView {
    /// The SVG's `data-id`.
    pub id: String,
    pub label: String,
    pub detail: String,
    /// Where the node comes from: file index and 1-based line.
    pub origin: Option<(usize, u32)>,
    pub risks: Vec<&'static str>,
}

/// One PHP-FPM unit's systemd exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitView {
    pub name: String,
    /// The score times ten (systemd prints one decimal).
    pub exposure_tenths: u32,
    pub label: &'static str,
}

impl UnitView {
    pub fn score(&self) -> String {
        score_text(self.exposure_tenths)
    }
}

/// A note of the report: evidence that could not be read, rules silent for lack of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    /// `path:line: ` when the note is about a line.
    pub place: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Derived {
    /// Sorted by severity, then place.
    pub findings: Vec<FindingView>,
    /// The engine's SVG: the same picture `fpmaudit map` draws. All text in it is escaped.
    pub map_svg: String,
    pub laterals: Vec<LateralView>,
    pub map_nodes: Vec<MapNodeView>,
    pub diffs: Vec<FileDiff>,
    pub units: Vec<UnitView>,
    pub notes: Vec<NoteView>,
    /// The command that collects modes, owners and accounts for the trees these files name.
    pub snapshot_command: String,
}

pub(super) fn sources(files: &[EditorFile]) -> (SourceSet, Vec<FileId>) {
    let mut sources = SourceSet::new();
    let ids = files
        .iter()
        .map(|f| sources.add(SourceFile::new(f.path.clone(), f.text.clone(), f.kind)))
        .collect();
    (sources, ids)
}

pub fn derive(files: &[EditorFile], originals: &[String]) -> Derived {
    let (sources, ids) = sources(files);
    let model = Model::build(&sources);
    let report = fpmaudit_engine::check(&sources, &model);
    let mut findings: Vec<FindingView> = report
        .findings
        .iter()
        .filter_map(|finding| {
            let file = sources.get(finding.file)?;
            let index = ids.iter().position(|id| *id == finding.file)?;
            let start = file.line_index.line_col(finding.range.start, &file.text);
            let end = file.line_index.line_col(finding.range.end, &file.text);
            Some(FindingView {
                file: index,
                path: file.path.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                start: finding.range.start,
                severity: finding.severity,
                rule: finding.rule,
                title: finding.title,
                message: finding.message.clone(),
                fix: finding.fix.as_ref().map(|fix| FixView {
                    title: fix.title.clone(),
                    safe: fix.safety == Safety::Safe,
                }),
            })
        })
        .collect();
    fpmaudit_engine::sort::sort_by_key(&mut findings, |v| (v.severity, v.file, v.line));
    let map = graph::from_model(&sources, &model, &report.findings);
    let diffs = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let before = originals.get(i).map_or("", String::as_str);
            let diff = unified_diff(&f.path, before, &f.text);
            (!diff.is_empty()).then(|| FileDiff {
                file: i,
                path: f.path.clone(),
                diff,
            })
        })
        .collect();
    Derived {
        findings,
        map_svg: graph::to_svg(&map),
        laterals: map
            .laterals
            .iter()
            .map(|l| LateralView {
                rule: l.rule,
                summary: l.summary.clone(),
            })
            .collect(),
        map_nodes: map
            .nodes
            .iter()
            .map(|n| MapNodeView {
                id: n.id.clone(),
                label: n.label.clone(),
                detail: n.detail.join("; "),
                origin: n.origin.and_then(|place| {
                    let file = sources.get(place.file)?;
                    let index = ids.iter().position(|id| *id == place.file)?;
                    Some((
                        index,
                        file.line_index.line_col(place.range.start, &file.text).line,
                    ))
                }),
                risks: n.risks.clone(),
            })
            .collect(),
        diffs,
        units: report
            .units
            .iter()
            .map(|u| UnitView {
                name: u.name.clone(),
                exposure_tenths: u.level,
                label: u.label.as_str(),
            })
            .collect(),
        notes: report
            .notes
            .iter()
            .map(|n| NoteView {
                place: n.file.and_then(|id| {
                    let file = sources.get(id)?;
                    let line = n
                        .range
                        .map(|r| file.line_index.line_col(r.start, &file.text).line);
                    Some(line.map_or_else(|| file.path.clone(), |l| format!("{}:{l}", file.path)))
                }),
                message: n.message.clone(),
            })
            .collect(),
        snapshot_command: snapshot_command(&model),
    }
}
