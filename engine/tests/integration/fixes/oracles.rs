//! The real programs as judges of a whole host: each writes the host's files under a scratch
//! directory (absolute `include`s pointed into it), runs the program and counts its warnings.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

use crate::support::{program, run};

pub(crate) struct Verdict {
    pub(crate) ok: bool,
    pub(crate) warnings: usize,
    pub(crate) output: String,
    /// `systemd-analyze security` only: each unit's overall exposure as printed ("2.6").
    pub(crate) exposures: Vec<(String, String)>,
}

pub(crate) struct Oracle {
    pub(crate) name: &'static str,
    judge: fn(&Path, &SourceSet) -> Option<Verdict>,
}

impl Oracle {
    /// `None` when the host has no file this program reads.
    pub(crate) fn judge(&self, dir: &Path, sources: &SourceSet) -> Option<Verdict> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        (self.judge)(dir, sources)
    }
}

pub(crate) const ALL: &[Oracle] = &[
    Oracle {
        name: "php-fpm8.2 -t",
        judge: php_fpm,
    },
    Oracle {
        name: "nginx -t",
        judge: nginx,
    },
    Oracle {
        name: "php -n -c",
        judge: php_ini,
    },
    Oracle {
        name: "systemd-analyze security --offline=yes",
        judge: systemd,
    },
];

fn files(sources: &SourceSet, kinds: &[FileKind]) -> Vec<SourceFile> {
    sources
        .iter()
        .filter(|(_, f)| kinds.contains(&f.kind))
        .map(|(_, f)| f.clone())
        .collect()
}

fn write(dir: &Path, host_path: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(host_path.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Points absolute paths of `include` lines into `dir` (FPM `include = /x`, nginx `include /x;`).
fn rebase_includes(text: &str, dir: &Path) -> String {
    let prefix = dir.display().to_string();
    text.split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("include") {
                return line.to_string();
            }
            match line.find(" /").or_else(|| line.find("=/")) {
                Some(at) => format!("{}{prefix}{}", &line[..=at], &line[at + 1..]),
                None => line.to_string(),
            }
        })
        .collect()
}

/// Points FPM's log files (`slowlog`, `access.log`, `error_log`) into `dir` and creates their
/// directories: `php-fpm -t` opens them, and a judge must not depend on (or write into) the
/// machine's own `/var/log`.
fn rebase_logs(text: &str, dir: &Path) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let Some((key, value)) = trimmed.split_once('=') else {
            out.push_str(line);
            continue;
        };
        let value = value.trim();
        let is_log = ["slowlog", "access.log", "error_log"].contains(&key.trim());
        if !is_log
            || !value.starts_with('/')
            || value.starts_with("/proc/")
            || value.starts_with("/dev/")
        {
            out.push_str(line);
            continue;
        }
        let target = dir.join("logs").join(value.trim_start_matches('/'));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let indent = &line[..line.len() - trimmed.len()];
        let end = if line.ends_with('\n') { "\n" } else { "" };
        let _ = write!(out, "{indent}{} = {}{end}", key.trim(), target.display());
    }
    out
}

fn count(output: &str, marker: &str) -> usize {
    output.lines().filter(|l| l.contains(marker)).count()
}

fn php_fpm(dir: &Path, sources: &SourceSet) -> Option<Verdict> {
    let fpm = files(sources, &[FileKind::FpmGlobal, FileKind::FpmPool]);
    if fpm.is_empty() {
        return None;
    }
    for file in &fpm {
        write(
            dir,
            &file.path,
            &rebase_logs(&rebase_includes(&file.text, dir), dir),
        );
    }
    let main = if let Some(global) = fpm.iter().find(|f| f.kind == FileKind::FpmGlobal) {
        dir.join(global.path.trim_start_matches('/'))
    } else {
        let mut text = format!(
            "[global]\nerror_log = {0}/fpm.log\npid = {0}/fpm.pid\n",
            dir.display()
        );
        for pool in &fpm {
            let _ = writeln!(text, "include = {}{}", dir.display(), pool.path);
        }
        write(dir, "/fpmaudit-global.conf", &text)
    };
    let (ok, _, stderr) = run(Command::new(program(&["php-fpm8.2", "php-fpm"]))
        .args(["-n", "-t", "-y"])
        .arg(&main));
    Some(Verdict {
        ok,
        warnings: count(&stderr, "WARNING:"),
        output: stderr,
        exposures: Vec::new(),
    })
}

/// The system's shared nginx snippets, for hosts that use them without pasting them.
const NGINX_SHARED: &[&str] = &[
    "/etc/nginx/fastcgi_params",
    "/etc/nginx/fastcgi.conf",
    "/etc/nginx/mime.types",
    "/etc/nginx/snippets/fastcgi-php.conf",
];

fn nginx(dir: &Path, sources: &SourceSet) -> Option<Verdict> {
    let confs = files(sources, &[FileKind::Nginx]);
    if confs.is_empty() {
        return None;
    }
    for shared in NGINX_SHARED {
        if let Ok(text) = std::fs::read_to_string(shared) {
            write(dir, shared, &text);
        }
    }
    for file in &confs {
        write(dir, &file.path, &rebase_includes(&file.text, dir));
    }
    let mut nginx = Command::new(program(&["nginx"]));
    nginx.arg("-t").arg("-p").arg(format!("{}/", dir.display()));
    if let Some(main) = confs.iter().find(|f| f.path.ends_with("/nginx.conf")) {
        nginx
            .arg("-c")
            .arg(dir.join(main.path.trim_start_matches('/')));
    } else {
        let mut text = String::from("events {}\nhttp {\n");
        for file in &confs {
            let _ = writeln!(text, "    include {}{};", dir.display(), file.path);
        }
        text.push_str("}\n");
        let main = write(dir, "/fpmaudit-nginx.conf", &text);
        nginx.arg("-c").arg(main).arg("-g").arg(format!(
            "pid {0}/nginx.pid; error_log {0}/error.log;",
            dir.display()
        ));
    }
    let (ok, _, stderr) = run(&mut nginx);
    Some(Verdict {
        ok,
        warnings: count(&stderr, "[warn]"),
        output: stderr,
        exposures: Vec::new(),
    })
}

