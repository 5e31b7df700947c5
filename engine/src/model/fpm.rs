//! PHP-FPM master and pools as FPM builds them from its files.
//!
//! Semantics follow `sapi/fpm/fpm/fpm_conf.c`: a `[name]` that was seen before (in any case)
//! reopens that pool; scalar directives are case-insensitive and the last one wins; the array
//! directives (`php_value[k]`, `env[k]`, ...) are case-sensitive and the first key wins; `$pool`
//! is replaced in values.

use std::collections::BTreeMap;

use super::{Origin, Parsed};
use crate::source::{FileId, SourceSet};
use crate::syntax::ini::{Entry, Statement, StatementKind};
use crate::text::TextRange;

/// The array directives FPM knows; their names are matched case-sensitively.
pub const ARRAY_DIRECTIVES: [&str; 6] = [
    "env",
    "php_value",
    "php_flag",
    "php_admin_value",
    "php_admin_flag",
    "access.suppress_path",
];

/// One effective value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value as FPM stores it, with `$pool` replaced.
    pub value: String,
    pub origin: Origin,
    /// Where the directive's name was written.
    pub key_range: TextRange,
}

impl Setting {
    /// From the directive's name to the end of its value: where findings point.
    pub fn span(&self) -> TextRange {
        self.key_range.cover(self.origin.value)
    }
}

/// Every occurrence of one directive, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Occurrences {
    pub all: Vec<Setting>,
}

impl Occurrences {
    /// The value FPM uses for a scalar directive: the last one read.
    pub fn last(&self) -> Option<&Setting> {
        self.all.last()
    }

    /// The value FPM uses for an array key: the first one read.
    pub fn first(&self) -> Option<&Setting> {
        self.all.first()
    }
}

/// A section: `[global]` or a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    /// Every header that opened or reopened this section.
    pub headers: Vec<(FileId, TextRange)>,
    /// Scalar directives, keyed by lower-case name.
    pub scalars: BTreeMap<String, Occurrences>,
    /// Array directives, keyed by (directive, key). `php_flag` entries are stored under
    /// `php_value` and `php_admin_flag` under `php_admin_value`, as FPM does.
    pub arrays: BTreeMap<(String, String), Occurrences>,
}

impl Section {
    /// The effective value of a scalar directive (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&Setting> {
        self.scalars
            .get(&name.to_ascii_lowercase())
            .and_then(Occurrences::last)
    }

    /// The effective value of `directive[key]`.
    pub fn array(&self, directive: &str, key: &str) -> Option<&Setting> {
        self.arrays
            .get(&(directive.to_string(), key.to_string()))
            .and_then(Occurrences::first)
    }

    /// The header that first opened the section, used to anchor pool-wide findings.
    pub fn anchor(&self) -> Option<(FileId, TextRange)> {
        self.headers.first().copied()
    }
}

/// A statement FPM refuses at load time (it will not start with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FpmProblem {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FpmModel {
    pub global: Section,
    pub pools: Vec<Section>,
    /// Whether any FPM file was given at all.
    pub present: bool,
    /// Entries FPM rejects: unknown names, values of the wrong type, arrays in `[global]`,
    /// includes nested too deeply.
    pub problems: Vec<FpmProblem>,
    /// `include` patterns that match no file of the audit (FPM only warns).
    pub unresolved_includes: Vec<UnresolvedInclude>,
    /// FPM files given but not included by php-fpm.conf: FPM never reads them.
    pub unreached: Vec<FileId>,
}

/// An `include` whose pattern matched none of the files given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedInclude {
    pub file: FileId,
    pub range: TextRange,
    /// The pattern as FPM resolves it (relative patterns joined to the prefix).
    pub pattern: String,
}

