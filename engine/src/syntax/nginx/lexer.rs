//! The byte lexer: `ngx_conf_read_token` from nginx's `ngx_conf_file.c`, plus the Lua block
//! reader of lua-nginx-module (`ngx_http_lua_conf_read_lua_token`).
//!
//! Every token starts and ends at an ASCII byte or at the end of the text (a backslash may hide
//! the first byte of a multi-byte character, but the word then goes on to the next ASCII
//! delimiter), so every token range falls on character boundaries.

use super::{ErrorSink, Token, TokenKind};
use crate::text::TextRange;

/// `NGX_CONF_BUFFER`: nginx reads the file through a buffer of this size and rejects a token
/// (word, quoted string or comment) that does not fit in it.
const CONF_BUFFER: usize = 4096;

/// What a token means to the parser.
#[derive(Debug)]
pub(super) enum Lexeme {
    /// Whitespace, a line end or a comment.
    Trivia,
    Word {
        value: String,
        quoted: bool,
    },
    Semicolon,
    Open,
    Close,
    /// An unterminated quoted string; it has taken the rest of the file.
    Unterminated,
}

#[derive(Debug)]
pub(super) struct Lexed {
    pub(super) lexeme: Lexeme,
    pub(super) token: Token,
}

/// The body of a `*_by_lua_block` and its closing brace (`None` at the end of the file).
#[derive(Debug)]
pub(super) struct LuaBody {
    pub(super) body: Option<TextRange>,
    pub(super) close: Option<TextRange>,
}

