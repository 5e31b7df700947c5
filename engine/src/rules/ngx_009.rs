use std::collections::BTreeSet;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Fix, Safety};
use crate::model::nginx::{Inherited, Level, NginxModel, Setting, edit};

declare_rule! {
    /// ## What it does
    /// Reports a location (or server) that sends requests to FastCGI and has `fastcgi_param`
    /// lines of its own while an enclosing level has others: nginx then drops every inherited
    /// line. Lines the level repeats itself, through the same include or under the same
    /// parameter name, do not count. The finding is on the level's first own line and lists
    /// what is lost.
    ///
    /// ## Why is this bad?
    /// nginx does not merge array directives: one `fastcgi_param` in a location replaces the
    /// whole list of the server. A hardening line such as `fastcgi_param HTTP_PROXY "";` (the
    /// httpoxy guard) or a `PHP_ADMIN_VALUE` meant to confine the app silently stops applying
    /// to that location, and so do `SCRIPT_FILENAME` and `QUERY_STRING`, which breaks or
    /// re-routes scripts. The config reads as if the protections were there.
    ///
    /// ## How to fix
    /// Repeat the inherited lines in the location, most simply by including the same file
    /// again (`include fastcgi_params;`) before the location's own lines, which then win.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     fastcgi_param HTTP_PROXY "";
    ///     location ~ \.php$ {
    ///         fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     location ~ \.php$ {
    ///         fastcgi_param HTTP_PROXY "";
    ///         fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    ///         fastcgi_pass unix:/run/php/app.sock;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx fastcgi module: `fastcgi_param` (inherited only when the level has none)
    /// - Gixy-Next `proxy_set_header_redefinition` (the same trap for `proxy_set_header`)
    /// - httpoxy, CVE-2016-5385
    ParamsDropped {
        id: "NGX-009",
        title: "Nested `fastcgi_param` drops inherited params",
        severity: Medium,
        fixable: true,
    }
}

/// The settings of a level, and what it loses.
fn level_view(nginx: &NginxModel, level: Level) -> Option<(&Setting, &[Setting], Inherited)> {
    match level {
        Level::Location(i) => {
            let l = nginx.location(i)?;
            Some((
                &l.head,
                l.settings.as_slice(),
                nginx.dropped(i, "fastcgi_param"),
            ))
        }
        Level::Server(i) => {
            let s = nginx.server(i)?;
            Some((
                &s.head,
                s.settings.as_slice(),
                nginx.server_dropped(i, "fastcgi_param"),
            ))
        }
        Level::Http(_) | Level::Unset => None,
    }
}

impl Rule for ParamsDropped {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let nginx = &cx.model.nginx;
        let mut seen = BTreeSet::new();
        for (index, location) in nginx.locations.iter().enumerate() {
            if nginx.passes(index).is_empty() {
                continue;
            }
            let Some((head, settings, lost)) = level_view(nginx, location.fastcgi_params.level)
            else {
                continue;
            };
            let outer_head = match lost.level {
                Level::Location(j) => nginx.location(j).map(|l| &l.head),
                Level::Server(j) => nginx.server(j).map(|s| &s.head),
                Level::Http(j) => nginx.http.get(j).and_then(|h| h.head.as_ref()),
                Level::Unset => None,
            };
            let own: Vec<&Setting> = settings
                .iter()
                .filter(|s| s.name == "fastcgi_param")
                .collect();
            let lost: Vec<&Setting> = lost
                .settings
                .iter()
                .filter(|l| !own.iter().any(|o| o.arg(0) == l.arg(0)))
                .collect();
            let Some(first) = own.first() else { continue };
            if lost.is_empty() || !seen.insert((first.file, first.range)) {
                continue;
            }
            let mut names: Vec<&str> = lost.iter().filter_map(|s| s.arg(0)).collect();
            names.dedup();
            let shown = if names.len() > 6 {
                format!(
                    "{} and {} more",
                    names.get(..6).unwrap_or_default().join(", "),
                    names.len() - 6
                )
            } else {
                names.join(", ")
            };
            let message = format!(
                "this `fastcgi_param` makes the block drop every inherited one ({shown}): nginx replaces the list instead of merging it"
            );
            let mut finding = Self::meta_static().finding(first.file, first.head(), message);
            if let Some(outer) = lost.first() {
                finding = finding.with_related(
                    outer.file,
                    outer.head(),
                    "an inherited line that no longer applies",
                );
            }
            // One include brought every lost line: include it again.
            let sites: BTreeSet<Option<usize>> = lost.iter().map(|s| s.via).collect();
            let pattern = match sites.into_iter().collect::<Vec<_>>().as_slice() {
                [Some(site)] => nginx
                    .includes
                    .get(*site)
                    .filter(|i| {
                        outer_head
                            .is_some_and(|h| h.file == i.file && h.range.contains_range(i.range))
                    })
                    .map(|i| i.pattern.clone()),
                _ => None,
            };
            if let Some(pattern) = pattern {
                let line = format!("include {pattern};");
                if let Some(e) = edit::insert_first(cx.sources, head, settings, &[&line]) {
                    finding = finding.with_fix(Fix {
                        title: format!("add `{line}` before the block's own lines"),
                        // The included lines may include some the block meant to leave out.
                        safety: Safety::NeedsReview,
                        edits: vec![e],
                    });
                }
            }
            out.push(finding);
        }
    }
}
