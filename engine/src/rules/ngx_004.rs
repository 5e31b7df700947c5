use std::collections::{BTreeMap, BTreeSet};

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::nginx::{NginxModel, Setting};

declare_rule! {
    /// ## What it does
    /// Reports `fastcgi_param PHP_VALUE` and `fastcgi_param PHP_ADMIN_VALUE` lines whose value
    /// contains data the client chooses: query arguments (`$arg_*`, `$args`), headers
    /// (`$http_*`, `$host`), cookies (`$cookie_*`), the URI and its parts (`$uri`,
    /// `$request_uri`, `$fastcgi_path_info`), regex captures (`$1`), or a variable `set` from
    /// one of those in the same server.
    ///
    /// ## Why is this bad?
    /// FPM reads these two parameters as php.ini lines, one per line, and applies them to the
    /// worker; `PHP_ADMIN_VALUE` even overrides the pool's locked settings. A value built from
    /// the request lets any visitor write php.ini: `auto_prepend_file=php://input` or
    /// `allow_url_include=1` is code execution without any bug in the app, and a decoded `%0a`
    /// in the URI adds further lines. The worker keeps the values for the requests that follow,
    /// including other apps' on a shared pool.
    ///
    /// ## How to fix
    /// Use a constant value, or better, move the setting to the pool file
    /// (`php_admin_value[upload_max_filesize] = 64M`), where the request cannot reach it.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     location ~ \.php$ {
    ///         fastcgi_param PHP_VALUE $arg_cfg;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ {
    ///         fastcgi_param PHP_VALUE "upload_max_filesize=64M";
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: passing `PHP_VALUE` and `PHP_ADMIN_VALUE` from the web server
    /// - CVE-2019-11043 exploits (phuip-fpizdam) set ini values through `PHP_VALUE`
    /// - nginx core module: embedded variables
    IniFromRequest {
        id: "NGX-004",
        title: "PHP_VALUE / PHP_ADMIN_VALUE built from request data",
        severity: Critical,
        fixable: false,
    }
}

const REQUEST_VARIABLES: [&str; 14] = [
    "args",
    "query_string",
    "request_uri",
    "uri",
    "document_uri",
    "request",
    "request_body",
    "fastcgi_path_info",
    "fastcgi_script_name",
    "request_filename",
    "host",
    "remote_user",
    "content_type",
    "path_info",
];

const REQUEST_PREFIXES: [&str; 3] = ["arg_", "http_", "cookie_"];

/// The variable names a value uses (`$name` and `${name}`).
fn variables(value: &str) -> Vec<String> {
    value
        .split('$')
        .skip(1)
        .map(|rest| {
            let rest = rest.strip_prefix('{').unwrap_or(rest);
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .filter(|n: &String| !n.is_empty())
        .collect()
}

fn from_request(name: &str) -> bool {
    REQUEST_VARIABLES.contains(&name)
        || REQUEST_PREFIXES.iter().any(|p| name.starts_with(p))
        || name.bytes().all(|b| b.is_ascii_digit())
}

/// Variables a server `set`s from request data (followed through other `set`s).
fn tainted_sets(nginx: &NginxModel, server: usize, own: &[usize]) -> BTreeSet<String> {
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let server_settings = nginx.servers.get(server).map(|s| s.settings.as_slice());
    let location_settings = own.iter().filter_map(|&i| nginx.location(i)).flat_map(|l| {
        std::iter::once(l.settings.as_slice()).chain(l.blocks.iter().map(|b| b.settings.as_slice()))
    });
    for settings in server_settings.into_iter().chain(location_settings) {
        for s in settings.iter().filter(|s| s.name == "set") {
            if let (Some(name), Some(value)) = (s.arg(0), s.arg(1)) {
                let name = name.trim_start_matches('$').to_string();
                sets.entry(name).or_default().extend(variables(value));
            }
        }
    }
    let mut tainted: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = tainted.len();
        for (name, uses) in &sets {
            if uses.iter().any(|u| from_request(u) || tainted.contains(u)) {
                tainted.insert(name.clone());
            }
        }
        if tainted.len() == before {
            return tainted;
        }
    }
}

impl Rule for IniFromRequest {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        let mut report = |param: &Setting, tainted: &BTreeSet<String>| {
            let (Some(name @ ("PHP_VALUE" | "PHP_ADMIN_VALUE")), Some(value)) =
                (param.arg(0), param.arg(1))
            else {
                return;
            };
            let bad: Vec<String> = variables(value)
                .into_iter()
                .filter(|v| from_request(v) || tainted.contains(v))
                .map(|v| {
                    if from_request(&v) {
                        format!("`${v}`")
                    } else {
                        format!("`${v}` (set from request data)")
                    }
                })
                .collect();
            if bad.is_empty() || !seen.insert((param.file, param.range)) {
                return;
            }
            let message = format!(
                "`fastcgi_param {name}` is built from {}, which the client chooses: any visitor can write php.ini lines (`auto_prepend_file`, `allow_url_include`) for the worker that serves the request",
                bad.join(", ")
            );
            out.push(Self::meta_static().finding(param.file, param.head(), message));
        };
        let none = BTreeSet::new();
        for http in &nginx.http {
            for s in http.settings.iter().filter(|s| s.name == "fastcgi_param") {
                report(s, &none);
            }
        }
        // Each server's locations from one pass: configs with many servers stay linear.
        let by_server = nginx.locations_by_server();
        for (index, server) in nginx.servers.iter().enumerate() {
            let own = by_server.get(index).map_or(&[][..], Vec::as_slice);
            let tainted = tainted_sets(nginx, index, own);
            let locations = own.iter().filter_map(|&i| nginx.location(i));
            let lines = server
                .settings
                .iter()
                .chain(locations.flat_map(|l| l.settings.iter()));
            for s in lines.filter(|s| s.name == "fastcgi_param") {
                report(s, &tainted);
            }
        }
    }
}
