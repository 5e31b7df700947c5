//! Inheritance (research/nginx.md c.19, d.2, d.4) and `fastcgi_pass` targets.

use super::{host, lines, model, text};
use crate::model::nginx::{Endpoint, FastcgiTarget, Level};

#[test]
fn one_fastcgi_param_in_a_location_drops_every_inherited_one() {
    let m = model(&[
        (
            "/etc/nginx/nginx.conf",
            "http {\n fastcgi_param HTTP_PROXY \"\";\n server {\n  include fastcgi_params;\n  location /plain { }\n  location ~ \\.php$ {\n   fastcgi_param PHP_VALUE \"upload_max_filesize=64M\";\n   location ~ /x/ { }\n  }\n }\n server { location / { } }\n}\n",
        ),
        (
            "/etc/nginx/fastcgi_params",
            "fastcgi_param QUERY_STRING $query_string;\nfastcgi_param REQUEST_METHOD $request_method;\n",
        ),
    ]);
    let server = &m.servers[0];
    assert_eq!(server.fastcgi_params.level, Level::Server(0));
    assert_eq!(server.fastcgi_params.settings.len(), 2);
    let plain = &m.locations[0];
    assert_eq!(plain.fastcgi_params.level, Level::Server(0));
    assert_eq!(
        lines(&plain.fastcgi_params.settings),
        [
            "fastcgi_param QUERY_STRING $query_string",
            "fastcgi_param REQUEST_METHOD $request_method"
        ]
    );
    let php = &m.locations[1];
    assert_eq!(php.fastcgi_params.level, Level::Location(1));
    let lost = m.dropped(1, "fastcgi_param");
    assert_eq!(lost.level, Level::Server(0));
    assert_eq!(lost.settings.len(), 2);
    assert!(m.dropped(0, "fastcgi_param").settings.is_empty());
    assert!(m.dropped(2, "fastcgi_param").settings.is_empty());
    // The server loses the http block's HTTP_PROXY line.
    assert_eq!(m.server_dropped(0, "fastcgi_param").settings.len(), 1);
    assert_eq!(
        lines(&php.fastcgi_params.settings),
        ["fastcgi_param PHP_VALUE upload_max_filesize=64M"]
    );
    let nested = &m.locations[2];
    assert_eq!(nested.parent, Some(1));
    assert_eq!(nested.fastcgi_params.level, Level::Location(1));
    // The second server has none of its own: it gets the http block's.
    assert_eq!(m.servers[1].fastcgi_params.level, Level::Http(0));
    assert_eq!(
        lines(&m.locations[3].fastcgi_params.settings),
        ["fastcgi_param HTTP_PROXY "]
    );
    assert_eq!(m.inherited(3, "proxy_set_header").level, Level::Unset);
}

#[test]
fn headers_redefined_through_includes() {
    let headers = "add_header X-Frame-Options SAMEORIGIN always;\nadd_header X-Content-Type-Options nosniff always;\nadd_header Referrer-Policy same-origin always;\n";
    let with_snippet = "http { server {\n include snippets/sec-headers.conf;\n location ~ \\.php$ {\n  include snippets/sec-headers.conf;\n  add_header Cache-Control no-store;\n }\n} }";
    let (sources, m) = host(&[
        ("/etc/nginx/nginx.conf", with_snippet),
        ("/etc/nginx/snippets/sec-headers.conf", headers),
    ]);
    let php = &m.locations[0];
    assert_eq!(php.add_headers.settings.len(), 4);
    assert!(m.dropped(0, "add_header").settings.is_empty(), "gixy#114");
    let first = &php.add_headers.settings[0];
    assert_eq!(
        text(&sources, first.file, first.range),
        "add_header X-Frame-Options SAMEORIGIN always;"
    );
    assert_eq!(m.servers[0].add_headers.settings.len(), 3);

    let without = with_snippet.replace("  include snippets/sec-headers.conf;\n  add", "  add");
    let m = model(&[
        ("/etc/nginx/nginx.conf", &without),
        ("/etc/nginx/snippets/sec-headers.conf", headers),
    ]);
    assert_eq!(
        lines(&m.locations[0].add_headers.settings),
        ["add_header Cache-Control no-store"]
    );
    assert_eq!(m.servers[0].add_headers.settings.len(), 3);
    let lost = m.dropped(0, "add_header");
    assert_eq!(lost.level, Level::Server(0));
    assert_eq!(
        lost.settings.len(),
        3,
        "the three security headers are dropped"
    );
}

