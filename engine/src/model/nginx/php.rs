//! The PHP side of the nginx model: which locations hand requests to `FastCGI`, which of them
//! take arbitrary `.php` URIs, whether they check that the script exists, and who may reach a
//! location (`allow`/`deny`, `internal`, `auth_basic`, `return 4xx`).

use super::NginxModel;
use super::include::UnresolvedInclude;
use super::types::{FastcgiPass, Location, Modifier, Setting};

/// URIs no app has: a location that matches them runs whatever script the URI names.
const PROBES: [&str; 2] = ["/fpmaudit-probe.php", "/fpmaudit/probe.php"];

/// Whether a PHP location makes sure the script exists before `FastCGI` runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptCheck<'a> {
    /// `try_files`, an `if (!-f ...)` guard, `internal`, or a fixed `SCRIPT_FILENAME`.
    Checked,
    /// Nothing checks it.
    Unchecked,
    /// An include inside the location was not given; it may hold the check.
    Unknown(&'a UnresolvedInclude),
}

/// Variables of a `fastcgi_param SCRIPT_FILENAME` value that depend on the URI.
const URI_VARIABLES: [&str; 6] = [
    "$fastcgi_script_name",
    "$uri",
    "$document_uri",
    "$request_filename",
    "$request_uri",
    "$fastcgi_path_info",
];

impl NginxModel {
    /// The `fastcgi_pass` lines a location's requests go through: its own, and those of its
    /// `if`/`limit_except` blocks.
    pub fn passes(&self, location: usize) -> Vec<&FastcgiPass> {
        self.locations.get(location).map_or_else(Vec::new, |l| {
            l.fastcgi_pass
                .iter()
                .chain(l.blocks.iter().filter_map(|b| b.fastcgi_pass.as_ref()))
                .collect()
        })
    }

    /// Whether the location sends any script a URI names to `FastCGI`: it has a `fastcgi_pass`
    /// and its pattern takes `.php` URIs of any name (`~ \.php$`, `location /`), not only a
    /// fixed front controller (`= /index.php`, `~ ^/index\.php(/|$)`). A regex the model cannot
    /// evaluate counts when it mentions `php`.
    pub fn is_php_handler(&self, location: usize) -> bool {
        let Some(l) = self.locations.get(location) else {
            return false;
        };
        if self.passes(location).is_empty() {
            return false;
        }
        match l.modifier {
            Modifier::Exact | Modifier::Named => false,
            Modifier::Prefix | Modifier::PrefixNoRegex => l.pattern.ends_with('/'),
            Modifier::Regex | Modifier::RegexCaseless => {
                let mut answers = PROBES.iter().map(|p| self.location_matches(location, p));
                if answers.clone().any(|a| a == Some(true)) {
                    return true;
                }
                answers.any(|a| a.is_none()) && l.pattern.to_ascii_lowercase().contains("php")
            }
        }
    }

    /// Every location that is a [PHP handler](Self::is_php_handler), in model order.
    pub fn php_handlers(&self) -> impl Iterator<Item = (usize, &Location)> {
        self.locations
            .iter()
            .enumerate()
            .filter(|(i, _)| self.is_php_handler(*i))
    }

    /// Whether the location checks that the script exists before passing it on.
    pub fn script_check(&self, location: usize) -> ScriptCheck<'_> {
        let Some(l) = self.locations.get(location) else {
            return ScriptCheck::Unchecked;
        };
        let own = |name: &str| l.settings.iter().any(|s| s.name == name);
        if own("try_files") || own("internal") {
            return ScriptCheck::Checked;
        }
        // `if (!-f $request_filename) { return 404; }` here or at server level; or the
        // handler itself only inside `if (-f ...)`.
        let server_blocks = self.servers.get(l.server).map(|s| s.blocks.as_slice());
        let guards = l.blocks.iter().chain(server_blocks.unwrap_or_default());
        if guards.clone().any(|b| is_guard(&b.head, true)) {
            return ScriptCheck::Checked;
        }
        if l.fastcgi_pass.is_none()
            && l.blocks
                .iter()
                .filter(|b| b.fastcgi_pass.is_some())
                .all(|b| is_guard(&b.head, false))
        {
            return ScriptCheck::Checked;
        }
        let fixed = l
            .fastcgi_params
            .settings
            .iter()
            .rfind(|s| s.arg(0) == Some("SCRIPT_FILENAME"))
            .and_then(|s| s.arg(1))
            .is_some_and(|v| !URI_VARIABLES.iter().any(|u| v.contains(u)) && !has_capture(v));
        if fixed {
            return ScriptCheck::Checked;
        }
        match self.unresolved_in(&l.head) {
            Some(missing) => ScriptCheck::Unknown(missing),
            None => ScriptCheck::Unchecked,
        }
    }

    /// An include written inside `block` (a location or server) that matched no given file.
    pub fn unresolved_in(&self, block: &Setting) -> Option<&UnresolvedInclude> {
        self.unresolved_includes
            .iter()
            .find(|u| u.file == block.file && block.range.contains_range(u.range))
    }

    /// The `allow`/`deny` rules that apply in a location: nginx keeps them in one list and
    /// inherits it whole from the nearest level that has any.
    pub fn access_rules(&self, location: usize) -> Vec<&Setting> {
        self.levels(location)
            .into_iter()
            .map(|(_, settings)| {
                settings
                    .iter()
                    .filter(|s| s.name == "allow" || s.name == "deny")
                    .collect::<Vec<_>>()
            })
            .find(|rules| !rules.is_empty())
            .unwrap_or_default()
    }

    /// Whether a location keeps the public out: `internal`, a `return` of a 4xx status, a
    /// `deny all` among its access rules, or `auth_basic`/`auth_request` in effect.
    pub fn is_restricted(&self, location: usize) -> bool {
        let Some(l) = self.locations.get(location) else {
            return false;
        };
        let refuses = l.settings.iter().any(|s| {
            s.name == "internal"
                || (s.name == "return"
                    && s.arg(0)
                        .and_then(|c| c.parse::<u16>().ok())
                        .is_some_and(|c| (400..500).contains(&c)))
        });
        let denied = self
            .access_rules(location)
            .iter()
            .any(|s| s.name == "deny" && s.arg(0) == Some("all"));
        let authenticated = ["auth_basic", "auth_request"].iter().any(|name| {
            self.effective(location, &[name])
                .and_then(|s| s.arg(0))
                .is_some_and(|v| v != "off")
        });
        refuses || denied || authenticated
    }
}

/// An `if` that tests for the file: with `negated`, `if (!-f ...)` / `if (!-e ...)`; else
/// `if (-f ...)` / `if (-e ...)`.
fn is_guard(head: &Setting, negated: bool) -> bool {
    if head.name != "if" {
        return false;
    }
    let condition: String = head.args.iter().map(|a| a.value.as_str()).collect();
    let condition = condition.trim_start_matches('(');
    if negated {
        condition.starts_with("!-f") || condition.starts_with("!-e")
    } else {
        condition.starts_with("-f") || condition.starts_with("-e")
    }
}

/// Whether a value uses a regex capture (`$1`..`$9`).
fn has_capture(value: &str) -> bool {
    value
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b'$', d] if d.is_ascii_digit()))
}
