//! What systemd prints for the levels of its multi-level checks, so a row's description can
//! be held to the badness our engine derives, and systemd's system call groups as it lists
//! them (`systemd-analyze syscall-filter`), to hold the engine's generated table to.

use std::collections::BTreeMap;
use std::process::Command;

use crate::support::{program, run};

/// A part of systemd 252's description for `field` at `badness`; `Some("")` when systemd
/// prints no description (`ProtectProc=noaccess`), `None` when any description will do.
pub(crate) fn fragment(field: &str, badness: Option<u32>) -> Option<&'static str> {
    let b = badness?;
    let text = match (field, b) {
        ("UserOrDynamicUser", 9) => "'nobody' user",
        ("UserOrDynamicUser", 10) => "runs as root user",
        ("UserOrDynamicUser", 0) => "non-root user identity",
        ("ProtectSystem", 0) => "strict read-only",
        ("ProtectSystem", 3) => "very limited write",
        ("ProtectSystem", 5) => "has limited write",
        ("ProtectSystem", 10) => "full access to the OS",
        ("ProtectHome", 0) => "no access to home",
        ("ProtectHome", 1) => "fake empty home",
        ("ProtectHome", 5) => "read-only access to home",
        ("ProtectHome", 10) => "full access to home",
        ("UMask", 10) => "world-writable",
        ("UMask", 5) => "world-readable",
        ("UMask", 2) => "group-writable",
        ("UMask", 1) => "group-readable",
        ("UMask", 0) => "own user",
        ("ProtectProc", 0) => "restricted access",
        ("ProtectProc", 1) => "",
        ("ProtectProc", 3) => "full access to process tree",
        ("SystemCallArchitectures", 10) => "all ABIs",
        ("SystemCallArchitectures", 0) => "native ABI",
        ("SystemCallArchitectures", 8) => "multiple ABIs",
        ("IPAddressDeny", 10) => "does not define an IP address allow list",
        ("IPAddressDeny", 5) => "non-localhost",
        ("IPAddressDeny", 2) => "only localhost",
        ("IPAddressDeny", 0) => "blocks all",
        ("DeviceAllow", 5) => "some special devices",
        ("DeviceAllow", 0) => "minimal device ACL",
        ("DeviceAllow", 10) => "no device ACL",
        (f, 9) if f.starts_with("SystemCallFilter_") => "allow list defined for service, and @",
        (f, 0) if f.starts_with("SystemCallFilter_") => "list defined for service, and @",
        _ => return None,
    };
    Some(text)
}

/// `systemd-analyze syscall-filter`: every group and its members as printed.
pub(crate) fn systemd_groups() -> BTreeMap<String, Vec<String>> {
    let (ok, out, err) = run(Command::new(program(&["systemd-analyze"])).arg("syscall-filter"));
    assert!(ok, "systemd-analyze syscall-filter failed: {err}");
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in out.lines() {
        if line.starts_with('@') {
            current = line.trim().to_string();
            groups.entry(current.clone()).or_default();
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
    groups
}
