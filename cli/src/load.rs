//! Reads files and trees from disk into a `SourceSet` with host paths.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use fpmaudit_engine::{FileKind, SourceSet};

/// Files larger than this are skipped with a note; real configs are far smaller.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
const MAX_DEPTH: usize = 32;

/// Where a host keeps the configs fpmaudit reads, relative to `/`.
const KNOWN_LOCATIONS: &[&str] = &[
    "etc/php",
    "etc/php-fpm.conf",
    "etc/php-fpm.d",
    "etc/php.ini",
    "etc/php.d",
    "usr/local/etc/php-fpm.conf",
    "usr/local/etc/php-fpm.d",
    "usr/local/etc/php",
    "etc/nginx",
    "lib/systemd/system",
    "usr/lib/systemd/system",
    "etc/systemd/system",
    // Evidence for the FS rules: the user and group databases, and a snapshot saved under
    // the root (as the collection command's output, split, or as one bundle file).
    "etc/passwd",
    "etc/group",
    "fpmaudit",
];

#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) sources: SourceSet,
    /// Host paths that were passed over, with the reason.
    pub(crate) skipped: Vec<(String, String)>,
}

pub(crate) fn load(root: Option<&Path>, paths: &[PathBuf]) -> Result<Loaded> {
    let mut loader = Loader {
        root: match root {
            Some(r) => {
                Some(fs::canonicalize(r).with_context(|| format!("--root {}", r.display()))?)
            }
            None => None,
        },
        loaded: Loaded::default(),
        seen_dirs: BTreeSet::new(),
    };
    if paths.is_empty() {
        let Some(root) = loader.root.clone() else {
            bail!("nothing to check: give PATHs or --root DIR");
        };
        for location in KNOWN_LOCATIONS {
            let path = root.join(location);
            if path.exists() {
                loader.visit(&path, 0, false)?;
            }
        }
    } else {
        for path in paths {
            let on_disk = loader.resolve(path);
            if !on_disk.exists() {
                bail!("{}: no such file or directory", path.display());
            }
            loader.visit(&on_disk, 0, true)?;
        }
    }
    Ok(loader.loaded)
}

struct Loader {
    root: Option<PathBuf>,
    loaded: Loaded,
    seen_dirs: BTreeSet<PathBuf>,
}

impl Loader {
    /// With --root, an absolute PATH outside DIR is a host path (`/etc/php` means `DIR/etc/php`).
    fn resolve(&self, path: &Path) -> PathBuf {
        match &self.root {
            Some(root) if path.is_absolute() && !path.starts_with(root) => {
                root.join(path.strip_prefix("/").unwrap_or(path))
            }
            _ => path.to_path_buf(),
        }
    }

    /// The path the host sees: with --root, the part below DIR with a leading `/`.
    fn host_path(&self, path: &Path) -> String {
        if let Some(root) = &self.root {
            let absolute = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let inside = absolute
                .strip_prefix(root)
                .or_else(|_| path.strip_prefix(root));
            if let Ok(rest) = inside {
                return format!("/{}", rest.display());
            }
        }
        path.display().to_string()
    }

    fn visit(&mut self, path: &Path, depth: usize, explicit: bool) -> Result<()> {
        let meta = fs::metadata(path).with_context(|| path.display().to_string())?;
        if meta.is_dir() {
            if depth > MAX_DEPTH {
                return Ok(());
            }
            let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if !self.seen_dirs.insert(canonical) {
                return Ok(());
            }
            let mut entries: Vec<PathBuf> = fs::read_dir(path)
                .with_context(|| path.display().to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for entry in entries {
                self.visit(&entry, depth + 1, false)?;
            }
            return Ok(());
        }
        let host = self.host_path(path);
        if !explicit && !wanted(&host, path) {
            return Ok(());
        }
        if meta.len() > MAX_FILE_BYTES {
            self.loaded
                .skipped
                .push((host, format!("larger than {MAX_FILE_BYTES} bytes")));
            return Ok(());
        }
        let bytes = fs::read(path).with_context(|| path.display().to_string())?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let is_dump = fpmaudit_engine::bundle::detect(&text).is_some();
        let kind = fpmaudit_engine::detect::detect_kind(&host, &text);
        if kind == FileKind::Unknown && !explicit && !is_dump {
            return Ok(());
        }
        self.loaded.sources.add_text(host, text);
        Ok(())
    }
}

/// In a tree walk, which files are configs worth reading.
fn wanted(host: &str, disk: &Path) -> bool {
    let name = host.rsplit('/').next().unwrap_or(host);
    let backup = [
        ".dpkg-dist",
        ".dpkg-old",
        ".dpkg-new",
        ".rpmnew",
        ".rpmsave",
        ".bak",
        ".orig",
    ];
    if name.starts_with('.') || name.ends_with('~') || backup.iter().any(|b| name.ends_with(b)) {
        return false;
    }
    if host.contains("/systemd/system") {
        // Only the PHP units and their drop-ins (dash-prefix ones such as `php8.2-.service.d/`
        // included) and the drop-ins for every service, not every service on the host.
        return host.contains("php") || host.contains("/service.d/");
    }
    if let Some(rest) = host.strip_prefix("/etc/php/") {
        // /etc/php/8.2/{cli,apache2,...} configure other SAPIs; FPM reads only fpm/.
        return rest.split('/').nth(1) == Some("fpm");
    }
    if host.contains("/sites-available/") || host.contains("/modules-available/") {
        // nginx reads the *-enabled links; the *-available copies count only when nothing is enabled.
        let enabled = disk.parent().and_then(Path::parent).map(|dir| {
            dir.join(if host.contains("/sites-") {
                "sites-enabled"
            } else {
                "modules-enabled"
            })
        });
        return !enabled.is_some_and(|dir| dir.is_dir());
    }
    true
}
