use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::model::fastcgi::{backend_key, backends};
use crate::model::fpm_values::text;
use crate::model::listen::Listen;

/// Directories every local account may create files in.
const SHARED_DIRS: [&str; 3] = ["/tmp/", "/var/tmp/", "/dev/shm/"];

declare_rule! {
    /// ## What it does
    /// Reports pools whose unix socket (`listen`, or `pm.status_listen`) lives in a directory
    /// every local account can write to: `/tmp`, `/var/tmp` or `/dev/shm`.
    ///
    /// ## Why is this bad?
    /// While FPM is stopped or restarting, any local user can create a socket at that path
    /// and receive the web server's requests: form posts, cookies and credentials. Under
    /// systemd's `PrivateTmp=`, the web server and FPM do not even see the same `/tmp`.
    ///
    /// ## How to fix
    /// Put the socket in a root-owned runtime directory such as `/run/php/` (Debian,
    /// created by the service) and update nginx's `fastcgi_pass` to match.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /tmp/php-www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `listen`
    /// - systemd.exec(5): `PrivateTmp=`
    SocketInSharedDir {
        id: "FPM-109",
        title: "Socket in a shared writable directory",
        severity: High,
        fixable: true,
    }
}

impl Rule for SocketInSharedDir {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            for directive in ["listen", "pm.status_listen"] {
                let Some(setting) = text(pool, directive) else {
                    continue;
                };
                let Listen::Unix(path) = Listen::parse(&setting.value) else {
                    continue;
                };
                let Some(dir) = SHARED_DIRS.iter().find(|d| path.starts_with(**d)) else {
                    continue;
                };
                let message = format!(
                    "pool [{}] puts its socket `{path}` in {dir}, where any local user can plant a socket at that path while FPM is down and receive the web server's requests; use /run/php/ and update fastcgi_pass",
                    pool.name
                );
                let suffix = if directive == "listen" { "" } else { "-status" };
                let mut edits = vec![Edit {
                    file: setting.origin.file,
                    range: setting.origin.value,
                    replacement: format!("/run/php/$pool{suffix}.sock"),
                }];
                // nginx does not expand `$pool`: its fastcgi_pass gets the pool's own name.
                if directive == "listen" {
                    let moved = format!("unix:/run/php/{}.sock", pool.name);
                    edits.extend(passes_to(cx, &path).into_iter().map(|range| Edit {
                        file: range.0,
                        range: range.1,
                        replacement: moved.clone(),
                    }));
                }
                let fix = Fix {
                    title: "move the socket to /run/php/ (and nginx's fastcgi_pass with it)".into(),
                    // /run/php must exist, and sites not given would keep the old path.
                    safety: Safety::NeedsReview,
                    edits,
                };
                out.push(
                    Self::meta_static()
                        .finding(setting.origin.file, setting.span(), message)
                        .with_fix(fix),
                );
            }
        }
    }
}

/// Where nginx names the socket `path`: each `fastcgi_pass` address, or the `server` line of
/// the upstream it goes through.
fn passes_to(cx: Context<'_>, path: &str) -> Vec<(crate::source::FileId, crate::text::TextRange)> {
    let key = backend_key(&crate::model::nginx::Endpoint::Unix(path.to_string()));
    let mut out = Vec::new();
    for group in backends(&cx.model.nginx)
        .into_iter()
        .filter(|g| g.key == key)
    {
        for use_ in group.uses {
            let at = (use_.backend.origin.file, use_.backend.origin.value);
            if !out.contains(&at) {
                out.push(at);
            }
        }
    }
    out
}
