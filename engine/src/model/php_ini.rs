//! php.ini as PHP applies it: the last applied assignment of a key wins, everything after the
//! first syntax error is not applied, and everything from the first `[PATH=...]` / `[HOST=...]`
//! section on only applies to requests for that path or host.

use std::collections::BTreeMap;

use super::{Origin, Parsed};
use crate::source::{FileId, FileKind, SourceSet};
use crate::syntax::ini::{IniDoc, StatementKind};
use crate::text::TextRange;

/// One effective php.ini value and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniSetting {
    /// The value PHP stores (`${NAME}` references kept as written).
    pub value: String,
    pub origin: Origin,
    pub key_range: TextRange,
    /// Names of `${NAME}` references: the value depends on the environment.
    pub var_refs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhpIni {
    /// Effective values of the main php.ini and its scan directory, in PHP's reading order.
    pub values: BTreeMap<String, IniSetting>,
    /// Whether any php.ini file was given.
    pub present: bool,
    /// The php.ini FPM reads (`/etc/php/X/fpm/php.ini` when several are given).
    pub main: Option<FileId>,
    /// Every file whose values are applied: the main php.ini, then its scan directory.
    pub read_files: Vec<FileId>,
}

type IniFile<'a> = (&'a str, FileId, &'a IniDoc);

fn dir_of(path: &str) -> &str {
    path.rfind('/').and_then(|i| path.get(..i)).unwrap_or("")
}

/// Picks the files PHP-FPM reads: one main php.ini (the one under an `fpm/` directory when
/// several SAPIs' files are given; a `php.ini-production` template only when nothing else is)
/// and the `.ini` files of its scan directory (`conf.d/` beside it), in name order. Files in
/// `mods-available/` are only read through `conf.d/` links, and other SAPIs' files not at all.
fn select<'a, 'b>(files: &'b [IniFile<'a>]) -> (Option<&'b IniFile<'a>>, Vec<&'b IniFile<'a>>) {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let in_scan_dir = |p: &str| p.contains("/conf.d/");
    let mains: Vec<&IniFile<'a>> = files
        .iter()
        .filter(|(p, _, _)| !in_scan_dir(p) && !p.contains("/mods-available/"))
        .collect();
    let rank = |p: &str| {
        let n = name(p);
        (
            n != "php.ini",
            !p.contains("/fpm/"),
            n.starts_with("php.ini-"),
            p.to_string(),
        )
    };
    let main = mains.into_iter().min_by_key(|(p, _, _)| rank(p));
    let scan_dir = main.map(|(p, _, _)| format!("{}/conf.d/", dir_of(p)));
    let mut scan: Vec<&IniFile<'a>> = files
        .iter()
        .filter(|(p, _, _)| match &scan_dir {
            Some(dir) => p.starts_with(dir.as_str()),
            None => in_scan_dir(p),
        })
        .collect();
    crate::sort::sort_by_key(&mut scan, |(p, _, _)| name(p));
    (main, scan)
}

impl PhpIni {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let files: Vec<(&str, FileId, &IniDoc)> = parsed
            .iter()
            .filter_map(|(id, p)| {
                let file = sources.get(*id)?;
                match p {
                    Parsed::Ini(doc) if file.kind == FileKind::PhpIni => {
                        Some((file.path.as_str(), *id, doc))
                    }
                    _ => None,
                }
            })
            .collect();
        let (main, scan) = select(&files);
        let mut ini = Self {
            present: !files.is_empty(),
            main: main.map(|(_, id, _)| *id),
            ..Self::default()
        };
        // php.ini first, then the scan directory's files in alphabetical order.
        for (_, file, doc) in main.into_iter().chain(scan) {
            ini.read(*file, doc);
            ini.read_files.push(*file);
        }
        ini
    }

    fn read(&mut self, file: FileId, doc: &IniDoc) {
        let mut in_special_section = false;
        for statement in doc.statements.iter().filter(|s| s.applied) {
            match &statement.kind {
                StatementKind::Section { name, .. } => {
                    // php_ini.c never leaves a PATH/HOST section: a later `[PHP]` header does not
                    // return to the global values (checked with `php -n -c`).
                    let upper = name.to_ascii_uppercase();
                    in_special_section |= upper.starts_with("PATH") || upper.starts_with("HOST");
                }
                StatementKind::Entry(entry) if !in_special_section && entry.offset.is_none() => {
                    let Some(value) = &entry.value else { continue };
                    self.values.insert(
                        entry.key.clone(),
                        IniSetting {
                            value: value.text.clone(),
                            origin: Origin {
                                file,
                                statement: statement.range,
                                value: value.range,
                            },
                            key_range: entry.key_range,
                            var_refs: value.var_refs.clone(),
                        },
                    );
                }
                _ => {}
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&IniSetting> {
        self.values.get(key)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::source::{FileKind, SourceFile, SourceSet};

    #[test]
    fn fpm_reads_its_own_php_ini_and_conf_d() {
        let mut sources = SourceSet::new();
        for (path, text) in [
            (
                "/etc/php/8.2/cli/php.ini",
                "expose_php = On\nmemory_limit = -1\n",
            ),
            ("/etc/php/8.2/fpm/php.ini", "expose_php = Off\n"),
            ("/etc/php/8.2/fpm/conf.d/20-b.ini", "memory_limit = 64M\n"),
            (
                "/etc/php/8.2/fpm/conf.d/10-a.ini",
                "memory_limit = 32M\nx = a\n",
            ),
            (
                "/etc/php/8.2/mods-available/opcache.ini",
                "zend_extension = opcache.so\n",
            ),
        ] {
            sources.add(SourceFile::new(path, text, FileKind::PhpIni));
        }
        let m = Model::build(&sources);
        let get = |k: &str| m.php_ini.get(k).map(|s| s.value.as_str());
        assert_eq!(get("expose_php"), Some(""));
        assert_eq!(get("memory_limit"), Some("64M"));
        assert_eq!(get("x"), Some("a"));
        assert_eq!(get("zend_extension"), None);
        assert_eq!(m.php_ini.read_files.len(), 3);
    }
}
