//! The drop-in's text: the research notes' §3.4 drop-in, with each conditional line decided
//! by the [`Facts`] and a comment above every setting saying what asked for it. Comments
//! stay on their own lines: systemd has no inline comments (SYD-017).

use std::fmt::Write as _;

use super::facts::Facts;
use super::paths::writable;
use super::{MARKER, Unit};

/// Lists an earlier file of the unit sets, which the drop-in starts over so that the
/// result is exactly what it says (they would otherwise add up with ours).
#[derive(Debug, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about earlier files, each deciding one line"
)]
pub(super) struct Resets {
    pub(super) caps: bool,
    pub(super) syscalls: bool,
    pub(super) families: bool,
    /// `AmbientCapabilities=` is set: an empty bounding set would take those away.
    pub(super) ambient: bool,
    /// An earlier file sets `MemoryDenyWriteExecute=yes`, which a JIT in use breaks.
    pub(super) mdwe: bool,
    /// An earlier file sets `PrivateTmp=yes`, which hides a socket in /tmp.
    pub(super) private_tmp: bool,
}

struct Out(String);

impl Out {
    fn set(&mut self, why: &str, line: &str) {
        let _ = writeln!(self.0, "# {why}\n{line}");
    }

    fn note(&mut self, why: &str) {
        let _ = writeln!(self.0, "# {why}");
    }
}

/// At most three reasons, so a host with many pools keeps readable comments.
fn why(reasons: &[String]) -> String {
    let mut shown: Vec<&str> = reasons.iter().take(3).map(String::as_str).collect();
    let more = reasons.len().saturating_sub(3);
    let tail = format!("and {more} more");
    if more > 0 {
        shown.push(&tail);
    }
    shown.join("; ")
}

fn header(out: &mut Out, unit: &Unit, facts: &Facts, after: Option<&str>) {
    let _ = writeln!(
        out.0,
        "{MARKER} for {name} from the FPM, PHP and nginx files it was given:\n\
         # the sandbox this master needs and nothing more. Review it, then run\n\
         #   systemctl daemon-reload && systemctl restart {name}\n\
         # and check the result with `systemd-analyze security {name}`.",
        name = unit.name
    );
    if !facts.given {
        out.note("The pools and php-fpm.conf of this unit were not given: Debian's stock pool");
        out.note("[www] (www-data, /run/php) is assumed. Audit them too to get the exact set.");
    }
    if let Some(name) = after {
        out.note(&format!(
            "Named to be read after {name}, which sets some of the same keys."
        ));
    }
    out.0.push_str("[Service]\n");
}

fn capabilities(out: &mut Out, facts: &Facts, resets: &Resets, unit: &Unit) {
    if !facts.root {
        if !resets.ambient {
            let user = unit.value("Service", "User").unwrap_or("its User=");
            let why = format!(
                "the master runs as {user}: it switches to no other user and needs no capabilities"
            );
            out.set(&why, "CapabilityBoundingSet=");
        }
        return;
    }
    if facts.caps.is_empty() {
        out.note(
            "no pool asks the root master for a capability; CapabilityBoundingSet= is left alone",
        );
        return;
    }
    if resets.caps {
        let why = "an earlier file sets CapabilityBoundingSet=: start from none, add what FPM uses";
        out.set(why, "CapabilityBoundingSet=");
    }
    // Capabilities asked for by the same settings share a line (CAP_SETUID CAP_SETGID).
    let mut lines: Vec<(Vec<&str>, &[String])> = Vec::new();
    for (cap, reasons) in &facts.caps {
        match lines.iter_mut().find(|(_, r)| *r == reasons.as_slice()) {
            Some((caps, _)) => caps.push(cap),
            None => lines.push((vec![cap], reasons)),
        }
    }
    for (caps, reasons) in lines {
        let caps = caps.join(" ");
        out.set(
            &format!("{caps}: {}", why(reasons)),
            &format!("CapabilityBoundingSet={caps}"),
        );
    }
}

fn filesystem(out: &mut Out, facts: &Facts, resets: &Resets) {
    let private_tmp = facts.shared_tmp.is_empty();
    out.set(
        "the OS tree read-only; FPM and PHP write only in the directories below",
        "ProtectSystem=strict",
    );
    for (dir, reasons) in writable(facts, private_tmp) {
        // `-`: a directory that does not exist yet must not stop the unit from starting.
        out.set(&why(&reasons), &format!("ReadWritePaths=-{dir}"));
    }
    for note in &facts.notes {
        out.note(note);
    }
    if !facts.trees.is_empty() {
        out.note(&format!(
            "{} stay read-only to PHP: add ReadWritePaths= for the directories an app writes (uploads, caches)",
            facts.trees.join(", ")
        ));
    }
    if private_tmp {
        out.set(
            "uploads and temp files in a private /tmp and /var/tmp; no socket or session lives there",
            "PrivateTmp=yes",
        );
    } else {
        let reason = format!(
            "{}; nginx and every restart must see them (move them to /run/php/, then use PrivateTmp=yes)",
            why(&facts.shared_tmp)
        );
        if resets.private_tmp {
            out.set(&reason, "PrivateTmp=no");
        } else {
            out.note(&format!("no PrivateTmp=: {reason}"));
        }
    }
    out.set(
        "only pseudo devices (null, zero, urandom, tty): PHP opens no others",
        "PrivateDevices=yes",
    );
    out.set(
        "stated, so the offline and the online score agree",
        "PrivateMounts=yes",
    );
    if facts.home.is_empty() {
        out.set(
            "no document root or pool path lives under /home, /root or /run/user",
            "ProtectHome=yes",
        );
    } else {
        let reasons = format!("read-only, not hidden: {}", why(&facts.home));
        out.set(&reasons, "ProtectHome=read-only");
    }
}

