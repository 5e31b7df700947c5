//! Lowers the parsed files into the model: finds the roots, walks `main` → `http` → `server`
//! → `location` with includes expanded at every level, then applies inheritance.

use super::include::{Includes, Item, dirname};
use super::roots::{collect_read, is_main, orphans};
use super::types::{
    Http, Listen, Location, Modifier, Root, Server, Setting, SubBlock, Upstream, Value,
};
use super::{NginxModel, inherit};
use crate::model::Parsed;
use crate::source::{FileId, SourceSet};
use crate::syntax::nginx::{Directive, NginxDoc};

/// Locations nested deeper than this are not modelled (nginx allows any depth; real configs
/// use two or three levels). Keeps the walk's recursion bounded on hostile input.
const MAX_LOCATION_DEPTH: usize = 32;

pub(super) fn build(model: &mut NginxModel, sources: &SourceSet, parsed: &[(FileId, Parsed)]) {
    let docs: Vec<(FileId, &NginxDoc)> = parsed
        .iter()
        .filter_map(|(file, p)| match p {
            Parsed::Nginx(doc) => Some((*file, doc)),
            _ => None,
        })
        .collect();
    let mut walker = Walker {
        includes: Includes::new(sources, &docs),
        model,
        prefix: String::new(),
    };
    let mut read: Vec<FileId> = Vec::new();
    // The main configs first: they define what is really loaded.
    for (file, doc) in &docs {
        if is_main(doc, sources, *file) {
            walker.prefix = sources
                .get(*file)
                .map(|s| dirname(&s.path))
                .unwrap_or_default();
            walker.root(*file, doc, false);
            collect_read(&walker.model.roots, &walker.includes.sites, &mut read);
        }
    }
    for (file, doc, prefix) in orphans(&walker.includes, &docs, sources, &read) {
        walker.prefix = prefix;
        walker.root(file, doc, true);
        collect_read(&walker.model.roots, &walker.includes.sites, &mut read);
    }
    let Walker {
        includes, model, ..
    } = walker;
    model.includes = includes.sites;
    model.unresolved_includes = includes.unresolved;
    model.include_problems = includes.problems;
    inherit::apply(model);
}

struct Walker<'a, 'm> {
    includes: Includes<'a>,
    model: &'m mut NginxModel,
    prefix: String,
}

