//! Nodes and edges from the model: pools with their sockets, users and PHP paths, then the
//! nginx sites that route to them, then who else can connect to each socket.

use std::collections::BTreeMap;

use super::{Edge, EdgeKind, Graph, Node, NodeKind, Place};
use crate::model::Model;
use crate::model::fastcgi::{backend_key, describe, pools_at};
use crate::model::fpm::Section;
use crate::model::listen::Listen;
use crate::model::nginx::Endpoint;
use crate::model::php_stack::effective;
use crate::model::php_values::{basedir_entries, host_dir, origin_span, session_dir};
use crate::model::tenants::runs_as;
use crate::source::SourceSet;

/// The user node of pools whose account no file decides.
pub(super) const UNKNOWN_USER: &str = "(master's user)";

/// nginx's account when nginx.conf was not given (Debian's and Ubuntu's).
const ASSUMED_WEB_USER: &str = "www-data";

pub(super) struct Builder<'a> {
    pub(super) sources: &'a SourceSet,
    pub(super) model: &'a Model,
    pub(super) graph: Graph,
    ids: BTreeMap<String, usize>,
    /// (from, to, kind) → edge index: the one-edge-per-triple lookup stays logarithmic on
    /// hosts with thousands of sites.
    edge_ids: BTreeMap<(usize, usize, EdgeKind), usize>,
    /// Pool name → the unix user it runs as.
    pub(super) pool_user: BTreeMap<String, String>,
    /// Pool name → its group.
    pub(super) pool_group: BTreeMap<String, String>,
    /// Pool name → its endpoint node.
    pub(super) pool_endpoint: BTreeMap<String, usize>,
    pub(super) web_user: String,
}

impl Builder<'_> {
    pub(super) fn node(
        &mut self,
        id: String,
        kind: NodeKind,
        label: String,
        origin: Option<Place>,
    ) -> usize {
        if let Some(&index) = self.ids.get(&id) {
            return index;
        }
        let index = self.graph.nodes.len();
        self.ids.insert(id.clone(), index);
        self.graph.nodes.push(Node {
            id,
            kind,
            label,
            detail: Vec::new(),
            origin,
            risks: Vec::new(),
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
        });
        index
    }

    pub(super) fn detail(&mut self, node: usize, fact: String) {
        if let Some(n) = self.graph.nodes.get_mut(node)
            && !n.detail.contains(&fact)
        {
            n.detail.push(fact);
        }
    }

    /// One edge per (from, to, kind); a second occurrence keeps the first's origin and adds its
    /// label.
    pub(super) fn edge(
        &mut self,
        from: usize,
        to: usize,
        kind: EdgeKind,
        label: Option<String>,
        origin: Option<Place>,
    ) -> usize {
        if let Some(&i) = self.edge_ids.get(&(from, to, kind)) {
            // Sessions and uploads both in /tmp: one edge that says both.
            if let (Some(edge), Some(extra)) = (self.graph.edges.get_mut(i), label) {
                match &mut edge.label {
                    Some(existing) if !existing.split(", ").any(|l| l == extra) => {
                        existing.push_str(", ");
                        existing.push_str(&extra);
                    }
                    Some(_) => {}
                    None => edge.label = Some(extra),
                }
            }
            return i;
        }
        self.edge_ids
            .insert((from, to, kind), self.graph.edges.len());
        self.graph.edges.push(Edge {
            from,
            to,
            kind,
            label,
            origin,
            risks: Vec::new(),
        });
        self.graph.edges.len() - 1
    }

    pub(super) fn user(&mut self, name: &str) -> usize {
        let label = if name == self.web_user {
            format!("{name} (web server)")
        } else {
            name.to_string()
        };
        self.node(format!("user:{name}"), NodeKind::User, label, None)
    }

    fn path(&mut self, path: &str, origin: Option<Place>) -> usize {
        self.node(
            format!("path:{path}"),
            NodeKind::Path,
            path.to_string(),
            origin,
        )
    }
}

fn place(origin: crate::model::Origin) -> Place {
    Place {
        file: origin.file,
        range: origin_span(origin),
    }
}

