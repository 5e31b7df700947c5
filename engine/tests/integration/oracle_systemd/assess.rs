//! What `systemd-analyze security --offline=yes` must print for each check, derived only from
//! our merged [`Unit`]. The checks are those of systemd 252's `analyze-security.c` (offline
//! path); they read the effective value of every hardening setting, so a row that disagrees
//! points at a merge, reset or parse rule we got wrong. Load-time implications
//! (`unit_patch_contexts()`: DynamicUser, PrivateDevices, ProtectClock, …) are applied here,
//! not in the model, because they are systemd's defaults rather than what the files say.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use fpmaudit_engine::model::systemd::{Unit, parse_bool};

use crate::support::{program, run};

/// What one row must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// `null` when the check does not apply, else whether the service is safe on this point.
    pub(crate) set: Option<bool>,
    /// A part of the row's description that tells the levels of multi-level checks apart;
    /// `Some("")` when systemd prints no description (`ProtectProc=noaccess` in 252).
    pub(crate) description: Option<&'static str>,
}

/// The system call groups as systemd itself lists them (`systemd-analyze syscall-filter`),
/// and every name it knows (`@known`, flattened).
#[derive(Debug)]
pub(crate) struct Groups {
    groups: BTreeMap<String, Vec<String>>,
    known: BTreeSet<String>,
}

impl Groups {
    pub(crate) fn load() -> Self {
        let (ok, out, err) = run(Command::new(program(&["systemd-analyze"])).arg("syscall-filter"));
        assert!(ok, "systemd-analyze syscall-filter failed: {err}");
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current = String::new();
        for line in out.lines() {
            if line.starts_with('@') {
                current = line.trim().to_string();
            } else if let Some(member) = line.strip_prefix("    ")
                && !member.starts_with('#')
                && !current.is_empty()
            {
                groups
                    .entry(current.clone())
                    .or_default()
                    .push(member.trim().to_string());
            } else if line.is_empty() {
                current.clear();
            }
        }
        assert!(
            groups.contains_key("@system-service"),
            "no groups in:\n{out}"
        );
        let mut all = Self {
            groups,
            known: BTreeSet::new(),
        };
        let mut known = BTreeSet::new();
        all.flatten("@known", &mut known);
        all.known = known;
        all
    }

    fn flatten(&self, name: &str, out: &mut BTreeSet<String>) {
        match self.groups.get(name) {
            Some(members) => members.iter().for_each(|m| self.flatten(m, out)),
            None if !name.starts_with('@') => {
                out.insert(name.to_string());
            }
            None => {}
        }
    }

    /// The system calls a name stands for; names systemd does not know stand for nothing.
    fn expand(&self, name: &str, out: &mut BTreeSet<String>) {
        let mut names = BTreeSet::new();
        self.flatten(name, &mut names);
        out.extend(names.into_iter().filter(|n| self.known.contains(n)));
    }
}

const CAP_ROWS: [(&str, &[&str]); 26] = [
    ("CAP_SYS_ADMIN", &["CAP_SYS_ADMIN"]),
    (
        "CAP_SET_UID_GID_PCAP",
        &["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"],
    ),
    ("CAP_SYS_PTRACE", &["CAP_SYS_PTRACE"]),
    ("CAP_SYS_TIME", &["CAP_SYS_TIME"]),
    ("CAP_NET_ADMIN", &["CAP_NET_ADMIN"]),
    ("CAP_SYS_RAWIO", &["CAP_SYS_RAWIO"]),
    ("CAP_SYS_MODULE", &["CAP_SYS_MODULE"]),
    (
        "CAP_AUDIT",
        &["CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE"],
    ),
    ("CAP_SYSLOG", &["CAP_SYSLOG"]),
    (
        "CAP_SYS_NICE_RESOURCE",
        &["CAP_SYS_NICE", "CAP_SYS_RESOURCE"],
    ),
    ("CAP_MKNOD", &["CAP_MKNOD"]),
    (
        "CAP_CHOWN_FSETID_SETFCAP",
        &["CAP_CHOWN", "CAP_FSETID", "CAP_SETFCAP"],
    ),
    (
        "CAP_DAC_FOWNER_IPC_OWNER",
        &[
            "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER",
            "CAP_IPC_OWNER",
        ],
    ),
    ("CAP_KILL", &["CAP_KILL"]),
    // systemd 252 spells this json_field with a stray ")".
    (
        "CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
        &["CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW"],
    ),
    ("CAP_SYS_BOOT", &["CAP_SYS_BOOT"]),
    ("CAP_MAC", &["CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE"]),
    ("CAP_LINUX_IMMUTABLE", &["CAP_LINUX_IMMUTABLE"]),
    ("CAP_IPC_LOCK", &["CAP_IPC_LOCK"]),
    ("CAP_SYS_CHROOT", &["CAP_SYS_CHROOT"]),
    ("CAP_BLOCK_SUSPEND", &["CAP_BLOCK_SUSPEND"]),
    ("CAP_WAKE_ALARM", &["CAP_WAKE_ALARM"]),
    ("CAP_LEASE", &["CAP_LEASE"]),
    ("CAP_SYS_TTY_CONFIG", &["CAP_SYS_TTY_CONFIG"]),
    ("CAP_SYS_PACCT", &["CAP_SYS_PACCT"]),
    ("CAP_BPF", &["CAP_BPF"]),
];

