//! What the php.ini rules share: the effective value of a key for every pool, grouped by where
//! it comes from (so one php.ini line gives one finding, however many pools inherit it), the
//! place a finding about such a group belongs, PHP quantities, and the loaded extensions.

use super::fpm::Section;
use super::php_stack::{Layer, PhpSetting, effective};
use super::{Model, Origin, Parsed};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::source::{FileId, FileKind, SourceSet};
use crate::syntax::ini::{Entry, IniDoc, StatementKind, TokenKind};
use crate::text::TextRange;

/// Keys whose loss weakens a host when a php.ini syntax error keeps them from being applied.
pub const SECURITY_KEYS: &[&str] = &[
    "allow_url_fopen",
    "allow_url_include",
    "auto_append_file",
    "auto_prepend_file",
    "cgi.fix_pathinfo",
    "disable_classes",
    "disable_functions",
    "display_errors",
    "display_startup_errors",
    "enable_dl",
    "error_log",
    "expose_php",
    "ffi.enable",
    "file_uploads",
    "log_errors",
    "max_execution_time",
    "max_input_time",
    "max_input_vars",
    "memory_limit",
    "open_basedir",
    "opcache.restrict_api",
    "opcache.validate_permission",
    "opcache.validate_root",
    "phar.readonly",
    "post_max_size",
    "sys_temp_dir",
    "upload_max_filesize",
    "upload_tmp_dir",
    "user_ini.filename",
    "zend.assertions",
    "zend.exception_ignore_args",
];

/// Whether a key matters for security when it is not applied (`session.*` included).
pub fn is_security_key(key: &str) -> bool {
    SECURITY_KEYS.contains(&key) || key.starts_with("session.")
}

/// The pools (or php.ini alone, with no pool) that run with one effective value.
#[derive(Debug, Clone)]
pub struct ValueGroup<'a> {
    pub setting: PhpSetting,
    /// Empty when the audit has no FPM pool: the value is php.ini's (or PHP's default).
    pub pools: Vec<&'a Section>,
}

/// Whether a file of the audit decides `key`: the main php.ini was given, a given php.ini or
/// scan-directory file sets the key, or some pool sets it. When none holds, rules about the
/// key stay silent: the deciding file is missing.
pub fn decided(sources: &SourceSet, model: &Model, key: &str) -> bool {
    main_given(sources, model)
        || model.php_ini.get(key).is_some()
        || model.fpm.pools.iter().any(|p| pool_sets(p, key))
}

/// Whether the main php.ini (not only scan-directory files) is part of the audit.
pub fn main_given(sources: &SourceSet, model: &Model) -> bool {
    main_php_ini(sources, model)
        .and_then(|f| sources.get(f))
        .is_some_and(|f| !f.path.contains("/conf.d/"))
}

/// Whether the pool sets `key` with `php_value`/`php_flag`/`php_admin_value`/`php_admin_flag`.
pub fn pool_sets(pool: &Section, key: &str) -> bool {
    pool.array("php_value", key).is_some() || pool.array("php_admin_value", key).is_some()
}

/// The effective value of `key` per pool, one group per (origin, value); with no pool, one
/// group for php.ini alone. Groups follow pool order.
pub fn groups<'a>(model: &'a Model, key: &str) -> Vec<ValueGroup<'a>> {
    if model.fpm.pools.is_empty() {
        return effective(&model.php_ini, None, key)
            .map(|setting| ValueGroup {
                setting,
                pools: Vec::new(),
            })
            .into_iter()
            .collect();
    }
    let mut out: Vec<ValueGroup<'a>> = Vec::new();
    for pool in &model.fpm.pools {
        let Some(setting) = effective(&model.php_ini, Some(pool), key) else {
            continue;
        };
        match out
            .iter_mut()
            .find(|g| g.setting.origin == setting.origin && g.setting.value == setting.value)
        {
            Some(group) => group.pools.push(pool),
            None => out.push(ValueGroup {
                setting,
                pools: vec![pool],
            }),
        }
    }
    out
}

/// One place where a key's effective value is bad, with what a message needs.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub place: Place<'a>,
    pub setting: PhpSetting,
    /// Where the value comes from, as a clause (see [`provenance`]).
    pub provenance: String,
}

