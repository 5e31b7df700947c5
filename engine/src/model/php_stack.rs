//! The PHP settings a pool's requests really run with: built-in default → php.ini and its scan
//! directory → pool `php_value`/`php_flag` → pool `php_admin_value`/`php_admin_flag`, each with
//! its origin. `disable_functions` is the union of every layer: a pool can add to it but never
//! re-enable a function.

use super::Origin;
use super::fpm::Section;
use super::php_ini::PhpIni;

/// Which layer an effective value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// PHP's compiled-in default; no file sets the key.
    Default,
    PhpIni,
    /// `php_value` or `php_flag` in the pool: the app can still change it (`ini_set`,
    /// `.user.ini`) when the key's modifiability allows.
    PoolValue,
    /// `php_admin_value` or `php_admin_flag`: locked for the app.
    PoolAdmin,
}

/// One effective PHP setting of a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhpSetting {
    pub value: String,
    pub layer: Layer,
    /// Where it was set; `None` for built-in defaults.
    pub origin: Option<Origin>,
}

/// Compiled-in defaults (PHP 8.2) of the keys the rules read, for when no file sets them.
const DEFAULTS: &[(&str, &str)] = &[
    ("allow_url_fopen", "1"),
    ("allow_url_include", "0"),
    ("cgi.fix_pathinfo", "1"),
    ("disable_functions", ""),
    ("display_errors", "1"),
    ("display_startup_errors", "1"),
    ("enable_dl", "0"),
    ("error_log", ""),
    ("expose_php", "1"),
    ("ffi.enable", "preload"),
    ("file_uploads", "1"),
    ("log_errors", "1"),
    ("max_execution_time", "30"),
    ("max_input_time", "-1"),
    ("memory_limit", "128M"),
    ("open_basedir", ""),
    ("opcache.restrict_api", ""),
    ("opcache.validate_permission", "0"),
    ("opcache.validate_root", "0"),
    ("post_max_size", "8M"),
    ("session.cookie_httponly", "0"),
    ("session.cookie_samesite", ""),
    ("session.cookie_secure", "0"),
    ("session.name", "PHPSESSID"),
    ("session.save_path", ""),
    ("session.use_cookies", "1"),
    ("session.use_only_cookies", "1"),
    ("session.use_strict_mode", "0"),
    ("session.use_trans_sid", "0"),
    ("sys_temp_dir", ""),
    ("upload_max_filesize", "2M"),
    ("upload_tmp_dir", ""),
];

/// The built-in default of a key, when we know it.
pub fn default_of(key: &str) -> Option<&'static str> {
    DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The effective value of `key` for requests served by `pool` (or, with no pool, by php.ini
/// alone). `None` when nothing sets the key and its default is unknown.
pub fn effective(ini: &PhpIni, pool: Option<&Section>, key: &str) -> Option<PhpSetting> {
    if key == "disable_functions" {
        return Some(disabled_functions(ini, pool));
    }
    if let Some(pool) = pool {
        if let Some(s) = pool.array("php_admin_value", key) {
            return Some(PhpSetting {
                value: s.value.clone(),
                layer: Layer::PoolAdmin,
                origin: Some(s.origin),
            });
        }
        if let Some(s) = pool.array("php_value", key) {
            return Some(PhpSetting {
                value: s.value.clone(),
                layer: Layer::PoolValue,
                origin: Some(s.origin),
            });
        }
    }
    if let Some(s) = ini.get(key) {
        return Some(PhpSetting {
            value: s.value.clone(),
            layer: Layer::PhpIni,
            origin: Some(s.origin),
        });
    }
    default_of(key).map(|v| PhpSetting {
        value: v.to_string(),
        layer: Layer::Default,
        origin: None,
    })
}

/// Every function disabled for the pool: php.ini's list plus the pool's additions. The origin
/// is the layer that added the most recent names (the pool when it adds any).
fn disabled_functions(ini: &PhpIni, pool: Option<&Section>) -> PhpSetting {
    let mut names: Vec<String> = Vec::new();
    let mut layer = Layer::Default;
    let mut origin = None;
    let ini_value = ini.get("disable_functions");
    let pool_values = pool.into_iter().flat_map(|p| {
        [
            ("php_value", Layer::PoolValue),
            ("php_admin_value", Layer::PoolAdmin),
        ]
        .into_iter()
        .filter_map(move |(d, l)| {
            p.array(d, "disable_functions")
                .map(|s| (s.value.as_str(), l, s.origin))
        })
    });
    let layers = ini_value
        .map(|s| (s.value.as_str(), Layer::PhpIni, s.origin))
        .into_iter()
        .chain(pool_values);
    for (value, l, o) in layers {
        for name in split_list(value) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_string());
            }
        }
        layer = l;
        origin = Some(o);
    }
    PhpSetting {
        value: names.join(","),
        layer,
        origin,
    }
}

