//! Triggers of the hardening drop-in: each line is there because a pool, php.ini or nginx
//! asked for it, and disappears with the trigger.

use super::{Dropin, hardening_dropins, place};
use crate::audit;
use crate::model::Model;
use crate::source::{FileKind, SourceFile, SourceSet};

pub(super) const UNIT: &str = "/lib/systemd/system/php8.2-fpm.service";
pub(super) const STOCK: &str = "[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n";
pub(super) const POOL: &str = "/etc/php/8.2/fpm/pool.d/www.conf";
pub(super) const GLOBAL: &str = "[global]\npid = /run/php/php8.2-fpm.pid\nerror_log = /var/log/php8.2-fpm.log\ninclude = /etc/php/8.2/fpm/pool.d/*.conf\n";
pub(super) const WWW: &str = "[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/php8.2-fpm.sock\nlisten.owner = www-data\nlisten.group = www-data\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n";

pub(super) fn host(unit: &str, pool: &str, extra: &[(&str, &str, FileKind)]) -> SourceSet {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(UNIT, unit, FileKind::SystemdUnit));
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/php-fpm.conf",
        GLOBAL,
        FileKind::FpmGlobal,
    ));
    sources.add(SourceFile::new(POOL, pool, FileKind::FpmPool));
    for (path, text, kind) in extra {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    sources
}

