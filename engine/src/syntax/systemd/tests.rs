//! Fixtures from research/systemd-containers.md §(d)/(e), the tricky corners of systemd's reader
//! and error positions. Expected behaviour was checked with `systemd-analyze verify` (252).

use super::*;

/// Parses `text`, checks every invariant of the reader and returns the document.
pub(super) fn check(text: &str) -> UnitDoc {
    let doc = parse(text);
    assert_eq!(doc.print(text), text, "round trip");
    let mut at = 0u32;
    for token in &doc.tokens {
        assert_eq!(token.range.start, at, "tokens are contiguous: {token:?}");
        assert!(!token.range.is_empty(), "no empty token: {token:?}");
        assert!(text.is_char_boundary(token.range.end as usize), "{token:?}");
        at = token.range.end;
    }
    assert_eq!(at as usize, text.len());
    for error in &doc.errors {
        assert!(error.range.end as usize <= text.len());
        assert!(
            text.get(error.range.start as usize..error.range.end as usize)
                .is_some()
        );
    }
    assert!(doc.errors.is_sorted_by_key(|e| e.range.start));
    assert!(doc.fatal_error.is_none_or(|i| i < doc.errors.len()));
    for assignment in doc.sections.iter().flat_map(|s| &s.assignments) {
        let key_text = assignment.key_range.slice(text);
        if !key_text.contains(['\n', '\r', '\0']) {
            assert_eq!(key_text, assignment.key);
        }
        assert!(assignment.range.contains_range(assignment.value_range));
        for piece in &assignment.value_pieces {
            assert!(assignment.value.contains(piece.slice(text)));
        }
    }
    doc
}

/// `(section, key, value)` of every assignment, in file order per section.
pub(super) fn triples(doc: &UnitDoc) -> Vec<(&str, &str, &str)> {
    doc.sections
        .iter()
        .flat_map(|s| {
            s.assignments
                .iter()
                .map(|a| (s.name.as_str(), a.key.as_str(), a.value.as_str()))
        })
        .collect()
}

pub(super) fn messages(doc: &UnitDoc) -> Vec<&str> {
    doc.errors.iter().map(|e| e.message.as_str()).collect()
}

/// The text and systemd line of each error.
pub(super) fn error_spots<'t>(doc: &UnitDoc, text: &'t str) -> Vec<(&'t str, u32)> {
    doc.errors
        .iter()
        .map(|e| (e.range.slice(text), doc.line(e.range.start)))
        .collect()
}

#[test]
fn d1_assignment_before_header_is_kept_apart_and_reported() {
    let text = "# the next line is ignored: no section yet\nPrivateTmp=yes\n[Service]\n\
                # silently ignored (X- prefix)\nX-Owner=team-web\n";
    let doc = check(text);
    assert_eq!(
        triples(&doc),
        [
            ("", "PrivateTmp", "yes"),
            ("Service", "X-Owner", "team-web")
        ]
    );
    assert_eq!(messages(&doc), ["Assignment outside of section. Ignoring."]);
    assert_eq!(error_spots(&doc, text), [("PrivateTmp=yes", 2)]);
    assert_eq!(doc.sections[0].header_range, TextRange::default());
    assert_eq!(doc.fatal_error, None);
}

#[test]
fn d2_there_are_no_inline_comments() {
    let text =
        "[Service]\nProtectSystem=strict # ro\nReadWritePaths=/run/php # sockets\n  ; whole\n";
    let doc = check(text);
    let expected = [
        ("Service", "ProtectSystem", "strict # ro"),
        ("Service", "ReadWritePaths", "/run/php # sockets"),
    ];
    assert_eq!(triples(&doc), expected);
    assert!(doc.errors.is_empty());
    assert!(
        doc.tokens
            .iter()
            .any(|t| t.kind == TokenKind::Comment && t.range.slice(text) == "; whole")
    );
}

