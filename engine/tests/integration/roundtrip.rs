//! Every parser gives back its input byte for byte on every real file we have: the Debian
//! corpus and every fixture under tests/.

use std::path::{Path, PathBuf};

use fpmaudit_engine::detect::detect_kind;
use fpmaudit_engine::syntax::{accounts, ini, nginx, snapshot, systemd};

use crate::support::{corpus, fixtures};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn assert_round_trip(text: &str, path: &Path) {
    let shown = path.display();
    assert_eq!(
        ini::parse(text, ini::IniDialect::PhpIni).print(text),
        text,
        "php.ini reader: {shown}"
    );
    assert_eq!(
        ini::parse(text, ini::IniDialect::Fpm).print(text),
        text,
        "FPM reader: {shown}"
    );
    assert_eq!(
        nginx::parse(text).print(text),
        text,
        "nginx reader: {shown}"
    );
    assert_eq!(
        systemd::parse(text).print(text),
        text,
        "systemd reader: {shown}"
    );
    assert_eq!(
        snapshot::parse(text).print(text),
        text,
        "fs-snapshot reader: {shown}"
    );
    for database in [accounts::Database::Passwd, accounts::Database::Group] {
        assert_eq!(
            accounts::parse(text, database).print(text),
            text,
            "passwd/group reader: {shown}"
        );
    }
}

#[test]
fn every_reader_round_trips_every_file() {
    let mut files = Vec::new();
    walk(&corpus(), &mut files);
    walk(&fixtures(), &mut files);
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/examples"),
        &mut files,
    );
    let mut checked = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        assert_round_trip(&text, path);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} files found");
}

#[test]
fn corpus_files_are_detected_and_clean() {
    let mut files = Vec::new();
    walk(&corpus(), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let host = path
            .to_string_lossy()
            .split("debian-bookworm-php8.2")
            .nth(1)
            .unwrap()
            .to_string();
        let kind = detect_kind(&host, &text);
        let errors = match kind.as_str() {
            "php-ini" => ini::parse(&text, ini::IniDialect::PhpIni).errors.len(),
            "fpm-global" | "fpm-pool" => ini::parse(&text, ini::IniDialect::Fpm).errors.len(),
            "nginx" => nginx::parse(&text).errors.len(),
            "systemd-unit" | "systemd-dropin" => systemd::parse(&text).errors.len(),
            other => panic!("{host}: unexpected kind {other}"),
        };
        assert_eq!(errors, 0, "{host} ({}) has syntax errors", kind.as_str());
    }
}
