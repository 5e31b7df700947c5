//! The keys systemd 252 knows in `[Unit]`, `[Install]` and `[Service]` (its `load-fragment`
//! table; the oracle test compares with the strings of the installed libsystemd-core), for
//! telling a misspelt or misplaced key from a real one. Left out on purpose: the options 252
//! only warns about and ignores (`Capabilities=`, `BusPolicy=`, `NetClass=`,
//! `SysVStartPriority=`). Keys are case-sensitive.

const UNIT: &str = "Description Documentation Wants Requires Requisite BindsTo PartOf Upholds \
Conflicts Before After OnFailure OnSuccess PropagatesReloadTo ReloadPropagatedFrom \
PropagatesStopTo StopPropagatedFrom JoinsNamespaceOf RequiresMountsFor OnFailureJobMode \
OnSuccessJobMode IgnoreOnIsolate StopWhenUnneeded RefuseManualStart RefuseManualStop \
AllowIsolate DefaultDependencies CollectMode FailureAction SuccessAction \
FailureActionExitStatus SuccessActionExitStatus JobTimeoutSec JobRunningTimeoutSec \
JobTimeoutAction JobTimeoutRebootArgument StartLimitIntervalSec StartLimitInterval \
StartLimitBurst StartLimitAction RebootArgument SourcePath ConditionPathExists \
ConditionPathExistsGlob ConditionPathIsDirectory ConditionPathIsSymbolicLink \
ConditionPathIsMountPoint ConditionPathIsReadWrite ConditionPathIsEncrypted \
ConditionDirectoryNotEmpty ConditionFileNotEmpty ConditionFileIsExecutable ConditionUser \
ConditionGroup ConditionControlGroupController ConditionVirtualization ConditionHost \
ConditionKernelCommandLine ConditionKernelVersion ConditionArchitecture ConditionSecurity \
ConditionCapability ConditionACPower ConditionNeedsUpdate ConditionFirstBoot \
ConditionEnvironment ConditionMemory ConditionCPUs ConditionCPUFeature ConditionOSRelease \
ConditionCredential ConditionCPUPressure ConditionMemoryPressure ConditionIOPressure \
ConditionFirmware AssertPathExists AssertPathExistsGlob AssertPathIsDirectory \
AssertPathIsSymbolicLink AssertPathIsMountPoint AssertPathIsReadWrite AssertPathIsEncrypted \
AssertDirectoryNotEmpty AssertFileNotEmpty AssertFileIsExecutable AssertUser AssertGroup \
AssertControlGroupController AssertVirtualization AssertHost AssertKernelCommandLine \
AssertKernelVersion AssertArchitecture AssertSecurity AssertCapability AssertACPower \
AssertNeedsUpdate AssertFirstBoot AssertEnvironment AssertMemory AssertCPUs AssertCPUFeature \
AssertOSRelease AssertCredential AssertCPUPressure AssertIOPressure AssertMemoryPressure BindTo \
IgnoreOnSnapshot OnFailureIsolate PropagateReloadFrom PropagateReloadTo RequiresOverridable \
RequisiteOverridable";

const INSTALL: &str = "Alias WantedBy RequiredBy Also DefaultInstance";

const SERVICE: &str = "Type ExitType RemainAfterExit GuessMainPID PIDFile BusName ExecStart \
ExecStartPre ExecStartPost ExecCondition ExecReload ExecStop ExecStopPost RestartSec \
TimeoutStartSec TimeoutStopSec TimeoutAbortSec TimeoutSec TimeoutStartFailureMode \
TimeoutStopFailureMode RuntimeMaxSec RuntimeRandomizedExtraSec WatchdogSec Restart \
SuccessExitStatus RestartPreventExitStatus RestartForceExitStatus RootDirectoryStartOnly \
NonBlocking NotifyAccess Sockets FileDescriptorStoreMax USBFunctionDescriptors \
USBFunctionStrings OOMPolicy PermissionsStartOnly WorkingDirectory RootDirectory RootImage \
RootImageOptions RootHash RootHashSignature RootVerity MountAPIVFS ProtectProc ProcSubset \
BindPaths BindReadOnlyPaths MountImages ExtensionImages ExtensionDirectories User Group \
DynamicUser SupplementaryGroups PAMName CapabilityBoundingSet AmbientCapabilities \
NoNewPrivileges SecureBits SELinuxContext AppArmorProfile SmackProcessLabel LimitCPU \
LimitFSIZE LimitDATA LimitSTACK LimitCORE LimitRSS LimitNOFILE LimitAS LimitNPROC \
LimitMEMLOCK LimitLOCKS LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME \
UMask CoredumpFilter KeyringMode OOMScoreAdjust TimerSlackNSec Personality IgnoreSIGPIPE \
Nice CPUSchedulingPolicy CPUSchedulingPriority CPUSchedulingResetOnFork CPUAffinity \
NUMAPolicy NUMAMask IOSchedulingClass IOSchedulingPriority ProtectSystem ProtectHome \
RuntimeDirectory StateDirectory CacheDirectory LogsDirectory ConfigurationDirectory \
RuntimeDirectoryMode StateDirectoryMode CacheDirectoryMode LogsDirectoryMode \
ConfigurationDirectoryMode RuntimeDirectoryPreserve TimeoutCleanSec ReadWritePaths \
ReadOnlyPaths InaccessiblePaths ExecPaths NoExecPaths TemporaryFileSystem PrivateTmp \
PrivateDevices PrivateNetwork NetworkNamespacePath PrivateIPC IPCNamespacePath PrivateUsers \
ProtectHostname ProtectClock ProtectKernelTunables ProtectKernelModules ProtectKernelLogs \
ProtectControlGroups RestrictAddressFamilies RestrictFileSystems RestrictNamespaces \
LockPersonality MemoryDenyWriteExecute RestrictRealtime RestrictSUIDSGID RemoveIPC \
PrivateMounts MountFlags SystemCallFilter SystemCallErrorNumber SystemCallArchitectures \
SystemCallLog Environment EnvironmentFile PassEnvironment UnsetEnvironment StandardInput \
StandardOutput StandardError StandardInputText StandardInputData LogLevelMax LogExtraFields \
LogRateLimitIntervalSec LogRateLimitBurst LogNamespace SyslogIdentifier SyslogFacility \
SyslogLevel SyslogLevelPrefix TTYPath TTYReset TTYVHangup TTYRows TTYColumns \
TTYVTDisallocate LoadCredential LoadCredentialEncrypted SetCredential SetCredentialEncrypted \
UtmpIdentifier UtmpMode KillMode KillSignal RestartKillSignal SendSIGHUP SendSIGKILL \
FinalKillSignal WatchdogSignal CPUAccounting CPUWeight StartupCPUWeight CPUQuota \
CPUQuotaPeriodSec AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes \
StartupAllowedMemoryNodes MemoryAccounting MemoryMin MemoryLow MemoryHigh MemoryMax \
MemorySwapMax TasksAccounting TasksMax IOAccounting IOWeight StartupIOWeight IODeviceWeight \
IOReadBandwidthMax IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax \
IODeviceLatencyTargetSec IPAccounting IPAddressAllow IPAddressDeny IPIngressFilterPath \
IPEgressFilterPath BPFProgram SocketBindAllow SocketBindDeny RestrictNetworkInterfaces \
DeviceAllow DevicePolicy Slice Delegate DisableControllers ManagedOOMSwap \
ManagedOOMMemoryPressure ManagedOOMMemoryPressureLimit ManagedOOMPreference CPUShares \
StartupCPUShares MemoryLimit BlockIOAccounting BlockIOWeight StartupBlockIOWeight \
BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth DefaultMemoryMin \
DefaultMemoryLow ExecSearchPath FailureAction InaccessibleDirectories ReadOnlyDirectories \
ReadWriteDirectories RebootArgument StartLimitAction StartLimitBurst StartLimitInterval";

