//! The badness of each check, derived from the merged unit as systemd 252's assessors do in
//! offline mode. Load-time implications (`unit_patch_contexts()`) are applied here because
//! they are systemd's defaults, not what the files say.

use std::collections::BTreeMap;

use super::syscalls::Groups;
use super::{Assessed, CHECKS};
use crate::model::systemd::{Unit, parse_bool};

pub(super) type Rows = BTreeMap<&'static str, (Option<u32>, &'static str)>;

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

const NAMESPACE_ROWS: [(&str, &str); 7] = [
    ("RestrictNamespaces_user", "user"),
    ("RestrictNamespaces_mnt", "mnt"),
    ("RestrictNamespaces_ipc", "ipc"),
    ("RestrictNamespaces_pid", "pid"),
    ("RestrictNamespaces_cgroup", "cgroup"),
    ("RestrictNamespaces_net", "net"),
    ("RestrictNamespaces_uts", "uts"),
];

const SYSCALL_ROWS: [(&str, &str); 11] = [
    ("SystemCallFilter_swap", "@swap"),
    ("SystemCallFilter_obsolete", "@obsolete"),
    ("SystemCallFilter_clock", "@clock"),
    ("SystemCallFilter_cpu_emulation", "@cpu-emulation"),
    ("SystemCallFilter_debug", "@debug"),
    ("SystemCallFilter_mount", "@mount"),
    ("SystemCallFilter_module", "@module"),
    ("SystemCallFilter_raw_io", "@raw-io"),
    ("SystemCallFilter_reboot", "@reboot"),
    ("SystemCallFilter_privileged", "@privileged"),
    ("SystemCallFilter_resources", "@resources"),
];

/// Badness 1 when `bad`, else 0.
#[expect(
    clippy::unnecessary_wraps,
    reason = "rows are `Option`s: `None` means not applicable"
)]
pub(super) fn bit(bad: bool) -> Option<u32> {
    Some(u32::from(bad))
}

/// Every check of [`CHECKS`], in order.
pub(super) fn assess(unit: &Unit) -> Vec<Assessed> {
    let mut rows = Rows::new();
    identity_rows(unit, &mut rows);
    super::caps::capability_rows(unit, &mut rows);
    process_rows(unit, &mut rows);
    let ns = unit.namespaces();
    for (field, kind) in NAMESPACE_ROWS {
        rows.insert(field, (bit(ns.allows(kind)), ""));
    }
    address_family_rows(unit, &mut rows);
    syscall_rows(unit, &mut rows);
    ip_and_device_rows(unit, &mut rows);
    CHECKS
        .iter()
        .map(|check| {
            let (badness, note) = rows.get(check.field).copied().unwrap_or((None, ""));
            Assessed {
                check,
                badness: badness.map(|b| b.min(check.range)),
                note,
            }
        })
        .collect()
}

/// Whether the service runs as root: `User=` unset, `root` or `0`, and no `DynamicUser=`.
fn runs_as_root(unit: &Unit) -> bool {
    let user = unit.value("Service", "User");
    matches!(user, Some("0" | "root"))
        || unit.flag("Service", "DynamicUser") != Some(true) && user.is_none()
}

impl Unit {
    /// Whether the service runs as root: `User=` unset, `root` or `0`, and no `DynamicUser=`.
    pub fn runs_as_root(&self) -> bool {
        runs_as_root(self)
    }
}

/// A ProtectSystem=/ProtectHome= value with booleans spelled `yes`/`no`.
fn tri(value: Option<&str>) -> Option<&str> {
    value.map(|v| parse_bool(v).map_or(v, |b| if b { "yes" } else { "no" }))
}

