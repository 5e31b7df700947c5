//! The app's whole state and the one reducer that changes it. Plain Rust, tested natively.

mod derive;

use std::rc::Rc;

use fpmaudit_engine::fix::{apply, harden};
use fpmaudit_engine::{FileKind, Safety};

pub use derive::{Derived, FileDiff, FindingView, FixView, LateralView, derive};

use crate::examples::Example;

/// A file open in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorFile {
    pub path: String,
    pub kind: FileKind,
    pub text: String,
}

/// What the right-hand panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Findings,
    Changes,
    Map,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    pub files: Vec<EditorFile>,
    /// The texts as loaded, for the diffs.
    pub originals: Vec<String>,
    pub selected: usize,
    pub view: View,
    /// Texts before each applied fix, newest last: undo survives fixes (the textarea's own
    /// undo does not see programmatic changes).
    pub undo: Vec<Vec<String>>,
    /// What the last fix action did, for a status line.
    pub notice: Option<String>,
    /// Derived from `files` by every action that changes them.
    pub derived: Derived,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Select(usize),
    Edit {
        file: usize,
        text: String,
    },
    Jump {
        file: usize,
    },
    LoadExample(&'static str),
    /// Applies the fix of the finding of `rule` at byte `start` of `file`.
    ApplyFix {
        file: usize,
        rule: &'static str,
        start: u32,
    },
    ApplyAllSafe,
    Undo,
    Show(View),
}

impl AppState {
    pub fn from_example(example: &Example) -> Self {
        let files: Vec<EditorFile> = example
            .files
            .iter()
            .map(|f| EditorFile {
                path: f.path.to_string(),
                kind: f.kind,
                text: f.text.to_string(),
            })
            .collect();
        let originals = files.iter().map(|f| f.text.clone()).collect();
        Self::with_files(files, originals)
    }

    fn with_files(files: Vec<EditorFile>, originals: Vec<String>) -> Self {
        let derived = derive(&files, &originals);
        Self {
            files,
            originals,
            selected: 0,
            view: View::Findings,
            undo: Vec::new(),
            notice: None,
            derived,
        }
    }

    /// The same state with new texts (one per file), re-derived.
    fn with_texts(
        &self,
        texts: Vec<String>,
        undo: Vec<Vec<String>>,
        notice: Option<String>,
    ) -> Self {
        let mut files = self.files.clone();
        for (file, text) in files.iter_mut().zip(texts) {
            file.text = text;
        }
        let derived = derive(&files, &self.originals);
        Self {
            files,
            undo,
            notice,
            derived,
            ..self.clone()
        }
    }

    fn texts(&self) -> Vec<String> {
        self.files.iter().map(|f| f.text.clone()).collect()
    }

    /// Pushes the current texts on the undo stack, unless `texts` changes nothing.
    fn after_fix(&self, texts: Vec<String>, notice: String) -> Self {
        if texts == self.texts() {
            return Self {
                notice: Some("nothing to change".into()),
                ..self.clone()
            };
        }
        let mut undo = self.undo.clone();
        undo.push(self.texts());
        self.with_texts(texts, undo, Some(notice))
    }

    fn apply_fix(&self, file: usize, rule: &str, start: u32) -> Self {
        let (sources, ids) = derive::sources(&self.files);
        let report = fpmaudit_engine::audit(&sources);
        let Some((fix, _)) = report.findings.iter().find_map(|f| {
            let index = ids.iter().position(|id| *id == f.file)?;
            (f.rule == rule && index == file && f.range.start == start)
                .then_some(())
                .and(f.fix.as_ref())
                .map(|fix| (fix, index))
        }) else {
            return self.clone();
        };
        let edits: Vec<_> = fix.edits.iter().collect();
        let texts = sources
            .iter()
            .map(|(id, f)| apply(&f.text, id, &edits))
            .collect();
        self.after_fix(texts, format!("applied: {}", fix.title))
    }

