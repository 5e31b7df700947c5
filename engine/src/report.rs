//! The result of an audit, sorted for stable output.

use crate::diagnostic::{Finding, Severity};
use crate::model::systemd::Label;
use crate::source::FileId;
use crate::text::TextRange;

/// Something the audit wants the reader to know that is not a finding: evidence lines it could
/// not read, rules that stayed silent for lack of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: Option<FileId>,
    pub range: Option<TextRange>,
    pub message: String,
    /// The rules the note is about (empty when none).
    pub rules: Vec<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted by file, then position, then rule id.
    pub findings: Vec<Finding>,
    /// The exposure score of every PHP-FPM unit systemd could load, sorted by unit name.
    pub units: Vec<UnitExposure>,
    /// Notes about the evidence, in order.
    pub notes: Vec<Note>,
}

/// One unit's `systemd-analyze security --offline=yes` score, as the engine computes it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitExposure {
    /// The unit's main file.
    pub file: FileId,
    /// `php8.2-fpm.service`; a template keeps its name (`php-fpm@.service`), scored as
    /// systemd scores any instance of it.
    pub name: String,
    /// 0.0–10.0 with one decimal, as systemd prints it.
    pub exposure: f64,
    /// The same score times ten, exact (for display without float formatting).
    pub level: u32,
    pub label: Label,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Self {
        crate::sort::sort_by(&mut findings, |a, b| {
            (a.file, a.range.start, a.rule, a.range.end).cmp(&(
                b.file,
                b.range.start,
                b.rule,
                b.range.end,
            ))
        });
        findings.dedup();
        Self {
            findings,
            units: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_units(mut self, units: Vec<UnitExposure>) -> Self {
        self.units = units;
        self
    }

    #[must_use]
    pub fn with_notes(mut self, notes: Vec<Note>) -> Self {
        self.notes = notes;
        self
    }

    /// Number of findings per severity, most severe first.
    pub fn counts(&self) -> [(Severity, usize); 5] {
        Severity::ALL.map(|s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
    }

    /// True when some finding is `threshold` or worse.
    pub fn any_at_least(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity.at_least(threshold))
    }
}
