//! Differential tests against nginx 1.22 (`/usr/sbin/nginx`).
//!
//! Parsing: every file nginx accepts (`nginx -t`) must read without a syntax error, and every
//! file it rejects for a syntax reason must give one, on the line nginx names where the two
//! can be compared. nginx stops at its first error and also fails for reasons our reader
//! cannot know (unknown directives, wrong argument counts, files it cannot open), so its
//! messages are sorted into two classes:
//!
//! - syntax (we must report an error): `unexpected "x"`, `unexpected end of file...`,
//!   `directive "x" has no opening "{"`, `too long parameter...`, and `unknown directive "x"`
//!   when `x` is not a word (`1,2}/`, a BOM before `events`: junk made by bad tokenizing);
//! - everything else, including `directive "x" is not terminated by ";"`: telling it apart
//!   needs the table of which directives take blocks, which the lossless reader does not have
//!   (`add_header X y` + newline + `location / {` reads as a block named `add_header`).
//!   For these we only check that we report nothing *before* nginx's line: nginx read that
//!   far without a syntax problem.
//!
//! Lines: nginx names the line its reader is on when it notices (for "unexpected end of file"
//! the last line; we point at the block or string left open instead), so lines are compared
//! for every syntax message except end-of-file ones.
//!
//! Includes: the order `nginx -T` reads files in must be the order our model expands them.
//! Locations: a live nginx answers requests on unix sockets, and our `find_location` (with
//! its own PCRE subset) must pick the same location for every URI (see `live.rs`).

mod dump;
mod generate;
mod live;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use fpmaudit_engine::syntax::nginx;
use fpmaudit_engine::text::LineIndex;

use crate::support::{Rng, fixtures, program, run, scratch};

/// nginx's verdict on a config.
#[derive(Debug)]
enum Verdict {
    Accepted,
    /// The first error: the file (relative to the prefix), its 1-based line and the message.
    Rejected {
        file: String,
        line: usize,
        message: String,
    },
}

