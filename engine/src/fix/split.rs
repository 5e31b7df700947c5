//! Splitting a shared pool: every site that shares one FPM pool with another site gets a pool
//! of its own — its own unix user, socket, session, upload and temp directories, and an
//! `open_basedir` around its own tree — and its `fastcgi_pass` is pointed at the new socket.
//! What configuration cannot do (users, directories, ownership) goes into a provisioning
//! script for a person to review and run.

use std::fmt::Write as _;

use crate::diagnostic::Edit;
use crate::model::Model;
use crate::model::fastcgi::{backends, pools_at, served_root, server_label};
use crate::model::fpm::Section;
use crate::model::fpm_values::as_written;
use crate::model::listen::Listen;
use crate::source::{FileKind, SourceSet};

/// Where the provisioning script is written (mirrored under `fix --out DIR`).
pub const PROVISION_PATH: &str = "/root/fpmaudit-provision.sh";

/// Pool directives that belong to the new pool's identity or logs, so they are not copied.
/// (`pm.status_path` is: each pool keeps its own status page behind nginx's allow-list.)
const NOT_COPIED: &[&str] = &[
    "user",
    "group",
    "listen",
    "listen.owner",
    "listen.group",
    "listen.mode",
    "listen.acl_users",
    "listen.acl_groups",
    "listen.allowed_clients",
    "slowlog",
    "access.log",
    "pm.status_listen",
    "chroot",
    "chdir",
    "prefix",
];

/// PHP settings the split sets itself.
const SET_HERE: &[&str] = &[
    "open_basedir",
    "session.save_path",
    "upload_tmp_dir",
    "sys_temp_dir",
    "error_log",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub path: String,
    pub kind: FileKind,
    pub text: String,
}

/// One site moved to its own pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub name: String,
    pub site: String,
    pub from_pool: String,
    pub socket: String,
    /// The site's tree (`/srv/blog` for a root of `/srv/blog/public`).
    pub tree: String,
    /// The new pool file, and the nginx files whose `fastcgi_pass` changed.
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub apps: Vec<App>,
    pub files: Vec<NewFile>,
    /// `fastcgi_pass` rewrites in the sites' files.
    pub edits: Vec<Edit>,
}

/// A pool name from a server name: `blog.example.org` → `blog`; unique among `taken`.
fn app_name(label: &str, taken: &[String]) -> String {
    let first = label.split(['.', ' ']).next().unwrap_or("");
    let mut base: String = first
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if base.is_empty() || base == "www" || !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = format!("site{}", taken.len() + 1);
    }
    base.truncate(28);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// The app's tree: the document root, or its parent when the root is a public subfolder.
