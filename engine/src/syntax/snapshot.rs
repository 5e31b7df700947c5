//! The permissions snapshot (`fs-snapshot`): one line per path, as printed by
//! `find … -printf '%M %u %g %U %G %p\n'` (or `stat -c '%A %U %G %u %g %n'`):
//!
//! ```text
//! # fpmaudit fs-snapshot v1
//! drwxr-x--- root shop 0 1001 /srv/shop
//! -rw-rw-r-- shop shop 1001 1001 /srv/shop/public/index.php
//! ```
//!
//! Symbolic mode with the type letter, owner and group names, numeric uid and gid, then the
//! path: the rest of the line, so paths with spaces survive. `#` lines and blank lines are
//! trivia. Lines are independent, so a line that does not fit is an error at that line and the
//! rest of the file is still read.

use super::SyntaxError;
use super::lines::{Line, split_lines};
use crate::text::TextRange;

/// What a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileType {
    Dir,
    File,
    Socket,
    Symlink,
    /// Devices and FIFOs: listed for completeness, judged like files.
    Other,
}

impl FileType {
    fn from_letter(letter: u8) -> Option<Self> {
        Some(match letter {
            b'd' => Self::Dir,
            b'-' => Self::File,
            b's' => Self::Socket,
            b'l' => Self::Symlink,
            b'p' | b'c' | b'b' => Self::Other,
            _ => return None,
        })
    }

    pub const fn letter(self) -> char {
        match self {
            Self::Dir => 'd',
            Self::File => '-',
            Self::Socket => 's',
            Self::Symlink => 'l',
            Self::Other => 'p',
        }
    }
}

/// One path of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotEntry {
    pub file_type: FileType,
    /// Permission bits including set-uid (0o4000), set-gid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub owner: String,
    pub group: String,
    pub uid: u32,
    pub gid: u32,
    pub path: String,
    pub path_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotLine {
    /// The whole line with its terminator.
    pub range: TextRange,
    /// The line without its terminator.
    pub content: TextRange,
    /// `None` for trivia and for lines in error.
    pub entry: Option<SnapshotEntry>,
}

/// A parsed snapshot: the lines cover the text exactly, in order.
#[derive(Debug, Clone, Default)]
pub struct SnapshotDoc {
    pub lines: Vec<SnapshotLine>,
    pub errors: Vec<SyntaxError>,
}

impl SnapshotDoc {
    /// Reassembles the input from the lines (the lossless property).
    pub fn print(&self, text: &str) -> String {
        self.lines.iter().map(|l| l.range.slice(text)).collect()
    }

    /// Each entry with its line (terminator excluded).
    pub fn entries(&self) -> impl Iterator<Item = (TextRange, &SnapshotEntry)> {
        self.lines
            .iter()
            .filter_map(|l| l.entry.as_ref().map(|e| (l.content, e)))
    }
}

/// Reads a snapshot; never fails.
pub fn parse(text: &str) -> SnapshotDoc {
    let mut doc = SnapshotDoc::default();
    for line in split_lines(text) {
        let entry = if line.is_trivia('#') {
            None
        } else {
            match entry(&line) {
                Ok(entry) => Some(entry),
                Err(message) => {
                    doc.errors.push(SyntaxError::new(line.content, message));
                    None
                }
            }
        };
        doc.lines.push(SnapshotLine {
            range: line.range,
            content: line.content,
            entry,
        });
    }
    doc
}

/// Reads `MODE OWNER GROUP UID GID PATH`.
fn entry(line: &Line<'_>) -> Result<SnapshotEntry, String> {
    let mut rest = line.text;
    let mut fields = [""; 5];
    for field in &mut fields {
        rest = rest.trim_start_matches(' ');
        let end = rest.find([' ', '\t']).ok_or_else(|| {
            "expected `MODE OWNER GROUP UID GID PATH` (find -printf '%M %u %g %U %G %p\\n')"
                .to_string()
        })?;
        *field = rest.get(..end).unwrap_or("");
        rest = rest.get(end + 1..).unwrap_or("");
    }
    let [mode_text, owner, group, uid, gid] = fields;
    let (file_type, mode) = symbolic_mode(mode_text)
        .ok_or_else(|| format!("`{mode_text}` is not a mode like drwxr-x---"))?;
    let uid = uid
        .parse()
        .map_err(|_| format!("uid `{uid}` is not a number"))?;
    let gid = gid
        .parse()
        .map_err(|_| format!("gid `{gid}` is not a number"))?;
    if !rest.starts_with('/') {
        return Err(format!("path `{rest}` is not absolute"));
    }
    let start = line.text.len() - rest.len();
    let path_range = TextRange::from_usize(
        line.content.start as usize + start,
        line.content.end as usize,
    );
    Ok(SnapshotEntry {
        file_type,
        mode,
        owner: owner.to_string(),
        group: group.to_string(),
        uid,
        gid,
        path: rest.to_string(),
        path_range,
    })
}

/// `drwxr-sr-t` → (Dir, 0o3755); a trailing `.` or `+` (an `SELinux` context or an ACL, as `ls` prints)
/// is accepted and ignored.
pub fn symbolic_mode(text: &str) -> Option<(FileType, u32)> {
    let text = text.strip_suffix(['.', '+']).unwrap_or(text);
    let bytes = text.as_bytes();
    if bytes.len() != 10 {
        return None;
    }
    let file_type = FileType::from_letter(*bytes.first()?)?;
    let mut mode = 0;
    // (first letter of the class, its shift, the special bit shown in its x position)
    for (class, shift, special) in [(1, 6, 0o4000), (4, 3, 0o2000), (7, 0, 0o1000)] {
        let [r, w, x] = [class, class + 1, class + 2].map(|i| bytes.get(i).copied());
        match r? {
            b'r' => mode |= 4 << shift,
            b'-' => {}
            _ => return None,
        }
        match w? {
            b'w' => mode |= 2 << shift,
            b'-' => {}
            _ => return None,
        }
        let (with_x, without_x) = if special == 0o1000 {
            (b't', b'T')
        } else {
            (b's', b'S')
        };
        match x? {
            b'x' => mode |= 1 << shift,
            b'-' => {}
            c if c == with_x => mode |= (1 << shift) | special,
            c if c == without_x => mode |= special,
            _ => return None,
        }
    }
    Some((file_type, mode))
}

/// `0o2755` for a directory → `drwxr-sr-x`, the inverse of [`symbolic_mode`].
pub fn mode_string(file_type: FileType, mode: u32) -> String {
    let mut out = String::with_capacity(10);
    out.push(file_type.letter());
    for (shift, special, (with_x, without_x)) in [
        (6, 0o4000, ('s', 'S')),
        (3, 0o2000, ('s', 'S')),
        (0, 0o1000, ('t', 'T')),
    ] {
        out.push(if mode & (4 << shift) != 0 { 'r' } else { '-' });
        out.push(if mode & (2 << shift) != 0 { 'w' } else { '-' });
        let x = mode & (1 << shift) != 0;
        out.push(match (mode & special != 0, x) {
            (true, true) => with_x,
            (true, false) => without_x,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}

#[cfg(test)]
mod tests;
