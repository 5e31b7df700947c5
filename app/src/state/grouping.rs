//! The findings list as the user arranges it: grouped by severity, file or rule, filtered by
//! a minimum severity and a search text, with counts.

use fpmaudit_engine::Severity;

use super::FindingView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Severity,
    File,
    Rule,
}

impl GroupBy {
    pub const ALL: [Self; 3] = [Self::Severity, Self::File, Self::Rule];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Severity => "severity",
            Self::File => "file",
            Self::Rule => "rule",
        }
    }
}

/// Which findings the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Findings below this severity are hidden.
    pub min_severity: Severity,
    /// Case-insensitive text searched in rule id, title, message and path.
    pub query: String,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            min_severity: Severity::Info,
            query: String::new(),
        }
    }
}

impl Filter {
    pub fn admits(&self, f: &FindingView) -> bool {
        if !f.severity.at_least(self.min_severity) {
            return false;
        }
        let query = self.query.trim().to_ascii_lowercase();
        query.is_empty()
            || [f.rule, f.title, f.message.as_str(), f.path.as_str()]
                .iter()
                .any(|s| s.to_ascii_lowercase().contains(&query))
    }
}

/// One heading of the list and the findings under it (indexes into the derived findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub label: String,
    /// Set when the group is one severity, for its icon.
    pub severity: Option<Severity>,
    pub findings: Vec<usize>,
}

pub fn groups(findings: &[FindingView], by: GroupBy, filter: &Filter) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut shown: Vec<(usize, &FindingView)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| filter.admits(f))
        .collect();
    fpmaudit_engine::sort::sort_by(&mut shown, |(i, a), (j, b)| match by {
        GroupBy::Severity => (a.severity, i).cmp(&(b.severity, j)),
        GroupBy::File => (a.file, a.line, i).cmp(&(b.file, b.line, j)),
        GroupBy::Rule => (a.rule, i).cmp(&(b.rule, j)),
    });
    for (i, f) in shown {
        let (label, severity) = match by {
            GroupBy::Severity => (f.severity.as_str().to_string(), Some(f.severity)),
            GroupBy::File => (f.path.clone(), None),
            GroupBy::Rule => (format!("{} {}", f.rule, f.title), Some(f.severity)),
        };
        match out.last_mut() {
            Some(group) if group.label == label => group.findings.push(i),
            _ => out.push(Group {
                label,
                severity,
                findings: vec![i],
            }),
        }
    }
    out
}

/// Counts per severity, most severe first.
pub fn counts(findings: &[FindingView]) -> [(Severity, usize); 5] {
    Severity::ALL.map(|s| (s, findings.iter().filter(|f| f.severity == s).count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: usize, line: u32, severity: Severity, rule: &'static str) -> FindingView {
        FindingView {
            file,
            path: format!("/f{file}"),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            start: line,
            severity,
            rule,
            title: "t",
            message: format!("message of {rule}"),
            fix: None,
        }
    }

    #[test]
    fn groups_filters_and_counts() {
        let all = vec![
            finding(1, 3, Severity::High, "FPM-302"),
            finding(0, 9, Severity::Low, "INI-101"),
            finding(0, 2, Severity::High, "FPM-106"),
        ];
        let by_sev = groups(&all, GroupBy::Severity, &Filter::default());
        assert_eq!(by_sev.len(), 2);
        assert_eq!(by_sev[0].label, "high");
        assert_eq!(by_sev[0].findings, vec![0, 2]);
        let by_file = groups(&all, GroupBy::File, &Filter::default());
        assert_eq!(by_file[0].label, "/f0");
        assert_eq!(by_file[0].findings, vec![2, 1]);
        let by_rule = groups(&all, GroupBy::Rule, &Filter::default());
        assert_eq!(by_rule.len(), 3);
        assert!(by_rule[0].label.starts_with("FPM-106"));
        let high_only = Filter {
            min_severity: Severity::High,
            query: String::new(),
        };
        let shown: usize = groups(&all, GroupBy::File, &high_only)
            .iter()
            .map(|g| g.findings.len())
            .sum();
        assert_eq!(shown, 2);
        let query = Filter {
            query: "ini-1".into(),
            ..Filter::default()
        };
        assert_eq!(groups(&all, GroupBy::Rule, &query)[0].findings, vec![1]);
        assert_eq!(counts(&all)[1], (Severity::High, 2));
    }
}
