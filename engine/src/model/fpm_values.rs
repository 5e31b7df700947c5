//! What the FPM rules share: directive values read the way FPM's setters read them, PHP
//! quantities read the way `zend_ini_parse_quantity` reads them, and fixes that set a directive
//! of a section (replacing its value, or adding a line under the section's header).

use super::fpm::{Section, Setting};
use super::fpm_directives::{Scope, ValueType, atoi, lookup, typed_value};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::source::{FileId, SourceSet};
use crate::text::TextRange;

/// An integer directive as FPM stores it; `None` when unset or not an integer (FPM rejects
/// those at load time, which FPM-001 reports).
pub fn int<'a>(section: &'a Section, name: &str) -> Option<(i64, &'a Setting)> {
    let setting = section.get(name)?;
    let value = typed_value(ValueType::Int, &setting.value).ok()?;
    Some((atoi(&value), setting))
}

/// A time directive (`30`, `30s`, `5m`, `1h`, `1d`) in seconds.
pub fn seconds<'a>(section: &'a Section, name: &str) -> Option<(i64, &'a Setting)> {
    let setting = section.get(name)?;
    let value = typed_value(ValueType::Time, &setting.value).ok()?;
    Some((atoi(&value), setting))
}

/// A boolean directive.
pub fn boolean<'a>(section: &'a Section, name: &str) -> Option<(bool, &'a Setting)> {
    let setting = section.get(name)?;
    let value = typed_value(ValueType::Bool, &setting.value).ok()?;
    Some((value == "yes", setting))
}

/// A string directive with a non-empty value: FPM treats an empty one as unset.
pub fn text<'a>(section: &'a Section, name: &str) -> Option<&'a Setting> {
    section.get(name).filter(|s| !s.value.trim().is_empty())
}

/// A pool's process manager (`static`, `dynamic`, `ondemand`), when set to a valid word.
pub fn pm(section: &Section) -> Option<(&'static str, &Setting)> {
    let setting = section.get("pm")?;
    let spec = lookup("pm", Scope::Pool)?;
    let ValueType::Enum(words) = spec.ty else {
        return None;
    };
    let word = words
        .iter()
        .find(|w| w.eq_ignore_ascii_case(setting.value.trim()))?;
    Some((word, setting))
}

/// Whether PHP (8.2+) reads `value` as a quantity without a warning: optional sign, a decimal,
/// `0x`/`0o`/`0b` or leading-zero octal number, optional blanks, and at most one of `K`, `M`,
/// `G` (any case). An empty value is 0.
pub fn is_quantity(value: &str) -> bool {
    let v = value.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    if v.is_empty() {
        return true;
    }
    let v = v.strip_prefix(['+', '-']).unwrap_or(v);
    let lower = v.to_ascii_lowercase();
    let (digits, radix) = if let Some(rest) = lower.strip_prefix("0x") {
        (rest, 16)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (rest, 8)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (rest, 2)
    } else if lower.starts_with('0') {
        (lower.as_str(), 8)
    } else {
        (lower.as_str(), 10)
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 {
        return false;
    }
    let rest = digits
        .get(end..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    matches!(rest, "" | "k" | "m" | "g")
}

/// What PHP 8.2+ makes of a quantity it warns about: the leading number, times the last
/// character when that is `K`, `M` or `G` (`1.5G` → 1G, `64MB` → 64 bytes). Bytes, and the
/// reading as PHP's warning words it.
pub fn quantity_fallback(value: &str) -> (i64, String) {
    let v = value.trim();
    let number = atoi(v);
    let unit = v.chars().last().map(|c| c.to_ascii_uppercase());
    let (factor, shown) = match unit {
        Some('K') => (1_i64 << 10, format!("{number}K")),
        Some('M') => (1 << 20, format!("{number}M")),
        Some('G') => (1 << 30, format!("{number}G")),
        _ => (1, format!("{number} bytes")),
    };
    (number.saturating_mul(factor), shown)
}

/// The corrected spelling of a quantity written with a byte unit: `512MB` → `512M`,
/// `2 GB` → `2G`, `64kb` → `64K`. `None` for anything else.
pub fn quantity_fix(value: &str) -> Option<String> {
    let v = value.trim();
    let unit = v.strip_suffix(['B', 'b'])?;
    let (number, suffix) = unit.split_at_checked(unit.len().checked_sub(1)?)?;
    let suffix = suffix.to_ascii_uppercase();
    let number = number.trim_end();
    let valid = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (valid && matches!(suffix.as_str(), "K" | "M" | "G")).then(|| format!("{number}{suffix}"))
}

/// A setting's value as written in its file (`no`, where FPM stores `""`), for messages.
pub fn written<'a>(sources: &'a SourceSet, setting: &Setting) -> &'a str {
    sources
        .get(setting.origin.file)
        .map_or("", |f| setting.origin.value.slice(&f.text))
}

