//! Applying fixes: the hardened rewrite of a host.
//!
//! A fix is a set of text edits (possibly in several files) with a declared [`Safety`]. One
//! round audits the host, takes every fix the caller accepts, keeps those whose edits touch
//! nothing an earlier fix of the round touched, and applies them back to front. Rounds repeat
//! on the rewritten files until no accepted fix is left (a later round sees what the earlier
//! edits changed, so a fix that was skipped for overlapping is reconsidered against the new
//! text). Every byte no edit covers is kept, so comments, blank lines, CRLF and BOM survive.

mod diff;
pub mod dropin;
pub mod fs_provision;
pub mod split;

pub use diff::{created as created_diff, unified as unified_diff};

use crate::diagnostic::{Edit, Fix, Safety};
use crate::source::{FileId, SourceFile, SourceSet};
use crate::text::TextRange;

/// Rounds before giving up; fixes that keep re-firing after this many are a rule bug, and the
/// result says so instead of looping.
pub const MAX_ROUNDS: usize = 8;

/// One fix that was applied, for the report and the app's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    pub title: String,
    pub safety: Safety,
    /// Paths of the files it edited.
    pub paths: Vec<String>,
    pub round: usize,
}

/// The host after fixing.
#[derive(Debug, Clone)]
pub struct Hardened {
    /// Same files, same order and kinds, with the fixes applied.
    pub sources: SourceSet,
    pub applied: Vec<Applied>,
    /// Rounds of text edits that applied something.
    pub rounds: usize,
    /// False when [`MAX_ROUNDS`] rounds still left fixes to apply.
    pub converged: bool,
    /// Paths of files the rewrite created (split pools, the provisioning script, hardening
    /// drop-ins); they are at the end of `sources`.
    pub generated: Vec<String>,
}

impl Hardened {
    /// Paths of the files whose text changed.
    pub fn changed<'a>(&'a self, original: &'a SourceSet) -> impl Iterator<Item = &'a str> + 'a {
        self.sources.iter().filter_map(move |(id, file)| {
            let before = original.get(id)?;
            (before.text != file.text).then_some(file.path.as_str())
        })
    }
}

/// Adds the owner and mode repairs the evidence rules call for to the provisioning script
/// (creating it when the split wrote none). Never a text edit: the host itself must change.
fn provision_fs(
    sources: &SourceSet,
    current: &mut SourceSet,
    generated: &mut Vec<String>,
    wanted: &impl Fn(&str) -> bool,
) {
    let model = crate::model::Model::build(sources);
    if !model.fs.has_snapshot && !model.fs.has_groups {
        return;
    }
    let findings: Vec<_> = crate::check(sources, &model)
        .findings
        .into_iter()
        .filter(|f| wanted(f.rule))
        .collect();
    let Some(section) = fs_provision::fs_section(&model, &findings) else {
        return;
    };
    let existing = current
        .by_path(split::PROVISION_PATH)
        .and_then(|id| current.get(id))
        .map(|f| f.text.clone());
    let text = match existing {
        Some(text) if text.contains(&section) => return,
        Some(text) => format!("{text}{section}"),
        None => format!(
            "#!/bin/sh\n# Written by `fpmaudit fix`. Review it, then run it as root: fpmaudit never runs it\n# or changes the host itself.\nset -eu\n{section}"
        ),
    };
    if !generated.iter().any(|g| g == split::PROVISION_PATH) {
        generated.push(split::PROVISION_PATH.to_string());
    }
    current.add(SourceFile::new(
        split::PROVISION_PATH,
        text,
        crate::source::FileKind::Unknown,
    ));
}

/// Applies every fix whose safety is at most `accept` (`Safe` takes only safe fixes,
/// `NeedsReview` takes all), until the host is stable.
pub fn harden(sources: &SourceSet, accept: Safety) -> Hardened {
    harden_with(sources, accept, |_| true)
}

/// [`harden`] restricted to the rules `wanted` accepts (one rule's golden files, the app's
/// "apply this fix").
///
/// Fixes that create files come first (they change what the text fixes see): the split of
/// shared pools (NGX-006) and the hardening drop-ins (SYD-001). The drop-ins are computed
/// again once the text fixes are done (a socket moved out of /tmp allows `PrivateTmp=`) until
/// they no longer change.
pub fn harden_with(sources: &SourceSet, accept: Safety, wanted: impl Fn(&str) -> bool) -> Hardened {
    let mut state = Hardened {
        sources: sources.clone(),
        applied: Vec::new(),
        rounds: 0,
        converged: true,
        generated: Vec::new(),
    };
    // Splitting shared pools changes who runs what: never a safe fix.
    if accept >= Safety::NeedsReview && wanted("NGX-006") {
        split_pools(&mut state);
    }
    // Ownership and modes are the provisioning script's, not the configuration's.
    provision_fs(sources, &mut state.sources, &mut state.generated, &wanted);
    // A new sandbox can stop an app that writes somewhere unexpected: never a safe fix.
    let dropins = accept >= Safety::NeedsReview && wanted("SYD-001");
    for pass in 0..MAX_ROUNDS {
        let placed = dropins && place_dropins(&mut state);
        if pass > 0 && !placed {
            return state;
        }
        if !text_rounds(&mut state, accept, &wanted) {
            state.converged = false;
            return state;
        }
        if !dropins {
            return state;
        }
    }
    let model = crate::model::Model::build(&state.sources);
    state.converged = dropin::hardening_dropins(&state.sources, &model).is_empty();
    state
}

