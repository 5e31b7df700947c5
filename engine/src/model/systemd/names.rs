//! Unit names and the places systemd looks for a unit's files, as `unit-name.c`, `path-lookup.c`
//! and `dropin.c` of systemd 252 define them.

/// The system unit search path in systemd's order, highest priority first (`systemd-analyze
/// unit-paths` on Debian 12, where `/lib` is searched before `/usr/lib`). `system.control` is
/// where `systemctl set-property` writes, `system.attached` holds portable services.
pub const SEARCH_PATH: [&str; 13] = [
    "/etc/systemd/system.control",
    "/run/systemd/system.control",
    "/run/systemd/transient",
    "/run/systemd/generator.early",
    "/etc/systemd/system",
    "/etc/systemd/system.attached",
    "/run/systemd/system",
    "/run/systemd/system.attached",
    "/run/systemd/generator",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/run/systemd/generator.late",
];

/// Unit types systemd knows; a name must end in one of them.
pub const UNIT_TYPES: [&str; 11] = [
    "service",
    "mount",
    "swap",
    "socket",
    "target",
    "device",
    "automount",
    "timer",
    "path",
    "slice",
    "scope",
];

/// systemd's `UNIT_NAME_MAX` includes the terminating NUL.
const UNIT_NAME_MAX: usize = 255;

fn valid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ":-_.\\".contains(c)
}

/// A valid unit name split into its parts: `prefix[@instance].type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName<'a> {
    pub prefix: &'a str,
    /// `None` for a plain name, `Some("")` for a template, `Some(i)` for an instance.
    pub instance: Option<&'a str>,
    pub unit_type: &'a str,
}

impl<'a> UnitName<'a> {
    /// Parses a name the way `unit_name_is_valid(…, UNIT_NAME_ANY)` accepts it.
    pub fn parse(name: &'a str) -> Option<Self> {
        if name.is_empty() || name.len() > UNIT_NAME_MAX {
            return None;
        }
        let (stem, unit_type) = name.rsplit_once('.')?;
        if !UNIT_TYPES.contains(&unit_type) {
            return None;
        }
        let (prefix, instance) = match stem.split_once('@') {
            Some((prefix, instance)) => (prefix, Some(instance)),
            None => (stem, None),
        };
        if !prefix_is_valid(prefix) {
            return None;
        }
        if let Some(instance) = instance
            && !instance.chars().all(|c| valid_char(c) || c == '@')
        {
            return None;
        }
        Some(Self {
            prefix,
            instance,
            unit_type,
        })
    }

    pub fn is_template(&self) -> bool {
        self.instance == Some("")
    }

    pub fn is_instance(&self) -> bool {
        self.instance.is_some_and(|i| !i.is_empty())
    }

    /// `foo@.service` for `foo@bar.service`.
    pub fn template(&self) -> Option<String> {
        self.is_instance()
            .then(|| format!("{}@.{}", self.prefix, self.unit_type))
    }
}

/// `unit_prefix_is_valid()`: non-empty, only name characters.
fn prefix_is_valid(prefix: &str) -> bool {
    !prefix.is_empty() && prefix.chars().all(valid_char)
}

/// The names whose `<name>.d/` directories hold drop-ins for `name` inside one search
/// directory, most specific first: the name, its template, then the dash prefixes
/// (`a-b-c.service` → `a-b-.service`, `a-.service`), each with their own template. This is
/// `unit_file_find_dirs()` of systemd 252; the type-level `service.d/` comes from
/// [`dropin_dir_names`] after every search directory.
fn find_dirs(name: &str, out: &mut Vec<String>, depth: usize) {
    // A name shrinks at every step, so this ends; the bound keeps hostile names cheap.
    if depth > 64 {
        return;
    }
    out.push(name.to_string());
    let Some(parsed) = UnitName::parse(name) else {
        return;
    };
    if let Some(template) = parsed.template() {
        find_dirs(&template, out, depth + 1);
    }
    let mut prefix = parsed.prefix;
    let mut chopped = false;
    loop {
        let Some(dash) = prefix.rfind('-') else {
            return;
        };
        if dash == 0 {
            return;
        }
        if dash + 1 < prefix.len() || chopped {
            prefix = prefix.get(..=dash).unwrap_or("");
            break;
        }
        // A trailing dash is chopped off once and the search goes on.
        prefix = prefix.get(..dash).unwrap_or("");
        chopped = true;
    }
    if !prefix_is_valid(prefix) {
        return;
    }
    let built = match parsed.instance.filter(|i| !i.is_empty()) {
        Some(instance) => format!("{prefix}@{instance}.{}", parsed.unit_type),
        None => format!("{prefix}.{}", parsed.unit_type),
    };
    find_dirs(&built, out, depth + 1);
}

/// Every `<x>.d` directory name (without `.d`) that may hold drop-ins for `name`, for one
/// search directory, in systemd's order. The type-level name (`service`) is not included: it
/// is searched after all directories, see [`crate::model::systemd`].
pub fn dropin_dir_names(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    find_dirs(name, &mut out, 0);
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// Whether `file_name` is a drop-in systemd reads: `*.conf`, not hidden (`conf_files_list()`
/// skips names starting with a dot).
pub(super) fn is_dropin_file_name(file_name: &str) -> bool {
    // Case-sensitive on purpose: systemd reads `*.conf` only.
    std::path::Path::new(file_name)
        .extension()
        .is_some_and(|e| e == "conf")
        && !file_name.starts_with('.')
}

/// `(directory, file name)` of a path; the directory has no trailing slash.
pub(super) fn split_path(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((dir, file)) => (dir, file),
        None => ("", path),
    }
}
