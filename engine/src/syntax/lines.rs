//! Line splitting shared by the line-oriented formats (snapshot, passwd, group): every byte
//! of the text lands in exactly one line, terminators included.

use crate::text::TextRange;

/// One line of a line-oriented file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The line with its terminator (`\n` or `\r\n`).
    pub(crate) range: TextRange,
    /// The line without its terminator.
    pub(crate) content: TextRange,
    /// The text of `content`.
    pub(crate) text: &'a str,
}

impl Line<'_> {
    /// Blank, or a comment starting with `comment` after optional blanks.
    pub(crate) fn is_trivia(&self, comment: char) -> bool {
        let trimmed = self.text.trim();
        trimmed.is_empty() || trimmed.starts_with(comment)
    }
}

pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let bare = raw.strip_suffix('\n').unwrap_or(raw);
        let bare = bare.strip_suffix('\r').unwrap_or(bare);
        Line {
            range: TextRange::from_usize(start, offset),
            content: TextRange::from_usize(start, start + bare.len()),
            text: bare,
        }
    })
}
