use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::Origin;
use crate::model::fpm_values::text;
use crate::model::listen::Listen;
use crate::model::nginx::Endpoint;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a pool whose unix socket is under `/tmp/` or `/var/tmp/` while the unit that
    /// runs it has `PrivateTmp=yes` (or `DynamicUser=yes`, which implies it). It fires on the
    /// pool's `listen` line and on the unit's `PrivateTmp=` line. Without the pool files, an
    /// nginx `fastcgi_pass unix:` to such a path stands in for the `listen` line.
    ///
    /// ## Why is this bad?
    /// With `PrivateTmp=`, FPM's `/tmp` is a private directory no other service sees. The
    /// socket is created there, and nginx, looking in the real `/tmp`, finds no socket (502)
    /// or, worse, a socket someone else planted at that path in the shared `/tmp`, which then
    /// receives every request with its cookies and form data. Admins who hit the 502 tend to
    /// drop `PrivateTmp=`, giving up the isolation of uploads and temp files between the app
    /// and the rest of the host.
    ///
    /// ## How to fix
    /// Keep `PrivateTmp=yes` and move the socket to `/run/php/` (`listen =
    /// /run/php/$pool.sock`), then point nginx's `fastcgi_pass` there.
    ///
    /// ## Example
    /// ```systemd-unit context
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// PrivateTmp=yes
    /// ```
    /// ```fpm-pool bad
    /// [www]
    /// listen = /tmp/php-fpm.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/php8.2-fpm.sock
    /// ```
    /// Without the pool files, nginx's side shows the same:
    /// ```nginx bad
    /// server {
    ///     location ~ \.php$ {
    ///         fastcgi_pass unix:/tmp/php-fpm.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `PrivateTmp=`
    /// - research notes: systemd-containers.md §3.3 and T7; FPM-109
    SocketHiddenByPrivateTmp {
        id: "SYD-004",
        title: "socket hidden by PrivateTmp",
        severity: High,
        fixable: false,
    }
}

impl Rule for SocketHiddenByPrivateTmp {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            let private = unit.flag("Service", "PrivateTmp") == Some(true);
            let dynamic = unit.flag("Service", "DynamicUser") == Some(true);
            let key = if private { "PrivateTmp" } else { "DynamicUser" };
            let Some(cause) = unit.get("Service", key).filter(|_| private || dynamic) else {
                continue;
            };
            // (what, where it is written) of each socket under a shared /tmp.
            let mut hidden: Vec<(String, crate::FileId, TextRange)> = Vec::new();
            for pool in &cx.model.fpm.pools {
                let Some(listen) = text(pool, "listen") else {
                    continue;
                };
                let Listen::Unix(path) = Listen::parse(&listen.value) else {
                    continue;
                };
                let path_of = cx
                    .sources
                    .get(listen.origin.file)
                    .map_or("", |f| f.path.as_str());
                if !in_tmp(&path) || !unit.serves(path_of) {
                    continue;
                }
                let message = format!(
                    "pool [{}] listens on `{path}`, but {} runs FPM with a private /tmp ({key}=yes): the web server cannot see this socket, and may reach one planted at the same path in the shared /tmp; use /run/php/",
                    pool.name, unit.name
                );
                out.push(
                    Self::meta_static()
                        .finding(listen.origin.file, listen.span(), message)
                        .with_related(cause.origin.file, cause.span(), format!("{key}=yes")),
                );
                let what = format!("`{path}` of pool [{}]", pool.name);
                hidden.push((what, listen.origin.file, listen.span()));
            }
            if !cx.model.fpm.present {
                // Without the pools, nginx's side tells where the socket is expected.
                for (path, origin) in nginx_tmp_sockets(cx) {
                    let message = format!(
                        "nginx passes to `{path}`, but {} runs FPM with a private /tmp ({key}=yes): a socket FPM creates there is invisible to nginx, and one planted in the shared /tmp receives the requests; use /run/php/ (the pool files would settle where FPM listens)",
                        unit.name
                    );
                    out.push(
                        Self::meta_static()
                            .finding(origin.file, origin.statement, message)
                            .with_related(cause.origin.file, cause.span(), format!("{key}=yes")),
                    );
                    hidden.push((
                        format!("`{path}` nginx passes to"),
                        origin.file,
                        origin.statement,
                    ));
                }
            }
            if hidden.is_empty() {
                continue;
            }
            let names: Vec<&str> = hidden.iter().map(|(what, _, _)| what.as_str()).collect();
            let message = format!(
                "{key}=yes hides the socket {} from the web server; move the socket to /run/php/ rather than dropping {key}",
                names.join(", ")
            );
            let mut finding = Self::meta_static().finding(cause.origin.file, cause.span(), message);
            for (_, file, range) in &hidden {
                finding = finding.with_related(*file, *range, "the socket");
            }
            out.push(finding);
        }
    }
}

fn in_tmp(path: &str) -> bool {
    path.starts_with("/tmp/") || path.starts_with("/var/tmp/")
}

/// The unix sockets under /tmp or /var/tmp that nginx's `fastcgi_pass` lines reach.
fn nginx_tmp_sockets(cx: Context<'_>) -> Vec<(String, Origin)> {
    let mut found: Vec<(String, Origin)> = Vec::new();
    let passes = cx.model.nginx.locations.iter().flat_map(|l| {
        l.fastcgi_pass
            .iter()
            .chain(l.blocks.iter().filter_map(|b| b.fastcgi_pass.as_ref()))
    });
    for pass in passes {
        for backend in &pass.backends {
            if let Endpoint::Unix(path) = &backend.endpoint
                && in_tmp(path)
                && !found.iter().any(|(_, o)| *o == backend.origin)
            {
                found.push((path.clone(), backend.origin));
            }
        }
    }
    found
}