impl FpmModel {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let mut model = Self {
            global: Section {
                name: "global".into(),
                ..Section::default()
            },
            ..Self::default()
        };
        super::fpm_reader::read(&mut model, sources, parsed);
        model
    }

    /// Applies one statement to the section that is open.
    pub(super) fn apply(&mut self, current: Option<usize>, file: FileId, statement: &Statement) {
        match &statement.kind {
            StatementKind::Section { .. } | StatementKind::Trivia | StatementKind::Error => {}
            StatementKind::Entry(entry) => {
                let section = match current {
                    Some(i) => self.pools.get_mut(i),
                    None => Some(&mut self.global),
                };
                if let Some(section) = section
                    && let Some(message) = record(section, file, statement.range, entry)
                {
                    self.problems.push(FpmProblem {
                        file,
                        range: entry.key_range,
                        message,
                    });
                }
            }
        }
    }

    pub(super) fn open_section(
        &mut self,
        name: &str,
        file: FileId,
        range: TextRange,
    ) -> Option<usize> {
        if name.eq_ignore_ascii_case("global") {
            self.global.headers.push((file, range));
            return None;
        }
        if let Some(i) = self
            .pools
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(name))
        {
            if let Some(pool) = self.pools.get_mut(i) {
                pool.headers.push((file, range));
            }
            return Some(i);
        }
        self.pools.push(Section {
            name: name.to_string(),
            headers: vec![(file, range)],
            ..Section::default()
        });
        Some(self.pools.len() - 1)
    }

    pub fn pool(&self, name: &str) -> Option<&Section> {
        self.pools.iter().find(|p| p.name == name)
    }
}

/// Records an entry in its section; returns why FPM would reject it, if it would.
fn record(
    section: &mut Section,
    file: FileId,
    statement: TextRange,
    entry: &Entry,
) -> Option<String> {
    let is_global = section.name == "global";
    let Some(scanned) = &entry.value else {
        return Some(format!(
            "'{}' has no value (FPM needs `name = value`)",
            entry.key
        ));
    };
    let raw = scanned.text.as_str();
    if is_global && raw.contains("$pool") {
        return Some("'$pool' cannot be used in [global]".into());
    }
    let value = if is_global {
        raw.to_string()
    } else {
        raw.replace("$pool", &section.name)
    };
    let problem = check_entry(entry, &value, is_global);
    let value_range = entry.value.as_ref().map_or(
        TextRange::new(entry.key_range.end, entry.key_range.end),
        |v| v.range,
    );
    let setting = Setting {
        value,
        origin: Origin {
            file,
            statement,
            value: value_range,
        },
        key_range: entry.key_range,
    };
    match &entry.offset {
        Some((key, _)) => {
            // FPM stores php_flag in the php_value list (and php_admin_flag with the admin
            // values) as "1"/"0", so a flag and a value for the same key compete: first wins.
            let (directive, value) = match entry.key.as_str() {
                "php_flag" => ("php_value", flag_value(&setting.value)),
                "php_admin_flag" => ("php_admin_value", flag_value(&setting.value)),
                other => (other, setting.value.clone()),
            };
            section
                .arrays
                .entry((directive.to_string(), key.clone()))
                .or_default()
                .all
                .push(Setting { value, ..setting });
        }
        None => section
            .scalars
            .entry(entry.key.to_ascii_lowercase())
            .or_default()
            .all
            .push(setting),
    }
    problem
}

/// A flag's stored form: "1" for the true words, "0" otherwise.
fn flag_value(value: &str) -> String {
    let on = super::fpm_directives::typed_value(super::fpm_directives::ValueType::Bool, value)
        .is_ok_and(|v| v == "yes");
    if on { "1".into() } else { "0".into() }
}

/// What `fpm_conf_ini_parser_entry` / `_array` would say about an entry, if anything.
fn check_entry(entry: &Entry, value: &str, is_global: bool) -> Option<String> {
    use super::fpm_directives::{Scope, lookup, typed_value};
    if let Some((key, _)) = &entry.offset {
        if !ARRAY_DIRECTIVES.contains(&entry.key.as_str()) {
            return Some(format!(
                "unknown array directive '{}' (array names are case-sensitive)",
                entry.key
            ));
        }
        if is_global {
            return Some(format!(
                "array directive '{}' is not allowed in [global]",
                entry.key
            ));
        }
        if key.is_empty() {
            return Some(format!("'{}[]' needs a key", entry.key));
        }
        if entry.key == "env" && value.is_empty() {
            return Some(format!("env[{key}] has an empty value"));
        }
        if entry.key.ends_with("_flag") {
            let ty = super::fpm_directives::ValueType::Bool;
            return typed_value(ty, value)
                .err()
                .map(|e| format!("{}[{key}]: {e}", entry.key));
        }
        return None;
    }
    if entry.key == "include" {
        return None;
    }
    let scope = if is_global {
        Scope::Global
    } else {
        Scope::Pool
    };
    match lookup(&entry.key, scope) {
        None => Some(format!("unknown entry '{}'", entry.key)),
        Some(spec) => typed_value(spec.ty, value)
            .err()
            .map(|e| format!("{}: {e}", spec.name)),
    }
}
