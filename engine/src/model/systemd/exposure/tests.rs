//! The held-out scores of the research notes (systemd-containers.md (e) and §b), measured
//! with systemd 252's `systemd-analyze security --offline=yes`.

use crate::model::systemd::tests::build;

fn score(files: &[(&str, &str)], unit: &str) -> (String, &'static str) {
    let (_, model) = build(files);
    let unit = model.resolve(unit).unwrap();
    let e = unit.exposure();
    (format!("{:.1}", e.score()), e.label().as_str())
}

const UNIT: &str = "/lib/systemd/system/php8.2-fpm.service";
const DROPIN: &str = "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf";

const DEBIAN: &str = "[Unit]\nDescription=The PHP 8.2 FastCGI Process Manager\nAfter=network.target\n\n\
[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n\
ExecReload=/bin/kill -USR2 $MAINPID\n\n[Install]\nWantedBy=multi-user.target\n";

const HARDENING: &str = "[Service]\n\
CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_DAC_OVERRIDE\n\
NoNewPrivileges=yes\nProtectSystem=strict\nReadWritePaths=/run/php /var/lib/php/sessions /var/log\n\
PrivateTmp=yes\nPrivateDevices=yes\nPrivateMounts=yes\nProtectHome=yes\nProtectKernelTunables=yes\n\
ProtectKernelModules=yes\nProtectKernelLogs=yes\nProtectControlGroups=yes\nProtectClock=yes\n\
ProtectHostname=yes\nProtectProc=invisible\nRestrictSUIDSGID=yes\nRestrictRealtime=yes\n\
RestrictNamespaces=yes\nLockPersonality=yes\nRestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n\
SystemCallArchitectures=native\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\nUMask=0027\n";

#[test]
fn debian_stock_unit_is_unsafe() {
    assert_eq!(
        score(&[(UNIT, DEBIAN)], "php8.2-fpm.service"),
        ("9.6".into(), "UNSAFE")
    );
    let (_, model) = build(&[(UNIT, DEBIAN)]);
    let e = model.resolve("php8.2-fpm.service").unwrap().exposure();
    // The worked example of §b.2: B = 53,510 over W = 56,160.
    assert_eq!((e.badness_sum, e.weight_sum), (53_510, 56_160));
}

#[test]
fn the_recommended_dropin_is_ok() {
    let files = [(UNIT, DEBIAN), (DROPIN, HARDENING)];
    assert_eq!(score(&files, "php8.2-fpm.service"), ("2.6".into(), "OK"));
    let (_, model) = build(&files);
    let e = model.resolve("php8.2-fpm.service").unwrap().exposure();
    assert_eq!((e.badness_sum, e.weight_sum), (14_105, 56_160));
    let mdwe = format!("{HARDENING}MemoryDenyWriteExecute=yes\n");
    assert_eq!(
        score(&[(UNIT, DEBIAN), (DROPIN, &mdwe)], "php8.2-fpm.service"),
        ("2.5".into(), "OK")
    );
}

#[test]
fn php_src_unit_is_medium() {
    let text = "[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
PrivateTmp=true\nProtectSystem=full\nPrivateDevices=true\nProtectKernelModules=true\n\
ProtectKernelTunables=true\nProtectControlGroups=true\nRestrictRealtime=true\n\
RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX\nRestrictNamespaces=true\n";
    assert_eq!(
        score(&[(UNIT, text)], "php8.2-fpm.service"),
        ("6.7".into(), "MEDIUM")
    );
}

#[test]
fn a_reset_in_a_dropin_undoes_the_filter() {
    let unit = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
SystemCallFilter=@system-service\nSystemCallArchitectures=native\n";
    let reset = "/etc/systemd/system/php8.2-fpm.service.d/10-reset.conf";
    assert_eq!(
        score(&[(UNIT, unit)], "php8.2-fpm.service"),
        ("8.0".into(), "EXPOSED")
    );
    assert_eq!(
        score(
            &[(UNIT, unit), (reset, "[Service]\nSystemCallFilter=\n")],
            "php8.2-fpm.service"
        ),
        ("9.4".into(), "UNSAFE")
    );
}

#[test]
fn syntax_traps_and_continuations() {
    let t5 = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
ProtectSystem=strict # keep the OS read-only\nprotecthome=yes\n  NoNewPrivileges = on\n";
    assert_eq!(
        score(&[(UNIT, t5)], "php8.2-fpm.service"),
        ("9.4".into(), "UNSAFE")
    );
    let t6 = "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n\
CapabilityBoundingSet=CAP_SETUID CAP_SETGID \\\n# kept out on purpose: CAP_SYS_ADMIN\n  CAP_CHOWN CAP_KILL\n";
    assert_eq!(
        score(&[(UNIT, t6)], "php8.2-fpm.service"),
        ("7.6".into(), "EXPOSED")
    );
}

#[test]
fn small_units() {
    let base = "[Service]\nExecStart=/bin/true\n";
    let with = |extra: &str| format!("{base}{extra}\n");
    let cases = [
        ("", "9.6"),
        ("User=nobody", "9.5"),
        ("ProtectProc=noaccess", "9.5"),
        ("ProtectProc=invisible", "9.4"),
        ("DynamicUser=yes", "8.4"),
    ];
    for (extra, want) in cases {
        let text = with(extra);
        assert_eq!(
            score(&[(UNIT, &text)], "php8.2-fpm.service").0,
            want,
            "{extra}"
        );
    }
    let no_deps = format!("[Unit]\nDefaultDependencies=no\n{base}");
    assert_eq!(score(&[(UNIT, &no_deps)], "php8.2-fpm.service").0, "9.5");
}

#[test]
fn labels_follow_systemds_thresholds() {
    use super::Label;
    let cases = [
        (100, Label::Dangerous),
        (99, Label::Unsafe),
        (90, Label::Unsafe),
        (89, Label::Exposed),
        (75, Label::Exposed),
        (74, Label::Medium),
        (50, Label::Medium),
        (49, Label::Ok),
        (10, Label::Ok),
        (9, Label::Safe),
        (1, Label::Safe),
        (0, Label::Perfect),
    ];
    for (level, label) in cases {
        assert_eq!(Label::of(level), label, "{level}");
    }
}
