//! systemd units merged with their drop-ins, as systemd 252 loads them.
//!
//! - **Which files.** The main file is the first one named like the unit on the search path
//!   ([`names::SEARCH_PATH`]: `/etc` before `/run` before `/usr/local/lib` before `/lib` before
//!   `/usr/lib`); a file higher up replaces a lower one entirely. An instance
//!   (`php-fpm@site.service`) without a file of its own uses its template
//!   (`php-fpm@.service`). Drop-ins are the `*.conf` files of `<name>.d/`, the template's
//!   `<template>.d/`, the dash-prefix directories (`php8.2-.service.d/` for
//!   `php8.2-fpm.service`) and the type-level `service.d/`, from every search directory. They
//!   are applied after the main file in the byte order of their file names, whatever their
//!   directory; a file name read first (higher directory, then more specific name) masks the
//!   same name elsewhere.
//! - **Which values.** Each assignment gets an [`Effect`]: scalars take the last accepted
//!   value, and a value systemd cannot parse is ignored so the previous one stays
//!   (`ProtectSystem=strict # ro` leaves the earlier value). Lists add up and an empty
//!   assignment resets them ([`EffectiveList`]); the `~` lists combine in their own ways
//!   ([`CapabilitySet`], [`SyscallFilter`], [`AddressFamilies`], [`Namespaces`]).
//!
//! The differential test `tests/integration/oracle_systemd.rs` holds all of this to
//! `systemd-analyze security --offline=yes --root=DIR`. Not modelled: symlinks (aliases,
//! `/dev/null` masks; a [`SourceSet`] has none), specifier expansion (`%i` stays as written)
//! and the checks systemd makes against the running system (does the user exist?).

pub mod exposure;
mod filters;
mod fpm_needs;
mod keys;
mod known_keys;
mod layout;
mod names;
mod names_table;
mod sandbox;
mod service;
mod sets;
mod write_paths;

#[cfg(test)]
pub(super) mod tests;
#[cfg(test)]
mod value_tests;

pub use exposure::{Assessed, Check, Exposure, Label};
pub use filters::{Blocked, HARDENING_LISTS, HardeningReset};
pub use fpm_needs::{Need, fpm_needs};
pub use keys::{KeyKind, effect_of, kind, parse_bool, valid_user_name};
pub use known_keys::{KeyProblem, is_hardening, is_known, key_problem, known_keys};
pub use names::{SEARCH_PATH, UNIT_TYPES, UnitName, dropin_dir_names};
pub use names_table::{ADDRESS_FAMILIES, CAPABILITIES, NAMESPACES};
pub use sandbox::{Access, Verdict};
pub use service::{ExecStart, service_anchor, service_insertion};
pub use sets::{
    AddressFamilies, CapabilitySet, EffectiveList, Namespaces, Reset, SyscallFilter, SyscallOp,
    Word, address_family, capability_from_name, split_words,
};
pub use write_paths::{WritePath, write_paths};

use super::{Origin, Parsed};
use crate::source::{FileId, SourceSet};
use crate::syntax::systemd::UnitDoc;
use crate::text::TextRange;
use layout::{Layout, Placed, Shape};

/// What systemd does with one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The value is taken (scalar) or added (list).
    Applied,
    /// An empty assignment: a list starts over, a resettable scalar returns to its default.
    Reset,
    /// systemd cannot parse the value, logs "…, ignoring" and keeps what was set before.
    Ignored,
    /// systemd cannot parse the value and stops reading the file: in the main file the unit
    /// does not load at all, in a drop-in the rest of that drop-in is skipped.
    Fatal,
    /// Not read: an earlier fatal error (a fatal value or a fatal syntax error such as a
    /// malformed section header) stopped systemd reading this drop-in.
    Skipped,
}

/// One `Key=value` line of a unit or drop-in, where it was written and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub section: String,
    pub key: String,
    /// The value as systemd reads it (continuations joined, ends trimmed; specifiers kept).
    pub value: String,
    pub origin: Origin,
    pub key_range: TextRange,
    /// The 1-based line systemd reports for it.
    pub line: u32,
    pub effect: Effect,
}

