//! Which paths each pool uses, read from the configuration: its code (the nginx roots that
//! route to it, the app directory above a `public/` root, `chdir`, its own `open_basedir`
//! entries), the directories PHP writes (sessions, uploads, temp files) and its socket.
//! These are the trees the snapshot command lists and the FS rules judge.

use super::normalize;
use crate::model::Model;
use crate::model::fastcgi::pools_at;
use crate::model::fpm::Section;
use crate::model::listen::Listen;
use crate::model::php_stack::{Layer, effective};
use crate::model::php_values::{
    basedir_entries, broad_entry, host_dir, is_shared_dir, origin_span, session_dir,
};
use crate::source::FileId;
use crate::text::TextRange;

/// Last components of a web root whose parent is the app (`/srv/shop/public` → `/srv/shop`).
const WEB_SUBDIRS: &[&str] = &[
    "public",
    "web",
    "htdocs",
    "public_html",
    "webroot",
    "pub",
    "www",
];

/// A path a pool uses, and the line of the configuration that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathUse {
    pub path: String,
    /// `web root`, `chdir`, `sessions`, `uploads`, `temp files`, `socket`, ...
    pub what: &'static str,
    pub place: Option<(FileId, TextRange)>,
    /// For state directories: whether the pool sets it (false for PHP's default).
    pub configured: bool,
}

/// The paths of one pool.
#[derive(Debug, Clone)]
pub struct PoolPaths<'m> {
    pub pool: &'m Section,
    /// The pool's `user` (`None` when it runs as the master's user).
    pub user: Option<String>,
    pub group: Option<String>,
    /// Code trees, topmost first, none inside another.
    pub code: Vec<PathUse>,
    /// The web roots nginx serves for this pool (a subset of the code trees' contents).
    pub web_roots: Vec<PathUse>,
    /// Sessions, uploads and temp files.
    pub state: Vec<PathUse>,
    pub socket: Option<PathUse>,
}

impl PoolPaths<'_> {
    /// Every tree of the pool: code, state and the socket's directory.
    pub fn trees(&self) -> impl Iterator<Item = &PathUse> {
        self.code.iter().chain(&self.state)
    }

    /// The line a finding about this pool points at besides the evidence: its `user`.
    pub fn anchor(&self) -> Option<(FileId, TextRange)> {
        self.pool
            .get("user")
            .map(|u| (u.origin.file, u.span()))
            .or_else(|| self.pool.anchor())
    }
}

/// The paths of every pool, in pool order.
pub fn pool_paths(model: &Model) -> Vec<PoolPaths<'_>> {
    // (server, pool) pairs from one pass over the locations: asking per server would be
    // quadratic on hosts with thousands of sites.
    let mut routes: Vec<(usize, &str)> = Vec::new();
    for location in &model.nginx.locations {
        let passes = location.fastcgi_pass.iter().chain(
            location
                .blocks
                .iter()
                .filter_map(|b| b.fastcgi_pass.as_ref()),
        );
        for pass in passes {
            for backend in &pass.backends {
                for pool in pools_at(&model.fpm, &backend.endpoint) {
                    routes.push((location.server, pool.name.as_str()));
                }
            }
        }
    }
    crate::sort::sort(&mut routes);
    routes.dedup();
    model
        .fpm
        .pools
        .iter()
        .map(|pool| paths_of(model, pool, &routes))
        .collect()
}

fn paths_of<'m>(model: &'m Model, pool: &'m Section, routes: &[(usize, &str)]) -> PoolPaths<'m> {
    let mut code = Vec::new();
    let mut web_roots = Vec::new();
    let servers = routes
        .iter()
        .filter(|(_, p)| *p == pool.name)
        .filter_map(|&(s, _)| model.nginx.servers.get(s));
    for server in servers {
        let Some(root) = server.root.as_ref() else {
            continue;
        };
        let Some(dir) = root.arg(0).filter(|d| d.starts_with('/')) else {
            continue;
        };
        let dir = normalize(dir);
        let place = Some((root.file, root.range));
        web_roots.push(use_of(&dir, "web root", place, true));
        let (parent, last) = dir.rsplit_once('/').unwrap_or(("", ""));
        if WEB_SUBDIRS.contains(&last) && !parent.is_empty() && broad_entry(parent).is_none() {
            code.push(use_of(parent, "app directory", place, true));
        }
        code.push(use_of(&dir, "web root", place, true));
    }
    if let Some(chdir) = pool.get("chdir").filter(|c| c.value.starts_with('/')) {
        let place = Some((chdir.origin.file, chdir.span()));
        code.push(use_of(&host_dir(pool, &chdir.value), "chdir", place, true));
    }
    let ini = &model.php_ini;
    if let Some(basedir) = effective(ini, Some(pool), "open_basedir") {
        let place = basedir.origin.map(|o| (o.file, origin_span(o)));
        for entry in basedir_entries(&basedir.value).filter(|e| e.starts_with('/')) {
            if !is_shared_dir(entry) && broad_entry(entry).is_none() {
                code.push(use_of(
                    &host_dir(pool, entry),
                    "open_basedir entry",
                    place,
                    true,
                ));
            }
        }
    }
    let mut state = Vec::new();
    let temp = effective(ini, Some(pool), "sys_temp_dir").filter(|s| !s.value.trim().is_empty());
    for (key, what) in [
        ("session.save_path", "sessions"),
        ("upload_tmp_dir", "uploads"),
        ("sys_temp_dir", "temp files"),
    ] {
        let setting = effective(ini, Some(pool), key).filter(|s| !s.value.trim().is_empty());
        let (value, place, configured) = match &setting {
            Some(s) if s.layer != Layer::Default => (
                s.value.clone(),
                s.origin
                    .map(|o| (o.file, origin_span(o)))
                    .or_else(|| pool.anchor()),
                true,
            ),
            _ => (
                temp.as_ref()
                    .map_or_else(|| "/tmp".to_string(), |t| t.value.clone()),
                pool.anchor(),
                false,
            ),
        };
        let dir = if key == "session.save_path" {
            session_dir(&value).to_string()
        } else {
            value
        };
        if dir.starts_with('/') || pool.get("chdir").is_some() {
            state.push(use_of(&host_dir(pool, &dir), what, place, configured));
        }
    }
    let socket = pool
        .get("listen")
        .and_then(|l| match Listen::parse(&l.value) {
            Listen::Unix(path) if path.starts_with('/') => Some(use_of(
                &host_dir(pool, &path),
                "socket",
                Some((l.origin.file, l.span())),
                true,
            )),
            _ => None,
        });
    PoolPaths {
        pool,
        user: pool.get("user").map(|u| u.value.clone()),
        group: pool.get("group").map(|g| g.value.clone()),
        code: topmost(code),
        web_roots,
        state,
        socket,
    }
}

fn use_of(
    path: &str,
    what: &'static str,
    place: Option<(FileId, TextRange)>,
    configured: bool,
) -> PathUse {
    PathUse {
        path: normalize(path),
        what,
        place,
        configured,
    }
}

/// Drops trees inside another tree of the list (and repeats), keeping the first of equals.
fn topmost(mut uses: Vec<PathUse>) -> Vec<PathUse> {
    crate::sort::sort_by(&mut uses, |a, b| a.path.cmp(&b.path));
    let mut kept: Vec<PathUse> = Vec::new();
    for u in uses {
        if !kept.iter().any(|k| is_within(&u.path, &k.path)) {
            kept.push(u);
        }
    }
    kept
}

/// `path` is `root` or below it.
pub fn is_within(path: &str, root: &str) -> bool {
    path == root
        || root == "/"
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}
