//! The directories nginx serves files from: every `root` and `alias` in effect, with the site
//! that serves them. Log, upload and docroot rules compare host paths against these.

use super::NginxModel;
use super::types::Setting;
use crate::model::fastcgi::server_label;

/// One directory nginx maps URIs onto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebRoot<'a> {
    /// Absolute, without a trailing `/` (`/` itself stays `/`).
    pub path: String,
    /// `root` or `alias`.
    pub directive: &'static str,
    /// For messages: "server `shop.example`" or "location `/media/` of server `shop.example`".
    pub site: String,
    pub server: usize,
    /// The location whose own `root`/`alias` this is; `None` for the server's.
    pub location: Option<usize>,
    pub setting: &'a Setting,
}

impl NginxModel {
    /// The roots of every server (its own or the `http` block's), then the `root`/`alias` lines
    /// written in locations. Relative paths (under nginx's prefix) and paths with variables
    /// are left out: they name no directory this model can compare.
    pub fn web_roots(&self) -> Vec<WebRoot<'_>> {
        let label = |index: usize| format!("server `{}`", server_label(self, index));
        let mut out = Vec::new();
        for (index, server) in self.servers.iter().enumerate() {
            if let Some(setting) = &server.root
                && let Some(path) = absolute(setting)
            {
                out.push(WebRoot {
                    path,
                    directive: "root",
                    site: label(index),
                    server: index,
                    location: None,
                    setting,
                });
            }
        }
        // One pass over the locations: hostile configs have many servers.
        for (li, location) in self.locations.iter().enumerate() {
            let Some(setting) = &location.document_root else {
                continue;
            };
            let server_root = self
                .servers
                .get(location.server)
                .and_then(|s| s.root.as_ref());
            let inherited = server_root.is_some_and(|r| r == setting)
                || location
                    .parent
                    .and_then(|p| self.locations.get(p))
                    .and_then(|p| p.document_root.as_ref())
                    .is_some_and(|r| r == setting);
            if inherited {
                continue;
            }
            let Some(path) = absolute(setting) else {
                continue;
            };
            out.push(WebRoot {
                path,
                directive: if setting.name == "alias" {
                    "alias"
                } else {
                    "root"
                },
                site: format!(
                    "location `{}` of {}",
                    location.pattern,
                    label(location.server)
                ),
                server: location.server,
                location: Some(li),
                setting,
            });
        }
        out
    }
}

fn absolute(setting: &Setting) -> Option<String> {
    let path = setting.arg(0)?;
    if !path.starts_with('/') || path.contains('$') {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    Some(if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    })
}
