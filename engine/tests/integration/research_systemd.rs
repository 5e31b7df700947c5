//! The held-out systemd cases of research/systemd-containers.md (e) T1–T8, run through the
//! whole audit: the score and the findings each case names, at the lines it names.

use fpmaudit_engine::{FileKind, Severity, SourceFile, SourceSet, audit};

const UNIT: &str = "/lib/systemd/system/php8.2-fpm.service";

fn host(files: &[(&str, &str, FileKind)]) -> SourceSet {
    let mut sources = SourceSet::new();
    for (path, text, kind) in files {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    sources
}

/// `(rule, severity, path, line)` of every finding of the SYD rules and FPM-109.
fn findings(sources: &SourceSet) -> Vec<(&'static str, Severity, String, u32)> {
    let report = audit(sources);
    let mut out: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("SYD-") || f.rule == "FPM-109")
        .map(|f| {
            let file = sources.get(f.file).unwrap();
            let line = file.line_index.line_col(f.range.start, &file.text).line;
            (f.rule, f.severity, file.path.clone(), line)
        })
        .collect();
    out.sort();
    out
}

fn exposure(sources: &SourceSet) -> (f64, &'static str) {
    let report = audit(sources);
    let unit = report.units.first().unwrap();
    (unit.exposure, unit.label.as_str())
}

fn has(found: &[(&str, Severity, String, u32)], rule: &str, sev: Severity, path: &str, line: u32) {
    assert!(
        found
            .iter()
            .any(|(r, s, p, l)| *r == rule && *s == sev && p == path && *l == line),
        "{rule} ({sev:?}) at {path}:{line} missing in {found:?}"
    );
}

const DEBIAN: &str = "[Unit]\nDescription=The PHP 8.2 FastCGI Process Manager\n\
Documentation=man:php-fpm8.2(8)\nAfter=network.target\n\n[Service]\nType=notify\n\
ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n\
ExecReload=/bin/kill -USR2 $MAINPID\n\n[Install]\nWantedBy=multi-user.target\n";

#[test]
fn t1_debian_stock_unit() {
    let sources = host(&[(UNIT, DEBIAN, FileKind::SystemdUnit)]);
    assert_eq!(exposure(&sources), (9.6, "UNSAFE"));
    let found = findings(&sources);
    has(&found, "SYD-001", Severity::High, UNIT, 6);
    has(&found, "SYD-002", Severity::Medium, UNIT, 6);
    has(&found, "SYD-008", Severity::Medium, UNIT, 6);
    has(&found, "SYD-010", Severity::Medium, UNIT, 6);
}

#[test]
fn t4_a_reset_in_a_dropin() {
    let unit = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
SystemCallFilter=@system-service\nSystemCallArchitectures=native\n";
    let reset = "/etc/systemd/system/php8.2-fpm.service.d/10-reset.conf";
    let sources = host(&[
        (UNIT, unit, FileKind::SystemdUnit),
        (
            reset,
            "[Service]\nSystemCallFilter=\n",
            FileKind::SystemdDropin,
        ),
    ]);
    assert_eq!(exposure(&sources), (9.4, "UNSAFE"));
    has(&findings(&sources), "SYD-020", Severity::Medium, reset, 2);
    let alone = host(&[(UNIT, unit, FileKind::SystemdUnit)]);
    assert_eq!(exposure(&alone), (8.0, "EXPOSED"));
}

#[test]
fn t5_syntax_traps() {
    let unit = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
ProtectSystem=strict # keep the OS read-only\nprotecthome=yes\n  NoNewPrivileges = on\n";
    let sources = host(&[(UNIT, unit, FileKind::SystemdUnit)]);
    assert_eq!(exposure(&sources), (9.4, "UNSAFE"));
    let found = findings(&sources);
    has(&found, "SYD-017", Severity::High, UNIT, 3);
    has(&found, "SYD-018", Severity::Medium, UNIT, 4);
    assert!(
        !found.iter().any(|f| f.3 == 5),
        "NoNewPrivileges line: {found:?}"
    );
}

#[test]
fn t6_continuation_with_a_comment_line() {
    let unit = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
CapabilityBoundingSet=CAP_SETUID CAP_SETGID \\\n# kept out on purpose: CAP_SYS_ADMIN\n  CAP_CHOWN CAP_KILL\n";
    let sources = host(&[(UNIT, unit, FileKind::SystemdUnit)]);
    assert_eq!(exposure(&sources), (7.6, "EXPOSED"));
    let found = findings(&sources);
    assert!(
        !found.iter().any(|f| f.0 == "SYD-017" || f.0 == "SYD-000"),
        "{found:?}"
    );
}

#[test]
fn t7_socket_under_private_tmp() {
    let unit = "[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
PrivateTmp=true\nProtectSystem=full\n";
    let pool = "/etc/php/8.2/fpm/pool.d/www.conf";
    let nginx = "/etc/nginx/sites-enabled/default";
    let sources = host(&[
        (UNIT, unit, FileKind::SystemdUnit),
        (
            pool,
            "[www]\nuser = www-data\ngroup = www-data\nlisten = /tmp/php-fpm.sock\n",
            FileKind::FpmPool,
        ),
        (
            nginx,
            "server {\n    location ~ \\.php$ {\n        fastcgi_pass unix:/tmp/php-fpm.sock;\n    }\n}\n",
            FileKind::Nginx,
        ),
    ]);
    let found = findings(&sources);
    has(&found, "SYD-004", Severity::High, pool, 4);
    has(&found, "SYD-004", Severity::High, UNIT, 4);
    has(&found, "FPM-109", Severity::High, pool, 4);
}

#[test]
fn t8_mdwe_against_the_default_pcre_jit() {
    let dropin = "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf";
    let sources = host(&[
        (UNIT, DEBIAN, FileKind::SystemdUnit),
        (
            dropin,
            "[Service]\nMemoryDenyWriteExecute=yes\n",
            FileKind::SystemdDropin,
        ),
        (
            "/etc/php/8.2/fpm/php.ini",
            "[PHP]\nmemory_limit = 128M\n",
            FileKind::PhpIni,
        ),
    ]);
    has(&findings(&sources), "SYD-006", Severity::Medium, dropin, 2);
    let report = audit(&sources);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "SYD-006")
        .unwrap();
    assert!(
        finding
            .message
            .contains("Allocation of JIT memory failed, PCRE JIT will be disabled")
    );
}
