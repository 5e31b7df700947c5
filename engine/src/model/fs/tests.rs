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
