//! Which location serves a URI: `ngx_http_core_find_location` from nginx's
//! `ngx_http_core_module.c`, step for step.
//!
//! At each level: an exact (`=`) location equal to the URI wins outright; otherwise the
//! longest prefix location is remembered and its nested locations are searched the same way;
//! unless that prefix is `^~`, the level's regex locations are then tried in file order, and
//! the first that matches wins (its own nested locations searched in turn); when none does,
//! the remembered prefix stays. Not modelled: the 301 nginx sends for `/dir` when only
//! `location /dir/` with a `*_pass` handler exists (`auto_redirect`), and case-insensitive
//! prefix matching on case-insensitive file systems.

use super::NginxModel;
use super::regex::Regex;
use super::types::Modifier;

/// The answer to "which location handles this URI?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationMatch {
    /// The location nginx picks; `None` when none matches (the server level serves it).
    pub location: Option<usize>,
    /// Regex locations nginx would try before settling whose pattern this model cannot
    /// evaluate ([`super::regex::Unsupported`]): if one of them matches, nginx picks it (or a
    /// location inside it) instead. Empty means the answer is certain.
    pub unsure: Vec<usize>,
}

/// What a search at one level found (nginx's `NGX_OK`, `NGX_AGAIN`, `NGX_DECLINED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// An exact or a regex location matched: the search is over.
    Final,
    /// A prefix location matched; regexes may still override it.
    Prefix,
    Nothing,
}

impl NginxModel {
    /// The location nginx selects for `uri` (already decoded and normalized, as nginx
    /// matches `$uri`) in `server`.
    pub fn find_location(&self, server: usize, uri: &str) -> LocationMatch {
        let mut result = LocationMatch::default();
        if let Some(server) = self.servers.get(server) {
            self.find(&server.locations, uri, &mut result);
        }
        result
    }

    /// Whether a location's own pattern matches `uri`, ignoring the rest of the server;
    /// `None` for a regex this model cannot evaluate. Named locations never match.
    pub fn location_matches(&self, location: usize, uri: &str) -> Option<bool> {
        let location = self.locations.get(location)?;
        match location.modifier {
            Modifier::Exact => Some(uri == location.pattern),
            Modifier::Prefix | Modifier::PrefixNoRegex => Some(uri.starts_with(&location.pattern)),
            Modifier::Named => Some(false),
            Modifier::Regex | Modifier::RegexCaseless => {
                let caseless = location.modifier == Modifier::RegexCaseless;
                Regex::new(&location.pattern, caseless)
                    .ok()
                    .and_then(|re| re.is_match(uri))
            }
        }
    }

    /// One level of the search. Recursion follows location nesting, which the model caps.
    fn find(&self, level: &[usize], uri: &str, result: &mut LocationMatch) -> Found {
        let mut found = Found::Nothing;
        let mut no_regex = false;
        if let Some(exact) = level.iter().copied().find(|&i| {
            self.locations
                .get(i)
                .is_some_and(|l| l.modifier == Modifier::Exact && l.pattern == uri)
        }) {
            result.location = Some(exact);
            return Found::Final;
        }
        let longest = level
            .iter()
            .copied()
            .filter_map(|i| Some((i, self.locations.get(i)?)))
            .filter(|(_, l)| {
                matches!(l.modifier, Modifier::Prefix | Modifier::PrefixNoRegex)
                    && uri.starts_with(&l.pattern)
            })
            .fold(None, |best: Option<(usize, usize)>, (i, l)| match best {
                Some((_, len)) if len >= l.pattern.len() => best,
                _ => Some((i, l.pattern.len())),
            });
        if let Some((prefix, _)) = longest
            && let Some(location) = self.locations.get(prefix)
        {
            result.location = Some(prefix);
            no_regex = location.modifier == Modifier::PrefixNoRegex;
            found = match self.find(&location.locations, uri, result) {
                Found::Final => return Found::Final,
                Found::Prefix | Found::Nothing => Found::Prefix,
            };
        }
        if no_regex {
            return found;
        }
        for &index in level {
            let Some(location) = self.locations.get(index) else {
                continue;
            };
            if !location.modifier.is_regex() {
                continue;
            }
            match self.location_matches(index, uri) {
                Some(true) => {
                    result.location = Some(index);
                    self.find(&location.locations, uri, result);
                    return Found::Final;
                }
                Some(false) => {}
                None => result.unsure.push(index),
            }
        }
        found
    }
}
