//! The app's whole state and the one reducer that changes it. Plain Rust, tested natively.

use std::rc::Rc;

use fpmaudit_engine::{FileKind, Severity, SourceFile, SourceSet};

use crate::examples::Example;

/// A file open in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorFile {
    pub path: String,
    pub kind: FileKind,
    pub text: String,
}

/// A finding as the views show it: positions already converted to 1-based lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingView {
    pub file: usize,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub severity: Severity,
    pub rule: &'static str,
    pub title: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    pub files: Vec<EditorFile>,
    pub selected: usize,
    /// Derived from `files` by every action that edits them; sorted by severity, then place.
    pub findings: Vec<FindingView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Select(usize),
    Edit { file: usize, text: String },
    Jump { file: usize },
    LoadExample(&'static str),
}

impl AppState {
    pub fn from_example(example: &Example) -> Self {
        let files = example
            .files
            .iter()
            .map(|f| EditorFile {
                path: f.path.to_string(),
                kind: f.kind,
                text: f.text.to_string(),
            })
            .collect();
        Self::with_files(files)
    }

    fn with_files(files: Vec<EditorFile>) -> Self {
        let findings = audit(&files);
        Self {
            files,
            selected: 0,
            findings,
        }
    }

    /// The reducer: a new state for an action. Unknown indexes leave the state unchanged.
    #[must_use]
    pub fn apply(&self, action: Action) -> Self {
        match action {
            Action::Select(i) | Action::Jump { file: i } if i < self.files.len() => Self {
                selected: i,
                ..self.clone()
            },
            Action::Edit { file, text } => {
                let mut files = self.files.clone();
                match files.get_mut(file) {
                    Some(f) if f.text != text => f.text = text,
                    _ => return self.clone(),
                }
                let findings = audit(&files);
                Self {
                    files,
                    findings,
                    ..self.clone()
                }
            }
            Action::LoadExample(id) => crate::examples::ALL
                .iter()
                .find(|e| e.id == id)
                .map_or_else(|| self.clone(), Self::from_example),
            Action::Select(_) | Action::Jump { .. } => self.clone(),
        }
    }

    pub fn selected_file(&self) -> Option<&EditorFile> {
        self.files.get(self.selected)
    }

    /// Findings per file, for the tab badges.
    pub fn count_for(&self, file: usize) -> usize {
        self.findings.iter().filter(|f| f.file == file).count()
    }
}

impl yew::Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

/// Runs the engine over the open files.
pub fn audit(files: &[EditorFile]) -> Vec<FindingView> {
    let mut sources = SourceSet::new();
    let ids: Vec<_> = files
        .iter()
        .map(|f| sources.add(SourceFile::new(f.path.clone(), f.text.clone(), f.kind)))
        .collect();
    let report = fpmaudit_engine::audit(&sources);
    let mut views: Vec<FindingView> = report
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
                severity: finding.severity,
                rule: finding.rule,
                title: finding.title,
                message: finding.message.clone(),
            })
        })
        .collect();
    views.sort_by_key(|v| (v.severity, v.file, v.line));
    views
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::SHARED_HOSTING;

    fn pool_index(state: &AppState) -> usize {
        state
            .files
            .iter()
            .position(|f| f.kind == FileKind::FpmPool)
            .unwrap()
    }

    #[test]
    fn default_example_has_findings() {
        let state = AppState::from_example(&SHARED_HOSTING);
        assert!(state.findings.iter().any(|f| f.rule == "FPM-106"));
        assert!(state.findings.iter().any(|f| f.rule == "FPM-302"));
    }

    #[test]
    fn editing_re_audits() {
        let state = AppState::from_example(&SHARED_HOSTING);
        let pool = pool_index(&state);
        let text = state.files[pool]
            .text
            .replace("listen = /run/php/shared.sock", "listen = 9000");
        let edited = state.apply(Action::Edit { file: pool, text });
        let hit = edited
            .findings
            .iter()
            .find(|f| f.rule == "FPM-103")
            .unwrap();
        assert_eq!(hit.file, pool);
        let text = edited.files[pool]
            .text
            .replace("listen = 9000", "listen = 127.0.0.1:9000");
        let fixed = edited.apply(Action::Edit { file: pool, text });
        assert!(!fixed.findings.iter().any(|f| f.rule == "FPM-103"));
    }

    #[test]
    fn out_of_range_actions_change_nothing() {
        let state = AppState::from_example(&SHARED_HOSTING);
        assert_eq!(state.apply(Action::Select(99)), state);
        assert_eq!(
            state.apply(Action::Edit {
                file: 99,
                text: String::new()
            }),
            state
        );
        assert_eq!(state.apply(Action::LoadExample("nope")), state);
    }
}
