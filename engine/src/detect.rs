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
    }
}
