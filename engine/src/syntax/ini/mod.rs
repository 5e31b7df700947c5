//! The Zend INI syntax, shared by php.ini and PHP-FPM files.
//!
//! One scanner, two readers: php.ini is scanned as one string (a double-quoted value may span
//! lines, and the first syntax error stops PHP from applying the rest of the file), while FPM
//! hands every physical line to the scanner on its own (`fpm_conf_load_ini_file`), so a quote
//! never continues onto the next line and an error only spoils its line.

mod scanner;
mod value;

pub use value::{Value, ValueKind};

use super::SyntaxError;
use crate::text::TextRange;

/// Which program reads the file; decides how lines and errors are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IniDialect {
    PhpIni,
    Fpm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Whitespace,
    Newline,
    Comment,
    SectionOpen,
    SectionName,
    SectionClose,
    Key,
    OffsetOpen,
    Offset,
    OffsetClose,
    Equals,
    /// An unquoted piece of a value (word, number, constant, `$pool`).
    Word,
    DoubleQuoted,
    SingleQuoted,
    /// `${NAME}`.
    VarRef,
    /// `& | ^ ~ ! ( )` inside a value.
    Operator,
    /// Bytes the scanner could not read; the statement they belong to is an error.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// `key = value`, `key[offset] = value`, or a bare `key` (which php.ini ignores and FPM rejects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_range: TextRange,
    /// The text between `[` and `]` for array entries (`php_admin_value[memory_limit]`).
    pub offset: Option<(String, TextRange)>,
    /// `None` when the line has no `=`.
    pub value: Option<Value>,
    /// The trailing `; comment`, kept by rewrites.
    pub comment: Option<TextRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementKind {
    /// Blank line or comment only.
    Trivia,
    Section {
        name: String,
        name_range: TextRange,
    },
    Entry(Entry),
    /// A statement the scanner rejected; the error is in [`IniDoc::errors`].
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub kind: StatementKind,
    /// From the first byte of the statement through its line terminator.
    pub range: TextRange,
    /// Whether PHP applies this statement: false for everything after a php.ini syntax error.
    pub applied: bool,
}

/// A parsed INI file: every byte is in exactly one token, in order.
#[derive(Debug, Clone, Default)]
pub struct IniDoc {
    pub tokens: Vec<Token>,
    pub statements: Vec<Statement>,
    pub errors: Vec<SyntaxError>,
}

impl IniDoc {
    /// Reassembles the input from the tokens (the lossless property).
    pub fn print(&self, text: &str) -> String {
        self.tokens.iter().map(|t| t.range.slice(text)).collect()
    }

    pub fn entries(&self) -> impl Iterator<Item = (&Statement, &Entry)> {
        self.statements.iter().filter_map(|s| match &s.kind {
            StatementKind::Entry(e) => Some((s, e)),
            _ => None,
        })
    }
}

/// Reads an INI text; never fails.
pub fn parse(text: &str, dialect: IniDialect) -> IniDoc {
    let mut doc = IniDoc::default();
    let bytes = text.as_bytes();
    // A UTF-8 byte order mark at the very start is skipped by PHP.
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if pos > 0 {
        doc.tokens.push(Token {
            kind: TokenKind::Whitespace,
            range: TextRange::from_usize(0, pos),
        });
    }
    let mut aborted = false;
    while pos < bytes.len() {
        let limit = match dialect {
            IniDialect::PhpIni => bytes.len(),
            IniDialect::Fpm => line_end(bytes, pos),
        };
        let mut scanner = scanner::Scanner::new(text, pos, limit, dialect);
        let (kind, end, error) = scanner.statement();
        doc.tokens.append(&mut scanner.tokens);
        let failed = error.is_some();
        if let Some(error) = error {
            doc.errors.push(error);
        }
        // An entry that ends in an error still counts when PHP's parser reduced it first
        // (`a = b = c` stores "b ").
        let applied = !aborted && (!failed || matches!(kind, StatementKind::Entry(_)));
        doc.statements.push(Statement {
            kind,
            range: TextRange::from_usize(pos, end),
            applied,
        });
        if failed && dialect == IniDialect::PhpIni {
            aborted = true;
        }
        // The scanner always consumes at least one byte; the guard keeps the loop total.
        pos = if end > pos { end } else { pos + 1 };
    }
    doc
}

/// End of the physical line at `pos`, including its `\n`.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    bytes
        .get(pos..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |i| pos + i + 1)
}

#[cfg(test)]
mod tests;
