//! The files of one host: their host paths, texts and kinds.

use crate::text::LineIndex;

/// What a file is; decides which parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    FpmGlobal,
    FpmPool,
    PhpIni,
    Nginx,
    SystemdUnit,
    SystemdDropin,
    FsSnapshot,
    Passwd,
    Group,
    Unknown,
}

impl FileKind {
    pub const ALL: [Self; 10] = [
        Self::FpmGlobal,
        Self::FpmPool,
        Self::PhpIni,
        Self::Nginx,
        Self::SystemdUnit,
        Self::SystemdDropin,
        Self::FsSnapshot,
        Self::Passwd,
        Self::Group,
        Self::Unknown,
    ];

    /// The name used in the JSON report and on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FpmGlobal => "fpm-global",
            Self::FpmPool => "fpm-pool",
            Self::PhpIni => "php-ini",
            Self::Nginx => "nginx",
            Self::SystemdUnit => "systemd-unit",
            Self::SystemdDropin => "systemd-dropin",
            Self::FsSnapshot => "fs-snapshot",
            Self::Passwd => "passwd",
            Self::Group => "group",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// FPM global and pool files share one syntax and may hold both kinds of section.
    pub const fn is_fpm(self) -> bool {
        matches!(self, Self::FpmGlobal | Self::FpmPool)
    }

    pub const fn is_systemd(self) -> bool {
        matches!(self, Self::SystemdUnit | Self::SystemdDropin)
    }
}

/// Index of a file inside its [`SourceSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One configuration file as the host sees it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute path on the audited host, e.g. `/etc/php/8.2/fpm/pool.d/www.conf`.
    pub path: String,
    pub text: String,
    pub kind: FileKind,
    pub line_index: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>, kind: FileKind) -> Self {
        let text = text.into();
        let line_index = LineIndex::new(&text);
        Self {
            path: path.into(),
            text,
            kind,
            line_index,
        }
    }
}

/// All files of one host, in a stable order (the order they were added).
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    files: Vec<SourceFile>,
}

impl SourceSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; a file with the same path replaces the earlier one.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        if let Some(pos) = self.files.iter().position(|f| f.path == file.path) {
            if let Some(slot) = self.files.get_mut(pos) {
                *slot = file;
            }
            return FileId(u32::try_from(pos).unwrap_or(u32::MAX));
        }
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// Adds a file whose kind is guessed from its path and content.
    pub fn add_detected(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let path = path.into();
        let text = text.into();
        let kind = crate::detect::detect_kind(&path, &text);
        self.add(SourceFile::new(path, text, kind))
    }

    /// Adds pasted or read text: a dump (`nginx -T`, `systemctl cat`, `tail -n +1`) becomes
    /// the files it contains, anything else one file at `path`. Returns the ids added.
    pub fn add_text(&mut self, path: impl Into<String>, text: impl Into<String>) -> Vec<FileId> {
        let text = text.into();
        match crate::bundle::split(&text) {
            Some(files) => files
                .into_iter()
                .map(|f| self.add_detected(f.path, f.text))
                .collect(),
            None => vec![self.add_detected(path, text)],
        }
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn by_path(&self, path: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
