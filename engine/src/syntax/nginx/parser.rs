//! Builds the directive tree from the lexer's tokens with an explicit stack of open blocks
//! (the part of `ngx_conf_parse` that does not depend on which modules are loaded).

use super::lexer::{Lexeme, Lexer};
use super::{Arg, Block, Directive, ErrorSink, NginxDoc, Token, TokenKind};
use crate::text::TextRange;

/// Blocks whose bodies nginx reads with a custom handler (`cf->handler`): each entry is a list
/// of words ending in `;`, and a nested `{` is an error.
const ENTRY_BLOCKS: &[&str] = &["map", "geo", "types", "split_clients", "charset_map"];

/// Directives that only exist as blocks, so `;` in their place is nginx's "has no opening
/// `{`" error (typically a `;` inside an unquoted regex: `location ~ /a;b$ {`). `server` is
/// left out because it is also the simple directive of `upstream`.
const BLOCK_ONLY: &[&str] = &[
    "http",
    "events",
    "stream",
    "mail",
    "location",
    "if",
    "limit_except",
    "upstream",
    "map",
    "geo",
    "types",
    "split_clients",
    "charset_map",
];

/// Deeper than this, blocks are read flat: the directive that opens one is kept without a
/// block and its contents become its siblings. nginx parses blocks recursively and no real
/// config comes near this; the cap keeps memory linear in the text for hostile input (ten
/// million `{` would otherwise hold ten million open frames).
pub(super) const MAX_DEPTH: usize = 1 << 18;

const EOF_IN_STATEMENT: &str = "unexpected end of file, expecting \";\" or \"}\"";
const EOF_IN_BLOCK: &str = "unexpected end of file, expecting \"}\"";
const EOF_IN_LUA: &str =
    "unexpected end of file, expecting terminating characters for lua code block";

pub(super) fn parse(text: &str) -> NginxDoc {
    let mut parser = Parser {
        lexer: Lexer::new(text),
        tokens: Vec::with_capacity(text.len() / 4),
        errors: ErrorSink::default(),
        statement: None,
        args: Vec::new(),
        frames: Vec::new(),
        overflow: 0,
        top: Vec::new(),
        last_end: 0,
        swallowed: false,
    };
    if text.starts_with('\u{feff}') {
        parser.errors.push(
            TextRange::from_usize(0, 3),
            "byte order mark at the start of the file: nginx reads it as part of the first \
             directive name",
        );
    }
    while let Some(lexed) = parser.lexer.next(&mut parser.errors) {
        parser.push_token(lexed.token);
        let range = lexed.token.range;
        match lexed.lexeme {
            Lexeme::Trivia => {}
            Lexeme::Word { value, quoted } => parser.word(value, range, quoted),
            Lexeme::Semicolon => parser.semicolon(range),
            Lexeme::Open => parser.open(range),
            Lexeme::Close => parser.close(range),
            Lexeme::Unterminated => parser.swallowed = true,
        }
    }
    parser.finish()
}

/// A directive whose name is read; its arguments gather in [`Parser::args`].
#[derive(Debug)]
struct Statement {
    name: String,
    name_range: TextRange,
    /// End of the last word.
    end: u32,
}

/// An open block: the directive that opened it and the children read so far.
#[derive(Debug)]
struct Frame {
    head: Directive,
    open: TextRange,
    children: Vec<Directive>,
    /// Inside a handler block ([`ENTRY_BLOCKS`]): entries, not directives.
    entries: bool,
}

#[derive(Debug)]
struct Parser<'a> {
    lexer: Lexer<'a>,
    tokens: Vec<Token>,
    errors: ErrorSink,
    statement: Option<Statement>,
    /// The arguments of `statement`, in one reused buffer so every directive gets an
    /// exactly-sized `Vec` (memory, not speed, is what a multi-megabyte file runs out of).
    args: Vec<Arg>,
    frames: Vec<Frame>,
    /// Blocks opened beyond [`MAX_DEPTH`] and not closed yet.
    overflow: usize,
    top: Vec<Directive>,
    /// End of the last token that is not trivia.
    last_end: u32,
    /// An unterminated string or Lua block took the rest of the file; the errors it causes at
    /// the end (open statement, open blocks) would only repeat it.
    swallowed: bool,
}

