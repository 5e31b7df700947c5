//! Property tests: any input round-trips, nothing panics, and the reader agrees with the plain
//! port of systemd's loop in `model.rs`. Also the shared corpus and large inputs.

use proptest::prelude::*;

use super::model::{self, Outcome};
use super::tests::check;
use super::{LONG_LINE_MAX, UnitDoc};

/// A valid unit plus a drop-in's worth of hardening, to mutate.
const VALID: &str = "[Unit]\nDescription=The PHP 8.2 FastCGI Process Manager\r\n\n[Service]\n\
Type=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n\
ExecStartPost=-/usr/lib/php/php-fpm-socket-helper install /run/php/php-fpm.sock 82\n\
CapabilityBoundingSet=CAP_SETUID CAP_SETGID \\\n# not CAP_SYS_ADMIN\n  CAP_CHOWN CAP_KILL\n\
; comment\nProtectSystem=strict # ro\nReadWritePaths=\n  NoNewPrivileges = on\n\n[Install]\nWantedBy=multi-user.target\n";

/// Fragments that matter to systemd's reader, to build hostile inputs from.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "=",
    "\\",
    "\\\\",
    "#",
    ";",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n\r",
    "\0",
    "\u{feff}",
    "a",
    "Key",
    "é",
    "\"",
    "\u{b}",
    "[Service]",
    "[X-Foo]",
    "Key=",
    "=value",
    " \\\n",
    "\\\n#c\n",
    "ExecStart=-/bin/true",
    "\u{1F600}",
];

/// What the reader says, in the model's terms.
fn outcome(doc: &UnitDoc) -> Outcome {
    let mut assignments: Vec<(String, String, String, u32)> = doc
        .sections
        .iter()
        .flat_map(|s| {
            s.assignments
                .iter()
                .map(|a| (s.name.clone(), a.key.clone(), a.value.clone(), a.line))
        })
        .collect();
    assignments.sort_by_key(|a| a.3);
    let headers = doc
        .sections
        .iter()
        .filter(|s| !s.header_range.is_empty())
        .map(|s| (s.name.clone(), s.line))
        .collect();
    let mut messages: Vec<&'static str> =
        doc.errors.iter().map(|e| model::tag(&e.message)).collect();
    messages.sort_unstable();
    Outcome {
        assignments,
        headers,
        messages,
    }
}

/// Round trip, invariants, and agreement with the model.
fn agree(text: &str) {
    let doc = check(text);
    let mut expected = model::run(text);
    expected.messages.sort_unstable();
    assert_eq!(outcome(&doc), expected, "input: {text:?}");
}

/// Applies `(position, cut, insert)` edits; positions are snapped to char boundaries.
fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> String {
    let mut text = base.to_owned();
    for &(position, cut, insert) in edits {
        let snap = |mut at: usize, text: &str| {
            at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let start = snap(position % (text.len() + 1), &text);
        let end = snap(start + cut % 4, &text);
        let fragment = FRAGMENTS[insert % FRAGMENTS.len()];
        text.replace_range(start..end, fragment);
    }
    text
}

proptest! {
    #[test]
    fn any_string_round_trips(text in any::<String>()) {
        agree(&text);
    }

    #[test]
    fn fragment_soup_round_trips(parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80)) {
        agree(&parts.concat());
    }

    #[test]
    fn mutated_unit_round_trips(edits in prop::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..12)) {
        agree(&mutate(VALID, &edits));
    }
}

#[test]
fn valid_unit_agrees_with_model() {
    agree(VALID);
    let doc = check(VALID);
    assert!(doc.errors.is_empty());
}

#[test]
fn every_corpus_file_round_trips() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");
    let mut stack = vec![std::path::PathBuf::from(root)];
    let mut files = 0;
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            agree(&text);
            files += 1;
        }
    }
    assert!(files >= 10, "corpus not found under {root}");
}

/// Shapes that would be quadratic in a naive reader; each must finish quickly.
#[test]
fn large_inputs_stay_linear() {
    let many_lines = "[Service]\nExecStart=/bin/true\n# c\n\r\n".repeat(100_000);
    assert_eq!(check(&many_lines).sections.len(), 100_000);

    let one_logical = format!("[Service]\nA=x{}", " \\\n# c\ny".repeat(100_000));
    let doc = check(&one_logical);
    assert_eq!(doc.sections[0].assignments[0].value_pieces.len(), 100_001);
    assert_eq!(doc.errors.len(), 0);

    let backslashes = format!("[Service]\nA={}\n", "\\".repeat(LONG_LINE_MAX - 3));
    assert!(check(&backslashes).errors.is_empty());

    let newlines = "\n\r\0".repeat(300_000);
    assert_eq!(check(&newlines).line_starts.len(), 300_000);

    agree(&"[A]\nB=\\\n".repeat(20_000));
}
