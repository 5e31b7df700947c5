//! The order in which FPM reads its files: php-fpm.conf first, and each `include = PATTERN`
//! expanded in place, in glob (alphabetical) order, up to FPM's nesting limit. The open section
//! is FPM's global parser state, so it leaks into and out of included files.

use std::collections::BTreeSet;

use super::Parsed;
use super::fpm::{FpmModel, FpmProblem, UnresolvedInclude};
use crate::source::{FileId, FileKind, SourceSet};
use crate::syntax::ini::{IniDoc, StatementKind};

/// FPM refuses configurations that nest includes deeper than this (`fpm_conf.c`).
const MAX_INCLUDE_DEPTH: usize = 5;

struct FpmFile<'a> {
    id: FileId,
    path: &'a str,
    kind: FileKind,
    doc: &'a IniDoc,
}

struct Reader<'a> {
    files: Vec<FpmFile<'a>>,
    prefix: String,
    visited: BTreeSet<FileId>,
    current: Option<usize>,
}

pub(super) fn read(model: &mut FpmModel, sources: &SourceSet, parsed: &[(FileId, Parsed)]) {
    let mut files: Vec<FpmFile<'_>> = parsed
        .iter()
        .filter_map(|(id, p)| {
            let file = sources.get(*id)?;
            match p {
                Parsed::Ini(doc) if file.kind.is_fpm() => Some(FpmFile {
                    id: *id,
                    path: file.path.as_str(),
                    kind: file.kind,
                    doc,
                }),
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by(&mut files, |a, b| a.path.cmp(b.path));
    model.present = !files.is_empty();
    let prefix = files
        .iter()
        .find(|f| f.kind == FileKind::FpmGlobal)
        .map_or_else(|| "/usr".to_string(), |f| install_prefix(f.path));
    let mut reader = Reader {
        files,
        prefix,
        visited: BTreeSet::new(),
        current: None,
    };
    // The main config first. Without one (a pasted pool), every file is read in path order,
    // as a pool.d glob would list them; with one, files it does not include are not read by
    // FPM and are only listed.
    let roots: Vec<FileId> = reader
        .files
        .iter()
        .filter(|f| f.kind == FileKind::FpmGlobal)
        .map(|f| f.id)
        .collect();
    let has_main = !roots.is_empty();
    for root in roots {
        reader.read_file(model, root, 0);
    }
    let rest: Vec<FileId> = reader.files.iter().map(|f| f.id).collect();
    for id in rest {
        if reader.visited.contains(&id) {
            continue;
        }
        if has_main {
            model.unreached.push(id);
        } else {
            reader.read_file(model, id, 0);
        }
    }
}

/// FPM's install prefix, guessed from where php-fpm.conf lives: `/usr/local/etc/php-fpm.conf`
/// belongs to prefix `/usr/local` (the official Docker image); distribution layouts such as
/// `/etc/php/8.2/fpm/php-fpm.conf` use `/usr`.
fn install_prefix(global_path: &str) -> String {
    global_path
        .strip_suffix("/etc/php-fpm.conf")
        .filter(|p| !p.is_empty())
        .map_or_else(|| "/usr".to_string(), str::to_string)
}

impl Reader<'_> {
    fn read_file(&mut self, model: &mut FpmModel, id: FileId, depth: usize) {
        self.visited.insert(id);
        let Some(doc) = self.files.iter().find(|f| f.id == id).map(|f| f.doc) else {
            return;
        };
        for statement in &doc.statements {
            match &statement.kind {
                StatementKind::Section { name, name_range } => {
                    self.current = model.open_section(name, id, *name_range);
                }
                StatementKind::Entry(entry) if entry.key == "include" && entry.offset.is_none() => {
                    let pattern = entry.value.as_ref().map_or("", |v| v.text.as_str());
                    let pattern = if pattern.starts_with('/') {
                        pattern.to_string()
                    } else {
                        format!("{}/{pattern}", self.prefix)
                    };
                    let matched: Vec<FileId> = self
                        .files
                        .iter()
                        .filter(|f| crate::glob::matches(&pattern, f.path))
                        .map(|f| f.id)
                        .collect();
                    if matched.is_empty() {
                        model.unresolved_includes.push(UnresolvedInclude {
                            file: id,
                            range: entry.value.as_ref().map_or(entry.key_range, |v| v.range),
                            pattern,
                        });
                        continue;
                    }
                    if depth + 1 > MAX_INCLUDE_DEPTH {
                        model.problems.push(FpmProblem {
                            file: id,
                            range: entry.key_range,
                            message: format!("includes nested deeper than {MAX_INCLUDE_DEPTH} levels (FPM refuses to start)"),
                        });
                        continue;
                    }
                    for included in matched {
                        self.read_file(model, included, depth + 1);
                    }
                }
                _ => model.apply(self.current, id, statement),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::source::{FileKind, SourceFile, SourceSet};

    fn model(files: &[(&str, FileKind, &str)]) -> Model {
        let mut sources = SourceSet::new();
        for (path, kind, text) in files {
            sources.add(SourceFile::new(*path, *text, *kind));
        }
        Model::build(&sources)
    }

    #[test]
    fn includes_expand_in_place_and_sections_leak() {
        let m = model(&[
            (
                "/etc/php/8.2/fpm/pool.d/b.conf",
                FileKind::FpmPool,
                "[b]\nlisten = /b\n",
            ),
            (
                "/etc/php/8.2/fpm/pool.d/a.conf",
                FileKind::FpmPool,
                "[a]\nlisten = /a\n",
            ),
            (
                "/etc/php/8.2/fpm/php-fpm.conf",
                FileKind::FpmGlobal,
                "[global]\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\nuser = leaked\n",
            ),
        ]);
        let names: Vec<&str> = m.fpm.pools.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        // After the include, lines continue in the last section the included files opened.
        assert_eq!(
            m.fpm
                .pool("b")
                .and_then(|p| p.get("user"))
                .map(|s| s.value.as_str()),
            Some("leaked")
        );
        assert!(m.fpm.unresolved_includes.is_empty());
    }

    #[test]
    fn relative_includes_use_the_prefix_and_missing_ones_are_reported() {
        let m = model(&[
            (
                "/usr/local/etc/php-fpm.conf",
                FileKind::FpmGlobal,
                "include=etc/php-fpm.d/*.conf\ninclude=etc/none/*.conf\n",
            ),
            (
                "/usr/local/etc/php-fpm.d/www.conf",
                FileKind::FpmPool,
                "[www]\nlisten = 9000\n",
            ),
        ]);
        assert_eq!(m.fpm.pools.len(), 1);
        let missing: Vec<&str> = m
            .fpm
            .unresolved_includes
            .iter()
            .map(|u| u.pattern.as_str())
            .collect();
        assert_eq!(missing, ["/usr/local/etc/none/*.conf"]);
    }

    #[test]
    fn include_cycles_stop_at_the_nesting_limit() {
        let m = model(&[
            (
                "/etc/php-fpm.conf",
                FileKind::FpmGlobal,
                "include=/etc/x.conf\n",
            ),
            (
                "/etc/x.conf",
                FileKind::FpmPool,
                "include=/etc/x.conf\n[x]\nlisten = /x\n",
            ),
        ]);
        assert!(
            m.fpm
                .problems
                .iter()
                .any(|p| p.message.contains("nested deeper"))
        );
    }
}
