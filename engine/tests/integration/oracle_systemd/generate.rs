//! Random but reproducible unit trees: a php-fpm-like service (plain or a template instance),
//! sometimes a second main file lower on the search path, and 0–3 drop-ins in random search
//! directories and drop-in directories (exact, template, dash prefix, type level) with random
//! hardening lines, including resets, duplicates, bad values, spacing and continuations.

use crate::support::Rng;

/// One generated host: the unit to assess and the files, by host path.
#[derive(Debug)]
pub(crate) struct Case {
    pub(crate) unit: String,
    pub(crate) files: Vec<(String, String)>,
}

/// Search directories `systemd-analyze --root` reads as well (the generator and transient
/// directories move to a temporary directory in offline mode, so they are left out).
const DIRS: [&str; 7] = [
    "/etc/systemd/system.control",
    "/run/systemd/system.control",
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
];

const DROPIN_NAMES: [&str; 5] = [
    "override.conf",
    "10-a.conf",
    "50-hardening.conf",
    "90-z.conf",
    "zz.conf",
];

const BOOL_KEYS: [&str; 17] = [
    "PrivateTmp",
    "PrivateDevices",
    "PrivateNetwork",
    "PrivateUsers",
    "PrivateMounts",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectClock",
    "ProtectControlGroups",
    "ProtectHostname",
    "NoNewPrivileges",
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "RestrictRealtime",
    "RestrictSUIDSGID",
    "RemoveIPC",
];

const BOOL_VALUES: &[&str] = &[
    "yes",
    "no",
    "true",
    "0",
    "on",
    "Off",
    "Y",
    "",
    "maybe",
    "yes # note",
];

const SCALARS: &[(&str, &[&str])] = &[
    (
        "ProtectSystem",
        &[
            "yes",
            "no",
            "full",
            "strict",
            "",
            "strict # ro",
            "Strict",
            "true",
            "off",
        ],
    ),
    (
        "ProtectHome",
        &["yes", "no", "read-only", "tmpfs", "", "bogus", "1"],
    ),
    (
        "ProtectProc",
        &["default", "noaccess", "invisible", "ptraceable", "", "bad"],
    ),
    ("ProcSubset", &["all", "pid", "", "PID"]),
    ("KeyringMode", &["inherit", "private", "shared", "", "x"]),
    ("NotifyAccess", &["none", "main", "exec", "all", ""]),
    (
        "UMask",
        &[
            "0022", "0027", "0077", "0002", "0000", "", "bad", "0007", "027", "0020", "0070",
        ],
    ),
    (
        "User",
        &[
            "www-data", "root", "0", "nobody", "", "bad name", "33", "site", "a:b",
        ],
    ),
    ("DynamicUser", &["yes", "no", "no", "1", "maybe"]),
    ("SupplementaryGroups", &["adm", "", "www-data adm"]),
    ("DevicePolicy", &["auto", "closed", "strict", ""]),
    ("DeviceAllow", &["/dev/null rw", ""]),
    ("IPAddressDeny", &["any", "", "10.0.0.0/8"]),
    (
        "IPAddressAllow",
        &["localhost", "127.0.0.1", "10.0.0.0/8", ""],
    ),
    ("Delegate", &["yes", "no", "", "cpu", "bogus"]),
    ("RootDirectory", &["/srv/chroot", ""]),
    (
        "SystemCallArchitectures",
        &[
            "native",
            "",
            "native x86-64",
            "x86",
            "bogus",
            "native native",
        ],
    ),
    (
        "RestrictNamespaces",
        &[
            "yes",
            "no",
            "",
            "~",
            "user net",
            "~user",
            "net bogus",
            "cgroup ipc mnt pid uts",
            "~net time",
            "user",
        ],
    ),
];

const CAPS: [&str; 16] = [
    "CAP_SETUID",
    "CAP_SETGID",
    "CAP_CHOWN",
    "CAP_KILL",
    "CAP_DAC_OVERRIDE",
    "CAP_SYS_ADMIN",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_PTRACE",
    "CAP_SYS_CHROOT",
    "CAP_SYS_TIME",
    "CAP_MKNOD",
    "cap_syslog",
    "21",
    "bogus",
    "CAP_BPF",
    "CAP_AUDIT_WRITE",
];

const SYSCALLS: [&str; 19] = [
    "@system-service",
    "@privileged",
    "@resources",
    "@mount",
    "@clock",
    "@debug",
    "ptrace",
    "chroot",
    "@swap",
    "@obsolete",
    "@raw-io",
    "@reboot",
    "@module",
    "@cpu-emulation",
    "bogus",
    "@default",
    "@setuid",
    "@chown",
    "reboot",
];

const FAMILIES: [&str; 9] = [
    "AF_UNIX",
    "AF_INET",
    "AF_INET6",
    "AF_NETLINK",
    "AF_PACKET",
    "AF_BLUETOOTH",
    "af_local",
    "bogus",
    "AF_ROUTE",
];

