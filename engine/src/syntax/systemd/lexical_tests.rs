//! Line ends, the byte order mark and the token stream.

use super::tests::{check, error_spots, triples};
use super::{TokenKind, UnitDoc};

#[test]
fn line_endings_follow_read_line() {
    // `\n\r` is one terminator, `\0` ends a line, `\r\0` too; a lone `\r` is a line end.
    let text = "[Service]\r\nA=1\n\rB=2\rC=3\0D\r\0\nE=5";
    let doc = check(text);
    let got: Vec<(&str, u32)> = doc
        .assignments_in("Service")
        .map(|a| (a.key.as_str(), a.line))
        .collect();
    assert_eq!(got, [("A", 2), ("B", 3), ("C", 4), ("E", 7)]);
    assert_eq!(error_spots(&doc, text), [("D", 5)]);
    let newlines: Vec<&str> = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Newline)
        .map(|t| t.range.slice(text))
        .collect();
    assert_eq!(newlines, ["\r\n", "\n\r", "\r", "\0", "\r\0", "\n"]);
}

#[test]
fn bom_is_dropped_once_and_hides_a_comment() {
    let text = "\u{feff}[Service]\nA=1\n\u{feff}B=2\n";
    let doc = check(text);
    assert_eq!(doc.tokens[0].kind, TokenKind::Bom);
    assert_eq!(
        triples(&doc),
        [("Service", "A", "1"), ("Service", "\u{feff}B", "2")]
    );

    // The comment check runs before the BOM is dropped: systemd reads `#Foo` as a key.
    let text = "[Service]\n\u{feff}#Foo=1\n";
    let doc = check(text);
    assert_eq!(triples(&doc), [("Service", "#Foo", "1")]);

    // The first BOM at the start of any line is dropped, also inside a continuation.
    let text = "[Service]\nUser=a\\\n\u{feff}b\n";
    let doc = check(text);
    assert_eq!(triples(&doc), [("Service", "User", "a b")]);
    assert!(doc.tokens.iter().any(|t| t.kind == TokenKind::Bom));
}

/// `(kind, text)` of every token.
fn tokens<'t>(doc: &UnitDoc, text: &'t str) -> Vec<(TokenKind, &'t str)> {
    doc.tokens
        .iter()
        .map(|t| (t.kind, t.range.slice(text)))
        .collect()
}

#[test]
fn tokens_of_a_continued_assignment() {
    use TokenKind::{
        Comment, Continuation, Equals, Key, Newline, SectionHeader, Value, Whitespace,
    };
    let text = "[Service]\n  Key = a b \\\n # note\n  c\n";
    let doc = check(text);
    let expected = [
        (SectionHeader, "[Service]"),
        (Newline, "\n"),
        (Whitespace, "  "),
        (Key, "Key"),
        (Whitespace, " "),
        (Equals, "="),
        (Whitespace, " "),
        (Value, "a b"),
        (Whitespace, " "),
        (Continuation, "\\"),
        (Newline, "\n"),
        (Whitespace, " "),
        (Comment, "# note"),
        (Newline, "\n"),
        (Whitespace, "  "),
        (Value, "c"),
        (Newline, "\n"),
    ];
    assert_eq!(tokens(&doc, text), expected);
    let key = &doc.sections[0].assignments[0];
    assert_eq!(key.value, "a b    c");
    assert_eq!(key.value_range.slice(text), "a b \\\n # note\n  c");
    assert_eq!(key.range.slice(text), "  Key = a b \\\n # note\n  c\n");
    assert_eq!(key.line, 4);
}

#[test]
fn junk_and_bad_headers_are_error_tokens() {
    let text = "[Service]\nfoo \\\nbar\n[Unit\n";
    let doc = check(text);
    let errors: Vec<&str> = tokens(&doc, text)
        .into_iter()
        .filter(|(kind, _)| *kind == TokenKind::Error)
        .map(|(_, text)| text)
        .collect();
    assert_eq!(errors, ["foo", "bar", "[Unit"]);
}

#[test]
fn line_numbers_count_systemd_line_ends() {
    let text = "a\rb\r\nc\0d\n\ne";
    let doc = check(text);
    let lines: Vec<u32> = (0..=text.len())
        .map(|at| doc.line(u32::try_from(at).unwrap()))
        .collect();
    assert_eq!(lines, [1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 6]);
    assert_eq!(UnitDoc::default().line(0), 1);
}
