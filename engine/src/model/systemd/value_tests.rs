//! How assignments combine into effective values: scalars, ignored values, list resets and the
//! `~` lists. Expected values were checked with `systemd-analyze security --offline=yes` on
//! systemd 252.

use super::tests::build;
use super::*;

const UNIT: &str = "/lib/systemd/system/a.service";
const DROPIN: &str = "/etc/systemd/system/a.service.d/50-x.conf";

fn unit(main: &str, dropin: &str) -> Unit {
    let main = format!("[Service]\nExecStart=/bin/true\n{main}");
    let dropin = format!("[Service]\n{dropin}");
    let (_, m) = build(&[(UNIT, main.as_str()), (DROPIN, dropin.as_str())]);
    m.unit("a.service").unwrap().clone()
}

#[test]
fn scalars_last_accepted_value_wins() {
    let u = unit(
        "ProtectSystem=full\nPrivateTmp=yes\n",
        "ProtectSystem=strict # ro\nPrivateTmp=\n",
    );
    assert_eq!(u.value("Service", "ProtectSystem"), Some("full"));
    assert_eq!(u.flag("Service", "PrivateTmp"), Some(true));
    let ignored: Vec<Effect> = u.settings.iter().skip(3).map(|s| s.effect).collect();
    assert_eq!(ignored, [Effect::Ignored, Effect::Ignored]);

    let u = unit(
        "NoNewPrivileges=yes\nUMask=0077\n",
        "NoNewPrivileges = Off\nUMask=0027\n",
    );
    assert_eq!(u.flag("Service", "NoNewPrivileges"), Some(false));
    assert_eq!(u.value("Service", "UMask"), Some("0027"));
}

#[test]
fn some_scalars_reset_to_their_default() {
    let u = unit(
        "User=www-data\nPrivateMounts=yes\nRootDirectory=/srv\n",
        "User=\nPrivateMounts=\nRootDirectory=\n",
    );
    assert_eq!(u.value("Service", "User"), None);
    assert_eq!(u.get("Service", "User").unwrap().effect, Effect::Reset);
    // Not PrivateMounts= in systemd 252: an empty boolean is ignored.
    assert_eq!(u.flag("Service", "PrivateMounts"), Some(true));
    assert_eq!(u.value("Service", "RootDirectory"), None);
    // Relaxed user names are accepted; a bad one is fatal and cuts the drop-in short.
    let u = unit("User=www-data\n", "User=bad name\n");
    assert_eq!(u.value("Service", "User"), Some("bad name"));
    let u = unit("User=www-data\n", "User=a:b\nPrivateTmp=yes\n");
    assert_eq!(u.value("Service", "User"), Some("www-data"));
    assert_eq!(u.flag("Service", "PrivateTmp"), None);
    assert_eq!(u.refused, None);
}

#[test]
fn list_reset_in_a_dropin_is_recorded() {
    let u = unit(
        "ReadWritePaths=/run/php\nReadWritePaths=-/var/log \"/srv/a b\"\n",
        "ReadWritePaths=\nReadWritePaths=/var/lib/php/sessions\n",
    );
    let list = u.list("Service", "ReadWritePaths");
    let words: Vec<String> = list.words().into_iter().map(|w| w.text).collect();
    assert_eq!(words, ["/var/lib/php/sessions"]);
    let reset = list.last_reset().unwrap();
    assert_eq!(reset.setting.origin.file, u.dropins[0]);
    assert_eq!(reset.discarded.len(), 2);
    let all: Vec<String> = EffectiveList {
        entries: reset.discarded.clone(),
        resets: Vec::new(),
    }
    .words()
    .into_iter()
    .map(|w| w.text)
    .collect();
    assert_eq!(all, ["/run/php", "-/var/log", "/srv/a b"]);
    // ExecStart= resets too; dependencies cannot be reset.
    let u = unit("", "ExecStart=\nExecStart=/usr/sbin/php-fpm8.2\n");
    assert_eq!(u.list("Service", "ExecStart").entries.len(), 1);
    let (_, m) = build(&[(UNIT, "[Unit]\nAfter=network.target\nAfter=\n")]);
    let after = m.units[0].list("Unit", "After");
    assert_eq!((after.entries.len(), after.resets.len()), (1, 0));
}

