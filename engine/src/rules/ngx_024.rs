use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety, Severity};
use crate::model::nginx::edit;

/// URIs of files that hold secrets or the whole source history when they sit under a root.
const PROBES: [&str; 3] = ["/.git/config", "/.env", "/.htpasswd"];

/// The deny nginxconfig.io puts in every server: dot paths except `/.well-known/`.
const DENY: &str = r"location ~ /\.(?!well-known) { deny all; }";

declare_rule! {
    /// ## What it does
    /// Asks nginx's location selection, for each server, which block gets `/.git/config`,
    /// `/.env` and `/.htpasswd`, and reports the server when such a URI would be served as a
    /// file: the block does not `deny all`, `return`, require authentication or hand the
    /// request to a proxy or FastCGI. Locations brought in by `include` count (a snippet with
    /// the deny silences it); when an include of the server was not given, the finding is low
    /// and names it. Servers that only redirect are skipped.
    ///
    /// ## Why is this bad?
    /// A deployment by `git clone` leaves `.git/` under the root: its objects hold the whole
    /// source and every secret ever committed. `.env` holds the database password and the
    /// app key, `.htpasswd` the password hashes. With them an attacker logs into the database,
    /// forges sessions or signed cookies, and reads the code for the next bug, without any
    /// code execution at all.
    ///
    /// ## How to fix
    /// Add `location ~ /\.(?!well-known) { deny all; }` to the server, before the other regex
    /// locations (ACME challenges under `/.well-known/` keep working), and keep secrets out of
    /// the web root (FPM-120, NGX-021).
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     root /srv/app/public;
    ///     location / { try_files $uri $uri/ =404; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     root /srv/app/public;
    ///     location ~ /\.(?!well-known) { deny all; }
    ///     location / { try_files $uri $uri/ =404; }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginxconfig.io `security.conf` (dotfile deny with the `.well-known` exception)
    /// - nginx core module: `location`; access module: `deny`
    DotfilesReachable {
        id: "NGX-024",
        title: "Dotfiles, VCS and secrets reachable",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for DotfilesReachable {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        for (index, server) in nginx.servers.iter().enumerate() {
            if server.settings.iter().any(|s| s.name == "return") {
                continue;
            }
            let served: Vec<&str> = PROBES
                .into_iter()
                .filter(|probe| nginx.serves_file(index, probe))
                .collect();
            if served.is_empty() {
                continue;
            }
            let name = crate::model::fastcgi::server_label(nginx, index);
            let root = server
                .root
                .as_ref()
                .and_then(|r| r.arg(0))
                .unwrap_or("html");
            let mut message = format!(
                "server `{name}` serves {} from `{root}` as files when they exist: a cloned repository's history or the app's secrets are a download away",
                served.join(", ")
            );
            let head = &server.head;
            let mut finding = Self::meta_static().finding(head.file, head.head(), String::new());
            // Only an include at server level can bring a location in; the ones inside
            // locations (`fastcgi_params`) cannot.
            let missing = nginx.unresolved_includes.iter().find(|u| {
                u.file == head.file
                    && head.range.contains_range(u.range)
                    && !server
                        .locations
                        .iter()
                        .filter_map(|&l| nginx.location(l))
                        .any(|l| l.head.file == u.file && l.head.range.contains_range(u.range))
            });
            if let Some(missing) = missing {
                let _ = write!(
                    message,
                    "; its include `{}` was not given and may hold a deny",
                    missing.pattern
                );
                finding = finding.with_severity(Severity::Low).with_related(
                    missing.file,
                    missing.range,
                    "this file would settle it",
                );
            }
            finding.message = message;
            // Above the server's first location, so it comes before every regex location.
            let first = server
                .locations
                .iter()
                .filter_map(|&l| nginx.location(l))
                .find(|l| l.head.file == head.file);
            let edit = match first {
                Some(l) => edit::insert_before(cx.sources, &l.head, DENY),
                None => edit::insert_first(cx.sources, head, &server.settings, &[DENY]),
            };
            let fix = edit.map(|e| Fix {
                title: "deny dot paths except /.well-known/".into(),
                // A site that deliberately publishes another dot path loses it.
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
