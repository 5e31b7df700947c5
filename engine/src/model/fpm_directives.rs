//! The directives PHP-FPM knows, their scope and how FPM reads their values
//! (`fpm_conf.c`: `ini_fpm_global_options`, `ini_fpm_pool_options` and the `fpm_conf_set_*`
//! setters).

/// How FPM converts a directive's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Kept as written (after `$pool` expansion).
    Str,
    /// After INI scanning `"1"` or `""`, or (8.2.20+) one of the lower-case words.
    Bool,
    /// Optional `-` and digits, nothing else.
    Int,
    /// An integer with an optional `s`, `m`, `h` or `d` suffix, stored in seconds.
    Time,
    /// A non-negative integer or `unlimited`.
    RlimitCore,
    /// One of a fixed set of words, case-insensitive.
    Enum(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectiveSpec {
    pub name: &'static str,
    pub scope: Scope,
    pub ty: ValueType,
}

const fn spec(name: &'static str, scope: Scope, ty: ValueType) -> DirectiveSpec {
    DirectiveSpec { name, scope, ty }
}

use Scope::{Global, Pool};
use ValueType::{Bool, Enum, Int, RlimitCore, Str, Time};

const LOG_LEVELS: &[&str] = &["alert", "error", "warning", "warn", "notice", "debug"];
const PM: &[&str] = &["static", "dynamic", "ondemand"];
const FACILITIES: &[&str] = &[
    "auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "news", "syslog", "user",
    "uucp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];
const EVENTS: &[&str] = &["select", "poll", "epoll", "kqueue", "/dev/poll", "port"];

/// Every scalar directive, global and per pool. (`include` and the array directives are
/// handled separately.)
pub const DIRECTIVES: &[DirectiveSpec] = &[
    spec("pid", Global, Str),
    spec("error_log", Global, Str),
    spec("syslog.ident", Global, Str),
    spec("syslog.facility", Global, Enum(FACILITIES)),
    spec("log_buffering", Global, Bool),
    spec("log_level", Global, Enum(LOG_LEVELS)),
    spec("log_limit", Global, Int),
    spec("emergency_restart_threshold", Global, Int),
    spec("emergency_restart_interval", Global, Time),
    spec("process_control_timeout", Global, Time),
    spec("process.max", Global, Int),
    spec("process.priority", Global, Int),
    spec("daemonize", Global, Bool),
    spec("rlimit_files", Global, Int),
    spec("rlimit_core", Global, RlimitCore),
    spec("events.mechanism", Global, Enum(EVENTS)),
    spec("systemd_interval", Global, Time),
    spec("prefix", Pool, Str),
    spec("user", Pool, Str),
    spec("group", Pool, Str),
    spec("listen", Pool, Str),
    spec("listen.backlog", Pool, Int),
    spec("listen.acl_users", Pool, Str),
    spec("listen.acl_groups", Pool, Str),
    spec("listen.owner", Pool, Str),
    spec("listen.group", Pool, Str),
    spec("listen.mode", Pool, Str),
    spec("listen.allowed_clients", Pool, Str),
    spec("listen.setfib", Pool, Int),
    spec("process.priority", Pool, Int),
    spec("process.dumpable", Pool, Bool),
    spec("pm", Pool, Enum(PM)),
    spec("pm.max_children", Pool, Int),
    spec("pm.start_servers", Pool, Int),
    spec("pm.min_spare_servers", Pool, Int),
    spec("pm.max_spare_servers", Pool, Int),
    spec("pm.max_spawn_rate", Pool, Int),
    spec("pm.process_idle_timeout", Pool, Time),
    spec("pm.max_requests", Pool, Int),
    spec("pm.status_path", Pool, Str),
    spec("pm.status_listen", Pool, Str),
    spec("ping.path", Pool, Str),
    spec("ping.response", Pool, Str),
    spec("access.log", Pool, Str),
    spec("access.format", Pool, Str),
    spec("slowlog", Pool, Str),
    spec("request_slowlog_timeout", Pool, Time),
    spec("request_slowlog_trace_depth", Pool, Int),
    spec("request_terminate_timeout", Pool, Time),
    spec("request_terminate_timeout_track_finished", Pool, Bool),
    spec("rlimit_files", Pool, Int),
    spec("rlimit_core", Pool, RlimitCore),
    spec("chroot", Pool, Str),
    spec("chdir", Pool, Str),
    spec("catch_workers_output", Pool, Bool),
    spec("decorate_workers_output", Pool, Bool),
    spec("clear_env", Pool, Bool),
    spec("security.limit_extensions", Pool, Str),
    spec("apparmor_hat", Pool, Str),
];

/// The spec of a scalar directive in a scope (names are case-insensitive).
pub fn lookup(name: &str, scope: Scope) -> Option<&'static DirectiveSpec> {
    DIRECTIVES
        .iter()
        .find(|d| d.scope == scope && d.name.eq_ignore_ascii_case(name))
}

/// What FPM stores for a value of this type, in the form `php-fpm -tt` prints it, or why FPM
/// refuses it.
pub fn typed_value(ty: ValueType, value: &str) -> Result<String, String> {
    match ty {
        Str => Ok(value.to_string()),
        // Since php-src PR #13786 (8.2.20+) the textual forms are accepted too, so values from
        // quotes or `${ENV}` work; the comparison is case-sensitive.
        Bool => match value {
            "1" | "yes" | "true" | "on" => Ok("yes".into()),
            "" | "0" | "no" | "false" | "off" => Ok("no".into()),
            _ => Err(format!("invalid boolean value '{value}'")),
        },
        Int => {
            // FPM checks every character; an empty value passes and reads as 0.
            let digits = value.strip_prefix('-').unwrap_or(value);
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid numeric value '{value}'"));
            }
            Ok(atoi(value).to_string())
        }
        Time => {
            let (number, multiplier) = match value.as_bytes().last() {
                Some(b's') => (value.get(..value.len() - 1).unwrap_or(""), 1),
                Some(b'm') => (value.get(..value.len() - 1).unwrap_or(""), 60),
                Some(b'h') => (value.get(..value.len() - 1).unwrap_or(""), 3600),
                Some(b'd') => (value.get(..value.len() - 1).unwrap_or(""), 86400),
                Some(b) if b.is_ascii_digit() => (value, 1),
                Some(_) => return Err(format!("unknown suffix in time value '{value}'")),
                None => return Err("empty time value".into()),
            };
            Ok(format!("{}s", atoi(number).saturating_mul(multiplier)))
        }
        RlimitCore => {
            if value.eq_ignore_ascii_case("unlimited") {
                return Ok("unlimited".into());
            }
            match typed_value(Int, value) {
                Ok(v) if atoi(&v) >= 0 => Ok(v),
                _ => Err(format!("invalid rlimit_core value '{value}'")),
            }
        }
        Enum(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(value))
            .map(|w| (*w).to_string())
            .ok_or_else(|| format!("invalid value '{value}'")),
    }
}

/// C's `atoi`: optional sign, leading digits, 0 when there are none.
pub fn atoi(value: &str) -> i64 {
    let trimmed = value.trim_start();
    let (sign, rest) = match trimmed.as_bytes().first() {
        Some(b'-') => (-1, trimmed.get(1..).unwrap_or("")),
        Some(b'+') => (1, trimmed.get(1..).unwrap_or("")),
        _ => (1, trimmed),
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest.get(..end)
        .and_then(|d| d.parse::<i64>().ok())
        .map_or(0, |v| sign * v)
}
