//! Shared helpers and the whole-file properties: round trips, the corpus, depth, speed.

mod errors;
mod fixtures;
mod props;

use super::*;

/// Checks the lossless and well-formedness invariants and returns the document.
fn parse_checked(text: &str) -> NginxDoc {
    let doc = parse(text);
    assert_eq!(doc.print(text), text, "round trip of {text:?}");
    let mut at = 0;
    for token in &doc.tokens {
        assert_eq!(
            token.range.start, at,
            "tokens must be contiguous in {text:?}"
        );
        assert!(!token.range.is_empty(), "empty token in {text:?}");
        assert!(
            text.get(token.range.start as usize..token.range.end as usize)
                .is_some()
        );
        at = token.range.end;
    }
    assert_eq!(at as usize, text.len());
    let in_text = |r: TextRange| text.get(r.start as usize..r.end as usize).is_some();
    for (_, directive) in doc.walk() {
        assert!(in_text(directive.range) && in_text(directive.name_range));
        assert!(directive.range.contains_range(directive.name_range));
        for arg in &directive.args {
            assert!(in_text(arg.range) && directive.range.contains_range(arg.range));
        }
    }
    for error in &doc.errors {
        assert!(in_text(error.range), "{error:?} in {text:?}");
    }
    doc
}

/// A compact picture of a tree: `name|arg|arg;`, blocks as `name|arg{...}`, a Lua body as
/// `{<lua>}`, a directive with neither `;` nor block has no suffix.
fn shape(directives: &[Directive]) -> String {
    let parts: Vec<String> = directives
        .iter()
        .map(|d| {
            let mut out = d.name.clone();
            for arg in &d.args {
                out.push('|');
                out.push_str(&arg.value);
            }
            match &d.block {
                Some(block) if block.opaque.is_some() => out.push_str("{<lua>}"),
                Some(block) => {
                    out.push('{');
                    out.push_str(&shape(&block.children));
                    out.push('}');
                }
                None if d.semicolon.is_some() => out.push(';'),
                None => {}
            }
            out
        })
        .collect();
    parts.join(" ")
}

/// The tree of `text`, after checking it reads without errors.
fn tree(text: &str) -> String {
    let doc = parse_checked(text);
    assert!(doc.errors.is_empty(), "{text:?}: {:?}", doc.errors);
    shape(&doc.directives)
}

/// `(start, end, message)` of every error.
fn errors(text: &str) -> Vec<(u32, u32, String)> {
    parse_checked(text)
        .errors
        .iter()
        .map(|e| (e.range.start, e.range.end, e.message.clone()))
        .collect()
}

/// Byte offset of the `n`th (0-based) occurrence of `needle`.
fn at(text: &str, needle: &str, n: usize) -> u32 {
    let offset = text
        .match_indices(needle)
        .nth(n)
        .map_or(usize::MAX, |(i, _)| i);
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[test]
fn round_trips_tricky_inputs() {
    for text in [
        "",
        " ",
        "\n",
        "\r\n\r\r\n",
        "#",
        "#\r\n",
        "# only a comment",
        "\u{feff}events {}\r\n",
        "a;b;c",
        "\"",
        "'",
        "\\",
        "a\\",
        "\"a\\",
        "$",
        "${",
        "a ${ b",
        "{{{{",
        "}}}}",
        ";;;",
        "\0\0;\0{\0}",
        "é\\é \"é\"é 'ü'\u{1f600};",
        "x \\\u{1f600}y;",
        "content_by_lua_block {",
        "content_by_lua_block { \"",
        "content_by_lua_block { [==[ } ",
        "content_by_lua_block { --[[ } ",
        "content_by_lua_block { -- }",
        "content_by_lua_block { 'é\\",
        "content_by_lua_block {}",
        "set_by_lua_block $v{ return \"ok\" } a;",
        "\"x\"y \"a\"\"b\" 'c'#d\n;",
        "\ta\t\"b\"\t{\r}\r",
        "if ($a = \"x\") { return 200; }",
        "map $a $b { ~x{2} 1; }",
    ] {
        parse_checked(text);
    }
}

#[test]
fn round_trips_the_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut pending = vec![root];
    let mut nginx_files = 0;
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let doc = parse_checked(&text);
            if path.to_string_lossy().contains("/nginx/") {
                nginx_files += 1;
                assert!(
                    doc.errors.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    doc.errors
                );
            }
        }
    }
    assert!(nginx_files > 0, "the corpus has nginx files");
}

