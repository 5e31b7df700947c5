use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a PHP-FPM unit whose effective `ExecStart=` passes `-R` or
    /// `--allow-to-run-as-root` to php-fpm.
    ///
    /// ## Why is this bad?
    /// Without the flag, FPM refuses to start a pool whose `user` is root. With it, a pool
    /// may run as root, and then code execution in that pool's app is root on the host: every
    /// other pool's files, sessions and secrets, and the whole system. Nothing in FPM needs
    /// the flag when the pools have their own users.
    ///
    /// ## How to fix
    /// Remove the flag (in a drop-in: `ExecStart=` to reset, then the command without it) and
    /// give every pool its own `user` and `group`. The fix removes the flag; FPM will then
    /// refuse to start any pool that still runs as root, which is the point, but check the
    /// pools first.
    ///
    /// ## Example
    /// ```systemd-unit bad
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize -R
    /// ```
    /// ```systemd-unit good
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ```
    ///
    /// ## References
    /// - php-fpm(8), `--allow-to-run-as-root`
    /// - php-src `sapi/fpm/fpm/fpm_unix.c` (the root check in `fpm_unix_conf_wp`)
    AllowRunAsRoot {
        id: "FPM-201",
        title: "master allowed to run pools as root (`-R`)",
        severity: High,
        fixable: true,
    }
}

impl Rule for AllowRunAsRoot {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            let Some(exec) = unit.exec_start() else {
                continue;
            };
            let Some(flag) = exec.allow_root_flag() else {
                continue;
            };
            let setting = exec.setting;
            let message = format!(
                "{}: ExecStart passes `{flag}`, so FPM starts pools configured as root; code execution in such a pool is root on the host",
                unit.name
            );
            let mut finding =
                Self::meta_static().finding(setting.origin.file, setting.span(), message);
            if let Some(range) = flag_range(cx, setting, flag) {
                // In a group of short flags (`-FR`) only the `R` goes: `-F` keeps FPM in the
                // foreground, and dropping it would break the unit.
                let rest: String = flag
                    .strip_prefix('-')
                    .filter(|g| !g.starts_with('-'))
                    .map(|g| g.replace('R', ""))
                    .unwrap_or_default();
                let replacement = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" -{rest}")
                };
                let title = if rest.is_empty() {
                    format!("remove `{flag}`")
                } else {
                    format!("drop `R` from `{flag}`")
                };
                finding = finding.with_fix(Fix {
                    title,
                    // Pools that run as root stop starting.
                    safety: Safety::NeedsReview,
                    edits: vec![Edit {
                        file: setting.origin.file,
                        range,
                        replacement,
                    }],
                });
            }
            out.push(finding);
        }
    }
}

/// The flag with the blank before it, when it stands as its own word in the value text.
fn flag_range(
    cx: Context<'_>,
    setting: &crate::model::systemd::Setting,
    flag: &str,
) -> Option<TextRange> {
    let file = cx.sources.get(setting.origin.file)?;
    let start = usize::try_from(setting.origin.value.start).ok()?;
    let end = usize::try_from(setting.origin.value.end).ok()?;
    let value = file.text.get(start..end)?;
    let needle = format!(" {flag}");
    let at = value.match_indices(&needle).map(|(i, _)| i).find(|i| {
        value
            .get(i + needle.len()..)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })?;
    Some(TextRange::from_usize(start + at, start + at + needle.len()))
}
