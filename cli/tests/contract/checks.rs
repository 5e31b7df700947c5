//! The CLI contract (DESIGN.md): flags, exit codes, host paths under --root, the JSON shape
//! (validated against shared/contract/report.schema.json), and calm behaviour on hostile input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::fpmaudit;

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/contract/report.schema.json")
}

/// Validates with Python's jsonschema (installed by scripts/setup.sh), an independent reader.
fn assert_valid(report: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    std::fs::write(&file, report).unwrap();
    let script = "import json,sys,jsonschema\n\
                  schema=json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(schema())
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "schema: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const POOL: &str = "/etc/php/8.2/fpm/pool.d/www.conf";

#[test]
fn listen_on_a_bare_port_is_fpm_103_at_its_line() {
    let dir = tree(&[(
        POOL,
        b"; pool\n[www]\nuser = app\nlisten = 9000\npm = static\n",
    )]);
    let out = fpmaudit(&[
        "check",
        "--format",
        "json",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_valid(&out.stdout);
    let report = json(&out);
    let hit = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "FPM-103")
        .expect("FPM-103");
    assert_eq!(hit["path"], POOL);
    assert_eq!(hit["line"], 4);
    assert_eq!(hit["column"], 1);
    assert_eq!(hit["end_line"], 4);
    assert_eq!(hit["severity"], "critical");
    assert_eq!(hit["fixable"], true);
    assert_eq!(report["files"][0]["kind"], "fpm-pool");
    assert_eq!(report["summary"]["critical"], 1);
    assert_eq!(report["version"], 1);
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = tree(&[(
        POOL,
        b"[www]\nuser = www-data\nlisten = /run/php/www.sock\n",
    )]);
    let root = dir.path().to_str().unwrap();
    assert_eq!(fpmaudit(&["check", "--root", root]).status.code(), Some(1));
    assert_eq!(
        fpmaudit(&["check", "--root", root, "--fail-on", "critical"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        fpmaudit(&["check", "--root", root, "--fail-on", "info"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(fpmaudit(&["check"]).status.code(), Some(2));
    assert_eq!(fpmaudit(&["check", "/no/such/file"]).status.code(), Some(2));
    assert_eq!(
        fpmaudit(&["check", "--fail-on", "severe", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(fpmaudit(&["bogus"]).status.code(), Some(2));
    assert_eq!(fpmaudit(&["explain", "XYZ-999"]).status.code(), Some(2));
}

#[test]
fn text_output_marks_the_offending_line() {
    let dir = tree(&[(POOL, b"[www]\nlisten = 0.0.0.0:9000\n")]);
    let out = fpmaudit(&[
        "check",
        "--color",
        "never",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("{POOL}:2:1: critical FPM-103")),
        "{text}"
    );
    assert!(
        text.contains("2 | listen = 0.0.0.0:9000\n  | ^^^^^^^^^^^^^^^^^^^^^\n"),
        "{text}"
    );
}

#[test]
fn paths_under_root_are_host_paths() {
    let dir = tree(&[
        (POOL, b"[www]\nlisten = 9000\n"),
        ("/etc/nginx/nginx.conf", b"user www-data;\nevents {}\n"),
        ("/etc/php/8.2/cli/php.ini", b"expose_php = On\n"),
    ]);
    let root = dir.path().to_str().unwrap();
    let report = json(&fpmaudit(&["check", "--format", "json", "--root", root]));
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&POOL), "{paths:?}");
    assert!(paths.contains(&"/etc/nginx/nginx.conf"), "{paths:?}");
    // The CLI SAPI's php.ini does not configure FPM.
    assert!(!paths.iter().any(|p| p.contains("/cli/")), "{paths:?}");
    // A host path given with --root is read inside the root.
    let one = json(&fpmaudit(&[
        "check",
        "--format",
        "json",
        "--root",
        root,
        "/etc/nginx",
    ]));
    assert_eq!(one["files"].as_array().unwrap().len(), 1);
    assert_eq!(one["files"][0]["path"], "/etc/nginx/nginx.conf");
}

#[test]
fn the_debian_corpus_reports_its_shared_user() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/debian-bookworm-php8.2");
    let out = fpmaudit(&[
        "check",
        "--format",
        "json",
        "--root",
        corpus.to_str().unwrap(),
    ]);
    assert_valid(&out.stdout);
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"FPM-302"), "{rules:?}");
    assert!(
        !rules.iter().any(|r| r.ends_with("-000")),
        "syntax errors in the corpus: {rules:?}"
    );
    // Debian's stock unit has no hardening: systemd-analyze scores it 9.6 UNSAFE, and the
    // root master keeps every capability with no ProtectSystem= and no system call filter.
    for id in ["SYD-001", "SYD-002", "SYD-008", "SYD-010"] {
        assert!(rules.contains(&id), "{id} missing: {rules:?}");
    }
    let units = report["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "{units:?}");
    assert_eq!(units[0]["path"], "/lib/systemd/system/php8.2-fpm.service");
    assert_eq!(units[0]["name"], "php8.2-fpm.service");
    assert_eq!(units[0]["exposure"], 9.6);
    assert_eq!(units[0]["label"], "UNSAFE");
}

#[test]
fn explain_and_rules_print_the_docs() {
    let out = fpmaudit(&["explain", "fpm-103"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("FPM-103 FastCGI listens on all interfaces (critical)"),
        "{text}"
    );
    assert!(text.contains("## Why is this bad?"), "{text}");
    let list = json(&fpmaudit(&["rules", "--format", "json"]));
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "FPM-106" && r["fixable"] == true)
    );
}

/// Hostile files are findings or nothing, never a crash, a hang or exit 2.
#[test]
fn hostile_input_gives_a_normal_exit() {
    let mut random = Vec::with_capacity(1 << 20);
    let mut x: u64 = 0x1234_5678;
    for _ in 0..(1 << 20) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.push(x.to_le_bytes()[0]);
    }
    let nested = "server {".repeat(200_000);
    let big = "[www]\nphp_admin_value[x] = y\n".repeat(400_000);
    let dir = tree(&[
        ("/etc/nginx/sites-enabled/random", &random),
        ("/etc/nginx/sites-enabled/nested", nested.as_bytes()),
        ("/etc/php/8.2/fpm/pool.d/big.conf", big.as_bytes()),
        (
            "/etc/php/8.2/fpm/pool.d/nul.conf",
            b"[a\0b]\nlisten\0= 9000\n\xff\xfe = \xc3\x28\n",
        ),
        ("/etc/php/8.2/fpm/php.ini", &random),
        ("/lib/systemd/system/php8.2-fpm.service", &random),
    ]);
    let started = Instant::now();
    let out = fpmaudit(&[
        "check",
        "--format",
        "json",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    let took = started.elapsed();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_valid(&out.stdout);
    assert!(took < Duration::from_mins(1), "took {took:?}");
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"NGX-000"), "{rules:?}");
}