const KERNEL: &[(&str, &str)] = &[
    (
        "ProtectKernelTunables=yes",
        "FPM changes no kernel tunables",
    ),
    ("ProtectKernelModules=yes", "FPM loads no kernel modules"),
    ("ProtectKernelLogs=yes", "FPM reads no kernel log"),
    ("ProtectControlGroups=yes", "FPM changes no control groups"),
    ("ProtectClock=yes", "FPM never sets the clock"),
    ("ProtectHostname=yes", "FPM never sets the host name"),
    (
        "ProtectProc=invisible",
        "PHP cannot see other users' processes in /proc",
    ),
    (
        "RestrictSUIDSGID=yes",
        "PHP cannot create setuid or setgid files",
    ),
    ("RestrictRealtime=yes", "FPM needs no realtime scheduling"),
    ("RestrictNamespaces=yes", "FPM creates no namespaces"),
    (
        "LockPersonality=yes",
        "FPM never changes its execution domain",
    ),
];

fn kernel(out: &mut Out, facts: &Facts, resets: &Resets) {
    for (line, why) in KERNEL {
        out.set(why, line);
    }
    if resets.families {
        out.set(
            "an earlier file sets RestrictAddressFamilies=: start over",
            "RestrictAddressFamilies=",
        );
    }
    out.set(
        "unix sockets (listen, sd_notify, syslog) and TCP (the apps' databases and APIs, TCP listen)",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    );
    out.set("native system calls only", "SystemCallArchitectures=native");
    if resets.syscalls {
        out.set(
            "an earlier file sets SystemCallFilter=: start over",
            "SystemCallFilter=",
        );
    }
    out.set(
        "what services use; keeps @setuid, @chown and @resources, which the master uses",
        "SystemCallFilter=@system-service",
    );
    for (call, reasons) in &facts.syscalls {
        out.set(&why(reasons), &format!("SystemCallFilter={call}"));
    }
    if facts.resources.is_empty() {
        out.set(
            "no rlimit_* or process.priority is set: FPM changes no limits or priorities",
            "SystemCallFilter=~@resources",
        );
    } else {
        out.note(&format!(
            "@resources stays allowed: {}",
            why(&facts.resources)
        ));
    }
    out.set(
        "a blocked call fails with EPERM instead of killing the worker",
        "SystemCallErrorNumber=EPERM",
    );
}

fn process(out: &mut Out, facts: &Facts, resets: &Resets) {
    if facts.hats.is_empty() {
        out.set(
            "FPM runs no setuid programs; a setgid sendmail (Postfix's postdrop) fails: drop this if PHP's mail() uses one",
            "NoNewPrivileges=yes",
        );
    } else {
        out.note(&format!(
            "no NoNewPrivileges=: AppArmor refuses the hat change under it ({})",
            why(&facts.hats)
        ));
    }
    if facts.group_readable_ok {
        out.set(
            "new files group-readable, never world-readable (nginx shares the pools' user or group)",
            "UMask=0027",
        );
    } else {
        out.note("UMask= stays 0022: nginx reads the pools' files as another user and group");
    }
    if facts.jit.is_empty() {
        out.set(
            "pcre.jit = 0 and the OPcache JIT is off: no memory needs to be writable and executable",
            "MemoryDenyWriteExecute=yes",
        );
    } else if resets.mdwe {
        let why = format!(
            "{}: the JIT needs writable, executable memory (turn it off, then drop this line)",
            why(&facts.jit)
        );
        out.set(&why, "MemoryDenyWriteExecute=no");
    } else {
        out.note(&format!(
            "no MemoryDenyWriteExecute=: {} (a JIT needs writable, executable memory)",
            why(&facts.jit)
        ));
    }
}

/// The whole drop-in for `unit` (its settings without this drop-in).
pub(super) fn render(unit: &Unit, facts: &Facts, resets: &Resets, after: Option<&str>) -> String {
    let mut out = Out(String::new());
    header(&mut out, unit, facts, after);
    capabilities(&mut out, facts, resets, unit);
    process(&mut out, facts, resets);
    filesystem(&mut out, facts, resets);
    kernel(&mut out, facts, resets);
    out.0
}