    fn apply_all_safe(&self) -> Self {
        let (sources, _) = derive::sources(&self.files);
        let hardened = harden(&sources, Safety::Safe);
        let count = hardened.applied.len();
        let texts = hardened
            .sources
            .iter()
            .map(|(_, f)| f.text.clone())
            .collect();
        self.after_fix(texts, format!("applied {count} safe fixes"))
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
                let mut texts = self.texts();
                match texts.get_mut(file) {
                    Some(t) if *t != text => *t = text,
                    _ => return self.clone(),
                }
                self.with_texts(texts, self.undo.clone(), None)
            }
            Action::LoadExample(id) => crate::examples::ALL
                .iter()
                .find(|e| e.id == id)
                .map_or_else(|| self.clone(), Self::from_example),
            Action::ApplyFix { file, rule, start } => self.apply_fix(file, rule, start),
            Action::ApplyAllSafe => self.apply_all_safe(),
            Action::Undo => {
                let mut undo = self.undo.clone();
                match undo.pop() {
                    Some(texts) => self.with_texts(texts, undo, Some("undone".into())),
                    None => self.clone(),
                }
            }
            Action::Show(view) => Self {
                view,
                ..self.clone()
            },
            Action::Select(_) | Action::Jump { .. } => self.clone(),
        }
    }

    pub fn selected_file(&self) -> Option<&EditorFile> {
        self.files.get(self.selected)
    }

    pub fn findings(&self) -> &[FindingView] {
        &self.derived.findings
    }

    /// Findings per file, for the tab badges.
    pub fn count_for(&self, file: usize) -> usize {
        self.derived
            .findings
            .iter()
            .filter(|f| f.file == file)
            .count()
    }

    /// How many findings carry a safe fix, for the "apply all safe fixes" button.
    pub fn safe_fixes(&self) -> usize {
        self.derived
            .findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.safe))
            .count()
    }
}

impl yew::Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
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
        assert!(state.findings().iter().any(|f| f.rule == "FPM-106"));
        assert!(state.findings().iter().any(|f| f.rule == "FPM-302"));
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
            .findings()
            .iter()
            .find(|f| f.rule == "FPM-103")
            .unwrap();
        assert_eq!(hit.file, pool);
        let text = edited.files[pool]
            .text
            .replace("listen = 9000", "listen = 127.0.0.1:9000");
        let fixed = edited.apply(Action::Edit { file: pool, text });
        assert!(!fixed.findings().iter().any(|f| f.rule == "FPM-103"));
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

    #[test]
    fn applying_a_fix_changes_the_file_shows_a_diff_and_can_be_undone() {
        let state = AppState::from_example(&SHARED_HOSTING);
        let target = state
            .findings()
            .iter()
            .find(|f| f.rule == "FPM-106" && f.fix.is_some())
            .unwrap()
            .clone();
        let fixed = state.apply(Action::ApplyFix {
            file: target.file,
            rule: target.rule,
            start: target.start,
        });
        assert!(!fixed.findings().iter().any(|f| f.rule == "FPM-106"));
        assert_eq!(fixed.derived.diffs.len(), 1);
        assert!(fixed.derived.diffs[0].diff.contains("+listen.mode = 0660"));
        assert_eq!(fixed.undo.len(), 1);
        let undone = fixed.apply(Action::Undo);
        assert_eq!(undone.files, state.files);
        assert!(undone.derived.diffs.is_empty());
        // A stale finding (its text changed since) applies nothing.
        assert_eq!(
            fixed
                .apply(Action::ApplyFix {
                    file: target.file,
                    rule: target.rule,
                    start: target.start,
                })
                .files,
            fixed.files
        );
    }

    #[test]
    fn all_safe_fixes_at_once() {
        let state = AppState::from_example(&SHARED_HOSTING);
        let safe = state.safe_fixes();
        assert!(safe > 0);
        let fixed = state.apply(Action::ApplyAllSafe);
        assert_eq!(fixed.safe_fixes(), 0);
        assert!(fixed.notice.as_deref().unwrap().starts_with("applied"));
        assert!(!fixed.derived.diffs.is_empty());
        // Nothing left: the second time changes nothing and says so.
        let again = fixed.apply(Action::ApplyAllSafe);
        assert_eq!(again.files, fixed.files);
        assert_eq!(again.undo.len(), fixed.undo.len());
    }

    #[test]
    fn the_map_shows_the_shared_pool() {
        let state = AppState::from_example(&SHARED_HOSTING);
        assert!(state.derived.map_svg.starts_with("<svg"));
        assert!(state.derived.laterals.iter().any(|l| l.rule == "FPM-302"));
        assert_eq!(state.apply(Action::Show(View::Map)).view, View::Map);
    }
}