#[derive(Debug)]
pub(super) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// The next token, or `None` at the end of the text. Always consumes at least one byte.
    pub(super) fn next(&mut self, errors: &mut ErrorSink) -> Option<Lexed> {
        let start = self.pos;
        let first = self.at(start)?;
        let (lexeme, kind, end) = match first {
            b'\n' => (Lexeme::Trivia, TokenKind::Newline, start + 1),
            b'\r' if self.at(start + 1) == Some(b'\n') => {
                (Lexeme::Trivia, TokenKind::Newline, start + 2)
            }
            b' ' | b'\t' | b'\r' => (Lexeme::Trivia, TokenKind::Whitespace, self.blank(start)),
            b';' => (Lexeme::Semicolon, TokenKind::Semicolon, start + 1),
            b'{' => (Lexeme::Open, TokenKind::BlockOpen, start + 1),
            b'}' => (Lexeme::Close, TokenKind::BlockClose, start + 1),
            b'#' => (
                Lexeme::Trivia,
                TokenKind::Comment,
                self.comment(start, errors),
            ),
            b'"' | b'\'' => self.quoted(start, first, errors),
            _ => self.bare(start, errors),
        };
        // Every branch moves forward; the guard keeps the lexer total if one ever did not.
        let end = end.max(start + 1).min(self.bytes.len());
        self.pos = end;
        Some(Lexed {
            lexeme,
            token: Token {
                kind,
                range: TextRange::from_usize(start, end),
            },
        })
    }

    /// Spaces, tabs and lone carriage returns (nginx's separators other than `\n`).
    fn blank(&self, start: usize) -> usize {
        let mut i = start;
        while let Some(b) = self.at(i) {
            let blank = match b {
                b' ' | b'\t' => true,
                b'\r' => self.at(i + 1) != Some(b'\n'),
                _ => false,
            };
            if !blank {
                break;
            }
            i += 1;
        }
        i
    }

    /// `#` to the line end; a `\r` right before the `\n` is left to the newline token.
    fn comment(&self, start: usize, errors: &mut ErrorSink) -> usize {
        let line_end = find(self.bytes, start, b'\n');
        // nginx reads the `\n` itself while the comment is still the current token.
        self.check_length(start, line_end, start, errors);
        if line_end > start + 1
            && self.at(line_end - 1) == Some(b'\r')
            && line_end < self.bytes.len()
        {
            line_end - 1
        } else {
            line_end
        }
    }

    /// An unquoted word: runs to whitespace, `;` or `{`; `\` hides the next byte and `{`
    /// right after `$` belongs to the word (`${var}`).
    fn bare(&self, start: usize, errors: &mut ErrorSink) -> (Lexeme, TokenKind, usize) {
        let mut i = start;
        let mut escaped = false;
        let mut variable = false;
        while let Some(b) = self.at(i) {
            if escaped {
                escaped = false;
            } else if b == b'{' && variable {
                // `variable` stays set, as in nginx: `${{` keeps both braces.
            } else {
                variable = false;
                match b {
                    b'\\' => escaped = true,
                    b'$' => variable = true,
                    b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                    _ => {}
                }
            }
            i += 1;
        }
        // After a blank nginx reads one more byte before the next token takes over the buffer.
        let probe = match self.at(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i + 1,
            _ => i,
        };
        self.check_length(start, probe, start, errors);
        let value = cook(self.text.get(start..i).unwrap_or(""));
        (
            Lexeme::Word {
                value,
                quoted: false,
            },
            TokenKind::Word,
            i,
        )
    }

    /// A quoted string, which must be followed by whitespace, `;`, `{` or `)`.
    fn quoted(
        &self,
        start: usize,
        quote: u8,
        errors: &mut ErrorSink,
    ) -> (Lexeme, TokenKind, usize) {
        let mut i = start + 1;
        let mut escaped = false;
        let close = loop {
            let Some(b) = self.at(i) else {
                errors.push(
                    TextRange::from_usize(start, start + 1),
                    format!(
                        "unexpected end of file, missing terminating \"{}\" character",
                        char::from(quote)
                    ),
                );
                return (Lexeme::Unterminated, TokenKind::Error, self.bytes.len());
            };
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == quote {
                break i;
            }
            i += 1;
        };
        let end = close + 1;
        let probe = match self.at(end) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => end + 1,
            _ => end,
        };
        self.check_length(start + 1, probe, close, errors);
        if let Some(next) = self.text.get(end..).and_then(|rest| rest.chars().next())
            && !matches!(next, ' ' | '\t' | '\r' | '\n' | ';' | '{' | ')')
        {
            errors.push(
                TextRange::from_usize(end, end + next.len_utf8()),
                format!("unexpected \"{next}\""),
            );
        }
        let value = cook(self.text.get(start + 1..close).unwrap_or(""));
        (
            Lexeme::Word {
                value,
                quoted: true,
            },
            TokenKind::Word,
            end,
        )
    }

    /// nginx's "too long parameter": a token that started at `start` (after an opening quote)
    /// is still being read when the byte at `start + CONF_BUFFER` is needed and the file has
    /// more. `probe` is the last position nginx reads while the token is current; `quoted_to`
    /// is the closing quote (or `start` for unquoted tokens).
    fn check_length(&self, start: usize, probe: usize, quoted_to: usize, errors: &mut ErrorSink) {
        let limit = start + CONF_BUFFER;
        if limit > probe || limit >= self.bytes.len() {
            return;
        }
        let range = TextRange::from_usize(start, probe.min(self.bytes.len()));
        if limit <= quoted_to {
            let quote = self.at(start.saturating_sub(1)).map_or('"', char::from);
            errors.push(
                range,
                format!("too long parameter, probably missing terminating \"{quote}\" character"),
            );
        } else {
            let mut head_end = start + 10;
            while !self.text.is_char_boundary(head_end) {
                head_end -= 1;
            }
            let head = self.text.get(start..head_end).unwrap_or("");
            errors.push(range, format!("too long parameter \"{head}...\" started"));
        }
    }

    /// Reads a Lua block body after its `{`: braces are counted outside Lua strings, long
    /// brackets (`[[...]]`, `[==[...]==]`) and comments (`-- ...`, `--[[...]]`).
    pub(super) fn lua_body(&mut self) -> LuaBody {
        let start = self.pos;
        let mut depth = 1_usize;
        let mut i = start;
        while let Some(b) = self.at(i) {
            i = match b {
                b'{' => {
                    depth += 1;
                    i + 1
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return LuaBody {
                            body: (i > start).then(|| TextRange::from_usize(start, i)),
                            close: Some(TextRange::from_usize(i, i + 1)),
                        };
                    }
                    i + 1
                }
                b'"' | b'\'' => self.lua_string(i, b),
                b'[' => self.long_bracket(i).unwrap_or(i + 1),
                b'-' if self.at(i + 1) == Some(b'-') => self
                    .long_bracket(i + 2)
                    .unwrap_or_else(|| find(self.bytes, i, b'\n')),
                _ => i + 1,
            };
        }
        self.pos = self.bytes.len();
        LuaBody {
            body: (self.pos > start).then(|| TextRange::from_usize(start, self.pos)),
            close: None,
        }
    }

    /// The end of a Lua short string opened at `start`, or the end of the text.
    fn lua_string(&self, start: usize, quote: u8) -> usize {
        let mut i = start + 1;
        while let Some(b) = self.at(i) {
            if b == b'\\' {
                i += 2;
                continue;
            }
            i += 1;
            if b == quote {
                return i;
            }
        }
        self.bytes.len()
    }

    /// If a Lua long bracket `[=*[` opens at `start`, the end of the whole long string (after
    /// its matching `]=*]`, or the end of the text).
    fn long_bracket(&self, start: usize) -> Option<usize> {
        if self.at(start) != Some(b'[') {
            return None;
        }
        let mut i = start + 1;
        while self.at(i) == Some(b'=') {
            i += 1;
        }
        if self.at(i) != Some(b'[') {
            return None;
        }
        let level = i - start - 1;
        let mut j = i + 1;
        loop {
            j = find(self.bytes, j, b']');
            if j >= self.bytes.len() {
                return Some(j);
            }
            let mut k = j + 1;
            while k - j - 1 < level && self.at(k) == Some(b'=') {
                k += 1;
            }
            if k - j - 1 == level && self.at(k) == Some(b']') {
                return Some(k + 1);
            }
            j += 1;
        }
    }
}

/// The first index of `byte` at or after `from`, or the length of `bytes`.
fn find(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == byte))
        .map_or(bytes.len(), |i| from + i)
}

/// Resolves escapes the way nginx copies a word into its argument array: `\"`, `\'` and `\\`
/// lose the backslash, `\t`, `\r` and `\n` become control characters, and any other backslash
/// is kept as it is (so `\;` and `\ ` stay two characters).
pub(super) fn cook(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let resolved = match chars.peek() {
                Some(&next @ ('"' | '\'' | '\\')) => Some(next),
                Some('t') => Some('\t'),
                Some('r') => Some('\r'),
                Some('n') => Some('\n'),
                _ => None,
            };
            if let Some(resolved) = resolved {
                chars.next();
                out.push(resolved);
                continue;
            }
        }
        out.push(c);
    }
    out
}