#[test]
fn d3_continuation_skips_comments_and_keeps_whitespace() {
    let text = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
                CapabilityBoundingSet=CAP_SETUID CAP_SETGID \\\n\
                # kept out on purpose: CAP_SYS_ADMIN\n  CAP_CHOWN CAP_KILL\n";
    let doc = check(text);
    let caps = &doc.sections[0].assignments[1];
    // `\` becomes a space and the next line keeps its indentation: 1 + 1 + 2 spaces.
    assert_eq!(caps.value, "CAP_SETUID CAP_SETGID    CAP_CHOWN CAP_KILL");
    assert_eq!(caps.value.split_whitespace().count(), 4);
    let pieces: Vec<&str> = caps.value_pieces.iter().map(|r| r.slice(text)).collect();
    assert_eq!(pieces, ["CAP_SETUID CAP_SETGID", "CAP_CHOWN CAP_KILL"]);
    assert_eq!(caps.line, 5);
    assert!(caps.range.slice(text).starts_with("CapabilityBoundingSet="));
    assert!(caps.range.slice(text).ends_with("CAP_KILL\n"));
    assert!(caps.range.slice(text).contains("# kept out"));
    assert!(doc.errors.is_empty());
}

#[test]
fn d3_backslash_space_is_not_a_continuation() {
    let text = "[Service]\nUser=a \\ \nFoo\n";
    let doc = check(text);
    assert_eq!(triples(&doc), [("Service", "User", "a \\")]);
    assert_eq!(error_spots(&doc, text), [("Foo", 3)]);
    assert_eq!(messages(&doc), ["Missing '=', ignoring line."]);
}

#[test]
fn d4_whitespace_around_equals_and_case_sensitive_keys() {
    let text = "[Service]\n  NoNewPrivileges = on\nprotecthome=yes\n\tKey\t=\tv a l\t\n";
    let doc = check(text);
    let expected = [
        ("Service", "NoNewPrivileges", "on"),
        ("Service", "protecthome", "yes"),
        ("Service", "Key", "v a l"),
    ];
    assert_eq!(triples(&doc), expected);
}

#[test]
fn d6_empty_assignments_are_resets() {
    let text = "[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=~\nSystemCallFilter=  \n";
    let doc = check(text);
    let values: Vec<(&str, bool)> = doc
        .assignments_in("Service")
        .map(|a| (a.value.as_str(), a.is_reset()))
        .collect();
    assert_eq!(values, [("", true), ("~", false), ("", true)]);
    let reset = &doc.sections[0].assignments[0];
    assert!(reset.value_pieces.is_empty());
    // Right after the `=`, where a fix would insert a value.
    assert_eq!(
        reset.value_range.start as usize,
        "[Service]\nCapabilityBoundingSet=".len()
    );
    assert!(reset.value_range.is_empty());
}

#[test]
fn d9_exec_prefixes() {
    let cases = [
        (
            "-/usr/lib/php/php-fpm-socket-helper install",
            "-",
            "/usr/lib/php/php-fpm-socket-helper install",
        ),
        ("+/bin/x", "+", "/bin/x"),
        ("@-:/bin/x argv0", "@-:", "/bin/x argv0"),
        ("!!/bin/x", "!!", "/bin/x"),
        ("!!!/bin/x", "!!", "!/bin/x"),
        ("+!/bin/x", "+", "!/bin/x"),
        ("!+/bin/x", "!", "+/bin/x"),
        ("--/bin/x", "-", "-/bin/x"),
        ("|/bin/sh", "", "|/bin/sh"),
        ("", "", ""),
        ("/usr/sbin/php-fpm8.2", "", "/usr/sbin/php-fpm8.2"),
    ];
    for (value, prefixes, rest) in cases {
        assert_eq!(exec_prefixes(value), (prefixes, rest), "{value}");
    }
}

#[test]
fn t5_syntax_traps() {
    let text = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
                ProtectSystem=strict # keep the OS read-only\nprotecthome=yes\n  NoNewPrivileges = on\n";
    let doc = check(text);
    let lines: Vec<(&str, &str, u32)> = doc
        .assignments_in("Service")
        .map(|a| (a.key.as_str(), a.value.as_str(), a.line))
        .collect();
    let expected = [
        ("ExecStart", "/usr/sbin/php-fpm8.2 --nodaemonize", 2),
        ("ProtectSystem", "strict # keep the OS read-only", 3),
        ("protecthome", "yes", 4),
        ("NoNewPrivileges", "on", 5),
    ];
    assert_eq!(lines, expected);
    assert!(doc.errors.is_empty());
}

#[test]
fn repeated_sections_stay_apart_but_merge_on_request() {
    let text = "[Service]\nA=1\n[Install]\nWantedBy=x\n[Service]\nA=2\n";
    let doc = check(text);
    assert_eq!(doc.sections.len(), 3);
    let values: Vec<&str> = doc
        .assignments_in("Service")
        .map(|a| a.value.as_str())
        .collect();
    assert_eq!(values, ["1", "2"]);
    assert_eq!(doc.sections[2].line, 5);
    assert_eq!(doc.sections[2].header_range.slice(text), "[Service]");
}

