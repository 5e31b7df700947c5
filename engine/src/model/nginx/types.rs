//! The shapes of the nginx model; `build.rs` fills them, `inherit.rs` computes what a level
//! inherits, `location.rs` picks the location for a URI.

use std::sync::Arc;

use crate::model::Origin;
use crate::source::FileId;
use crate::syntax::nginx::Arg;
use crate::text::TextRange;

/// One directive after include expansion, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    pub args: Vec<Arg>,
    pub file: FileId,
    /// The whole directive: name through `;` (or through `}` for a block).
    pub range: TextRange,
    pub name_range: TextRange,
    /// The include site (index into [`super::NginxModel::includes`]) that brought the
    /// directive into its block, when it is written in another file than the block.
    pub via: Option<usize>,
}

impl Setting {
    pub fn arg(&self, index: usize) -> Option<&str> {
        self.args.get(index).map(|a| a.value.as_str())
    }

    /// Where the directive is written; the value range covers every argument (empty right
    /// after the name when there is none).
    pub fn origin(&self) -> Origin {
        let value = match (self.args.first(), self.args.last()) {
            (Some(first), Some(last)) => first.range.cover(last.range),
            _ => TextRange::new(self.name_range.end, self.name_range.end),
        };
        Origin {
            file: self.file,
            statement: self.range,
            value,
        }
    }

    /// The directive without its block: name through the last argument (`location ~ \.php$`),
    /// where a finding about a whole block is best anchored.
    pub fn head(&self) -> TextRange {
        let end = self
            .args
            .last()
            .map_or(self.name_range.end, |a| a.range.end);
        TextRange::new(self.name_range.start, end)
    }

    /// Where argument `index` is written.
    pub fn arg_origin(&self, index: usize) -> Option<Origin> {
        let arg = self.args.get(index)?;
        Some(Origin {
            file: self.file,
            statement: self.range,
            value: arg.range,
        })
    }
}

/// One word of a directive, with its origin (e.g. one `server_name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub value: String,
    pub origin: Origin,
}

/// A file nginx starts reading from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub file: FileId,
    /// The directory relative `include` paths resolve against: the directory of nginx.conf,
    /// or, for a site file given without it, the `nginx` directory above it (else `/etc/nginx`).
    pub prefix: String,
    /// The file has no `http` block of its own and nothing given includes it, yet it holds
    /// `server` (or `upstream`) blocks at top level: a site file pasted without nginx.conf. It
    /// is read as if included inside `http {}` so it is still audited.
    pub assumed_http_context: bool,
    /// Top-level simple directives (`user`, `worker_processes`...), includes expanded.
    pub settings: Vec<Setting>,
}

/// An `http` block, or the implicit one around an [assumed](Root::assumed_http_context) root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    pub root: usize,
    /// The `http` directive; `None` for an assumed context.
    pub head: Option<Setting>,
    pub settings: Vec<Setting>,
    pub servers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub http: usize,
    /// The `server` directive (its range covers the block).
    pub head: Setting,
    pub assumed_http_context: bool,
    /// Every `server_name` argument, in order.
    pub names: Vec<Value>,
    pub listens: Vec<Listen>,
    /// The effective `root`: the server's own, else the `http` block's; `None` means the
    /// compiled-in default (`html` under nginx's prefix).
    pub root: Option<Setting>,
    /// Simple directives of the server level, includes expanded, in order.
    pub settings: Vec<Setting>,
    /// `if` blocks at server level.
    pub blocks: Vec<SubBlock>,
    /// The server's top-level locations in file order (indices into `locations`).
    pub locations: Vec<usize>,
    pub fastcgi_params: Inherited,
    pub add_headers: Inherited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// The first argument as written: `80`, `[::]:443`, `unix:/run/x.sock`.
    pub address: String,
    /// `default_server` (or its old spelling `default`) is among the parameters.
    pub default_server: bool,
    pub setting: Setting,
}

/// How a location's pattern is compared with the URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// `location /x`: prefix.
    Prefix,
    /// `location = /x`: the whole URI.
    Exact,
    /// `location ^~ /x`: prefix; when it is the longest, regexes are not tried.
    PrefixNoRegex,
    /// `location ~ re`
    Regex,
    /// `location ~* re`
    RegexCaseless,
    /// `location @name`: only reachable by internal redirects.
    Named,
}

