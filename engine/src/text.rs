//! Byte ranges inside the engine, 1-based line/column at the edges.

/// A half-open byte range `start..end` into one file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// Builds a range from `usize` offsets; files are limited far below 4 GiB by the callers,
    /// so saturating keeps this total without a panic path.
    pub fn from_usize(start: usize, end: usize) -> Self {
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    #[must_use]
    pub fn cover(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains_range(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The slice of `text` this range covers, or "" when it does not fall on char boundaries.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to lines; built once per file.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the first byte of every line.
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        Self { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number holding `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line: usize, text: &str) -> TextRange {
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let next = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or_else(|| u32::try_from(text.len()).unwrap_or(u32::MAX));
        let mut end = next;
        let bytes = text.as_bytes();
        if end > start && bytes.get(end as usize - 1) == Some(&b'\n') {
            end -= 1;
            if end > start && bytes.get(end as usize - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        TextRange::new(start, end)
    }

    /// 1-based line and column of a byte offset; the column counts characters.
    pub fn line_col(&self, offset: u32, text: &str) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let prefix = text.get(start as usize..offset as usize).unwrap_or("");
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX),
        }
    }

    /// 0-based UTF-16 column, as browsers count.
    pub fn utf16_col(&self, offset: u32, text: &str) -> u32 {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let prefix = text.get(start as usize..offset as usize).unwrap_or("");
        u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based() {
        let text = "a\nbé=c\r\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(0, text), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(5, text), LineCol { line: 2, column: 3 });
        assert_eq!(index.line_range(1, text).slice(text), "bé=c");
        assert_eq!(index.line_col(9, text), LineCol { line: 3, column: 1 });
    }
}
