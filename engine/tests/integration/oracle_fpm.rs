//! Differential test: what our FPM model says about pool directives, `php_value` /
//! `php_admin_value` / `env` entries must equal what `php-fpm8.2 -tt` prints, and every file FPM
//! rejects must be one we report as broken.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use fpmaudit_engine::model::fpm_directives::{Scope, lookup, typed_value};
use fpmaudit_engine::model::{Model, Parsed};
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

use crate::support::{Rng, corpus, program, run, scratch};

/// Values per section as `php-fpm -tt` prints them: `name = value`, arrays in print order.
type Dump = BTreeMap<String, Vec<(String, String)>>;

fn fpm_dump(config: &str, dir: &std::path::Path) -> Result<Dump, String> {
    let file = dir.join("fpm.conf");
    std::fs::write(&file, config).unwrap();
    fpm_dump_file(&file)
}

fn fpm_dump_file(file: &std::path::Path) -> Result<Dump, String> {
    let fpm = program(&["php-fpm8.2", "php-fpm"]);
    let (ok, _, stderr) = run(Command::new(fpm)
        .arg("-n")
        .arg("-tt")
        .arg("-y")
        .arg(file)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/home/oracle"));
    if !ok {
        return Err(stderr);
    }
    let mut dump = Dump::new();
    let mut section = String::new();
    for line in stderr.lines() {
        let Some((_, rest)) = line.split_once("NOTICE: ") else {
            continue;
        };
        if let Some(name) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        if let Some(entry) = rest.strip_prefix('\t')
            && let Some((k, v)) = entry.split_once(" = ")
        {
            dump.entry(section.clone())
                .or_default()
                .push((k.to_string(), v.to_string()));
        }
    }
    Ok(dump)
}

fn model_of(config: &str) -> (Model, bool) {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/php-fpm.conf",
        config,
        FileKind::FpmGlobal,
    ));
    model_of_sources(&sources)
}

fn model_of_sources(sources: &SourceSet) -> (Model, bool) {
    let model = Model::build(sources);
    let syntax_errors = model.parsed.iter().any(|(_, p)| match p {
        Parsed::Ini(doc) => !doc.errors.is_empty(),
        _ => false,
    });
    let broken = syntax_errors || !model.fpm.problems.is_empty();
    (model, broken)
}

/// `${NAME}` is read from the environment we give php-fpm.
fn expand_env(value: &str) -> String {
    value
        .replace("${HOME}", "/home/oracle")
        .replace("${PATH}", "/usr/bin:/bin")
        .replace("${UNSET}", "")
}

/// Compares one config; returns the number of values checked.
pub(crate) fn compare(config: &str, dir: &std::path::Path, case: &str) -> usize {
    compare_model(model_of(config), fpm_dump(config, dir), config, case)
}

