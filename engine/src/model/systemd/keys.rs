//! How systemd 252 treats an assignment of each key: which keys are lists, which values it
//! accepts, and what an empty assignment does. Everything was checked with `systemd-analyze
//! security --offline=yes` (see `tests/integration/oracle_systemd.rs`); keys not listed here
//! are taken as written, the last assignment winning.

use super::Effect;

/// The merge rule of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Last accepted assignment wins; any value is accepted, an empty one included.
    Scalar,
    /// A boolean; anything else (an empty value too) is ignored and the previous value stays.
    Bool,
    /// Like [`KeyKind::Bool`], but systemd refuses to load the unit on a bad value
    /// (`DynamicUser=`: "Failed to parse boolean value", "Unit configuration has fatal error").
    BoolFatal,
    /// One of the words, or (when `bools`) a boolean; anything else, an empty value included,
    /// is ignored.
    Enum {
        words: &'static [&'static str],
        bools: bool,
    },
    /// An octal file mode creation mask; empty or bad values are ignored.
    Umask,
    /// A user or group name or numeric id; empty resets to the default (root), a bad name is
    /// fatal ("Invalid user/group name or numeric ID").
    UserGroup,
    /// A value whose empty assignment resets to the default (`RootDirectory=`).
    Resettable,
    /// `Delegate=`: a boolean or a list of controllers; an empty value turns delegation on.
    Delegate,
    /// Assignments add up; an empty one drops everything set before.
    List,
    /// Assignments add up and cannot be reset (`After=`, `Wants=`): an empty one does nothing.
    ListNoReset,
    /// `CapabilityBoundingSet=`, `AmbientCapabilities=`: see [`super::sets::CapabilitySet`].
    Capabilities,
    /// `SystemCallFilter=`: see [`super::sets::SyscallFilter`].
    SyscallFilter,
    /// `RestrictAddressFamilies=`: see [`super::sets::AddressFamilies`].
    AddressFamilies,
    /// `RestrictNamespaces=`: see [`super::sets::Namespaces`].
    Namespaces,
}

const EXEC_BOOLS: &[&str] = &[
    "PrivateTmp",
    "PrivateDevices",
    "PrivateNetwork",
    "PrivateUsers",
    "PrivateIPC",
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
    "MountAPIVFS",
    "IgnoreSIGPIPE",
    "RuntimeDirectoryPreserve",
    "SendSIGKILL",
    "SendSIGHUP",
    "RemainAfterExit",
    "GuessMainPID",
    "PermissionsStartOnly",
    "RootDirectoryStartOnly",
];

const UNIT_BOOLS: &[&str] = &[
    "DefaultDependencies",
    "IgnoreOnIsolate",
    "StopWhenUnneeded",
    "RefuseManualStart",
    "RefuseManualStop",
    "AllowIsolate",
];

/// Exec, cgroup and service lists that an empty assignment resets.
const EXEC_LISTS: &[&str] = &[
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecCondition",
    "ExecReload",
    "ExecStop",
    "ExecStopPost",
    "ReadWritePaths",
    "ReadOnlyPaths",
    "InaccessiblePaths",
    "ExecPaths",
    "NoExecPaths",
    "BindPaths",
    "BindReadOnlyPaths",
    "TemporaryFileSystem",
    "Environment",
    "EnvironmentFile",
    "PassEnvironment",
    "UnsetEnvironment",
    "SupplementaryGroups",
    "SystemCallArchitectures",
    "SystemCallLog",
    "RestrictFileSystems",
    "RestrictNetworkInterfaces",
    "DeviceAllow",
    "IPAddressAllow",
    "IPAddressDeny",
    "IPIngressFilterPath",
    "IPEgressFilterPath",
    "SocketBindAllow",
    "SocketBindDeny",
    "RuntimeDirectory",
    "StateDirectory",
    "CacheDirectory",
    "LogsDirectory",
    "ConfigurationDirectory",
    "LoadCredential",
    "LoadCredentialEncrypted",
    "SetCredential",
    "SetCredentialEncrypted",
    "MountImages",
    "ExtensionImages",
    "ExtensionDirectories",
    "Sockets",
    "ListenStream",
    "ListenDatagram",
    "ListenSequentialPacket",
    "ListenFIFO",
    "ListenSpecial",
    "ListenNetlink",
    "ListenMessageQueue",
    "ListenUSBFunction",
    "Symlinks",
];

const UNIT_DEPENDENCIES: &[&str] = &[
    "After",
    "Before",
    "Wants",
    "Requires",
    "Requisite",
    "BindsTo",
    "PartOf",
    "Upholds",
    "Conflicts",
    "OnFailure",
    "OnSuccess",
    "PropagatesReloadTo",
    "ReloadPropagatedFrom",
    "PropagatesStopTo",
    "StopPropagatedFrom",
    "JoinsNamespaceOf",
    "WantedBy",
    "RequiredBy",
    "Also",
    "Alias",
];

