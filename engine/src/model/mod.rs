//! The effective configuration: what the servers really run with, every value with its origin.

pub mod fastcgi;
pub mod fpm;
pub mod fpm_directives;
mod fpm_reader;
pub mod fpm_values;
pub mod fs;
pub mod listen;
pub mod nginx;
pub mod php_ini;
pub mod php_stack;
pub mod php_values;
pub mod systemd;
pub mod tenancy;
pub mod tenants;

use crate::source::{FileId, FileKind, SourceSet};
use crate::syntax::{self, SyntaxError};
use crate::text::TextRange;

/// Where a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    /// The whole statement (key, value and comment).
    pub statement: TextRange,
    /// Just the value; empty at the end of the key when there is none.
    pub value: TextRange,
}

/// A file after parsing, in the shape its format needs.
#[derive(Debug, Clone)]
pub enum Parsed {
    Ini(syntax::ini::IniDoc),
    Nginx(syntax::nginx::NginxDoc),
    Systemd(syntax::systemd::UnitDoc),
    Snapshot(syntax::snapshot::SnapshotDoc),
    Accounts(syntax::accounts::AccountsDoc),
    /// Kinds the engine does not read yet.
    Other,
}

impl Parsed {
    pub fn errors(&self) -> &[SyntaxError] {
        match self {
            Self::Ini(doc) => &doc.errors,
            Self::Nginx(doc) => &doc.errors,
            Self::Systemd(doc) => &doc.errors,
            Self::Snapshot(doc) => &doc.errors,
            Self::Accounts(doc) => &doc.errors,
            Self::Other => &[],
        }
    }
}

/// Everything the rules look at.
#[derive(Debug, Clone)]
pub struct Model {
    /// One entry per file of the source set, same order.
    pub parsed: Vec<(FileId, Parsed)>,
    pub fpm: fpm::FpmModel,
    pub nginx: nginx::NginxModel,
    pub php_ini: php_ini::PhpIni,
    pub systemd: systemd::SystemdModel,
    /// Modes, owners, users and groups, when a snapshot (or the live host) provides them.
    pub fs: fs::FsEvidence,
}

impl Model {
    pub fn build(sources: &SourceSet) -> Self {
        let parsed: Vec<(FileId, Parsed)> = sources
            .iter()
            .map(|(id, file)| (id, parse_file(&file.text, file.kind)))
            .collect();
        let fpm = fpm::FpmModel::build(sources, &parsed);
        let nginx = nginx::NginxModel::build(sources, &parsed);
        let php_ini = php_ini::PhpIni::build(sources, &parsed);
        let systemd = systemd::SystemdModel::build(sources, &parsed);
        let fs = fs::FsEvidence::build(&parsed);
        Self {
            parsed,
            fpm,
            nginx,
            php_ini,
            systemd,
            fs,
        }
    }

    /// The parsed unit file or drop-in `file`.
    pub fn unit_doc(&self, file: FileId) -> Option<&syntax::systemd::UnitDoc> {
        match self.parsed(file)? {
            Parsed::Systemd(doc) => Some(doc),
            _ => None,
        }
    }

    pub fn parsed(&self, file: FileId) -> Option<&Parsed> {
        self.parsed
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, p)| p)
    }
}

pub fn parse_file(text: &str, kind: FileKind) -> Parsed {
    match kind {
        FileKind::FpmGlobal | FileKind::FpmPool => {
            Parsed::Ini(syntax::ini::parse(text, syntax::ini::IniDialect::Fpm))
        }
        FileKind::PhpIni => Parsed::Ini(syntax::ini::parse(text, syntax::ini::IniDialect::PhpIni)),
        FileKind::Nginx => Parsed::Nginx(syntax::nginx::parse(text)),
        FileKind::SystemdUnit | FileKind::SystemdDropin => {
            Parsed::Systemd(syntax::systemd::parse(text))
        }
        FileKind::FsSnapshot => Parsed::Snapshot(syntax::snapshot::parse(text)),
        FileKind::Passwd => Parsed::Accounts(syntax::accounts::parse(
            text,
            syntax::accounts::Database::Passwd,
        )),
        FileKind::Group => Parsed::Accounts(syntax::accounts::parse(
            text,
            syntax::accounts::Database::Group,
        )),
        FileKind::Unknown => Parsed::Other,
    }
}
