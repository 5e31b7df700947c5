//! The edge between nginx and FPM: which pool a `fastcgi_pass` reaches, how backends are
//! compared, and the PHP version the file paths reveal.

use super::fpm::{FpmModel, Section};
use super::listen::Listen;
use super::nginx::{Backend, Endpoint, FastcgiPass, NginxModel};
use crate::source::SourceSet;

/// One place nginx sends requests to a backend: the location, its server and the line.
#[derive(Debug, Clone, Copy)]
pub struct BackendUse<'a> {
    pub server: usize,
    pub location: usize,
    pub pass: &'a FastcgiPass,
    pub backend: &'a Backend,
}

/// Every location that sends requests to one backend ([`backend_key`]), in model order.
#[derive(Debug, Clone)]
pub struct SharedBackend<'a> {
    pub key: String,
    pub uses: Vec<BackendUse<'a>>,
}

impl<'a> SharedBackend<'a> {
    /// The distinct servers among the uses, in order.
    pub fn servers(&self) -> Vec<usize> {
        self.first_uses().iter().map(|u| u.server).collect()
    }

    /// The first use of the backend in each server, in reading order (a set, not a scan of
    /// the list: one backend may serve thousands of servers).
    pub fn first_uses(&self) -> Vec<&BackendUse<'a>> {
        let mut seen = std::collections::BTreeSet::new();
        self.uses.iter().filter(|u| seen.insert(u.server)).collect()
    }
}

/// The backends of every `fastcgi_pass` (each server of an upstream on its own), grouped.
/// Passes whose address is a variable are left out.
pub fn backends(nginx: &NginxModel) -> Vec<SharedBackend<'_>> {
    let mut out: Vec<SharedBackend<'_>> = Vec::new();
    for (location, l) in nginx.locations.iter().enumerate() {
        for pass in nginx.passes(location) {
            for backend in &pass.backends {
                let key = backend_key(&backend.endpoint);
                let used = BackendUse {
                    server: l.server,
                    location,
                    pass,
                    backend,
                };
                match out.iter_mut().find(|b| b.key == key) {
                    Some(group) => group.uses.push(used),
                    None => out.push(SharedBackend {
                        key,
                        uses: vec![used],
                    }),
                }
            }
        }
    }
    out
}

/// The document root a location serves from, as written (`root`/`alias` in effect, else the
/// compiled-in `html`).
pub fn served_root(nginx: &NginxModel, location: usize) -> String {
    nginx
        .locations
        .get(location)
        .and_then(|l| l.document_root.as_ref())
        .and_then(|s| s.arg(0))
        .map_or_else(
            || "html".to_string(),
            |r| r.trim_end_matches('/').to_string(),
        )
}

/// A server's name for messages: its first `server_name`, else its first `listen`.
pub fn server_label(nginx: &NginxModel, server: usize) -> String {
    let Some(s) = nginx.servers.get(server) else {
        return String::new();
    };
    s.names
        .iter()
        .map(|n| n.value.as_str())
        .find(|n| !n.is_empty() && *n != "_")
        .map(str::to_string)
        .or_else(|| s.listens.first().map(|l| format!("listen {}", l.address)))
        .unwrap_or_else(|| format!("server #{}", server + 1))
}

/// Whether a pool listening on `listen` accepts what nginx sends to `endpoint`: the same socket
/// path, or the same TCP port on a matching address (a wildcard pool matches any address,
/// loopback names match each other).
pub fn serves(listen: &Listen, endpoint: &Endpoint) -> bool {
    match (listen, endpoint) {
        (Listen::Unix(a), Endpoint::Unix(b)) => normalize(a) == normalize(b),
        (
            Listen::Tcp { port, .. },
            Endpoint::Tcp {
                host,
                port: Some(p),
            },
        ) => {
            port.trim().parse::<u16>().ok() == Some(*p)
                && (listen.is_all_interfaces()
                    || (listen.is_loopback() && endpoint.is_loopback())
                    || matches!(listen, Listen::Tcp { host: Some(h), .. } if h.eq_ignore_ascii_case(host)))
        }
        _ => false,
    }
}

