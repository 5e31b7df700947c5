//! Location selection (research/nginx.md c.7, c.20, d.3) and how locations are read.

use super::{model, pick};
use crate::model::nginx::Modifier;

fn server(body: &str) -> crate::model::nginx::NginxModel {
    model(&[(
        "/etc/nginx/nginx.conf",
        &format!("http {{ server {{\n{body}\n}} }}"),
    )])
}

#[test]
fn the_nginx_documentation_example() {
    let m = server(
        "location = / { }\nlocation / { }\nlocation /documents/ { }\nlocation ^~ /images/ { }\nlocation ~* \\.(gif|jpg|jpeg)$ { }",
    );
    assert_eq!(pick(&m, 0, "/"), "= /");
    assert_eq!(pick(&m, 0, "/index.html"), "/");
    assert_eq!(pick(&m, 0, "/documents/document.html"), "/documents/");
    assert_eq!(pick(&m, 0, "/images/1.gif"), "^~ /images/");
    assert_eq!(pick(&m, 0, "/documents/1.JPG"), "~* \\.(gif|jpg|jpeg)$");
}

#[test]
fn regexes_are_tried_in_file_order() {
    // d.3: the deny written after the PHP handler is never reached.
    let php_first = server("location ~ \\.php$ { }\nlocation ~* ^/uploads/.*\\.php$ { deny all; }");
    assert_eq!(pick(&php_first, 0, "/uploads/x.php"), "~ \\.php$");
    let deny_first =
        server("location ~* ^/uploads/.*\\.php$ { deny all; }\nlocation ~ \\.php$ { }");
    assert_eq!(
        pick(&deny_first, 0, "/uploads/x.php"),
        "~* ^/uploads/.*\\.php$"
    );
    assert_eq!(pick(&deny_first, 0, "/x.php"), "~ \\.php$");
    // A `^~` prefix stops the regex search: the upload is served as a file.
    let no_regex = server("location ~ \\.php$ { }\nlocation ^~ /uploads/ { }");
    assert_eq!(pick(&no_regex, 0, "/uploads/x.php"), "^~ /uploads/");
    // A plain prefix does not.
    let plain = server("location ~ \\.php$ { }\nlocation /uploads/ { }");
    assert_eq!(pick(&plain, 0, "/uploads/x.php"), "~ \\.php$");
    assert_eq!(pick(&plain, 0, "/uploads/x.png"), "/uploads/");
    assert_eq!(pick(&plain, 0, "/x.png"), "none");
}

#[test]
fn nested_locations_are_searched_before_the_outer_regexes() {
    let m = server(
        "location /app/ { location ~ \\.php$ { } }\nlocation ^~ /a/ { location ~ \\.php$ { } location /a/b/ { } }\nlocation ~ \\.php$ { }\nlocation ~ ^/api/ { location ~ \\.php$ { } }\nlocation @fallback { }",
    );
    let nested = |uri: &str| {
        let found = m.find_location(0, uri).location.unwrap();
        (found, m.locations[found].parent)
    };
    assert_eq!(nested("/app/x.php"), (1, Some(0)));
    assert_eq!(pick(&m, 0, "/app/x.txt"), "/app/");
    // `^~` only skips the regexes of the level it is on, not its own nested ones.
    assert_eq!(nested("/a/x.php"), (3, Some(2)));
    assert_eq!(pick(&m, 0, "/a/b/c"), "/a/b/");
    assert_eq!(nested("/a/b/x.php"), (3, Some(2)));
    assert_eq!(nested("/z.php"), (5, None));
    // The outer `\.php$` comes first in the file, so it wins over `^/api/`.
    assert_eq!(nested("/api/x.php"), (5, None));
    assert_eq!(nested("/api/x"), (6, None));
    let api_first = server("location ~ ^/api/ { location ~ \\.php$ { } }\nlocation ~ \\.php$ { }");
    let found = api_first.find_location(0, "/api/x.php").location.unwrap();
    assert_eq!(api_first.locations[found].parent, Some(0));
    assert_eq!(pick(&m, 0, "@fallback"), "none");
}

#[test]
fn exact_beats_a_prefix_of_the_same_name_and_longest_prefix_wins() {
    let m = server("location /a { }\nlocation /a/b { }\nlocation = /a/b { }\nlocation /a/bc { }");
    assert_eq!(pick(&m, 0, "/a/b"), "= /a/b");
    assert_eq!(pick(&m, 0, "/a/bx"), "/a/b");
    assert_eq!(pick(&m, 0, "/a/bcd"), "/a/bc");
    assert_eq!(pick(&m, 0, "/ab"), "/a");
}

#[test]
fn patterns_the_model_cannot_evaluate_are_reported() {
    let m = server("location / { }\nlocation ~ (a)\\1 { }\nlocation ~ \\.php$ { }");
    let found = m.find_location(0, "/x.php");
    assert_eq!(found.location, Some(2));
    assert_eq!(found.unsure, [1]);
    assert_eq!(m.location_matches(1, "/aa"), None);
    assert_eq!(m.location_matches(2, "/aa"), Some(false));
}

#[test]
fn modifiers_glued_or_separate() {
    // c.7 and c.12 (quoted directive names).
    let m = server(
        "location =/healthz {}\nlocation ^~/static/ {}\nlocation ~\\.php$ {}\nlocation ~*\\.(?:png|jpg)$ {}\nlocation @fallback {}\n\"location\" /x { \"return\" 204; }\nlocation ~ \"^/v\\d{1,2}/\" {}\nlocation /a{}location /b{}",
    );
    let read: Vec<(Modifier, &str)> = m
        .locations
        .iter()
        .map(|l| (l.modifier, l.pattern.as_str()))
        .collect();
    assert_eq!(
        read,
        [
            (Modifier::Exact, "/healthz"),
            (Modifier::PrefixNoRegex, "/static/"),
            (Modifier::Regex, "\\.php$"),
            (Modifier::RegexCaseless, "\\.(?:png|jpg)$"),
            (Modifier::Named, "@fallback"),
            (Modifier::Prefix, "/x"),
            (Modifier::Regex, "^/v\\d{1,2}/"),
            (Modifier::Prefix, "/a"),
            (Modifier::Prefix, "/b"),
        ]
    );
    assert_eq!(pick(&m, 0, "/v12/x"), "~ ^/v\\d{1,2}/");
    assert_eq!(pick(&m, 0, "/IMG.PNG"), "~* \\.(?:png|jpg)$");
    assert_eq!(pick(&m, 0, "/static/a.php"), "^~ /static/");
    assert_eq!(m.servers[0].locations.len(), 9);
}

#[test]
fn hostile_nesting_is_bounded() {
    let deep = "location /a { ".repeat(5000) + &"}".repeat(5000);
    let m = server(&deep);
    assert!(m.locations.len() <= 40);
    assert_eq!(pick(&m, 0, "/a"), "/a");
}