/// A drop-in that is not read because one with the same file name is read first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shadowed {
    pub file: FileId,
    pub by: FileId,
}

/// One unit with its main file and drop-ins merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `php8.2-fpm.service`, `php-fpm@site.service`, or a template `php-fpm@.service`.
    pub name: String,
    /// The file systemd loads; `None` when only drop-ins were given.
    pub main: Option<FileId>,
    /// In the order systemd applies them.
    pub dropins: Vec<FileId>,
    pub shadowed: Vec<Shadowed>,
    /// Every assignment of the main file and then of each drop-in, in application order.
    /// Assignments before the first section header are left out: systemd ignores them.
    pub settings: Vec<Setting>,
    /// Set when the main file has a fatal error (a malformed section header, an over-long
    /// line, a fatal value such as `DynamicUser=maybe`): systemd refuses to load the unit. A
    /// fatal error in a drop-in only cuts that drop-in short (see [`Effect::Skipped`]).
    pub refused: Option<FileId>,
}

impl Setting {
    /// From the key to the end of the value: where findings point.
    pub fn span(&self) -> TextRange {
        self.key_range.cover(self.origin.value)
    }
}

impl Unit {
    /// The main file, then the drop-ins in application order.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.main.into_iter().chain(self.dropins.iter().copied())
    }

    pub fn is_template(&self) -> bool {
        UnitName::parse(&self.name).is_some_and(|n| n.is_template())
    }

    /// Every assignment of `key` in `section`, in application order, whatever its effect.
    pub fn assignments<'s>(
        &'s self,
        section: &str,
        key: &str,
    ) -> impl Iterator<Item = &'s Setting> {
        self.settings
            .iter()
            .filter(move |s| s.section == section && s.key == key)
    }

    /// [`Unit::assignments`], collected, so the result borrows only the unit.
    fn collect(&self, section: &str, key: &str) -> Vec<&Setting> {
        self.settings
            .iter()
            .filter(|s| s.section == section && s.key == key)
            .collect()
    }

    /// The assignment that decides a scalar: the last one systemd applied or reset with.
    /// For list keys use [`Unit::list`] or the typed accessors.
    pub fn get(&self, section: &str, key: &str) -> Option<&Setting> {
        self.assignments(section, key)
            .filter(|s| matches!(s.effect, Effect::Applied | Effect::Reset))
            .last()
    }

    /// The effective value of a scalar, `None` when systemd uses its default.
    pub fn value(&self, section: &str, key: &str) -> Option<&str> {
        self.get(section, key)
            .filter(|s| s.effect == Effect::Applied)
            .map(|s| s.value.as_str())
    }

    /// A boolean setting; `None` when unset (systemd's default applies).
    pub fn flag(&self, section: &str, key: &str) -> Option<bool> {
        self.value(section, key).and_then(parse_bool)
    }

    /// A list setting: what is left after the last reset.
    pub fn list(&self, section: &str, key: &str) -> EffectiveList<'_> {
        EffectiveList::build(&self.collect(section, key))
    }

    /// `CapabilityBoundingSet=` or `AmbientCapabilities=` of `[Service]`.
    pub fn capabilities(&self, key: &str) -> CapabilitySet<'_> {
        let settings = self.collect("Service", key);
        CapabilitySet::build(&settings, key == "CapabilityBoundingSet")
    }

    /// `SystemCallFilter=` of `[Service]`.
    pub fn syscall_filter(&self) -> SyscallFilter<'_> {
        SyscallFilter::build(&self.collect("Service", "SystemCallFilter"))
    }

    /// `RestrictAddressFamilies=` of `[Service]`.
    pub fn address_families(&self) -> AddressFamilies<'_> {
        AddressFamilies::build(&self.collect("Service", "RestrictAddressFamilies"))
    }

    /// `RestrictNamespaces=` of `[Service]`.
    pub fn namespaces(&self) -> Namespaces<'_> {
        Namespaces::build(&self.collect("Service", "RestrictNamespaces"))
    }
}

/// Every unit of the host.
#[derive(Debug, Clone, Default)]
pub struct SystemdModel {
    /// Every unit with a main file or a drop-in directory of its own, sorted by name.
    pub units: Vec<Unit>,
    /// systemd files whose path places them in no unit (a `.conf` outside any `<name>.d/`).
    pub loose: Vec<FileId>,
    layout: Layout,
}