/// The pools that listen where `endpoint` points.
pub fn pools_at<'a>(fpm: &'a FpmModel, endpoint: &Endpoint) -> Vec<&'a Section> {
    fpm.pools
        .iter()
        .filter(|p| {
            p.get("listen")
                .is_some_and(|l| serves(&Listen::parse(&l.value), endpoint))
        })
        .collect()
}

/// The pools behind a `fastcgi_pass` (every server of its upstream), each once.
pub fn pools_behind<'a>(fpm: &'a FpmModel, pass: &FastcgiPass) -> Vec<&'a Section> {
    let mut out: Vec<&Section> = Vec::new();
    for backend in &pass.backends {
        for pool in pools_at(fpm, &backend.endpoint) {
            if !out.iter().any(|p| p.name == pool.name) {
                out.push(pool);
            }
        }
    }
    out
}

/// A stable name for a backend, for grouping the servers that share one: `unix:/path` or
/// `host:port` with loopback names folded together.
pub fn backend_key(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Unix(path) => format!("unix:{}", normalize(path)),
        Endpoint::Tcp { host, port } => {
            let host = if endpoint.is_loopback() {
                "127.0.0.1".to_string()
            } else {
                host.to_ascii_lowercase()
            };
            match port {
                Some(p) => format!("{host}:{p}"),
                None => host,
            }
        }
    }
}

/// How `endpoint` is written in a message.
pub fn describe(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Unix(path) => format!("unix:{path}"),
        Endpoint::Tcp { host, port } => match port {
            Some(p) if host.contains(':') => format!("[{host}]:{p}"),
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        },
    }
}

/// A socket path with repeated and trailing slashes removed.
fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.trim().chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The PHP version (major, minor) the FPM and php.ini paths name, as distributions lay them
/// out: `/etc/php/8.2/fpm/...` (Debian), `/etc/php82/...` (Alpine), `/opt/remi/php74/...`.
pub fn php_version(sources: &SourceSet) -> Option<(u32, u32)> {
    sources
        .iter()
        .filter(|(_, f)| f.kind.is_fpm() || f.kind == crate::source::FileKind::PhpIni)
        .find_map(|(_, f)| version_in(&f.path))
}

fn version_in(path: &str) -> Option<(u32, u32)> {
    for (i, _) in path.match_indices("php") {
        let rest = path.get(i + 3..)?;
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let digits: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let (major, minor) = match digits.split_once('.') {
            Some((a, b)) => (a.to_string(), b.split('.').next().unwrap_or("").to_string()),
            None if digits.len() == 2 => (digits.get(..1)?.into(), digits.get(1..)?.into()),
            None => continue,
        };
        if let (Ok(major), Ok(minor)) = (major.parse::<u32>(), minor.parse::<u32>())
            && (5..=9).contains(&major)
        {
            return Some((major, minor));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_pools_and_versions() {
        let sock = Endpoint::parse("unix:/run/php//app.sock");
        assert!(serves(&Listen::parse("/run/php/app.sock"), &sock));
        assert!(serves(
            &Listen::parse("9000"),
            &Endpoint::parse("10.0.0.5:9000")
        ));
        assert!(serves(
            &Listen::parse("127.0.0.1:9000"),
            &Endpoint::parse("localhost:9000")
        ));
        assert!(!serves(
            &Listen::parse("127.0.0.1:9001"),
            &Endpoint::parse("127.0.0.1:9000")
        ));
        assert_eq!(
            backend_key(&Endpoint::parse("localhost:9000")),
            "127.0.0.1:9000"
        );
        assert_eq!(version_in("/etc/php/8.2/fpm/pool.d/www.conf"), Some((8, 2)));
        assert_eq!(version_in("/etc/php74/php-fpm.d/www.conf"), Some((7, 4)));
        assert_eq!(version_in("/etc/php-fpm.d/www.conf"), None);
    }
}
