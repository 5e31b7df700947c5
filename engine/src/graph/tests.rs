use super::*;
use crate::source::{FileKind, SourceFile};

fn host(files: &[(&str, &str, FileKind)]) -> SourceSet {
    let mut sources = SourceSet::new();
    for (path, text, kind) in files {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    sources
}

const NGINX: &str = "user www-data;\nevents {}\nhttp {\n  server {\n    server_name blog.example;\n    root /srv/blog;\n    location ~ \\.php$ { fastcgi_pass unix:/run/php/www.sock; }\n  }\n  server {\n    server_name wiki.example;\n    root /srv/wiki;\n    location ~ \\.php$ { fastcgi_pass unix:/run/php/www.sock; }\n  }\n  server {\n    server_name shop.example;\n    root /srv/shop;\n    location ~ \\.php$ { fastcgi_pass unix:/run/php/shop.sock; }\n  }\n}\n";

const POOLS: &str = "[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/www.sock\nlisten.owner = www-data\nlisten.group = www-data\npm = ondemand\npm.max_children = 5\n\n[shop]\nuser = shop\ngroup = shop\nlisten = /run/php/shop.sock\nlisten.owner = www-data\nlisten.group = www-data\nlisten.mode = 0666\npm = ondemand\npm.max_children = 5\nphp_admin_value[open_basedir] = /srv/\n";

fn three_apps() -> Graph {
    map(&host(&[
        ("/etc/nginx/nginx.conf", NGINX, FileKind::Nginx),
        ("/etc/php/8.2/fpm/pool.d/www.conf", POOLS, FileKind::FpmPool),
    ]))
}

fn lateral_rules(graph: &Graph) -> Vec<&'static str> {
    let mut rules: Vec<&str> = graph.laterals.iter().map(|l| l.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

#[test]
fn the_shared_pool_and_its_neighbours_are_lateral_paths() {
    let graph = three_apps();
    let rules = lateral_rules(&graph);
    for rule in ["NGX-006", "FPM-302", "FPM-106", "FPM-305", "FPM-304"] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    let pool = graph.node("pool:www").unwrap();
    assert!(pool.risks.contains(&"NGX-006"), "{:?}", pool.risks);
    let shop = graph.node("pool:shop").unwrap();
    assert!(!shop.risks.contains(&"NGX-006"));
    // Every route keeps its origin: the fastcgi_pass line.
    let routes = graph.edges.iter().filter(|e| e.kind == EdgeKind::RoutesTo);
    assert_eq!(routes.clone().count(), 3);
    assert!(routes.clone().all(|e| e.origin.is_some()));
}

#[test]
fn sockets_say_who_can_connect() {
    let graph = three_apps();
    let everyone = graph.node_index("everyone").unwrap();
    let shop_socket = graph
        .node_index("endpoint:unix:/run/php/shop.sock")
        .unwrap();
    let edge = graph
        .edges
        .iter()
        .find(|e| e.from == everyone && e.to == shop_socket)
        .unwrap();
    assert_eq!(edge.kind, EdgeKind::CanConnect);
    assert!(edge.risks.contains(&"FPM-106"));
    // The web server reaches the shop socket through listen.owner: intended, not a risk.
    let web = graph.node_index("user:www-data").unwrap();
    let reach = graph
        .edges
        .iter()
        .find(|e| e.from == web && e.to == shop_socket)
        .unwrap();
    assert!(reach.risks.is_empty(), "{:?}", reach.risks);
}

#[test]
fn tcp_on_all_interfaces_is_reachable_from_the_network() {
    let graph = map(&host(&[(
        "/etc/php/8.2/fpm/pool.d/www.conf",
        "[www]\nuser = app\nlisten = 9000\n",
        FileKind::FpmPool,
    )]));
    let net = graph.node_index("network").unwrap();
    assert!(
        graph
            .edges
            .iter()
            .any(|e| e.from == net && e.risks.contains(&"FPM-103"))
    );
}

#[test]
fn layout_is_deterministic_and_uncrossed_for_a_simple_host() {
    let a = three_apps();
    let b = three_apps();
    assert_eq!(to_svg(&a), to_svg(&b));
    assert!(crossings(&a) <= 2, "{} crossings", crossings(&a));
    for node in &a.nodes {
        assert!(node.x >= 0.0 && node.y >= 0.0 && node.x + node.width <= a.width);
        assert!(node.y + node.height <= a.height);
    }
}

#[test]
fn user_text_is_escaped_in_svg_and_dot() {
    let graph = map(&host(&[(
        "/etc/php/8.2/fpm/pool.d/www.conf",
        "[<script>\"x\"]\nuser = a&b\nlisten = /run/php/x.sock\n",
        FileKind::FpmPool,
    )]));
    let svg = to_svg(&graph);
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"));
    let dot = to_dot(&graph);
    assert!(dot.contains("<script>\\\"x"), "{dot}");
}

#[test]
fn an_empty_host_gives_an_empty_map() {
    let graph = map(&SourceSet::new());
    assert!(graph.nodes.is_empty() && graph.laterals.is_empty());
    assert!(to_svg(&graph).starts_with("<svg"));
}

/// With a snapshot, the map shows who can really write where: a directory in the shop's tree
/// that the blog's group may write is a can-write edge from the blog's user, and, since the
/// shop writes it too, an FPM-310 lateral path.
#[test]
fn real_modes_draw_write_edges_and_cross_writable_laterals() {
    let pools = "[shop]\nuser = shop\ngroup = shop\nlisten = /run/php/shop.sock\nchdir = /srv/shop\n\
                 [blog]\nuser = blog\ngroup = blog\nlisten = /run/php/blog.sock\nchdir = /srv/blog\n";
    let snapshot = "# fpmaudit fs-snapshot v1\n\
                    drwxr-xr-x root root 0 0 /srv\n\
                    drwxr-x--- root blog 0 1002 /srv/blog\n\
                    drwxr-xr-x root shop 0 1001 /srv/shop\n\
                    drwxrwx--- shop blog 1001 1002 /srv/shop/uploads\n";
    let graph = map(&host(&[
        ("/etc/php/8.2/fpm/pool.d/www.conf", pools, FileKind::FpmPool),
        ("/fpmaudit/fs-snapshot.txt", snapshot, FileKind::FsSnapshot),
    ]));
    let uploads = graph.node_index("path:/srv/shop/uploads").unwrap();
    let writers: Vec<&str> = graph
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::CanWrite && e.to == uploads)
        .filter_map(|e| graph.nodes.get(e.from).map(|n| n.id.as_str()))
        .collect();
    assert_eq!(writers, ["user:blog", "user:shop"]);
    assert!(
        graph
            .laterals
            .iter()
            .any(|l| l.rule == "FPM-310" && l.nodes.contains(&uploads))
    );
    let node = graph.node("path:/srv/shop/uploads").unwrap();
    assert!(
        node.detail.iter().any(|d| d == "drwxrwx--- shop:blog"),
        "{:?}",
        node.detail
    );
    assert!(node.risks.contains(&"FPM-310"));
    // /srv/blog (0750 root:blog) keeps the shop out: no edge from the shop into it.
    let blog_tree = graph.node_index("path:/srv/blog");
    assert!(
        !graph.edges.iter().any(|e| Some(e.to) == blog_tree
            && graph.nodes.get(e.from).is_some_and(|n| n.id == "user:shop"))
    );
}
