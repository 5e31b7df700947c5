//! systemd unit files and drop-ins, lossless.
//!
//! The reader follows systemd's own `config_parse()` (src/shared/conf-parser.c, checked against
//! systemd 252) rather than a generic INI grammar, because the differences decide whether a
//! hardening line takes effect:
//!
//! - Lines end at `\n`, `\r`, `\r\n`, `\n\r` and at a NUL byte, exactly as `read_line()` cuts
//!   them, so line numbers match systemd's messages even for old Mac or binary-damaged files.
//! - Comments are whole lines starting with `#` or `;` after spaces or tabs. There are no inline
//!   comments: `ProtectSystem=strict # ro` has the value `strict # ro`, which systemd rejects.
//! - An odd number of trailing backslashes continues the line; the last backslash becomes one
//!   space and the next line is appended as is, so `a \` + `  b` gives `a    b`. Comment lines
//!   inside a continuation are skipped, an empty line ends it, `\ ` (backslash, space) does not
//!   continue. The joined line is then trimmed and split at its first `=`.
//! - Only spaces and tabs are whitespace; a vertical tab or a no-break space is part of a key.
//! - The first UTF-8 byte order mark found at the start of a non-comment line is dropped, once
//!   per file. The comment check runs before that, so a BOM followed by `#` is not a comment.
//! - Some errors make systemd refuse the whole file, and with it the unit: a line of 1 MiB or
//!   more, an over-long continuation, a malformed `[section]` header. [`UnitDoc::fatal_error`]
//!   points at the first of these; the reader still reads on so every problem is reported.

mod lines;
mod logical;
mod reader;

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod lexical_tests;
#[cfg(test)]
mod model;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;

use super::SyntaxError;
use crate::text::TextRange;

/// systemd's `LONG_LINE_MAX`: a physical line of this many bytes or more (terminator excluded),
/// or a continuation that grows beyond it, makes systemd refuse the file.
pub const LONG_LINE_MAX: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Whitespace,
    /// A line terminator as systemd's `read_line()` sees one: `\n`, `\r`, `\r\n`, `\n\r`,
    /// optionally followed by a NUL, or a NUL alone.
    Newline,
    /// A whole comment line from its `#` or `;` (indentation is whitespace).
    Comment,
    /// `[name]`; one token per physical line when a continuation splits the header.
    SectionHeader,
    Key,
    Equals,
    /// A value piece; continuation lines give several.
    Value,
    /// The `\` that continues a line.
    Continuation,
    /// The UTF-8 byte order mark systemd drops (the first one found at the start of a line).
    Bom,
    /// Text systemd ignores or refuses: a line without `=`, a malformed header.
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
    /// The key as written (keys are case-sensitive), trimmed of spaces and tabs.
    pub key: String,
    pub key_range: TextRange,
    /// The value as systemd sees it: every continuation backslash replaced by a space, the next
    /// line appended with its indentation, then the ends trimmed. Empty for a reset (`Key=`).
    pub value: String,
    /// From the first value byte to the last, across continuation lines; for an empty value,
    /// the empty range right after the `=`.
    pub value_range: TextRange,
    /// The value's parts, one per physical line that holds some of it, each trimmed of the
    /// whitespace at its line's edges so a finding can point at the right line. `value` is the
    /// authority on the exact text.
    pub value_pieces: Vec<TextRange>,
    /// The whole assignment, from the start of its first line (indentation included) through
    /// its final line terminator; comment lines inside a continuation are inside it.
    pub range: TextRange,
    /// The 1-based line number systemd prints for this assignment: the physical line where the
    /// logical line ends, or one past the last line when the file ends inside a continuation.
    pub line: u32,
}

impl Assignment {
    /// `Key=` with nothing after it: for list settings this drops everything set before.
    pub fn is_reset(&self) -> bool {
        self.value.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The name between the brackets, as written (systemd does not trim it).
    pub name: String,
    /// The `[name]` text; empty (at offset 0) for the section of assignments before any header.
    pub header_range: TextRange,
    pub assignments: Vec<Assignment>,
    /// The line systemd prints for the header (see [`Assignment::line`]); 0 for the section of
    /// assignments before any header.
    pub line: u32,
}

#[derive(Debug, Clone, Default)]
pub struct UnitDoc {
    pub tokens: Vec<Token>,
    /// Sections in file order. A repeated header gives another entry (systemd adds their keys
    /// up; see [`UnitDoc::assignments_in`]). Assignments before any header are kept in a
    /// section named "" with an empty `header_range`.
    pub sections: Vec<Section>,
    /// Sorted by position.
    pub errors: Vec<SyntaxError>,
    /// Index into `errors` of the first error that makes systemd refuse the whole file, in the
    /// order systemd would meet it. A refused unit does not load at all.
    pub fatal_error: Option<usize>,
    /// Byte offset of every physical line, as systemd counts lines (see [`UnitDoc::line`]).
    pub line_starts: Vec<u32>,
}

impl UnitDoc {
    pub fn print(&self, text: &str) -> String {
        self.tokens.iter().map(|t| t.range.slice(text)).collect()
    }

    /// The 1-based line holding `offset`, counted as systemd counts them (a lone `\r` or a NUL
    /// ends a line too), so numbers agree with `systemd-analyze verify`.
    pub fn line(&self, offset: u32) -> u32 {
        let index = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(index.max(1)).unwrap_or(u32::MAX)
    }

    /// Every assignment under headers named `section`, in file order, the way systemd merges
    /// repeated sections.
    pub fn assignments_in<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Assignment> {
        self.sections
            .iter()
            .filter(move |s| s.name == section)
            .flat_map(|s| s.assignments.iter())
    }
}

/// Reads a unit file or drop-in; never fails.
pub fn parse(text: &str) -> UnitDoc {
    reader::read(text)
}

/// Splits the prefixes of an `Exec*=` value from the command: `-` (ignore failure), `@` (own
/// argv\[0\]), `:` (no variable expansion), `+` (no sandbox), `!` and `!!` (credentials only).
///
/// Mirrors `config_parse_exec()` in systemd 252: each of `-`, `@`, `:` counts once, and only one
/// of `+`, `!`, `!!`; the first character that does not fit ends the prefixes, so `+!/bin/x`
/// gives `("+", "!/bin/x")`. The value is taken as written: quotes are not removed and only the
/// first command of the line is looked at. `|` (shell, systemd 258) is not a prefix in 252.
pub fn exec_prefixes(value: &str) -> (&str, &str) {
    let (mut ignore, mut argv0, mut no_expand) = (false, false, false);
    // 0: none of `+ ! !!`, 1: `!`, 2: `!!` or `+` (nothing more allowed).
    let mut privilege = 0u8;
    let mut end = 0;
    for byte in value.bytes() {
        match byte {
            b'-' if !ignore => ignore = true,
            b'@' if !argv0 => argv0 = true,
            b':' if !no_expand => no_expand = true,
            b'+' if privilege == 0 => privilege = 2,
            b'!' if privilege < 2 => privilege += 1,
            _ => break,
        }
        end += 1;
    }
    // Every prefix is one ASCII byte, so `end` is a char boundary.
    (
        value.get(..end).unwrap_or(""),
        value.get(end..).unwrap_or(value),
    )
}
