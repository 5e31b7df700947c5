//! `include` resolution against the given files: paths relative to the config prefix, globs
//! in nginx's (sorted) order, cycle and depth guards, and a budget so a file included
//! exponentially often cannot blow up memory.

use std::collections::BTreeSet;

use crate::glob;
use crate::source::{FileId, SourceSet};
use crate::syntax::nginx::{Directive, NginxDoc};
use crate::text::TextRange;

/// nginx itself has no limit (it fails on the open-file limit); real configs nest 3–4 deep.
const MAX_DEPTH: usize = 24;
/// Directives brought in through includes, in total, before expansion stops.
const MAX_EXPANDED: usize = 500_000;
/// Include sites recorded before expansion stops (a pasted file of a million `include`
/// lines must not cost a million records).
const MAX_SITES: usize = 50_000;

/// One `include` directive at one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub file: FileId,
    /// The `include` statement.
    pub range: TextRange,
    /// The argument as written (unquoted).
    pub pattern: String,
    /// The host path (or glob) it stands for: relative patterns joined to the prefix.
    pub path: String,
    /// Matching files in the order nginx reads them (sorted by path for globs).
    pub files: Vec<FileId>,
    /// The include site that brought this directive in, for nested includes.
    pub parent: Option<usize>,
}

/// An `include` that matches no given file: either the file was not given, or (for a
/// literal path) nginx itself would fail to start. A glob matching nothing is valid nginx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedInclude {
    pub file: FileId,
    pub range: TextRange,
    pub pattern: String,
    pub path: String,
    pub glob: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeProblem {
    pub file: FileId,
    /// The `include` statement.
    pub range: TextRange,
    pub kind: IncludeProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeProblemKind {
    /// The file is already being read further up the include chain: nginx would recurse
    /// until it runs out of file descriptors; the model reads it once.
    Cycle { target: FileId },
    /// Includes nested deeper than the model follows.
    TooDeep,
    /// The expansion grew past the model's budget; later includes are not expanded.
    TooLarge,
}

/// A directive in the block it belongs to after expansion.
#[derive(Debug, Clone, Copy)]
pub(super) struct Item<'a> {
    pub(super) file: FileId,
    pub(super) directive: &'a Directive,
    pub(super) via: Option<usize>,
}

/// The given nginx files seen as a file system, plus what expansion has found so far.
#[derive(Debug)]
pub(super) struct Includes<'a> {
    docs: Vec<Option<&'a NginxDoc>>,
    /// Normalized host path of every nginx file, sorted by path (glob order).
    paths: Vec<(String, FileId)>,
    pub(super) sites: Vec<Include>,
    pub(super) unresolved: Vec<UnresolvedInclude>,
    pub(super) problems: Vec<IncludeProblem>,
    expanded: usize,
    /// Keys of `unresolved` and `problems`, so each is recorded once per directive.
    seen: BTreeSet<(FileId, u32, u8)>,
    /// `TooLarge` is reported once: past the budget every include would report it.
    too_large: bool,
}

impl<'a> Includes<'a> {
    pub(super) fn new(sources: &SourceSet, docs: &[(FileId, &'a NginxDoc)]) -> Self {
        let mut by_id = vec![None; sources.len()];
        let mut paths = Vec::new();
        for (file, doc) in docs {
            if let Some(slot) = by_id.get_mut(file.0 as usize) {
                *slot = Some(*doc);
            }
            if let Some(source) = sources.get(*file) {
                paths.push((normalize(&source.path), *file));
            }
        }
        crate::sort::sort(&mut paths);
        Self {
            docs: by_id,
            paths,
            sites: Vec::new(),
            unresolved: Vec::new(),
            problems: Vec::new(),
            expanded: 0,
            seen: BTreeSet::new(),
            too_large: false,
        }
    }

    pub(super) fn doc(&self, file: FileId) -> Option<&'a NginxDoc> {
        self.docs.get(file.0 as usize).copied().flatten()
    }

    /// The files an include pattern names, in reading order.
    pub(super) fn lookup(&self, pattern: &str, prefix: &str) -> (String, Vec<FileId>) {
        let path = join(prefix, pattern);
        // Only paths sharing the pattern's literal start can match; `paths` is sorted, so
        // they form one range (keeps a host with a thousand files and includes fast).
        let literal = path
            .find(['*', '?', '['])
            .map_or(path.as_str(), |i| path.get(..i).unwrap_or_default());
        let start = self.paths.partition_point(|(p, _)| p.as_str() < literal);
        let candidates = self
            .paths
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|(p, _)| p.starts_with(literal));
        let files = if glob::is_literal(&path) {
            candidates
                .filter(|(p, _)| *p == path)
                .map(|(_, f)| *f)
                .take(1)
                .collect()
        } else {
            candidates
                .filter(|(p, _)| glob::matches(&path, p))
                .map(|(_, f)| *f)
                .collect()
        };
        (path, files)
    }

