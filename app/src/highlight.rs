//! Syntax colouring for the editor, per format, with the finding spans marked. A display
//! aid only: the engine's parsers decide what the text means; this reads a line at a time
//! and never fails.

use fpmaudit_engine::{FileKind, Severity};

/// Above this size the editor shows plain text: colouring a huge paste would cost more than
/// it helps.
pub const MAX_COLOURED_BYTES: usize = 200_000;

/// A run of text with one class and, when it lies inside a finding's span, that severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// `c` comment, `h` section header, `k` key or directive, `v` value, `s` quoted string,
    /// `d` variable, `p` punctuation, `t` plain text.
    pub class: &'static str,
    pub mark: Option<Severity>,
}

/// A finding's span: 1-based lines, 1-based character columns, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: Severity,
}

pub fn highlight(kind: FileKind, text: &str, marks: &[Mark]) -> Vec<Vec<Segment>> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| {
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let classes = classify(kind, line);
            let chars: Vec<char> = line.chars().collect();
            // Only the spans that touch this line, so colouring stays linear in the text.
            let here: Vec<Mark> = marks
                .iter()
                .filter(|m| m.line <= line_no && line_no <= m.end_line)
                .copied()
                .collect();
            let mut out: Vec<Segment> = Vec::new();
            for (col, (c, class)) in chars.iter().zip(classes).enumerate() {
                let column = u32::try_from(col + 1).unwrap_or(u32::MAX);
                let mark = worst_mark(&here, line_no, column, chars.len());
                match out.last_mut() {
                    Some(seg) if seg.class == class && seg.mark == mark => seg.text.push(*c),
                    _ => out.push(Segment {
                        text: c.to_string(),
                        class,
                        mark,
                    }),
                }
            }
            out
        })
        .collect()
}

fn worst_mark(marks: &[Mark], line: u32, column: u32, len: usize) -> Option<Severity> {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    marks
        .iter()
        .filter(|m| {
            let after_start = line > m.line || (line == m.line && column >= m.column);
            let before_end = line < m.end_line || (line == m.end_line && column < m.end_column);
            // A zero-width span (a missing setting reported at a point) marks its whole line.
            let point = m.line == m.end_line && m.column >= m.end_column && line == m.line;
            (after_start && before_end) || (point && column <= len)
        })
        .map(|m| m.severity)
        .min()
}

/// One class per character of `line`.
fn classify(kind: FileKind, line: &str) -> Vec<&'static str> {
    match kind {
        FileKind::Nginx => nginx_line(line),
        FileKind::FpmGlobal | FileKind::FpmPool | FileKind::PhpIni => ini_line(line, true),
        FileKind::SystemdUnit | FileKind::SystemdDropin => ini_line(line, false),
        FileKind::FsSnapshot | FileKind::Passwd | FileKind::Group | FileKind::Unknown => {
            let comment = line.trim_start().starts_with('#');
            vec![if comment { "c" } else { "t" }; line.chars().count()]
        }
    }
}

fn ini_line(line: &str, inline_comments: bool) -> Vec<&'static str> {
    let chars: Vec<char> = line.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace());
    let whole = |class| vec![class; chars.len()];
    match first.and_then(|i| chars.get(i)) {
        None => return whole("t"),
        Some(';' | '#') => return whole("c"),
        Some('[') => return whole("h"),
        _ => {}
    }
    let mut out = Vec::with_capacity(chars.len());
    let mut in_value = false;
    let mut quote = false;
    let mut comment = false;
    let mut var = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev_space = i == 0 || chars.get(i - 1).is_some_and(|p| p.is_whitespace());
        let class = if comment {
            "c"
        } else if !in_value {
            if c == '=' {
                in_value = true;
                "p"
            } else {
                "k"
            }
        } else if c == '"' {
            quote = !quote;
            "s"
        } else if quote {
            "s"
        } else if inline_comments && c == ';' && prev_space {
            comment = true;
            "c"
        } else if c == '$' {
            var = true;
            "d"
        } else if var && (c.is_ascii_alphanumeric() || matches!(c, '_' | '{' | '}')) {
            "d"
        } else {
            var = false;
            "v"
        };
        out.push(class);
    }
    out
}

fn nginx_line(line: &str) -> Vec<&'static str> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut at_statement = true;
    let mut word: Option<&'static str> = None;
    let mut quote: Option<char> = None;
    let mut comment = false;
    for &c in &chars {
        let class = if comment {
            "c"
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            "s"
        } else if c.is_whitespace() {
            word = None;
            "t"
        } else if matches!(c, '{' | '}' | ';') {
            word = None;
            at_statement = true;
            "p"
        } else if word.is_none() && c == '#' {
            comment = true;
            "c"
        } else if word.is_none() && (c == '"' || c == '\'') {
            quote = Some(c);
            "s"
        } else {
            let class = match word {
                Some(w) => w,
                None if at_statement => {
                    at_statement = false;
                    "k"
                }
                None => "v",
            };
            word = Some(class);
            if c == '$' { "d" } else { class }
        };
        out.push(class);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(segments: &[Segment]) -> Vec<(&str, &str)> {
        segments
            .iter()
            .map(|s| (s.text.as_str(), s.class))
            .collect()
    }

    #[test]
    fn fpm_lines() {
        let lines = highlight(
            FileKind::FpmPool,
            "[www]\n; note\nlisten = /run/php/$pool.sock ; trailing",
            &[],
        );
        assert_eq!(classes(&lines[0]), vec![("[www]", "h")]);
        assert_eq!(classes(&lines[1]), vec![("; note", "c")]);
        assert_eq!(
            classes(&lines[2]),
            vec![
                ("listen ", "k"),
                ("=", "p"),
                (" /run/php/", "v"),
                ("$pool", "d"),
                (".sock ", "v"),
                ("; trailing", "c")
            ]
        );
    }

    #[test]
    fn nginx_lines() {
        let lines = highlight(
            FileKind::Nginx,
            "location ~ \\.php$ { fastcgi_pass \"unix:/x\"; } # end",
            &[],
        );
        let got = classes(&lines[0]);
        assert_eq!(got[0], ("location", "k"));
        assert!(got.contains(&("fastcgi_pass", "k")));
        assert!(got.contains(&("\"unix:/x\"", "s")));
        assert_eq!(got.last(), Some(&("# end", "c")));
    }

    #[test]
    fn marks_split_segments_and_keep_the_text() {
        let text = "[www]\nlisten.mode = 0666\n";
        let mark = Mark {
            line: 2,
            column: 1,
            end_line: 2,
            end_column: 12,
            severity: Severity::Critical,
        };
        let lines = highlight(FileKind::FpmPool, text, &[mark]);
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(joined.join("\n"), text);
        assert_eq!(lines[1][0].text, "listen.mode");
        assert_eq!(lines[1][0].mark, Some(Severity::Critical));
        assert_eq!(lines[1][1].mark, None);
    }
}