pub(super) fn setting_place(setting: &crate::model::fpm::Setting) -> Place {
    Place {
        file: setting.origin.file,
        range: setting.span(),
    }
}

pub(super) fn build(sources: &SourceSet, model: &Model) -> Graph {
    let web_user = model
        .nginx
        .worker_user()
        .unwrap_or(ASSUMED_WEB_USER)
        .to_string();
    let mut b = Builder {
        sources,
        model,
        graph: Graph::default(),
        ids: BTreeMap::new(),
        edge_ids: BTreeMap::new(),
        pool_user: BTreeMap::new(),
        pool_group: BTreeMap::new(),
        pool_endpoint: BTreeMap::new(),
        web_user,
    };
    for pool in &model.fpm.pools {
        add_pool(&mut b, pool);
    }
    let routes = add_sites(&mut b);
    for pool in &model.fpm.pools {
        super::access::add_socket_access(&mut b, pool);
    }
    super::evidence::add_fs_edges(&mut b);
    super::lateral::derive(&mut b, &routes);
    super::evidence::cross_writable(&mut b);
    b.graph
}

fn add_pool(b: &mut Builder<'_>, pool: &Section) {
    let origin = pool.anchor().map(|(file, range)| Place { file, range });
    let node = b.node(
        format!("pool:{}", pool.name),
        NodeKind::Pool,
        format!("[{}]", pool.name),
        origin,
    );
    if let Some(pm) = pool.get("pm") {
        b.detail(node, format!("pm = {}", pm.value));
    }
    // The same account FPM-301 compares: the master's when a non-root unit overrides `user`.
    let account = runs_as(b.sources, b.model, pool);
    let user_setting = pool
        .get("user")
        .filter(|_| account.as_ref().is_some_and(|a| a.master.is_none()));
    let user = account
        .as_ref()
        .map_or_else(|| UNKNOWN_USER.to_string(), |a| a.user.clone());
    let group = account.map_or_else(|| user.clone(), |a| a.group);
    b.pool_user.insert(pool.name.clone(), user.clone());
    b.pool_group.insert(pool.name.clone(), group.clone());
    let user_node = b.user(&user);
    b.edge(
        node,
        user_node,
        EdgeKind::RunsAs,
        Some(format!("{user}:{group}")),
        user_setting.map(setting_place),
    );
    if let Some(listen) = pool.get("listen") {
        let endpoint = endpoint_of(&Listen::parse(&listen.value));
        let id = format!("endpoint:{}", backend_key(&endpoint));
        let ep = b.node(
            id,
            NodeKind::Endpoint,
            describe(&endpoint),
            Some(setting_place(listen)),
        );
        b.pool_endpoint.insert(pool.name.clone(), ep);
        b.edge(
            ep,
            node,
            EdgeKind::ListensOn,
            None,
            Some(setting_place(listen)),
        );
    }
    add_php_paths(b, pool, node, user_node);
}

/// A pool's `listen` as the address nginx would name.
fn endpoint_of(listen: &Listen) -> Endpoint {
    match listen {
        Listen::Unix(path) => Endpoint::Unix(path.clone()),
        Listen::Tcp { host, port } => Endpoint::Tcp {
            host: host
                .clone()
                .filter(|h| !h.is_empty() && h != "*")
                .unwrap_or_else(|| "0.0.0.0".into()),
            port: port.trim().parse().ok(),
        },
    }
}