fn compare_model(
    (model, broken): (Model, bool),
    dump: Result<Dump, String>,
    config: &str,
    case: &str,
) -> usize {
    let dump = match dump {
        Ok(dump) => dump,
        Err(stderr) => {
            assert!(
                broken,
                "{case}: php-fpm rejects the config but we see no problem\n{stderr}\n--- config:\n{config}"
            );
            return 1;
        }
    };
    assert!(
        !broken,
        "{case}: php-fpm accepts the config but we report a problem: {:?}\n--- config:\n{config}",
        model.fpm.problems
    );
    let mut checked = 0;
    for pool in &model.fpm.pools {
        let printed = dump
            .get(&pool.name)
            .unwrap_or_else(|| panic!("{case}: no [{}] in -tt output", pool.name));
        let printed_scalar = |name: &str| {
            printed
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        for (name, occurrences) in &pool.scalars {
            let Some(spec) = lookup(name, Scope::Pool) else {
                continue;
            };
            let Some(setting) = occurrences.last() else {
                continue;
            };
            // FPM drops ping.response unless ping.path is set (post-processing, not parsing).
            if spec.name == "ping.response" && pool.get("ping.path").is_none() {
                continue;
            }
            let mut ours = typed_value(spec.ty, &expand_env(&setting.value)).unwrap();
            let mut theirs =
                printed_scalar(spec.name).unwrap_or_else(|| panic!("{case}: {name} not printed"));
            if spec.name == "pm.process_idle_timeout" {
                ours = ours.trim_end_matches('s').to_string();
            }
            if spec.name == "rlimit_core" && theirs == "-1" {
                theirs = "unlimited".into();
            }
            assert_eq!(
                ours, theirs,
                "{case}: [{}] {name}\n--- config:\n{config}",
                pool.name
            );
            checked += 1;
        }
        // Arrays: -tt prints every occurrence, grouped by directive and newest first within a
        // group; FPM applies the first one read.
        let mut order: Vec<(u32, String, String)> = Vec::new();
        for ((directive, key), occurrences) in &pool.arrays {
            for s in &occurrences.all {
                order.push((
                    s.origin.statement.start,
                    format!("{directive}[{key}]"),
                    expand_env(&s.value),
                ));
            }
        }
        order.sort();
        let ours: Vec<(String, String)> = order.into_iter().map(|(_, k, v)| (k, v)).collect();
        let group = |k: &str| k.split('[').next().unwrap_or("").to_string();
        let mut groups: Vec<String> = ours.iter().map(|(k, _)| group(k)).collect();
        groups.extend(
            printed
                .iter()
                .filter(|(k, _)| k.contains('['))
                .map(|(k, _)| group(k)),
        );
        groups.sort();
        groups.dedup();
        for g in &groups {
            let mine: Vec<_> = ours
                .iter()
                .filter(|(k, _)| group(k) == *g)
                .cloned()
                .collect();
            let mut theirs: Vec<_> = printed
                .iter()
                .filter(|(k, _)| k.contains('[') && group(k) == *g)
                .cloned()
                .collect();
            theirs.reverse();
            assert_eq!(
                mine, theirs,
                "{case}: [{}] {g}[...]\n--- config:\n{config}",
                pool.name
            );
        }
        checked += ours.len();
    }
    checked
}

pub(crate) const BASE: &str = "[global]\nerror_log = /tmp/fpm-oracle.log\n";

pub(crate) fn pool_header(name: &str, dir: &std::path::Path) -> String {
    format!(
        "[{name}]\nuser = www-data\nlisten = {}/$pool.sock\npm = static\npm.max_children = 2\n",
        dir.display()
    )
}

/// Lines a generated pool may contain: ordinary, odd, and broken ones.
const POOL_LINES: &[&str] = &[
    "listen.mode = 0666",
    "listen.mode = 660",
    "Listen.Owner = www-data",
    "listen.group = www-data ; the web server",
    "listen.allowed_clients = 127.0.0.1",
    "clear_env = no",
    "clear_env = Off",
    "clear_env = \"no\"",
    "clear_env = 0",
    "clear_env = true",
    "clear_env = none",
    "catch_workers_output = yes",
    "process.dumpable = On",
    "pm.max_requests = 500",
    "pm.max_requests = 64k",
    "pm.max_requests =",
    "request_terminate_timeout = 30s",
    "request_terminate_timeout = 1.5m",
    "request_terminate_timeout = 2h",
    "request_terminate_timeout = 30S",
    "request_terminate_timeout = 45",
    "pm.process_idle_timeout = 10s",
    "rlimit_core = unlimited",
    "rlimit_core = 0",
    "security.limit_extensions = .php .phar",
    "security.limit_extensions = \".php .html\" ; quoted",
    "security.limit_extensions = .php;.html",
    "access.format = \"%R - %u %t \\\"%m %r\\\" %s\"",
    "access.log = /var/log/$pool.access.log",
    "pm.status_path = /status",
    "ping.path = /ping",
    "ping.response = pong pong",
    "chdir = /",
    "slowlog = /tmp/$pool.slow",
    "php_value[memory_limit] = 128M",
    "php_value[memory_limit] = 256M",
    "php_admin_value[memory_limit] = 512MB",
    "php_admin_value[open_basedir] = /srv/a/:/tmp/",
    "php_admin_value[open_basedir] = /srv/b/",
    "php_admin_value[error_reporting] = E_ALL & ~E_DEPRECATED & ~E_STRICT",
    "php_admin_value[error_reporting] = (E_ALL | E_STRICT) ^ E_NOTICE",
    "php_admin_value[disable_functions] = exec,passthru,shell_exec,system",
    "php_flag[display_errors] = off",
    "php_admin_flag[log_errors] = on",
    "php_value[session.save_path] = \"/var/lib/php/sessions/$pool\"",
    "php_value[include_path] = '.:/usr/share/php'",
    "php_value[error_log] = ${HOME}/php.log",
    "php_value[user_agent] = \"a;b\" ; quoted semicolon",
    "env[DB_PASS] = abc;def",
    "env[DB_PASS] = \"abc;def\"",
    "env[PATH] = $PATH",
    "env[HOME2] = x$HOME",
    "env[TMP] = /tmp",
    "env[WORDS] = one two  three",
    "env[Q] = \"it's\"",
    // Rejected by FPM:
    "#listen = 9000",
    "memory_limit = 1G",
    "PHP_VALUE[display_errors] = 0",
    "env[DEBUG] = off",
    "env[EMPTY] =",
    "env[TOKEN] = p@ss!=1",
    "pm.max_children = 64k",
    "request_terminate_timeout = 1w",
    "clear_env = maybe",
    "pm = sometimes",
    "php_value[] = 1",
    "env[X] = \"unterminated",
    "listen.mode",
];

#[test]
fn generated_pools_read_like_php_fpm() {
    let dir = scratch("oracle-fpm");
    let mut rng = Rng::new(0xF9A);
    let mut values = 0;
    let cases = 160;
    for case in 0..cases {
        let mut config = BASE.to_string();
        let pools = 1 + rng.below(2);
        for p in 0..pools {
            config.push_str(&pool_header(&format!("pool{p}"), &dir));
            for _ in 0..rng.below(6) {
                writeln!(config, "{}", rng.pick(POOL_LINES)).unwrap();
            }
        }
        // Sometimes reopen the first pool: later scalars win, earlier array keys win.
        if rng.chance(30) {
            config.push_str("[POOL0]\n");
            writeln!(config, "{}", rng.pick(POOL_LINES)).unwrap();
        }
        values += compare(&config, &dir, &format!("case {case}"));
    }
    println!("php-fpm -tt oracle: {cases} generated configs, {values} values compared");
    assert!(values > cases, "too few values compared: {values}");
}

#[test]
fn every_pool_line_alone_reads_like_php_fpm() {
    let dir = scratch("oracle-fpm-lines");
    for (i, line) in POOL_LINES.iter().enumerate() {
        let config = format!("{BASE}{}{line}\n", pool_header("www", &dir));
        compare(&config, &dir, &format!("line {i}: {line}"));
    }
}

#[test]
fn debian_pool_reads_like_php_fpm() {
    let dir = scratch("oracle-fpm-corpus");
    let pool = std::fs::read_to_string(corpus().join("etc/php/8.2/fpm/pool.d/www.conf")).unwrap();
    let sock = dir.join("www.sock");
    let pool = pool.replace("/run/php/php8.2-fpm.sock", &sock.display().to_string());
    let checked = compare(&format!("{BASE}{pool}"), &dir, "corpus www.conf");
    assert!(checked >= 5, "only {checked} values compared");
}

/// php-fpm.conf including pool files by glob: files are read in place, in name order, and a
/// file without a section header continues the section open before it.
#[test]
fn includes_read_like_php_fpm() {
    let dir = scratch("oracle-fpm-include");
    let pool_dir = dir.join("pool.d");
    std::fs::create_dir_all(&pool_dir).unwrap();
    let sock = |name: &str| dir.join(format!("{name}.sock")).display().to_string();
    let files = [
        (
            pool_dir.join("b.conf"),
            format!(
                "[b]\nuser = www-data\nlisten = {}\npm = static\npm.max_children = 1\n",
                sock("b")
            ),
        ),
        (
            pool_dir.join("a.conf"),
            format!(
                "[a]\nuser = www-data\nlisten = {}\npm = static\npm.max_children = 1\nphp_value[x] = first\n",
                sock("a")
            ),
        ),
        (
            pool_dir.join("c.conf"),
            "; no header: continues [b]\nphp_value[x] = from-c\nclear_env = no\n".to_string(),
        ),
        (pool_dir.join("skip.txt"), "[skip]\n".to_string()),
    ];
    let main = dir.join("php-fpm.conf");
    let main_text = format!(
        "[global]\nerror_log = /tmp/fpm-oracle.log\ninclude = {}/*.conf\n[a]\nphp_value[x] = second\n",
        pool_dir.display()
    );
    std::fs::write(&main, &main_text).unwrap();
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        main.display().to_string(),
        main_text.clone(),
        FileKind::FpmGlobal,
    ));
    for (path, text) in &files {
        std::fs::write(path, text).unwrap();
        sources.add(SourceFile::new(
            path.display().to_string(),
            text.clone(),
            FileKind::FpmPool,
        ));
    }
    let checked = compare_model(
        model_of_sources(&sources),
        fpm_dump_file(&main),
        &main_text,
        "include",
    );
    assert!(checked >= 8, "only {checked} values compared");
}
