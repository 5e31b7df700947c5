//! The file-level loop of `config_parse()`: line limits, comments, the BOM, continuations and
//! the current section.

use super::lines::{PhysicalLine, physical_lines};
use super::logical::{self, Logical, Shape};
use super::{Assignment, LONG_LINE_MAX, Section, SyntaxError, Token, TokenKind, UnitDoc};
use crate::text::TextRange;

const BOM: char = '\u{feff}';
const OUTSIDE_SECTION: &str = "Assignment outside of section. Ignoring.";

pub(super) fn read(text: &str) -> UnitDoc {
    let mut reader = Reader {
        text,
        doc: UnitDoc::default(),
        bom_seen: false,
        pending: None,
        section: None,
        orphans: None,
        line: 0,
        fatal: None,
    };
    for line in physical_lines(text) {
        reader.physical(line);
    }
    reader.finish()
}

#[derive(Debug)]
struct Reader<'a> {
    text: &'a str,
    doc: UnitDoc,
    /// systemd drops only the first BOM it meets at the start of a line.
    bom_seen: bool,
    /// A logical line still open because its last line ended in a continuation.
    pending: Option<Logical>,
    /// Index in `doc.sections` of the last valid header; `None` before the first one.
    section: Option<usize>,
    /// Index of the "" section holding assignments made before any header.
    orphans: Option<usize>,
    /// systemd's line counter: one per physical line, comment lines included.
    line: u32,
    /// Index in `doc.errors`, in detection order, of the first error that refuses the file.
    fatal: Option<usize>,
}

