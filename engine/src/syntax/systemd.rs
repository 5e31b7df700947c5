//! systemd unit files and drop-ins, lossless.

use super::SyntaxError;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Whitespace,
    Newline,
    Comment,
    SectionHeader,
    Key,
    Equals,
    /// A value piece; continuation lines give several.
    Value,
    /// The `\` that continues a line.
    Continuation,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// `Key=value`, with continuation lines joined as systemd joins them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub key: String,
    pub key_range: TextRange,
    /// The value as systemd sees it (continuations joined with a space, ends trimmed).
    pub value: String,
    /// From the first value byte to the last, across continuation lines.
    pub value_range: TextRange,
    /// The whole assignment, through its final line terminator.
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub header_range: TextRange,
    pub assignments: Vec<Assignment>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitDoc {
    pub tokens: Vec<Token>,
    /// Assignments before any section header are kept in a section named "".
    pub sections: Vec<Section>,
    pub errors: Vec<SyntaxError>,
}

impl UnitDoc {
    pub fn print(&self, text: &str) -> String {
        self.tokens.iter().map(|t| t.range.slice(text)).collect()
    }
}

/// Reads a unit file; never fails.
pub fn parse(text: &str) -> UnitDoc {
    // Placeholder until the full reader lands.
    let mut doc = UnitDoc::default();
    if !text.is_empty() {
        doc.tokens.push(Token {
            kind: TokenKind::Value,
            range: TextRange::from_usize(0, text.len()),
        });
    }
    doc
}
