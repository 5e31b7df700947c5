//! The edge cases of research/php.md §2.7 as fixtures, read as the real programs read them:
//! each FPM example (E1–E12) alone in a pool against `php-fpm -tt`, and the php.ini examples
//! (E13–E15) against `php -n -c`.

use std::process::Command;

use fpmaudit_engine::model::Model;
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

use crate::oracle_fpm;
use crate::support::{fixtures, program, run, scratch};

/// Splits the fixture at its `; E<n>` comments.
fn examples(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("; E") {
            let name = format!("E{}", rest.split_whitespace().next().unwrap_or(""));
            out.push((name, String::new()));
        }
        if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

#[test]
fn fpm_examples_read_like_php_fpm() {
    let text = std::fs::read_to_string(fixtures().join("parse/fpm/research-2.7.conf")).unwrap();
    let dir = scratch("oracle-research-fpm");
    let cases = examples(&text);
    assert_eq!(cases.len(), 12, "E1..E12");
    for (name, body) in &cases {
        let config = format!(
            "{}{}{body}",
            oracle_fpm::BASE,
            oracle_fpm::pool_header("www", &dir)
        );
        oracle_fpm::compare(&config, &dir, name);
    }
}

/// `ini_get` of each key with php reading only `ini`.
fn php_values(ini: &std::path::Path, keys: &[&str]) -> Vec<String> {
    let list: Vec<String> = keys.iter().map(|k| format!("'{k}'")).collect();
    let code = format!(
        "foreach ([{}] as $k) {{ echo ini_get($k), \"\\n\"; }}",
        list.join(",")
    );
    let (_, stdout, _) = run(Command::new(program(&["php8.2", "php"]))
        .arg("-n")
        .arg("-c")
        .arg(ini)
        .arg("-r")
        .arg(code)
        .env_clear()
        .env("HOME", "/home/oracle"));
    stdout.lines().map(str::to_string).collect()
}

#[test]
fn php_ini_examples_read_like_php() {
    let file = fixtures().join("parse/php-ini/research-2.7.ini");
    let text = std::fs::read_to_string(&file).unwrap();
    let keys = [
        "disable_functions",
        "error_log",
        "include_path",
        "error_reporting",
        "session.save_path",
    ];
    let dir = scratch("oracle-research-ini");
    let empty = dir.join("empty.ini");
    std::fs::write(&empty, "").unwrap();
    let defaults = php_values(&empty, &keys);
    // Each example alone, and the whole file (where E13 stops PHP before everything else).
    let mut texts: Vec<String> = examples(&text).into_iter().map(|(_, body)| body).collect();
    texts.push(text.clone());
    for (i, text) in texts.iter().enumerate() {
        let copy = dir.join(format!("php{i}.ini"));
        std::fs::write(&copy, text).unwrap();
        let theirs = php_values(&copy, &keys);
        let mut sources = SourceSet::new();
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/php.ini",
            text.clone(),
            FileKind::PhpIni,
        ));
        let model = Model::build(&sources);
        for (k, key) in keys.iter().enumerate() {
            let ours = model.php_ini.get(key).map_or_else(
                || defaults[k].clone(),
                |s| {
                    if s.var_refs.is_empty() {
                        s.value.clone()
                    } else {
                        s.value.replace("${HOME}", "/home/oracle")
                    }
                },
            );
            assert_eq!(ours, theirs[k], "{key} in:\n{text}");
        }
    }
}
