//! What a server hands out: whether a URI is answered from disk, and which upload
//! directories its locations name. NGX-021, NGX-022 and NGX-024 read these.

use super::NginxModel;

/// Handlers that answer for the URI themselves instead of serving a file.
const HANDLERS: [&str; 5] = [
    "proxy_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
    "memcached_pass",
];

/// Where apps keep uploaded files, longest first so `wp-content/uploads` is not also read as
/// `uploads`.
pub const UPLOAD_DIRS: [&str; 5] = [
    "wp-content/uploads",
    "sites/default/files",
    "uploads",
    "storage",
    "media",
];

impl NginxModel {
    /// Whether nginx would answer `uri` from the file system: the block it selects (or the
    /// server itself) neither refuses, redirects nor hands the request to a backend. A regex
    /// the model cannot evaluate on the way counts as "no": nothing is claimed that the model
    /// cannot show.
    pub fn serves_file(&self, server: usize, uri: &str) -> bool {
        let found = self.find_location(server, uri);
        if !found.unsure.is_empty() {
            return false;
        }
        let Some(index) = found.location else {
            return true;
        };
        let Some(location) = self.location(index) else {
            return false;
        };
        let answers = location
            .settings
            .iter()
            .any(|s| s.name == "return" || HANDLERS.contains(&s.name.as_str()));
        !(answers || self.is_restricted(index) || !self.passes(index).is_empty())
    }

    /// A directive of the server (or of its `locations`) other than `root`/`alias` that names
    /// a `/public/` path, as written (`try_files $uri /public/index.php`): the sign of a
    /// Laravel- or Symfony-style app whose root should be its `public/` directory.
    pub fn names_public_dir(&self, server: usize, locations: &[usize]) -> Option<String> {
        let server = self.server(server)?;
        let own = locations
            .iter()
            .filter_map(|&i| self.location(i))
            .flat_map(|l| {
                l.settings
                    .iter()
                    .chain(l.blocks.iter().flat_map(|b| &b.settings))
            });
        server
            .settings
            .iter()
            .chain(own)
            .find(|s| {
                s.name != "root"
                    && s.name != "alias"
                    && s.args.iter().any(|a| a.value.contains("/public/"))
            })
            .map(|s| {
                let args: Vec<&str> = s.args.iter().map(|a| a.value.as_str()).collect();
                format!("{} {}", s.name, args.join(" "))
            })
    }

    /// The upload directories (see [`UPLOAD_DIRS`]) that the patterns of `locations` name.
    pub fn upload_dirs_named(&self, locations: &[usize]) -> Vec<&'static str> {
        let mut dirs = Vec::new();
        for location in locations.iter().filter_map(|&i| self.location(i)) {
            let mut pattern = location.pattern.to_ascii_lowercase();
            for dir in UPLOAD_DIRS {
                if names_segment(&pattern, dir) {
                    pattern = pattern.replace(dir, "");
                    if !dirs.contains(&dir) {
                        dirs.push(dir);
                    }
                }
            }
        }
        dirs
    }
}

/// Whether `dir` appears in a location pattern as whole path segments (`/media/`,
/// `^/(uploads|files)/`, `(?:uploads)`), not inside a longer name (`/media-kit/`).
fn names_segment(pattern: &str, dir: &str) -> bool {
    pattern.match_indices(dir).any(|(at, _)| {
        let before = pattern.get(..at).and_then(|b| b.chars().last());
        let after = pattern.get(at + dir.len()..).and_then(|a| a.chars().next());
        matches!(before, Some('/' | '(' | '|' | ':'))
            && matches!(after, None | Some('/' | ')' | '|' | '$'))
    })
}
