//! Random nginx configs for the `nginx -t` oracle: mostly valid constructs this nginx build
//! knows (inside `http { server { location ... } }`, no real files or ports needed), research
//! section (c) edge cases, some split into included files, and a few breakages per file.

use std::fmt::Write as _;

use crate::support::Rng;

/// Directives that are fine any number of times in a location (or server).
const REPEATABLE: &[&str] = &[
    "add_header X-A b;",
    "add_header X-Tag a#b;",
    "add_header X-Q \"a;b\";",
    "add_header X-S 'it\\'s' always;",
    "add_header X-E a\\;b;",
    "add_header \"X-Quoted\" \"v\";",
    "add_header X-Brace \"}{\";",
    "add_header X-Multi\n        \"v\";",
    "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;",
    "fastcgi_param PATH_INFO $fastcgi_path_info if_not_empty;",
    "fastcgi_param HTTP_PROXY \"\";",
    "fastcgi_param A # a comment between arguments\n        b;",
    "set $v \"x\";",
    "set $w ${uri}x;",
    "return 200 \"ok\";",
    "return 200 a\"b\";",
    "\"return\" 204;",
    "# a comment with ; { and }",
    "#",
    "",
];

/// Directives that may appear once per block.
const ONCE: &[&str] = &[
    "try_files /c/${uri}.html =404;",
    "default_type text/plain;",
    "expires 1h;",
    "log_not_found off;",
    "index index.php index.html;",
    "access_log off;log_subrequest on;",
];

/// `if` blocks for locations; the server level takes 0, 3 and 4 (`add_header` is not allowed
/// in a server-level `if`).
const IF_BLOCKS: &[&str] = &[
    "if ($request_uri ~* \"%0a|%0d\") { return 403; }",
    "if ( -f $request_filename ) { break; }",
    "if ($arg_x) { add_header X y; }",
    "if ($http_host = \"a.example\") { return 444; }",
    "if ($uri ~ ^/a(b|c)$) { set $m $1; }",
];

const REGEXES: &[&str] = &[
    "~ \\.php$",
    "~\\.php$",
    "~* \\.(jpg|png)$",
    "~*\\.(?:png|jpg)$",
    "~ \"^/v\\d{1,2}/\"",
    "~ \"/a;b$\"",
    "~ [^/]\\.php(/|$)",
    "~ ^/uploads/.*\\.php$",
    "~ /\\.(?!well-known)",
    "~ '^/x{2,3}$'",
];

/// Constructs that break a file, each the way research section (c) describes.
const BROKEN: &[&str] = &[
    "add_header X a #b;",
    "location ~ ^/v\\d{2}/ { return 200; }",
    "location ~ /a;b$ { }",
    "return 200 \"x\"y;",
    "location /m { return 200 }",
    "add_header X \"unterminated;",
    "{ }",
    ";;",
    "if ($uri ~ ^/a{2}$) { return 403; }",
    "add_header X-Y z }",
    "\"x\"{",
    "add_header 'X\\' y;",
    "location /n {",
    "}",
    "add_header X y",
];

pub(crate) struct Generated {
    /// The main file and included files: (path relative to the prefix, text).
    pub(crate) files: Vec<(String, String)>,
}

pub(crate) fn config(rng: &mut Rng) -> Generated {
    let mut generator = Generator {
        rng,
        counter: 0,
        extra: Vec::new(),
        broken: 0,
    };
    let mut main = String::new();
    if generator.rng.chance(10) {
        main.push_str("env LUA_PATH=\\;\\;/x/?.lua;\n");
    }
    main.push_str("events {}\nhttp {\n    access_log off;\n");
    generator.http_items(&mut main);
    main.push_str("}\n");
    let mut files = vec![("nginx.conf".to_string(), main)];
    files.append(&mut generator.extra);
    // Text-level damage: a dropped or doubled delimiter somewhere.
    if generator.rng.chance(25) {
        let index = generator.rng.below(files.len());
        if let Some((_, text)) = files.get_mut(index) {
            *text = damage(generator.rng, text);
        }
    }
    if generator.rng.chance(10) {
        for (_, text) in &mut files {
            *text = text.replace('\n', "\r\n");
        }
    }
    Generated { files }
}

struct Generator<'a> {
    rng: &'a mut Rng,
    counter: usize,
    extra: Vec<(String, String)>,
    broken: usize,
}