    /// The children of a block as nginx sees them: each `include` replaced by the top-level
    /// directives of the files it names, recursively.
    pub(super) fn expand(
        &mut self,
        file: FileId,
        list: &'a [Directive],
        via: Option<usize>,
        prefix: &str,
    ) -> Vec<Item<'a>> {
        let mut out = Vec::with_capacity(list.len());
        let mut stack = vec![(file, list.iter(), via)];
        while let Some((file, iter, via)) = stack.last_mut() {
            let (file, via) = (*file, *via);
            let Some(directive) = iter.next() else {
                stack.pop();
                continue;
            };
            if !is_include(directive) {
                out.push(Item {
                    file,
                    directive,
                    via,
                });
                continue;
            }
            if self.expanded >= MAX_EXPANDED || self.sites.len() >= MAX_SITES {
                if !self.too_large {
                    self.too_large = true;
                    self.problem(file, directive.range, IncludeProblemKind::TooLarge);
                }
                continue;
            }
            let site = self.site(file, directive, via, prefix);
            let targets = self
                .sites
                .get(site)
                .map(|s| s.files.clone())
                .unwrap_or_default();
            for target in targets.into_iter().rev() {
                if let Some(kind) = self.refuse(site, target) {
                    self.problem(file, directive.range, kind);
                    continue;
                }
                if let Some(doc) = self.doc(target) {
                    self.expanded += doc.directives.len();
                    stack.push((target, doc.directives.iter(), Some(site)));
                }
            }
        }
        out
    }

    /// Records an include site and what it matches.
    fn site(
        &mut self,
        file: FileId,
        directive: &Directive,
        via: Option<usize>,
        prefix: &str,
    ) -> usize {
        let pattern = directive.arg(0).unwrap_or_default().to_string();
        let (path, files) = self.lookup(&pattern, prefix);
        if files.is_empty() && self.seen.insert((file, directive.range.start, 0)) {
            self.unresolved.push(UnresolvedInclude {
                file,
                range: directive.range,
                pattern: pattern.clone(),
                glob: !glob::is_literal(&path),
                path: path.clone(),
            });
        }
        self.sites.push(Include {
            file,
            range: directive.range,
            pattern,
            path,
            files,
            parent: via,
        });
        self.sites.len() - 1
    }

    /// Why `target` must not be read at `site`, if it must not.
    fn refuse(&self, site: usize, target: FileId) -> Option<IncludeProblemKind> {
        let mut depth = 0;
        let mut next = Some(site);
        while let Some(index) = next {
            let include = self.sites.get(index)?;
            if include.file == target {
                return Some(IncludeProblemKind::Cycle { target });
            }
            depth += 1;
            next = include.parent;
        }
        (depth > MAX_DEPTH).then_some(IncludeProblemKind::TooDeep)
    }

    fn problem(&mut self, file: FileId, range: TextRange, kind: IncludeProblemKind) {
        let tag = match kind {
            IncludeProblemKind::Cycle { .. } => 1,
            IncludeProblemKind::TooDeep => 2,
            IncludeProblemKind::TooLarge => 3,
        };
        if self.seen.insert((file, range.start, tag)) {
            self.problems.push(IncludeProblem { file, range, kind });
        }
    }
}

/// `include FILE;` (a block named `include` is something else).
pub(super) fn is_include(directive: &Directive) -> bool {
    directive.name == "include" && directive.block.is_none() && directive.args.len() == 1
}

/// `path` with `.` and empty components dropped and `..` applied; absolute stays absolute.
pub(super) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The directory part of a path ("" for a bare name).
pub(super) fn dirname(path: &str) -> String {
    let path = normalize(path);
    match path.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => path.get(..i).unwrap_or_default().to_string(),
        None => String::new(),
    }
}

/// `pattern` resolved against `prefix` as `ngx_conf_full_name` does.
pub(super) fn join(prefix: &str, pattern: &str) -> String {
    if pattern.starts_with('/') || prefix.is_empty() {
        normalize(pattern)
    } else {
        normalize(&format!("{prefix}/{pattern}"))
    }
}
