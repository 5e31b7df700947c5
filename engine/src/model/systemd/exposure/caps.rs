//! The 26 capability rows and the ambient set: what is left in `CapabilityBoundingSet=` after
//! the capabilities that other settings drop at load time.

use super::checks::{Rows, bit};
use crate::model::systemd::Unit;

const CAP_ROWS: [(&str, &[&str]); 26] = [
    ("CapabilityBoundingSet_CAP_SYS_ADMIN", &["CAP_SYS_ADMIN"]),
    (
        "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP",
        &["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"],
    ),
    ("CapabilityBoundingSet_CAP_SYS_PTRACE", &["CAP_SYS_PTRACE"]),
    ("CapabilityBoundingSet_CAP_SYS_TIME", &["CAP_SYS_TIME"]),
    ("CapabilityBoundingSet_CAP_NET_ADMIN", &["CAP_NET_ADMIN"]),
    ("CapabilityBoundingSet_CAP_SYS_RAWIO", &["CAP_SYS_RAWIO"]),
    ("CapabilityBoundingSet_CAP_SYS_MODULE", &["CAP_SYS_MODULE"]),
    (
        "CapabilityBoundingSet_CAP_AUDIT",
        &["CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE"],
    ),
    ("CapabilityBoundingSet_CAP_SYSLOG", &["CAP_SYSLOG"]),
    (
        "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE",
        &["CAP_SYS_NICE", "CAP_SYS_RESOURCE"],
    ),
    ("CapabilityBoundingSet_CAP_MKNOD", &["CAP_MKNOD"]),
    (
        "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP",
        &["CAP_CHOWN", "CAP_FSETID", "CAP_SETFCAP"],
    ),
    (
        "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER",
        &[
            "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER",
            "CAP_IPC_OWNER",
        ],
    ),
    ("CapabilityBoundingSet_CAP_KILL", &["CAP_KILL"]),
    (
        "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
        &["CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW"],
    ),
    ("CapabilityBoundingSet_CAP_SYS_BOOT", &["CAP_SYS_BOOT"]),
    (
        "CapabilityBoundingSet_CAP_MAC",
        &["CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE"],
    ),
    (
        "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
        &["CAP_LINUX_IMMUTABLE"],
    ),
    ("CapabilityBoundingSet_CAP_IPC_LOCK", &["CAP_IPC_LOCK"]),
    ("CapabilityBoundingSet_CAP_SYS_CHROOT", &["CAP_SYS_CHROOT"]),
    (
        "CapabilityBoundingSet_CAP_BLOCK_SUSPEND",
        &["CAP_BLOCK_SUSPEND"],
    ),
    ("CapabilityBoundingSet_CAP_WAKE_ALARM", &["CAP_WAKE_ALARM"]),
    ("CapabilityBoundingSet_CAP_LEASE", &["CAP_LEASE"]),
    (
        "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
        &["CAP_SYS_TTY_CONFIG"],
    ),
    ("CapabilityBoundingSet_CAP_SYS_PACCT", &["CAP_SYS_PACCT"]),
    ("CapabilityBoundingSet_CAP_BPF", &["CAP_BPF"]),
];

/// The capabilities left in the bounding set, with those that `ProtectKernelModules=`,
/// `ProtectKernelLogs=`, `ProtectClock=` and `PrivateDevices=` drop taken out.
pub(super) fn capability_rows(unit: &Unit, rows: &mut Rows) {
    let flag = |key: &str| unit.flag("Service", key) == Some(true);
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
        rows.insert(field, (bit(present), ""));
    }
    let ambient = unit.capabilities("AmbientCapabilities").mask != 0;
    rows.insert("AmbientCapabilities", (bit(ambient), ""));
}
