use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::fpm_values::{insert_lines_after, int, seconds};
use crate::source::FileKind;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a php-fpm.conf without a crash circuit breaker: `emergency_restart_threshold`
    /// unset or 0, or set without `emergency_restart_interval` (FPM needs both). Only checked
    /// when php-fpm.conf is part of the audit.
    ///
    /// ## Why is this bad?
    /// When workers start dying in a loop (a broken extension, shared memory corrupted by a
    /// bad request, an exhausted resource), FPM keeps respawning them and the site returns
    /// errors until someone restarts the service. With the threshold, the master restarts
    /// itself, which clears the shared state those crashes usually come from.
    ///
    /// ## How to fix
    /// In `[global]`: `emergency_restart_threshold = 10` and `emergency_restart_interval = 1m`
    /// (restart when 10 workers crash within a minute).
    ///
    /// ## Example
    /// ```fpm-global bad
    /// [global]
    /// error_log = /var/log/php-fpm.log
    /// ```
    /// ```fpm-global bad
    /// [global]
    /// emergency_restart_threshold = 10
    /// ```
    /// ```fpm-global good
    /// [global]
    /// error_log = /var/log/php-fpm.log
    /// emergency_restart_threshold = 10
    /// emergency_restart_interval = 1m
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `emergency_restart_threshold`, `emergency_restart_interval`
    /// - php-src `sapi/fpm/fpm/fpm_children.c`, `fpm_children_bury`
    NoEmergencyRestart {
        id: "FPM-204",
        title: "No emergency restart threshold",
        severity: Info,
        fixable: true,
    }
}

impl Rule for NoEmergencyRestart {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let Some((main, source)) = cx
            .sources
            .iter()
            .find(|(_, f)| f.kind == FileKind::FpmGlobal)
        else {
            return;
        };
        let global = &cx.model.fpm.global;
        let threshold = int(global, "emergency_restart_threshold");
        let interval = seconds(global, "emergency_restart_interval").map_or(0, |(i, _)| i);
        let header = global
            .anchor()
            .unwrap_or((main, source.line_index.line_range(0, &source.text)));
        let (file, range, message) = match threshold {
            None if global.get("emergency_restart_threshold").is_some() => return,
            Some((t, _)) if t > 0 && interval > 0 => return,
            Some((t, at)) if t > 0 => (at.origin.file, at.span(), "`emergency_restart_threshold` does nothing without `emergency_restart_interval`: add `emergency_restart_interval = 1m` to [global]".to_string()),
            Some((_, at)) => (at.origin.file, at.span(), "the FPM master never restarts itself when workers crash in a loop (`emergency_restart_threshold = 0`); set it to 10 with `emergency_restart_interval = 1m` in [global]".to_string()),
            None => (header.0, header.1, "the FPM master never restarts itself when workers crash in a loop; add `emergency_restart_threshold = 10` and `emergency_restart_interval = 1m` to [global]".to_string()),
        };
        let mut finding = Self::meta_static().finding(file, range, message);
        if let Some(fix) = fix(
            cx,
            global.anchor(),
            threshold.map(|(_, s)| s.origin.value),
            interval,
        ) {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
}

/// Sets the threshold to 10 (replacing it or adding it under `[global]`) and adds the interval
/// when it is missing.
fn fix(
    cx: Context<'_>,
    header: Option<(crate::source::FileId, TextRange)>,
    threshold: Option<TextRange>,
    interval: i64,
) -> Option<Fix> {
    let (file, header) = header?;
    let threshold_file = cx
        .model
        .fpm
        .global
        .get("emergency_restart_threshold")
        .map_or(file, |s| s.origin.file);
    let mut edits = Vec::new();
    let mut added = Vec::new();
    match threshold {
        Some(range) => edits.push(Edit {
            file: threshold_file,
            range,
            replacement: "10".into(),
        }),
        None => added.push("emergency_restart_threshold = 10".to_string()),
    }
    if interval <= 0
        && cx
            .model
            .fpm
            .global
            .get("emergency_restart_interval")
            .is_none()
    {
        added.push("emergency_restart_interval = 1m".to_string());
    }
    if !added.is_empty() {
        edits.push(insert_lines_after(cx.sources, file, header.start, &added)?);
    }
    Some(Fix {
        title: "restart the master when 10 workers crash within a minute".into(),
        // A self-restart can hide a crash loop that needs a person's attention.
        safety: Safety::NeedsReview,
        edits,
    })
}