#[test]
fn root_and_alias_share_one_inherited_slot() {
    let (sources, m) = host(&[(
        "/etc/nginx/nginx.conf",
        "http {\n root /srv/default;\n client_max_body_size 8m;\n server {\n  location / { }\n  location /static/ { alias /srv/app/static/; location ~ \\.css$ { } }\n  location /b { root /srv/b; }\n }\n server { root /srv/two; location / { } }\n}\n",
    )]);
    let s0 = m.servers[0].root.as_ref().unwrap();
    assert_eq!(
        (s0.arg(0), text(&sources, s0.file, s0.range)),
        (Some("/srv/default"), "root /srv/default;")
    );
    assert_eq!(m.servers[1].root.as_ref().unwrap().arg(0), Some("/srv/two"));
    let root_of = |i: usize| {
        let r = m.locations[i].document_root.as_ref().unwrap();
        format!("{} {}", r.name, r.arg(0).unwrap())
    };
    assert_eq!(root_of(0), "root /srv/default");
    assert_eq!(root_of(1), "alias /srv/app/static/");
    assert_eq!(
        root_of(2),
        "alias /srv/app/static/",
        "nested locations inherit alias"
    );
    assert_eq!(root_of(3), "root /srv/b");
    assert_eq!(root_of(4), "root /srv/two");
    assert_eq!(
        m.effective(2, &["client_max_body_size"])
            .and_then(|s| s.arg(0)),
        Some("8m")
    );
    let none = model(&[("/etc/nginx/nginx.conf", "http { server { location / {} } }")]);
    assert!(none.locations[0].document_root.is_none());
    assert!(none.servers[0].root.is_none());
}

#[test]
fn fastcgi_pass_targets_and_upstreams() {
    let m = model(&[(
        "/etc/nginx/nginx.conf",
        "http {\n upstream php {\n  server unix:/run/php/a.sock weight=2;\n  server 10.0.0.5:9000 backup;\n }\n server {\n  location /u { fastcgi_pass php; location /u/n { } }\n  location /s { fastcgi_pass unix:/run/php/php8.2-fpm.sock; }\n  location /t { fastcgi_pass 127.0.0.1:9000; }\n  location /v6 { fastcgi_pass [::1]:9001; }\n  location /h { fastcgi_pass php-fpm; }\n  location /var { fastcgi_pass $backend; }\n }\n}\n",
    )]);
    let pass = |i: usize| m.locations[i].fastcgi_pass.as_ref();
    let upstream = pass(0).unwrap();
    assert_eq!(upstream.target, FastcgiTarget::Upstream(0));
    let endpoints: Vec<&Endpoint> = upstream.backends.iter().map(|b| &b.endpoint).collect();
    assert_eq!(
        endpoints,
        [
            &Endpoint::Unix("/run/php/a.sock".into()),
            &Endpoint::Tcp {
                host: "10.0.0.5".into(),
                port: Some(9000)
            }
        ]
    );
    assert_eq!(m.upstreams[0].name, "php");
    assert!(
        pass(1).is_none(),
        "fastcgi_pass is not inherited by nested locations"
    );
    assert_eq!(
        pass(2).unwrap().backends[0].endpoint,
        Endpoint::Unix("/run/php/php8.2-fpm.sock".into())
    );
    let tcp = &pass(3).unwrap().backends[0].endpoint;
    assert_eq!(
        tcp,
        &Endpoint::Tcp {
            host: "127.0.0.1".into(),
            port: Some(9000)
        }
    );
    assert!(tcp.is_loopback());
    assert_eq!(
        pass(4).unwrap().target,
        FastcgiTarget::Endpoint(Endpoint::Tcp {
            host: "::1".into(),
            port: Some(9001)
        })
    );
    assert_eq!(
        pass(5).unwrap().target,
        FastcgiTarget::Endpoint(Endpoint::Tcp {
            host: "php-fpm".into(),
            port: None
        })
    );
    assert_eq!(
        pass(6).unwrap().target,
        FastcgiTarget::Variable("$backend".into())
    );
    assert!(pass(6).unwrap().backends.is_empty());
}