fn php_ini(dir: &Path, sources: &SourceSet) -> Option<Verdict> {
    let inis = files(sources, &[FileKind::PhpIni]);
    if inis.is_empty() {
        return None;
    }
    let mut verdict = Verdict {
        ok: true,
        warnings: 0,
        output: String::new(),
        exposures: Vec::new(),
    };
    for ini in &inis {
        let path = write(dir, &ini.path, &ini.text);
        let (ok, stdout, stderr) = run(Command::new(program(&["php8.2", "php"]))
            .arg("-n")
            .arg("-c")
            .arg(&path)
            .args(["-r", "echo 'fpmaudit-ok';"]));
        let said = format!("{stdout}{stderr}");
        verdict.ok &= ok && said.contains("fpmaudit-ok");
        verdict.warnings += said.lines().filter(|l| l.starts_with("PHP ")).count();
        let _ = writeln!(verdict.output, "{}:\n{said}", ini.path);
    }
    Some(verdict)
}

fn systemd(dir: &Path, sources: &SourceSet) -> Option<Verdict> {
    let all = files(sources, &[FileKind::SystemdUnit, FileKind::SystemdDropin]);
    let units: Vec<&SourceFile> = all
        .iter()
        .filter(|f| f.kind == FileKind::SystemdUnit)
        .collect();
    if units.is_empty() {
        return None;
    }
    for file in &all {
        write(dir, &file.path, &file.text);
    }
    let mut verdict = Verdict {
        ok: true,
        warnings: 0,
        output: String::new(),
        exposures: Vec::new(),
    };
    for unit in units {
        let name = unit.path.rsplit('/').next().unwrap_or(&unit.path);
        let (ok, stdout, stderr) = run(Command::new(program(&["systemd-analyze"]))
            .args(["security", "--offline=yes"])
            .arg(format!("--root={}", dir.display()))
            .arg(name));
        // "→ Overall exposure level for php8.2-fpm.service: 2.6 OK 🙂"
        let overall = stdout
            .lines()
            .find_map(|l| l.split_once("Overall exposure level for "))
            .and_then(|(_, rest)| rest.rsplit(':').next())
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(score) = overall {
            verdict
                .exposures
                .push((name.to_string(), score.to_string()));
        }
        verdict.ok &= ok;
        verdict.warnings += stderr.lines().filter(|l| !l.trim().is_empty()).count();
        let _ = writeln!(verdict.output, "{name}:\n{stderr}");
    }
    Some(verdict)
}

/// System accounts created for the test so `php-fpm -t` can resolve every pool's user and
/// group (it refuses unknown ones); removed again on drop. Only as root (CI runs as root);
/// elsewhere the hosts whose accounts are missing are judged as they are.
pub(crate) struct Accounts {
    users: Vec<String>,
    groups: Vec<String>,
    /// Held while the accounts exist: tests in this binary run in parallel, and one test
    /// removing the accounts it made must not pull them from under another that found them.
    _exclusive: std::sync::MutexGuard<'static, ()>,
}

static ACCOUNTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn exists(database: &str, name: &str) -> bool {
    Command::new("getent")
        .args([database, name])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Accounts {
    pub(crate) fn for_hosts<'a>(hosts: impl Iterator<Item = &'a SourceSet>) -> Self {
        let mut accounts = Self {
            users: Vec::new(),
            groups: Vec::new(),
            _exclusive: ACCOUNTS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        };
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if !root {
            return accounts;
        }
        let mut users = Vec::new();
        let mut groups = Vec::new();
        for sources in hosts {
            let model = fpmaudit_engine::model::Model::build(sources);
            for pool in &model.fpm.pools {
                for (key, is_user) in [
                    ("user", true),
                    ("listen.owner", true),
                    ("group", false),
                    ("listen.group", false),
                ] {
                    if let Some(s) = pool.get(key) {
                        let list = if is_user { &mut users } else { &mut groups };
                        list.push(s.value.trim().to_string());
                    }
                }
            }
        }
        users.sort();
        users.dedup();
        groups.sort();
        groups.dedup();
        for user in users
            .into_iter()
            .filter(|u| valid_name(u) && !exists("passwd", u))
        {
            let made = Command::new("useradd")
                .args([
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--user-group",
                ])
                .arg(&user)
                .status()
                .is_ok_and(|s| s.success());
            if made {
                accounts.users.push(user);
            }
        }
        for group in groups
            .into_iter()
            .filter(|g| valid_name(g) && !exists("group", g))
        {
            if Command::new("groupadd")
                .args(["--system", group.as_str()])
                .status()
                .is_ok_and(|s| s.success())
            {
                accounts.groups.push(group);
            }
        }
        accounts
    }

    pub(crate) fn created(&self) -> usize {
        self.users.len() + self.groups.len()
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for user in &self.users {
            let _ = Command::new("userdel").arg(user).status();
        }
        for group in &self.groups {
            let _ = Command::new("groupdel").arg(group).status();
        }
    }
}
