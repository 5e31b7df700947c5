//! Scans one INI statement (a section header, an entry, or trivia) into tokens.

use super::value::{Atom, Value, ValueError};
use super::{Entry, IniDialect, StatementKind, Token, TokenKind};
use crate::syntax::SyntaxError;
use crate::text::TextRange;

/// Characters that end a key (`LABEL_CHAR` in `zend_ini_scanner.l`, minus the tab and space
/// handling done by the caller).
fn is_label_byte(b: u8) -> bool {
    !matches!(
        b,
        b'=' | b'\n'
            | b'\r'
            | b'\t'
            | b';'
            | b'&'
            | b'|'
            | b'^'
            | b'$'
            | b'~'
            | b'('
            | b')'
            | b'{'
            | b'}'
            | b'!'
            | b'"'
            | b'['
            | b']'
            | 0
    )
}

/// Characters of an unquoted value word (`VALUE_CHARS`); `$` is checked separately.
fn is_value_byte(b: u8) -> bool {
    !matches!(
        b,
        b'$' | b'='
            | b' '
            | b'\t'
            | b'\n'
            | b'\r'
            | b';'
            | b'&'
            | b'|'
            | b'^'
            | b'~'
            | b'('
            | b')'
            | b'!'
            | b'"'
            | b'\''
            | 0
    )
}

pub(super) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limit: usize,
    dialect: IniDialect,
    pub(super) tokens: Vec<Token>,
}

