//! Include expansion against `nginx -T`: the files it prints, in its order, must be the files
//! our model reads, in the same order — on the Debian corpus and on random include trees.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use fpmaudit_engine::model::Model;
use fpmaudit_engine::{FileId, FileKind, SourceFile, SourceSet};

use super::{Tally, Verdict, compare, nginx_t};
use crate::support::{Rng, corpus, program, run, scratch};

/// The Debian corpus as a live tree: nginx.conf with its paths moved into `dir`, the default
/// site enabled, and a PHP site using Debian's snippet.
fn corpus_tree(dir: &Path) -> Vec<(String, String)> {
    let root = corpus().join("etc/nginx");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let main = read("nginx.conf")
        .replace("/etc/nginx/", &format!("{}/", dir.display()))
        .replace("pid /run/nginx.pid;", "# pid is given on the command line");
    let php_site = "server {\n\tlisten unix:/tmp/oracle-php.sock;\n\troot /var/www/html;\n\tlocation ~ \\.php$ {\n\t\tinclude snippets/fastcgi-php.conf;\n\t\tfastcgi_pass unix:/run/php/php8.2-fpm.sock;\n\t}\n}\n";
    let mut files = vec![
        ("nginx.conf".to_string(), main),
        (
            "mime.types".to_string(),
            "types {\n    text/html html;\n}\n".to_string(),
        ),
        ("fastcgi.conf".to_string(), read("fastcgi.conf")),
        ("fastcgi_params".to_string(), read("fastcgi_params")),
        (
            "snippets/fastcgi-php.conf".to_string(),
            read("snippets/fastcgi-php.conf"),
        ),
        (
            "sites-available/default".to_string(),
            read("sites-available/default"),
        ),
        (
            "sites-enabled/default".to_string(),
            read("sites-available/default"),
        ),
        ("sites-enabled/php".to_string(), php_site.to_string()),
    ];
    if root.join("mime.types").exists() {
        files[1].1 = read("mime.types");
    }
    files
}

/// The files `nginx -T` prints, in its order (each once).
fn nginx_dump_order(dir: &Path, files: &[(String, String)]) -> Vec<String> {
    let _ = nginx_t(dir, files);
    let (ok, stdout, stderr) = run(Command::new(program(&["nginx"]))
        .arg("-T")
        .arg("-q")
        .arg("-p")
        .arg(format!("{}/", dir.display()))
        .arg("-c")
        .arg(dir.join(&files[0].0))
        .arg("-g")
        .arg(format!(
            "pid {0}/nginx.pid; error_log {0}/error.log;",
            dir.display()
        )));
    assert!(ok, "nginx -T failed: {stderr}");
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("# configuration file "))
        .filter_map(|l| l.strip_suffix(':'))
        .map(str::to_string)
        .collect()
}

/// The order our model reads files in: the root, then every include site's files in
/// document order (depth first), each file once, as `nginx -T` prints them.
fn model_read_order(dir: &Path, files: &[(String, String)]) -> (Model, SourceSet, Vec<String>) {
    let mut sources = SourceSet::new();
    for (name, text) in files {
        sources.add(SourceFile::new(
            format!("{}/{name}", dir.display()),
            text.clone(),
            FileKind::Nginx,
        ));
    }
    let model = Model::build(&sources);
    let includes = &model.nginx.includes;
    // Sort key of a site: the position path from the root (file index within the parent
    // site, then the offset of the include directive).
    let key = |mut site: usize| {
        let mut parts = Vec::new();
        loop {
            let include = &includes[site];
            parts.push(u64::from(include.range.start));
            let Some(parent) = include.parent else { break };
            let index = includes[parent]
                .files
                .iter()
                .position(|f| *f == include.file)
                .unwrap();
            parts.push(index as u64);
            site = parent;
        }
        parts.reverse();
        parts
    };
    let root = model.nginx.roots[0].file;
    let top = |mut site: usize| {
        while let Some(parent) = includes[site].parent {
            site = parent;
        }
        includes[site].file
    };
    let mut events: Vec<(Vec<u64>, FileId)> = Vec::new();
    for (site, include) in includes.iter().enumerate() {
        if top(site) != root {
            continue;
        }
        for (i, file) in include.files.iter().enumerate() {
            let mut k = key(site);
            k.push(i as u64);
            events.push((k, *file));
        }
    }
    events.sort();
    let mut order = vec![sources.get(root).unwrap().path.clone()];
    for (_, file) in events {
        let path = sources.get(file).unwrap().path.clone();
        if !order.contains(&path) {
            order.push(path);
        }
    }
    (model, sources, order)
}

