//! Include resolution and roots (research/nginx.md c.15, d.2, d.8).

use super::{host, lines, model, path, text};
use crate::model::nginx::IncludeProblemKind;

const MAIN: &str = "user www-data;\nevents {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    include sites-enabled/*;\n}\n";

#[test]
fn globs_expand_in_sorted_order_relative_to_the_prefix() {
    let (sources, m) = host(&[
        ("/etc/nginx/nginx.conf", MAIN),
        ("/etc/nginx/sites-enabled/zeta", "server { server_name z; }"),
        (
            "/etc/nginx/sites-enabled/alpha",
            "server { server_name a; }",
        ),
        (
            "/etc/nginx/sites-enabled/.hidden",
            "server { server_name h; }",
        ),
        (
            "/etc/nginx/sites-enabled/sub/deep",
            "server { server_name d; }",
        ),
        (
            "/etc/nginx/conf.d/up.conf",
            "upstream php { server unix:/run/php/a.sock; }",
        ),
    ]);
    let names: Vec<&str> = m
        .servers
        .iter()
        .filter(|s| !s.assumed_http_context)
        .flat_map(|s| s.names.iter().map(|n| n.value.as_str()))
        .collect();
    assert_eq!(names, ["a", "z"]);
    // Files the globs do not reach (hidden, in a subdirectory) are not loaded by nginx; they
    // are still audited on their own, as site files nothing includes.
    let orphans: Vec<&str> = m
        .roots
        .iter()
        .skip(1)
        .map(|r| path(&sources, r.file))
        .collect();
    assert_eq!(
        orphans,
        [
            "/etc/nginx/sites-enabled/.hidden",
            "/etc/nginx/sites-enabled/sub/deep"
        ]
    );
    assert!(m.roots.iter().skip(1).all(|r| r.assumed_http_context));
    assert_eq!(path(&sources, m.roots[0].file), "/etc/nginx/nginx.conf");
    assert_eq!(m.roots[0].prefix, "/etc/nginx");
    assert!(!m.roots[0].assumed_http_context);
    assert_eq!(lines(&m.roots[0].settings), ["user www-data"]);
    assert_eq!(m.upstreams.len(), 1);
    assert_eq!(m.includes.len(), 2);
    assert_eq!(m.includes[1].path, "/etc/nginx/sites-enabled/*");
    assert_eq!(m.includes[1].pattern, "sites-enabled/*");
    assert!(m.unresolved_includes.is_empty());
    // Each server knows it came through the include.
    let via = m.servers[0].head.via.unwrap();
    assert_eq!(
        text(&sources, m.includes[via].file, m.includes[via].range),
        "include sites-enabled/*;"
    );
    assert!(m.has_main_conf);
    assert_eq!(m.worker_user(), Some("www-data"));
}

#[test]
fn relative_paths_resolve_against_the_main_file_not_the_including_file() {
    let m = model(&[
        (
            "/opt/ngx/conf/nginx.conf",
            "http { include sites/app.conf; }",
        ),
        (
            "/opt/ngx/conf/sites/app.conf",
            "server { location / { include snippets/h.conf; } }",
        ),
        (
            "/opt/ngx/conf/snippets/h.conf",
            "add_header X-Frame-Options DENY;",
        ),
        ("/opt/ngx/conf/sites/snippets/h.conf", "add_header Wrong 1;"),
    ]);
    assert_eq!(
        lines(&m.locations[0].add_headers.settings),
        ["add_header X-Frame-Options DENY"]
    );
}

#[test]
fn missing_files_are_unresolved_includes() {
    let (sources, m) = host(&[(
        "/etc/nginx/nginx.conf",
        "include /etc/nginx/modules-enabled/*.conf;\nhttp {\n server { location ~ \\.php$ { include snippets/fastcgi-php.conf; } }\n}\n",
    )]);
    let unresolved: Vec<(&str, bool)> = m
        .unresolved_includes
        .iter()
        .map(|u| (u.path.as_str(), u.glob))
        .collect();
    assert_eq!(
        unresolved,
        [
            ("/etc/nginx/modules-enabled/*.conf", true),
            ("/etc/nginx/snippets/fastcgi-php.conf", false)
        ]
    );
    let u = &m.unresolved_includes[1];
    assert_eq!(u.pattern, "snippets/fastcgi-php.conf");
    assert_eq!(
        text(&sources, u.file, u.range),
        "include snippets/fastcgi-php.conf;"
    );
    assert_eq!(m.locations.len(), 1);
}