/// The `[Service]` keys that harden the sandbox: a lost one weakens it.
const HARDENING: &str = "User Group DynamicUser SupplementaryGroups CapabilityBoundingSet \
AmbientCapabilities NoNewPrivileges UMask KeyringMode ProtectProc ProcSubset ProtectSystem \
ProtectHome ReadWritePaths ReadOnlyPaths InaccessiblePaths NoExecPaths ExecPaths PrivateTmp \
PrivateDevices PrivateNetwork PrivateIPC PrivateUsers PrivateMounts ProtectHostname \
ProtectClock ProtectKernelTunables ProtectKernelModules ProtectKernelLogs \
ProtectControlGroups RestrictAddressFamilies RestrictFileSystems RestrictNamespaces \
LockPersonality MemoryDenyWriteExecute RestrictRealtime RestrictSUIDSGID RemoveIPC \
SystemCallFilter SystemCallErrorNumber SystemCallArchitectures IPAddressAllow IPAddressDeny \
DeviceAllow DevicePolicy RootDirectory RootImage NotifyAccess Delegate";

fn keys(section: &str) -> &'static str {
    match section {
        "Unit" => UNIT,
        "Install" => INSTALL,
        "Service" => SERVICE,
        _ => "",
    }
}

fn words(list: &str) -> impl Iterator<Item = &str> {
    list.split_whitespace()
}

/// Every key we know in `[section]` (`Unit`, `Install` or `Service`).
pub fn known_keys(section: &str) -> impl Iterator<Item = &'static str> {
    words(keys(section))
}

/// Whether systemd knows `key` in `[section]` (`Unit`, `Install` or `Service`).
pub fn is_known(section: &str, key: &str) -> bool {
    words(keys(section)).any(|k| k == key)
}

/// Whether `key` is one of the sandbox settings of `[Service]`.
pub fn is_hardening(key: &str) -> bool {
    words(HARDENING).any(|k| k == key)
}

/// What is wrong with `key` in `[section]`, if we can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// Known with other letter case: systemd keys are case-sensitive.
    Case { correct: &'static str },
    /// Known, but in another section, where systemd would read it.
    Section {
        correct: &'static str,
        section: &'static str,
    },
    /// Unknown, but close to a hardening key.
    Typo { correct: &'static str },
    /// Unknown to systemd 252 and close to nothing: maybe a key of a newer systemd.
    Unknown,
}

/// `None` when the key is fine or not ours to judge (`X-` keys, other sections).
pub fn key_problem(section: &str, key: &str) -> Option<KeyProblem> {
    if !matches!(section, "Unit" | "Install" | "Service") || key.starts_with("X-") {
        return None;
    }
    if is_known(section, key) {
        return None;
    }
    if let Some(correct) = words(keys(section)).find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(KeyProblem::Case { correct });
    }
    for other in ["Service", "Unit", "Install"] {
        if other == section {
            continue;
        }
        if let Some(correct) = words(keys(other)).find(|k| k.eq_ignore_ascii_case(key)) {
            return Some(KeyProblem::Section {
                correct,
                section: other,
            });
        }
    }
    if section == "Service" && key.len() >= 6 {
        let lower = key.to_ascii_lowercase();
        if let Some(correct) =
            words(HARDENING).find(|k| distance(&k.to_ascii_lowercase(), &lower) <= 2)
        {
            return Some(KeyProblem::Typo { correct });
        }
    }
    Some(KeyProblem::Unknown)
}

/// Levenshtein distance, for short keys.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            let value = (prev + cost).min(above + 1).min(left + 1);
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}