fn identity_rows(unit: &Unit, rows: &mut Rows) {
    let flag = |key: &str| unit.flag("Service", key) == Some(true);
    let dynamic = flag("DynamicUser");
    let root = runs_as_root(unit);
    let user = if unit.value("Service", "User") == Some("nobody") {
        (Some(9), "runs as the shared user nobody")
    } else if root {
        (Some(10), "runs as root")
    } else {
        (Some(0), "runs as a non-root user")
    };
    rows.insert("UserOrDynamicUser", user);
    // DynamicUser= implies these (unit_patch_contexts()).
    for key in BOOL_ROWS {
        let implied = dynamic
            && matches!(
                key,
                "PrivateTmp" | "RemoveIPC" | "NoNewPrivileges" | "RestrictSUIDSGID"
            );
        rows.insert(key, (bit(!(flag(key) || implied)), ""));
    }
    if root {
        rows.insert("RemoveIPC", (None, ""));
        rows.insert("SupplementaryGroups", (None, ""));
    } else {
        let groups = unit.list("Service", "SupplementaryGroups");
        rows.insert("SupplementaryGroups", (bit(!groups.words().is_empty()), ""));
    }
    let system = if dynamic {
        Some("strict")
    } else {
        tri(unit.value("Service", "ProtectSystem"))
    };
    rows.insert(
        "ProtectSystem",
        match system {
            Some("strict") => (Some(0), "the OS tree is read-only, /etc included"),
            Some("full") => (Some(3), "/usr, /boot and /etc are read-only"),
            Some("yes") => (Some(5), "/usr and /boot are read-only, /etc is writable"),
            _ => (Some(10), "the whole OS tree is writable"),
        },
    );
    let mut home = tri(unit.value("Service", "ProtectHome"));
    if dynamic && matches!(home, None | Some("no")) {
        home = Some("read-only");
    }
    rows.insert(
        "ProtectHome",
        match home {
            Some("yes") => (Some(0), "home directories are hidden"),
            Some("tmpfs") => (Some(1), "home directories are empty"),
            Some("read-only") => (Some(5), "home directories are read-only"),
            _ => (Some(10), "home directories are writable"),
        },
    );
    let chroot = unit.value("Service", "RootDirectory").is_some()
        || unit.value("Service", "RootImage").is_some();
    rows.insert("RootDirectoryOrRootImage", (bit(!chroot), ""));
    if unit.flag("Unit", "DefaultDependencies") == Some(false) {
        for key in [
            "PrivateTmp",
            "ProtectHome",
            "ProtectSystem",
            "RootDirectoryOrRootImage",
        ] {
            rows.insert(key, (None, ""));
        }
    }
}

fn process_rows(unit: &Unit, rows: &mut Rows) {
    let value = |key: &str| unit.value("Service", key);
    let umask = value("UMask")
        .and_then(|m| u32::from_str_radix(m, 8).ok())
        .unwrap_or(0o022);
    let umask_row = if umask & 0o002 == 0 {
        (Some(10), "new files are world-writable")
    } else if umask & 0o004 == 0 {
        (Some(5), "new files are world-readable")
    } else if umask & 0o020 == 0 {
        (Some(2), "new files are group-writable")
    } else if umask & 0o040 == 0 {
        (Some(1), "new files are group-readable")
    } else {
        (Some(0), "new files are private to the user")
    };
    rows.insert("UMask", umask_row);
    let keyring = !matches!(value("KeyringMode"), None | Some("private"));
    rows.insert("KeyringMode", (bit(keyring), ""));
    rows.insert(
        "ProtectProc",
        match value("ProtectProc") {
            Some("invisible" | "ptraceable") => (Some(0), "other users' processes are hidden"),
            Some("noaccess") => (Some(1), "ProtectProc=noaccess (systemd rates it 1 of 3)"),
            _ => (Some(3), "every process on the host is visible"),
        },
    );
    rows.insert("ProcSubset", (bit(value("ProcSubset") != Some("pid")), ""));
    rows.insert(
        "NotifyAccess",
        (bit(value("NotifyAccess") == Some("all")), ""),
    );
    // An empty Delegate= and controller lists (even unknown ones) turn delegation on.
    let delegate = unit
        .get("Service", "Delegate")
        .is_some_and(|s| parse_bool(&s.value) != Some(false));
    rows.insert("Delegate", (bit(delegate), ""));
}

