//! What each level inherits, the way nginx's merge functions copy a parent's value into a
//! child that has none: ordinary directives come from the nearest level that sets them; array
//! directives (`fastcgi_param`, `add_header`, `proxy_set_header`...) are copied as a whole
//! list only when the child has none of its own (replace, not merge); `root` and `alias`
//! share one slot; `fastcgi_pass` is a handler and is not inherited by nested locations.

use std::collections::{BTreeMap, BTreeSet};

use super::NginxModel;
use super::types::{Backend, Endpoint, FastcgiPass, FastcgiTarget, Inherited, Level, Setting};

pub(super) fn apply(model: &mut NginxModel) {
    let http: Vec<Handed> = model
        .http
        .iter()
        .enumerate()
        .map(|(i, h)| step(&Handed::default(), &h.settings, Level::Http(i), &["root"]))
        .collect();
    let servers: Vec<Handed> = model
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let parent = http.get(s.http).cloned().unwrap_or_default();
            step(&parent, &s.settings, Level::Server(i), &["root"])
        })
        .collect();
    // Parents come before their children in `locations`, so one pass hands everything down.
    let mut locations: Vec<Handed> = Vec::with_capacity(model.locations.len());
    for (i, l) in model.locations.iter().enumerate() {
        let parent = match l.parent {
            Some(p) => locations.get(p),
            None => servers.get(l.server),
        };
        let parent = parent.cloned().unwrap_or_default();
        locations.push(step(
            &parent,
            &l.settings,
            Level::Location(i),
            &["root", "alias"],
        ));
    }
    for (server, handed) in model.servers.iter_mut().zip(servers) {
        server.root = handed.root;
        server.fastcgi_params = handed.params;
        server.add_headers = handed.headers;
    }
    let upstreams = Upstreams::new(model);
    let passes: Vec<_> = model
        .locations
        .iter()
        .map(|l| {
            let http = model.servers.get(l.server).map_or(0, |s| s.http);
            let pass = |settings: &[Setting]| {
                settings
                    .iter()
                    .find(|s| s.name == "fastcgi_pass")
                    .map(|s| fastcgi_pass(model, &upstreams, http, s))
            };
            let blocks: Vec<_> = l.blocks.iter().map(|b| pass(&b.settings)).collect();
            (pass(&l.settings), blocks)
        })
        .collect();
    for ((location, handed), (own, blocks)) in model.locations.iter_mut().zip(locations).zip(passes)
    {
        location.document_root = handed.root;
        location.fastcgi_params = handed.params;
        location.add_headers = handed.headers;
        location.fastcgi_pass = own;
        for (block, pass) in location.blocks.iter_mut().zip(blocks) {
            block.fastcgi_pass = pass;
        }
    }
}

/// What a level hands down to the levels inside it. Lists are shared (`Arc`), so a server
/// with a thousand locations holds its `fastcgi_param` lines once.
#[derive(Debug, Clone, Default)]
struct Handed {
    /// `root` or `alias` (one slot in nginx).
    root: Option<Setting>,
    params: Inherited,
    headers: Inherited,
    /// `add_header_inherit` (nginx 1.29.3), inherited like an ordinary directive.
    header_mode: Option<String>,
}

fn step(parent: &Handed, settings: &[Setting], level: Level, root_names: &[&str]) -> Handed {
    let root = settings
        .iter()
        .find(|s| root_names.contains(&s.name.as_str()))
        .cloned()
        .or_else(|| parent.root.clone());
    let header_mode = settings
        .iter()
        .find(|s| s.name == "add_header_inherit")
        .and_then(|s| s.arg(0))
        .map(str::to_string)
        .or_else(|| parent.header_mode.clone());
    Handed {
        params: array(&parent.params, settings, "fastcgi_param", level, None),
        headers: array(
            &parent.headers,
            settings,
            "add_header",
            level,
            header_mode.as_deref(),
        ),
        root,
        header_mode,
    }
}

