//! Error positions and messages, and the errors that make systemd refuse the whole file.

use super::tests::{check, error_spots, messages, triples};
use super::{LONG_LINE_MAX, TokenKind};

#[test]
fn bad_headers_refuse_the_file_and_keep_the_section() {
    let text = "[Service]\nA=1\n  [Install] x\nB=2\n[Ser\"vice]\n[Unit\n";
    let doc = check(text);
    let expected = [("[Install] x", 3), ("[Ser\"vice]", 5), ("[Unit", 6)];
    assert_eq!(error_spots(&doc, text), expected);
    assert_eq!(
        messages(&doc),
        [
            "Invalid section header '[Install] x'",
            "Bad characters in section header '[Ser\"vice]'",
            "Invalid section header '[Unit'",
        ]
    );
    assert_eq!(doc.fatal_error, Some(0));
    // systemd's current section does not change on a bad header.
    assert_eq!(
        triples(&doc),
        [("Service", "A", "1"), ("Service", "B", "2")]
    );
    assert!(
        doc.tokens
            .iter()
            .any(|t| t.kind == TokenKind::Error && t.range.slice(text) == "[Unit")
    );
}

#[test]
fn junk_lines_are_errors_at_their_text() {
    let text = "[Service]\n  just words  \n = x\n=\nA=1\n\u{b}B=2\n";
    let doc = check(text);
    let expected = [("just words", 2), ("= x", 3), ("=", 4)];
    assert_eq!(error_spots(&doc, text), expected);
    assert_eq!(
        messages(&doc),
        [
            "Missing '=', ignoring line.",
            "Missing key name before '=', ignoring line.",
            "Missing key name before '=', ignoring line.",
        ]
    );
    // Only spaces and tabs are whitespace: the vertical tab is part of the key.
    assert_eq!(
        triples(&doc),
        [("Service", "A", "1"), ("Service", "\u{b}B", "2")]
    );
    assert_eq!(doc.fatal_error, None);
}

#[test]
fn junk_before_any_header_is_outside_of_section() {
    let text = "junk\n[Service]\n";
    let doc = check(text);
    assert_eq!(messages(&doc), ["Assignment outside of section. Ignoring."]);
    assert!(doc.sections.iter().all(|s| s.name == "Service"));
}

#[test]
fn error_over_continued_junk_spans_its_lines() {
    let text = "[Service]\nfoo \\\n  bar\nA=1\n";
    let doc = check(text);
    assert_eq!(error_spots(&doc, text), [("foo \\\n  bar", 2)]);
}

#[test]
fn long_lines_refuse_the_file() {
    let ok = format!("[Service]\nA={}\n", "a".repeat(LONG_LINE_MAX - 3));
    let doc = check(&ok);
    assert!(doc.errors.is_empty());
    let long = format!("[Service]\nA={}", "a".repeat(LONG_LINE_MAX - 2));
    let doc = check(&long);
    assert_eq!(doc.errors.len(), 1);
    assert!(doc.errors[0].message.starts_with("Line too long"));
    assert_eq!(doc.line(doc.errors[0].range.start), 2);
    assert_eq!(doc.fatal_error, Some(0));
    // Comment lines are measured too.
    let doc = check(&format!("#{}\n", "c".repeat(LONG_LINE_MAX)));
    assert_eq!(doc.fatal_error, Some(0));

    let half = LONG_LINE_MAX / 2;
    let fits = format!(
        "[Service]\nA={}\\\n{}",
        "a".repeat(half - 3),
        "b".repeat(half)
    );
    assert!(check(&fits).errors.is_empty());
    let over = format!(
        "[Service]\nA={}\\\n{}",
        "a".repeat(half - 3),
        "b".repeat(half + 1)
    );
    let doc = check(&over);
    assert_eq!(messages(&doc).len(), 1);
    assert!(
        doc.errors[0]
            .message
            .starts_with("Continuation line too long")
    );
    assert_eq!(doc.line(doc.errors[0].range.start), 3);
}