/// The kind of `key` in `section`. Exec settings are looked up in every section but `[Unit]`
/// and `[Install]`, since services, sockets, mounts and swaps share them.
pub fn kind(section: &str, key: &str) -> KeyKind {
    if section == "Unit" || section == "Install" {
        return if UNIT_BOOLS.contains(&key) {
            KeyKind::Bool
        } else if UNIT_DEPENDENCIES.contains(&key) {
            KeyKind::ListNoReset
        } else if key == "Documentation" {
            KeyKind::List
        } else {
            KeyKind::Scalar
        };
    }
    match key {
        "DynamicUser" => KeyKind::BoolFatal,
        "ProtectSystem" => enums(&["full", "strict"], true),
        "ProtectHome" => enums(&["read-only", "tmpfs"], true),
        "ProtectProc" => enums(&["default", "noaccess", "invisible", "ptraceable"], false),
        "ProcSubset" => enums(&["all", "pid"], false),
        "KeyringMode" => enums(&["inherit", "private", "shared"], false),
        "NotifyAccess" => enums(&["none", "main", "exec", "all"], false),
        "DevicePolicy" => enums(&["auto", "closed", "strict"], false),
        "KillMode" => enums(&["control-group", "process", "mixed", "none"], false),
        "UMask" => KeyKind::Umask,
        "User" | "Group" => KeyKind::UserGroup,
        "RootDirectory" | "RootImage" => KeyKind::Resettable,
        "Delegate" => KeyKind::Delegate,
        "CapabilityBoundingSet" | "AmbientCapabilities" => KeyKind::Capabilities,
        "SystemCallFilter" => KeyKind::SyscallFilter,
        "RestrictAddressFamilies" => KeyKind::AddressFamilies,
        "RestrictNamespaces" => KeyKind::Namespaces,
        _ if EXEC_BOOLS.contains(&key) => KeyKind::Bool,
        _ if EXEC_LISTS.contains(&key) => KeyKind::List,
        _ => KeyKind::Scalar,
    }
}

const fn enums(words: &'static [&'static str], bools: bool) -> KeyKind {
    KeyKind::Enum { words, bools }
}

/// systemd's `parse_boolean()`.
pub fn parse_bool(value: &str) -> Option<bool> {
    const TRUE: [&str; 6] = ["1", "yes", "y", "true", "t", "on"];
    const FALSE: [&str; 6] = ["0", "no", "n", "false", "f", "off"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(value)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(value)) {
        Some(false)
    } else {
        None
    }
}

/// `valid_user_group_name(…, VALID_USER_RELAX|VALID_USER_ALLOW_NUMERIC)`: not empty, no
/// control characters (a tab included), `:` or `/`, not `.` or `..`, not a negative number,
/// and a numeric id must be a valid uid (not -1, not the 16-bit -1). Spaces inside are
/// accepted with a warning (`User=bad name` is a user "bad name").
pub fn valid_user_name(name: &str) -> bool {
    if name.is_empty() || name == "." || name == ".." {
        return false;
    }
    if name.chars().any(|c| c.is_control() || c == ':' || c == '/') {
        return false;
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return name
            .parse::<u32>()
            .is_ok_and(|uid| uid != u32::MAX && uid != 65535);
    }
    !(name.starts_with('-') && name.bytes().skip(1).all(|b| b.is_ascii_digit()))
}

fn valid_umask(value: &str) -> bool {
    !value.is_empty()
        && value.bytes().all(|b| (b'0'..=b'7').contains(&b))
        && u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777)
}

/// What systemd does with `key=value` in `section`, judged on the value alone.
pub fn effect_of(section: &str, key: &str, value: &str) -> Effect {
    effect(kind(section, key), value)
}

/// What one assignment does under `kind`, judged on its value alone. The list kinds with `~`
/// semantics are judged again when they are combined (see [`super::sets`]).
pub(super) fn effect(kind: KeyKind, value: &str) -> Effect {
    let accepted = |ok: bool| if ok { Effect::Applied } else { Effect::Ignored };
    match kind {
        // Delegate takes a boolean or a controller list, and systemd keeps either.
        KeyKind::Scalar | KeyKind::Delegate => Effect::Applied,
        KeyKind::Bool => accepted(parse_bool(value).is_some()),
        KeyKind::BoolFatal => {
            if parse_bool(value).is_some() {
                Effect::Applied
            } else {
                Effect::Fatal
            }
        }
        KeyKind::Enum { words, bools } => {
            accepted(words.contains(&value) || bools && parse_bool(value).is_some())
        }
        KeyKind::Umask => accepted(valid_umask(value)),
        KeyKind::UserGroup => {
            if value.is_empty() {
                Effect::Reset
            } else if valid_user_name(value) {
                Effect::Applied
            } else {
                Effect::Fatal
            }
        }
        KeyKind::Resettable => {
            if value.is_empty() {
                Effect::Reset
            } else {
                accepted(value.starts_with('/'))
            }
        }
        KeyKind::ListNoReset => accepted(!value.is_empty()),
        KeyKind::Namespaces if !value.is_empty() => {
            accepted(parse_bool(value).is_some() || super::sets::namespaces_valid(value))
        }
        KeyKind::List
        | KeyKind::Capabilities
        | KeyKind::SyscallFilter
        | KeyKind::AddressFamilies
        | KeyKind::Namespaces => {
            if value.is_empty() {
                Effect::Reset
            } else {
                Effect::Applied
            }
        }
    }
}
