use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::Parsed;
use crate::model::systemd::{Effect, effect_of};
use crate::syntax::systemd::Assignment;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `#` or `;` after a value in a unit file or drop-in
    /// (`ProtectSystem=strict # keep the OS read-only`). systemd has no inline comments: the
    /// text belongs to the value. High when that makes systemd drop the value, low when it
    /// only adds stray words. `Exec*=` and `Environment=` lines are left alone, where the
    /// characters can be meant.
    ///
    /// ## Why is this bad?
    /// systemd cannot parse `strict # keep the OS read-only`, logs "Failed to parse …,
    /// ignoring" and keeps the previous value, usually none. The unit looks hardened and is
    /// not: after code execution in an app the attacker finds the OS writable, the home
    /// directories visible, whatever the line meant to close. For lists, each word of the
    /// comment becomes an entry or a warning.
    ///
    /// ## How to fix
    /// Put the comment on its own line above the setting. The fix does exactly that, which
    /// keeps the value systemd was meant to read (safe).
    ///
    /// ## Example
    /// ```systemd-dropin bad
    /// [Service]
    /// ProtectSystem=strict # keep the OS read-only
    /// ```
    /// ```systemd-dropin good
    /// [Service]
    /// # keep the OS read-only
    /// ProtectSystem=strict
    /// ```
    ///
    /// ## References
    /// - systemd.syntax(7), "Comments"
    /// - systemd `src/shared/conf-parser.c`; research notes systemd-containers.md (d) 2
    InlineComment {
        id: "SYD-017",
        title: "inline comment makes systemd drop the value",
        severity: High,
        fixable: true,
    }
}

/// The byte offset in `value` of a `#` or `;` that follows a blank, outside quotes.
fn comment_start(value: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev_blank = false;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') if prev_blank || i == 0 => quote = Some(c),
            (None, '#' | ';') if prev_blank => return Some(i),
            _ => {}
        }
        prev_blank = c == ' ' || c == '\t';
    }
    None
}

impl Rule for InlineComment {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let Parsed::Systemd(doc) = parsed else {
                continue;
            };
            for section in doc.sections.iter().filter(|s| !s.name.is_empty()) {
                for a in &section.assignments {
                    if a.key.starts_with("Exec") || a.key.starts_with("Environment") {
                        continue;
                    }
                    let Some(at) = comment_start(&a.value) else {
                        continue;
                    };
                    let kept = a.value.get(..at).unwrap_or("").trim_end();
                    let comment = a.value.get(at..).unwrap_or("");
                    let dropped = matches!(
                        effect_of(&section.name, &a.key, &a.value),
                        Effect::Ignored | Effect::Fatal
                    ) && effect_of(&section.name, &a.key, kept) == Effect::Applied;
                    let what = if dropped {
                        format!(
                            "systemd cannot parse the value, ignores the line and keeps the previous {} (usually none)",
                            a.key
                        )
                    } else {
                        "the comment becomes part of the value".to_string()
                    };
                    let message = format!(
                        "`{}={}`: systemd has no inline comments, {what}; put `{comment}` on its own line",
                        a.key, a.value
                    );
                    let mut finding = Self::meta_static().finding(
                        *file,
                        a.key_range.cover(a.value_range),
                        message,
                    );
                    if !dropped {
                        finding = finding.with_severity(Severity::Low);
                    }
                    if let Some(fix) = fix(cx, *file, a, at, comment) {
                        finding = finding.with_fix(fix);
                    }
                    out.push(finding);
                }
            }
        }
    }
}

/// Moves the comment onto its own line above the assignment; only for one-line values.
fn fix(
    cx: Context<'_>,
    file: crate::FileId,
    a: &Assignment,
    at: usize,
    comment: &str,
) -> Option<Fix> {
    if a.value_pieces.len() > 1 {
        return None;
    }
    let text = &cx.sources.get(file)?.text;
    let start = usize::try_from(a.value_range.start).ok()?;
    let end = usize::try_from(a.value_range.end).ok()?;
    if text.get(start..end)? != a.value {
        return None;
    }
    let kept_end = start + a.value.get(..at)?.trim_end().len();
    let line_start = usize::try_from(a.range.start).ok()?;
    let indent: String = text
        .get(line_start..)?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(Fix {
        title: "move the comment to its own line".into(),
        safety: Safety::Safe,
        edits: vec![
            Edit {
                file,
                range: TextRange::from_usize(line_start, line_start),
                replacement: format!("{indent}{comment}\n"),
            },
            Edit {
                file,
                range: TextRange::from_usize(kept_end, end),
                replacement: String::new(),
            },
        ],
    })
}