impl Parser<'_> {
    fn push_token(&mut self, token: Token) {
        if !matches!(
            token.kind,
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment
        ) {
            self.last_end = token.range.end;
        }
        self.tokens.push(token);
    }

    fn siblings(&mut self) -> &mut Vec<Directive> {
        match self.frames.last_mut() {
            Some(frame) => &mut frame.children,
            None => &mut self.top,
        }
    }

    fn in_entries(&self) -> bool {
        self.frames.last().is_some_and(|f| f.entries)
    }

    fn word(&mut self, value: String, range: TextRange, quoted: bool) {
        if let Some(statement) = self.statement.as_mut() {
            self.args.push(Arg {
                value,
                range,
                quoted,
            });
            statement.end = range.end;
            return;
        }
        if !self.frames.is_empty() && !self.in_entries() && is_quantifier_tail(&value) {
            self.errors.push(
                range,
                format!(
                    "unknown directive \"{value}\": a regular expression containing \"{{\" \
                     must be quoted"
                ),
            );
        }
        self.statement = Some(Statement {
            name: value,
            name_range: range,
            end: range.end,
        });
    }

    fn semicolon(&mut self, range: TextRange) {
        let Some(statement) = self.statement.take() else {
            self.errors.push(range, "unexpected \";\"");
            return;
        };
        if !self.in_entries() && BLOCK_ONLY.contains(&statement.name.as_str()) {
            self.errors.push(
                range,
                format!("directive \"{}\" has no opening \"{{\"", statement.name),
            );
        }
        let mut directive = self.simple(statement);
        directive.range.end = range.end;
        directive.semicolon = Some(range);
        self.siblings().push(directive);
    }

    fn open(&mut self, brace: TextRange) {
        let in_entries = self.in_entries();
        let mut head = if let Some(statement) = self.statement.take() {
            if in_entries {
                self.errors.push(brace, "unexpected \"{\"");
            }
            self.simple(statement)
        } else {
            self.errors.push(brace, "unexpected \"{\"");
            Directive {
                name: String::new(),
                name_range: TextRange::new(brace.start, brace.start),
                args: Vec::new(),
                block: None,
                range: brace,
                semicolon: None,
            }
        };
        head.range.end = brace.end;
        if head.name.ends_with("_by_lua_block") {
            self.lua_block(head, brace);
            return;
        }
        if self.frames.len() >= MAX_DEPTH {
            if self.overflow == 0 {
                self.errors.push(
                    brace,
                    format!("blocks nested deeper than {MAX_DEPTH} levels are read flat"),
                );
            }
            self.overflow += 1;
            if !head.name.is_empty() {
                self.siblings().push(head);
            }
            return;
        }
        let entries = in_entries || ENTRY_BLOCKS.contains(&head.name.as_str());
        self.frames.push(Frame {
            head,
            open: brace,
            children: Vec::new(),
            entries,
        });
    }

    /// lua-nginx-module takes over after the `{`: the body is Lua, kept as one opaque token.
    fn lua_block(&mut self, mut head: Directive, brace: TextRange) {
        let body = self.lexer.lua_body();
        if let Some(range) = body.body {
            self.push_token(Token {
                kind: TokenKind::Opaque,
                range,
            });
        }
        if let Some(close) = body.close {
            self.push_token(Token {
                kind: TokenKind::BlockClose,
                range: close,
            });
            head.range.end = close.end;
        } else {
            self.errors.push(head.range, EOF_IN_LUA);
            self.swallowed = true;
            head.range.end = self.last_end;
        }
        head.block = Some(Block {
            open: brace,
            close: body.close,
            children: Vec::new(),
            opaque: body.body,
        });
        self.siblings().push(head);
    }

    fn close(&mut self, brace: TextRange) {
        if let Some(statement) = self.statement.take() {
            // nginx: `unexpected "}"`; the usual cause is a missing `;` after the last word.
            self.errors.push(brace, "unexpected \"}\"");
            let directive = self.simple(statement);
            self.siblings().push(directive);
        }
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        let Some(frame) = self.frames.pop() else {
            self.errors.push(brace, "unexpected \"}\"");
            return;
        };
        let mut directive = frame.head;
        directive.range.end = brace.end;
        directive.block = Some(Block {
            open: frame.open,
            close: Some(brace),
            children: shrunk(frame.children),
            opaque: None,
        });
        self.siblings().push(directive);
    }

    /// The statement as a directive without terminator: from the name through the last word.
    fn simple(&mut self, statement: Statement) -> Directive {
        Directive {
            range: TextRange::new(statement.name_range.start, statement.end),
            name: statement.name,
            name_range: statement.name_range,
            args: self.args.drain(..).collect(),
            block: None,
            semicolon: None,
        }
    }

    fn finish(mut self) -> NginxDoc {
        if let Some(statement) = self.statement.take() {
            let directive = self.simple(statement);
            if !self.swallowed {
                self.errors.push(directive.range, EOF_IN_STATEMENT);
            }
            self.siblings().push(directive);
        }
        if !self.swallowed {
            for frame in &self.frames {
                let at = frame.head.range.cover(frame.open);
                self.errors.push(at, EOF_IN_BLOCK);
            }
        }
        while let Some(frame) = self.frames.pop() {
            let mut directive = frame.head;
            directive.range.end = directive.range.end.max(self.last_end);
            directive.block = Some(Block {
                open: frame.open,
                close: None,
                children: shrunk(frame.children),
                opaque: None,
            });
            self.siblings().push(directive);
        }
        NginxDoc {
            tokens: self.tokens,
            directives: self.top,
            errors: self.errors.into_sorted(),
        }
    }
}

/// Whether a directive name looks like the rest of an unquoted regex cut by its `{`:
/// `location ~ ^/v\d{1,2}/ {` reads as a block `location ~ ^/v\d` holding `1,2}/ { ... }`.
fn is_quantifier_tail(name: &str) -> bool {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest
        .strip_prefix(',')
        .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    rest.starts_with('}') && rest.len() < name.len()
}

/// Gives back a block's spare capacity: deep nesting keeps one `Vec` per level alive.
fn shrunk(mut children: Vec<Directive>) -> Vec<Directive> {
    children.shrink_to_fit();
    children
}