impl Generator<'_> {
    fn next_id(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// A broken construct now and then (at most two per config).
    fn maybe_broken(&mut self, out: &mut String, indent: &str) {
        if self.broken < 2 && self.rng.chance(4) {
            self.broken += 1;
            let line = *self.rng.pick(BROKEN);
            let _ = writeln!(out, "{indent}{line}");
        }
    }

    fn http_items(&mut self, out: &mut String) {
        for _ in 0..=self.rng.below(5) {
            let id = self.next_id();
            let item = match self.rng.below(10) {
                0 => format!("map $uri $m{id} {{ default 0; '' 1; ~^/a 2; }}\n"),
                1 => format!("types {{ application/x-t{id} t{id}; }}\n"),
                2 => format!(
                    "log_format f{id} escape=json '{{'\n        '\"u\":\"$uri\"'\n        '}}';\n"
                ),
                3 => format!(
                    "log_format s{id}   # name\n        '$remote_addr $status'   # fields\n        ;\n"
                ),
                4 => format!("upstream u{id} {{ server unix:/tmp/u{id}.sock; }}\n"),
                5 => format!("split_clients \"${{remote_addr}}x\" $s{id} {{ 50% a; * b; }}\n"),
                _ => {
                    let mut server = String::new();
                    self.server(&mut server);
                    server
                }
            };
            self.emit(out, "    ", &item);
            self.maybe_broken(out, "    ");
        }
    }

    /// Writes `item` here, or (sometimes) into an included file.
    fn emit(&mut self, out: &mut String, indent: &str, item: &str) {
        if self.rng.chance(12) {
            let id = self.next_id();
            let name = format!("inc/part{id}.conf");
            let pattern = if self.rng.chance(50) {
                name.clone()
            } else {
                format!("inc/part{id}.c*f")
            };
            let _ = writeln!(out, "{indent}include {pattern};");
            self.extra.push((name, item.to_string()));
        } else {
            for line in item.lines() {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
    }

    fn server(&mut self, out: &mut String) {
        let id = self.next_id();
        let _ = writeln!(out, "server {{\n    server_name s{id}.example;");
        let mut once = Vec::new();
        for _ in 0..self.rng.below(6) {
            let mut item = String::new();
            match self.rng.below(8) {
                0..=2 => self.location(&mut item, None, 0),
                3 => {
                    let ifs = [IF_BLOCKS[0], IF_BLOCKS[3], IF_BLOCKS[4]];
                    item.push_str(pick(self.rng, &ifs));
                }
                4 => {
                    let named = self.next_id();
                    let _ = write!(item, "location @n{named} {{ return 204; }}");
                }
                5 => self.once(&mut item, &mut once),
                _ => item.push_str(pick(self.rng, REPEATABLE)),
            }
            self.emit(out, "    ", &item);
            self.maybe_broken(out, "    ");
        }
        out.push_str("}\n");
    }

    fn once(&mut self, out: &mut String, used: &mut Vec<usize>) {
        let index = self.rng.below(ONCE.len());
        if !used.contains(&index) {
            used.push(index);
            out.push_str(ONCE.get(index).copied().unwrap_or_default());
        }
    }

    /// A location; `parent` is the enclosing prefix (nested prefixes must extend it) or `None`
    /// at server level; regex parents only take regex children.
    fn location(&mut self, out: &mut String, parent: Option<(bool, &str)>, depth: usize) {
        let id = self.next_id();
        let (head, prefix) = match (parent, self.rng.below(6)) {
            (Some((true, _)), _) | (_, 0..=1) => (self.rng.pick(REGEXES).to_string(), None),
            (Some((false, p)), 2..=3) => (format!("{p}q{id}/"), Some(format!("{p}q{id}/"))),
            (None, 2) => (format!("= /e{id}"), None),
            (None, 3) => (format!("^~ /s{id}/"), Some(format!("/s{id}/"))),
            (Some((false, p)), _) => (format!("^~ {p}r{id}/"), Some(format!("{p}r{id}/"))),
            (None, _) => (format!("/p{id}/"), Some(format!("/p{id}/"))),
        };
        let exact = head.starts_with('=');
        let _ = writeln!(out, "location {head} {{");
        let mut once = Vec::new();
        for _ in 0..self.rng.below(5) {
            let mut item = String::new();
            match self.rng.below(9) {
                0 if depth < 2 && !exact => {
                    let regex_parent = prefix.is_none();
                    let parent = prefix.as_deref().unwrap_or("");
                    self.location(&mut item, Some((regex_parent, parent)), depth + 1);
                }
                1 => item.push_str(pick(self.rng, IF_BLOCKS)),
                2 => item.push_str("limit_except GET { deny all; }"),
                3 => self.once(&mut item, &mut once),
                _ => item.push_str(pick(self.rng, REPEATABLE)),
            }
            if item.starts_with("limit_except") && once.contains(&usize::MAX) {
                continue;
            }
            if item.starts_with("limit_except") {
                once.push(usize::MAX);
            }
            self.emit(out, "    ", &item);
            self.maybe_broken(out, "    ");
        }
        out.push('}');
    }
}

fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    let picked: &&'static str = rng.pick(items);
    picked
}

/// Drops a `;`, `{`, `}` or quote, or inserts a stray one, at a random place.
fn damage(rng: &mut Rng, text: &str) -> String {
    let targets: &[char] = &[';', '{', '}', '"', '\''];
    let target = *rng.pick(targets);
    let positions: Vec<usize> = text.match_indices(target).map(|(i, _)| i).collect();
    let mut out = text.to_string();
    if rng.chance(60) && !positions.is_empty() {
        let at = *rng.pick(&positions);
        out.replace_range(at..=at, "");
    } else {
        let lines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        if let Some(&at) = lines.get(rng.below(lines.len().max(1))) {
            out.insert(at, target);
        }
    }
    out
}