/// Splits a comma (or blank) separated list as PHP does for `disable_functions`.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// PHP's reading of a boolean INI value: "1", "on", "yes", "true" (any case) are on; a number
/// is on when non-zero.
pub fn is_on(value: &str) -> bool {
    let v = value.trim();
    matches!(v.to_ascii_lowercase().as_str(), "on" | "yes" | "true")
        || v.parse::<i64>().is_ok_and(|n| n != 0)
}

/// Where a JIT is switched on for requests of `pool` (or php.ini alone), with the place:
/// what `MemoryDenyWriteExecute=` breaks (SYD-006, and the generated drop-in leaves it out).
pub fn jits(ini: &PhpIni, pool: Option<&Section>) -> Vec<(String, Option<Origin>)> {
    let mut found = Vec::new();
    let pcre = effective(ini, pool, "pcre.jit");
    let pcre_on = pcre.as_ref().is_none_or(|s| is_on(&s.value));
    if pcre_on {
        let origin = pcre.and_then(|s| s.origin);
        let what = if origin.is_some() {
            "pcre.jit is on"
        } else {
            "pcre.jit is on by default"
        };
        found.push((what.to_string(), origin));
    }
    let buffer = effective(ini, pool, "opcache.jit_buffer_size");
    let mode = effective(ini, pool, "opcache.jit");
    let enabled = effective(ini, pool, "opcache.enable").is_none_or(|s| is_on(&s.value));
    let sized = buffer.as_ref().is_some_and(|b| {
        b.value
            .trim()
            .trim_start_matches('0')
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    });
    let off = mode.as_ref().is_some_and(|m| {
        matches!(
            m.value.trim().to_ascii_lowercase().as_str(),
            "disable" | "off" | "0" | ""
        )
    });
    if enabled && sized && !off {
        let origin = buffer.and_then(|b| b.origin);
        found.push((
            "the OPcache JIT is active (opcache.jit_buffer_size > 0)".to_string(),
            origin,
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::source::{FileKind, SourceFile, SourceSet};

    #[test]
    fn admin_beats_value_beats_ini_and_disable_functions_accumulates() {
        let mut sources = SourceSet::new();
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/php.ini",
            "display_errors = On\nmemory_limit = 64M\ndisable_functions = exec, system\n",
            FileKind::PhpIni,
        ));
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/pool.d/a.conf",
            "[a]\nphp_flag[display_errors] = off\nphp_admin_value[memory_limit] = 256M\nphp_value[memory_limit] = 1G\nphp_admin_value[disable_functions] = passthru,exec\n",
            FileKind::FpmPool,
        ));
        let m = Model::build(&sources);
        let pool = m.fpm.pool("a");
        let get = |k| effective(&m.php_ini, pool, k).unwrap();
        assert_eq!(
            (get("display_errors").value, get("display_errors").layer),
            ("0".into(), Layer::PoolValue)
        );
        assert_eq!(
            (get("memory_limit").value, get("memory_limit").layer),
            ("256M".into(), Layer::PoolAdmin)
        );
        assert_eq!(get("disable_functions").value, "exec,system,passthru");
        assert_eq!(get("expose_php").layer, Layer::Default);
        assert_eq!(
            effective(&m.php_ini, None, "memory_limit").unwrap().value,
            "64M"
        );
        assert!(is_on("On") && is_on("1") && !is_on("") && !is_on("off") && !is_on("0"));
    }
}
