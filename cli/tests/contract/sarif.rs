//! `check --format sarif`: valid SARIF 2.1.0 by two independent readers — the OASIS schema
//! (as shipped in Microsoft's SARIF multitool package) through Python's jsonschema, and the
//! multitool's own `validate`, which adds the SARIF spec's rules the schema cannot express.
//! Both come from `scripts/setup.sh` (npm `@microsoft/sarif-multitool-linux`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn multitool_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../.tools/node_modules/@microsoft/sarif-multitool-linux")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/debian-bookworm-php8.2")
}

fn sarif(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), out.stdout)
}

fn validate(log: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    std::fs::write(&file, log).unwrap();

    let schema = multitool_dir().join("sarif-2.1.0.json");
    let script = "import json,sys,jsonschema\n\
                  schema=json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "SARIF schema: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let verdict = dir.path().join("validation.sarif");
    let out = Command::new(multitool_dir().join("Sarif.Multitool"))
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg("validate")
        .arg(&file)
        .arg("--output")
        .arg(&verdict)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Sarif.Multitool validate: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The verdict is itself SARIF: every result of level "error" is a violation of the spec.
    let verdict: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&verdict).unwrap()).unwrap();
    let errors: Vec<&serde_json::Value> = verdict["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter(|r| r["level"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "SARIF spec violations: {errors:#?}");
}

#[test]
fn the_debian_corpus_as_sarif_is_valid_and_locates_its_findings() {
    let (code, log) = sarif(&["--root", corpus().to_str().unwrap()]);
    assert_eq!(code, Some(1), "the corpus has high findings");
    validate(&log);
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        fpmaudit_engine_rule_count(),
        "every rule described"
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("file:///etc/")
                || uri.starts_with("file:///lib/")
                || uri.starts_with("file:///usr/"),
            "{uri}"
        );
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        let severity = rules[index]["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity));
    }
}

#[test]
fn fixes_and_related_locations_are_valid_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let pool = dir.path().join("etc/php/8.2/fpm/pool.d/www.conf");
    std::fs::create_dir_all(pool.parent().unwrap()).unwrap();
    // FPM-103 carries a fix; FPM-302 points at nginx's `user` line as a related location.
    std::fs::write(
        &pool,
        "[www]\nuser = www-data\ngroup = www-data\nlisten = 9000\n",
    )
    .unwrap();
    let nginx = dir.path().join("etc/nginx/nginx.conf");
    std::fs::create_dir_all(nginx.parent().unwrap()).unwrap();
    std::fs::write(&nginx, "user www-data;\nevents {}\nhttp {}\n").unwrap();
    let (code, log) = sarif(&["--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    validate(&log);
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let listen = results.iter().find(|r| r["ruleId"] == "FPM-103").unwrap();
    assert_eq!(listen["level"], "error");
    assert_eq!(
        listen["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    let replacement = &listen["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "127.0.0.1:9000");
    assert_eq!(replacement["deletedRegion"]["startLine"], 4);
    let web_user = results.iter().find(|r| r["ruleId"] == "FPM-302").unwrap();
    assert_eq!(
        web_user["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "file:///etc/nginx/nginx.conf"
    );
}

/// The rule count as the CLI lists it, so this test does not restate it.
fn fpmaudit_engine_rule_count() -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array().unwrap().len()
}