impl Modifier {
    pub const fn is_regex(self) -> bool {
        matches!(self, Self::Regex | Self::RegexCaseless)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Prefix | Self::Named => "",
            Self::Exact => "=",
            Self::PrefixNoRegex => "^~",
            Self::Regex => "~",
            Self::RegexCaseless => "~*",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub server: usize,
    /// The enclosing location, for nested ones.
    pub parent: Option<usize>,
    pub modifier: Modifier,
    /// The URI prefix, exact URI, regex or `@name` (with the `@`), modifier removed.
    pub pattern: String,
    /// The `location` directive (its range covers the block).
    pub head: Setting,
    /// Simple directives of this level, includes expanded (`include fastcgi_params;` inside
    /// the block counts as the location's own `fastcgi_param` lines).
    pub settings: Vec<Setting>,
    /// `if` and `limit_except` blocks directly inside.
    pub blocks: Vec<SubBlock>,
    /// Nested locations in file order.
    pub locations: Vec<usize>,
    /// The effective `root` or `alias` (they share one slot in nginx, so a nested location
    /// inherits its parent's `alias`); `None` means the compiled-in default root.
    pub document_root: Option<Setting>,
    pub fastcgi_params: Inherited,
    pub add_headers: Inherited,
    /// This location's own handler: `fastcgi_pass` is not inherited by nested locations.
    pub fastcgi_pass: Option<FastcgiPass>,
}

/// An `if` or `limit_except` block; nginx runs it as an anonymous location that inherits
/// everything from its enclosing level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubBlock {
    /// The `if`/`limit_except` directive with its condition or methods as arguments.
    pub head: Setting,
    pub settings: Vec<Setting>,
    pub fastcgi_pass: Option<FastcgiPass>,
}

/// An array directive (`fastcgi_param`, `add_header`...) as a level sees it: nginx copies the
/// nearest enclosing level's list only when the level has none of its own, so one line of its
/// own drops every inherited one (replace, not merge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inherited {
    /// Shared between the levels that inherit the same list.
    pub settings: Arc<[Setting]>,
    /// The level whose lines these are.
    pub level: Level,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Level {
    /// No level defines the directive.
    #[default]
    Unset,
    Http(usize),
    Server(usize),
    Location(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastcgiPass {
    pub setting: Setting,
    pub target: FastcgiTarget,
    /// Where requests go: the target itself, or every `server` of its upstream.
    pub backends: Vec<Backend>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FastcgiTarget {
    Endpoint(Endpoint),
    /// An `upstream` block (index into [`super::NginxModel::upstreams`]).
    Upstream(usize),
    /// The address contains variables; it is only known at request time.
    Variable(String),
}

/// A socket nginx connects to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Unix(String),
    /// `host` has IPv6 brackets removed; `port` is `None` when not written.
    Tcp {
        host: String,
        port: Option<u16>,
    },
}

impl Endpoint {
    /// Reads `unix:/path`, `host:port`, `[v6]:port`, `host` as `fastcgi_pass` and upstream
    /// `server` take them.
    pub fn parse(address: &str) -> Self {
        if let Some(path) = address.strip_prefix("unix:") {
            return Self::Unix(path.to_string());
        }
        let (host, port) = if let Some(rest) = address.strip_prefix('[') {
            match rest.split_once(']') {
                Some((host, tail)) => (host, tail.strip_prefix(':')),
                None => (rest, None),
            }
        } else {
            match address.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host, Some(port)),
                _ => (address, None),
            }
        };
        Self::Tcp {
            host: host.to_string(),
            port: port.and_then(|p| p.parse().ok()),
        }
    }

    pub fn is_loopback(&self) -> bool {
        match self {
            Self::Unix(_) => false,
            Self::Tcp { host, .. } => {
                host == "localhost" || host == "::1" || host.starts_with("127.")
            }
        }
    }
}

/// One place requests are sent to, with the line that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    pub endpoint: Endpoint,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub name: String,
    pub http: usize,
    /// The `upstream` directive (its range covers the block).
    pub head: Setting,
    pub servers: Vec<Backend>,
}
