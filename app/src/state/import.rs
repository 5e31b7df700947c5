//! Files coming in from outside: a pasted dump (`nginx -T`, `systemctl cat`, `tail -n +1`)
//! becomes its files; a dropped file gets a host path from its name and kind (editable).

use fpmaudit_engine::FileKind;
use fpmaudit_engine::bundle;
use fpmaudit_engine::detect::detect_kind;

use super::EditorFile;

/// The one command the app suggests to gather a host's configs: `tail -n +1` prints every
/// file after a `==> path <==` header, which the paste splitter reads back into files.
pub const COLLECT_COMMAND: &str = "sudo tail -n +1 /etc/php/*/fpm/php-fpm.conf /etc/php/*/fpm/pool.d/*.conf /etc/php/*/fpm/php.ini /etc/nginx/nginx.conf /etc/nginx/sites-enabled/* /lib/systemd/system/php*-fpm.service /etc/systemd/system/php*-fpm.service.d/*.conf 2>/dev/null";

/// A host path for a file known only by its name (a dropped file, a folder's relative path).
pub fn host_path(name: &str, kind: FileKind) -> String {
    if name.starts_with('/') {
        return name.to_string();
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    match kind {
        FileKind::FpmGlobal => "/etc/php/8.2/fpm/php-fpm.conf".into(),
        FileKind::FpmPool => format!("/etc/php/8.2/fpm/pool.d/{base}"),
        FileKind::PhpIni if base == "php.ini" => "/etc/php/8.2/fpm/php.ini".into(),
        FileKind::PhpIni => format!("/etc/php/8.2/fpm/conf.d/{base}"),
        FileKind::Nginx if base == "nginx.conf" => "/etc/nginx/nginx.conf".into(),
        FileKind::Nginx => format!("/etc/nginx/sites-enabled/{base}"),
        FileKind::SystemdUnit => format!("/lib/systemd/system/{base}"),
        FileKind::SystemdDropin => format!("/etc/systemd/system/php8.2-fpm.service.d/{base}"),
        FileKind::Passwd => "/etc/passwd".into(),
        FileKind::Group => "/etc/group".into(),
        FileKind::FsSnapshot | FileKind::Unknown => format!("/{name}"),
    }
}

/// The files in one incoming text: a dump's files, or the text itself under `name`.
pub fn files_from(name: &str, text: &str) -> Vec<EditorFile> {
    if let Some(dumped) = bundle::split(text) {
        return dumped
            .into_iter()
            .map(|f| EditorFile {
                kind: detect_kind(&f.path, &f.text),
                path: f.path,
                text: f.text,
            })
            .collect();
    }
    let kind = detect_kind(name, text);
    vec![EditorFile {
        path: host_path(name, kind),
        kind,
        text: text.to_string(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_dump_becomes_its_files() {
        let dump = "==> /etc/php/8.2/fpm/pool.d/www.conf <==\n[www]\nlisten = 9000\n\n==> /etc/nginx/nginx.conf <==\nuser www-data;\n";
        let files = files_from("pasted", dump);
        let got: Vec<(&str, FileKind)> = files.iter().map(|f| (f.path.as_str(), f.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("/etc/php/8.2/fpm/pool.d/www.conf", FileKind::FpmPool),
                ("/etc/nginx/nginx.conf", FileKind::Nginx)
            ]
        );
        assert!(files[0].text.contains("listen = 9000"));
    }

    #[test]
    fn dropped_files_get_host_paths() {
        let pool = files_from(
            "shop.conf",
            "[shop]\nuser = shop\nlisten = /run/php/shop.sock\npm = ondemand\n",
        );
        assert_eq!(pool[0].path, "/etc/php/8.2/fpm/pool.d/shop.conf");
        assert_eq!(pool[0].kind, FileKind::FpmPool);
        let site = files_from(
            "sites/blog",
            "server {\n  listen 80;\n  root /srv/blog;\n}\n",
        );
        assert_eq!(site[0].kind, FileKind::Nginx);
        assert_eq!(site[0].path, "/etc/nginx/sites-enabled/blog");
        let unit = files_from(
            "php8.2-fpm.service",
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2\n",
        );
        assert_eq!(unit[0].path, "/lib/systemd/system/php8.2-fpm.service");
    }

    #[test]
    fn the_collect_command_output_shape_is_what_the_splitter_reads() {
        assert!(COLLECT_COMMAND.starts_with("sudo tail -n +1 "));
        assert!(!COLLECT_COMMAND.contains('\n'));
    }
}