/// Runs `nginx -t` on `files` (relative paths; the first is the main config) inside `dir`.
fn nginx_t(dir: &Path, files: &[(String, String)]) -> (Verdict, String) {
    let _ = std::fs::remove_dir_all(dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let main = dir.join(&files[0].0);
    let globals = format!("pid {0}/nginx.pid; error_log {0}/error.log;", dir.display());
    let (ok, _, stderr) = run(Command::new(program(&["nginx"]))
        .arg("-t")
        .arg("-q")
        .arg("-p")
        .arg(format!("{}/", dir.display()))
        .arg("-c")
        .arg(&main)
        .arg("-g")
        .arg(globals));
    if ok {
        return (Verdict::Accepted, stderr);
    }
    let emerg = stderr
        .lines()
        .find_map(|l| l.split_once("[emerg] ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("nginx failed without [emerg]: {stderr}"));
    let (_, rest) = emerg.split_once(": ").unwrap();
    let (message, place) = rest.rsplit_once(" in ").unwrap();
    let (path, line) = place.rsplit_once(':').unwrap();
    let file = path
        .strip_prefix(&format!("{}/", dir.display()))
        .unwrap_or(path)
        .to_string();
    let verdict = Verdict::Rejected {
        file,
        line: line.trim().parse().unwrap(),
        message: message.to_string(),
    };
    (verdict, stderr)
}

/// Whether nginx's message is one our reader must report (see the module docs).
fn is_syntax(message: &str) -> bool {
    let junk_directive = message
        .strip_prefix("unknown directive \"")
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|name| !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    message.starts_with("unexpected ")
        || message.contains("has no opening \"{\"")
        || message.starts_with("too long parameter")
        || junk_directive
}

fn is_eof(message: &str) -> bool {
    message.starts_with("unexpected end of file")
}

/// Our errors in one file as (1-based line, message).
fn our_errors(text: &str) -> Vec<(usize, String)> {
    let index = LineIndex::new(text);
    nginx::parse(text)
        .errors
        .into_iter()
        .map(|e| (index.line_of(e.range.start) + 1, e.message))
        .collect()
}

#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    accepted: usize,
    syntax: usize,
    lines_compared: usize,
    other: usize,
    /// nginx's messages outside the syntax class, by kind (quoted names removed).
    other_kinds: std::collections::BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, other: &Self) {
        self.cases += other.cases;
        self.accepted += other.accepted;
        self.syntax += other.syntax;
        self.lines_compared += other.lines_compared;
        self.other += other.other;
        for (kind, n) in &other.other_kinds {
            *self.other_kinds.entry(kind.clone()).or_default() += n;
        }
    }
}

/// Compares one config with nginx; panics with the config on a disagreement.
fn compare(dir: &Path, files: &[(String, String)], case: &str, tally: &mut Tally) {
    let (verdict, stderr) = nginx_t(dir, files);
    let shown = || {
        let mut s = format!("{case}\nnginx: {stderr}");
        for (name, text) in files {
            write!(s, "\n--- {name}:\n{text}").unwrap();
        }
        s
    };
    tally.cases += 1;
    match verdict {
        Verdict::Accepted => {
            tally.accepted += 1;
            for (name, text) in files {
                let errors = our_errors(text);
                assert!(
                    errors.is_empty(),
                    "nginx accepts {name} but we report {errors:?}\n{}",
                    shown()
                );
            }
        }
        Verdict::Rejected {
            file,
            line,
            message,
        } => {
            let Some((_, text)) = files.iter().find(|(name, _)| *name == file) else {
                // An error in a file we did not write (none expected): nothing to compare.
                tally.other += 1;
                return;
            };
            let errors = our_errors(text);
            let early: Vec<_> = errors
                .iter()
                .filter(|(l, m)| *l < line && !is_eof(m))
                .collect();
            assert!(
                early.is_empty(),
                "nginx read {file} up to line {line} ({message}) but we report {early:?}\n{}",
                shown()
            );
            if !is_syntax(&message) {
                tally.other += 1;
                let kind: String = message
                    .split('"')
                    .step_by(2)
                    .collect::<Vec<_>>()
                    .join("\"…\"");
                *tally.other_kinds.entry(kind).or_default() += 1;
                return;
            }
            tally.syntax += 1;
            if is_eof(&message) {
                assert!(
                    errors.iter().any(|(_, m)| is_eof(m)),
                    "nginx: {message}; we report {errors:?}\n{}",
                    shown()
                );
            } else {
                tally.lines_compared += 1;
                assert!(
                    errors.iter().any(|(l, _)| *l == line),
                    "nginx: {message} on line {line}; we report {errors:?}\n{}",
                    shown()
                );
            }
        }
    }
}

#[test]
fn generated_configs_parse_like_nginx() {
    const CASES: u64 = 1000;
    const WORKERS: u64 = 2;
    let base = scratch("oracle-nginx-generated");
    let mut total = Tally::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let dir = base.join(format!("w{worker}"));
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for case in (worker..CASES).step_by(usize::try_from(WORKERS).unwrap()) {
                        let mut rng = Rng::new(0x6E67_0000 + case);
                        let generated = generate::config(&mut rng);
                        compare(&dir, &generated.files, &format!("case {case}"), &mut tally);
                    }
                    tally
                })
            })
            .collect();
        for handle in handles {
            total.add(&handle.join().unwrap());
        }
    });
    println!(
        "nginx -t oracle: {} generated configs: {} accepted, {} syntax errors ({} lines compared), {} other errors",
        total.cases, total.accepted, total.syntax, total.lines_compared, total.other
    );
    for (kind, n) in &total.other_kinds {
        println!("  {n:4} × {kind}");
    }
    assert!(total.accepted > 200 && total.syntax > 100, "{total:?}");
}

fn fixture_files(kind: &str) -> Vec<(String, String)> {
    let dir = fixtures().join("parse/nginx").join(kind);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fixtures_parse_like_nginx() {
    let dir = scratch("oracle-nginx-fixtures");
    let mut tally = Tally::default();
    let valid = fixture_files("valid");
    let invalid = fixture_files("invalid");
    for (name, text) in &valid {
        let files = [("nginx.conf".to_string(), text.clone())];
        let (verdict, stderr) = nginx_t(&dir, &files);
        assert!(
            matches!(verdict, Verdict::Accepted),
            "valid/{name}: {stderr}"
        );
        compare(&dir, &files, &format!("valid/{name}"), &mut tally);
    }
    for (name, text) in &invalid {
        let files = [("nginx.conf".to_string(), text.clone())];
        compare(&dir, &files, &format!("invalid/{name}"), &mut tally);
        assert!(!our_errors(text).is_empty(), "invalid/{name}: no error");
    }
    assert_eq!(tally.accepted, valid.len());
    assert_eq!(tally.syntax, invalid.len(), "{tally:?}");
    println!(
        "nginx -t oracle: {} fixtures ({} valid, {} invalid, {} lines compared)",
        tally.cases,
        valid.len(),
        invalid.len(),
        tally.lines_compared
    );
}
