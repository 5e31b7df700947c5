//! Guess a file's kind from its host path, then from its content. The user can override.

use crate::source::FileKind;

/// Best guess for a file; `Unknown` when nothing fits.
pub fn detect_kind(path: &str, text: &str) -> FileKind {
    by_path(path).unwrap_or_else(|| by_content(text))
}

fn by_path(path: &str) -> Option<FileKind> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if name == "passwd" {
        return Some(FileKind::Passwd);
    }
    if name == "group" {
        return Some(FileKind::Group);
    }
    if name.starts_with("fs-snapshot") {
        return Some(FileKind::FsSnapshot);
    }
    if lower.contains("/nginx/") || name == "nginx.conf" || name == "fastcgi_params" {
        return Some(FileKind::Nginx);
    }
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    if lower.contains(".service.d/") && ext == "conf" {
        return Some(FileKind::SystemdDropin);
    }
    if ["service", "socket", "target", "timer", "mount", "slice"].contains(&ext) {
        return Some(FileKind::SystemdUnit);
    }
    if name == "php.ini"
        || name.starts_with("php.ini-")
        || lower.contains("/conf.d/") && ext == "ini"
    {
        return Some(FileKind::PhpIni);
    }
    if name == "php-fpm.conf" {
        return Some(FileKind::FpmGlobal);
    }
    if lower.contains("pool.d/") || lower.contains("php-fpm.d/") {
        return Some(FileKind::FpmPool);
    }
    if ext == "ini" {
        return Some(FileKind::PhpIni);
    }
    None
}

fn by_content(text: &str) -> FileKind {
    if let Some(kind) = evidence_kind(text) {
        return kind;
    }
    let mut ini_pool_hints = 0;
    let mut ini_php_hints = 0;
    let mut systemd_hints = 0;
    let mut nginx_hints = 0;
    let mut global_hint = false;
    for line in text.lines().take(400) {
        let line = line.trim();
        if line.starts_with("[Service]")
            || line.starts_with("[Unit]")
            || line.starts_with("[Install]")
        {
            systemd_hints += 3;
        }
        if line.starts_with("ExecStart=") || line.starts_with("ProtectSystem=") {
            systemd_hints += 1;
        }
        if line.eq_ignore_ascii_case("[global]") {
            global_hint = true;
        }
        let key = line.split('=').next().unwrap_or("").trim();
        if key.starts_with("pm")
            || key == "listen"
            || key.starts_with("listen.")
            || key.starts_with("php_admin_")
            || key.starts_with("php_value")
        {
            ini_pool_hints += 1;
        }
        if key == "engine"
            || key == "expose_php"
            || key == "memory_limit"
            || key == "disable_functions"
        {
            ini_php_hints += 1;
        }
        if line.ends_with('{')
            || line.starts_with("server ")
            || line.starts_with("location ")
            || line.starts_with("fastcgi_pass")
        {
            nginx_hints += 1;
        }
    }
    let best = [systemd_hints, ini_pool_hints, ini_php_hints, nginx_hints]
        .into_iter()
        .max()
        .unwrap_or(0);
    if best == 0 {
        return if global_hint {
            FileKind::FpmGlobal
        } else {
            FileKind::Unknown
        };
    }
    if systemd_hints == best {
        FileKind::SystemdUnit
    } else if ini_pool_hints == best {
        FileKind::FpmPool
    } else if nginx_hints == best {
        FileKind::Nginx
    } else {
        FileKind::PhpIni
    }
}

/// A snapshot (its header, or lines shaped like `find -printf '%M %u %g %U %G %p'`), or a
/// `getent passwd` / `getent group` listing: most of the first lines must fit, so a config
/// with one odd line is not taken for evidence.
fn evidence_kind(text: &str) -> Option<FileKind> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim_end())
        .filter(|l| !l.is_empty())
        .take(50)
        .collect();
    let first = lines.first()?;
    if first.starts_with(crate::model::fs::command::SNAPSHOT_HEADER) {
        return Some(FileKind::FsSnapshot);
    }
    let content: Vec<&str> = lines.into_iter().filter(|l| !l.starts_with('#')).collect();
    let majority = |fits: &dyn Fn(&str) -> bool| {
        let n = content.iter().filter(|l| fits(l)).count();
        n > 0 && n * 4 >= content.len() * 3
    };
    if majority(&|l| {
        l.split(' ')
            .next()
            .and_then(crate::syntax::snapshot::symbolic_mode)
            .is_some()
            && l.contains(" /")
    }) {
        return Some(FileKind::FsSnapshot);
    }
    let numeric =
        |f: Option<&str>| f.is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if majority(&|l| {
        let f: Vec<&str> = l.split(':').collect();
        f.len() == 7 && numeric(f.get(2).copied()) && numeric(f.get(3).copied())
    }) {
        return Some(FileKind::Passwd);
    }
    if majority(&|l| {
        let f: Vec<&str> = l.split(':').collect();
        f.len() == 4 && numeric(f.get(2).copied())
    }) {
        return Some(FileKind::Group);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_paths() {
        assert_eq!(
            detect_kind("/etc/php/8.2/fpm/pool.d/www.conf", ""),
            FileKind::FpmPool
        );
        assert_eq!(
            detect_kind("/etc/php/8.2/fpm/php-fpm.conf", ""),
            FileKind::FpmGlobal
        );
        assert_eq!(
            detect_kind("/etc/php/8.2/fpm/php.ini", ""),
            FileKind::PhpIni
        );
        assert_eq!(
            detect_kind("/etc/nginx/sites-enabled/shop", ""),
            FileKind::Nginx
        );
        assert_eq!(
            detect_kind("/lib/systemd/system/php8.2-fpm.service", ""),
            FileKind::SystemdUnit
        );
        assert_eq!(
            detect_kind("/etc/systemd/system/php8.2-fpm.service.d/override.conf", ""),
            FileKind::SystemdDropin
        );
    }

    #[test]
    fn content_fallback() {
        assert_eq!(
            detect_kind("paste", "[www]\nlisten = 9000\npm = dynamic\n"),
            FileKind::FpmPool
        );
        assert_eq!(
            detect_kind("paste", "server {\n listen 80;\n}\n"),
            FileKind::Nginx
        );
        assert_eq!(
            detect_kind("paste", "[Service]\nExecStart=/x\n"),
            FileKind::SystemdUnit
        );
        assert_eq!(
            detect_kind("paste", "# fpmaudit fs-snapshot v1\n"),
            FileKind::FsSnapshot
        );
        assert_eq!(
            detect_kind("paste", "drwxr-xr-x root root 0 0 /srv/shop\n"),
            FileKind::FsSnapshot
        );
        assert_eq!(
            detect_kind(
                "paste",
                "root:x:0:0:root:/root:/bin/bash\nshop:x:1001:1001::/srv:/bin/false\n"
            ),
            FileKind::Passwd
        );
        assert_eq!(
            detect_kind("paste", "root:x:0:\nsudo:x:27:alice\n"),
            FileKind::Group
        );
        assert_eq!(
            detect_kind("paste", "[www]\nuser = a:b:1:d\npm = static\n"),
            FileKind::FpmPool
        );
    }
}