fn tree_of(root: &str) -> String {
    let root = root.trim_end_matches('/');
    match root.rsplit_once('/') {
        Some((parent, last))
            if !parent.is_empty()
                && matches!(
                    last,
                    "public" | "web" | "htdocs" | "html" | "www" | "public_html"
                ) =>
        {
            parent.to_string()
        }
        _ => root.to_string(),
    }
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

pub fn split_shared_pools(sources: &SourceSet, model: &Model) -> Split {
    let mut split = Split::default();
    let mut taken: Vec<String> = model.fpm.pools.iter().map(|p| p.name.clone()).collect();
    let web_user = model.nginx.worker_user().unwrap_or("www-data").to_string();
    for group in backends(&model.nginx) {
        let servers = group.servers();
        let Some(first) = group.uses.first() else {
            continue;
        };
        let pools = pools_at(&model.fpm, &first.backend.endpoint);
        let [pool] = pools.as_slice() else {
            continue;
        };
        let mut roots: Vec<String> = group
            .uses
            .iter()
            .map(|u| served_root(&model.nginx, u.location))
            .collect();
        crate::sort::sort(&mut roots);
        roots.dedup();
        if servers.len() < 2 || roots.len() < 2 || !roots.iter().all(|r| r.starts_with('/')) {
            continue;
        }
        // Each server's uses, gathered once (a scan per server is quadratic on big hosts).
        let mut by_server: std::collections::BTreeMap<usize, Vec<_>> =
            std::collections::BTreeMap::new();
        for u in &group.uses {
            by_server.entry(u.server).or_default().push(u);
        }
        for server in servers {
            let uses = by_server.remove(&server).unwrap_or_default();
            let Some(first_use) = uses.first() else {
                continue;
            };
            let label = server_label(&model.nginx, server);
            let name = app_name(&label, &taken);
            taken.push(name.clone());
            let socket = match Listen::parse(pool.get("listen").map_or("", |l| l.value.as_str())) {
                Listen::Unix(path) if !dir_of(&path).is_empty() => {
                    format!("{}/{name}.sock", dir_of(&path))
                }
                _ => format!("/run/php/{name}.sock"),
            };
            let dir = pool
                .anchor()
                .and_then(|(file, _)| sources.get(file))
                .map_or("/etc/php/8.2/fpm/pool.d", |f| dir_of(&f.path))
                .to_string();
            let mut paths = vec![format!("{dir}/{name}.conf")];
            for u in &uses {
                if let Some(arg) = u.pass.setting.arg_origin(0) {
                    if let Some(file) = sources.get(arg.file)
                        && !paths.contains(&file.path)
                    {
                        paths.push(file.path.clone());
                    }
                    let edit = Edit {
                        file: arg.file,
                        range: arg.value,
                        replacement: format!("unix:{socket}"),
                    };
                    if !split.edits.contains(&edit) {
                        split.edits.push(edit);
                    }
                }
            }
            let app = App {
                name: name.clone(),
                site: label,
                from_pool: pool.name.clone(),
                socket,
                tree: tree_of(&served_root(&model.nginx, first_use.location)),
                paths,
            };
            split.files.push(NewFile {
                path: format!("{dir}/{name}.conf"),
                kind: FileKind::FpmPool,
                text: pool_file(pool, &app, &web_user),
            });
            split.apps.push(app);
        }
    }
    if !split.apps.is_empty() {
        split.files.push(NewFile {
            path: PROVISION_PATH.into(),
            kind: FileKind::Unknown,
            text: provision_script(&split.apps, &web_user),
        });
    }
    split
}

fn state_dirs(name: &str) -> [String; 3] {
    [
        format!("/var/lib/php/sessions/{name}"),
        format!("/var/lib/php/uploads/{name}"),
        format!("/var/lib/php/tmp/{name}"),
    ]
}

fn pool_file(pool: &Section, app: &App, web_user: &str) -> String {
    let name = &app.name;
    let [sessions, uploads, tmp] = state_dirs(name);
    let mut text = format!(
        "; Split out of [{}] by fpmaudit: {} gets its own user, socket and directories.\n\
         ; Create them first: see {PROVISION_PATH}.\n[{name}]\nuser = {name}\ngroup = {name}\n\
         listen = {}\nlisten.owner = {web_user}\nlisten.group = {web_user}\nlisten.mode = 0660\n",
        app.from_pool, app.site, app.socket
    );
    for (key, occurrences) in &pool.scalars {
        if NOT_COPIED.contains(&key.as_str()) {
            continue;
        }
        if let Some(setting) = occurrences.last() {
            let _ = writeln!(text, "{key} = {}", as_written(&setting.value));
        }
    }
    for ((directive, key), occurrences) in &pool.arrays {
        let php = directive.starts_with("php_");
        if php && SET_HERE.contains(&key.as_str()) {
            continue;
        }
        if let Some(setting) = occurrences.first() {
            let _ = writeln!(text, "{directive}[{key}] = {}", as_written(&setting.value));
        }
    }
    let _ = write!(
        text,
        "php_admin_value[open_basedir] = {}/:{sessions}/:{uploads}/:{tmp}/\n\
         php_admin_value[session.save_path] = {sessions}\n\
         php_admin_value[upload_tmp_dir] = {uploads}\n\
         php_admin_value[sys_temp_dir] = {tmp}\n",
        app.tree
    );
    text
}

fn provision_script(apps: &[App], web_user: &str) -> String {
    let mut text = String::from(
        "#!/bin/sh\n\
         # Written by `fpmaudit fix` for the pools it split out. Review it, then run it as root\n\
         # before reloading php-fpm: fpmaudit never runs it or changes the host itself.\n\
         set -eu\n",
    );
    for app in apps {
        let name = &app.name;
        let tree = &app.tree;
        let [sessions, uploads, tmp] = state_dirs(name);
        let _ = write!(
            text,
            "\n# {site}: pool [{name}] (was [{from}])\n\
             getent group {name} >/dev/null || groupadd --system {name}\n\
             id -u {name} >/dev/null 2>&1 || useradd --system --gid {name} --no-create-home \\\n    --home-dir {tree} --shell /usr/sbin/nologin {name}\n\
             install -d -o {name} -g {name} -m 0700 {sessions} {uploads} {tmp}\n\
             # Code belongs to root and is read-only to the app: a compromise cannot plant a\n\
             # backdoor. nginx reads it through the app's group.\n\
             usermod -a -G {name} {web_user}\n\
             chown -R root:{name} {tree}\n\
             chmod -R u=rwX,g=rX,o= {tree}\n\
             # Give the app write access only where it must write, for example:\n\
             # install -d -o {name} -g {name} -m 0750 {tree}/storage\n",
            site = app.site,
            from = app.from_pool,
        );
    }
    let mut emptied: Vec<&str> = apps.iter().map(|a| a.from_pool.as_str()).collect();
    emptied.dedup();
    for pool in emptied {
        let _ = writeln!(
            text,
            "\n# [{pool}] serves none of the sites given any more; remove its pool file once\n# nothing else connects to its socket."
        );
    }
    text.push_str("\n# Then: php-fpm8.2 -t && systemctl reload php8.2-fpm && nginx -t && systemctl reload nginx\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_trees() {
        assert_eq!(app_name("blog.example.org", &[]), "blog");
        assert_eq!(app_name("blog.example.org", &["blog".into()]), "blog2");
        assert_eq!(app_name("www.example.org", &["a".into()]), "site2");
        assert_eq!(app_name("listen 8080", &[]), "listen");
        assert_eq!(app_name("_", &[]), "site1");
        assert_eq!(tree_of("/srv/blog/public"), "/srv/blog");
        assert_eq!(tree_of("/srv/blog/"), "/srv/blog");
        assert_eq!(tree_of("/public"), "/public");
    }
}
