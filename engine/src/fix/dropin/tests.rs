//! Triggers of the hardening drop-in: each line is there because a pool, php.ini or nginx
//! asked for it, and disappears with the trigger.

use super::{Dropin, hardening_dropins, place};
use crate::fix::{harden, harden_with};
use crate::model::Model;
use crate::source::{FileKind, SourceFile, SourceSet};
use crate::{Safety, audit};

const UNIT: &str = "/lib/systemd/system/php8.2-fpm.service";
const STOCK: &str = "[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n";
const POOL: &str = "/etc/php/8.2/fpm/pool.d/www.conf";
const GLOBAL: &str = "[global]\npid = /run/php/php8.2-fpm.pid\nerror_log = /var/log/php8.2-fpm.log\ninclude = /etc/php/8.2/fpm/pool.d/*.conf\n";
const WWW: &str = "[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/php8.2-fpm.sock\nlisten.owner = www-data\nlisten.group = www-data\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n";

fn host(unit: &str, pool: &str, extra: &[(&str, &str, FileKind)]) -> SourceSet {
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

fn dropin(sources: &SourceSet) -> Dropin {
    let mut all = hardening_dropins(sources, &Model::build(sources));
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

/// The drop-in's settings without comments.
fn lines(d: &Dropin) -> Vec<&str> {
    d.text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

fn has(d: &Dropin, line: &str) -> bool {
    lines(d).contains(&line)
}

/// Every setting has a comment right above it.
fn commented(d: &Dropin) {
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
fn breaking(sources: &SourceSet) -> Vec<String> {
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
fn same_user_master_switches_no_users() {
    let unit = format!("{STOCK}User=www-data\nGroup=www-data\n");
    let pool = WWW.replace("user = www-data\ngroup = www-data\n", "");
    let sources = host(&unit, &pool, &[]);
    let d = dropin(&sources);
    for cap in ["CAP_SETUID", "CAP_SETGID", "CAP_KILL"] {
        assert!(!d.text.contains(cap), "{cap}:\n{}", d.text);
    }
    assert!(has(&d, "CapabilityBoundingSet="));
    assert_eq!(breaking(&sources), Vec::<String>::new());
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
fn later_drop_in_setting_the_same_keys_is_read_first() {
    let caps = "[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=~\n";
    let extra = [(
        "/etc/systemd/system/php8.2-fpm.service.d/zz.conf",
        caps,
        FileKind::SystemdDropin,
    )];
    let sources = host(STOCK, WWW, &extra);
    let d = dropin(&sources);
    assert!(d.path.ends_with("/zz_hardening.conf"), "{}", d.path);
    assert_eq!(breaking(&sources), Vec::<String>::new());
}

#[test]
fn earlier_lists_start_over_and_a_second_run_changes_nothing() {
    let unit = format!(
        "{STOCK}SystemCallFilter=~@privileged\nCapabilityBoundingSet=CAP_SYS_ADMIN CAP_SETUID\n"
    );
    let sources = host(&unit, WWW, &[]);
    let d = dropin(&sources);
    assert!(has(&d, "SystemCallFilter=") && has(&d, "CapabilityBoundingSet="));
    assert_eq!(breaking(&sources), Vec::<String>::new());
    let once = harden_with(&sources, Safety::NeedsReview, |r| r == "SYD-001");
    assert_eq!(once.generated.len(), 1);
    let model = Model::build(&once.sources);
    let caps = model
        .systemd
        .unit("php8.2-fpm.service")
        .unwrap()
        .capabilities("CapabilityBoundingSet");
    assert!(!caps.contains("CAP_SYS_ADMIN"));
    assert!(hardening_dropins(&once.sources, &model).is_empty());
    let twice = harden(&once.sources, Safety::NeedsReview);
    assert!(twice.generated.is_empty());
    assert!(
        twice.applied.iter().all(|a| a.rule != "SYD-001"),
        "{:?}",
        twice.applied
    );
    // Only review-level fixes write it.
    assert!(harden(&sources, Safety::Safe).generated.is_empty());
}

#[test]
fn no_pools_given_assumes_debian_and_says_so() {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(UNIT, STOCK, FileKind::SystemdUnit));
    let d = dropin(&sources);
    assert!(d.text.contains("were not given"), "{}", d.text);
    assert!(
        has(&d, "ReadWritePaths=-/run/php") && has(&d, "CapabilityBoundingSet=CAP_DAC_OVERRIDE")
    );
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

#[test]
fn the_version_less_socket_link_keeps_working_when_nginx_uses_it() {
    let unit = format!(
        "{STOCK}ExecStartPost=-/usr/lib/php/php-fpm-socket-helper install /run/php/php-fpm.sock /etc/php/8.2/fpm/pool.d/www.conf 82\n"
    );
    let d = dropin(&host(&unit, WWW, &[]));
    assert!(!has(&d, "ReadWritePaths=-/etc/alternatives"), "{}", d.text);
    assert!(
        d.text
            .contains("cannot update the link /run/php/php-fpm.sock")
    );
    let site = "server {\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php-fpm.sock;\n    }\n}\n";
    let extra = [("/etc/nginx/sites-enabled/default", site, FileKind::Nginx)];
    let d = dropin(&host(&unit, WWW, &extra));
    assert!(has(&d, "ReadWritePaths=-/etc/alternatives"), "{}", d.text);
    assert!(has(&d, "ReadWritePaths=-/var/lib/dpkg/alternatives"));
}