#[test]
fn cycles_and_self_includes_do_not_hang() {
    let m = model(&[
        ("/etc/nginx/nginx.conf", "http { include a.conf; }"),
        (
            "/etc/nginx/a.conf",
            "include b.conf; server { server_name a; }",
        ),
        (
            "/etc/nginx/b.conf",
            "include a.conf; include b.conf; server { server_name b; }",
        ),
    ]);
    assert_eq!(m.servers.len(), 2);
    let cycles: Vec<_> = m
        .include_problems
        .iter()
        .filter(|p| matches!(p.kind, IncludeProblemKind::Cycle { .. }))
        .collect();
    assert_eq!(cycles.len(), 2);
}

#[test]
fn deep_and_exponential_includes_are_cut() {
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("/etc/nginx/d{i}.conf"),
                format!("include d{}.conf;", i + 1),
            )
        })
        .collect();
    files.push((
        "/etc/nginx/nginx.conf".into(),
        "http { include d0.conf; }".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let m = model(&refs);
    assert!(
        m.include_problems
            .iter()
            .any(|p| p.kind == IncludeProblemKind::TooDeep)
    );

    let mut files: Vec<(String, String)> = (0..24)
        .map(|i| {
            let next = format!("include e{}.conf; ", i + 1);
            (format!("/etc/nginx/e{i}.conf"), next.repeat(2) + "gzip on;")
        })
        .collect();
    files.push((
        "/etc/nginx/nginx.conf".into(),
        "http { include e0.conf; }".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let m = model(&refs);
    assert!(
        m.include_problems
            .iter()
            .any(|p| p.kind == IncludeProblemKind::TooLarge)
    );
}

#[test]
fn the_same_file_is_analysed_per_include_site() {
    let m = model(&[
        (
            "/etc/nginx/nginx.conf",
            "http { server {\n location /a { include params; }\n location /b { if ($x) { include params; } limit_except GET { include params; } }\n} }",
        ),
        (
            "/etc/nginx/params",
            "fastcgi_param A 1;\nfastcgi_pass unix:/run/a.sock;",
        ),
    ]);
    let a = &m.locations[0];
    assert_eq!(lines(&a.fastcgi_params.settings), ["fastcgi_param A 1"]);
    assert!(a.fastcgi_pass.is_some());
    let b = &m.locations[1];
    assert!(b.fastcgi_params.settings.is_empty());
    assert_eq!(b.blocks.len(), 2);
    for block in &b.blocks {
        assert_eq!(
            lines(&block.settings),
            ["fastcgi_param A 1", "fastcgi_pass unix:/run/a.sock"]
        );
        assert!(block.fastcgi_pass.is_some());
    }
    assert_eq!(m.includes.len(), 3);
    assert_eq!(m.fastcgi_passes(0).count(), 3);
}

#[test]
fn site_files_without_nginx_conf_are_read_inside_an_assumed_http() {
    let site = "upstream php { server 127.0.0.1:9000; }\nserver {\n root /srv/app;\n location ~ \\.php$ { include snippets/php.conf; fastcgi_pass php; }\n}\n";
    let (sources, m) = host(&[
        ("/etc/nginx/sites-enabled/app", site),
        ("/etc/nginx/sites-available/app", site),
        ("/etc/nginx/snippets/php.conf", "include fastcgi_params;"),
        (
            "/etc/nginx/fastcgi_params",
            "fastcgi_param QUERY_STRING $query_string;",
        ),
    ]);
    assert_eq!(
        m.roots.len(),
        1,
        "the sites-available copy is not audited twice"
    );
    let root = &m.roots[0];
    assert!(root.assumed_http_context);
    assert_eq!(path(&sources, root.file), "/etc/nginx/sites-enabled/app");
    assert_eq!(root.prefix, "/etc/nginx");
    assert!(m.servers[0].assumed_http_context);
    assert!(m.http[0].head.is_none());
    assert!(!m.has_main_conf);
    assert_eq!(m.worker_user(), None);
    let php = &m.locations[0];
    assert_eq!(
        lines(&php.fastcgi_params.settings),
        ["fastcgi_param QUERY_STRING $query_string"]
    );
    assert!(m.unresolved_includes.is_empty());
}

#[test]
fn a_site_included_by_the_main_config_is_not_a_second_root() {
    let m = model(&[
        ("/etc/nginx/sites-enabled/app", "server { listen 80; }"),
        ("/etc/nginx/nginx.conf", MAIN),
        ("/etc/nginx/sites-available/other", "server { listen 81; }"),
        ("/etc/nginx/snippets/x.conf", "add_header A b;"),
    ]);
    assert_eq!(
        m.roots.len(),
        2,
        "the disabled site is still audited on its own"
    );
    assert!(!m.roots[0].assumed_http_context);
    assert!(m.roots[1].assumed_http_context);
    let listens: Vec<&str> = m
        .servers
        .iter()
        .map(|s| s.listens[0].address.as_str())
        .collect();
    assert_eq!(listens, ["80", "81"]);
}

#[test]
fn relative_host_paths_work_too() {
    let m = model(&[
        ("nginx.conf", "http { include conf.d/*.conf; }"),
        ("conf.d/a.conf", "server { server_name a; }"),
    ]);
    assert_eq!(m.servers.len(), 1);
    assert_eq!(m.roots[0].prefix, "");
}

#[test]
fn nginx_t_dump_shape_debian_snippet() {
    // research/nginx.md d.8: the PHP location includes Debian's snippet, which includes
    // fastcgi.conf; all of it counts as the location's own lines.
    let site = "server {\n\troot /var/www/html;\n\tlocation ~ \\.php$ {\n\t\tinclude snippets/fastcgi-php.conf;\n\t\tfastcgi_pass unix:/run/php/php8.2-fpm.sock;\n\t}\n}\n";
    let snippet = "fastcgi_split_path_info ^(.+?\\.php)(/.*)$;\ntry_files $fastcgi_script_name =404;\nset $path_info $fastcgi_path_info;\nfastcgi_param PATH_INFO $path_info;\nfastcgi_index index.php;\ninclude fastcgi.conf;\n";
    let conf = "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\nfastcgi_param QUERY_STRING $query_string;\n";
    let (sources, m) = host(&[
        ("/etc/nginx/nginx.conf", MAIN),
        ("/etc/nginx/sites-enabled/default", site),
        ("/etc/nginx/snippets/fastcgi-php.conf", snippet),
        ("/etc/nginx/fastcgi.conf", conf),
    ]);
    let php = &m.locations[0];
    assert_eq!(
        lines(&php.fastcgi_params.settings),
        [
            "fastcgi_param PATH_INFO $path_info",
            "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name",
            "fastcgi_param QUERY_STRING $query_string"
        ]
    );
    let try_files = php.settings.iter().find(|s| s.name == "try_files").unwrap();
    assert_eq!(
        path(&sources, try_files.file),
        "/etc/nginx/snippets/fastcgi-php.conf"
    );
    let include = &m.includes[try_files.via.unwrap()];
    assert_eq!(
        path(&sources, include.file),
        "/etc/nginx/sites-enabled/default"
    );
    // The snippet missing from the dump: an unresolved include, not a silent gap.
    let m = model(&[
        ("/etc/nginx/nginx.conf", MAIN),
        ("/etc/nginx/sites-enabled/default", site),
    ]);
    let missing: Vec<&str> = m
        .unresolved_includes
        .iter()
        .filter(|u| !u.glob)
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(missing, ["/etc/nginx/snippets/fastcgi-php.conf"]);
}

#[test]
fn hostile_sizes_stay_linear() {
    // Many include lines, a huge inherited list and many locations: the model must not
    // multiply them (the lists are shared, not copied per location).
    let mut text = "include missing.conf;\n".repeat(60_000);
    text.push_str("http { server {\n");
    text.push_str(&"add_header X y;\n".repeat(20_000));
    text.push_str(&"location /a { }\n".repeat(3_000));
    text.push_str("} }\n");
    let m = model(&[("/etc/nginx/nginx.conf", &text)]);
    assert_eq!(m.locations.len(), 3_000);
    assert!(m.includes.len() <= 50_000);
    assert_eq!(m.include_problems.len(), 1);
    let server = &m.servers[0].add_headers.settings;
    assert_eq!(server.len(), 20_000);
    assert!(
        m.locations
            .iter()
            .all(|l| std::sync::Arc::ptr_eq(&l.add_headers.settings, server))
    );
}
