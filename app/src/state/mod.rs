//! The app's whole state and the one reducer that changes it. Plain Rust, tested natively.

pub mod archive;
mod derive;
pub mod grouping;
pub mod import;
pub mod rewrite;
pub mod secrets;
pub mod share;
pub mod workshop;

use std::rc::Rc;

use fpmaudit_engine::fix::{apply, harden};
use fpmaudit_engine::{FileKind, Safety, Severity};

pub use derive::{
    Derived, FileDiff, FindingView, FixView, LateralView, MapNodeView, NoteView, UnitView, derive,
};
pub use grouping::{Filter, Group, GroupBy};
pub use workshop::Workshop;

use crate::examples::{self, Example};

/// Above this many bytes in all files together, typing no longer re-audits on every key:
/// the view asks for [`Action::Reaudit`] once the user pauses, so the page never freezes.
pub const LARGE_INPUT: usize = 256 * 1024;

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

/// The share dialog: the link's fragment, computed when it opens or its options change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareDialog {
    pub secrets: Vec<secrets::Secret>,
    pub redact: bool,
    /// `#s=…`, for the playground link.
    pub fragment: String,
    /// `#s=…&embed`, for the iframe snippet.
    pub embed_fragment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    pub files: Vec<EditorFile>,
    /// The texts as loaded, for the diffs (empty for files added since).
    pub originals: Vec<String>,
    pub selected: usize,
    pub view: View,
    /// Texts before each applied fix, newest last: undo survives fixes (the textarea's own
    /// undo does not see programmatic changes). Cleared when files are added or removed.
    pub undo: Vec<Vec<String>>,
    /// What the last action did, for a status line.
    pub notice: Option<String>,
    /// The example the files came from, if any.
    pub example: Option<&'static str>,
    pub group_by: GroupBy,
    pub filter: Filter,
    /// The finding shown in detail (index into `derived.findings`).
    pub focus: Option<usize>,
    /// Lines the editor selects and scrolls to: `(file, first line, last line)`, 1-based;
    /// set by focusing a finding or a map node.
    pub cursor: Option<(usize, u32, u32)>,
    pub workshop: Option<Workshop>,
    pub share: Option<ShareDialog>,
    /// Compact read-only view for iframes in documentation.
    pub embed: bool,
    /// The full hardened rewrite, computed on request and dropped when files change.
    pub rewrite: Option<rewrite::Rewrite>,
    /// The files changed since `derived` was computed (large inputs re-audit on a pause).
    pub stale: bool,
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
    /// Re-audits after a pause in typing when the input is large.
    Reaudit,
    SetPath {
        file: usize,
        path: String,
    },
    SetKind {
        file: usize,
        kind: FileKind,
    },
    AddFile,
    RemoveFile(usize),
    /// Texts from outside, as `(name, text)`: pasted dumps are split, dropped files placed.
    Import(Vec<(String, String)>),
    LoadExample(&'static str),
    /// Applies the fix of the finding of `rule` at byte `start` of `file`.
    ApplyFix {
        file: usize,
        rule: &'static str,
        start: u32,
    },
    ApplyAllSafe,
    /// Computes the full hardened rewrite (shown in the Changes view, offered as download).
    PreviewRewrite,
    Undo,
    Show(View),
    Group(GroupBy),
    MinSeverity(Severity),
    Query(String),
    /// Shows a finding in detail and selects its file.
    Focus(usize),
    /// Focuses the first finding of a rule (from the map's lateral paths).
    FocusRule(&'static str),
    /// Shows a line of a file in the editor (from a map node).
    Reveal {
        file: usize,
        line: u32,
    },
    NextFinding,
    PrevFinding,
    StartWorkshop(&'static str),
    Hint,
    EndWorkshop,
    OpenShare,
    SetRedact(bool),
    CloseShare,
    /// The state a share link carries.
    Restore(share::Fragment),
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
        Self {
            example: Some(example.id),
            ..Self::with_files(files)
        }
    }

    fn with_files(files: Vec<EditorFile>) -> Self {
        let originals: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        let derived = derive(&files, &originals);
        Self {
            files,
            originals,
            selected: 0,
            view: View::Findings,
            undo: Vec::new(),
            notice: None,
            example: None,
            group_by: GroupBy::default(),
            filter: Filter::default(),
            focus: None,
            cursor: None,
            workshop: None,
            share: None,
            embed: false,
            stale: false,
            rewrite: None,
            derived,
        }
    }

    /// Total size of the texts, to decide between auditing per key and per pause.
    pub fn input_size(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }

    /// The same state, re-derived from its files (the focus is dropped: indexes moved).
    fn rederived(mut self) -> Self {
        self.derived = derive(&self.files, &self.originals);
        self.stale = false;
        self.focus = None;
        self.cursor = None;
        self.rewrite = None;
        self
    }

    /// The same state with new texts (one per file), re-derived.
    fn with_texts(
        &self,
        texts: Vec<String>,
        undo: Vec<Vec<String>>,
        notice: Option<String>,
    ) -> Self {
        let mut next = Self {
            undo,
            notice,
            ..self.clone()
        };
        for (file, text) in next.files.iter_mut().zip(texts) {
            file.text = text;
        }
        next.rederived()
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
        let fix = report.findings.iter().find_map(|f| {
            let index = ids.iter().position(|id| *id == f.file)?;
            (f.rule == rule && index == file && f.range.start == start)
                .then_some(f.fix.as_ref())
                .flatten()
        });
        let Some(fix) = fix else {
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

    /// A structural change (files added, removed, renamed, re-kinded): re-derived, and the
    /// undo stack dropped because its snapshots no longer line up with the files.
    fn restructured(
        &self,
        files: Vec<EditorFile>,
        originals: Vec<String>,
        notice: Option<String>,
    ) -> Self {
        let selected = self.selected.min(files.len().saturating_sub(1));
        let next = Self {
            files,
            originals,
            selected,
            undo: Vec::new(),
            notice,
            ..self.clone()
        };
        if next.input_size() > LARGE_INPUT {
            // A large paste shows at once; its audit follows the same pause as typing.
            // Findings would point at old indexes meanwhile, so they are dropped.
            Self {
                stale: true,
                focus: None,
                cursor: None,
                rewrite: None,
                derived: Derived::default(),
                ..next
            }
        } else {
            next.rederived()
        }
    }

    fn edit(&self, file: usize, text: String) -> Self {
        let mut next = self.clone();
        match next.files.get_mut(file) {
            Some(f) if f.text != text => f.text = text,
            _ => return self.clone(),
        }
        next.notice = None;
        if next.input_size() > LARGE_INPUT {
            next.stale = true;
            next
        } else {
            next.rederived()
        }
    }

    fn import(&self, incoming: &[(String, String)]) -> Self {
        let new: Vec<EditorFile> = incoming
            .iter()
            .flat_map(|(name, text)| import::files_from(name, text))
            .collect();
        if new.is_empty() {
            return self.clone();
        }
        let mut files = self.files.clone();
        let mut originals = self.originals.clone();
        let count = new.len();
        for file in new {
            // A file arriving at a path already open replaces it.
            let existing = files.iter().position(|f| f.path == file.path);
            if let Some(i) = existing {
                if let (Some(slot), Some(orig)) = (files.get_mut(i), originals.get_mut(i)) {
                    orig.clone_from(&file.text);
                    *slot = file;
                }
            } else {
                originals.push(file.text.clone());
                files.push(file);
            }
        }
        let mut next = self.restructured(files, originals, Some(format!("imported {count} files")));
        next.selected = next.files.len().saturating_sub(1);
        next
    }

    fn focus(&self, index: usize) -> Self {
        match self.derived.findings.get(index) {
            Some(f) => Self {
                focus: Some(index),
                cursor: Some((f.file, f.line, f.end_line)),
                selected: f.file,
                view: View::Findings,
                ..self.clone()
            },
            None => self.clone(),
        }
    }

    /// The next (or previous) finding in the selected file's order, wrapping around.
    fn step_focus(&self, forward: bool) -> Self {
        let shown: Vec<usize> =
            grouping::groups(&self.derived.findings, self.group_by, &self.filter)
                .into_iter()
                .flat_map(|g| g.findings)
                .collect();
        if shown.is_empty() {
            return self.clone();
        }
        let at = self.focus.and_then(|f| shown.iter().position(|&i| i == f));
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => shown.len() - 1,
            (Some(i), true) => (i + 1) % shown.len(),
            (Some(i), false) => (i + shown.len() - 1) % shown.len(),
        };
        shown
            .get(next)
            .map_or_else(|| self.clone(), |&i| self.focus(i))
    }

    fn share_dialog(&self, redact: bool) -> ShareDialog {
        let files: Vec<EditorFile> = if redact {
            self.files
                .iter()
                .map(|f| EditorFile {
                    text: secrets::redact(&f.text),
                    ..f.clone()
                })
                .collect()
        } else {
            self.files.clone()
        };
        let fragment = share::fragment(&files, self.selected);
        ShareDialog {
            secrets: secrets::find(&self.files),
            redact,
            // One deflate for both: the embed link is the same state plus the flag.
            embed_fragment: format!("{fragment}&embed"),
            fragment,
        }
    }

    fn restore(&self, fragment: share::Fragment) -> Self {
        let example = fragment
            .example
            .as_deref()
            .or(fragment.workshop.as_deref())
            .and_then(examples::find);
        let mut next = match (fragment.files, example) {
            (Some(files), _) => Self::with_files(files),
            (None, Some(example)) => Self::from_example(example),
            (None, None) => self.clone(),
        };
        next.selected = fragment.selected.min(next.files.len().saturating_sub(1));
        next.embed = fragment.embed;
        if let Some(id) = fragment
            .workshop
            .as_deref()
            .and_then(examples::find)
            .map(|e| e.id)
        {
            next = next.apply(Action::StartWorkshop(id));
        }
        next
    }

    /// Actions that change what is shown, never the files.
    fn apply_view(&self, action: Action) -> Self {
        match action {
            Action::Show(view) => Self {
                view,
                ..self.clone()
            },
            Action::Group(group_by) => Self {
                group_by,
                ..self.clone()
            },
            Action::MinSeverity(min_severity) => Self {
                filter: Filter {
                    min_severity,
                    ..self.filter.clone()
                },
                ..self.clone()
            },
            Action::Query(query) => Self {
                filter: Filter {
                    query,
                    ..self.filter.clone()
                },
                ..self.clone()
            },
            Action::Focus(i) => self.focus(i),
            Action::FocusRule(rule) => self
                .derived
                .findings
                .iter()
                .position(|f| f.rule == rule)
                .map_or_else(|| self.clone(), |i| self.focus(i)),
            Action::Reveal { file, line } if file < self.files.len() => Self {
                selected: file,
                cursor: Some((file, line, line)),
                ..self.clone()
            },
            Action::NextFinding => self.step_focus(true),
            Action::PrevFinding => self.step_focus(false),
            Action::StartWorkshop(id) => workshop::start(self, id),
            Action::Hint => workshop::hint(self),
            Action::EndWorkshop => Self {
                workshop: None,
                ..self.clone()
            },
            Action::OpenShare => Self {
                share: Some(self.share_dialog(false)),
                ..self.clone()
            },
            Action::SetRedact(redact) => Self {
                share: Some(self.share_dialog(redact)),
                ..self.clone()
            },
            Action::CloseShare => Self {
                share: None,
                ..self.clone()
            },
            _ => self.clone(),
        }
    }

    /// The reducer: a new state for an action. Unknown indexes leave the state unchanged.
    #[must_use]
    pub fn apply(&self, action: Action) -> Self {
        match action {
            Action::Select(i) if i < self.files.len() => Self {
                selected: i,
                ..self.clone()
            },
            Action::Edit { file, text } => self.edit(file, text),
            Action::Reaudit if self.stale => self.clone().rederived(),
            Action::SetPath { file, path } => {
                let mut files = self.files.clone();
                match files.get_mut(file) {
                    Some(f) if f.path != path => f.path = path,
                    _ => return self.clone(),
                }
                self.restructured(files, self.originals.clone(), None)
            }
            Action::SetKind { file, kind } => {
                let mut files = self.files.clone();
                match files.get_mut(file) {
                    Some(f) if f.kind != kind => f.kind = kind,
                    _ => return self.clone(),
                }
                self.restructured(files, self.originals.clone(), None)
            }
            Action::AddFile => {
                let mut next = self.import(&[(
                    format!("/etc/php/8.2/fpm/pool.d/new{}.conf", self.files.len() + 1),
                    String::new(),
                )]);
                next.notice = Some(
                    "added an empty file: paste a config, then check its path and kind".into(),
                );
                next
            }
            Action::RemoveFile(i) if i < self.files.len() => {
                let mut files = self.files.clone();
                let mut originals = self.originals.clone();
                let removed = files.remove(i);
                if i < originals.len() {
                    originals.remove(i);
                }
                self.restructured(files, originals, Some(format!("removed {}", removed.path)))
            }
            Action::Import(incoming) => self.import(&incoming),
            Action::LoadExample(id) => {
                examples::find(id).map_or_else(|| self.clone(), Self::from_example)
            }
            Action::ApplyFix { file, rule, start } => self.apply_fix(file, rule, start),
            Action::ApplyAllSafe => self.apply_all_safe(),
            Action::PreviewRewrite => Self {
                rewrite: Some(rewrite::rewrite(&self.files)),
                view: View::Changes,
                ..self.clone()
            },
            Action::Undo => {
                let mut undo = self.undo.clone();
                match undo.pop() {
                    Some(texts) => self.with_texts(texts, undo, Some("undone".into())),
                    None => self.clone(),
                }
            }
            Action::Restore(fragment) => self.restore(fragment),
            other => self.apply_view(other),
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
mod tests;
