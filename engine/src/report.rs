//! The result of an audit, sorted for stable output.

use crate::diagnostic::{Finding, Severity};

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted by file, then position, then rule id.
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            (a.file, a.range.start, a.rule, a.range.end).cmp(&(
                b.file,
                b.range.start,
                b.rule,
                b.range.end,
            ))
        });
        findings.dedup();
        Self { findings }
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