/// Every place where the effective value of `key` satisfies `bad`: one per origin, listing
/// the pools concerned. Empty when no file of the audit decides the key (see [`decided`]).
pub fn hits<'a>(
    sources: &SourceSet,
    model: &'a Model,
    key: &str,
    bad: impl Fn(&str) -> bool,
) -> Vec<Hit<'a>> {
    if !decided(sources, model, key) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for group in groups(model, key) {
        if !bad(&group.setting.value) {
            continue;
        }
        for place in places(sources, model, key, &group) {
            out.push(Hit {
                provenance: provenance(sources, model, key, &group.setting, place.kind),
                setting: group.setting.clone(),
                place,
            });
        }
    }
    out
}

/// What a finding's location is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// The line that sets the effective value.
    Setting,
    /// A line that sets the key after a php.ini syntax error: written, but not applied.
    NotApplied,
    /// A commented-out `;key = ...` line of the main php.ini: where the value would be set.
    CommentedOut,
    /// The pool's header: nothing sets the key for this pool.
    PoolHeader,
    /// The first line of php.ini, which does not set the key (and there is no pool).
    IniStart,
}

/// Where a finding about a group goes, and the pools it speaks for.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub file: FileId,
    pub range: TextRange,
    pub kind: PlaceKind,
    pub pools: Vec<&'a Section>,
}

/// The places for a group: its origin when a file sets the value; for a built-in default, a
/// line that sets the key but is not applied (after a syntax error), else the commented-out
/// line of php.ini, else every pool's header, else php.ini's first line.
pub fn places<'a>(
    sources: &SourceSet,
    model: &Model,
    key: &str,
    group: &ValueGroup<'a>,
) -> Vec<Place<'a>> {
    if let Some(origin) = group.setting.origin {
        return vec![Place {
            file: origin.file,
            range: origin_span(origin),
            kind: PlaceKind::Setting,
            pools: group.pools.clone(),
        }];
    }
    if let Some((file, range)) = not_applied(sources, model, key) {
        return vec![Place {
            file,
            range,
            kind: PlaceKind::NotApplied,
            pools: group.pools.clone(),
        }];
    }
    let main = main_php_ini(sources, model);
    if let Some(file) = main
        && let Some(range) = commented_out(sources, model, file, key)
    {
        return vec![Place {
            file,
            range,
            kind: PlaceKind::CommentedOut,
            pools: group.pools.clone(),
        }];
    }
    if !group.pools.is_empty() {
        return group
            .pools
            .iter()
            .filter_map(|pool| {
                let (file, range) = pool.anchor()?;
                Some(Place {
                    file,
                    range,
                    kind: PlaceKind::PoolHeader,
                    pools: vec![*pool],
                })
            })
            .collect();
    }
    main.and_then(|file| {
        let source = sources.get(file)?;
        Some(Place {
            file,
            range: source.line_index.line_range(0, &source.text),
            kind: PlaceKind::IniStart,
            pools: Vec::new(),
        })
    })
    .into_iter()
    .collect()
}

/// From the start of a statement to the end of its value (without the trailing comment).
pub fn origin_span(origin: Origin) -> TextRange {
    TextRange::new(
        origin.statement.start,
        origin.value.end.max(origin.statement.start),
    )
}

/// Where a value comes from, as a clause for messages ("set in php.ini", "PHP's default …").
pub fn provenance(
    sources: &SourceSet,
    model: &Model,
    key: &str,
    setting: &PhpSetting,
    kind: PlaceKind,
) -> String {
    let main_given = main_given(sources, model);
    let shown = if setting.value.is_empty() {
        "empty".to_string()
    } else {
        format!("`{}`", setting.value)
    };
    match (setting.layer, kind) {
        (Layer::PhpIni, _) => match setting
            .origin
            .and_then(|o| sources.get(o.file))
            .map(|f| f.path.as_str())
        {
            Some(path) if path.contains("/conf.d/") => format!("set in {path}"),
            _ => "set in php.ini".into(),
        },
        (Layer::PoolValue, _) => "set by the pool's php_value/php_flag".into(),
        (Layer::PoolAdmin, _) => "set by the pool's php_admin_value/php_admin_flag".into(),
        (Layer::Default, PlaceKind::NotApplied) => format!(
            "written here but not applied, because a syntax error earlier in the file stops PHP reading it, so PHP's default ({shown}) applies"
        ),
        (Layer::Default, PlaceKind::CommentedOut) => {
            format!("commented out in php.ini, so PHP's default ({shown}) applies")
        }
        (Layer::Default, _) if main_given => {
            format!("set nowhere, so PHP's default ({shown}) applies")
        }
        (Layer::Default, PlaceKind::PoolHeader) => format!(
            "not set by the pool; php.ini was not given, so unless it sets `{key}` PHP's default ({shown}) applies"
        ),
        (Layer::Default, _) => format!(
            "not set; the main php.ini was not given, so unless it sets `{key}` PHP's default ({shown}) applies"
        ),
    }
}

