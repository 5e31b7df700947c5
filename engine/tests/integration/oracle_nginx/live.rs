//! Location selection against a live nginx: generated servers listen on unix sockets, every
//! location answers `return 200 "L<n>"`, and for each URI the location nginx runs must be
//! the one `NginxModel::find_location` picks — which also checks our PCRE subset against
//! PCRE on every regex location.

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fpmaudit_engine::model::Model;
use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

use crate::support::{Rng, program, scratch};

/// Location heads for the server level: (modifier and pattern, static name if any).
const HEADS: &[&str] = &[
    "/",
    "/a/",
    "/a",
    "/uploads/",
    "^~ /uploads/",
    "/static/",
    "^~ /static/",
    "= /",
    "= /a.php",
    "= /index.php",
    "/v1",
    "~ \\.php$",
    "~* \\.php$",
    "~ [^/]\\.php(/|$)",
    "~* ^/uploads/.*\\.php$",
    "~ (^|/)\\.",
    "~ /\\.(?!well-known)",
    "~ \\.(jpg|png)$",
    "~* \\.(jpg|png|gif)$",
    "~ \"^/v\\d{1,2}/\"",
    "~ \"^/x{2,3}$\"",
    "~ ^/(a|b)+/?$",
    "~ \\bwp\\b",
    "~ ^/[a-c][^/]*$",
    "~ \"^/p[0-9]+/\"",
    "~ \\.ph(p|tml)$",
    "~ (?i)/admin",
    "~ /\\d+$",
    "~ ^/a\\.b",
    "~ \\.php\\z",
    "~ ^/up(?:loads)?/",
    "~* ^/STATIC/.*\\.(css|js)$",
    "~ \"^/v[[:digit:]]{2}/\"",
    "~ ^/s\\S*$",
    "~ \"^/.{3}$\"",
    "~ a|b$",
    "~ ^/[^a-z0-9]",
    "~ \"^/x{2}\"",
    "~ ^/(?:a|ab)c?/?$",
    "~ \\.(?=php)",
    "~ ^/[\\w.-]+\\.php$",
    "~ ^/a(?i:B)c",
    "~ ^/(a)\\1",
];

/// (what is sent in the request line, the decoded URI nginx matches).
const URIS: &[(&str, &str)] = &[
    ("/", "/"),
    ("/index.php", "/index.php"),
    ("/a.php", "/a.php"),
    ("/A.PHP", "/A.PHP"),
    ("/a.php.jpg", "/a.php.jpg"),
    ("/a.phtml", "/a.phtml"),
    ("/x/y.php/info", "/x/y.php/info"),
    ("/uploads/x.php", "/uploads/x.php"),
    ("/uploads/x.png", "/uploads/x.png"),
    ("/uploads/x.PNG", "/uploads/x.PNG"),
    ("/up/x", "/up/x"),
    ("/static/a.css", "/static/a.css"),
    ("/STATIC/A.CSS", "/STATIC/A.CSS"),
    ("/static/a.php", "/static/a.php"),
    ("/.git/config", "/.git/config"),
    ("/.well-known/acme", "/.well-known/acme"),
    ("/a/.env", "/a/.env"),
    ("/v12/x", "/v12/x"),
    ("/v123/x", "/v123/x"),
    ("/v1", "/v1"),
    ("/v1x", "/v1x"),
    ("/xx", "/xx"),
    ("/xxx", "/xxx"),
    ("/xxxx", "/xxxx"),
    ("/a/", "/a/"),
    ("/a", "/a"),
    ("/ab", "/ab"),
    ("/abc", "/abc"),
    ("/aBc", "/aBc"),
    ("/b/", "/b/"),
    ("/aab/", "/aab/"),
    ("/wp/x", "/wp/x"),
    ("/wpx", "/wpx"),
    ("/c1", "/c1"),
    ("/cd/e", "/cd/e"),
    ("/p42/x", "/p42/x"),
    ("/admin", "/admin"),
    ("/ADMIN/x", "/ADMIN/x"),
    ("/123", "/123"),
    ("/a.b", "/a.b"),
    ("/sxy", "/sxy"),
    ("/_x", "/_x"),
    ("/a-b.php", "/a-b.php"),
    ("/a.php%0A", "/a.php\n"),
    ("/x.php%0Ax", "/x.php\nx"),
    ("/a/sub/x.php", "/a/sub/x.php"),
    ("/uploads/sub/x.png", "/uploads/sub/x.png"),
];

