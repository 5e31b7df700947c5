use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety};
use crate::model::fastcgi::pools_behind;
use crate::model::nginx::{Modifier, edit};

/// Paths commonly given to `pm.status_path` and `ping.path`, tried when no pool is given.
const USUAL_PATHS: [&str; 6] = [
    "/status",
    "/fpm-status",
    "/php-fpm-status",
    "/php-status",
    "/ping",
    "/fpm-ping",
];

declare_rule! {
    /// ## What it does
    /// Reports a location that sends FPM's status or ping path to FastCGI with nothing keeping
    /// the public out: no `deny all` among its `allow`/`deny` rules, not `internal`, no
    /// `auth_basic`/`auth_request`, no `return 4xx`. The paths are the pools' `pm.status_path`
    /// and `ping.path` when the pool files are given (only pools the location reaches); without
    /// them the usual names (`/status`, `/fpm-status`, `/ping`...) are tried, and only a
    /// location written for that path counts. Servers that listen only on loopback or a unix
    /// socket are skipped.
    ///
    /// ## Why is this bad?
    /// The full status page lists every request in flight and recently served: URIs with
    /// their query strings (reset tokens, API keys), client addresses, script paths, the
    /// authenticated user. An attacker learns the app's layout and other users' secrets, and
    /// sees how busy the pool is for timing a denial of service. An open ping page (Low) only
    /// tells whether the pool is alive.
    ///
    /// ## How to fix
    /// Allow only the monitoring hosts and refuse the rest inside the location:
    /// `allow 127.0.0.1; allow ::1; deny all;`, or serve the page on a separate server that
    /// listens on loopback only.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     location = /fpm-status {
    ///         include fastcgi_params;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location = /fpm-status {
    ///         allow 127.0.0.1;
    ///         deny all;
    ///         include fastcgi_params;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - PHP manual, "FPM status page" (and its caution about exposing it)
    /// - Gixy-Next `status_page_exposed` (the same check for `stub_status`)
    /// - nginx access module: `allow`, `deny`
    StatusPageExposed {
        id: "NGX-008",
        title: "FPM status/ping page reachable without allow-list",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for StatusPageExposed {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let fpm = &cx.model.fpm;
        // (path, directive, pool) from the pools, or the usual names.
        let given: Vec<(String, &str, Option<&str>)> = fpm
            .pools
            .iter()
            .flat_map(|p| {
                ["pm.status_path", "ping.path"]
                    .into_iter()
                    .filter_map(move |k| {
                        p.get(k)
                            .map(|s| (s.value.trim().to_string(), k, Some(p.name.as_str())))
                    })
            })
            .collect();
        let usual: Vec<(String, &str, Option<&str>)> = USUAL_PATHS
            .iter()
            .map(|p| ((*p).to_string(), "pm.status_path", None))
            .collect();
        let paths = if fpm.pools.is_empty() { usual } else { given };
        let mut seen = BTreeSet::new();
        for (server_index, server) in nginx.servers.iter().enumerate() {
            let local_only = !server.listens.is_empty()
                && server.listens.iter().all(|l| {
                    let a = l.address.as_str();
                    a.starts_with("unix:")
                        || a.starts_with("127.")
                        || a.starts_with("[::1]")
                        || a.starts_with("localhost")
                });
            if local_only {
                continue;
            }
            for (path, key, pool) in &paths {
                let Some(index) = nginx.find_location(server_index, path).location else {
                    continue;
                };
                let Some(location) = nginx.location(index) else {
                    continue;
                };
                let passes = nginx.passes(index);
                if passes.is_empty() || nginx.is_restricted(index) {
                    continue;
                }
                let dedicated = location.modifier == Modifier::Exact
                    || location.pattern.contains(path.trim_start_matches('/'));
                let reaches_pool = match pool {
                    Some(name) => passes.iter().any(|p| {
                        let behind = pools_behind(fpm, p);
                        behind.is_empty() || behind.iter().any(|b| b.name == *name)
                    }),
                    None => dedicated,
                };
                if !reaches_pool || !seen.insert((location.head.file, location.head.range)) {
                    continue;
                }
                let source = match pool {
                    Some(name) => format!("pool [{name}]'s `{key}`"),
                    None => "a usual status path (no pool file given)".to_string(),
                };
                let ping = *key == "ping.path";
                let what = if ping {
                    "anyone can probe whether the pool is alive and how fast it answers"
                } else {
                    "anyone can read the URIs, query strings and client addresses of the pool's requests"
                };
                let written = format!("{} {}", location.modifier.as_str(), location.pattern);
                let message = format!(
                    "`{path}` ({source}) reaches FPM's {} page through location `{}` with no allow-list: {what}",
                    if ping { "ping" } else { "status" },
                    written.trim()
                );
                let finding =
                    Self::meta_static().finding(location.head.file, location.head.head(), message);
                let finding = if ping {
                    finding.with_severity(crate::diagnostic::Severity::Low)
                } else {
                    finding
                };
                // Own `allow` lines would end up after the new `deny all`.
                let dedicated = dedicated
                    && !location
                        .settings
                        .iter()
                        .any(|s| s.name == "allow" || s.name == "deny");
                let lines = ["allow 127.0.0.1;", "allow ::1;", "deny all;"];
                let fix = dedicated
                    .then(|| {
                        edit::insert_first(cx.sources, &location.head, &location.settings, &lines)
                    })
                    .flatten()
                    .map(|e| Fix {
                        title: "allow loopback only".into(),
                        // Monitoring on another host would lose the page.
                        safety: Safety::NeedsReview,
                        edits: vec![e],
                    });
                out.push(match fix {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                });
            }
        }
    }
}
