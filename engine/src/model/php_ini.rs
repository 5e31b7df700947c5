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
}

impl PhpIni {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let mut files: Vec<(&str, FileId, &IniDoc)> = parsed
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
        // php.ini first, then the scan directory's files in alphabetical order.
        files.sort_by_key(|(path, _, _)| (path.contains("/conf.d/"), *path));
        let mut ini = Self {
            present: !files.is_empty(),
            ..Self::default()
        };
        for (_, file, doc) in files {
            ini.read(file, doc);
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
