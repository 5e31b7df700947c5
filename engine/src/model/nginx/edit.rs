//! Text edits to nginx blocks that rules offer as fixes: a new line at the top of a block,
//! indented like the lines already there.

use super::types::Setting;
use crate::diagnostic::Edit;
use crate::source::SourceSet;
use crate::text::TextRange;

/// An edit that adds `lines` as the first statements inside `block` (a `server` or `location`
/// directive with its body), each on its own line. The indentation is that of the block's first
/// line written in the same file, else the block's own plus four spaces (a tab when the block
/// is indented with tabs). `None` when the block's `{` cannot be found in its file.
pub fn insert_first(
    sources: &SourceSet,
    block: &Setting,
    children: &[Setting],
    lines: &[&str],
) -> Option<Edit> {
    let text = sources.get(block.file)?.text.as_str();
    let after_head = block.head().end as usize;
    let rest = text.get(after_head..)?;
    let brace = after_head + rest.find('{')?;
    if !text.get(after_head..brace)?.trim().is_empty() {
        return None;
    }
    let child_indent = children
        .iter()
        .filter(|c| c.file == block.file && c.range.start as usize > brace)
        .min_by_key(|c| c.range.start)
        .and_then(|c| indent_at(text, c.range.start as usize))
        .filter(|i| !i.is_empty());
    let indent = child_indent.unwrap_or_else(|| {
        let own = indent_at(text, block.range.start as usize).unwrap_or_default();
        let step = if own.starts_with('\t') { "\t" } else { "    " };
        format!("{own}{step}")
    });
    let at = u32::try_from(brace + 1).ok()?;
    Some(Edit {
        file: block.file,
        range: TextRange::new(at, at),
        replacement: lines.iter().fold(String::new(), |mut out, l| {
            out.push('\n');
            out.push_str(&indent);
            out.push_str(l);
            out
        }),
    })
}

/// The blanks before `offset` on its line, when only blanks precede it.
fn indent_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset)?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = before.get(start..)?;
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| prefix.to_string())
}

/// An edit appending `suffix` to the text of argument `index` (inside its quotes when it is
/// quoted), e.g. `$` to a location regex.
pub fn append_to_arg(setting: &Setting, index: usize, suffix: &str) -> Option<Edit> {
    let arg = setting.args.get(index)?;
    let at = if arg.quoted {
        arg.range.end.checked_sub(1)?
    } else {
        arg.range.end
    };
    Some(Edit {
        file: setting.file,
        range: TextRange::new(at, at),
        replacement: suffix.to_string(),
    })
}

/// An edit that adds `line` as a statement right before `block` (a `location` directive), on
/// a line of its own indented like the block. nginx tries regex locations in file order, so
/// this is how a rule puts a new regex location ahead of one that would catch its URIs.
pub fn insert_before(sources: &SourceSet, block: &Setting, line: &str) -> Option<Edit> {
    let text = sources.get(block.file)?.text.as_str();
    let start = block.range.start as usize;
    let replacement = match indent_at(text, start) {
        // Keep the blank line that separates blocks in the usual layout.
        Some(indent)
            if text
                .get(..start - indent.len())
                .is_some_and(|t| t.ends_with("\n\n")) =>
        {
            format!("{line}\n\n{indent}")
        }
        Some(indent) => format!("{line}\n{indent}"),
        // The block shares its line with what precedes it (`server { location ...`).
        None => format!("{line} "),
    };
    Some(Edit {
        file: block.file,
        range: TextRange::new(block.range.start, block.range.start),
        replacement,
    })
}
