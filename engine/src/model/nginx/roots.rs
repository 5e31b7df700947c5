//! Which files nginx starts reading from: the main config, and site files given without it.

use std::collections::BTreeSet;

use super::include::{Include, Includes, dirname, is_include, normalize};
use super::types::Root;
use crate::source::{FileId, SourceSet};
use crate::syntax::nginx::NginxDoc;

/// A file with top-level `http` or `events`, or named nginx.conf.
pub(super) fn is_main(doc: &NginxDoc, sources: &SourceSet, file: FileId) -> bool {
    doc.directives
        .iter()
        .any(|d| d.block.is_some() && (d.name == "http" || d.name == "events"))
        || sources
            .get(file)
            .is_some_and(|s| s.path == "nginx.conf" || s.path.ends_with("/nginx.conf"))
}

/// Adds the files the roots so far and their include sites read to `read` (sorted, unique).
pub(super) fn collect_read(roots: &[Root], sites: &[Include], read: &mut Vec<FileId>) {
    read.extend(roots.iter().map(|r| r.file));
    for site in sites {
        read.extend(site.files.iter().copied());
    }
    crate::sort::sort(read);
    read.dedup();
}

/// Files not read from any main config and included by no other given file, that hold
/// `server` or `upstream` blocks at top level: site files pasted on their own. A copy with the
/// same text as a file already read (a `sites-enabled` symlink next to its `sites-available`
/// target) is skipped so the same server is not audited twice. `read` is sorted.
pub(super) fn orphans<'a>(
    includes: &Includes<'a>,
    docs: &[(FileId, &'a NginxDoc)],
    sources: &SourceSet,
    read: &[FileId],
) -> Vec<(FileId, &'a NginxDoc, String)> {
    let main_prefix = docs
        .iter()
        .find(|(f, d)| is_main(d, sources, *f))
        .and_then(|(f, _)| sources.get(*f))
        .map(|s| dirname(&s.path));
    let prefix_of = |file: FileId| {
        let path = sources
            .get(file)
            .map(|s| normalize(&s.path))
            .unwrap_or_default();
        match path.find("/nginx/") {
            Some(i) => path
                .get(..i + "/nginx".len())
                .unwrap_or_default()
                .to_string(),
            None => main_prefix.clone().unwrap_or_else(|| "/etc/nginx".into()),
        }
    };
    // Which unread files another given file includes (statically, any depth).
    let mut referenced: Vec<FileId> = Vec::new();
    for (file, doc) in docs {
        let prefix = prefix_of(*file);
        for (_, directive) in doc.walk() {
            if is_include(directive) {
                let pattern = directive.arg(0).unwrap_or_default();
                let (_, files) = includes.lookup(pattern, &prefix);
                referenced.extend(files.into_iter().filter(|f| f != file));
            }
        }
    }
    crate::sort::sort(&mut referenced);
    referenced.dedup();
    let mut candidates: Vec<(FileId, &NginxDoc)> = docs
        .iter()
        .filter(|(f, d)| {
            read.binary_search(f).is_err()
                && referenced.binary_search(f).is_err()
                && d.directives
                    .iter()
                    .any(|d| d.block.is_some() && (d.name == "server" || d.name == "upstream"))
        })
        .copied()
        .collect();
    // Prefer the enabled copy when both copies of a site were given.
    crate::sort::sort_by_key(&mut candidates, |(f, _)| {
        let path = sources.get(*f).map_or("", |s| s.path.as_str());
        (path.contains("sites-available"), *f)
    });
    let mut texts: BTreeSet<&str> = read
        .iter()
        .filter_map(|f| sources.get(*f))
        .map(|s| s.text.as_str())
        .collect();
    let mut out = Vec::new();
    for (file, doc) in candidates {
        let Some(text) = sources.get(file).map(|s| s.text.as_str()) else {
            continue;
        };
        if texts.insert(text) {
            out.push((file, doc, prefix_of(file)));
        }
    }
    crate::sort::sort_by_key(&mut out, |(f, _, _)| *f);
    out
}
