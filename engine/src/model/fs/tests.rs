use super::*;
use crate::source::{FileKind, SourceFile, SourceSet};

fn evidence(snapshot: &str, passwd: &str, group: &str) -> FsEvidence {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/fpmaudit/fs-snapshot.txt",
        snapshot,
        FileKind::FsSnapshot,
    ));
    sources.add(SourceFile::new("/etc/passwd", passwd, FileKind::Passwd));
    sources.add(SourceFile::new("/etc/group", group, FileKind::Group));
    crate::model::Model::build(&sources).fs
}

const SNAPSHOT: &str = "# fpmaudit fs-snapshot v1
drwxr-xr-x root root 0 0 /srv
drwxr-x--- root shop 0 1001 /srv/shop
drwxrwsr-x root shop 0 1001 /srv/shop/public
-rw-r--r-- shop shop 1001 1001 /srv/shop/public/index.php
drwxrwxrwt root root 0 0 /srv/shop/tmp
-rw-r--r-- blog blog 1002 1002 /srv/shop/tmp/x
drwxr-xr-x root root 0 0 /srv/shop-admin
";
const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\nshop:x:1001:1001::/srv/shop:/bin/false\nblog:x:1002:1002::/srv/blog:/bin/false\nann:x:1003:1003::/home/ann:/bin/bash\n";
const GROUP: &str = "root:x:0:\nshop:x:1001:\nblog:x:1002:\nann:x:1003:\nsudo:x:27:ann\n";

#[test]
fn paths_and_subtrees() {
    let fs = evidence(SNAPSHOT, PASSWD, GROUP);
    assert!(fs.has_snapshot && fs.has_passwd && fs.has_groups);
    let under: Vec<_> = fs.under("/srv/shop/").map(|e| e.path.as_str()).collect();
    assert_eq!(
        under,
        [
            "/srv/shop",
            "/srv/shop/public",
            "/srv/shop/public/index.php",
            "/srv/shop/tmp",
            "/srv/shop/tmp/x"
        ]
    );
    assert_eq!(
        ancestors("/srv/shop/public").collect::<Vec<_>>(),
        ["/srv/shop", "/srv", "/"]
    );
    assert_eq!(normalize("//srv/./shop/"), "/srv/shop");
}

#[test]
fn access_by_class_traversal_and_sticky() {
    let fs = evidence(SNAPSHOT, PASSWD, GROUP);
    let shop = fs.identity("shop", Some("shop"));
    let blog = fs.identity("blog", None);
    let ann = fs.identity("ann", None);
    assert_eq!(shop.uid, Some(1001));
    assert!(ann.groups.contains(&"sudo".to_string()));
    let public = fs.entry("/srv/shop/public").unwrap();
    assert_eq!(
        fs.can_write(&shop, public),
        Some(Grant::Group("shop".into()))
    );
    // blog cannot even pass /srv/shop (root:shop 0750).
    assert_eq!(
        fs.can_read(&blog, fs.entry("/srv/shop/public/index.php").unwrap()),
        None
    );
    let index = fs.entry("/srv/shop/public/index.php").unwrap();
    assert_eq!(fs.can_write(&shop, index), Some(Grant::Owner));
    // The sticky /srv/shop/tmp: shop may write into it but not replace blog's file.
    let x = fs.entry("/srv/shop/tmp/x").unwrap();
    assert_eq!(fs.can_replace(&shop, x), None);
    assert!(fs.can_replace(&fs.identity("root", None), x).is_some());
}

