//! The parser edge cases of research/nginx.md section (c), with the structure nginx gives them.

use super::{at, errors, parse_checked, shape, tree};
use crate::syntax::nginx::TokenKind;

#[test]
fn c1_hash_is_a_comment_only_at_a_word_start() {
    assert_eq!(tree("add_header X-Tag a#b;"), "add_header|X-Tag|a#b;");
    // The comment swallows the `;`: the directive runs on into the next line.
    assert_eq!(
        tree("add_header X-Tag a #b;\nadd_header Y z;\n"),
        "add_header|X-Tag|a|add_header|Y|z;"
    );
    let text = "server { add_header X a #b;\n}";
    let close = at(text, "}", 0);
    assert_eq!(
        errors(text),
        [(close, close + 1, "unexpected \"}\"".into())]
    );
}

#[test]
fn c2_comments_between_arguments_stay_trivia() {
    let text = "log_format short   # name\n    '$remote_addr $status'   # fields\n    ;\n";
    assert_eq!(tree(text), "log_format|short|$remote_addr $status;");
    let doc = parse_checked(text);
    let comments = doc.tokens.iter().filter(|t| t.kind == TokenKind::Comment);
    assert_eq!(comments.count(), 2);
    let directive = doc.directives.first().map(|d| d.range.slice(text));
    assert_eq!(directive, text.strip_suffix('\n'));
}

#[test]
fn c3_quotes_open_only_at_a_word_start() {
    assert_eq!(tree("return 200 a\"b\";"), "return|200|a\"b\";");
    assert_eq!(tree("return 200 a'b c';"), "return|200|a'b|c';");
    let doc = parse_checked("return 200 \"x\"y;");
    assert_eq!(shape(&doc.directives), "return|200|x|y;");
    assert_eq!(
        errors("return 200 \"x\"y;"),
        [(14, 15, "unexpected \"y\"".into())]
    );
}

