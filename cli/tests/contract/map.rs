//! `fpmaudit map`: the shared-hosting scenario's lateral paths carry the right rule ids, the
//! JSON graph matches its snapshot, and the SVG in the README (docs/trust-map.svg) is what the
//! CLI draws today. `FPMAUDIT_BLESS=1` rewrites the snapshot and the SVG after a reviewed change.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn map(format: &str, root: &Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
        .args(["map", "--format", format, "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn golden(path: &Path, actual: &[u8]) {
    if std::env::var_os("FPMAUDIT_BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
    }
    let expected = std::fs::read(path)
        .unwrap_or_else(|_| panic!("missing {} (FPMAUDIT_BLESS=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} is not current: run the map tests with FPMAUDIT_BLESS=1 and review the change",
        path.display()
    );
}

#[test]
fn the_shared_hosting_map_shows_its_lateral_paths() {
    let scenario = repo().join("tests/scenarios/three-apps");
    let json: serde_json::Value =
        serde_json::from_slice(&map("json", &scenario.join("root"))).unwrap();
    let mut rules: Vec<&str> = json["laterals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "FPM-106", "FPM-302", "FPM-303", "FPM-304", "FPM-305", "NGX-006"
        ]
    );
    let node = |id: &str| {
        json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"))
            .clone()
    };
    // The shared pool, with the line that opens it.
    let www = node("pool:www");
    assert!(
        www["risks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "NGX-006")
    );
    assert_eq!(www["origin"]["path"], "/etc/php/8.2/fpm/pool.d/www.conf");
    assert_eq!(www["origin"]["line"], 2);
    // The shop has a pool of its own: not part of the shared-pool path.
    let shop_site = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "shop.example.org")
        .unwrap();
    assert!(shop_site["risks"].as_array().unwrap().is_empty());
    // Routes keep the fastcgi_pass line.
    let route = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "routes-to" && e["to"] == "endpoint:unix:/run/php/shop.sock")
        .unwrap();
    assert_eq!(route["origin"]["path"], "/etc/nginx/sites-enabled/shop");
    assert_eq!(route["origin"]["line"], 15);

    golden(
        &scenario.join("map.json"),
        &map("json", &scenario.join("root")),
    );
}

#[test]
fn the_readme_svg_is_current() {
    let svg = map("svg", &repo().join("tests/scenarios/three-apps/root"));
    let text = String::from_utf8(svg.clone()).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains("NGX-006") && text.contains("role=\"img\""));
    golden(&repo().join("docs/trust-map.svg"), &svg);
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("docs/trust-map.svg"),
        "the README shows the map"
    );
}

#[test]
fn dot_and_the_corpus_map_are_well_formed() {
    let corpus = repo().join("../shared/corpus/debian-bookworm-php8.2");
    let dot = String::from_utf8(map("dot", &corpus)).unwrap();
    assert!(dot.starts_with("digraph trust {") && dot.trim_end().ends_with('}'));
    let json: serde_json::Value = serde_json::from_slice(&map("json", &corpus)).unwrap();
    // Debian's stock pool runs as nginx's user: the map says so.
    assert!(
        json["laterals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rule"] == "FPM-302")
    );
}
