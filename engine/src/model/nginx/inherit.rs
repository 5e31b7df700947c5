//! What each level inherits, the way nginx's merge functions copy a parent's value into a
//! child that has none: ordinary directives come from the nearest level that sets them; array
//! directives (`fastcgi_param`, `add_header`, `proxy_set_header`...) are copied as a whole
//! list only when the child has none of its own (replace, not merge); `root` and `alias`
//! share one slot; `fastcgi_pass` is a handler and is not inherited by nested locations.

use super::NginxModel;
use super::types::{Backend, Endpoint, FastcgiPass, FastcgiTarget, Inherited, Level, Setting};

pub(super) fn apply(model: &mut NginxModel) {
    for index in 0..model.servers.len() {
        let root = model.effective_for_server(index, &["root"]).cloned();
        let fastcgi_params = model.server_inherited(index, "fastcgi_param");
        let add_headers = model.server_inherited(index, "add_header");
        if let Some(server) = model.servers.get_mut(index) {
            server.root = root;
            server.fastcgi_params = fastcgi_params;
            server.add_headers = add_headers;
        }
    }
    for index in 0..model.locations.len() {
        let document_root = model.effective(index, &["root", "alias"]).cloned();
        let fastcgi_params = model.inherited(index, "fastcgi_param");
        let add_headers = model.inherited(index, "add_header");
        let Some(location) = model.locations.get(index) else {
            continue;
        };
        let http = model.servers.get(location.server).map_or(0, |s| s.http);
        let own_pass = location
            .settings
            .iter()
            .find(|s| s.name == "fastcgi_pass")
            .map(|s| fastcgi_pass(model, http, s));
        let block_passes: Vec<Option<FastcgiPass>> = location
            .blocks
            .iter()
            .map(|b| {
                b.settings
                    .iter()
                    .find(|s| s.name == "fastcgi_pass")
                    .map(|s| fastcgi_pass(model, http, s))
            })
            .collect();
        if let Some(location) = model.locations.get_mut(index) {
            location.document_root = document_root;
            location.fastcgi_params = fastcgi_params;
            location.add_headers = add_headers;
            location.fastcgi_pass = own_pass;
            for (block, pass) in location.blocks.iter_mut().zip(block_passes) {
                block.fastcgi_pass = pass;
            }
        }
    }
}

/// Resolves a `fastcgi_pass` line: a `unix:` path, `host:port`, or the name of an `upstream`
/// (the one in the same `http` block, else any given one of that name).
fn fastcgi_pass(model: &NginxModel, http: usize, setting: &Setting) -> FastcgiPass {
    let address = setting.arg(0).unwrap_or_default();
    let upstream = (!address.starts_with("unix:") && !address.contains('$'))
        .then(|| {
            let named = |u: &&super::Upstream| u.name == address;
            model
                .upstreams
                .iter()
                .position(|u| u.http == http && named(&u))
                .or_else(|| model.upstreams.iter().position(|u| named(&u)))
        })
        .flatten();
    let (target, backends) = if let Some(index) = upstream {
        let servers = model
            .upstreams
            .get(index)
            .map(|u| u.servers.clone())
            .unwrap_or_default();
        (FastcgiTarget::Upstream(index), servers)
    } else if address.contains('$') {
        (FastcgiTarget::Variable(address.to_string()), Vec::new())
    } else {
        let backend = backend(setting, 0);
        let target = FastcgiTarget::Endpoint(Endpoint::parse(address));
        (target, backend.into_iter().collect())
    };
    FastcgiPass {
        setting: setting.clone(),
        target,
        backends,
    }
}

/// The endpoint named by argument `index` of a `fastcgi_pass` or upstream `server` line.
pub(super) fn backend(setting: &Setting, index: usize) -> Option<Backend> {
    Some(Backend {
        endpoint: Endpoint::parse(setting.arg(index)?),
        origin: setting.arg_origin(index)?,
    })
}

impl NginxModel {
    /// The levels `location` reads configuration from, innermost first: itself, enclosing
    /// locations, its server, the `http` block.
    pub fn levels(&self, location: usize) -> Vec<(Level, &[Setting])> {
        let mut out: Vec<(Level, &[Setting])> = self
            .ancestry(location)
            .map(|(index, l)| (Level::Location(index), l.settings.as_slice()))
            .collect();
        if let Some(l) = self.locations.get(location) {
            out.extend(self.server_levels(l.server));
        }
        out
    }

    /// The levels a server reads configuration from: itself, then its `http` block.
    pub fn server_levels(&self, server: usize) -> Vec<(Level, &[Setting])> {
        let Some(found) = self.servers.get(server) else {
            return Vec::new();
        };
        let mut out = vec![(Level::Server(server), found.settings.as_slice())];
        if let Some(http) = self.http.get(found.http) {
            out.push((Level::Http(found.http), http.settings.as_slice()));
        }
        out
    }

    /// The value of an ordinary (non-array) directive as `location` sees it: its own line, else
    /// the nearest enclosing location's, server's or `http` block's. `names` lists directives
    /// sharing one slot (`["root", "alias"]`).
    pub fn effective(&self, location: usize, names: &[&str]) -> Option<&Setting> {
        nearest(self.levels(location), names)
    }

    /// Like [`Self::effective`] for the server level (its own line, else the `http` block's).
    pub fn effective_for_server(&self, server: usize, names: &[&str]) -> Option<&Setting> {
        nearest(self.server_levels(server), names)
    }

    /// An array directive (`fastcgi_param`, `add_header`, `proxy_set_header`,
    /// `fastcgi_hide_header`...) as `location` sees it: the lines of the nearest level that has
    /// any, itself included. For `add_header` and `add_trailer`, `*_inherit off` (nothing from
    /// outer levels) and `*_inherit merge` (own lines, then the outer level's) of nginx 1.29.3
    /// are honoured; the mode itself is inherited like an ordinary directive.
    pub fn inherited(&self, location: usize, name: &str) -> Inherited {
        resolve(&self.levels(location), name)
    }

    /// Like [`Self::inherited`] for the server level.
    pub fn server_inherited(&self, server: usize, name: &str) -> Inherited {
        resolve(&self.server_levels(server), name)
    }
}

fn nearest<'a>(
    levels: impl IntoIterator<Item = (Level, &'a [Setting])>,
    names: &[&str],
) -> Option<&'a Setting> {
    levels
        .into_iter()
        .find_map(|(_, settings)| settings.iter().find(|s| names.contains(&s.name.as_str())))
}

/// Collects an array directive from the innermost level outwards (see
/// [`NginxModel::inherited`]).
fn resolve(levels: &[(Level, &[Setting])], name: &str) -> Inherited {
    let mode_name = match name {
        "add_header" => Some("add_header_inherit"),
        "add_trailer" => Some("add_trailer_inherit"),
        _ => None,
    };
    let mut out = Inherited::default();
    for (i, (level, settings)) in levels.iter().enumerate() {
        let own = lines(settings, name);
        let mode = mode_name
            .and_then(|m| nearest(levels.get(i..).unwrap_or_default().iter().copied(), &[m]))
            .and_then(|s| s.arg(0));
        let found = !own.is_empty();
        if found && out.level == Level::Unset {
            out.level = *level;
        }
        out.settings.extend(own);
        match mode {
            Some("off") => break,
            Some("merge") => {}
            _ if found => break,
            _ => {}
        }
    }
    out
}

fn lines(settings: &[Setting], name: &str) -> Vec<Setting> {
    settings
        .iter()
        .filter(|s| s.name == name)
        .cloned()
        .collect()
}