fn tilde_list(
    rng: &mut Rng,
    pool: &[&str],
    tilde: u64,
    max: usize,
    suffix: Option<&str>,
) -> String {
    let mut words = Vec::new();
    for _ in 0..=rng.below(max) {
        let mut word = (*rng.pick(pool)).to_string();
        if let Some(suffix) = suffix
            && rng.chance(15)
        {
            word.push_str(suffix);
        }
        words.push(word);
    }
    let prefix = if rng.chance(tilde) { "~" } else { "" };
    format!("{prefix}{}", words.join(" "))
}

/// One `Key=value` line (possibly continued over several lines).
fn setting(rng: &mut Rng) -> String {
    let (key, value) = match rng.below(10) {
        0..=2 => (
            (*rng.pick(&BOOL_KEYS)).to_string(),
            (*rng.pick(BOOL_VALUES)).to_string(),
        ),
        3..=5 => {
            let (key, values) = rng.pick(SCALARS);
            ((*key).to_string(), (*rng.pick(values)).to_string())
        }
        6 | 7 => {
            let key = if rng.chance(75) {
                "CapabilityBoundingSet"
            } else {
                "AmbientCapabilities"
            };
            let value = match rng.below(20) {
                0..=2 => String::new(),
                3 => "~".to_string(),
                _ => tilde_list(rng, &CAPS, 30, 3, None),
            };
            (key.to_string(), value)
        }
        8 => {
            let value = if rng.chance(15) {
                String::new()
            } else {
                tilde_list(rng, &SYSCALLS, 40, 2, Some(":EPERM"))
            };
            ("SystemCallFilter".to_string(), value)
        }
        _ => {
            let value = match rng.below(20) {
                0 | 1 => String::new(),
                2 => "none".to_string(),
                3 => "~".to_string(),
                _ => tilde_list(rng, &FAMILIES, 35, 3, None),
            };
            ("RestrictAddressFamilies".to_string(), value)
        }
    };
    let value = if value.contains(' ') && rng.chance(15) {
        // A continuation, sometimes with a comment line inside it.
        let joint = if rng.chance(30) {
            " \\\n# not a value\n  "
        } else {
            " \\\n  "
        };
        value.replacen(' ', joint, 1)
    } else {
        value
    };
    match rng.below(20) {
        0 => format!("  {key} = {value}\n"),
        1 => format!("{} = {value}\n", key.to_lowercase()),
        _ => format!("{key}={value}\n"),
    }
}

fn main_text(rng: &mut Rng, version: &str) -> String {
    let mut text = format!(
        "[Unit]\nDescription=The PHP {version} FastCGI Process Manager\nAfter=network.target\n\n[Service]\nType=notify\n\
         ExecStart=/usr/sbin/php-fpm{version} --nodaemonize --fpm-config /etc/php/{version}/fpm/php-fpm.conf\n\
         ExecReload=/bin/kill -USR2 $MAINPID\n"
    );
    for _ in 0..rng.below(5) {
        text.push_str(&setting(rng));
    }
    text.push_str("\n[Install]\nWantedBy=multi-user.target\n");
    text
}

fn dropin_text(rng: &mut Rng) -> String {
    if rng.chance(5) {
        // An empty drop-in: it masks same-named ones lower down.
        return String::new();
    }
    let mut text = String::new();
    if rng.chance(8) {
        text.push_str("[Unit]\nDefaultDependencies=no\n\n");
    }
    text.push_str("[Service]\n");
    if rng.chance(10) {
        text.push_str("ExecStart=\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\n");
    }
    for _ in 0..=rng.below(5) {
        text.push_str(&setting(rng));
    }
    text
}

pub(crate) fn case(rng: &mut Rng) -> Case {
    // (unit to assess, main file name, drop-in directory owners to choose from)
    let (unit, main, owners): (&str, &str, &[&str]) = match rng.below(3) {
        0 => (
            "php8.2-fpm.service",
            "php8.2-fpm.service",
            &["php8.2-fpm.service", "php8.2-.service", "service"],
        ),
        1 => (
            "php-fpm@site1.service",
            "php-fpm@.service",
            &[
                "php-fpm@site1.service",
                "php-fpm@.service",
                "php-fpm@site2.service",
                "php-.service",
                "service",
            ],
        ),
        _ => (
            "php8.3-fpm.service",
            "php8.3-fpm.service",
            &["php8.3-fpm.service", "php8.3-.service", "service"],
        ),
    };
    let version = if unit.contains("8.3") { "8.3" } else { "8.2" };
    let mut files = Vec::new();
    let main_rank = 2 + rng.below(DIRS.len() - 2);
    files.push((
        format!("{}/{main}", DIRS[main_rank]),
        main_text(rng, version),
    ));
    if main_rank + 1 < DIRS.len() && rng.chance(25) {
        // A lower copy that the one above replaces entirely.
        let lower = main_rank + 1 + rng.below(DIRS.len() - main_rank - 1);
        files.push((format!("{}/{main}", DIRS[lower]), main_text(rng, version)));
    }
    for _ in 0..rng.below(4) {
        let owner = if rng.chance(60) {
            owners[0]
        } else {
            *rng.pick(owners)
        };
        let path = format!("{}/{owner}.d/{}", rng.pick(&DIRS), rng.pick(&DROPIN_NAMES));
        if files.iter().all(|(p, _)| *p != path) {
            files.push((path, dropin_text(rng)));
        }
    }
    Case {
        unit: unit.to_string(),
        files,
    }
}
