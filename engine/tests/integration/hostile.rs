//! Hostile input never panics or hangs: random bytes, deep nesting, 10 MB files, NUL bytes,
//! invalid UTF-8 (read lossily, as the CLI and the browser do) and include cycles all give
//! findings and a normal return, for every parser and for the whole audit.

use std::time::{Duration, Instant};

use fpmaudit_engine::syntax::{accounts, ini, nginx, snapshot, systemd};
use fpmaudit_engine::{FileKind, SourceFile, SourceSet, audit};

use crate::support::Rng;

const KINDS: [FileKind; 9] = [
    FileKind::FpmGlobal,
    FileKind::FpmPool,
    FileKind::PhpIni,
    FileKind::Nginx,
    FileKind::SystemdUnit,
    FileKind::SystemdDropin,
    FileKind::FsSnapshot,
    FileKind::Passwd,
    FileKind::Group,
];

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.next().to_le_bytes()[0]).collect()
}

/// Every reader round-trips the text; the audit of it as every kind returns.
fn survive(text: &str) {
    assert_eq!(ini::parse(text, ini::IniDialect::PhpIni).print(text), text);
    assert_eq!(ini::parse(text, ini::IniDialect::Fpm).print(text), text);
    assert_eq!(nginx::parse(text).print(text), text);
    assert_eq!(systemd::parse(text).print(text), text);
    assert_eq!(snapshot::parse(text).print(text), text);
    let group = accounts::parse(text, accounts::Database::Group);
    assert_eq!(group.print(text), text);
    let mut sources = SourceSet::new();
    for (i, kind) in KINDS.into_iter().enumerate() {
        sources.add(SourceFile::new(format!("/hostile/{i}"), text, kind));
    }
    let _ = audit(&sources);
    // At the paths the unit merge, the exposure score and the cross-file SYD rules read.
    let placed = [
        (
            "/lib/systemd/system/php8.2-fpm.service",
            FileKind::SystemdUnit,
        ),
        (
            "/etc/systemd/system/php8.2-fpm.service.d/hostile.conf",
            FileKind::SystemdDropin,
        ),
        ("/etc/php/8.2/fpm/pool.d/hostile.conf", FileKind::FpmPool),
        ("/etc/php/8.2/fpm/php.ini", FileKind::PhpIni),
        // The evidence rules judge the pools above against hostile evidence.
        ("/fpmaudit/fs-snapshot.txt", FileKind::FsSnapshot),
        ("/etc/group", FileKind::Group),
    ];
    let mut sources = SourceSet::new();
    for (path, kind) in placed {
        sources.add(SourceFile::new(path, text, kind));
    }
    let _ = audit(&sources);
}

fn timed(limit: Duration, what: &str, f: impl FnOnce()) {
    let started = Instant::now();
    f();
    let took = started.elapsed();
    assert!(took < limit, "{what} took {took:?}");
}

#[test]
fn random_bytes_and_syntax_soup() {
    let mut rng = Rng::new(7);
    let alphabet: &[u8] = b"[]{};=\"'\\#$&|^~!()\n\r\t \0x=;pool.listen[";
    for _ in 0..300 {
        let len = rng.below(400);
        let bytes = random_bytes(&mut rng, len);
        survive(&String::from_utf8_lossy(&bytes));
        let soup: Vec<u8> = (0..len).map(|_| *rng.pick(alphabet)).collect();
        survive(&String::from_utf8_lossy(&soup));
    }
}

#[test]
fn nul_bytes_and_invalid_utf8() {
    let bytes = b"[www\0]\nlisten\0 = 9000\n\xff\xfe\xc3\x28 = \xe2\x82\nserver { root \0; }\n[Service]\nUser=\0\n";
    survive(&String::from_utf8_lossy(bytes));
}

#[test]
fn deep_nesting() {
    timed(Duration::from_secs(20), "200,000 nested braces", || {
        survive(&"server {".repeat(200_000));
        survive(&"}".repeat(200_000));
        survive(&"a (".repeat(100_000));
        survive(&"[".repeat(200_000));
    });
}

#[test]
fn ten_megabyte_files() {
    let pool = "[www]\nphp_admin_value[open_basedir] = /srv/www/:/tmp/\nlisten = 9000\n";
    let nginx_text =
        "server { listen 80; location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; } }\n";
    let unit = "[Service]\nExecStart=/usr/sbin/php-fpm \\\n  --nodaemonize\nProtectSystem=strict\n";
    for (name, piece) in [("pool", pool), ("nginx", nginx_text), ("unit", unit)] {
        let text = piece.repeat(10 * 1024 * 1024 / piece.len());
        timed(Duration::from_mins(1), name, || survive(&text));
    }
}

#[test]
fn include_cycles_end() {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php-fpm.conf",
        "include=/etc/php-fpm.d/*.conf\n",
        FileKind::FpmGlobal,
    ));
    sources.add(SourceFile::new(
        "/etc/php-fpm.d/a.conf",
        "include=/etc/php-fpm.d/*.conf\n[a]\n",
        FileKind::FpmPool,
    ));
    sources.add(SourceFile::new(
        "/etc/php-fpm.d/b.conf",
        "include=/etc/php-fpm.conf\n[b]\n",
        FileKind::FpmPool,
    ));
    sources.add(SourceFile::new(
        "/etc/nginx/nginx.conf",
        "include /etc/nginx/nginx.conf;\nhttp { include /etc/nginx/*.conf; }\n",
        FileKind::Nginx,
    ));
    timed(Duration::from_secs(10), "include cycles", || {
        let model = fpmaudit_engine::model::Model::build(&sources);
        assert!(
            model
                .fpm
                .problems
                .iter()
                .any(|p| p.message.contains("nested deeper"))
        );
        let _ = audit(&sources);
    });
}