const BOOL_ROWS: [&str; 17] = [
    "PrivateDevices",
    "PrivateMounts",
    "PrivateNetwork",
    "PrivateTmp",
    "PrivateUsers",
    "ProtectControlGroups",
    "ProtectKernelModules",
    "ProtectKernelTunables",
    "ProtectKernelLogs",
    "ProtectClock",
    "ProtectHostname",
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "NoNewPrivileges",
    "RestrictRealtime",
    "RestrictSUIDSGID",
    "RemoveIPC",
];

const SYSCALL_ROWS: [&str; 11] = [
    "swap",
    "obsolete",
    "clock",
    "cpu-emulation",
    "debug",
    "mount",
    "module",
    "raw-io",
    "reboot",
    "privileged",
    "resources",
];

fn row(bad: u8) -> Row {
    Row {
        set: Some(bad == 0),
        description: None,
    }
}

fn level(bad: u8, description: &'static str) -> Row {
    Row {
        set: Some(bad == 0),
        description: Some(description),
    }
}

const NOT_APPLICABLE: Row = Row {
    set: None,
    description: None,
};

/// Every row `json_field` → what it must say, for the unit `name`.
pub(crate) fn expected(unit: &Unit, groups: &Groups) -> BTreeMap<String, Row> {
    let flag = |key: &str| unit.flag("Service", key) == Some(true);
    let value = |key: &str| unit.value("Service", key);
    let dynamic = flag("DynamicUser");
    let user = value("User");
    let privileged = matches!(user, Some("0" | "root")) || !dynamic && user.is_none();
    let default_deps = unit.flag("Unit", "DefaultDependencies") != Some(false);
    let mut rows = BTreeMap::new();
    let mut put = |field: &str, r: Row| rows.insert(field.to_string(), r);

    put(
        "UserOrDynamicUser",
        if user == Some("nobody") {
            level(9, "'nobody' user")
        } else if privileged {
            level(10, "runs as root user")
        } else {
            level(0, "non-root user identity")
        },
    );
    // DynamicUser= implies these (unit_patch_contexts()).
    for key in BOOL_ROWS {
        let on = flag(key)
            || dynamic
                && matches!(
                    key,
                    "PrivateTmp" | "RemoveIPC" | "NoNewPrivileges" | "RestrictSUIDSGID"
                );
        put(key, row(u8::from(!on)));
    }
    if privileged {
        put("RemoveIPC", NOT_APPLICABLE);
        put("SupplementaryGroups", NOT_APPLICABLE);
    } else {
        let groups = unit.list("Service", "SupplementaryGroups");
        put(
            "SupplementaryGroups",
            row(u8::from(!groups.words().is_empty())),
        );
    }
    let protect_system = if dynamic {
        Some("strict")
    } else {
        value("ProtectSystem")
    };
    put(
        "ProtectSystem",
        match protect_system.map(|v| parse_bool(v).map_or(v, |b| if b { "yes" } else { "no" })) {
            Some("strict") => level(0, "strict read-only"),
            Some("full") => level(3, "very limited write"),
            Some("yes") => level(5, "has limited write"),
            _ => level(10, "full access to the OS"),
        },
    );
    let mut protect_home =
        value("ProtectHome").map(|v| parse_bool(v).map_or(v, |b| if b { "yes" } else { "no" }));
    if dynamic && matches!(protect_home, None | Some("no")) {
        protect_home = Some("read-only");
    }
    put(
        "ProtectHome",
        match protect_home {
            Some("yes") => level(0, "no access to home"),
            Some("tmpfs") => level(1, "fake empty home"),
            Some("read-only") => level(5, "read-only access to home"),
            _ => level(10, "full access to home"),
        },
    );
    let root_dir = value("RootDirectory").is_some() || value("RootImage").is_some();
    put("RootDirectoryOrRootImage", row(u8::from(!root_dir)));
    if !default_deps {
        for key in [
            "PrivateTmp",
            "ProtectHome",
            "ProtectSystem",
            "RootDirectoryOrRootImage",
        ] {
            put(key, NOT_APPLICABLE);
        }
    }

    // Capabilities, with what ProtectKernelModules/Logs, ProtectClock and PrivateDevices drop.
    let bounding = unit.capabilities("CapabilityBoundingSet");
    let mut dropped: Vec<&str> = Vec::new();
    if flag("ProtectKernelModules") {
        dropped.push("CAP_SYS_MODULE");
    }
    if flag("ProtectKernelLogs") {
        dropped.push("CAP_SYSLOG");
    }
    if flag("ProtectClock") {
        dropped.extend(["CAP_SYS_TIME", "CAP_WAKE_ALARM"]);
    }
    if flag("PrivateDevices") {
        dropped.extend(["CAP_MKNOD", "CAP_SYS_RAWIO"]);
    }
    for (field, caps) in CAP_ROWS {
        let present = caps
            .iter()
            .any(|c| bounding.contains(c) && !dropped.contains(c));
        put(
            &format!("CapabilityBoundingSet_{field}"),
            row(u8::from(present)),
        );
    }
    put(
        "AmbientCapabilities",
        row(u8::from(unit.capabilities("AmbientCapabilities").mask != 0)),
    );

    let umask = value("UMask")
        .and_then(|m| u32::from_str_radix(m, 8).ok())
        .unwrap_or(0o022);
    put(
        "UMask",
        if umask & 0o002 == 0 {
            level(10, "world-writable")
        } else if umask & 0o004 == 0 {
            level(5, "world-readable")
        } else if umask & 0o020 == 0 {
            level(2, "group-writable")
        } else if umask & 0o040 == 0 {
            level(1, "group-readable")
        } else {
            level(0, "own user")
        },
    );
    put(
        "KeyringMode",
        row(u8::from(!matches!(
            value("KeyringMode"),
            None | Some("private")
        ))),
    );
    put(
        "ProtectProc",
        match value("ProtectProc") {
            Some("invisible" | "ptraceable") => level(0, "restricted access"),
            Some("noaccess") => level(1, ""),
            _ => level(3, "full access to process tree"),
        },
    );
    put(
        "ProcSubset",
        row(u8::from(value("ProcSubset") != Some("pid"))),
    );
    put(
        "NotifyAccess",
        row(u8::from(value("NotifyAccess") == Some("all"))),
    );
    // An empty Delegate= and controller lists (even unknown ones) turn delegation on.
    let delegate = unit
        .get("Service", "Delegate")
        .is_some_and(|s| parse_bool(&s.value) != Some(false));
    put("Delegate", row(u8::from(delegate)));

    let ns = unit.namespaces();
    for kind in ["user", "mnt", "ipc", "pid", "cgroup", "net", "uts"] {
        put(
            &format!("RestrictNamespaces_{kind}"),
            row(u8::from(ns.allows(kind))),
        );
    }
    address_family_rows(unit, &mut put);

    let archs: BTreeSet<String> = unit
        .list("Service", "SystemCallArchitectures")
        .words()
        .into_iter()
        .map(|w| w.text)
        .filter(|a| ["native", "x86", "x86-64", "x32", "arm", "arm64"].contains(&a.as_str()))
        .collect();
    put(
        "SystemCallArchitectures",
        if archs.is_empty() {
            level(10, "all ABIs")
        } else if archs.len() == 1 && archs.contains("native") {
            level(0, "native ABI")
        } else {
            level(8, "multiple ABIs")
        },
    );
    syscall_rows(unit, groups, &mut put);
    ip_and_device_rows(unit, &mut put);
    rows
}

