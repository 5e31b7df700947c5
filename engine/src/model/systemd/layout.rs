//! Where each systemd file sits, and which files make up a unit: the main file found first on
//! the search path, then its drop-ins in systemd's order.

use std::collections::BTreeMap;

use super::names::{SEARCH_PATH, UnitName, dropin_dir_names, is_dropin_file_name, split_path};
use super::{Setting, Shadowed};
use crate::source::FileId;

/// One systemd file the model can use.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub(super) id: FileId,
    /// Index of its search directory in [`Layout::dirs`]; lower wins.
    pub(super) rank: usize,
    /// For a drop-in, the name before `.d` of its directory (`php8.2-fpm.service`, `service`).
    pub(super) owner: Option<String>,
    pub(super) file_name: String,
    pub(super) settings: Vec<Setting>,
    /// systemd stops reading this file at a fatal error (syntax or value).
    pub(super) refused: bool,
}

/// Every placed file and the search directories in priority order.
#[derive(Debug, Clone, Default)]
pub(super) struct Layout {
    /// Directories of unit files given outside the standard search path come first, as
    /// `systemd-analyze verify FILE` puts a file's directory first; then [`SEARCH_PATH`].
    pub(super) dirs: Vec<String>,
    pub(super) files: Vec<Placed>,
}

/// What a path says about a file, before the search directories are known.
pub(super) enum Shape<'a> {
    Unit {
        dir: &'a str,
        file_name: &'a str,
    },
    Dropin {
        dir: &'a str,
        owner: &'a str,
        file_name: &'a str,
    },
    Loose,
}

pub(super) fn shape(path: &str) -> Shape<'_> {
    let (dir, file_name) = split_path(path);
    if UnitName::parse(file_name).is_some() {
        return Shape::Unit { dir, file_name };
    }
    let (grand, parent) = split_path(dir);
    if let Some(owner) = parent.strip_suffix(".d")
        && is_dropin_file_name(file_name)
        && (UnitName::parse(owner).is_some() || super::names::UNIT_TYPES.contains(&owner))
    {
        return Shape::Dropin {
            dir: grand,
            owner,
            file_name,
        };
    }
    Shape::Loose
}

/// The files of one unit.
#[derive(Debug, Default)]
pub(super) struct Resolved<'a> {
    pub(super) main: Option<&'a Placed>,
    pub(super) dropins: Vec<&'a Placed>,
    pub(super) shadowed: Vec<Shadowed>,
}

impl Layout {
    pub(super) fn rank_of(&self, dir: &str) -> Option<usize> {
        self.dirs.iter().position(|d| d == dir)
    }

    /// Adds `dir` as an extra search directory ahead of the standard ones.
    pub(super) fn add_extra_dir(&mut self, dir: &str) {
        if self.rank_of(dir).is_none() {
            let extras = self.dirs.len().saturating_sub(SEARCH_PATH.len());
            self.dirs.insert(extras, dir.to_string());
        }
    }

    fn main_file(&self, name: &str) -> Option<&Placed> {
        self.files
            .iter()
            .filter(|f| f.owner.is_none() && f.file_name == name)
            .min_by_key(|f| f.rank)
    }

    /// `unit_file_find_fragment()` + `unit_file_find_dropin_paths()` of systemd 252.
    pub(super) fn resolve(&self, name: &str) -> Option<Resolved<'_>> {
        let parsed = UnitName::parse(name)?;
        let main = self
            .main_file(name)
            .or_else(|| parsed.template().and_then(|t| self.main_file(&t)));
        // The directories systemd reads, in order: every name-specific directory of every
        // search directory, then the type-level `service.d/` of each.
        let names = dropin_dir_names(name);
        let mut order: Vec<(usize, &str)> = Vec::new();
        for rank in 0..self.dirs.len() {
            order.extend(names.iter().map(|n| (rank, n.as_str())));
        }
        order.extend((0..self.dirs.len()).map(|rank| (rank, parsed.unit_type)));
        // Within one directory file names are unique; across directories the first one read
        // wins and masks the others, whatever its content (an empty file masks too).
        let mut chosen: BTreeMap<&str, &Placed> = BTreeMap::new();
        let mut shadowed = Vec::new();
        for (rank, owner) in order {
            for file in self
                .files
                .iter()
                .filter(|f| f.rank == rank && f.owner.as_deref() == Some(owner))
            {
                match chosen.get(file.file_name.as_str()) {
                    Some(winner) => shadowed.push(Shadowed {
                        file: file.id,
                        by: winner.id,
                    }),
                    None => {
                        chosen.insert(file.file_name.as_str(), file);
                    }
                }
            }
        }
        if main.is_none() && chosen.is_empty() {
            return None;
        }
        // Applied in the byte order of their file names, whatever their directory.
        Some(Resolved {
            main,
            dropins: chosen.into_values().collect(),
            shadowed,
        })
    }

    /// The names worth showing as units: every main file, and every unit or instance that
    /// has a drop-in directory of its own (prefix, template and type-level directories only
    /// add to other units).
    pub(super) fn unit_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for file in &self.files {
            let candidate = match &file.owner {
                None => Some(file.file_name.as_str()),
                Some(owner) => UnitName::parse(owner)
                    .filter(|n| !n.is_template() && !n.prefix.ends_with('-'))
                    .map(|_| owner.as_str()),
            };
            if let Some(name) = candidate
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_string());
            }
        }
        crate::sort::sort(&mut names);
        names
    }
}