#[test]
fn capability_sets_combine_like_systemd() {
    let caps = |main: &str, dropin: &str| {
        unit(main, dropin)
            .capabilities("CapabilityBoundingSet")
            .names()
            .join(" ")
    };
    assert_eq!(
        caps(
            "CapabilityBoundingSet=CAP_A CAP_KILL CAP_CHOWN\n",
            "CapabilityBoundingSet=~CAP_CHOWN CAP_SETUID\n"
        ),
        "CAP_KILL"
    );
    // Back at the full set, the next line replaces it.
    assert_eq!(
        caps(
            "CapabilityBoundingSet=~CAP_KILL\nCapabilityBoundingSet=CAP_KILL\n",
            "CapabilityBoundingSet=CAP_SYS_ADMIN\n"
        ),
        "CAP_SYS_ADMIN"
    );
    // Empty means no capabilities at all; `~` alone means all of them.
    assert_eq!(
        caps(
            "CapabilityBoundingSet=CAP_KILL\n",
            "CapabilityBoundingSet=\n"
        ),
        ""
    );
    assert_eq!(
        caps(
            "CapabilityBoundingSet=CAP_KILL\n",
            "CapabilityBoundingSet=~\n"
        )
        .split(' ')
        .count(),
        41
    );
    // Only unknown names: also empty. Case and numbers work; stray words are skipped.
    assert_eq!(
        caps(
            "CapabilityBoundingSet=CAP_KILL\n",
            "CapabilityBoundingSet=bogus\n"
        ),
        ""
    );
    assert_eq!(
        caps("CapabilityBoundingSet=cap_kill 21 # CAP_X\n", ""),
        "CAP_KILL CAP_SYS_ADMIN"
    );
    let u = unit(
        "CapabilityBoundingSet=CAP_KILL\n",
        "CapabilityBoundingSet=\n",
    );
    let set = u.capabilities("CapabilityBoundingSet");
    assert_eq!(set.resets.len(), 1);
    assert_eq!(set.resets[0].discarded.len(), 1);
    assert!(!set.is_default());
    let u = unit("", "");
    assert!(
        u.capabilities("CapabilityBoundingSet")
            .contains("CAP_SYS_ADMIN")
    );
    assert!(
        !u.capabilities("AmbientCapabilities")
            .contains("CAP_SYS_ADMIN")
    );
}

#[test]
fn syscall_filter_first_line_decides_the_polarity() {
    let u = unit(
        "SystemCallFilter=@system-service\n",
        "SystemCallFilter=~@privileged @resources:EPERM\nSystemCallFilter=ptrace\n",
    );
    let f = u.syscall_filter();
    assert_eq!(f.allow_list, Some(true));
    let ops: Vec<(&str, bool)> = f.ops.iter().map(|o| (o.name.as_str(), o.add)).collect();
    assert_eq!(
        ops,
        [
            ("@system-service", true),
            ("@privileged", false),
            ("@resources", false),
            ("ptrace", true)
        ]
    );
    assert_eq!(f.ops[2].errno.as_deref(), Some("EPERM"));

    let u = unit(
        "SystemCallFilter=~@mount:EPERM\n",
        "SystemCallFilter=@mount\nSystemCallFilter=chroot:EPERM\n",
    );
    let f = u.syscall_filter();
    assert_eq!(f.allow_list, Some(false));
    let ops: Vec<(&str, bool)> = f.ops.iter().map(|o| (o.name.as_str(), o.add)).collect();
    // An error number on a plain (non-`~`) entry is ignored.
    assert_eq!(ops, [("@mount", true), ("@mount", false)]);

    let u = unit("SystemCallFilter=@system-service\n", "SystemCallFilter=\n");
    let f = u.syscall_filter();
    assert_eq!((f.allow_list, f.ops.len(), f.resets.len()), (None, 0, 1));
    assert_eq!(f.resets[0].setting.origin.file, u.dropins[0]);
}