impl SystemdModel {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let mut model = Self::default();
        model.layout.dirs = SEARCH_PATH.iter().map(|d| (*d).to_string()).collect();
        let docs: Vec<(FileId, &str, &UnitDoc)> = parsed
            .iter()
            .filter_map(|(id, p)| match p {
                Parsed::Systemd(doc) => Some((*id, sources.get(*id)?.path.as_str(), doc)),
                _ => None,
            })
            .collect();
        // Unit files outside the search path bring their directory in first.
        for (_, path, _) in &docs {
            if let Shape::Unit { dir, .. } = layout::shape(path)
                && !SEARCH_PATH.contains(&dir)
            {
                model.layout.add_extra_dir(dir);
            }
        }
        for (id, path, doc) in docs {
            let (dir, owner, file_name) = match layout::shape(path) {
                Shape::Unit { dir, file_name } => (dir, None, file_name),
                Shape::Dropin {
                    dir,
                    owner,
                    file_name,
                } => (dir, Some(owner.to_string()), file_name),
                Shape::Loose => {
                    model.loose.push(id);
                    continue;
                }
            };
            let Some(rank) = model.layout.rank_of(dir) else {
                model.loose.push(id);
                continue;
            };
            let mut settings = settings_of(id, doc);
            let refused = cut_at_fatal_error(doc, &mut settings);
            model.layout.files.push(Placed {
                id,
                rank,
                owner,
                file_name: file_name.to_string(),
                settings,
                refused,
            });
        }
        model.units = model
            .layout
            .unit_names()
            .iter()
            .filter_map(|name| model.resolve(name))
            .collect();
        model
    }

    /// A unit by name among [`SystemdModel::units`].
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.name == name)
    }

    /// Merges any unit name, e.g. an instance no file names (`php-fpm@site.service` from
    /// `php-fpm@.service`). `None` when no file contributes.
    pub fn resolve(&self, name: &str) -> Option<Unit> {
        let resolved = self.layout.resolve(name)?;
        let files: Vec<&Placed> = resolved
            .main
            .into_iter()
            .chain(resolved.dropins.iter().copied())
            .collect();
        Some(Unit {
            name: name.to_string(),
            main: resolved.main.map(|f| f.id),
            dropins: resolved.dropins.iter().map(|f| f.id).collect(),
            shadowed: resolved.shadowed,
            settings: files
                .iter()
                .flat_map(|f| f.settings.iter().cloned())
                .collect(),
            refused: resolved.main.filter(|f| f.refused).map(|f| f.id),
        })
    }
}

fn settings_of(file: FileId, doc: &UnitDoc) -> Vec<Setting> {
    doc.sections
        .iter()
        .filter(|s| !s.name.is_empty())
        .flat_map(|section| {
            section.assignments.iter().map(|a| {
                let kind = kind(&section.name, &a.key);
                Setting {
                    section: section.name.clone(),
                    key: a.key.clone(),
                    value: a.value.clone(),
                    origin: Origin {
                        file,
                        statement: a.range,
                        value: a.value_range,
                    },
                    key_range: a.key_range,
                    line: a.line,
                    effect: keys::effect(kind, &a.value),
                }
            })
        })
        .collect()
}

/// systemd's `config_parse()` stops at the first fatal error of a file. Marks what follows as
/// [`Effect::Skipped`]; returns whether there was such an error.
fn cut_at_fatal_error(doc: &UnitDoc, settings: &mut [Setting]) -> bool {
    let syntax = doc
        .fatal_error
        .and_then(|i| doc.errors.get(i))
        .map(|e| e.range.start);
    let value = settings
        .iter()
        .find(|s| s.effect == Effect::Fatal)
        .map(|s| s.origin.statement.start);
    let Some(cut) = [syntax, value].into_iter().flatten().min() else {
        return false;
    };
    for setting in settings.iter_mut() {
        let start = setting.origin.statement.start;
        if start > cut || start == cut && Some(cut) != value {
            setting.effect = Effect::Skipped;
        }
    }
    true
}
