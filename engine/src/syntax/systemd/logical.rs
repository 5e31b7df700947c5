//! One logical line: the physical lines a continuation joins, read the way `parse_line()` reads
//! them, and its tokens mapped back onto the source.

use std::ops::Range;

use super::{Token, TokenKind};
use crate::text::TextRange;

/// The content of one physical line inside a logical line.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Source offset of the first byte (after a dropped BOM).
    src: usize,
    /// Offset of that byte in the joined line.
    joined: usize,
    /// Length in bytes, including a continuation backslash.
    len: usize,
    continued: bool,
}

/// A part of the logical line in source order: a piece, or a token that is not part of the
/// joined text (a terminator, a skipped comment line, a BOM).
#[derive(Debug, Clone, Copy)]
enum Item {
    Piece(Piece),
    Fixed(Token),
}

#[derive(Debug, Default)]
pub(super) struct Logical {
    /// The text `parse_line()` receives: pieces appended, continuation backslashes as spaces.
    joined: String,
    items: Vec<Item>,
    /// Source offset where the logical line begins (its first line's indentation included).
    pub(super) start: usize,
    /// End of the terminator of its last piece.
    pub(super) end: usize,
    /// The line number systemd gives the logical line.
    pub(super) line: u32,
}

/// What `parse_line()` makes of a logical line.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Blank,
    Header {
        name: String,
    },
    /// A header that makes systemd refuse the file.
    BadHeader {
        message: String,
    },
    Assignment {
        key: String,
        value: String,
    },
    /// A line systemd ignores with a warning.
    Junk {
        message: &'static str,
    },
}

/// A non-whitespace span of the joined line and the token kind it gets.
type Span = (Range<usize>, TokenKind);

impl Logical {
    pub(super) fn new(start: usize) -> Self {
        Self {
            start,
            ..Self::default()
        }
    }

    /// Length of the joined text so far, as systemd's `strlen(continuation)`.
    pub(super) fn joined_len(&self) -> usize {
        self.joined.len()
    }

    /// Appends one physical line's content; `piece` starts at source offset `src`.
    pub(super) fn push_piece(&mut self, src: usize, piece: &str, continued: bool) {
        let joined = self.joined.len();
        if continued {
            // The backslash is the piece's last byte; systemd overwrites it with a space.
            let body = piece.get(..piece.len().saturating_sub(1)).unwrap_or("");
            self.joined.push_str(body);
            self.joined.push(' ');
        } else {
            self.joined.push_str(piece);
        }
        self.items.push(Item::Piece(Piece {
            src,
            joined,
            len: piece.len(),
            continued,
        }));
    }

