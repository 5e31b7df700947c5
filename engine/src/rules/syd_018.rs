use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::Parsed;
use crate::model::systemd::{KeyProblem, is_hardening, key_problem};

declare_rule! {
    /// ## What it does
    /// Reports keys in `[Unit]`, `[Install]` and `[Service]` that systemd does not know
    /// there: the wrong letter case (`protecthome=yes`), a `[Service]` setting written under
    /// `[Unit]` (or the reverse), a near miss of a hardening key (`ProtectSytem=`), any other
    /// key systemd 252 does not know (low: it may be a newer systemd's), and a section header
    /// in the wrong case (`[service]`), which systemd skips whole. Medium
    /// when the intended key hardens the sandbox, low otherwise. `X-` keys are left alone.
    ///
    /// ## Why is this bad?
    /// systemd logs "Unknown key name …, ignoring" and starts the service without the
    /// setting. A drop-in that reads as hardened then does nothing; after code execution in
    /// an app the attacker meets the sandbox as it was before the drop-in, and only the
    /// journal at boot tells.
    ///
    /// ## How to fix
    /// Spell the key exactly as systemd.directives(7) does and put it in the section it
    /// belongs to. The fix renames the key; it is marked for review because systemd then
    /// applies a setting it was ignoring.
    ///
    /// ## Example
    /// ```systemd-dropin bad
    /// [Service]
    /// protecthome=yes
    /// ```
    /// ```systemd-dropin good
    /// [Service]
    /// ProtectHome=yes
    /// ```
    ///
    /// ## References
    /// - systemd.directives(7); systemd.syntax(7)
    /// - `systemd-analyze verify` ("Unknown key name")
    UnknownKey {
        id: "SYD-018",
        title: "unknown or misplaced key (case, section)",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for UnknownKey {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let Parsed::Systemd(doc) = parsed else {
                continue;
            };
            for section in &doc.sections {
                if let Some(correct) = ["Unit", "Service", "Install"]
                    .into_iter()
                    .find(|n| *n != section.name && n.eq_ignore_ascii_case(section.name.trim()))
                {
                    let hardening = section.assignments.iter().any(|a| is_hardening(&a.key));
                    let message = format!(
                        "section names are case-sensitive: systemd ignores `[{}]` and every line in it (`[{correct}]` was meant)",
                        section.name
                    );
                    let finding = Self::meta_static().finding(*file, section.header_range, message);
                    out.push(if hardening {
                        finding
                    } else {
                        finding.with_severity(Severity::Low)
                    });
                    continue;
                }
                for a in &section.assignments {
                    let Some(problem) = key_problem(&section.name, &a.key) else {
                        continue;
                    };
                    let (correct, what) = match problem {
                        KeyProblem::Case { correct } => (
                            correct,
                            format!(
                                "keys are case-sensitive, so `{}` is unknown (`{correct}` was meant)",
                                a.key
                            ),
                        ),
                        KeyProblem::Section {
                            correct,
                            section: home,
                        } => (
                            correct,
                            format!("`{correct}` belongs in [{home}], not [{}]", section.name),
                        ),
                        KeyProblem::Typo { correct } => (
                            correct,
                            format!("`{}` is not a systemd key (`{correct}`?)", a.key),
                        ),
                        KeyProblem::Unknown => (
                            "",
                            format!(
                                "systemd 252 (Debian 12) does not know `{}` in [{}]; a newer systemd may",
                                a.key, section.name
                            ),
                        ),
                    };
                    let message = format!(
                        "{what}; systemd ignores `{}={}` and runs without it",
                        a.key, a.value
                    );
                    let mut finding = Self::meta_static().finding(
                        *file,
                        a.key_range.cover(a.value_range),
                        message,
                    );
                    if !is_hardening(correct) {
                        finding = finding.with_severity(Severity::Low);
                    }
                    if !matches!(problem, KeyProblem::Section { .. } | KeyProblem::Unknown) {
                        finding = finding.with_fix(Fix {
                            title: format!("rename to {correct}"),
                            // systemd starts applying a value it ignored so far.
                            safety: Safety::NeedsReview,
                            edits: vec![Edit {
                                file: *file,
                                range: a.key_range,
                                replacement: correct.to_string(),
                            }],
                        });
                    }
                    out.push(finding);
                }
            }
        }
    }
}