#[test]
fn shared_backend_is_visible_across_servers() {
    // research/nginx.md d.4: two vhosts, one socket, only one sets PHP_ADMIN_VALUE.
    let (sources, m) = host(&[(
        "/etc/nginx/sites-enabled/apps",
        "server {\n server_name a.example;\n root /srv/a;\n location ~ \\.php$ {\n  fastcgi_param PHP_ADMIN_VALUE \"open_basedir=/srv/a/\";\n  fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n }\n}\nserver {\n server_name b.example;\n root /srv/b;\n location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.2-fpm.sock; }\n}\n",
    )]);
    let backends: Vec<(usize, &Endpoint)> = (0..m.servers.len())
        .flat_map(|s| {
            m.fastcgi_passes(s)
                .flat_map(move |(_, p)| p.backends.iter().map(move |b| (s, &b.endpoint)))
        })
        .collect();
    assert_eq!(backends.len(), 2);
    assert_eq!(backends[0].1, backends[1].1);
    assert_ne!(backends[0].0, backends[1].0);
    let head = m.locations[0].head.head();
    assert_eq!(
        text(&sources, m.locations[0].head.file, head),
        "location ~ \\.php$"
    );
    let names: Vec<&str> = m
        .servers
        .iter()
        .map(|s| s.names[0].value.as_str())
        .collect();
    assert_eq!(names, ["a.example", "b.example"]);
    let origin = m.servers[0].names[0].origin;
    assert_eq!(text(&sources, origin.file, origin.value), "a.example");
    let param = &m.locations[0].fastcgi_params.settings[0];
    assert_eq!(param.arg(1), Some("open_basedir=/srv/a/"));
    let value = param.arg_origin(1).unwrap();
    assert_eq!(
        text(&sources, value.file, value.value),
        "\"open_basedir=/srv/a/\""
    );
    assert_eq!(
        text(&sources, value.file, param.origin().value),
        "PHP_ADMIN_VALUE \"open_basedir=/srv/a/\""
    );
}

#[test]
fn listens_and_server_level_if() {
    let m = model(&[(
        "/etc/nginx/conf.d/a.conf",
        "server {\n listen 80 default_server;\n listen [::]:443 ssl default;\n listen unix:/run/n.sock;\n if ($host = x) { return 444; }\n}\n",
    )]);
    let listens: Vec<(&str, bool)> = m.servers[0]
        .listens
        .iter()
        .map(|l| (l.address.as_str(), l.default_server))
        .collect();
    assert_eq!(
        listens,
        [
            ("80", true),
            ("[::]:443", true),
            ("unix:/run/n.sock", false)
        ]
    );
    assert_eq!(m.servers[0].blocks.len(), 1);
    assert_eq!(lines(&m.servers[0].blocks[0].settings), ["return 444"]);
}

#[test]
fn add_header_inherit_merge_and_off() {
    // nginx 1.29.3: `merge` appends the outer level's headers, `off` drops them; the mode is
    // inherited like an ordinary directive.
    let m = model(&[(
        "/etc/nginx/nginx.conf",
        "http {\n add_header A 1;\n server {\n  add_header_inherit merge;\n  add_header B 2;\n  location /m { add_header C 3; }\n  location /o { add_header_inherit off; }\n  location /p { add_header_inherit on; add_header D 4; }\n }\n}\n",
    )]);
    assert_eq!(
        lines(&m.servers[0].add_headers.settings),
        ["add_header B 2", "add_header A 1"]
    );
    assert_eq!(
        lines(&m.locations[0].add_headers.settings),
        ["add_header C 3", "add_header B 2", "add_header A 1"]
    );
    assert_eq!(m.locations[0].add_headers.level, Level::Location(0));
    assert!(m.locations[1].add_headers.settings.is_empty());
    assert!(
        m.dropped(0, "add_header").settings.is_empty(),
        "merge drops nothing"
    );
    assert_eq!(
        lines(&m.locations[2].add_headers.settings),
        ["add_header D 4"]
    );
    // Other array directives ignore it.
    assert_eq!(m.inherited(1, "fastcgi_param").level, Level::Unset);
}
