use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::Parsed;

declare_rule! {
    /// ## What it does
    /// Reports lines of a unit file or drop-in that systemd ignores: a line without `=` outside
    /// a comment, an assignment before the first section header, a section header that is not
    /// closed.
    ///
    /// ## Why is this bad?
    /// systemd logs such lines and carries on without them. A hardening setting on an ignored
    /// line is silently not applied, and `systemctl show` is the only place that tells.
    ///
    /// ## How to fix
    /// Write every setting as `Key=value` below a `[Section]` header; continue long values with
    /// a trailing backslash. Check with `systemd-analyze verify`.
    ///
    /// ## Example
    /// ```systemd-dropin bad
    /// [Service]
    /// ProtectSystem strict
    /// ```
    /// ```systemd-dropin good
    /// [Service]
    /// ProtectSystem=strict
    /// ```
    ///
    /// ## References
    /// - systemd.syntax(7)
    /// - systemd `src/shared/conf-parser.c`
    SystemdSyntax {
        id: "SYD-000",
        title: "unit file line systemd ignores",
        severity: Medium,
        fixable: false,
    }
}

impl Rule for SystemdSyntax {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let Parsed::Systemd(doc) = parsed else {
                continue;
            };
            for error in &doc.errors {
                out.push(Self::meta_static().finding(*file, error.range, error.message.clone()));
            }
        }
    }
}