fn split_pools(state: &mut Hardened) {
    let split =
        split::split_shared_pools(&state.sources, &crate::model::Model::build(&state.sources));
    if split.apps.is_empty() {
        return;
    }
    let edits: Vec<&Edit> = split.edits.iter().collect();
    state.sources = rewrite(&state.sources, &edits);
    for file in split.files {
        state.generated.push(file.path.clone());
        state
            .sources
            .add(SourceFile::new(file.path, file.text, file.kind));
    }
    for app in &split.apps {
        state.applied.push(Applied {
            rule: "NGX-006",
            title: format!(
                "give {} its own pool [{}] (split out of [{}])",
                app.site, app.name, app.from_pool
            ),
            safety: Safety::NeedsReview,
            paths: app.paths.clone(),
            round: 0,
        });
    }
}

/// Writes the drop-ins that are missing or out of date; false when there were none.
fn place_dropins(state: &mut Hardened) -> bool {
    let before = crate::model::Model::build(&state.sources);
    let dropins = dropin::hardening_dropins(&state.sources, &before);
    if dropins.is_empty() {
        return false;
    }
    let (next, added) = dropin::place(&state.sources, &dropins);
    let after = crate::model::Model::build(&next);
    let score = |model: &crate::model::Model, unit: &str| {
        model
            .systemd
            .unit(unit)
            .map_or_else(|| "0.0".to_string(), |u| u.exposure().score_text())
    };
    for d in &dropins {
        state.applied.push(Applied {
            rule: "SYD-001",
            title: format!(
                "sandbox {} with a drop-in computed from its pools (exposure {} -> {})",
                d.unit,
                score(&before, &d.unit),
                score(&after, &d.unit)
            ),
            safety: Safety::NeedsReview,
            paths: vec![d.path.clone()],
            round: state.rounds,
        });
    }
    state.generated.extend(added);
    state.sources = next;
    true
}

/// Audit-and-edit rounds until no accepted fix is left; false when [`MAX_ROUNDS`] rounds
/// still left some.
fn text_rounds(state: &mut Hardened, accept: Safety, wanted: &impl Fn(&str) -> bool) -> bool {
    for _ in 0..MAX_ROUNDS {
        let report = crate::audit(&state.sources);
        let candidates = report
            .findings
            .iter()
            .filter_map(|f| Some((f.rule, f.fix.as_ref()?)))
            .filter(|(rule, fix)| fix.safety <= accept && wanted(rule));
        let chosen = choose(candidates);
        if chosen.is_empty() {
            return true;
        }
        state.rounds += 1;
        let edits: Vec<&Edit> = chosen.iter().flat_map(|(_, fix)| &fix.edits).collect();
        for (rule, fix) in &chosen {
            state.applied.push(Applied {
                rule,
                title: fix.title.clone(),
                safety: fix.safety,
                paths: fix_paths(&state.sources, fix),
                round: state.rounds,
            });
        }
        state.sources = rewrite(&state.sources, &edits);
    }
    choose(
        crate::audit(&state.sources)
            .findings
            .iter()
            .filter_map(|f| Some((f.rule, f.fix.as_ref()?)))
            .filter(|(rule, fix)| fix.safety <= accept && wanted(rule)),
    )
    .is_empty()
}

fn fix_paths(sources: &SourceSet, fix: &Fix) -> Vec<String> {
    let mut paths: Vec<String> = fix
        .edits
        .iter()
        .filter_map(|e| sources.get(e.file).map(|f| f.path.clone()))
        .collect();
    paths.dedup();
    paths
}

/// Two edits conflict when they change overlapping bytes, or insert at the same place (their
/// order would be a guess).
fn conflicts(a: &Edit, b: &Edit) -> bool {
    if a.file != b.file {
        return false;
    }
    let (x, y) = (a.range, b.range);
    if x.start == x.end && y.start == y.end {
        return x.start == y.start;
    }
    // An insertion touching the edge of a replacement is fine; overlapping bytes are not.
    let insertion_inside = |ins: TextRange, rep: TextRange| {
        ins.start == ins.end && rep.start < ins.start && ins.start < rep.end
    };
    (x.start < y.end && y.start < x.end) || insertion_inside(x, y) || insertion_inside(y, x)
}

/// Greedy in report order (file, position, rule): a fix is taken whole or not at all, and
/// identical fixes reported twice (the same edit found by two pools) are taken once.
fn choose<'a>(
    candidates: impl Iterator<Item = (&'static str, &'a Fix)>,
) -> Vec<(&'static str, &'a Fix)> {
    let mut chosen: Vec<(&'static str, &'a Fix)> = Vec::new();
    for (rule, fix) in candidates {
        if fix.edits.is_empty() || chosen.iter().any(|(_, c)| c.edits == fix.edits) {
            continue;
        }
        let clash = chosen
            .iter()
            .flat_map(|(_, c)| &c.edits)
            .any(|taken| fix.edits.iter().any(|e| conflicts(e, taken)));
        if !clash {
            chosen.push((rule, fix));
        }
    }
    chosen
}

/// The files with `edits` applied; edits whose range is not inside their file are dropped.
fn rewrite(sources: &SourceSet, edits: &[&Edit]) -> SourceSet {
    let mut out = SourceSet::new();
    for (id, file) in sources.iter() {
        let text = apply(&file.text, id, edits);
        out.add(SourceFile::new(file.path.clone(), text, file.kind));
    }
    out
}

/// Applies the non-overlapping `edits` of `file` to `text`, back to front.
pub fn apply(text: &str, file: FileId, edits: &[&Edit]) -> String {
    let mut mine: Vec<&Edit> = edits.iter().copied().filter(|e| e.file == file).collect();
    crate::sort::sort_by_key(&mut mine, |e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for edit in mine {
        let (start, end) = (edit.range.start as usize, edit.range.end as usize);
        let (Some(kept), true) = (
            text.get(at..start),
            start <= end && text.get(start..end).is_some(),
        ) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&edit.replacement);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests;