#[test]
fn corpus_reads_like_nginx() {
    let dir = scratch("oracle-nginx-corpus");
    let files = corpus_tree(&dir);
    let mut tally = Tally::default();
    compare(&dir, &files, "Debian corpus", &mut tally);
    assert_eq!(tally.accepted, 1, "{tally:?}");
    let theirs = nginx_dump_order(&dir, &files);
    let (model, sources, ours) = model_read_order(&dir, &files);
    assert_eq!(ours, theirs);
    // The PHP site's location: Debian's snippet and fastcgi.conf are its own lines.
    let nginx = &model.nginx;
    let php = nginx
        .locations
        .iter()
        .find(|l| l.pattern == "\\.php$")
        .unwrap();
    let params = &php.fastcgi_params.settings;
    assert!(params.iter().any(|p| p.arg(0) == Some("SCRIPT_FILENAME")));
    assert!(params.iter().any(|p| p.arg(0) == Some("PATH_INFO")));
    assert!(php.settings.iter().any(|s| s.name == "try_files"));
    assert!(nginx.unresolved_includes.iter().all(|u| u.glob));
    assert_eq!(
        nginx.roots.len(),
        1,
        "sites-available/default is a copy, not a root"
    );
    assert!(nginx.has_main_conf);
    let _ = sources;
    println!(
        "nginx -T oracle: corpus read order agrees over {} files",
        theirs.len()
    );
}

/// Random include trees (globs, relative paths, nested directories, a file included from
/// several blocks): our expansion order must be `nginx -T`'s.
#[test]
fn include_order_agrees_with_nginx_dump() {
    const TREES: usize = 80;
    let dir = scratch("oracle-nginx-includes");
    let mut rng = Rng::new(0x1C1);
    let mut compared = 0;
    for case in 0..TREES {
        let names: Vec<String> = (0..2 + rng.below(6))
            .map(|i| match rng.below(3) {
                0 => format!("inc/{}{i}.conf", rng.pick(&["a", "b", "z", "m"])),
                1 => format!("inc/sub/{}{i}.conf", rng.pick(&["x", "y"])),
                _ => format!("other/{}{i}", rng.pick(&["p", "q"])),
            })
            .collect();
        let patterns = [
            "inc/*.conf",
            "inc/sub/*.conf",
            "other/*",
            "inc/[ab]*.conf",
            "inc/sub/?1.conf",
            "missing/*.conf",
        ];
        let mut files = Vec::new();
        // Each file includes only files after it, so there is no cycle for nginx to loop on.
        for (i, name) in names.iter().enumerate() {
            let mut text = format!("add_header X-{i} v;\n");
            if let Some(later) = names.get(i + 1 + rng.below(3)) {
                writeln!(text, "include {later};").unwrap();
            }
            files.push((name.clone(), text));
        }
        let mut main = String::from("events {}\nhttp {\n    access_log off;\n");
        writeln!(main, "    include {};", rng.pick(&patterns)).unwrap();
        main.push_str("    server {\n");
        writeln!(main, "        include {};", rng.pick(&patterns)).unwrap();
        writeln!(
            main,
            "        location / {{ include {}; }}",
            rng.pick(&names)
        )
        .unwrap();
        main.push_str("    }\n}\n");
        files.insert(0, ("nginx.conf".to_string(), main));
        let (verdict, stderr) = nginx_t(&dir, &files);
        assert!(
            matches!(verdict, Verdict::Accepted),
            "case {case}: {stderr}"
        );
        let theirs = nginx_dump_order(&dir, &files);
        let (_, _, ours) = model_read_order(&dir, &files);
        assert_eq!(ours, theirs, "case {case}: {files:#?}");
        compared += theirs.len();
    }
    println!("nginx -T oracle: {TREES} include trees, {compared} file positions compared");
}