/// Where the pool's PHP writes (sessions, uploads, temp files, its error log) and what
/// `open_basedir` confines it to.
fn add_php_paths(b: &mut Builder<'_>, pool: &Section, pool_node: usize, user_node: usize) {
    let ini = &b.model.php_ini;
    for (key, what) in [
        ("session.save_path", "sessions"),
        ("upload_tmp_dir", "uploads"),
        ("sys_temp_dir", "temp files"),
        ("error_log", "PHP error log"),
    ] {
        let setting = effective(ini, Some(pool), key);
        let (value, origin) = match &setting {
            Some(s) if !s.value.trim().is_empty() => (s.value.clone(), s.origin.map(place)),
            // PHP falls back to the system temp directory; the error log then goes to FPM.
            _ if key == "error_log" => continue,
            _ => ("/tmp".to_string(), None),
        };
        let dir = if key == "session.save_path" {
            session_dir(&value).to_string()
        } else {
            value
        };
        if !dir.starts_with('/') && !dir.is_empty() && key != "error_log" {
            continue;
        }
        let path = host_dir(pool, &dir);
        let label = if origin.is_some() {
            what.to_string()
        } else {
            format!("{what} (default)")
        };
        let node = b.path(&path, None);
        b.edge(user_node, node, EdgeKind::CanWrite, Some(label), origin);
    }
    if let Some(basedir) = effective(ini, Some(pool), "open_basedir")
        && !basedir.value.trim().is_empty()
    {
        let origin = basedir.origin.map(place);
        for entry in basedir_entries(&basedir.value).filter(|e| e.starts_with('/')) {
            // The trailing slash is kept: open_basedir compares prefixes, so it matters.
            let mut path = host_dir(pool, entry);
            if entry.ends_with('/') && path != "/" {
                path.push('/');
            }
            let node = b.path(&path, None);
            b.edge(
                pool_node,
                node,
                EdgeKind::ConfinedTo,
                Some("open_basedir".into()),
                origin,
            );
        }
    }
}

/// A site and the pools its `fastcgi_pass`es reach.
pub(super) struct Route {
    pub(super) vhost: usize,
    pub(super) docroot: Option<usize>,
    pub(super) pools: Vec<String>,
    pub(super) edges: Vec<usize>,
}

fn add_sites(b: &mut Builder<'_>) -> Vec<Route> {
    let model = b.model;
    let mut routes = Vec::new();
    for (index, server) in model.nginx.servers.iter().enumerate() {
        let passes: Vec<_> = model.nginx.fastcgi_passes(index).collect();
        if passes.is_empty() {
            continue;
        }
        let name = server
            .names
            .iter()
            .map(|n| n.value.as_str())
            .find(|n| !n.is_empty())
            .unwrap_or("_");
        let vhost = b.node(
            format!("vhost:{index}"),
            NodeKind::Vhost,
            name.to_string(),
            Some(Place {
                file: server.head.file,
                range: server.head.head(),
            }),
        );
        let docroot = server.root.as_ref().and_then(|root| {
            let path = root.arg(0)?.trim_end_matches('/');
            let path = if path.is_empty() { "/" } else { path };
            b.detail(vhost, format!("root {path}"));
            Some(b.path(
                path,
                Some(Place {
                    file: root.file,
                    range: root.range,
                }),
            ))
        });
        let mut route = Route {
            vhost,
            docroot,
            pools: Vec::new(),
            edges: Vec::new(),
        };
        for (_, pass) in passes {
            for backend in &pass.backends {
                let origin = Some(place(backend.origin));
                let pools = pools_at(&model.fpm, &backend.endpoint);
                if pools.is_empty() {
                    let ep = b.node(
                        format!("endpoint:{}", backend_key(&backend.endpoint)),
                        NodeKind::Endpoint,
                        describe(&backend.endpoint),
                        origin,
                    );
                    route
                        .edges
                        .push(b.edge(vhost, ep, EdgeKind::RoutesTo, None, origin));
                }
                for pool in pools {
                    let Some(&ep) = b.pool_endpoint.get(&pool.name) else {
                        continue;
                    };
                    route
                        .edges
                        .push(b.edge(vhost, ep, EdgeKind::RoutesTo, None, origin));
                    if !route.pools.contains(&pool.name) {
                        route.pools.push(pool.name.clone());
                    }
                }
            }
        }
        if let Some(root) = docroot {
            for pool in route.pools.clone() {
                if let Some(user) = b.pool_user.get(&pool).cloned() {
                    let user_node = b.user(&user);
                    b.edge(
                        user_node,
                        root,
                        EdgeKind::CanRead,
                        Some("code".into()),
                        None,
                    );
                }
            }
        }
        routes.push(route);
    }
    routes
}
