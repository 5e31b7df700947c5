//! Differential test: the php.ini values our model computes equal what
//! `php -n -c FILE -r 'echo ini_get(...)'` reports, and a file PHP stops reading is one where
//! we report the syntax error at the same line.

use std::fmt::Write as _;
use std::process::Command;

use fpmaudit_engine::model::Model;
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

use crate::support::{Rng, corpus, program, run, scratch};

/// Keys PHP registers as plain strings, so `ini_get` returns exactly what was parsed.
const KEYS: &[&str] = &[
    "user_agent",
    "auto_prepend_file",
    "auto_append_file",
    "doc_root",
    "user_dir",
    "error_prepend_string",
    "error_append_string",
    "sendmail_path",
    "mail.log",
    "session.cookie_domain",
    "unserialize_callback_func",
    "disable_functions",
    "open_basedir",
    "error_reporting",
];

const VALUES: &[&str] = &[
    "plain",
    "On",
    "off",
    "yes",
    "None",
    "null",
    "TRUE",
    "\"no\"",
    "'raw ${HOME} \\n'",
    "\"a;b\" ; comment",
    "a;b",
    "two  words   here  ",
    "\"esc \\\" \\\\ \\$ \\n\"",
    "E_ALL & ~E_NOTICE",
    "E_ALL & ~E_DEPRECATED & ~E_STRICT",
    "(E_ERROR | E_WARNING) ^ E_ERROR",
    "~E_ALL",
    "!0",
    "E_UNKNOWN_CONSTANT",
    "${HOME}/x",
    "\"${HOME}\"/y",
    "/srv/$pool/x",
    "\"multi\nline\"",
    "a \"b\" c",
    "",
    "123",
    "-5",
    "1.5",
    "0x1F",
    "{braces} [brackets]",
    "exec,system,passthru",
    // PHP stops reading the file at these:
    "p@ss!=1",
    "\"unterminated",
    "''",
    "a = b",
    "E_ALL &",
    "(E_ALL",
];

const JUNK_LINES: &[&str] = &[
    "; a comment",
    "[Section]",
    "[PATH=/srv/x]",
    "# hash comment",
    "bare_key_without_value",
    "# harden (see ticket)",
    "\t",
    "[HOST=example.org]",
    "[PHP]",
];

fn php_values(file: &std::path::Path) -> (Vec<String>, Option<u32>) {
    let php = program(&["php8.2", "php"]);
    let keys: Vec<String> = KEYS.iter().map(|k| format!("'{k}'")).collect();
    let code = format!(
        "foreach ([{}] as $k) {{ echo base64_encode((string) ini_get($k)), \"\\n\"; }}",
        keys.join(",")
    );
    let (_, stdout, stderr) = run(Command::new(php)
        .arg("-n")
        .arg("-c")
        .arg(file)
        .arg("-d")
        .arg("display_startup_errors=1")
        .arg("-r")
        .arg(code)
        .env_clear()
        .env("HOME", "/home/oracle"));
    let all = format!("{stdout}\n{stderr}");
    let error_line = all
        .lines()
        .find(|l| l.contains("syntax error"))
        .and_then(|l| l.rsplit("on line ").next())
        .and_then(|n| n.trim().parse().ok());
    let values = stdout
        .lines()
        .filter(|l| !l.contains(' ') && !l.is_empty() || l.is_empty())
        .map(|l| decode_base64(l.trim()))
        .collect::<Vec<_>>();
    let values = values
        .into_iter()
        .rev()
        .take(KEYS.len())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (values, error_line)
}

fn decode_base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for b in text.bytes().filter(|&b| b != b'=') {
        let v = u32::try_from(ALPHABET.iter().position(|&a| a == b).unwrap()).unwrap();
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xFF).unwrap());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Defaults `ini_get` reports when the file does not set a key (read once from php itself).
fn defaults(dir: &std::path::Path) -> Vec<String> {
    let empty = dir.join("empty.ini");
    std::fs::write(&empty, "").unwrap();
    php_values(&empty).0
}

fn compare(text: &str, dir: &std::path::Path, defaults: &[String], case: &str) -> usize {
    let file = dir.join("php.ini");
    std::fs::write(&file, text).unwrap();
    let (theirs, php_error_line) = php_values(&file);
    assert_eq!(
        theirs.len(),
        KEYS.len(),
        "{case}: php printed {theirs:?}\n--- php.ini:\n{text}"
    );
    let mut sources = SourceSet::new();
    let id = sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/php.ini",
        text,
        FileKind::PhpIni,
    ));
    let model = Model::build(&sources);
    let Some(fpmaudit_engine::model::Parsed::Ini(doc)) = model.parsed(id) else {
        unreachable!("php.ini is read as INI")
    };
    let source = sources.get(id).unwrap();
    let our_error_line = doc
        .errors
        .first()
        .map(|e| source.line_index.line_col(e.range.start, &source.text).line);
    assert_eq!(
        our_error_line.is_some(),
        php_error_line.is_some(),
        "{case}: syntax error: ours {our_error_line:?}, php {php_error_line:?}\n--- php.ini:\n{text}"
    );
    for (i, key) in KEYS.iter().enumerate() {
        let ours = model.php_ini.get(key).map_or_else(
            || defaults[i].clone(),
            // Only real `${}` references expand (single quotes keep `${HOME}` as text).
            |s| {
                if s.var_refs.is_empty() {
                    s.value.clone()
                } else {
                    s.value.replace("${HOME}", "/home/oracle")
                }
            },
        );
        assert_eq!(ours, theirs[i], "{case}: {key}\n--- php.ini:\n{text}");
    }
    KEYS.len()
}

#[test]
fn generated_php_ini_files_read_like_php() {
    let dir = scratch("oracle-ini");
    let defaults = defaults(&dir);
    let mut rng = Rng::new(0x1A1);
    let cases = 150;
    let mut values = 0;
    for case in 0..cases {
        let mut text = String::new();
        for _ in 0..=rng.below(8) {
            if rng.chance(25) {
                writeln!(text, "{}", rng.pick(JUNK_LINES)).unwrap();
            }
            let ws = if rng.chance(20) { "  " } else { "" };
            writeln!(text, "{ws}{} = {}", rng.pick(KEYS), rng.pick(VALUES)).unwrap();
        }
        if rng.chance(20) {
            text = text.replace('\n', "\r\n");
        }
        values += compare(&text, &dir, &defaults, &format!("case {case}"));
    }
    println!("php -n -c oracle: {cases} generated files, {values} values compared");
}

#[test]
fn every_value_alone_reads_like_php() {
    let dir = scratch("oracle-ini-values");
    let defaults = defaults(&dir);
    for (i, value) in VALUES.iter().enumerate() {
        for key in ["user_agent", "error_reporting"] {
            let text = format!("{key} = {value}\n");
            compare(&text, &dir, &defaults, &format!("value {i}: {value:?}"));
        }
    }
}

#[test]
fn debian_php_ini_reads_like_php() {
    let dir = scratch("oracle-ini-corpus");
    let defaults = defaults(&dir);
    for name in [
        "etc/php/8.2/fpm/php.ini",
        "usr/lib/php/8.2/php.ini-development",
        "usr/lib/php/8.2/php.ini-production",
    ] {
        let text = std::fs::read_to_string(corpus().join(name)).unwrap();
        compare(&text, &dir, &defaults, name);
    }
}
