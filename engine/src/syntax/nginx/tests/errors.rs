//! One test per error kind: the message nginx gives and the range we point at.

use super::{at, errors, parse_checked, shape};
use crate::syntax::nginx::{ErrorSink, TokenKind};

fn one(start: u32, end: u32, message: &str) -> Vec<(u32, u32, String)> {
    vec![(start, end, message.to_owned())]
}

#[test]
fn stray_close_brace() {
    let text = "user x;\n}\nworker_processes 1;";
    let close = at(text, "}", 0);
    assert_eq!(errors(text), one(close, close + 1, "unexpected \"}\""));
    // Reading goes on after the error.
    assert_eq!(
        shape(&parse_checked(text).directives),
        "user|x; worker_processes|1;"
    );
}

#[test]
fn close_brace_after_arguments() {
    let text = "server {\n  return 200\n}\n";
    let close = at(text, "}", 0);
    assert_eq!(errors(text), one(close, close + 1, "unexpected \"}\""));
    // Quote then brace: nginx's need-space check and the parser see one cause.
    let text = "server { return 200 \"ok\"}";
    let close = at(text, "}", 0);
    assert_eq!(errors(text), one(close, close + 1, "unexpected \"}\""));
}

#[test]
fn end_of_file_in_a_directive() {
    let text = "user www-data;\nworker_processes  4";
    let start = at(text, "worker", 0);
    let expected = "unexpected end of file, expecting \";\" or \"}\"";
    assert_eq!(errors(text), one(start, start + 19, expected));
}

#[test]
fn end_of_file_in_blocks() {
    let text = "http {\n  server {\n    listen 80;\n";
    let http = at(text, "http", 0);
    let server = at(text, "server", 0);
    let expected = "unexpected end of file, expecting \"}\"";
    assert_eq!(
        errors(text),
        [
            (http, http + 6, expected.to_owned()),
            (server, server + 8, expected.to_owned())
        ]
    );
    let doc = parse_checked(text);
    let http_block = doc.directives.first().and_then(|d| d.block.as_ref());
    assert!(http_block.is_some_and(|b| b.close.is_none()));
    assert_eq!(
        doc.directives.first().map(|d| d.range.slice(text)),
        text.strip_suffix('\n')
    );
}

#[test]
fn unterminated_quote() {
    let text = "server {\n  return 200 \"ok;\n}\n";
    let quote = at(text, "\"", 0);
    let expected = "unexpected end of file, missing terminating \"\"\" character";
    // Only the cause: the open directive and block it swallowed are not reported again.
    assert_eq!(errors(text), one(quote, quote + 1, expected));
    let doc = parse_checked(text);
    assert_eq!(doc.tokens.last().map(|t| t.kind), Some(TokenKind::Error));
    assert_eq!(shape(&doc.directives), "server{return|200}");
    assert_eq!(
        errors("a 'b"),
        one(
            2,
            3,
            "unexpected end of file, missing terminating \"'\" character"
        )
    );
}

#[test]
fn semicolon_or_brace_without_a_name() {
    let text = "user x;;\n";
    assert_eq!(errors(text), one(7, 8, "unexpected \";\""));
    let text = "{ listen 80; }";
    assert_eq!(errors(text), one(0, 1, "unexpected \"{\""));
    assert_eq!(shape(&parse_checked(text).directives), "{listen|80;}");
}

#[test]
fn junk_after_a_quote() {
    let text = "add_header X \"a\"b;";
    let junk = at(text, "b;", 0);
    assert_eq!(errors(text), one(junk, junk + 1, "unexpected \"b\""));
    let text = "add_header X 'a'é;";
    let junk = at(text, "é", 0);
    assert_eq!(errors(text), one(junk, junk + 2, "unexpected \"é\""));
    let text = "add_header X 'a'#c\n;";
    let hash = at(text, "#", 0);
    assert_eq!(errors(text), one(hash, hash + 1, "unexpected \"#\""));
}

#[test]
fn nested_brace_in_a_map_like_block() {
    // The regex's `{` opens a block nginx refuses; its `}` then closes that block.
    let text = "map $uri $x { ~^/a{2} 1; } }";
    let brace = at(text, "{", 1);
    assert_eq!(errors(text), one(brace, brace + 1, "unexpected \"{\""));
}

#[test]
fn block_directive_without_a_brace() {
    let text = "server { location ~ /a;b$ {} }";
    let semicolon = at(text, ";", 0);
    let expected = "directive \"location\" has no opening \"{\"";
    assert_eq!(errors(text), one(semicolon, semicolon + 1, expected));
    // `server` is also the simple directive of `upstream`.
    assert!(errors("upstream php { server 127.0.0.1:9000; }").is_empty());
}

#[test]
fn too_long_parameters() {
    // Thresholds measured with nginx 1.22: the token must fit in its 4096-byte buffer.
    let word = |len: usize, after: &str| format!("env {}{after}\nenv B;\n", "A".repeat(len));
    assert!(errors(&word(4095, ";")).is_empty());
    let long = errors(&word(4096, ";"));
    assert_eq!(long.len(), 1);
    assert_eq!(
        long.first().map(|e| (e.0, e.2.as_str())),
        Some((4, "too long parameter \"AAAAAAAAAA...\" started"))
    );
    assert!(errors(&word(4094, " ;")).is_empty());
    assert_eq!(errors(&word(4095, " ;")).len(), 1);
    let quoted = |len: usize| format!("env \"{}\";\nenv B;\n", "A".repeat(len));
    assert!(errors(&quoted(4094)).is_empty());
    let missing = "too long parameter, probably missing terminating \"\"\" character";
    assert_eq!(
        errors(&quoted(4096)).first().map(|e| e.2.as_str()),
        Some(missing)
    );
    let comment = |len: usize| format!("#{}\nenv B;\n", "A".repeat(len - 1));
    assert!(errors(&comment(4095)).is_empty());
    assert_eq!(errors(&comment(4096)).len(), 1);
    // A token that reaches the very end of the file never needs another buffer.
    assert!(errors(&format!("#{}", "A".repeat(4095))).is_empty());
    assert_eq!(errors(&format!("#{}", "A".repeat(4096))).len(), 1);
}

#[test]
fn unterminated_lua_block() {
    let text = "location / {\n  content_by_lua_block { ngx.say('}') \n";
    let lua = at(text, "content", 0);
    let expected = "unexpected end of file, expecting terminating characters for lua code block";
    assert_eq!(errors(text), one(lua, lua + 22, expected));
}

#[test]
fn byte_order_mark() {
    let text = "\u{feff}user www-data;";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors.first().map(|e| (e.0, e.1)), Some((0, 3)));
    // nginx reads the mark as part of the name ("unknown directive").
    let doc = parse_checked(text);
    assert_eq!(
        doc.directives.first().map(|d| d.name.as_str()),
        Some("\u{feff}user")
    );
}

#[test]
fn errors_are_capped() {
    let errors = errors(&";".repeat(5000));
    assert_eq!(errors.len(), ErrorSink::LIMIT + 1);
    let last = errors
        .iter()
        .map(|e| e.2.as_str())
        .find(|m| m.starts_with("too many"));
    assert!(last.is_some());
}