#[test]
fn reads_debian_default_site() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/debian-bookworm-php8.2/etc/nginx/nginx.conf");
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let doc = parse_checked(&text);
    let names: Vec<&str> = doc.directives.iter().map(|d| d.name.as_str()).collect();
    assert!(
        names.contains(&"user") && names.contains(&"http"),
        "{names:?}"
    );
    let http = doc.directives.iter().find(|d| d.name == "http");
    assert!(http.is_some_and(|d| d.children().iter().any(|c| c.name == "include")));
}

#[test]
fn survives_deep_nesting() {
    const DEPTH: usize = 200_000;
    let text = format!("{}{}", "a {".repeat(DEPTH), "}".repeat(DEPTH));
    let doc = parse_checked(&text);
    assert!(doc.errors.is_empty());
    assert_eq!(doc.walk().count(), DEPTH);
    assert_eq!(doc.walk().last().map(|(depth, _)| depth), Some(DEPTH - 1));
    let copy = doc.directives.clone();
    assert!(copy == doc.directives);
    assert!(!format!("{copy:?}").is_empty());

    // Unclosed and nameless: every `{` is an error, the count is capped.
    let text = "{".repeat(DEPTH);
    let doc = parse_checked(&text);
    assert_eq!(doc.errors.len(), ErrorSink::LIMIT + 1);
    assert_eq!(doc.walk().count(), DEPTH);
}

#[test]
fn tree_traits_compare_and_copy_contents() {
    let a = parse_checked("http { server { listen 80; } }").directives;
    let b = parse_checked("http { server { listen 81; } }").directives;
    let c = parse_checked("http { server { listen 80; } x; }").directives;
    assert!(a != b && a != c && b != c);
    let copy = a.clone();
    assert!(copy == a);
    assert_eq!(shape(&copy), "http{server{listen|80;}}");
    assert!(format!("{copy:?}").contains("\"listen\""));
    let names: Vec<(usize, &str)> = a.first().map_or(Vec::new(), |d| {
        Walk::new(std::slice::from_ref(d))
            .map(|(depth, d)| (depth, d.name.as_str()))
            .collect()
    });
    assert_eq!(names, [(0, "http"), (1, "server"), (2, "listen")]);
}

#[test]
fn nesting_beyond_the_cap_is_read_flat() {
    let depth = parser::MAX_DEPTH + 10;
    let text = format!("{}x;{}", "a {".repeat(depth), "}".repeat(depth));
    let doc = parse_checked(&text);
    let first_flat = u32::try_from(parser::MAX_DEPTH * 3 + 2).unwrap_or(u32::MAX);
    let message = format!(
        "blocks nested deeper than {} levels are read flat",
        parser::MAX_DEPTH
    );
    let found: Vec<(u32, &str)> = doc
        .errors
        .iter()
        .map(|e| (e.range.start, e.message.as_str()))
        .collect();
    assert_eq!(found, [(first_flat, message.as_str())]);
    // Every `a` is still a directive; the flat ones and `x` are siblings at the deepest level.
    assert_eq!(doc.walk().count(), depth + 1);
    let deepest = doc.walk().filter(|(d, _)| *d == parser::MAX_DEPTH).count();
    assert_eq!(deepest, 11);
}

#[test]
fn large_input_is_linear() {
    let unit = "server {\n  listen 80; # c\n  location ~ \"^/x{2}$\" { try_files $uri /i.php?$args; }\n  \
                content_by_lua_block { ngx.say(\"}\") }\n}\n";
    let text = unit.repeat(10 * 1024 * 1024 / unit.len());
    let started = std::time::Instant::now();
    let doc = parse_checked(&text);
    assert!(doc.errors.is_empty());
    // Debug builds are slow; this only catches quadratic behaviour.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    for hostile in [
        ";".repeat(1 << 20),
        "{".repeat(1 << 20),
        "\"".repeat(1 << 20),
        format!("a_by_lua_block {{{}", "[=[".repeat(1 << 18)),
    ] {
        let started = std::time::Instant::now();
        parse_checked(&hostile);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