impl<'a> Walker<'a, '_> {
    fn expand(&mut self, item: &Item<'a>) -> Vec<Item<'a>> {
        let children = item.directive.children();
        self.includes
            .expand(item.file, children, item.via, &self.prefix)
    }

    fn root(&mut self, file: FileId, doc: &'a NginxDoc, assumed: bool) {
        let items = self
            .includes
            .expand(file, &doc.directives, None, &self.prefix);
        let root = self.model.roots.len();
        self.model.roots.push(Root {
            file,
            prefix: self.prefix.clone(),
            assumed_http_context: assumed,
            settings: Vec::new(),
        });
        if assumed {
            self.http(root, None, &items);
            return;
        }
        let mut settings = Vec::new();
        for item in &items {
            if item.directive.block.is_none() {
                settings.push(setting(item));
            } else if item.directive.name == "http" {
                let children = self.expand(item);
                self.http(root, Some(setting(item)), &children);
            }
        }
        if let Some(r) = self.model.roots.get_mut(root) {
            r.settings = settings;
        }
    }

    fn http(&mut self, root: usize, head: Option<Setting>, items: &[Item<'a>]) {
        let index = self.model.http.len();
        let assumed = head.is_none();
        self.model.http.push(Http {
            root,
            head,
            settings: Vec::new(),
            servers: Vec::new(),
        });
        let mut settings = Vec::new();
        let mut servers = Vec::new();
        for item in items {
            let directive = item.directive;
            if directive.block.is_none() {
                settings.push(setting(item));
                continue;
            }
            match directive.name.as_str() {
                "server" => servers.push(self.server(index, item, assumed)),
                "upstream" => self.upstream(index, item),
                _ => {}
            }
        }
        if let Some(http) = self.model.http.get_mut(index) {
            http.settings = settings;
            http.servers = servers;
        }
    }

    fn upstream(&mut self, http: usize, item: &Item<'a>) {
        let children = self.expand(item);
        let servers = children
            .iter()
            .filter(|c| c.directive.name == "server" && c.directive.block.is_none())
            .filter_map(|c| inherit::backend(&setting(c), 0))
            .collect();
        self.model.upstreams.push(Upstream {
            name: item.directive.arg(0).unwrap_or_default().to_string(),
            http,
            head: setting(item),
            servers,
        });
    }

    fn server(&mut self, http: usize, item: &Item<'a>, assumed: bool) -> usize {
        let index = self.model.servers.len();
        self.model.servers.push(Server {
            http,
            head: setting(item),
            assumed_http_context: assumed,
            names: Vec::new(),
            listens: Vec::new(),
            root: None,
            settings: Vec::new(),
            blocks: Vec::new(),
            locations: Vec::new(),
            fastcgi_params: super::Inherited::default(),
            add_headers: super::Inherited::default(),
        });
        let children = self.expand(item);
        let (settings, blocks, locations) = self.level(index, None, &children, 0);
        let mut names = Vec::new();
        let mut listens = Vec::new();
        for s in &settings {
            match s.name.as_str() {
                "server_name" => names.extend((0..s.args.len()).filter_map(|i| {
                    Some(Value {
                        value: s.arg(i)?.to_string(),
                        origin: s.arg_origin(i)?,
                    })
                })),
                "listen" => listens.push(Listen {
                    address: s.arg(0).unwrap_or_default().to_string(),
                    default_server: s
                        .args
                        .iter()
                        .skip(1)
                        .any(|a| a.value == "default_server" || a.value == "default"),
                    setting: s.clone(),
                }),
                _ => {}
            }
        }
        if let Some(server) = self.model.servers.get_mut(index) {
            server.names = names;
            server.listens = listens;
            server.settings = settings;
            server.blocks = blocks;
            server.locations = locations;
        }
        index
    }

    /// Reads the body of a server or location: its simple directives, its `if` /
    /// `limit_except` blocks, and its locations (added to the model, indices returned).
    fn level(
        &mut self,
        server: usize,
        parent: Option<usize>,
        items: &[Item<'a>],
        depth: usize,
    ) -> (Vec<Setting>, Vec<SubBlock>, Vec<usize>) {
        let mut settings = Vec::new();
        let mut blocks = Vec::new();
        let mut locations = Vec::new();
        for item in items {
            let directive = item.directive;
            if directive.block.is_none() {
                settings.push(setting(item));
                continue;
            }
            match directive.name.as_str() {
                "location" if depth < MAX_LOCATION_DEPTH => {
                    if let Some(index) = self.location(server, parent, item, depth) {
                        locations.push(index);
                    }
                }
                "if" | "limit_except" => {
                    let children = self.expand(item);
                    blocks.push(SubBlock {
                        head: setting(item),
                        settings: children
                            .iter()
                            .filter(|c| c.directive.block.is_none())
                            .map(setting)
                            .collect(),
                        fastcgi_pass: None,
                    });
                }
                _ => {}
            }
        }
        (settings, blocks, locations)
    }

    fn location(
        &mut self,
        server: usize,
        parent: Option<usize>,
        item: &Item<'a>,
        depth: usize,
    ) -> Option<usize> {
        let (modifier, pattern) = location_pattern(item.directive)?;
        let index = self.model.locations.len();
        self.model.locations.push(Location {
            server,
            parent,
            modifier,
            pattern,
            head: setting(item),
            settings: Vec::new(),
            blocks: Vec::new(),
            locations: Vec::new(),
            document_root: None,
            fastcgi_params: super::Inherited::default(),
            add_headers: super::Inherited::default(),
            fastcgi_pass: None,
        });
        let children = self.expand(item);
        let (settings, blocks, locations) = self.level(server, Some(index), &children, depth + 1);
        if let Some(location) = self.model.locations.get_mut(index) {
            location.settings = settings;
            location.blocks = blocks;
            location.locations = locations;
        }
        Some(index)
    }
}

fn setting(item: &Item<'_>) -> Setting {
    let d = item.directive;
    Setting {
        name: d.name.clone(),
        args: d.args.clone(),
        file: item.file,
        range: d.range,
        name_range: d.name_range,
        via: item.via,
    }
}

/// The modifier and pattern of a `location`, read as `ngx_http_core_location` does: either a
/// separate modifier word or one glued to the pattern (`=/x`, `~\.php$`, `^~/static/`).
pub(super) fn location_pattern(directive: &Directive) -> Option<(Modifier, String)> {
    let words: Vec<&str> = directive.args.iter().map(|a| a.value.as_str()).collect();
    match words.as_slice() {
        [modifier, pattern] => {
            let modifier = match *modifier {
                "=" => Modifier::Exact,
                "^~" => Modifier::PrefixNoRegex,
                "~" => Modifier::Regex,
                "~*" => Modifier::RegexCaseless,
                _ => return None,
            };
            Some((modifier, (*pattern).to_string()))
        }
        [word] => {
            let glued = [
                ("=", Modifier::Exact),
                ("^~", Modifier::PrefixNoRegex),
                ("~*", Modifier::RegexCaseless),
                ("~", Modifier::Regex),
            ];
            for (prefix, modifier) in glued {
                if let Some(rest) = word.strip_prefix(prefix) {
                    return Some((modifier, rest.to_string()));
                }
            }
            let modifier = if word.starts_with('@') {
                Modifier::Named
            } else {
                Modifier::Prefix
            };
            Some((modifier, (*word).to_string()))
        }
        _ => None,
    }
}