/// A 100,000-line snapshot (a big vendor tree) parses and audits in well under a second in a
/// release build; the bound here is loose for debug builds on a busy machine.
#[test]
fn large_snapshots_stay_responsive() {
    use std::fmt::Write as _;
    let mut snapshot =
        String::from("# fpmaudit fs-snapshot v1\ndrwxr-x--- root shop 0 1001 /srv/shop\n");
    for dir in 0..1000 {
        let _ = writeln!(
            snapshot,
            "drwxr-x--- root shop 0 1001 /srv/shop/vendor/p{dir}"
        );
        for file in 0..99 {
            let _ = writeln!(
                snapshot,
                "-rw-r----- root shop 0 1001 /srv/shop/vendor/p{dir}/f{file}.php"
            );
        }
    }
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/fpmaudit/fs-snapshot.txt",
        snapshot,
        FileKind::FsSnapshot,
    ));
    sources.add(SourceFile::new("/etc/passwd", PASSWD, FileKind::Passwd));
    sources.add(SourceFile::new("/etc/group", GROUP, FileKind::Group));
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/pool.d/shop.conf",
        "[shop]\nuser = shop\ngroup = shop\nlisten = /run/php/shop.sock\nchdir = /srv/shop\n[blog]\nuser = blog\nlisten = /run/php/blog.sock\nchdir = /srv/blog\n",
        FileKind::FpmPool,
    ));
    let started = std::time::Instant::now();
    let report = crate::audit(&sources);
    let took = started.elapsed();
    assert!(report.findings.iter().all(|f| !f.rule.starts_with("FS-")));
    assert!(
        took < std::time::Duration::from_secs(20),
        "100,000 lines took {took:?}"
    );
    println!("100,000-line snapshot audited in {took:?}");
}

/// What the app does with pasted collection output: one bundle, three files, their kinds.
#[test]
fn pasted_collection_output_splits_into_the_evidence_kinds() {
    let pasted = format!(
        "==> /fpmaudit/fs-snapshot.txt <==\n{SNAPSHOT}\n==> /etc/passwd <==\n{PASSWD}\n==> /etc/group <==\n{GROUP}"
    );
    let mut sources = SourceSet::new();
    sources.add_text("pasted", pasted);
    let files: Vec<(String, FileKind, bool)> = sources
        .iter()
        .map(|(_, f)| (f.path.clone(), f.kind, f.text.ends_with("\n\n")))
        .collect();
    assert_eq!(
        files,
        [
            (
                "/fpmaudit/fs-snapshot.txt".to_string(),
                FileKind::FsSnapshot,
                false
            ),
            ("/etc/passwd".to_string(), FileKind::Passwd, false),
            ("/etc/group".to_string(), FileKind::Group, false),
        ]
    );
    let fs = crate::model::Model::build(&sources).fs;
    assert!(fs.unreadable.is_empty());
    assert_eq!(fs.entries.len(), 7);
    // Pasted alone, without the header or a bundle marker, each is still recognised.
    for (text, kind) in [
        (
            SNAPSHOT.lines().skip(1).collect::<Vec<_>>().join("\n"),
            FileKind::FsSnapshot,
        ),
        (PASSWD.to_string(), FileKind::Passwd),
        (GROUP.to_string(), FileKind::Group),
    ] {
        assert_eq!(crate::detect::detect_kind("pasted", &text), kind);
    }
}

/// The command names the trees of the pools, their ancestors, and the databases.
#[test]
fn the_collection_command_lists_what_the_configuration_names() {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/pool.d/shop.conf",
        "[shop]\nuser = shop\nlisten = /run/php/shop.sock\nchdir = /srv/shop\nphp_admin_value[session.save_path] = /var/lib/php/sessions/shop\n",
        FileKind::FpmPool,
    ));
    let model = crate::model::Model::build(&sources);
    let plan = command::snapshot_plan(&model);
    assert_eq!(plan.trees, ["/srv/shop", "/var/lib/php/sessions/shop"]);
    assert_eq!(plan.shallow, ["/run/php", "/tmp"]);
    assert_eq!(
        plan.ancestors,
        [
            "/run",
            "/srv",
            "/var",
            "/var/lib",
            "/var/lib/php",
            "/var/lib/php/sessions"
        ]
    );
    let line = command::snapshot_command(&model);
    assert!(line.starts_with(
        "cd / && { echo '==> /fpmaudit/fs-snapshot.txt <=='; echo '# fpmaudit fs-snapshot v1';"
    ));
    assert!(line.contains(
        "find srv/shop var/lib/php/sessions/shop -xdev -maxdepth 12 -printf '%M %u %g %U %G /%p\\n'"
    ));
    assert!(
        line.ends_with(
            "getent passwd; echo; echo '==> /etc/group <=='; getent group; } 2>/dev/null"
        )
    );
}