    pub(super) fn push_fixed(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            self.items.push(Item::Fixed(token(kind, start, end)));
        }
    }

    /// Classifies the joined line as `parse_line()` does: trim, then a `[` starts a header,
    /// otherwise the first `=` splits key from value.
    pub(super) fn classify(&self) -> (Shape, Vec<Span>) {
        let text = self.joined.as_str();
        let (a, b) = trim(text, 0..text.len());
        if a >= b {
            return (Shape::Blank, Vec::new());
        }
        let line = text.get(a..b).unwrap_or("");
        if line.starts_with('[') {
            let spans = vec![(a..b, TokenKind::Error)];
            let inner = line.strip_prefix('[').and_then(|l| l.strip_suffix(']'));
            let Some(name) = inner else {
                let message = format!("Invalid section header '{}'", quote(line));
                return (Shape::BadHeader { message }, spans);
            };
            if !is_safe_section_name(name) {
                let message = format!("Bad characters in section header '{}'", quote(line));
                return (Shape::BadHeader { message }, spans);
            }
            let name = name.to_owned();
            return (
                Shape::Header { name },
                vec![(a..b, TokenKind::SectionHeader)],
            );
        }
        let junk = |message| (Shape::Junk { message }, vec![(a..b, TokenKind::Error)]);
        let Some(eq) = line.find('=').map(|i| a + i) else {
            return junk("Missing '=', ignoring line.");
        };
        if eq == a {
            return junk("Missing key name before '=', ignoring line.");
        }
        let key = trim(text, a..eq);
        let value = trim(text, eq + 1..b);
        let shape = Shape::Assignment {
            key: text.get(key.0..key.1).unwrap_or("").to_owned(),
            value: text.get(value.0..value.1).unwrap_or("").to_owned(),
        };
        let spans = vec![
            (key.0..key.1, TokenKind::Key),
            (eq..eq + 1, TokenKind::Equals),
            (value.0..value.1, TokenKind::Value),
        ];
        (shape, spans)
    }

    /// Appends the tokens of this logical line to `out`, in source order. Inside each piece,
    /// bytes covered by a span get the span's kind, except whitespace at the piece's edges,
    /// which stays whitespace so every token sits on one line.
    pub(super) fn emit(&self, spans: &[Span], out: &mut Vec<Token>) {
        for item in &self.items {
            match *item {
                Item::Fixed(t) => push(out, t.kind, t.range.start as usize, t.range.end as usize),
                Item::Piece(piece) => self.emit_piece(piece, spans, out),
            }
        }
    }

    fn emit_piece(&self, piece: Piece, spans: &[Span], out: &mut Vec<Token>) {
        let content = piece.len.saturating_sub(usize::from(piece.continued));
        let piece_range = piece.joined..piece.joined + content;
        let to_src = |joined: usize| piece.src + joined.saturating_sub(piece.joined);
        let mut cursor = piece_range.start;
        for (span, kind) in spans {
            let start = span.start.max(piece_range.start);
            let end = span.end.min(piece_range.end);
            if start >= end {
                continue;
            }
            push(out, TokenKind::Whitespace, to_src(cursor), to_src(start));
            let (core_start, core_end) = trim(&self.joined, start..end);
            push(
                out,
                TokenKind::Whitespace,
                to_src(start),
                to_src(core_start),
            );
            push(out, *kind, to_src(core_start), to_src(core_end));
            push(out, TokenKind::Whitespace, to_src(core_end), to_src(end));
            cursor = end;
        }
        push(
            out,
            TokenKind::Whitespace,
            to_src(cursor),
            to_src(piece_range.end),
        );
        if piece.continued {
            let backslash = to_src(piece_range.end);
            push(out, TokenKind::Continuation, backslash, backslash + 1);
        }
    }
}

fn token(kind: TokenKind, start: usize, end: usize) -> Token {
    Token {
        kind,
        range: TextRange::from_usize(start, end),
    }
}

/// Pushes a token, dropping empty ones and merging neighbouring whitespace.
pub(super) fn push(out: &mut Vec<Token>, kind: TokenKind, start: usize, end: usize) {
    if start >= end {
        return;
    }
    if kind == TokenKind::Whitespace
        && let Some(last) = out.last_mut()
        && last.kind == TokenKind::Whitespace
        && last.range.end as usize == start
    {
        last.range = last.range.cover(TextRange::from_usize(start, end));
        return;
    }
    out.push(token(kind, start, end));
}

/// systemd's `WHITESPACE` minus the line terminators, which cannot occur inside a line.
pub(super) fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// `range` of `text` without blanks at either end (`strstrip()`), as `(start, end)`.
fn trim(text: &str, range: Range<usize>) -> (usize, usize) {
    let bytes = text.as_bytes().get(range.clone()).unwrap_or(&[]);
    let lead = bytes.iter().take_while(|&&b| is_blank(b)).count();
    let trail = bytes.iter().rev().take_while(|&&b| is_blank(b)).count();
    let start = range.start + lead;
    (start, range.end.saturating_sub(trail).max(start))
}

/// systemd's `string_is_safe()`: no control characters, quotes, backslashes or DEL.
fn is_safe_section_name(name: &str) -> bool {
    !name
        .bytes()
        .any(|b| (1..b' ').contains(&b) || matches!(b, b'"' | b'\'' | b'\\' | 0x7f))
}

/// The line for a message, cut short when it is very long.
fn quote(line: &str) -> String {
    const MAX_CHARS: usize = 80;
    match line.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", line.get(..cut).unwrap_or("")),
        None => line.to_owned(),
    }
}