type Scanned = (StatementKind, usize, Option<SyntaxError>);

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str, pos: usize, limit: usize, dialect: IniDialect) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos,
            limit: limit.min(text.len()),
            dialect,
            tokens: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        if self.pos < self.limit {
            self.bytes.get(self.pos).copied()
        } else {
            None
        }
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        let at = self.pos + ahead;
        if at < self.limit {
            self.bytes.get(at).copied()
        } else {
            None
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        if self.pos > start {
            self.tokens.push(Token {
                kind,
                range: TextRange::from_usize(start, self.pos),
            });
        }
    }

    /// Moves `pos` forward to a char boundary so token ranges always slice the text.
    fn align(&mut self) {
        while self.pos < self.limit && !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }

    fn skip_blanks(&mut self) {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.push(TokenKind::Whitespace, start);
    }

    fn at_line_end(&self) -> bool {
        matches!(self.peek(), None | Some(b'\n' | b'\r'))
    }

    /// Consumes one line terminator (`\n`, `\r\n` or `\r`) if present.
    fn newline(&mut self) {
        let start = self.pos;
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'\n') => self.pos += 1,
            _ => {}
        }
        self.push(TokenKind::Newline, start);
    }

    fn comment(&mut self) -> Option<TextRange> {
        if self.peek() != Some(b';') {
            return None;
        }
        let start = self.pos;
        while !self.at_line_end() {
            self.pos += 1;
        }
        self.align();
        self.push(TokenKind::Comment, start);
        Some(TextRange::from_usize(start, self.pos))
    }

    /// Ends a statement at an error found at `at` (already scanned): the rest of the line
    /// becomes one error token and the error spans from `at` to the line end.
    fn fail_at(&mut self, kind: StatementKind, at: usize, message: String) -> Scanned {
        let (_, end, error) = self.fail(message);
        let error = error.map(|mut e| {
            e.range.start = u32::try_from(at).unwrap_or(e.range.start).min(e.range.end);
            e
        });
        (kind, end, error)
    }

    /// Ends a statement at an error: the rest of the line becomes one error token.
    fn fail(&mut self, message: impl Into<String>) -> Scanned {
        let start = self.pos;
        while !self.at_line_end() {
            self.pos += 1;
        }
        // A statement that stopped exactly at a line end still gets a visible span.
        let error_range = if self.pos > start {
            TextRange::from_usize(start, self.pos)
        } else {
            TextRange::from_usize(start, start)
        };
        self.push(TokenKind::Error, start);
        self.newline();
        (
            StatementKind::Error,
            self.pos,
            Some(SyntaxError::new(error_range, message)),
        )
    }

    pub(super) fn statement(&mut self) -> Scanned {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n' | b'\r') => {
                self.newline();
                (StatementKind::Trivia, self.pos, None)
            }
            Some(b';') => {
                self.comment();
                self.newline();
                (StatementKind::Trivia, self.pos, None)
            }
            Some(b'[') => self.section(),
            Some(b) if is_label_byte(b) => self.entry(),
            Some(0) => self.fail("NUL byte"),
            Some(b) => self.fail(format!("unexpected '{}'", char::from(b))),
        }
    }

    fn section(&mut self) -> Scanned {
        let start = self.pos;
        self.pos += 1;
        self.push(TokenKind::SectionOpen, start);
        self.skip_blanks();
        let name_start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b']' | b'\n' | b'\r' | 0 => break,
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.limit);
        self.align();
        if self.peek() != Some(b']') {
            self.pos = name_start;
            return self.fail("section header without a closing ']'");
        }
        let raw = TextRange::from_usize(name_start, self.pos).slice(self.text);
        let name = raw.trim_end_matches([' ', '\t']);
        let name_end = name_start + name.len();
        let name_range = TextRange::from_usize(name_start, name_end);
        let after_name = self.pos;
        self.pos = name_end;
        self.push(TokenKind::SectionName, name_start);
        self.pos = after_name;
        self.push(TokenKind::Whitespace, name_end);
        let close = self.pos;
        self.pos += 1;
        self.push(TokenKind::SectionClose, close);
        self.skip_blanks();
        if self.at_line_end() {
            self.newline();
        }
        let name = name.replace("\\]", "]").trim_matches('"').to_string();
        (StatementKind::Section { name, name_range }, self.pos, None)
    }

    fn entry(&mut self) -> Scanned {
        let key_start = self.pos;
        while self.peek().is_some_and(is_label_byte) {
            self.pos += 1;
        }
        self.align();
        let raw = TextRange::from_usize(key_start, self.pos).slice(self.text);
        let key = raw.trim_end_matches(' ');
        let key_end = key_start + key.len();
        let key_range = TextRange::from_usize(key_start, key_end);
        let after_key = self.pos;
        self.pos = key_end;
        self.push(TokenKind::Key, key_start);
        self.pos = after_key;
        self.push(TokenKind::Whitespace, key_end);
        let mut entry = Entry {
            key: key.to_string(),
            key_range,
            offset: None,
            value: None,
            comment: None,
        };
        if self.peek() == Some(b'[')
            && let Err(message) = self.offset(&mut entry)
        {
            return self.fail(message);
        }
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n' | b'\r' | b';') => {
                entry.comment = self.comment();
                self.newline();
                return (StatementKind::Entry(entry), self.pos, None);
            }
            Some(b'=') => {
                let start = self.pos;
                self.pos += 1;
                self.push(TokenKind::Equals, start);
            }
            Some(b) => return self.fail(format!("unexpected '{}' after the key", char::from(b))),
        }
        match self.value() {
            Ok((value, None)) => entry.value = Some(value),
            Ok((value, Some((at, message)))) => {
                entry.value = Some(value);
                return self.fail_at(StatementKind::Entry(entry), at, message);
            }
            Err((at, message)) => return self.fail_at(StatementKind::Error, at, message),
        }
        entry.comment = self.comment();
        self.newline();
        (StatementKind::Entry(entry), self.pos, None)
    }

    fn offset(&mut self, entry: &mut Entry) -> Result<(), String> {
        let open = self.pos;
        self.pos += 1;
        self.push(TokenKind::OffsetOpen, open);
        self.skip_blanks();
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b']' | b'\n' | b'\r' | b';' | b'=' | 0) {
                break;
            }
            self.pos += 1;
        }
        self.align();
        if self.peek() != Some(b']') {
            // Leave the unread key text to the error token (nothing may be lost).
            self.pos = start;
            return Err("array key without a closing ']'".into());
        }
        let raw = TextRange::from_usize(start, self.pos).slice(self.text);
        let trimmed = raw.trim_end_matches([' ', '\t']);
        let end = start + trimmed.len();
        let after = self.pos;
        self.pos = end;
        self.push(TokenKind::Offset, start);
        self.pos = after;
        self.push(TokenKind::Whitespace, end);
        let close = self.pos;
        self.pos += 1;
        self.push(TokenKind::OffsetClose, close);
        let name = trimmed.trim_matches('"').to_string();
        entry.offset = Some((name, TextRange::from_usize(start, end)));
        Ok(())
    }

    /// Scans the value after `=` up to a comment or the line end.
    fn value(&mut self) -> Result<(Value, Option<ValueError>), ValueError> {
        self.skip_blanks();
        let mut atoms = Vec::new();
        let mut first = None;
        let mut last = self.pos;
        loop {
            let start = self.pos;
            let Some(b) = self.peek() else { break };
            match b {
                b'\n' | b'\r' | b';' => break,
                b' ' | b'\t' => {
                    self.skip_blanks();
                    atoms.push(Atom::Space(TextRange::from_usize(start, self.pos)));
                    continue;
                }
                b'"' => self.double_quoted(&mut atoms).map_err(|m| (start, m))?,
                b'\'' => self.single_quoted(&mut atoms).map_err(|m| (start, m))?,
                b'$' if self.peek_at(1) == Some(b'{') => {
                    let name = self.var_ref().map_err(|m| (start, m))?;
                    atoms.push(Atom::Var(name));
                }
                b'&' | b'|' | b'^' | b'~' | b'!' | b'(' | b')' => {
                    self.pos += 1;
                    self.push(TokenKind::Operator, start);
                    atoms.push(Atom::Op(b, start));
                }
                b'=' => {
                    atoms.push(Atom::Unexpected(b, start));
                    break;
                }
                0 => return Err((start, "NUL byte in a value".into())),
                _ => {
                    while let Some(c) = self.peek() {
                        let literal_dollar = c == b'$' && self.peek_at(1) != Some(b'{');
                        if !(is_value_byte(c) || literal_dollar) {
                            break;
                        }
                        self.pos += 1;
                    }
                    self.align();
                    self.push(TokenKind::Word, start);
                    atoms.push(Atom::Word(TextRange::from_usize(start, self.pos)));
                }
            }
            first.get_or_insert(start);
            last = self.pos;
        }
        let start = first.unwrap_or(self.pos);
        Value::evaluate(
            self.text,
            &atoms,
            TextRange::from_usize(start, last.max(start)),
        )
    }

    fn double_quoted(&mut self, atoms: &mut Vec<Atom>) -> Result<(), String> {
        let start = self.pos;
        self.pos += 1;
        let mut pieces = String::new();
        let mut piece_start = self.pos;
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return Err(match self.dialect {
                        IniDialect::Fpm => "unterminated quote (FPM reads one line at a time)",
                        IniDialect::PhpIni => "unterminated quote",
                    }
                    .into());
                }
                Some(b'"') => break,
                Some(b'\\') => self.pos = (self.pos + 2).min(self.limit),
                Some(b'$') if self.peek_at(1) == Some(b'{') => {
                    pieces.push_str(TextRange::from_usize(piece_start, self.pos).slice(self.text));
                    let close = self
                        .bytes
                        .get(self.pos..self.limit)
                        .and_then(|r| r.iter().position(|&c| c == b'}'));
                    let Some(close) = close else {
                        self.pos = start;
                        return Err("'${' without '}'".into());
                    };
                    let name =
                        TextRange::from_usize(self.pos + 2, self.pos + close).slice(self.text);
                    pieces.push_str("${");
                    pieces.push_str(name);
                    pieces.push('}');
                    atoms.push(Atom::VarInQuotes(name.to_string()));
                    self.pos += close + 1;
                    piece_start = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
        pieces.push_str(TextRange::from_usize(piece_start, self.pos).slice(self.text));
        self.pos += 1;
        self.push(TokenKind::DoubleQuoted, start);
        atoms.push(Atom::Quoted(unescape_double(&pieces)));
        Ok(())
    }

    fn single_quoted(&mut self, atoms: &mut Vec<Atom>) -> Result<(), String> {
        let start = self.pos;
        let close = self
            .bytes
            .get(start + 1..self.limit)
            .and_then(|r| r.iter().position(|&c| c == b'\''));
        match close {
            Some(len) => {
                self.pos = start + len + 2;
                self.push(TokenKind::SingleQuoted, start);
                let raw = TextRange::from_usize(start + 1, start + 1 + len).slice(self.text);
                atoms.push(Atom::Raw(raw.to_string()));
                Ok(())
            }
            None => Err("unterminated single quote".into()),
        }
    }

    fn var_ref(&mut self) -> Result<String, String> {
        let start = self.pos;
        let close = self
            .bytes
            .get(start..self.limit)
            .and_then(|r| r.iter().position(|&c| matches!(c, b'}' | b'\n' | b'\r')));
        match close {
            Some(len) if self.bytes.get(start + len) == Some(&b'}') => {
                self.pos = start + len + 1;
                self.push(TokenKind::VarRef, start);
                Ok(TextRange::from_usize(start + 2, start + len)
                    .slice(self.text)
                    .to_string())
            }
            _ => Err("'${' without '}'".into()),
        }
    }
}

/// Double-quoted strings keep every backslash except before `"`, `\` and `$`.
fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next @ ('"' | '\\' | '$')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