/// Odd but possible inputs: `/` as a tree, relative and dotted paths, a pool without user,
/// duplicate lines, names that are numbers. The audit, the map and the rewrite all return.
#[test]
fn odd_trees_and_paths_do_not_break_anything() {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/pool.d/odd.conf",
        "[a]\nuser = 1001\ngroup = 0\nlisten = /run/php/a.sock\nchdir = /\nphp_admin_value[session.save_path] = 2;0600;/\n\
         php_admin_value[open_basedir] = /srv/../srv/a/:./x:/\n[b]\nlisten = run/b.sock\nchdir = relative\n[c]\nuser = root\nchdir = /srv/a\n",
        FileKind::FpmPool,
    ));
    sources.add(SourceFile::new(
        "/etc/nginx/sites-enabled/odd",
        "server { root /; location ~ \\.php$ { fastcgi_pass unix:/run/php/a.sock; } }\n",
        FileKind::Nginx,
    ));
    sources.add(SourceFile::new(
        "/fpmaudit/fs-snapshot.txt",
        "drwxrwxrwx root root 0 0 /\ndrwxrwxrwx root root 0 0 /\n-rw-rw-rw- 1001 0 1001 0 /x.php\n\
         drwxrwxrwx 1001 0 1001 0 /srv/a/uploads\n-rw-rw-rw- 1001 0 1001 0 /srv/a/uploads/s.php\n\
         srwxrwxrwx root root 0 0 /run/php/a.sock\nlrwxrwxrwx root root 0 0 /srv/a/l\n\
         drwxrwxrwx root root 0 0 /srv/a/..\n-rw-rw-rw- root root 0 0 /srv/a/file with spaces.php\n",
        FileKind::FsSnapshot,
    ));
    sources.add(SourceFile::new(
        "/etc/group",
        "root:x:0:1001,root\nadm:x:4:1001\n",
        FileKind::Group,
    ));
    let report = crate::audit(&sources);
    assert!(report.findings.iter().any(|f| f.rule == "FS-001"));
    let _ = crate::graph::map(&sources);
    let hardened = crate::fix::harden(&sources, crate::Safety::NeedsReview);
    assert!(hardened.converged);
    let model = crate::model::Model::build(&sources);
    let _ = command::snapshot_command(&model);
}

/// 300 pools, each with its own tree, in one snapshot without passwd: the FS rules and the
/// map stay fast (candidates by uid and gid, not every pool on every path).
#[test]
fn many_pools_stay_fast() {
    use std::fmt::Write as _;
    let mut pools = String::new();
    let mut snapshot = String::from("# fpmaudit fs-snapshot v1\ndrwxr-xr-x root root 0 0 /srv\n");
    for i in 0..300 {
        let uid = 2000 + i;
        let _ = write!(
            pools,
            "[app{i}]\nuser = app{i}\ngroup = app{i}\nlisten = /run/php/app{i}.sock\nchdir = /srv/app{i}\n"
        );
        let _ = writeln!(snapshot, "drwxr-x--- root app{i} 0 {uid} /srv/app{i}");
        for f in 0..100 {
            let _ = writeln!(
                snapshot,
                "-rw-r----- root app{i} 0 {uid} /srv/app{i}/f{f}.php"
            );
        }
    }
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/pool.d/apps.conf",
        pools,
        FileKind::FpmPool,
    ));
    let started = std::time::Instant::now();
    let _ = crate::audit(&sources);
    let audit_only = started.elapsed();
    let _ = crate::graph::map(&sources);
    println!(
        "without evidence: audit {audit_only:?}, audit+map {:?}",
        started.elapsed()
    );
    sources.add(SourceFile::new(
        "/fpmaudit/fs-snapshot.txt",
        snapshot,
        FileKind::FsSnapshot,
    ));
    let started = std::time::Instant::now();
    let _ = crate::audit(&sources);
    println!("with evidence: audit {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let report = crate::audit(&sources);
    let _ = crate::graph::map(&sources);
    let took = started.elapsed();
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.rule.starts_with("FS-") && f.rule != "FPM-310")
    );
    assert!(
        took < std::time::Duration::from_secs(5),
        "300 pools took {took:?}"
    );
    println!("300 pools, 30,000 snapshot lines: audit and map in {took:?}");
}
