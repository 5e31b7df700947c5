use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::systemd::{Label, service_anchor};

declare_rule! {
    /// ## What it does
    /// Scores every PHP-FPM unit (a `php*-fpm*.service`, or a service whose `ExecStart=` runs
    /// php-fpm) the way `systemd-analyze security --offline=yes` does: the 81 weighted checks of
    /// systemd 252 on the unit merged with all its drop-ins, giving an exposure from 0.0 (tight)
    /// to 10.0 (no sandbox) and a label. The finding sits on the unit's `[Service]` header and
    /// names the checks that cost the most. UNSAFE and DANGEROUS are high, EXPOSED medium,
    /// MEDIUM low; OK, SAFE and PERFECT units get no finding (their score is still in the
    /// report's `units`).
    ///
    /// ## Why is this bad?
    /// The unit's sandbox is what is left once an attacker runs code in one app: PHP code
    /// runs in a worker of the FPM master, inside whatever the unit allows. With no hardening
    /// (Debian's stock unit scores 9.6) the worker sees the whole filesystem that its uid can
    /// reach, every home directory, the kernel's tunables and logs, every address family and
    /// every system call, so a local privilege escalation or a readable secret anywhere on the
    /// host is one step away. Each point the score drops closes a part of that.
    ///
    /// ## How to fix
    /// `fpmaudit fix` writes the drop-in for you (a fix that needs review):
    /// `/etc/systemd/system/<unit>.d/50-hardening.conf`, computed from the pools, php-fpm.conf,
    /// php.ini and nginx files given. It keeps only the capabilities the pools use (pool
    /// `user` → CAP_SETUID, CAP_SETGID, CAP_KILL; `listen.owner` → CAP_CHOWN; a socket or pid
    /// directory root may not own → CAP_DAC_OVERRIDE; slowlog → CAP_SYS_PTRACE and `ptrace`;
    /// `chroot` → CAP_SYS_CHROOT and `chroot`; a TCP port below 1024 →
    /// CAP_NET_BIND_SERVICE), lists every directory FPM and PHP write in `ReadWritePaths=`,
    /// and leaves out what would break them: `PrivateTmp=` when a socket or the sessions live
    /// in /tmp, `ProtectHome=yes` (read-only instead) when a document root or pool path lives
    /// under /home, `MemoryDenyWriteExecute=` unless pcre.jit and the OPcache JIT are off,
    /// `NoNewPrivileges=` when a pool uses `apparmor_hat`. Each line has a comment naming the
    /// pool or directive that asked for it. When a later drop-in sets the same keys, the file
    /// is named to be read after it (`zz.conf` → `zz_hardening.conf`). For the Debian
    /// package the result scores 2.4 OK. Without the pool files it assumes Debian's stock
    /// pool and says so.
    ///
    /// By hand: add a drop-in with `systemctl edit php8.2-fpm` and harden what FPM does not need:
    /// `ProtectSystem=strict` with `ReadWritePaths=` for the socket, log and session
    /// directories, `PrivateTmp=`, `PrivateDevices=`, `ProtectHome=`, the `ProtectKernel*=`
    /// settings, `RestrictNamespaces=`, `RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6`,
    /// `SystemCallFilter=@system-service` and a `CapabilityBoundingSet=` that keeps only what
    /// the master uses (CAP_SETUID, CAP_SETGID, CAP_CHOWN, CAP_KILL, CAP_DAC_OVERRIDE). Check
    /// the result with `systemd-analyze security php8.2-fpm.service`; the other SYD rules
    /// catch settings that would break FPM.
    ///
    /// ## Example
    /// ```systemd-unit bad
    /// [Service]
    /// Type=notify
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// Type=notify
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_DAC_OVERRIDE
    /// NoNewPrivileges=yes
    /// ProtectSystem=strict
    /// ReadWritePaths=/run/php /var/lib/php/sessions /var/log
    /// PrivateTmp=yes
    /// PrivateDevices=yes
    /// PrivateMounts=yes
    /// ProtectHome=yes
    /// ProtectKernelTunables=yes
    /// ProtectKernelModules=yes
    /// ProtectKernelLogs=yes
    /// ProtectControlGroups=yes
    /// ProtectClock=yes
    /// ProtectHostname=yes
    /// ProtectProc=invisible
    /// RestrictSUIDSGID=yes
    /// RestrictRealtime=yes
    /// RestrictNamespaces=yes
    /// LockPersonality=yes
    /// RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
    /// SystemCallArchitectures=native
    /// SystemCallFilter=@system-service
    /// UMask=0027
    /// ```
    ///
    /// ## References
    /// - systemd-analyze(1), `security`; systemd `src/analyze/analyze-security.c` (v252)
    /// - systemd.exec(5)
    /// - research notes: systemd-containers.md §b (weights, ranges, rounding), §3.4 (drop-in)
    ExposureScore {
        id: "SYD-001",
        title: "exposure score (identical to `systemd-analyze security --offline`)",
        severity: High,
        fixable: true,
    }
}

impl Rule for ExposureScore {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            let Some(file) = unit.main else {
                continue;
            };
            let exposure = unit.exposure();
            let label = exposure.label();
            let severity = match label {
                Label::Dangerous | Label::Unsafe => Severity::High,
                Label::Exposed => Severity::Medium,
                Label::Medium => Severity::Low,
                Label::Ok | Label::Safe | Label::Perfect => continue,
            };
            let worst: Vec<String> = exposure
                .worst(4)
                .iter()
                .map(|row| {
                    if row.note.is_empty() {
                        row.check.name.to_string()
                    } else {
                        format!("{} ({})", row.check.name, row.note)
                    }
                })
                .collect();
            let message = format!(
                "{}: exposure {} {} as `systemd-analyze security` scores it; code running in any pool gets this sandbox. Costliest checks: {}. `fpmaudit fix` writes a hardening drop-in computed from the pools given",
                unit.name,
                exposure.score_text(),
                label.as_str(),
                worst.join(", ")
            );
            let anchor = cx
                .model
                .unit_doc(file)
                .map(service_anchor)
                .unwrap_or_default();
            out.push(
                Self::meta_static()
                    .finding(file, anchor, message)
                    .with_severity(severity),
            );
        }
    }
}
