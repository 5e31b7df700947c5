//! A host with two apps, `S` (shop) and `B` (blog), each with its own user and group, and one
//! planted problem per evidence rule. Owners and groups in the tables: `root`, `S`, `B`.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Command, Output};

use super::accounts::{Accounts, may_create_accounts};

#[derive(Debug, Clone, Copy)]
enum Kind {
    Dir,
    File,
    Socket,
}

use Kind::{Dir, File, Socket};

/// Every path of the host's app trees: (path, kind, mode, owner, group).
const TREE: &[(&str, Kind, u32, &str, &str)] = &[
    ("/run", Dir, 0o755, "root", "root"),
    ("/run/php", Dir, 0o755, "root", "root"),
    // FS-006: the pool asks for 0660.
    ("/run/php/shop.sock", Socket, 0o666, "S", "S"),
    ("/run/php/blog.sock", Socket, 0o660, "B", "B"),
    ("/srv", Dir, 0o755, "root", "root"),
    ("/srv/shop", Dir, 0o755, "root", "S"),
    ("/srv/shop/public", Dir, 0o755, "root", "S"),
    // FS-002: code owned by the pool user.
    ("/srv/shop/public/index.php", File, 0o644, "S", "S"),
    // FPM-310: blog's group may write into the shop's uploads.
    ("/srv/shop/public/uploads", Dir, 0o770, "S", "B"),
    // FS-005: PHP in a writable upload directory under the web root.
    ("/srv/shop/public/uploads/shell.php", File, 0o660, "S", "S"),
    ("/srv/shop/upload-tmp", Dir, 0o700, "S", "S"),
    ("/srv/blog", Dir, 0o750, "root", "B"),
    // FS-003: root's, but writable by the pool's group.
    ("/srv/blog/public", Dir, 0o775, "root", "B"),
    ("/srv/blog/public/index.php", File, 0o644, "root", "B"),
    // FS-001: world-writable without the sticky bit.
    ("/srv/blog/public/tmp", Dir, 0o777, "root", "root"),
    ("/srv/blog/upload-tmp", Dir, 0o700, "B", "B"),
    ("/var", Dir, 0o755, "root", "root"),
    ("/var/lib", Dir, 0o755, "root", "root"),
    ("/var/lib/php", Dir, 0o755, "root", "root"),
    ("/var/lib/php/sessions", Dir, 0o1733, "root", "root"),
    // FS-004: everyone can list the shop's session ids.
    ("/var/lib/php/sessions/shop", Dir, 0o755, "S", "S"),
    ("/var/lib/php/sessions/blog", Dir, 0o700, "B", "B"),
];

/// What must be found: (rule, the path it names; for FPM-102 the group).
const PLANTED: &[(&str, &str)] = &[
    ("FPM-102", "adm"),
    ("FPM-310", "/srv/shop/public/uploads"),
    ("FS-001", "/srv/blog/public/tmp"),
    ("FS-002", "/srv/shop/public/index.php"),
    ("FS-003", "/srv/blog/public"),
    ("FS-004", "/var/lib/php/sessions/shop"),
    ("FS-005", "/srv/shop/public/uploads/shell.php"),
    ("FS-006", "/run/php/shop.sock"),
];

const EVIDENCE_RULES: &[&str] = &[
    "FPM-102", "FPM-310", "FS-001", "FS-002", "FS-003", "FS-004", "FS-005", "FS-006",
];

const POOLS: &str = "[shop]
user = S
group = S
listen = /run/php/shop.sock
listen.owner = S
listen.group = S
listen.mode = 0660
pm = ondemand
pm.max_children = 5
chdir = /srv/shop
php_admin_value[session.save_path] = /var/lib/php/sessions/shop
php_admin_value[upload_tmp_dir] = /srv/shop/upload-tmp
php_admin_value[sys_temp_dir] = /srv/shop/upload-tmp

[blog]
user = B
group = B
listen = /run/php/blog.sock
listen.owner = B
listen.group = B
listen.mode = 0660
pm = ondemand
pm.max_children = 5
chdir = /srv/blog
php_admin_value[session.save_path] = /var/lib/php/sessions/blog
php_admin_value[upload_tmp_dir] = /srv/blog/upload-tmp
php_admin_value[sys_temp_dir] = /srv/blog/upload-tmp
";

const SITES: &str = "server {
    server_name shop.example;
    root /srv/shop/public;
    location ~ \\.php$ { try_files $uri =404; fastcgi_pass unix:/run/php/shop.sock; }
}
server {
    server_name blog.example;
    root /srv/blog/public;
    location ~ \\.php$ { try_files $uri =404; fastcgi_pass unix:/run/php/blog.sock; }
}
";

