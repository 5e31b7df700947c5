use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::Parsed;
use crate::model::php_stack::is_on;
use crate::model::php_values::{Hit, for_pools, hits, replace_value};
use crate::source::FileId;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks the session cookie's flags in the value each pool runs with:
    /// `session.cookie_httponly` off (medium), `session.cookie_samesite` empty (low), and
    /// `session.cookie_secure` off (medium) when the nginx files given serve HTTPS
    /// (`ssl_certificate`, `listen ... ssl`). Without nginx evidence of HTTPS the `secure`
    /// flag is not judged: on a plain-HTTP site it would stop sessions from working.
    ///
    /// ## Why is this bad?
    /// Without `HttpOnly`, one cross-site-scripting bug reads the session cookie and hijacks
    /// the session. Without `Secure`, the browser also sends the cookie over plain HTTP, where
    /// anyone on the path can copy it. Without `SameSite`, older browsers attach the cookie to
    /// cross-site requests, which is what CSRF needs.
    ///
    /// ## How to fix
    /// In php.ini: `session.cookie_httponly = On`, `session.cookie_samesite = Lax` and, for
    /// HTTPS sites, `session.cookie_secure = On`. Check single sign-on and payment callbacks
    /// before choosing `Strict`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// session.cookie_httponly =
    /// session.cookie_samesite = Lax
    /// ```
    /// ```php-ini good
    /// session.cookie_httponly = On
    /// session.cookie_samesite = Lax
    /// ```
    ///
    /// ## References
    /// - PHP manual, session configuration: `session.cookie_httponly`, `session.cookie_secure`,
    ///   `session.cookie_samesite`
    /// - OWASP Session Management Cheat Sheet (cookie attributes)
    SessionCookieFlags {
        id: "INI-111",
        title: "Session cookie flags",
        severity: Medium,
        fixable: true,
    }
}

/// Where the nginx files show a site served over TLS.
fn https_evidence(cx: Context<'_>) -> Option<(FileId, TextRange)> {
    cx.model.parsed.iter().find_map(|(file, parsed)| {
        let Parsed::Nginx(doc) = parsed else {
            return None;
        };
        doc.walk()
            .map(|(_, d)| d)
            .find(|d| {
                d.name == "ssl_certificate"
                    || d.name == "listen"
                        && d.args
                            .iter()
                            .skip(1)
                            .any(|a| a.value == "ssl" || a.value == "quic")
            })
            .map(|d| (*file, d.range))
    })
}

fn push(out: &mut Vec<Finding>, hit: &Hit<'_>, message: String, severity: Severity, fix: &str) {
    let finding = SessionCookieFlags::meta_static()
        .finding(hit.place.file, hit.place.range, message)
        .with_severity(severity);
    // Scripts or cross-site flows (SSO, payment callbacks) may rely on the current cookie.
    out.push(
        match replace_value(&hit.setting, fix, Safety::NeedsReview) {
            Some(fix) => finding.with_fix(fix),
            None => finding,
        },
    );
}

impl Rule for SessionCookieFlags {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let off = |v: &str| !is_on(v);
        for hit in hits(cx.sources, cx.model, "session.cookie_httponly", off) {
            let message = format!(
                "`session.cookie_httponly` is off{} ({}): scripts in the page can read the session cookie, so one XSS bug hijacks sessions",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            push(out, &hit, message, Severity::Medium, "On");
        }
        for hit in hits(cx.sources, cx.model, "session.cookie_samesite", |v| {
            v.trim().is_empty()
        }) {
            let message = format!(
                "`session.cookie_samesite` is empty{} ({}): the session cookie carries no SameSite attribute, leaving CSRF defence to the app and the browser's default",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            push(out, &hit, message, Severity::Low, "Lax");
        }
        let Some((file, range)) = https_evidence(cx) else {
            return;
        };
        for hit in hits(cx.sources, cx.model, "session.cookie_secure", off) {
            let message = format!(
                "`session.cookie_secure` is off{} ({}) although nginx serves HTTPS: the browser also sends the session cookie over plain HTTP, where it can be copied",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            push(out, &hit, message, Severity::Medium, "On");
            if let Some(last) = out.pop() {
                out.push(last.with_related(file, range, "nginx serves HTTPS here"));
            }
        }
    }
}
