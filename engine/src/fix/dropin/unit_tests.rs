//! Triggers of the hardening drop-in that come from the unit's own files: its `User=`, the
//! drop-ins around ours, the lists earlier files set, a unit without pools.

use super::hardening_dropins;
use super::tests::{STOCK, UNIT, WWW, breaking, dropin, has, host};
use crate::Safety;
use crate::fix::{harden, harden_with};
use crate::model::Model;
use crate::source::{FileKind, SourceFile, SourceSet};

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