pub(super) fn dropin(sources: &SourceSet) -> Dropin {
    let mut all = hardening_dropins(sources, &Model::build(sources));
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

/// The drop-in's settings without comments.
pub(super) fn lines(d: &Dropin) -> Vec<&str> {
    d.text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

pub(super) fn has(d: &Dropin, line: &str) -> bool {
    lines(d).contains(&line)
}

/// Every setting has a comment right above it.
pub(super) fn commented(d: &Dropin) {
    let all: Vec<&str> = d.text.lines().collect();
    for (i, line) in all.iter().enumerate().skip(1) {
        if !line.starts_with('#') && *line != "[Service]" {
            let above = all.get(i - 1).copied().unwrap_or("");
            assert!(
                above.starts_with("# "),
                "no comment above {line}:\n{}",
                d.text
            );
        }
    }
}

/// The SYD rules that would mean the drop-in breaks FPM.
pub(super) fn breaking(sources: &SourceSet) -> Vec<String> {
    let (after, _) = place(sources, &[dropin(sources)]);
    audit(&after)
        .findings
        .iter()
        .filter(|f| {
            [
                "SYD-003", "SYD-004", "SYD-006", "SYD-007", "SYD-009", "SYD-020",
            ]
            .contains(&f.rule)
        })
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect()
}

#[test]
fn debian_pool_gets_the_research_drop_in() {
    let sources = host(STOCK, WWW, &[]);
    let d = dropin(&sources);
    assert_eq!(
        d.path,
        "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf"
    );
    commented(&d);
    for cap in [
        "CAP_SETUID CAP_SETGID",
        "CAP_KILL",
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
    ] {
        assert!(
            has(&d, &format!("CapabilityBoundingSet={cap}")),
            "{}",
            d.text
        );
    }
    for line in [
        "ProtectSystem=strict",
        "ReadWritePaths=-/run/php",
        "ReadWritePaths=-/var/log",
        "ReadWritePaths=-/var/lib/php/sessions",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "SystemCallFilter=@system-service",
        "NoNewPrivileges=yes",
    ] {
        assert!(has(&d, line), "{line}:\n{}", d.text);
    }
    assert!(
        !has(&d, "MemoryDenyWriteExecute=yes"),
        "pcre.jit is on by default"
    );
    for broken in [
        "PrivateUsers",
        "DynamicUser",
        "PrivateNetwork",
        "~@privileged",
    ] {
        assert!(!d.text.contains(&format!("{broken}=")), "{broken}");
    }
    assert_eq!(breaking(&sources), Vec::<String>::new());
    let (after, _) = place(&sources, &[d]);
    let model = Model::build(&after);
    let unit = model.systemd.unit("php8.2-fpm.service").unwrap();
    // §3.4 scores 2.6; `~@resources` (no pool changes limits) takes it to 2.4.
    assert_eq!(unit.exposure().level, 24);
}

#[test]
fn rlimits_keep_resources() {
    let d = dropin(&host(STOCK, WWW, &[]));
    assert!(has(&d, "SystemCallFilter=~@resources"), "{}", d.text);
    let pool = format!("{WWW}rlimit_files = 4096\n");
    let sources = host(STOCK, &pool, &[]);
    let d = dropin(&sources);
    assert!(!has(&d, "SystemCallFilter=~@resources"), "{}", d.text);
    assert!(
        d.text
            .contains("# @resources stays allowed: apply rlimit_files = 4096\n")
    );
    assert_eq!(breaking(&sources), Vec::<String>::new());
}

#[test]
fn slowlog_adds_ptrace() {
    let pool = format!("{WWW}slowlog = /var/log/php/www.slow\nrequest_slowlog_timeout = 5s\n");
    let d = dropin(&host(STOCK, &pool, &[]));
    assert!(
        has(&d, "CapabilityBoundingSet=CAP_SYS_PTRACE"),
        "{}",
        d.text
    );
    assert!(has(&d, "SystemCallFilter=ptrace"));
    assert!(
        d.text
            .contains("# trace slow requests of pool [www] (slowlog)\n")
    );
    assert_eq!(breaking(&host(STOCK, &pool, &[])), Vec::<String>::new());
    let d = dropin(&host(STOCK, WWW, &[]));
    assert!(!d.text.contains("ptrace") && !d.text.contains("CAP_SYS_PTRACE"));
}

#[test]
fn chroot_adds_sys_chroot() {
    let pool = format!("{WWW}chroot = /srv/www\n");
    let d = dropin(&host(STOCK, &pool, &[]));
    assert!(
        has(&d, "CapabilityBoundingSet=CAP_SYS_CHROOT"),
        "{}",
        d.text
    );
    assert!(has(&d, "SystemCallFilter=chroot"));
    assert_eq!(breaking(&host(STOCK, &pool, &[])), Vec::<String>::new());
}

#[test]
fn socket_in_tmp_keeps_the_shared_tmp() {
    let pool = WWW.replace("/run/php/php8.2-fpm.sock", "/tmp/php-www.sock");
    let sources = host(STOCK, &pool, &[]);
    let d = dropin(&sources);
    assert!(!has(&d, "PrivateTmp=yes"), "{}", d.text);
    assert!(d.text.contains("move them to /run/php/"));
    // Under ProtectSystem=strict the shared /tmp must stay writable for the socket.
    assert!(has(&d, "ReadWritePaths=-/tmp"));
    assert_eq!(breaking(&sources), Vec::<String>::new());
    // php-src's unit sets PrivateTmp=true: the drop-in turns it off again.
    let unit = format!("{STOCK}PrivateTmp=true\n");
    let sources = host(&unit, &pool, &[]);
    let d = dropin(&sources);
    assert!(has(&d, "PrivateTmp=no"), "{}", d.text);
    assert_eq!(breaking(&sources), Vec::<String>::new());
}

#[test]
fn docroot_under_home_gives_read_only_home() {
    let site = "server {\n    listen 80;\n    root /home/alice/www;\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n    }\n}\n";
    let extra = [("/etc/nginx/sites-enabled/alice", site, FileKind::Nginx)];
    let d = dropin(&host(STOCK, WWW, &extra));
    assert!(has(&d, "ProtectHome=read-only"), "{}", d.text);
    assert!(d.text.contains("the document root /home/alice/www"));
    let d = dropin(&host(STOCK, WWW, &[]));
    assert!(has(&d, "ProtectHome=yes"));
}

#[test]
fn listen_owner_gives_chown() {
    let d = dropin(&host(STOCK, WWW, &[]));
    assert!(d.text.contains(
        "# CAP_CHOWN: hand the socket of pool [www] to www-data\nCapabilityBoundingSet=CAP_CHOWN\n"
    ));
    let pool = WWW.replace("listen.owner = www-data\nlisten.group = www-data\n", "");
    let d = dropin(&host(STOCK, &pool, &[]));
    assert!(!d.text.contains("CAP_CHOWN"), "{}", d.text);
}

#[test]
fn jit_off_allows_memory_deny_write_execute() {
    let ini = "[PHP]\npcre.jit = 0\n";
    let extra = [("/etc/php/8.2/fpm/php.ini", ini, FileKind::PhpIni)];
    let sources = host(STOCK, WWW, &extra);
    let d = dropin(&sources);
    assert!(has(&d, "MemoryDenyWriteExecute=yes"), "{}", d.text);
    assert_eq!(breaking(&sources), Vec::<String>::new());
    let jit = "[PHP]\npcre.jit = 0\nopcache.jit_buffer_size = 64M\nopcache.jit = tracing\n";
    let extra = [("/etc/php/8.2/fpm/php.ini", jit, FileKind::PhpIni)];
    let d = dropin(&host(STOCK, WWW, &extra));
    assert!(!has(&d, "MemoryDenyWriteExecute=yes"), "{}", d.text);
}

#[test]
fn privileged_port_gives_net_bind_service() {
    let pool = WWW.replace("/run/php/php8.2-fpm.sock", "127.0.0.1:81");
    let sources = host(STOCK, &pool, &[]);
    let d = dropin(&sources);
    assert!(
        has(&d, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"),
        "{}",
        d.text
    );
    assert_eq!(breaking(&sources), Vec::<String>::new());
    let pool = WWW.replace("/run/php/php8.2-fpm.sock", "127.0.0.1:9000");
    assert!(!dropin(&host(STOCK, &pool, &[])).text.contains("NET_BIND"));
}
