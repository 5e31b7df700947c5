use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::php_stack::is_on;
use crate::model::php_values::{for_pools, hits, replace_value};

declare_rule! {
    /// ## What it does
    /// Checks how sessions accept their id, in the value each pool runs with:
    /// `session.use_strict_mode` off (medium), `session.use_only_cookies` off (high),
    /// `session.use_trans_sid` on (high), and the default cookie name `PHPSESSID` (info).
    ///
    /// ## Why is this bad?
    /// Without strict mode PHP adopts any session id a client makes up, which is what session
    /// fixation needs: the attacker plants an id, the victim logs in under it. Accepting ids
    /// from the URL (`use_only_cookies` off, `use_trans_sid` on) leaks them through the
    /// `Referer` header, logs, bookmarks and shared links, and makes planting trivial. The
    /// default cookie name only tells scanners the site runs PHP.
    ///
    /// ## How to fix
    /// In php.ini: `session.use_strict_mode = 1`, `session.use_only_cookies = 1`,
    /// `session.use_trans_sid = 0`, and optionally a neutral `session.name`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// session.use_strict_mode = 0
    /// session.name = app
    /// ```
    /// ```php-ini good
    /// session.use_strict_mode = 1
    /// session.use_only_cookies = 1
    /// session.use_trans_sid = 0
    /// session.name = app
    /// ```
    ///
    /// ## References
    /// - PHP manual, session configuration and "Session Management Basics" (strict mode)
    /// - OWASP Session Management Cheat Sheet (session fixation)
    SessionIdHandling {
        id: "INI-112",
        title: "Session id handling (strict mode, cookies only, trans sid)",
        severity: Medium,
        fixable: true,
    }
}

/// One check: key, when it is bad, severity, the consequence, and the fixed value.
struct Check {
    key: &'static str,
    bad: fn(&str) -> bool,
    severity: Severity,
    why: &'static str,
    fix: Option<&'static str>,
}

const CHECKS: [Check; 4] = [
    Check {
        key: "session.use_strict_mode",
        bad: |v| !is_on(v),
        severity: Severity::Medium,
        why: "is off: PHP adopts session ids made up by the client, which enables session fixation",
        fix: Some("1"),
    },
    Check {
        key: "session.use_only_cookies",
        bad: |v| !is_on(v),
        severity: Severity::High,
        why: "is off: session ids are also taken from the URL, where they leak and are easy to plant",
        fix: Some("1"),
    },
    Check {
        key: "session.use_trans_sid",
        bad: is_on,
        severity: Severity::High,
        why: "is on: PHP writes session ids into links and forms, so they leak through Referer headers and logs",
        fix: Some("0"),
    },
    Check {
        key: "session.name",
        bad: |v| v.trim() == "PHPSESSID",
        severity: Severity::Info,
        why: "is the default `PHPSESSID`, which tells scanners the site runs PHP",
        fix: None,
    },
];

impl Rule for SessionIdHandling {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for check in &CHECKS {
            for hit in hits(cx.sources, cx.model, check.key, check.bad) {
                let message = format!(
                    "`{}`{} {} ({})",
                    check.key,
                    for_pools(&hit.place.pools),
                    check.why,
                    hit.provenance
                );
                let finding = Self::meta_static()
                    .finding(hit.place.file, hit.place.range, message)
                    .with_severity(check.severity);
                // URL-based sessions and custom id schemes stop working.
                let fix = check
                    .fix
                    .and_then(|v| replace_value(&hit.setting, v, Safety::NeedsReview));
                out.push(match fix {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                });
            }
        }
    }
}
