//! A line-by-line port of systemd 252's `read_line()`, `config_parse()` and `parse_line()`,
//! written as plainly as the C so the property tests can hold the real reader to it. It keeps
//! reading after errors that make systemd stop, as the reader does.

use super::LONG_LINE_MAX;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What systemd would do with a file.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Outcome {
    /// `(section, key, value, line)`; `section` is "" before any valid header.
    pub(super) assignments: Vec<(String, String, String, u32)>,
    /// `(name, line)` of every valid header.
    pub(super) headers: Vec<(String, u32)>,
    /// One tag per message systemd would log (see [`tag`]).
    pub(super) messages: Vec<&'static str>,
}

/// The tag of one of the reader's messages, to compare it with the model's.
pub(super) fn tag(message: &str) -> &'static str {
    const TAGS: [(&str, &str); 7] = [
        ("Line too long", "line-too-long"),
        ("Continuation line too long", "continuation-too-long"),
        ("Invalid section header", "invalid-header"),
        ("Bad characters in section header", "bad-header"),
        ("Missing '='", "missing-equals"),
        ("Missing key name", "missing-key"),
        ("Assignment outside of section", "outside"),
    ];
    TAGS.iter()
        .find(|(prefix, _)| message.starts_with(prefix))
        .map_or("unknown", |(_, tag)| tag)
}

pub(super) fn run(text: &str) -> Outcome {
    let bytes = text.as_bytes();
    let mut out = Outcome::default();
    let mut pos = 0;
    let mut line = 0u32;
    let mut section: Option<String> = None;
    let mut continuation: Option<Vec<u8>> = None;
    let mut bom_seen = false;
    while pos < bytes.len() {
        // read_line()
        let mut buf = Vec::new();
        let mut previous_eol = 0u8;
        while let Some(&c) = bytes.get(pos) {
            let eol = match c {
                0 => 1,
                b'\n' => 2,
                b'\r' => 4,
                _ => 0,
            };
            if previous_eol & 1 != 0
                || (eol == 0 && previous_eol != 0)
                || (eol != 0 && previous_eol & eol != 0)
            {
                break;
            }
            pos += 1;
            if eol == 0 {
                buf.push(c);
            } else {
                previous_eol |= eol;
            }
        }
        line += 1;
        if buf.len() >= LONG_LINE_MAX {
            out.messages.push("line-too-long");
        }
        let first = buf.iter().find(|&&b| !b" \t\n\r".contains(&b));
        if matches!(first, Some(b'#' | b';')) {
            continue;
        }
        let mut l: &[u8] = &buf;
        if !bom_seen && l.starts_with(BOM) {
            l = &l[BOM.len()..];
            bom_seen = true;
        }
        let mut p = match continuation.take() {
            Some(mut c) => {
                if c.len() + l.len() > LONG_LINE_MAX {
                    out.messages.push("continuation-too-long");
                }
                c.extend_from_slice(l);
                c
            }
            None => l.to_vec(),
        };
        let mut escaped = false;
        for &b in &p {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            }
        }
        if escaped {
            *p.last_mut().unwrap() = b' ';
            continuation = Some(p);
            continue;
        }
        parse_line(&mut out, &mut section, line, &p);
    }
    if let Some(c) = continuation {
        parse_line(&mut out, &mut section, line + 1, &c);
    }
    out
}

fn parse_line(out: &mut Outcome, section: &mut Option<String>, line: u32, l: &[u8]) {
    let l = strstrip(l);
    if l.is_empty() {
        return;
    }
    if l[0] == b'[' {
        if l[l.len() - 1] != b']' {
            out.messages.push("invalid-header");
            return;
        }
        let n = &l[1..l.len() - 1];
        if n.iter()
            .any(|&b| (1..b' ').contains(&b) || b"\"'\\\x7f".contains(&b))
        {
            out.messages.push("bad-header");
            return;
        }
        let name = String::from_utf8(n.to_vec()).unwrap();
        out.headers.push((name.clone(), line));
        *section = Some(name);
        return;
    }
    if section.is_none() {
        out.messages.push("outside");
    }
    let Some(e) = l.iter().position(|&b| b == b'=') else {
        if section.is_some() {
            out.messages.push("missing-equals");
        }
        return;
    };
    if e == 0 {
        if section.is_some() {
            out.messages.push("missing-key");
        }
        return;
    }
    let key = String::from_utf8(strstrip(&l[..e]).to_vec()).unwrap();
    let value = String::from_utf8(strstrip(&l[e + 1..]).to_vec()).unwrap();
    let name = section.clone().unwrap_or_default();
    out.assignments.push((name, key, value, line));
}

fn strstrip(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\n' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\n' | b'\r'] = s {
        s = rest;
    }
    s
}
