//! nginx as it runs: every `include` expanded at its site, the `http` → `server` → `location`
//! tree with inheritance applied, `fastcgi_pass` targets resolved through `upstream` blocks, and
//! nginx's location selection. Every value keeps the file and range it was written at.
//!
//! The engine does no I/O, so the [`SourceSet`] is the file system: an `include` names files
//! by host path and glob, and a file the user did not give is an [`UnresolvedInclude`] rather
//! than a silent gap (a rule can then say which file would settle a question).

mod build;
mod docroots;
pub mod edit;
mod exposure;
mod include;
mod inherit;
mod location;
mod php;
pub mod regex;
mod regex_class;
mod regex_vm;
mod roots;
mod types;

#[cfg(test)]
mod tests;

pub use docroots::WebRoot;
pub use exposure::UPLOAD_DIRS;
pub use include::{Include, IncludeProblem, IncludeProblemKind, UnresolvedInclude};
pub use location::LocationMatch;
pub use php::ScriptCheck;
pub use types::{
    Backend, Endpoint, FastcgiPass, FastcgiTarget, Http, Inherited, Level, Listen, Location,
    Modifier, Root, Server, Setting, SubBlock, Upstream, Value,
};

use super::{Origin, Parsed};
use crate::source::{FileId, SourceSet};

/// The account nginx workers run as when the config has no `user` directive (compiled default).
pub const DEFAULT_USER: &str = "nobody";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NginxModel {
    /// Whether any nginx file was given.
    pub present: bool,
    /// Whether the main `nginx.conf` (the file with the `http` block or `user`) was given.
    pub has_main_conf: bool,
    /// The `user` directive: account name and where it is written.
    pub user: Option<(String, Origin)>,
    /// The files nginx would start reading from: the main config, and site files that nothing
    /// includes (read as if included inside `http {}`, see [`Root::assumed_http_context`]).
    pub roots: Vec<Root>,
    /// `http` blocks (one per root in practice).
    pub http: Vec<Http>,
    /// Every `server` of every `http` block, in reading order.
    pub servers: Vec<Server>,
    /// Every `location` at any depth, parents before their children.
    pub locations: Vec<Location>,
    pub upstreams: Vec<Upstream>,
    /// Every `include` as expanded, one entry per site: a file included from two places has
    /// its own includes listed twice.
    pub includes: Vec<Include>,
    /// Includes that matched no given file, once per directive.
    pub unresolved_includes: Vec<UnresolvedInclude>,
    /// Include cycles and runaway expansion, once per directive.
    pub include_problems: Vec<IncludeProblem>,
}

impl NginxModel {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let mut model = Self::default();
        for (file, p) in parsed {
            let Parsed::Nginx(doc) = p else { continue };
            model.present = true;
            let is_main = sources
                .get(*file)
                .is_some_and(|f| f.path.ends_with("/nginx.conf") || f.path == "nginx.conf");
            for directive in &doc.directives {
                if directive.name == "http" || directive.name == "events" {
                    model.has_main_conf = true;
                }
                if directive.name == "user"
                    && let Some(arg) = directive.args.first()
                {
                    model.has_main_conf = true;
                    model.user = Some((
                        arg.value.clone(),
                        Origin {
                            file: *file,
                            statement: directive.range,
                            value: arg.range,
                        },
                    ));
                }
            }
            model.has_main_conf |= is_main;
        }
        if model.present {
            build::build(&mut model, sources, parsed);
        }
        model
    }

    /// The web server's account, if the main config was given.
    pub fn worker_user(&self) -> Option<&str> {
        match &self.user {
            Some((user, _)) => Some(user.as_str()),
            None if self.has_main_conf => Some(DEFAULT_USER),
            None => None,
        }
    }

    pub fn server(&self, index: usize) -> Option<&Server> {
        self.servers.get(index)
    }

    pub fn location(&self, index: usize) -> Option<&Location> {
        self.locations.get(index)
    }

    /// The `http` block a server belongs to.
    pub fn http_of(&self, server: &Server) -> Option<&Http> {
        self.http.get(server.http)
    }

    /// The location and its enclosing locations, innermost first.
    pub fn ancestry(&self, location: usize) -> impl Iterator<Item = (usize, &Location)> {
        let mut next = Some(location);
        std::iter::from_fn(move || {
            let index = next?;
            let found = self.locations.get(index)?;
            next = found.parent;
            Some((index, found))
        })
    }

    /// Every location of a server at any depth, with its index, parents first. The builder
    /// walks one server at a time, so `locations` is sorted by server and this is a binary
    /// search, not a scan: per-server loops stay linear on hosts with thousands of servers.
    pub fn server_locations(&self, server: usize) -> impl Iterator<Item = (usize, &Location)> {
        let start = self.locations.partition_point(|l| l.server < server);
        let end = self.locations.partition_point(|l| l.server <= server);
        self.locations
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(move |(i, l)| (start + i, l))
    }

    /// Every `fastcgi_pass` of a server: in its locations and in their `if`/`limit_except`
    /// blocks, with the location that holds it.
    pub fn fastcgi_passes(&self, server: usize) -> impl Iterator<Item = (usize, &FastcgiPass)> {
        self.server_locations(server).flat_map(|(i, l)| {
            l.fastcgi_pass
                .iter()
                .chain(l.blocks.iter().filter_map(|b| b.fastcgi_pass.as_ref()))
                .map(move |pass| (i, pass))
        })
    }
}
