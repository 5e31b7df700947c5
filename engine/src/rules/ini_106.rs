use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::php_stack::split_list;
use crate::model::php_values::{for_pools, hits, main_given};

const KEY: &str = "disable_functions";

/// Functions that run a program: the baseline every pool that does not need them disables.
/// Backticks go through `shell_exec`.
const EXEC_FAMILY: [&str; 7] = [
    "exec",
    "passthru",
    "shell_exec",
    "system",
    "proc_open",
    "popen",
    "pcntl_exec",
];

declare_rule! {
    /// ## What it does
    /// Computes, for every pool, the functions really disabled: php.ini's `disable_functions`
    /// plus whatever the pool adds with `php_value`/`php_admin_value` (a pool can add to the
    /// list, never remove from it). Reports pools where that union is empty or misses one of
    /// the functions that run programs: `exec`, `passthru`, `shell_exec`, `system`,
    /// `proc_open`, `popen`, `pcntl_exec`. The finding points at the line that completed the
    /// list (php.ini, or the pool line that added to it).
    ///
    /// ## Why is this bad?
    /// Any code-injection bug or uploaded web shell can then run shell commands as the pool
    /// user: read other files, open reverse shells, pivot to the network. A stock
    /// `disable_functions =` line looks like hardening to grep-based scanners but disables
    /// nothing.
    ///
    /// ## How to fix
    /// List the exec family in php.ini (`disable_functions = exec,passthru,shell_exec,system,
    /// proc_open,popen,pcntl_exec`) and consider `putenv`, `pcntl_fork`, `posix_kill`,
    /// `phpinfo`, `show_source` too. A pool that needs one of them cannot re-enable it: run that
    /// app from a master whose php.ini omits it.
    ///
    /// ## Example
    /// ```php-ini bad
    /// disable_functions =
    /// ```
    /// ```php-ini good
    /// disable_functions = exec,passthru,shell_exec,system,proc_open,popen,pcntl_exec
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `disable_functions` (system level, only extended by pools)
    /// - sektioneins/pcc issue #26; Lynis PHP-2320 passes an empty `disable_functions =` line
    WeakDisableFunctions {
        id: "INI-106",
        title: "`disable_functions` empty or missing exec-family functions (effective, per pool)",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for WeakDisableFunctions {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let missing = |value: &str| -> Vec<&'static str> {
            EXEC_FAMILY
                .into_iter()
                .filter(|f| !split_list(value).any(|n| n.eq_ignore_ascii_case(f)))
                .collect()
        };
        for hit in hits(cx.sources, cx.model, KEY, |v| !missing(v).is_empty()) {
            let absent = missing(&hit.setting.value);
            let what = if hit.setting.value.is_empty() {
                "disables no function".to_string()
            } else {
                format!("does not disable {}", absent.join(", "))
            };
            let mut message = format!(
                "`disable_functions`{} {what} ({}): code injected into the app can run shell commands as the pool user",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            if !main_given(cx.sources, cx.model) {
                message.push_str(
                    "; php.ini was not given and may disable more (pools only add to its list)",
                );
            }
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            let fix = hit.setting.origin.map(|origin| {
                let mut names: Vec<&str> = split_list(&hit.setting.value).collect();
                names.extend(absent.iter().copied());
                Fix {
                    title: format!("also disable {}", absent.join(", ")),
                    // Some apps (image converters, mailers, deploy hooks) run programs.
                    safety: Safety::NeedsReview,
                    edits: vec![Edit {
                        file: origin.file,
                        range: origin.value,
                        replacement: names.join(","),
                    }],
                }
            });
            out.push(match fix {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
        }
    }
}
