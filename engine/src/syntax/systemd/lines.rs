//! Physical lines, cut where systemd's `read_line()` (src/basic/fileio.c) cuts them.

/// One physical line: `start..content_end` is the text, `content_end..end` the terminator
/// (empty only for a last line without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PhysicalLine {
    pub(super) start: usize,
    pub(super) content_end: usize,
    pub(super) end: usize,
}

/// The physical lines of `text`; none for an empty text, and no empty line after a final
/// terminator.
pub(super) fn physical_lines(text: &str) -> impl Iterator<Item = PhysicalLine> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let content_end = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| eol_bit(b) != 0))
            .map_or(bytes.len(), |offset| start + offset);
        let end = terminator_end(bytes, content_end);
        pos = end;
        Some(PhysicalLine {
            start,
            content_end,
            end,
        })
    })
}

/// `\0`, `\n` and `\r` as the bit flags `read_line()` keeps in `previous_eol`.
fn eol_bit(byte: u8) -> u8 {
    match byte {
        0 => 1,
        b'\n' => 2,
        b'\r' => 4,
        _ => 0,
    }
}

/// A terminator takes each of `\n` and `\r` at most once, in any order, and ends at the first
/// NUL: `\r\n` and `\n\r` are one line end, `\n\n` two, and `\0\n` is a NUL-ended line followed
/// by an empty one.
fn terminator_end(bytes: &[u8], content_end: usize) -> usize {
    let mut seen = 0u8;
    let mut end = content_end;
    while let Some(&byte) = bytes.get(end) {
        let bit = eol_bit(byte);
        if bit == 0 || seen & bit != 0 {
            break;
        }
        seen |= bit;
        end += 1;
        if bit == 1 {
            break;
        }
    }
    end
}