#[test]
fn c4_escapes() {
    // nginx keeps a backslash it does not know, so the value is `/a\ b`.
    assert_eq!(tree("location /a\\ b {}"), "location|/a\\ b{}");
    assert_eq!(tree("return 200 a\\;b;"), "return|200|a\\;b;");
    assert_eq!(
        tree(r#"return 200 "q\"s\'b\\t\t\r\n\x";"#),
        "return|200|q\"s'b\\t\t\r\n\\x;"
    );
    assert_eq!(tree(r#"a 'it\'s' \"x;"#), "a|it's|\"x;");
    assert_eq!(tree("a b\\\nc;"), "a|b\\\nc;");
    // Outside quotes too (checked against nginx 1.22 with `return 200 ...`).
    assert_eq!(tree(r#"return 200 a\tb\"c\\d;"#), "return|200|a\tb\"c\\d;");
}

#[test]
fn c5_variable_braces_stay_in_the_word() {
    assert_eq!(
        tree("try_files /c/${uri}.html =404;"),
        "try_files|/c/${uri}.html|=404;"
    );
    assert_eq!(tree("set $a ${b}x;"), "set|$a|${b}x;");
    // Only a `{` right after `$` belongs to the word.
    assert_eq!(tree("a b${c}{ }"), "a|b${c}{}");
    // A `}` inside a word is a character, not a block end.
    assert_eq!(tree("a b}c;"), "a|b}c;");
}

#[test]
fn c6_quoted_regexes_keep_braces_and_semicolons() {
    assert_eq!(
        tree(r#"location ~ "^/v\d{1,2}/" {} location ~ "/a;b$" {}"#),
        r"location|~|^/v\d{1,2}/{} location|~|/a;b${}"
    );
    assert_eq!(
        tree("location ~ \"^/x{2,3}$\" { return 204; }"),
        "location|~|^/x{2,3}${return|204;}"
    );
    // Unquoted, the `{` opens the block early; the rest of the regex becomes a directive.
    let text = "location ~ ^/v\\d{1,2}/ { return 204; } }";
    assert_eq!(
        shape(&parse_checked(text).directives),
        "location|~|^/v\\d{1,2}/{return|204;}}"
    );
    let hint = "unknown directive \"1,2}/\": a regular expression containing \"{\" must be quoted";
    let tail = at(text, "1,2}/", 0);
    assert_eq!(errors(text), [(tail, tail + 5, hint.into())]);
}

#[test]
fn c7_attached_location_modifiers_are_words() {
    assert_eq!(
        tree("location =/healthz {} location ^~/static/ {} location ~\\.php$ {}"),
        "location|=/healthz{} location|^~/static/{} location|~\\.php${}"
    );
    assert_eq!(
        tree("location ~*\\.(?:png|jpg)$ {} location @fallback {}"),
        "location|~*\\.(?:png|jpg)${} location|@fallback{}"
    );
}

#[test]
fn c8_if_conditions() {
    assert_eq!(
        tree(r#"if ($request_uri ~* "%0a|%0d") { return 403; }"#),
        "if|($request_uri|~*|%0a|%0d|){return|403;}"
    );
    assert_eq!(
        tree("if ( -f $request_filename ) { break; }"),
        "if|(|-f|$request_filename|){break;}"
    );
    assert_eq!(tree("if ($a = 'x'){}"), "if|($a|=|x|){}");
    assert_eq!(tree("if ($a ~ (x)) {}"), "if|($a|~|(x)){}");
}

#[test]
fn c9_map_like_blocks_hold_entries() {
    assert_eq!(
        tree("map $http_upgrade $conn { default upgrade; '' close; }"),
        "map|$http_upgrade|$conn{default|upgrade; |close;}"
    );
    assert_eq!(
        tree("types { application/wasm wasm; text/html html htm; }"),
        "types{application/wasm|wasm; text/html|html|htm;}"
    );
    assert_eq!(
        tree("geo $g { default 0; include x.conf; 10.0.0.0/8 1; }"),
        "geo|$g{default|0; include|x.conf; 10.0.0.0/8|1;}"
    );
    assert_eq!(
        tree("split_clients $r $v { 50% a; * b; } charset_map a b { C0 D0; }"),
        "split_clients|$r|$v{50%|a; *|b;} charset_map|a|b{C0|D0;}"
    );
    // Entry keys named like block directives are fine inside these blocks.
    assert_eq!(
        tree("map $a $b { location 1; if 2; }"),
        "map|$a|$b{location|1; if|2;}"
    );
}

#[test]
fn c10_lua_bodies_are_opaque() {
    let text = "content_by_lua_block { ngx.say(\"}\") -- } in a comment\n}\n\
                set_by_lua_block $v{ return \"ok\" }\n\
                access_by_lua_block { local t = { [[}]], [==[ ]] } ]==], '\\'}' } --[[ } ]] }\n";
    assert_eq!(
        tree(text),
        "content_by_lua_block{<lua>} set_by_lua_block|$v{<lua>} access_by_lua_block{<lua>}"
    );
    let doc = parse_checked(text);
    let bodies: Vec<&str> = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Opaque)
        .map(|t| t.range.slice(text))
        .collect();
    assert_eq!(
        bodies,
        [
            " ngx.say(\"}\") -- } in a comment\n",
            " return \"ok\" ",
            " local t = { [[}]], [==[ ]] } ]==], '\\'}' } --[[ } ]] "
        ]
    );
    let lua = doc.directives.first().and_then(|d| d.block.as_ref());
    assert!(lua.is_some_and(|b| b.children.is_empty() && b.close.is_some()));
    assert_eq!(tree("\"log_by_lua_block\" {}"), "log_by_lua_block{}");
}

#[test]
fn c11_quoted_braces_span_lines() {
    assert_eq!(
        tree("log_format j escape=json '{' '\"u\":\"$uri\"'\n  '}';"),
        "log_format|j|escape=json|{|\"u\":\"$uri\"|};"
    );
    assert_eq!(tree("a 'x\ny';"), "a|x\ny;");
}

#[test]
fn c12_quoted_directive_names() {
    assert_eq!(
        tree("\"location\" /x { \"return\" 204; }"),
        "location|/x{return|204;}"
    );
}

#[test]
fn c13_missing_semicolon_before_close() {
    let text = "location / { return 200 }";
    assert_eq!(
        shape(&parse_checked(text).directives),
        "location|/{return|200}"
    );
    assert_eq!(errors(text), [(24, 25, "unexpected \"}\"".into())]);
    let doc = parse_checked(text);
    let inner = doc.directives.first().and_then(|d| d.children().first());
    assert_eq!(inner.map(|d| d.range.slice(text)), Some("return 200"));
}

#[test]
fn c14_several_statements_per_line() {
    assert_eq!(
        tree("location /a{}location /b{}"),
        "location|/a{} location|/b{}"
    );
    assert_eq!(
        tree("access_log off;default_type x;"),
        "access_log|off; default_type|x;"
    );
    assert_eq!(tree("a{b;}c;"), "a{b;} c;");
}

#[test]
fn c17_line_ends_tabs_and_bytes() {
    let text = "events {\r\n\tworker_connections 1024;\r\n}\r\n";
    assert_eq!(tree(text), "events{worker_connections|1024;}");
    let newlines = parse_checked(text)
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Newline && t.range.len() == 2)
        .count();
    assert_eq!(newlines, 3);
    // Bytes other than space, tab, CR and LF are word characters to nginx.
    assert_eq!(tree("a\u{b}b\u{c} c\0;"), "a\u{b}b\u{c}|c\0;");
    assert_eq!(tree("server_name é.example ü;"), "server_name|é.example|ü;");
}

#[test]
fn c18_unknown_directives_parse_generically() {
    assert_eq!(
        tree("more_set_headers 'Server: x'; js_set $a m.f; pagespeed on;"),
        "more_set_headers|Server: x; js_set|$a|m.f; pagespeed|on;"
    );
}

#[test]
fn c21_env_with_escaped_semicolons() {
    assert_eq!(
        tree("env LUA_PATH=\\;\\;/x/?.lua;"),
        "env|LUA_PATH=\\;\\;/x/?.lua;"
    );
}

#[test]
fn c22_empty_files_and_blocks() {
    assert_eq!(tree(""), "");
    assert_eq!(tree("# nothing here\n\n"), "");
    assert_eq!(tree("server {}"), "server{}");
}

#[test]
fn ranges_cover_name_through_terminator() {
    let text = "  user  www-data ;\nhttp {\n  # c\n}\n";
    let doc = parse_checked(text);
    let ranges: Vec<&str> = doc.directives.iter().map(|d| d.range.slice(text)).collect();
    assert_eq!(ranges, ["user  www-data ;", "http {\n  # c\n}"]);
    let user = doc.directives.first();
    assert_eq!(user.and_then(|d| d.arg(0)), Some("www-data"));
    assert_eq!(
        user.and_then(|d| d.semicolon).map(|r| r.slice(text)),
        Some(";")
    );
    let quoted = parse_checked("a \"b c\";");
    let arg = quoted.directives.first().and_then(|d| d.args.first());
    assert!(arg.is_some_and(|a| a.quoted && a.range.slice("a \"b c\";") == "\"b c\""));
}