fn address_family_rows(unit: &Unit, put: &mut impl FnMut(&str, Row) -> Option<Row>) {
    let set = unit.address_families();
    let named = ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET"];
    let rows: [(&str, &[&str]); 4] = [
        ("AF_INET_INET6", &["AF_INET", "AF_INET6"]),
        ("AF_UNIX", &["AF_UNIX"]),
        ("AF_NETLINK", &["AF_NETLINK"]),
        ("AF_PACKET", &["AF_PACKET"]),
    ];
    let other = set.families.iter().any(|f| !named.contains(f));
    for (field, families) in rows {
        let listed = families.iter().any(|f| set.families.contains(f));
        // Offline, a deny list counts as restricting a row as soon as one of its families is
        // listed; an allow list must list none of them.
        let good = match set.allow_list {
            None => false,
            Some(true) => !listed,
            Some(false) => listed,
        };
        put(
            &format!("RestrictAddressFamilies_{field}"),
            row(u8::from(!good)),
        );
    }
    let good_other = match set.allow_list {
        None => false,
        Some(true) => !other,
        Some(false) => other,
    };
    put("RestrictAddressFamilies_OTHER", row(u8::from(!good_other)));
}

fn syscall_rows(unit: &Unit, groups: &Groups, put: &mut impl FnMut(&str, Row) -> Option<Row>) {
    let filter = unit.syscall_filter();
    let mut set = BTreeSet::new();
    if filter.allow_list == Some(true) {
        groups.expand("@default", &mut set);
    }
    for op in &filter.ops {
        let mut names = BTreeSet::new();
        groups.expand(&op.name, &mut names);
        if op.add {
            set.extend(names);
        } else {
            set.retain(|n| !names.contains(n));
        }
    }
    for group in SYSCALL_ROWS {
        let field = format!("SystemCallFilter_{}", group.replace('-', "_"));
        let r = match filter.allow_list {
            Some(false) if set.is_empty() => level(10, "does not filter"),
            None => level(10, "does not filter"),
            Some(allow) => {
                let mut members = BTreeSet::new();
                groups.expand(&format!("@{group}"), &mut members);
                let bad = members.iter().any(|m| set.contains(m) == allow);
                match (allow, bad) {
                    (true, true) => level(9, "allow list defined for service, and @"),
                    (true, false) => level(0, "allow list defined for service, and @"),
                    (false, true) => level(10, "deny list defined for service, and @"),
                    (false, false) => level(0, "deny list defined for service, and @"),
                }
            }
        };
        put(&field, r);
    }
}

