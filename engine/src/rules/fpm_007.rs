use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::Parsed;
use crate::model::fpm_values::quote;
use crate::syntax::ini::{Entry, IniDoc, Token, TokenKind, ValueKind};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports unquoted values that FPM reads differently from how they are written: a `;`
    /// right after the value (`env[DB_PASS] = abc;def`), which starts a comment and cuts the
    /// value to `abc`, and operators (`& | ^ ~ ! ( )`) that turn the value into a bitwise
    /// expression (`env[KEY] = a&b` stores `0`). `error_reporting`-style expressions made of
    /// `E_*` constants and numbers are left alone. Lines the scanner rejects are FPM-000's.
    ///
    /// ## Why is this bad?
    /// Nothing warns: FPM starts and the app gets a different password, token or path than
    /// the one in the file. Secrets are where this happens most, because generated passwords
    /// contain `;`, `&` and `!`.
    ///
    /// ## How to fix
    /// Put the value in double quotes (`"abc;def"`), escaping `"`, `\` and `$` inside as `\"`,
    /// `\\` and `\$`. Keep it on one line: FPM reads one line at a time.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// env[DB_PASS] = abc;def
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// env[DB_PASS] = "abc;def"
    /// php_admin_value[error_reporting] = E_ALL & ~E_DEPRECATED
    /// ```
    ///
    /// ## References
    /// - php-src `Zend/zend_ini_scanner.l` (comments, operators, quoting)
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_load_ini_file` (one line at a time)
    ValueTruncated {
        id: "FPM-007",
        title: "Unquoted value silently truncated or unparsable",
        severity: High,
        fixable: true,
    }
}

impl Rule for ValueTruncated {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let (Some(source), Parsed::Ini(doc)) = (cx.sources.get(*file), parsed) else {
                continue;
            };
            if !source.kind.is_fpm() {
                continue;
            }
            for (statement, entry) in doc.entries() {
                if doc
                    .errors
                    .iter()
                    .any(|e| statement.range.contains_range(e.range))
                {
                    continue;
                }
                let Some(value) = &entry.value else { continue };
                let tokens = value_tokens(doc, value.range);
                let text = source.text.as_str();
                let raw = value.range.slice(text);
                let name = TextRange::new(entry.key_range.start, value.range.start).slice(text);
                let name = name.trim_end_matches([' ', '\t', '=']);
                let plain = tokens.iter().all(|t| {
                    matches!(
                        t.kind,
                        TokenKind::Word | TokenKind::Whitespace | TokenKind::Operator
                    )
                });
                let (message, end, intended) = if let Some(lost) = truncated(text, entry, &tokens) {
                    let intended = format!("{raw};{lost}");
                    let end = value.range.end + 1 + u32::try_from(lost.len()).unwrap_or(0);
                    (
                        format!(
                            "`{name}` is cut at the `;`: FPM reads `{}` and drops `;{lost}` as a comment",
                            value.text
                        ),
                        end,
                        intended,
                    )
                } else if value.kind == ValueKind::Expression && !bitmask(text, &tokens) {
                    (
                        format!(
                            "`{name} = {raw}` is read as a bitwise expression: FPM stores `{}`",
                            value.text
                        ),
                        value.range.end,
                        raw.to_string(),
                    )
                } else {
                    continue;
                };
                let mut finding = Self::meta_static().finding(
                    *file,
                    entry
                        .key_range
                        .cover(TextRange::new(value.range.start, end)),
                    format!("{message}; quote the value"),
                );
                if plain {
                    finding = finding.with_fix(Fix {
                        title: "put the value in double quotes".into(),
                        // The app runs with the cut value today; the quoted one is what was meant.
                        safety: Safety::NeedsReview,
                        edits: vec![Edit {
                            file: *file,
                            range: TextRange::new(value.range.start, end),
                            replacement: quote(&intended),
                        }],
                    });
                }
                out.push(finding);
            }
        }
    }
}

/// The tokens of a value, in order.
fn value_tokens(doc: &IniDoc, range: TextRange) -> Vec<Token> {
    let from = doc.tokens.partition_point(|t| t.range.start < range.start);
    doc.tokens
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|t| t.range.end <= range.end)
        .copied()
        .collect()
}

/// The text a `;` cut off, when the comment starts right after an unquoted word: up to a `;`
/// that follows a blank (a real comment after it), trailing blanks dropped.
fn truncated<'t>(text: &'t str, entry: &Entry, tokens: &[Token]) -> Option<&'t str> {
    let comment = entry.comment?;
    let last = tokens.last()?;
    if last.kind != TokenKind::Word || last.range.end != comment.start {
        return None;
    }
    let rest = comment.slice(text).get(1..)?;
    let end = rest
        .char_indices()
        .find(|&(i, c)| c == ';' && rest.get(..i).is_some_and(|b| b.ends_with([' ', '\t'])))
        .map_or(rest.len(), |(i, _)| i);
    Some(rest.get(..end)?.trim_end()).filter(|lost| !lost.is_empty())
}

/// An `error_reporting`-style expression: every operand an `E_*` constant or a number.
fn bitmask(text: &str, tokens: &[Token]) -> bool {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .all(|t| {
            let word = t.range.slice(text).trim();
            word.starts_with("E_") || word.parse::<i64>().is_ok()
        })
}