/// A setting's directive name as written (`php_flag`, `Listen`), for messages.
pub fn written_name<'a>(sources: &'a SourceSet, setting: &Setting) -> &'a str {
    sources
        .get(setting.origin.file)
        .map_or("", |f| setting.key_range.slice(&f.text))
}

/// The 1-based line of an offset, for messages.
pub fn line_number(sources: &SourceSet, file: FileId, offset: u32) -> u32 {
    sources
        .get(file)
        .map_or(0, |f| f.line_index.line_col(offset, &f.text).line)
}

/// `line 7` when `file` is `here`, `www.conf:7` otherwise.
pub fn place(sources: &SourceSet, here: FileId, file: FileId, offset: u32) -> String {
    let line = line_number(sources, file, offset);
    if file == here {
        return format!("line {line}");
    }
    let name = sources
        .get(file)
        .map_or("", |f| f.path.rsplit('/').next().unwrap_or(&f.path));
    format!("{name}:{line}")
}

/// A value in double quotes, as FPM reads it back unchanged (`"`, `\\` and `$` escaped).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A value as written on a new line: bare when FPM reads it back as it is, else quoted.
pub fn as_written(value: &str) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:,@%+-".contains(c));
    if plain {
        value.to_string()
    } else {
        quote(value)
    }
}

/// An edit adding `lines` right after the line holding `offset`, each ended with that line's
/// own terminator, so a CRLF file stays CRLF. After a last line without a terminator the lines
/// are appended behind one, and the file still ends without it.
pub fn insert_lines_after(
    sources: &SourceSet,
    file: FileId,
    offset: u32,
    lines: &[String],
) -> Option<Edit> {
    let source = sources.get(file)?;
    let text = source.text.as_str();
    let line = source.line_index.line_of(offset);
    let end = source.line_index.line_range(line, text).end;
    let rest = text.get(end as usize..)?;
    let terminator = if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\n') {
        "\n"
    } else {
        ""
    };
    let mut replacement = String::new();
    let at = if terminator.is_empty() {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        for line in lines {
            replacement.push_str(newline);
            replacement.push_str(line);
        }
        end
    } else {
        for line in lines {
            replacement.push_str(line);
            replacement.push_str(terminator);
        }
        end + u32::try_from(terminator.len()).unwrap_or(0)
    };
    Some(Edit {
        file,
        range: TextRange::new(at, at),
        replacement,
    })
}

/// A fix that makes `name = value` effective in a section: it replaces the value of the
/// effective occurrence, or adds the line right under the section's first header.
pub fn set_directive(
    sources: &SourceSet,
    section: &Section,
    name: &str,
    value: &str,
    safety: Safety,
) -> Option<Fix> {
    let edit = if let Some(setting) = section.get(name) {
        Edit {
            file: setting.origin.file,
            range: setting.origin.value,
            replacement: value.to_string(),
        }
    } else {
        let (file, header) = section.anchor()?;
        insert_lines_after(sources, file, header.start, &[format!("{name} = {value}")])?
    };
    Some(Fix {
        title: format!("set `{name} = {value}`"),
        safety,
        edits: vec![edit],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_like_php_8_2() {
        for ok in [
            "", "128M", "128m", "128 M", " 1G ", "-1", "+5M", "0x10M", "0o17", "0b11", "5k",
        ] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in [
            "128MB", "2 GB", "1.5G", "08M", "M", "abc", "5M M", "1e3", "128Mi",
        ] {
            assert!(!is_quantity(bad), "{bad}");
        }
        assert_eq!(quantity_fix("512MB").as_deref(), Some("512M"));
        assert_eq!(quantity_fix("2 GB").as_deref(), Some("2G"));
        assert_eq!(quantity_fix("64kb").as_deref(), Some("64K"));
        assert_eq!(quantity_fix("512B"), None);
        assert_eq!(quantity_fix("1.5GB"), None);
        assert_eq!(quantity_fallback("1.5G"), (1 << 30, "1G".to_string()));
        assert_eq!(quantity_fallback("64MB"), (64, "64 bytes".to_string()));
    }
}