/// One level of an array directive: its own lines replace the parent's (or, with `merge`,
/// come before them; with `off`, nothing is inherited).
fn array(
    parent: &Inherited,
    settings: &[Setting],
    name: &str,
    level: Level,
    mode: Option<&str>,
) -> Inherited {
    let mut own = lines(settings, name);
    let found = !own.is_empty();
    match mode {
        Some("off") => Inherited {
            settings: own.into(),
            level: if found { level } else { Level::Unset },
        },
        Some("merge") if found => {
            own.extend(parent.settings.iter().cloned());
            Inherited {
                settings: own.into(),
                level,
            }
        }
        _ if found => Inherited {
            settings: own.into(),
            level,
        },
        _ => parent.clone(),
    }
}

/// `upstream` blocks by name.
struct Upstreams<'a>(BTreeMap<&'a str, Vec<(usize, usize)>>);

impl<'a> Upstreams<'a> {
    fn new(model: &'a NginxModel) -> Self {
        let mut map: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, u) in model.upstreams.iter().enumerate() {
            map.entry(u.name.as_str()).or_default().push((u.http, i));
        }
        Self(map)
    }

    /// The upstream named `name` in `http`, else the first given one of that name.
    fn find(&self, name: &str, http: usize) -> Option<usize> {
        let found = self.0.get(name)?;
        found
            .iter()
            .find(|(h, _)| *h == http)
            .or_else(|| found.first())
            .map(|(_, i)| *i)
    }
}

/// Resolves a `fastcgi_pass` line: a `unix:` path, `host:port`, or the name of an `upstream`
/// (the one in the same `http` block, else any given one of that name).
fn fastcgi_pass(
    model: &NginxModel,
    upstreams: &Upstreams<'_>,
    http: usize,
    setting: &Setting,
) -> FastcgiPass {
    let address = setting.arg(0).unwrap_or_default();
    let upstream = (!address.starts_with("unix:") && !address.contains('$'))
        .then(|| upstreams.find(address, http))
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

    /// The lines of an array directive that `location` loses by having lines of its own: what
    /// the enclosing levels would give it, minus lines it repeats itself (the same file and
    /// range, e.g. the same snippet included again). `level` is where the lost lines are
    /// written. Empty when the location has none of its own.
    pub fn dropped(&self, location: usize, name: &str) -> Inherited {
        dropped(&self.levels(location), name)
    }

    /// Like [`Self::dropped`] for the server level (what it loses from the `http` block).
    pub fn server_dropped(&self, server: usize, name: &str) -> Inherited {
        dropped(&self.server_levels(server), name)
    }
}

fn dropped(levels: &[(Level, &[Setting])], name: &str) -> Inherited {
    let Some(((_, own), outer)) = levels.split_first() else {
        return Inherited::default();
    };
    if !own.iter().any(|s| s.name == name) {
        return Inherited::default();
    }
    let kept = resolve(levels, name);
    let outer = resolve(outer, name);
    let kept: BTreeSet<_> = kept.settings.iter().map(|k| (k.file, k.range)).collect();
    let lost: Vec<Setting> = outer
        .settings
        .iter()
        .filter(|s| !kept.contains(&(s.file, s.range)))
        .cloned()
        .collect();
    Inherited {
        level: if lost.is_empty() {
            Level::Unset
        } else {
            outer.level
        },
        settings: lost.into(),
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
    let mut collected = Vec::new();
    let mut found_at = Level::Unset;
    for (i, (level, settings)) in levels.iter().enumerate() {
        let own = lines(settings, name);
        let mode = mode_name
            .and_then(|m| nearest(levels.get(i..).unwrap_or_default().iter().copied(), &[m]))
            .and_then(|s| s.arg(0));
        let found = !own.is_empty();
        if found && found_at == Level::Unset {
            found_at = *level;
        }
        collected.extend(own);
        match mode {
            Some("off") => break,
            Some("merge") => {}
            _ if found => break,
            _ => {}
        }
    }
    Inherited {
        settings: collected.into(),
        level: found_at,
    }
}

fn lines(settings: &[Setting], name: &str) -> Vec<Setting> {
    settings
        .iter()
        .filter(|s| s.name == name)
        .cloned()
        .collect()
}
