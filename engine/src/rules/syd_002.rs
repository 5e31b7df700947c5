use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::systemd::{Effect, parse_bool, service_anchor, service_insertion};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports PHP-FPM units whose effective `ProtectSystem=` is unset, `no`, or only `yes`
    /// (after all drop-ins; an ignored value such as `ProtectSystem=strict # ro` counts as
    /// unset). `DynamicUser=yes` implies `strict` and is not reported.
    ///
    /// ## Why is this bad?
    /// The master runs as root, so without `ProtectSystem=` the whole OS tree is writable from
    /// inside the unit. Code execution in one app is then one local privilege escalation away
    /// from rewriting `/usr/sbin/php-fpm8.2`, the PHP extensions every pool loads, or `/etc`.
    /// `yes` only covers `/usr` and `/boot`; `/etc` (cron, sudoers, the FPM and nginx
    /// configuration) stays writable.
    ///
    /// ## How to fix
    /// Set `ProtectSystem=strict` in a drop-in and list what FPM and PHP write in
    /// `ReadWritePaths=` (socket and pid directory, logs, sessions, upload and cache
    /// directories; SYD-003 checks them), or at least `ProtectSystem=full`. The fix offered
    /// writes `full`, which keeps `/var` writable and so cannot break FPM's own writes, but a
    /// person should confirm nothing writes to `/etc`.
    ///
    /// ## Example
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ProtectSystem=yes
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ProtectSystem=strict
    /// ReadWritePaths=/run/php /var/log /var/lib/php/sessions
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `ProtectSystem=`
    /// - systemd `src/analyze/analyze-security.c` (ProtectSystem row: 10 / 5 / 3 / 0)
    OsTreeWritable {
        id: "SYD-002",
        title: "OS tree writable (`ProtectSystem` unset or `yes`)",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for OsTreeWritable {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            if unit.flag("Service", "DynamicUser") == Some(true) {
                continue;
            }
            let setting = unit.get("Service", "ProtectSystem");
            let value = unit.value("Service", "ProtectSystem");
            let bool_value = value.and_then(parse_bool);
            if matches!(value, Some("strict" | "full")) {
                continue;
            }
            let (what, fix) = match (setting.filter(|_| value.is_some()), bool_value) {
                (Some(s), Some(true)) => (
                    "`ProtectSystem=yes` leaves /etc writable".to_string(),
                    Edit {
                        file: s.origin.file,
                        range: s.origin.value,
                        replacement: "full".into(),
                    },
                ),
                (Some(s), _) => (
                    format!(
                        "`ProtectSystem={}` leaves the whole OS tree writable",
                        s.value
                    ),
                    Edit {
                        file: s.origin.file,
                        range: s.origin.value,
                        replacement: "full".into(),
                    },
                ),
                (None, _) => {
                    let Some((file, header)) = service_insertion(cx.model, unit) else {
                        continue;
                    };
                    (
                        "no `ProtectSystem=` is in effect, so the whole OS tree is writable"
                            .to_string(),
                        Edit {
                            file,
                            range: TextRange::new(header.end, header.end),
                            replacement: "\nProtectSystem=full".into(),
                        },
                    )
                }
            };
            // A later line systemd ignored (`ProtectSystem=strict # ro`) is what the admin
            // meant; point there and leave the repair to SYD-017 / SYD-018.
            let ignored = unit
                .assignments("Service", "ProtectSystem")
                .filter(|s| s.effect == Effect::Ignored)
                .last();
            if let Some(s) = ignored {
                let message = format!(
                    "{}: systemd ignores `ProtectSystem={}` (it cannot parse the value), so {what}; code run through any app could replace binaries, extensions or configuration after a privilege escalation",
                    unit.name, s.value
                );
                out.push(Self::meta_static().finding(s.origin.file, s.span(), message));
                continue;
            }
            let (file, range) = if let Some(s) = setting.filter(|_| value.is_some()) {
                (s.origin.file, s.span())
            } else {
                let Some(main) = unit.main else { continue };
                let anchor = cx.model.unit_doc(main).map(service_anchor);
                (main, anchor.unwrap_or_default())
            };
            let message = format!(
                "{}: {what} for the root master and every pool; code run through any app could replace binaries, extensions or configuration after a privilege escalation",
                unit.name
            );
            let fix = Fix {
                title: "set ProtectSystem=full".into(),
                // strict would be tighter but needs ReadWritePaths; full can still break
                // software that writes to /etc.
                safety: Safety::NeedsReview,
                edits: vec![fix],
            };
            out.push(
                Self::meta_static()
                    .finding(file, range, message)
                    .with_fix(fix),
            );
        }
    }
}
