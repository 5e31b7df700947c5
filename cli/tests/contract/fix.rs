//! `fpmaudit fix`: `--out DIR` writes the whole hardened tree at host paths, `--diff` prints a
//! patch that `git apply` turns into the same tree, and the audited tree itself is never written.

use std::path::Path;
use std::process::Command;

use crate::fpmaudit;

/// `fpmaudit check --format json --root DIR`, parsed: how a hardened tree is re-audited.
fn json_report(root: &Path) -> serde_json::Value {
    let check = fpmaudit(&[
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    serde_json::from_slice(&check.stdout).unwrap()
}

const POOL: &str = "etc/php/8.2/fpm/pool.d/www.conf";
const INI: &str = "etc/php/8.2/fpm/php.ini";

fn insecure_host() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        (
            POOL,
            "; shop pool\r\n[www]\r\nuser = shop\r\nlisten = 9000 ; public\r\npm = static\r\npm.max_children = 4\r\n[blog]\r\nuser = blog\r\nlisten = /run/php/blog.sock\r\nlisten.mode = 0666\r\npm = static\r\npm.max_children = 4\r\n",
        ),
        (
            INI,
            "[PHP]\nexpose_php = On\n; keep this comment\nallow_url_include = On\n",
        ),
    ] {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    dir
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

#[test]
fn out_writes_the_hardened_tree_and_leaves_the_host_alone() {
    let host = insecure_host();
    let before = read(host.path(), POOL);
    let out = tempfile::tempdir().unwrap();
    let run = fpmaudit(&[
        "fix",
        "--root",
        host.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        read(host.path(), POOL),
        before,
        "the audited tree is untouched"
    );
    let pool = read(out.path(), POOL);
    assert!(pool.starts_with("; shop pool\r\n[www]\r\n"), "{pool:?}");
    assert!(
        pool.contains("listen = 127.0.0.1:9000 ; public\r\n"),
        "{pool:?}"
    );
    assert!(pool.contains("listen.mode = 0660\r\n"), "{pool:?}");
    let ini = read(out.path(), INI);
    assert!(
        ini.contains("expose_php = Off\n; keep this comment\n"),
        "{ini:?}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("need review"), "{stderr}");
    assert!(stderr.contains("review FPM-103"), "{stderr}");

    // The hardened tree no longer has what was fixed.
    let report = json_report(out.path());
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for fixed in ["FPM-103", "FPM-106", "INI-101", "INI-104"] {
        assert!(!rules.contains(&fixed), "{fixed} still reported: {rules:?}");
    }
}

#[test]
fn safe_only_keeps_the_fixes_that_need_review() {
    let host = insecure_host();
    let out = tempfile::tempdir().unwrap();
    let run = fpmaudit(&[
        "fix",
        "--safe-only",
        "--root",
        host.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(read(out.path(), POOL).contains("listen = 9000 ; public"));
    assert!(read(out.path(), INI).contains("expose_php = Off"));
}

#[test]
fn the_diff_applies_with_git_to_the_same_tree() {
    let host = insecure_host();
    let out = tempfile::tempdir().unwrap();
    let root = host.path().to_str().unwrap();
    let written = fpmaudit(&["fix", "--root", root, "--out", out.path().to_str().unwrap()]);
    assert_eq!(written.status.code(), Some(0));
    let diff = fpmaudit(&["fix", "--root", root, "--diff"]);
    assert_eq!(diff.status.code(), Some(0));
    let patch = host.path().join("hardening.patch");
    std::fs::write(&patch, &diff.stdout).unwrap();
    let applied = Command::new("git")
        .args([
            "apply",
            "--unsafe-paths",
            "--whitespace=nowarn",
            "hardening.patch",
        ])
        .current_dir(host.path())
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "git apply: {}\n{}",
        String::from_utf8_lossy(&applied.stderr),
        String::from_utf8_lossy(&diff.stdout)
    );
    for path in [POOL, INI] {
        assert_eq!(read(host.path(), path), read(out.path(), path), "{path}");
    }
    // Fixing the hardened tree again gives an empty diff.
    let again = fpmaudit(&["fix", "--root", out.path().to_str().unwrap(), "--diff"]);
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn writing_over_the_audited_tree_is_refused() {
    let host = insecure_host();
    let root = host.path().to_str().unwrap();
    let run = fpmaudit(&["fix", "--root", root, "--out", root]);
    assert_eq!(run.status.code(), Some(2));
    let none = fpmaudit(&["fix", "--root", root]);
    assert_eq!(none.status.code(), Some(2), "--out or --diff is required");
}

#[test]
fn a_shared_pool_is_split_into_one_pool_per_site() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/three-apps/root");
    let out = tempfile::tempdir().unwrap();
    let run = fpmaudit(&[
        "fix",
        "--root",
        scenario.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("created /etc/php/8.2/fpm/pool.d/blog.conf"),
        "{stderr}"
    );
    for (site, socket) in [("blog", "blog"), ("wiki", "wiki"), ("shop", "shop")] {
        let conf = read(out.path(), &format!("etc/nginx/sites-enabled/{site}"));
        assert!(
            conf.contains(&format!("fastcgi_pass unix:/run/php/{socket}.sock;")),
            "{conf}"
        );
    }
    let blog = read(out.path(), "etc/php/8.2/fpm/pool.d/blog.conf");
    for line in [
        "[blog]",
        "user = blog",
        "listen = /run/php/blog.sock",
        "listen.mode = 0660",
        "php_admin_value[open_basedir] = /srv/blog/:",
        "php_admin_value[session.save_path] = /var/lib/php/sessions/blog",
    ] {
        assert!(blog.contains(line), "{line} missing in\n{blog}");
    }
    let script = read(out.path(), "root/fpmaudit-provision.sh");
    assert!(
        script.contains("useradd --system")
            && script.contains("install -d -o blog -g blog -m 0700")
    );
    // The sites no longer share a pool; the hardened tree re-audits without it.
    let report = json_report(out.path());
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for gone in ["NGX-006", "FPM-106"] {
        assert!(!rules.contains(&gone), "{gone} still reported: {rules:?}");
    }
    // And the patch form creates the same files with git.
    let diff = fpmaudit(&["fix", "--root", scenario.to_str().unwrap(), "--diff"]);
    let patch = String::from_utf8_lossy(&diff.stdout);
    assert!(
        patch.contains("--- /dev/null\n+++ b/etc/php/8.2/fpm/pool.d/blog.conf\n"),
        "{patch}"
    );
}

#[test]
fn the_debian_corpus_gets_a_hardening_drop_in() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/debian-bookworm-php8.2");
    let root = corpus.to_str().unwrap();
    let dropin = "etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf";
    let out = tempfile::tempdir().unwrap();
    let run = fpmaudit(&["fix", "--root", root, "--out", out.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&format!("created /{dropin}")), "{stderr}");
    assert!(stderr.contains("review SYD-001"), "{stderr}");
    let text = read(out.path(), dropin);
    assert!(text.starts_with("# Written by fpmaudit for php8.2-fpm.service"));
    assert!(
        text.contains("\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID\n"),
        "{text}"
    );
    // The diff shows it as a new file, and the hardened tree scores OK.
    let diff = fpmaudit(&["fix", "--root", root, "--diff"]);
    let patch = String::from_utf8_lossy(&diff.stdout);
    assert!(patch.contains(&format!("+++ b/{dropin}")), "{patch}");
    let report = json_report(out.path());
    let unit = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "php8.2-fpm.service")
        .unwrap();
    assert_eq!(unit["label"], "OK", "{unit}");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for gone in ["SYD-001", "SYD-002", "SYD-008", "SYD-010"] {
        assert!(!rules.contains(&gone), "{gone} still reported: {rules:?}");
    }
}