fn address_family_rows(unit: &Unit, rows: &mut Rows) {
    let set = unit.address_families();
    let named = ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET"];
    let families: [(&str, &[&str]); 4] = [
        (
            "RestrictAddressFamilies_AF_INET_INET6",
            &["AF_INET", "AF_INET6"],
        ),
        ("RestrictAddressFamilies_AF_UNIX", &["AF_UNIX"]),
        ("RestrictAddressFamilies_AF_NETLINK", &["AF_NETLINK"]),
        ("RestrictAddressFamilies_AF_PACKET", &["AF_PACKET"]),
    ];
    // Offline, a deny list restricts a row as soon as one of its families is listed; an allow
    // list must list none of them.
    let restricted = |listed: bool| match set.allow_list {
        None => false,
        Some(true) => !listed,
        Some(false) => listed,
    };
    for (field, members) in families {
        let listed = members.iter().any(|f| set.families.contains(f));
        rows.insert(field, (bit(!restricted(listed)), ""));
    }
    let other = set.families.iter().any(|f| !named.contains(f));
    rows.insert(
        "RestrictAddressFamilies_OTHER",
        (bit(!restricted(other)), ""),
    );
}

fn syscall_rows(unit: &Unit, rows: &mut Rows) {
    let archs: Vec<String> = unit
        .list("Service", "SystemCallArchitectures")
        .words()
        .into_iter()
        .map(|w| w.text)
        .filter(|a| ["native", "x86", "x86-64", "x32", "arm", "arm64"].contains(&a.as_str()))
        .collect();
    let arch_row = if archs.is_empty() {
        (Some(10), "every ABI is allowed")
    } else if archs.iter().all(|a| a == "native") {
        (Some(0), "only the native ABI")
    } else {
        (Some(8), "several ABIs are allowed")
    };
    rows.insert("SystemCallArchitectures", arch_row);
    let filter = unit.syscall_filter();
    let groups = Groups::new();
    let listed = groups.listed(&filter);
    for (field, group) in SYSCALL_ROWS {
        let row = match filter.allow_list {
            Some(false) if listed.is_empty() => (Some(10), "no system call filter"),
            None => (Some(10), "no system call filter"),
            Some(allow) => {
                let members = groups.expand(group);
                let open = members.iter().any(|m| listed.contains(m) == allow);
                match (allow, open) {
                    (true, true) => (Some(9), "the allow list admits calls of this group"),
                    (false, true) => (Some(10), "the deny list misses calls of this group"),
                    (_, false) => (Some(0), "every call of this group is blocked"),
                }
            }
        };
        rows.insert(field, row);
    }
}

fn ip_and_device_rows(unit: &Unit, rows: &mut Rows) {
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
    let ip_row = if !deny_all {
        (Some(10), "no IP address allow list")
    } else if allow.iter().any(|w| !localhost(w)) {
        (Some(5), "addresses beyond localhost are allowed")
    } else if !allow.is_empty() {
        (Some(2), "only localhost is allowed")
    } else {
        (Some(0), "all IP traffic is blocked")
    };
    rows.insert("IPAddressDeny", ip_row);
    let mut policy = unit.value("Service", "DevicePolicy").unwrap_or("auto");
    if unit.flag("Service", "PrivateDevices") == Some(true) && policy == "auto" {
        policy = "closed";
    }
    let entries = !unit.list("Service", "DeviceAllow").is_empty()
        || unit.flag("Service", "ProtectClock") == Some(true);
    let device_row = match (policy, entries) {
        ("strict" | "closed", true) => (Some(5), "a few device nodes are allowed"),
        ("strict" | "closed", false) => (Some(0), "only pseudo devices"),
        _ => (Some(10), "every device node is accessible"),
    };
    rows.insert("DeviceAllow", device_row);
}