/// " for pool [a]", " for pools [a], [b]", or "" when the audit has no pool.
pub fn for_pools(pools: &[&Section]) -> String {
    match pools {
        [] => String::new(),
        [one] => format!(" for pool [{}]", one.name),
        many => format!(" for pools {}", names(many)),
    }
}

/// "[a], [b]".
pub fn names(pools: &[&Section]) -> String {
    pools
        .iter()
        .map(|p| format!("[{}]", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A fix replacing the effective value, when a file sets it.
pub fn replace_value(setting: &PhpSetting, replacement: &str, safety: Safety) -> Option<Fix> {
    let origin = setting.origin?;
    Some(Fix {
        title: format!("set it to `{replacement}`"),
        safety,
        edits: vec![Edit {
            file: origin.file,
            range: origin.value,
            replacement: replacement.to_string(),
        }],
    })
}

/// The main php.ini (not a scan-directory file): the file that would settle a default.
pub fn main_php_ini(sources: &SourceSet, model: &Model) -> Option<FileId> {
    // FPM's own php.ini first when several SAPIs' files are given.
    let mut files: Vec<(bool, bool, &str, FileId)> = php_ini_docs(sources, model)
        .into_iter()
        .filter_map(|(file, _)| {
            let path = sources.get(file)?.path.as_str();
            Some((
                path.contains("/conf.d/"),
                !path.contains("/fpm/"),
                path,
                file,
            ))
        })
        .collect();
    crate::sort::sort(&mut files);
    files.first().map(|(_, _, _, file)| *file)
}

/// The php.ini files PHP reads, in its reading order (php.ini, then the scan directory in
/// alphabetical order). `mods-available` files are left out: Debian only loads them through
/// the symlinks in `conf.d`.
pub fn php_ini_docs<'m>(sources: &SourceSet, model: &'m Model) -> Vec<(FileId, &'m IniDoc)> {
    let mut files: Vec<(bool, String, FileId, &IniDoc)> = model
        .parsed
        .iter()
        .filter_map(|(id, parsed)| {
            let file = sources.get(*id)?;
            match parsed {
                Parsed::Ini(doc)
                    if file.kind == FileKind::PhpIni && !file.path.contains("/mods-available/") =>
                {
                    Some((file.path.contains("/conf.d/"), file.path.clone(), *id, doc))
                }
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by(&mut files, |a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    files.into_iter().map(|(_, _, id, doc)| (id, doc)).collect()
}

/// The last `;key = ...` comment of a php.ini file (the key right after the `;`), where the
/// distribution documents the key and a person would set it.
pub fn commented_out(
    sources: &SourceSet,
    model: &Model,
    file: FileId,
    key: &str,
) -> Option<TextRange> {
    let text = &sources.get(file)?.text;
    let Some(Parsed::Ini(doc)) = model.parsed(file) else {
        return None;
    };
    doc.tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .filter(|t| {
            let body = t.range.slice(text).trim_start_matches(';');
            body.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|t| t.range)
        .next_back()
}

/// The last php.ini line that assigns `key` but that PHP does not apply (it follows a syntax
/// error), from the start of the line to the end of its value.
pub fn not_applied(sources: &SourceSet, model: &Model, key: &str) -> Option<(FileId, TextRange)> {
    php_ini_docs(sources, model)
        .into_iter()
        .flat_map(|(file, doc)| {
            doc.statements
                .iter()
                .filter(|s| !s.applied)
                .filter_map(move |s| match &s.kind {
                    StatementKind::Entry(e) if e.key == key && e.offset.is_none() => {
                        let end = e.value.as_ref().map_or(e.key_range.end, |v| v.range.end);
                        Some((file, TextRange::new(s.range.start, end)))
                    }
                    _ => None,
                })
        })
        .next_back()
}

/// One `extension=`/`zend_extension=` line PHP applies.
#[derive(Debug, Clone)]
pub struct LoadedExtension {
    /// The name without directory, `php_` prefix or `.so`/`.dll` suffix, lower case.
    pub name: String,
    pub zend: bool,
    pub origin: Origin,
    pub key_range: TextRange,
}

/// Every extension php.ini and its scan directory load, in reading order. Lines after a
/// syntax error and inside `[PATH=]`/`[HOST=]` sections are not loads.
pub fn loaded_extensions(sources: &SourceSet, model: &Model) -> Vec<LoadedExtension> {
    let mut out = Vec::new();
    for (file, doc) in php_ini_docs(sources, model) {
        let mut special = false;
        for statement in doc.statements.iter().filter(|s| s.applied) {
            match &statement.kind {
                StatementKind::Section { name, .. } => {
                    let upper = name.to_ascii_uppercase();
                    special |= upper.starts_with("PATH") || upper.starts_with("HOST");
                }
                StatementKind::Entry(entry) if !special => {
                    if let Some(ext) = extension_of(file, statement.range, entry) {
                        out.push(ext);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn extension_of(file: FileId, statement: TextRange, entry: &Entry) -> Option<LoadedExtension> {
    let zend = match entry.key.as_str() {
        "extension" => false,
        "zend_extension" => true,
        _ => return None,
    };
    let value = entry.value.as_ref()?;
    Some(LoadedExtension {
        name: extension_name(&value.text),
        zend,
        origin: Origin {
            file,
            statement,
            value: value.range,
        },
        key_range: entry.key_range,
    })
}

/// `/usr/lib/php/20220829/xdebug.so` → `xdebug`; `php_xdebug.dll` → `xdebug`.
pub fn extension_name(value: &str) -> String {
    let base = value.trim().rsplit(['/', '\\']).next().unwrap_or("");
    let lower = base.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".so")
        .or_else(|| lower.strip_suffix(".dll"))
        .unwrap_or(&lower);
    stem.strip_prefix("php_").unwrap_or(stem).to_string()
}

/// A PHP quantity (`128M`, `-1`, `0`, `2G`) in bytes; `None` when PHP would warn about it.
pub fn quantity(value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return Some(0);
    }
    let (digits, factor) = match v.chars().last() {
        Some('k' | 'K') => (v.get(..v.len() - 1)?, 1024_i64),
        Some('m' | 'M') => (v.get(..v.len() - 1)?, 1024 * 1024),
        Some('g' | 'G') => (v.get(..v.len() - 1)?, 1024 * 1024 * 1024),
        _ => (v, 1),
    };
    digits.trim().parse::<i64>().ok()?.checked_mul(factor)
}

/// The directories of an `open_basedir` value (`:`-separated on Unix), blanks dropped.
pub fn basedir_entries(value: &str) -> impl Iterator<Item = &str> {
    value.split(':').map(str::trim).filter(|e| !e.is_empty())
}

/// PHP's `open_basedir` test is a string prefix test: an entry admits every path that starts
/// with it, so `/srv/shop` admits `/srv/shop-admin`. Whether `entry` admits the directory
/// `dir` and everything in it.
pub fn admits(entry: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    format!("{dir}/").starts_with(entry) || dir == entry.trim_end_matches('/')
}

/// Temp and system locations that many apps legitimately list in `open_basedir`.
const SHARED_DIRS: &[&str] = &[
    "/tmp",
    "/var/tmp",
    "/dev/shm",
    "/dev/urandom",
    "/usr/share/php",
    "/usr/share/pear",
    "/usr/share/zoneinfo",
    "/usr/lib/php",
    "/etc/ssl",
    "/proc",
];

/// Whether an entry is a temp or system location rather than an app's tree.
pub fn is_shared_dir(entry: &str) -> bool {
    let e = entry.trim_end_matches('/');
    SHARED_DIRS
        .iter()
        .any(|s| e == *s || e.starts_with(&format!("{s}/")))
}

/// Top-level directories that hold system files or many users' and apps' trees.
const TOP_LEVEL: &[&str] = &[
    "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/root",
    "/run", "/sbin", "/srv", "/sys", "/usr", "/var", "/www",
];

/// Common parents of several web apps.
const WEB_PARENTS: &[&str] = &[
    "/var/www",
    "/srv/www",
    "/srv/http",
    "/usr/share/nginx",
    "/usr/local/www",
    "/var/lib",
    "/home/httpd",
    "/www/wwwroot",
];

/// Why an `open_basedir` entry admits far more than one app: `/`, a top-level directory
/// (`/home`, `/srv`, `/var`), or a usual parent of web roots (`/var/www`). `None` for an
/// ordinary entry; temp directories are not broad, and neither is a top-level directory that
/// is usually one app's tree (`/app` in a container).
pub fn broad_entry(entry: &str) -> Option<&'static str> {
    let e = entry.trim_end_matches('/');
    if e.is_empty() {
        return Some("the whole filesystem");
    }
    if TOP_LEVEL.contains(&e) {
        return Some("a top-level directory");
    }
    WEB_PARENTS
        .contains(&e)
        .then_some("a directory that usually holds several apps")
}

/// Where a pool gets `setting`: the line that sets it, or the pool's header when the value
/// is PHP's default.
pub fn pool_place(pool: &Section, setting: &PhpSetting) -> Option<(FileId, TextRange)> {
    setting
        .origin
        .map(|o| (o.file, origin_span(o)))
        .or_else(|| pool.anchor())
}

/// A directory of a pool as the host sees it: relative paths resolved against the pool's
/// `chdir` (PHP does not join these keys to FPM's prefix), then put under its `chroot`;
/// trailing `/` dropped.
pub fn host_dir(pool: &Section, path: &str) -> String {
    let path = path.trim();
    let absolute = if path.starts_with('/') {
        path.to_string()
    } else {
        let cwd = pool.get("chdir").map_or("/", |s| s.value.as_str());
        format!("{}/{path}", cwd.trim_end_matches('/'))
    };
    let root = pool
        .get("chroot")
        .map_or("", |s| s.value.trim().trim_end_matches('/'));
    let joined = format!("{root}{absolute}");
    let trimmed = joined.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// An absolute `open_basedir` entry as the host sees it: under the pool's `chroot`, with its
/// trailing `/` (or its absence) kept, since PHP compares prefixes.
pub fn host_entry(pool: &Section, entry: &str) -> String {
    let root = pool
        .get("chroot")
        .map_or("", |s| s.value.trim().trim_end_matches('/'));
    format!("{root}{}", entry.trim())
}

/// The directory of a `session.save_path` (`N;MODE;/path` keeps the path after the last `;`).
pub fn session_dir(save_path: &str) -> &str {
    save_path.rsplit(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn quantities_and_prefixes() {
        assert_eq!(quantity("128M"), Some(128 * 1024 * 1024));
        assert_eq!(quantity("-1"), Some(-1));
        assert_eq!(quantity("0"), Some(0));
        assert_eq!(quantity("1g"), Some(1 << 30));
        assert_eq!(quantity("128MB"), None);
        assert!(admits("/srv/shop", "/srv/shop-admin"));
        assert!(!admits("/srv/shop/", "/srv/shop-admin"));
        assert!(admits("/srv/shop/", "/srv/shop"));
        assert!(admits("/srv/", "/srv/shop/"));
        assert_eq!(broad_entry("/"), Some("the whole filesystem"));
        assert!(broad_entry("/home").is_some() && broad_entry("/var/www/").is_some());
        assert_eq!(broad_entry("/tmp"), None);
        assert_eq!(broad_entry("/var/www/shop/"), None);
        assert_eq!(extension_name("/usr/lib/php/20220829/xdebug.so"), "xdebug");
        assert_eq!(extension_name("php_xdebug.dll"), "xdebug");
    }

    #[test]
    fn groups_share_php_ini_origins_and_places_follow_comments() {
        let mut sources = SourceSet::new();
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/php.ini",
            "[PHP]\nexpose_php = On\n;open_basedir =\n",
            FileKind::PhpIni,
        ));
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/pool.d/a.conf",
            "[a]\n[b]\n[c]\nphp_admin_flag[expose_php] = off\n",
            FileKind::FpmPool,
        ));
        let model = Model::build(&sources);
        let g = groups(&model, "expose_php");
        assert_eq!(g.len(), 2);
        assert_eq!(g.first().map(|g| g.pools.len()), Some(2));
        let g = groups(&model, "open_basedir");
        assert_eq!(g.len(), 1);
        let p = g
            .first()
            .map(|g| places(&sources, &model, "open_basedir", g))
            .unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p.first().map(|p| p.kind), Some(PlaceKind::CommentedOut));
    }
}
