use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety};
use crate::model::nginx::edit;

declare_rule! {
    /// ## What it does
    /// For each server whose locations name an upload directory (`/uploads/`,
    /// `/wp-content/uploads/`, `/sites/default/files/`, `/storage/`, `/media/` in a location
    /// pattern), asks nginx's location selection which block gets `<dir>/x.php`, and reports
    /// when it is a block that passes to FastCGI. Regex locations are tried in file order, so
    /// a `deny` for uploads written after the PHP location is never reached: the finding then
    /// points at that deny block. A `^~` prefix location for the directory stops the regex
    /// search, so its files are served as files, not run. Servers that name no upload
    /// directory are not guessed about.
    ///
    /// ## Why is this bad?
    /// An upload form that accepts a file named `shell.php` (or lets its name be chosen) puts
    /// attacker code in the upload directory; when nginx sends `/uploads/shell.php` to PHP the
    /// attacker runs code as the pool's user, and from there reads the app's secrets and
    /// whatever else that user reaches.
    ///
    /// ## How to fix
    /// Put the deny above the PHP location:
    /// `location ~* ^/uploads/.*\.php$ { deny all; }`, or make the upload directory a
    /// `location ^~ /uploads/ { }` so regexes are not tried for it.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     root /srv/app/public;
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/app.sock; }
    ///     location ~* ^/uploads/.*\.php$ { deny all; }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     root /srv/app/public;
    ///     location ~* ^/uploads/.*\.php$ { deny all; }
    ///     location ~ \.php$ { fastcgi_pass unix:/run/php/app.sock; }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx core module: `location` (exact, longest prefix, then regexes in file order)
    /// - nginxconfig.io WordPress rules (PHP in uploads denied)
    PhpInUploads {
        id: "NGX-022",
        title: "PHP executable in upload directories",
        severity: High,
        fixable: true,
    }
}

impl Rule for PhpInUploads {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        for server in 0..nginx.servers.len() {
            let own: Vec<usize> = nginx.server_locations(server).map(|(i, _)| i).collect();
            // The PHP location each named upload directory ends up in, grouped by location.
            let mut runs: Vec<(usize, Vec<&str>)> = Vec::new();
            for dir in nginx.upload_dirs_named(&own) {
                let probe = format!("/{dir}/fpmaudit-probe.php");
                let found = nginx.find_location(server, &probe);
                let Some(php) = found.location else { continue };
                if !found.unsure.is_empty()
                    || nginx.passes(php).is_empty()
                    || nginx.is_restricted(php)
                {
                    continue;
                }
                match runs.iter_mut().find(|(l, _)| *l == php) {
                    Some((_, dirs)) => dirs.push(dir),
                    None => runs.push((php, vec![dir])),
                }
            }
            for (php, dirs) in runs {
                let Some(location) = nginx.location(php) else {
                    continue;
                };
                let written = format!("{} {}", location.modifier.as_str(), location.pattern);
                let urls: Vec<String> = dirs.iter().map(|d| format!("/{d}/x.php")).collect();
                let runs_it = format!(
                    "location `{}` runs {} as PHP: an uploaded script executes as the pool's user",
                    written.trim(),
                    urls.join(", ")
                );
                // A deny written for these directories but placed after the PHP location.
                let shadowed = own
                    .iter()
                    .filter_map(|&i| Some((i, nginx.location(i)?)))
                    .find(|(i, l)| {
                        *i != php
                            && l.modifier.is_regex()
                            && nginx.is_restricted(*i)
                            && dirs.iter().any(|d| l.pattern.contains(d))
                    });
                let finding = match shadowed {
                    Some((_, deny)) => Self::meta_static()
                        .finding(deny.head.file, deny.head.head(), format!(
                            "this deny is never reached: {runs_it} (regex locations are tried in file order)"
                        ))
                        .with_related(location.head.file, location.head.head(), "the PHP location that matches first"),
                    None => Self::meta_static().finding(location.head.file, location.head.head(), runs_it),
                };
                let alternatives = match dirs.as_slice() {
                    [one] => (*one).to_string(),
                    _ => format!("(?:{})", dirs.join("|")),
                };
                let line = format!("location ~* ^/{alternatives}/.*\\.php$ {{ deny all; }}");
                let fix = edit::insert_before(cx.sources, &location.head, &line).map(|e| Fix {
                    title: format!(
                        "deny `.php` under {} before the PHP location",
                        urls.join(", ")
                    ),
                    // An app that really keeps scripts there (some media handlers) stops working.
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