fn ip_and_device_rows(unit: &Unit, put: &mut impl FnMut(&str, Row) -> Option<Row>) {
    let words = |key: &str| -> Vec<String> {
        unit.list("Service", key)
            .words()
            .into_iter()
            .map(|w| w.text)
            .collect()
    };
    let deny_all = words("IPAddressDeny").iter().any(|w| w == "any");
    let allow = words("IPAddressAllow");
    let localhost = |w: &str| w == "localhost" || w.starts_with("127.") || w == "::1";
    put(
        "IPAddressDeny",
        if !deny_all {
            level(10, "does not define an IP address allow list")
        } else if allow.iter().any(|w| !localhost(w)) {
            level(5, "non-localhost")
        } else if !allow.is_empty() {
            level(2, "only localhost")
        } else {
            level(0, "blocks all")
        },
    );
    let mut policy = unit.value("Service", "DevicePolicy").unwrap_or("auto");
    if unit.flag("Service", "PrivateDevices") == Some(true) && policy == "auto" {
        policy = "closed";
    }
    let entries = !unit.list("Service", "DeviceAllow").is_empty()
        || unit.flag("Service", "ProtectClock") == Some(true);
    put(
        "DeviceAllow",
        match (policy, entries) {
            ("strict" | "closed", true) => level(5, "some special devices"),
            ("strict" | "closed", false) => level(0, "minimal device ACL"),
            _ => level(10, "no device ACL"),
        },
    );
}