/// A server block whose every location returns its own marker.
fn server(rng: &mut Rng, socket: &Path, empty_root: &Path, marker: &mut usize) -> String {
    let mut out = format!(
        "server {{\n  listen unix:{};\n  root {};\n",
        socket.display(),
        empty_root.display()
    );
    let mut static_names: Vec<String> = Vec::new();
    for _ in 0..3 + rng.below(9) {
        let head = *rng.pick(HEADS);
        let is_regex = head.starts_with('~');
        let name = head.rsplit(' ').next().unwrap_or(head).to_string();
        if !is_regex {
            if static_names.contains(&name) {
                continue;
            }
            static_names.push(name.clone());
        }
        *marker += 1;
        writeln!(out, "  location {head} {{\n    return 200 \"L{marker}\";").unwrap();
        if !head.starts_with('=') && rng.chance(35) {
            *marker += 1;
            let nested = if is_regex || rng.chance(50) {
                (*rng.pick(&["~ \\.php$", "~ /x", "~* \\.PNG$"])).to_string()
            } else if name.ends_with('/') {
                format!("{name}sub/")
            } else {
                format!("{name}/sub/")
            };
            writeln!(out, "    location {nested} {{ return 200 \"L{marker}\"; }}").unwrap();
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// Sends `GET uri` and returns the body when the status is 200.
fn get(socket: &Path, uri: &str) -> Option<String> {
    let mut stream = UnixStream::connect(socket).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(stream, "GET {uri} HTTP/1.0\r\nHost: oracle\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    head.starts_with("HTTP/1.1 200 ").then(|| body.to_string())
}

#[test]
fn location_selection_agrees_with_a_live_nginx() {
    const SERVERS: usize = 80;
    let mut dir = scratch("oracle-nginx-live");
    // A unix socket path must fit in 108 bytes; a deep target dir would not.
    if dir.as_os_str().len() > 80 {
        dir = std::env::temp_dir().join(format!("fpmaudit-oracle-nginx-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let mut rng = Rng::new(0x10CA);
    let mut marker = 0;
    let mut config =
        String::from("events {}\nhttp {\n  access_log off;\n  default_type text/plain;\n");
    let sockets: Vec<_> = (0..SERVERS)
        .map(|i| dir.join(format!("s{i}.sock")))
        .collect();
    for socket in &sockets {
        config.push_str(&server(&mut rng, socket, &empty, &mut marker));
    }
    config.push_str("}\n");
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, &config).unwrap();
    let mut server = Server(
        Command::new(program(&["nginx"]))
            .arg("-p")
            .arg(format!("{}/", dir.display()))
            .arg("-c")
            .arg(&conf)
            .arg("-g")
            .arg(format!(
                "daemon off; master_process off; pid {0}/nginx.pid; error_log {0}/error.log;",
                dir.display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut server.0;
    let started = Instant::now();
    while !sockets.iter().all(|s| s.exists()) {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            panic!("nginx exited ({status}): {stderr}\n{config}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (compared, located, unsure) = compare_all(&config, &sockets);
    drop(server);
    println!(
        "live nginx oracle: {SERVERS} servers, {marker} locations, {compared} URIs routed like nginx ({located} to a location), {unsure} skipped as unsure"
    );
    assert!(compared > SERVERS * URIS.len() / 2);
}

/// The nginx process serving the test; stopped however the test ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Asks nginx and the model about every URI on every server; returns how many were compared,
/// how many of those reached a location, and how many were skipped as unsure.
fn compare_all(config: &str, sockets: &[std::path::PathBuf]) -> (usize, usize, usize) {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/nginx/nginx.conf",
        config,
        FileKind::Nginx,
    ));
    let model = Model::build(&sources);
    let nginx = &model.nginx;
    assert_eq!(nginx.servers.len(), sockets.len());
    let (mut compared, mut located, mut unsure) = (0, 0, 0);
    for (server, socket) in sockets.iter().enumerate() {
        for (sent, uri) in URIS {
            let found = nginx.find_location(server, uri);
            if !found.unsure.is_empty() {
                unsure += 1;
                continue;
            }
            let ours = found.location.map(|index| {
                let location = &nginx.locations[index];
                let ret = location
                    .settings
                    .iter()
                    .find(|s| s.name == "return")
                    .unwrap();
                ret.arg(1).unwrap().to_string()
            });
            let theirs = get(socket, sent);
            assert_eq!(
                ours,
                theirs,
                "server {server}, URI {uri:?}\n{}",
                server_text(config, server)
            );
            compared += 1;
            located += usize::from(theirs.is_some());
        }
    }
    (compared, located, unsure)
}

/// The text of server number `index`, for failure messages.
fn server_text(config: &str, index: usize) -> String {
    config
        .split("server {\n")
        .nth(index + 1)
        .unwrap_or_default()
        .to_string()
}
