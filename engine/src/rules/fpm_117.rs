use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::fpm_values::text;

/// Words in a variable or header name that mark a credential.
const SECRET_WORDS: [&str; 7] = [
    "AUTHORIZATION",
    "COOKIE",
    "TOKEN",
    "PASSWORD",
    "SECRET",
    "API_KEY",
    "APIKEY",
];

declare_rule! {
    /// ## What it does
    /// Reports pools without an access log (`access.log` unset, empty or `/dev/null`), and
    /// access formats that write credentials to the log: `%{HTTP_AUTHORIZATION}e`,
    /// `%{HTTP_COOKIE}e`, `%{Set-Cookie}o` and other variables or headers named after
    /// tokens, passwords or secrets.
    ///
    /// ## Why is this bad?
    /// Without FPM's access log, which script each request really ran, how long it took and
    /// how much memory it used is recorded nowhere; after a compromise, requests to a dropped
    /// `x.php` are hard to reconstruct from the web server's log alone. Logging
    /// `Authorization` or `Cookie` values the other way round turns the log into a store of
    /// live sessions and credentials, usually readable by more people than the app.
    ///
    /// ## How to fix
    /// Add `access.log = /var/log/php-fpm/$pool.access.log` (the directory must exist) and keep
    /// credentials out of `access.format`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// access.log = /var/log/php-fpm/www.access.log
    /// access.format = "%R - %u %t \"%m %r\" %s %f %{mili}d %{kilo}M"
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `access.log`, `access.format`
    /// - php-src `sapi/fpm/fpm/fpm_log.c`
    LoggingGaps {
        id: "FPM-117",
        title: "No access log, or secrets in the access format",
        severity: Low,
        fixable: false,
    }
}

/// The `%{NAME}e` / `%{NAME}o` fields of a format whose name marks a credential.
fn secret_fields(format: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find("%{") {
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or("");
        let kind = after.get(close + 1..close + 2).unwrap_or("");
        let field = rest.get(start..start + 2 + close + 2).unwrap_or("");
        let upper = name.to_ascii_uppercase().replace('-', "_");
        if matches!(kind, "e" | "o") && SECRET_WORDS.iter().any(|w| upper.contains(w)) {
            found.push(field);
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    found
}

impl Rule for LoggingGaps {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let meta = Self::meta_static();
        for pool in &cx.model.fpm.pools {
            let name = &pool.name;
            let log = text(pool, "access.log").filter(|l| l.value.trim() != "/dev/null");
            if log.is_none() {
                let at = pool
                    .get("access.log")
                    .map(|s| (s.origin.file, s.span()))
                    .or_else(|| pool.anchor());
                if let Some((file, range)) = at {
                    out.push(meta.finding(file, range, format!("pool [{name}] keeps no access log: which script each request ran, how long it took and how much memory it used is recorded nowhere; add `access.log = /var/log/php-fpm/{name}.access.log` under [{name}]")));
                }
                continue;
            }
            let Some(format) = pool.get("access.format") else {
                continue;
            };
            let fields = secret_fields(&format.value);
            if fields.is_empty() {
                continue;
            }
            let message = format!(
                "pool [{name}] writes credentials to its access log (`{}` in access.format): every session and token ends up in a log file; remove these fields",
                fields.join("`, `")
            );
            // Credentials in a log are worse than a missing log.
            out.push(
                meta.finding(format.origin.file, format.span(), message)
                    .with_severity(Severity::Medium),
            );
        }
    }
}