#[test]
fn address_families_combine_like_systemd() {
    let af = |main: &str, dropin: &str| {
        let u = unit(main, dropin);
        let set = u.address_families();
        ["AF_UNIX", "AF_INET", "AF_PACKET", "AF_BLUETOOTH"]
            .iter()
            .map(|f| if set.allows(f) { '+' } else { '-' })
            .collect::<String>()
    };
    assert_eq!(af("", ""), "++++");
    assert_eq!(
        af("RestrictAddressFamilies=AF_UNIX af_inet bogus\n", ""),
        "++--"
    );
    assert_eq!(
        af(
            "RestrictAddressFamilies=AF_UNIX AF_PACKET\n",
            "RestrictAddressFamilies=~AF_PACKET\n"
        ),
        "+---"
    );
    assert_eq!(
        af(
            "RestrictAddressFamilies=~AF_PACKET\n",
            "RestrictAddressFamilies=AF_PACKET\n"
        ),
        "++++"
    );
    assert_eq!(
        af(
            "RestrictAddressFamilies=AF_UNIX\n",
            "RestrictAddressFamilies=\n"
        ),
        "++++"
    );
    assert_eq!(
        af(
            "RestrictAddressFamilies=AF_UNIX\n",
            "RestrictAddressFamilies=none\n"
        ),
        "----"
    );
    // After `none` a `~` line starts a deny list.
    assert_eq!(
        af(
            "RestrictAddressFamilies=none\n",
            "RestrictAddressFamilies=~AF_UNIX\n"
        ),
        "-+++"
    );
    // Only unknown names: an empty allow list.
    assert_eq!(af("RestrictAddressFamilies=bogus\n", ""), "----");
    assert_eq!(af("RestrictAddressFamilies=AF_LOCAL\n", ""), "+---");
}

#[test]
fn namespaces_combine_like_systemd() {
    let ns = |main: &str, dropin: &str| {
        let u = unit(main, dropin);
        let set = u.namespaces();
        ["user", "net", "mnt"]
            .iter()
            .map(|n| if set.allows(n) { '+' } else { '-' })
            .collect::<String>()
    };
    assert_eq!(ns("", ""), "+++");
    assert_eq!(ns("RestrictNamespaces=yes\n", ""), "---");
    assert_eq!(
        ns("RestrictNamespaces=yes\n", "RestrictNamespaces=\n"),
        "+++"
    );
    assert_eq!(ns("RestrictNamespaces=user net\n", ""), "++-");
    assert_eq!(ns("RestrictNamespaces=~user net\n", ""), "--+");
    assert_eq!(
        ns("RestrictNamespaces=~user\n", "RestrictNamespaces=user\n"),
        "+++"
    );
    assert_eq!(
        ns("RestrictNamespaces=user\n", "RestrictNamespaces=~user\n"),
        "---"
    );
    assert_eq!(
        ns("RestrictNamespaces=yes\n", "RestrictNamespaces=net\n"),
        "-+-"
    );
    assert_eq!(
        ns("RestrictNamespaces=no\n", "RestrictNamespaces=~net\n"),
        "+-+"
    );
    // An unknown type makes systemd ignore the whole line.
    assert_eq!(
        ns("RestrictNamespaces=yes\n", "RestrictNamespaces=net bogus\n"),
        "---"
    );
    assert_eq!(ns("RestrictNamespaces=~\n", ""), "+++");
}

#[test]
fn word_splitting() {
    assert_eq!(
        split_words(" a  'b c'\td\\ e \"f", true),
        ["a", "b c", "d e", "f"]
    );
    assert_eq!(split_words("'a b'", false), ["'a", "b'"]);
    assert!(split_words("   ", true).is_empty());
}

#[test]
fn key_kinds() {
    assert_eq!(kind("Service", "ReadWritePaths"), KeyKind::List);
    assert_eq!(kind("Unit", "After"), KeyKind::ListNoReset);
    assert_eq!(kind("Unit", "DefaultDependencies"), KeyKind::Bool);
    assert_eq!(kind("Service", "X-Whatever"), KeyKind::Scalar);
    assert_eq!(parse_bool("TRUE"), Some(true));
    assert_eq!(parse_bool("\"yes\""), None);
}