/// A unit body, the `(key, value)` pairs it gives and the text of each error.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

#[test]
fn continuation_corners() {
    let cases: [Case; 8] = [
        // An even number of backslashes escapes itself.
        ("User=a\\\\\nB=1\n", &[("User", "a\\\\"), ("B", "1")], &[]),
        ("User=a\\\\\\\nb\n", &[("User", "a\\\\ b")], &[]),
        // An empty line ends the continuation; a blank line joins and ends it.
        ("User=a \\\n\nFoo\n", &[("User", "a")], &["Foo"]),
        // A comment line ending in `\` does not continue.
        ("User=a \\\n# c \\\nFoo\n", &[("User", "a  Foo")], &[]),
        // Key and `=` may come from different lines.
        ("Ke\\\ny=v\n", &[("Ke y", "v")], &[]),
        ("Key\\\n=v\n", &[("Key", "v")], &[]),
        // A header line after a continuation becomes part of the value.
        ("User=a \\\n[Install]\n", &[("User", "a  [Install]")], &[]),
        ("User=a \\\n   \\\n  b\n", &[("User", "a        b")], &[]),
    ];
    for (body, expected, bad) in cases {
        let text = format!("[Service]\n{body}");
        let doc = check(&text);
        let got: Vec<(&str, &str)> = doc
            .assignments_in("Service")
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(got, expected, "{body:?}");
        let spots: Vec<&str> = doc.errors.iter().map(|e| e.range.slice(&text)).collect();
        assert_eq!(spots, bad, "{body:?}");
    }
}

#[test]
fn continuation_at_end_of_file_just_ends() {
    let text = "[Service]\nUser=a \\";
    let doc = check(text);
    let user = &doc.sections[0].assignments[0];
    assert_eq!(user.value, "a");
    // systemd numbers the final parse one past the last line.
    assert_eq!(user.line, 3);
    assert_eq!(
        doc.tokens.last().map(|t| t.kind),
        Some(TokenKind::Continuation)
    );

    let doc = check("[Service]\nUser=a \\\n# trailing comment\n");
    assert_eq!(triples(&doc), [("Service", "User", "a")]);
}

#[test]
fn continued_header_and_header_corners() {
    let text = "[Serv\\\nice]\n[]\n[ X ]\n[A=B]\n";
    let doc = check(text);
    let names: Vec<(&str, u32)> = doc
        .sections
        .iter()
        .map(|s| (s.name.as_str(), s.line))
        .collect();
    assert_eq!(names, [("Serv ice", 2), ("", 3), (" X ", 4), ("A=B", 5)]);
    assert_eq!(doc.sections[0].header_range.slice(text), "[Serv\\\nice]");
    let headers = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::SectionHeader)
        .count();
    assert_eq!(headers, 5);
}

#[test]
fn tricky_inputs_round_trip() {
    let inputs = [
        "",
        "\n",
        "\r",
        "\0",
        "\\",
        "\\\\",
        "[",
        "]",
        "=",
        "#",
        ";",
        "\u{feff}",
        "\u{feff}\u{feff}",
        "[Service",
        "[Service]]",
        "a=b\\",
        "a=b\\\r\n",
        "\r\n\r\n",
        "\n\r\n\r",
        "\0\0\n\0",
        " \t \\\n\\\n\\",
        "[é]\nk=é\\\né",
        "x\u{feff}=\u{feff}",
        "#\\\n\\\n#",
        "=\\\n=",
        "[A]\n\u{7f}=\u{0}\n",
        "\u{2028}[A]\u{2029}",
    ];
    for input in inputs {
        check(input);
    }
}

#[test]
fn debian_unit_from_the_corpus() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/debian-bookworm-php8.2/lib/systemd/system/php8.2-fpm.service"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let doc = check(&text);
    assert!(doc.errors.is_empty());
    let names: Vec<&str> = doc.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Unit", "Service", "Install"]);
    let post = doc
        .assignments_in("Service")
        .find(|a| a.key == "ExecStartPost")
        .unwrap();
    assert_eq!(exec_prefixes(&post.value).0, "-");
    let reload = doc
        .assignments_in("Service")
        .find(|a| a.key == "ExecReload")
        .unwrap();
    assert_eq!(reload.value, "/bin/kill -USR2 $MAINPID");
    assert_eq!(reload.line, 11);
}
