//! The full hardened rewrite, on request: every fix (needs-review ones too), the split pools,
//! the generated files, as diffs to read and files to download.

use fpmaudit_engine::Safety;
use fpmaudit_engine::fix::{created_diff, harden, unified_diff};

use super::{EditorFile, FileDiff, derive};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// Changed and created files, as unified diffs (created ones against /dev/null).
    pub diffs: Vec<FileDiff>,
    /// Every file of the hardened host, `(host path, text)`, generated ones last.
    pub files: Vec<(String, String)>,
    pub applied: usize,
    /// Titles of the applied fixes that need review, with their rule.
    pub review: Vec<String>,
    pub generated: Vec<String>,
}

pub fn rewrite(files: &[EditorFile]) -> Rewrite {
    let (sources, _) = derive::sources(files);
    let hardened = harden(&sources, Safety::NeedsReview);
    let mut diffs = Vec::new();
    let mut out = Vec::new();
    for (i, (id, file)) in hardened.sources.iter().enumerate() {
        let diff = match sources.get(id) {
            Some(before) => unified_diff(&file.path, &before.text, &file.text),
            None => created_diff(&file.path, &file.text),
        };
        if !diff.is_empty() {
            diffs.push(FileDiff {
                file: i,
                path: file.path.clone(),
                diff,
            });
        }
        out.push((file.path.clone(), file.text.clone()));
    }
    Rewrite {
        diffs,
        files: out,
        applied: hardened.applied.len(),
        review: hardened
            .applied
            .iter()
            .filter(|a| a.safety == Safety::NeedsReview)
            .map(|a| format!("{}: {}", a.rule, a.title))
            .collect(),
        generated: hardened.generated,
    }
}