fn fpmaudit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// uid or gid of a name, from `id`.
fn id_of(flag: &str, name: &str) -> u32 {
    let out = Command::new("id").args([flag, name]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

fn build(root: &Path, accounts: &Accounts) {
    let name = |token: &str| match token {
        "S" => accounts.name(0).to_string(),
        "B" => accounts.name(1).to_string(),
        other => other.to_string(),
    };
    let named = |text: &str| {
        text.replace("= S\n", &format!("= {}\n", name("S")))
            .replace("= B\n", &format!("= {}\n", name("B")))
    };
    let write = |host: &str, text: &str| {
        let path = root.join(host.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("/etc/php/8.2/fpm/pool.d/www.conf", &named(POOLS));
    write("/etc/nginx/sites-enabled/apps", SITES);
    let mut listeners = Vec::new();
    for (host, kind, _, _, _) in TREE {
        let path = root.join(host.trim_start_matches('/'));
        match kind {
            Dir => std::fs::create_dir_all(&path).unwrap(),
            File => std::fs::write(&path, "<?php\n").unwrap(),
            Socket => listeners.push(std::os::unix::net::UnixListener::bind(&path).unwrap()),
        }
    }
    for (host, _, mode, owner, group) in TREE {
        let path = root.join(host.trim_start_matches('/'));
        let uid = id_of("-u", &name(owner));
        let gid = match *group {
            "root" => 0,
            g => id_of("-g", &name(g)),
        };
        std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode)).unwrap();
    }
    // The databases as the host has them now, test accounts included.
    for db in ["passwd", "group"] {
        std::fs::copy(format!("/etc/{db}"), root.join("etc").join(db)).unwrap();
    }
}

/// (rule, named path) of every evidence finding; FPM-102 names the group of its line.
fn planted_keys(report: &serde_json::Value, root: &Path) -> BTreeSet<(String, String)> {
    evidence(report)
        .into_iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap().to_string();
            let message = f["message"].as_str().unwrap();
            let named = if f["path"] == "/etc/group" {
                let text = std::fs::read_to_string(root.join("etc/group")).unwrap();
                let line = usize::try_from(f["line"].as_u64().unwrap()).unwrap();
                let record = text.lines().nth(line - 1).unwrap();
                record.split(':').next().unwrap().to_string()
            } else {
                message
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .find(|t| t.starts_with('/'))
                    .unwrap_or_else(|| panic!("no path in {message}"))
                    .to_string()
            };
            (rule, named)
        })
        .collect()
}

fn evidence(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| EVIDENCE_RULES.contains(&f["rule"].as_str().unwrap()))
        .cloned()
        .collect()
}

#[test]
fn live_mode_finds_the_planted_problems_and_the_pasted_snapshot_agrees() {
    if !may_create_accounts() {
        return;
    }
    let accounts = Accounts::create(&["s", "b"]);
    accounts.join(1, "adm");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    build(root, &accounts);
    let root_arg = root.to_str().unwrap();

    let live = json(&fpmaudit(&[
        "check", "--live", "--root", root_arg, "--format", "json",
    ]));
    let expected: BTreeSet<(String, String)> = PLANTED
        .iter()
        .map(|(r, p)| ((*r).to_string(), (*p).to_string()))
        .collect();
    assert_eq!(planted_keys(&live, root), expected, "live mode");
    assert!(
        live["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "/fpmaudit/fs-snapshot.txt" && f["kind"] == "fs-snapshot"),
        "live mode shows its snapshot as a file"
    );

    // The command the app shows, run on the same tree, pasted back as one bundle.
    let command =
        String::from_utf8(fpmaudit(&["snapshot-command", "--root", root_arg]).stdout).unwrap();
    let rest = command
        .trim()
        .strip_prefix("cd / && ")
        .unwrap_or_else(|| panic!("unexpected command: {command}"));
    let at_root = format!("cd '{root_arg}' && {rest}");
    let collected = Command::new("sh").arg("-c").arg(&at_root).output().unwrap();
    assert!(collected.status.success(), "{at_root}");
    std::fs::create_dir_all(root.join("fpmaudit")).unwrap();
    std::fs::write(root.join("fpmaudit/collected.txt"), &collected.stdout).unwrap();
    let pasted = json(&fpmaudit(&[
        "check", "--root", root_arg, "--format", "json",
    ]));
    let kinds: BTreeSet<(String, String)> = pasted["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["kind"].as_str().unwrap().into(),
            )
        })
        .filter(|(p, _): &(String, String)| {
            !p.starts_with("/etc/php") && !p.starts_with("/etc/nginx")
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("/etc/group", "group"),
            ("/etc/passwd", "passwd"),
            ("/fpmaudit/fs-snapshot.txt", "fs-snapshot"),
        ]
        .map(|(p, k)| (p.to_string(), k.to_string()))
        .into_iter()
        .collect()
    );
    assert_eq!(planted_keys(&pasted, root), expected, "pasted snapshot");
    assert_eq!(
        evidence(&pasted),
        evidence(&live),
        "same findings, same lines, both paths"
    );
    drop(accounts);
}