impl Reader<'_> {
    fn physical(&mut self, line: PhysicalLine) {
        self.line = self.line.saturating_add(1);
        self.doc.line_starts.push(offset(line.start));
        let content = self.text.get(line.start..line.content_end).unwrap_or("");
        if content.len() >= LONG_LINE_MAX {
            let message = format!(
                "Line too long ({} bytes; systemd reads at most {}), systemd refuses the whole file",
                content.len(),
                LONG_LINE_MAX - 1
            );
            self.error(range(line.start, line.content_end), message, true);
        }

        // Comments are recognised before the BOM is dropped, as in systemd.
        let body = content.trim_start_matches([' ', '\t']);
        if body.starts_with(['#', ';']) {
            let indent = line.start + (content.len() - body.len());
            self.fixed(TokenKind::Whitespace, line.start, indent);
            self.fixed(TokenKind::Comment, indent, line.content_end);
            self.fixed(TokenKind::Newline, line.content_end, line.end);
            return;
        }

        let mut start = line.start;
        if !self.bom_seen && content.starts_with(BOM) {
            self.bom_seen = true;
            start += BOM.len_utf8();
            self.fixed(TokenKind::Bom, line.start, start);
        }
        let piece = self.text.get(start..line.content_end).unwrap_or("");
        let backslashes = piece.bytes().rev().take_while(|&b| b == b'\\').count();
        let continued = backslashes % 2 == 1;

        let mut logical = if let Some(open) = self.pending.take() {
            if open.joined_len() + piece.len() > LONG_LINE_MAX {
                let message = format!(
                    "Continuation line too long (over {LONG_LINE_MAX} bytes joined), systemd \
                     refuses the whole file"
                );
                self.error(range(start, line.content_end), message, true);
            }
            open
        } else {
            Logical::new(start)
        };
        logical.push_piece(start, piece, continued);
        logical.push_fixed(TokenKind::Newline, line.content_end, line.end);
        logical.end = line.end;
        logical.line = self.line;
        if continued {
            self.pending = Some(logical);
        } else {
            self.finish_logical(&logical);
        }
    }

    /// A token outside the joined text: into the open logical line, or straight out.
    fn fixed(&mut self, kind: TokenKind, start: usize, end: usize) {
        match &mut self.pending {
            Some(open) => open.push_fixed(kind, start, end),
            None => logical::push(&mut self.doc.tokens, kind, start, end),
        }
    }

    fn finish_logical(&mut self, logical: &Logical) {
        let (shape, spans) = logical.classify();
        let before = self.doc.tokens.len();
        logical.emit(&spans, &mut self.doc.tokens);
        let emitted = self.doc.tokens.get(before..).unwrap_or(&[]);
        let fallback = range(logical.start, logical.start);
        let core = cover(emitted, |kind| {
            !matches!(
                kind,
                TokenKind::Whitespace
                    | TokenKind::Newline
                    | TokenKind::Comment
                    | TokenKind::Continuation
                    | TokenKind::Bom
            )
        })
        .unwrap_or(fallback);
        match shape {
            Shape::Blank => {}
            Shape::Header { name } => {
                let header_range = cover(emitted, |k| k == TokenKind::SectionHeader);
                self.section = Some(self.doc.sections.len());
                self.doc.sections.push(Section {
                    name,
                    header_range: header_range.unwrap_or(core),
                    assignments: Vec::new(),
                    line: logical.line,
                });
            }
            Shape::BadHeader { message } => self.error(core, message, true),
            Shape::Junk { message } => {
                let message = if self.section.is_some() {
                    message
                } else {
                    OUTSIDE_SECTION
                };
                self.error(core, message, false);
            }
            Shape::Assignment { key, value } => {
                let key_range = cover(emitted, |k| k == TokenKind::Key).unwrap_or(core);
                let value_pieces: Vec<TextRange> = emitted
                    .iter()
                    .filter(|t| t.kind == TokenKind::Value)
                    .map(|t| t.range)
                    .collect();
                let value_range = cover(emitted, |k| k == TokenKind::Value).unwrap_or_else(|| {
                    let equals = cover(emitted, |k| k == TokenKind::Equals).unwrap_or(core);
                    TextRange::new(equals.end, equals.end)
                });
                let assignment = Assignment {
                    key,
                    key_range,
                    value,
                    value_range,
                    value_pieces,
                    range: range(logical.start, logical.end),
                    line: logical.line,
                };
                let index = if let Some(index) = self.section {
                    index
                } else {
                    self.error(core, OUTSIDE_SECTION, false);
                    self.orphan_section()
                };
                if let Some(section) = self.doc.sections.get_mut(index) {
                    section.assignments.push(assignment);
                }
            }
        }
    }

    /// The "" section for assignments before any header, made on first use.
    fn orphan_section(&mut self) -> usize {
        if let Some(index) = self.orphans {
            return index;
        }
        let index = self.doc.sections.len();
        self.doc.sections.push(Section {
            name: String::new(),
            header_range: TextRange::default(),
            assignments: Vec::new(),
            line: 0,
        });
        self.orphans = Some(index);
        index
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>, fatal: bool) {
        if fatal && self.fatal.is_none() {
            self.fatal = Some(self.doc.errors.len());
        }
        self.doc.errors.push(SyntaxError::new(range, message));
    }

    fn finish(mut self) -> UnitDoc {
        if let Some(mut open) = self.pending.take() {
            // At the end of the file systemd parses the open continuation with `++line`.
            open.line = self.line.saturating_add(1);
            self.finish_logical(&open);
        }
        // Errors come out in detection order; a long continuation can report a later line's
        // problem before the logical line's own.
        let mut indexed: Vec<(usize, SyntaxError)> = std::mem::take(&mut self.doc.errors)
            .into_iter()
            .enumerate()
            .collect();
        crate::sort::sort_by_key(&mut indexed, |(seq, error)| (error.range.start, *seq));
        self.doc.fatal_error = indexed.iter().position(|(seq, _)| Some(*seq) == self.fatal);
        self.doc.errors = indexed.into_iter().map(|(_, error)| error).collect();
        self.doc
    }
}

/// From the first token of a kind to the last, if any.
fn cover(tokens: &[Token], wanted: impl Fn(TokenKind) -> bool) -> Option<TextRange> {
    let first = tokens.iter().find(|t| wanted(t.kind))?;
    let last = tokens.iter().rev().find(|t| wanted(t.kind))?;
    Some(first.range.cover(last.range))
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::from_usize(start, end)
}

fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
