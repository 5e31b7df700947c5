//! Workshop mode: one scenario, fixed step by step, with progress (findings left, serious
//! findings left, the FPM unit's exposure) and hints taken from the rules' own docs.

use fpmaudit_engine::Severity;
use fpmaudit_engine::rules;

use super::AppState;
use crate::examples;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workshop {
    pub example: &'static str,
    pub title: &'static str,
    /// Findings when the scenario started.
    pub start_findings: usize,
    /// Critical and high findings when it started.
    pub start_serious: usize,
    /// Exposure of the first FPM unit, in tenths, when it started.
    pub start_exposure: Option<u32>,
    /// How many hints were asked for.
    pub hints: usize,
}

/// Where the workshop stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub findings: usize,
    pub serious: usize,
    pub exposure: Option<u32>,
    /// 0–100: the share of the starting serious findings fixed (all findings when none were).
    pub percent: u32,
    /// No critical or high finding is left.
    pub done: bool,
}

/// The next thing to fix: the most severe finding, with its rule's "How to fix".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub finding: usize,
    pub rule: &'static str,
    pub title: &'static str,
    pub path: String,
    pub line: u32,
    pub how_to_fix: String,
}

fn serious(state: &AppState) -> usize {
    state
        .findings()
        .iter()
        .filter(|f| f.severity.at_least(Severity::High))
        .count()
}

fn exposure(state: &AppState) -> Option<u32> {
    state.derived.units.first().map(|u| u.exposure_tenths)
}

pub(super) fn start(state: &AppState, id: &str) -> AppState {
    let Some(example) = examples::find(id) else {
        return state.clone();
    };
    let mut next = AppState::from_example(example);
    next.embed = state.embed;
    next.workshop = Some(Workshop {
        example: example.id,
        title: example.title,
        start_findings: next.findings().len(),
        start_serious: serious(&next),
        start_exposure: exposure(&next),
        hints: 0,
    });
    next.notice = Some(format!("workshop started: {}", example.title));
    next
}

pub(super) fn hint(state: &AppState) -> AppState {
    let mut next = state.clone();
    if let Some(w) = next.workshop.as_mut() {
        w.hints += 1;
    }
    if let Some(h) = next_hint(state) {
        next = next.apply(super::Action::Focus(h.finding));
    }
    next
}

impl Workshop {
    pub fn progress(&self, state: &AppState) -> Progress {
        let findings = state.findings().len();
        let serious = serious(state);
        let (start, now) = if self.start_serious > 0 {
            (self.start_serious, serious)
        } else {
            (self.start_findings, findings)
        };
        let fixed = start.saturating_sub(now);
        let percent = (fixed * 100).checked_div(start).unwrap_or(100);
        Progress {
            findings,
            serious,
            exposure: exposure(state),
            percent: u32::try_from(percent).unwrap_or(100),
            done: serious == 0,
        }
    }
}

pub fn next_hint(state: &AppState) -> Option<Hint> {
    let (index, f) = state
        .findings()
        .iter()
        .enumerate()
        .min_by_key(|(i, f)| (f.severity, *i))?;
    let how_to_fix = rules::find(f.rule)
        .map(|r| r.meta().docs().fix)
        .unwrap_or_default();
    Some(Hint {
        finding: index,
        rule: f.rule,
        title: f.title,
        path: f.path.clone(),
        line: f.line,
        how_to_fix,
    })
}
