//! nginx configuration: directives, arguments and blocks, lossless.
//!
//! The reader mirrors `ngx_conf_read_token` in nginx's `ngx_conf_file.c` byte for byte, so a
//! file reads the way nginx reads it: `#` opens a comment only where a word could start, a quote
//! opens a string only there too, a backslash hides the next byte from the tokenizer, `${` stays
//! inside a word, and `}` inside a word is just a character. It differs from nginx in two ways
//! that an auditor needs: it never stops at the first error (every error is reported and
//! reading goes on), and every byte lands in exactly one token, so [`NginxDoc::print`] gives the
//! input back and fixes can edit the text in place.
//!
//! Blocks are built with an explicit stack and the tree types drop, clone and compare without
//! recursion, so hostile nesting depth cannot overflow the stack.

mod lexer;
mod parser;
mod tree;

pub use tree::Walk;

use super::SyntaxError;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs and carriage returns that do not end a line.
    Whitespace,
    /// `\n` or `\r\n`.
    Newline,
    /// `#` to the end of the line, without the line terminator.
    Comment,
    /// A bare or quoted word (directive name or argument).
    Word,
    Semicolon,
    BlockOpen,
    BlockClose,
    /// The raw body of a Lua-style `*_by_lua_block { ... }`, kept opaque.
    Opaque,
    /// A quoted string that is never closed: it runs to the end of the file.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// One argument as nginx reads it: quotes removed, escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The value nginx passes to the directive: `\"`, `\'`, `\\`, `\t`, `\r` and `\n` are
    /// resolved, any other backslash stays (nginx keeps `\;` as two bytes).
    pub value: String,
    /// The raw word, quotes included, so a fix can replace it whole.
    pub range: TextRange,
    pub quoted: bool,
}

/// A `{ ... }` body. Dropping, cloning and comparing are iterative (see `tree.rs`).
pub struct Block {
    pub open: TextRange,
    /// `None` when the file ends before the block is closed.
    pub close: Option<TextRange>,
    pub children: Vec<Directive>,
    /// The raw body of a block nginx hands to another language (`*_by_lua_block`); such a
    /// block has no children.
    pub opaque: Option<TextRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The first word, unquoted. Inside `map`-like blocks it is the entry's key (so `''` gives
    /// an empty name); a `{` with no word before it (an error) also gets an empty name, kept as
    /// a nameless block so its children and braces still line up.
    pub name: String,
    pub name_range: TextRange,
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    /// From the name through the `;` or the closing `}`; without either (an error), through
    /// the last word read.
    pub range: TextRange,
    /// The terminating `;`, when the directive has one.
    pub semicolon: Option<TextRange>,
}

impl Directive {
    /// The value of argument `index` (0 is the first word after the name).
    pub fn arg(&self, index: usize) -> Option<&str> {
        self.args.get(index).map(|a| a.value.as_str())
    }

    /// The directives inside this one's block; empty for simple directives.
    pub fn children(&self) -> &[Directive] {
        self.block.as_ref().map_or(&[], |b| b.children.as_slice())
    }
}

#[derive(Debug, Clone, Default)]
pub struct NginxDoc {
    pub tokens: Vec<Token>,
    /// The top-level directives, in file order.
    pub directives: Vec<Directive>,
    /// Sorted by position.
    pub errors: Vec<SyntaxError>,
}

impl NginxDoc {
    /// Reassembles the input from the tokens (the lossless property).
    pub fn print(&self, text: &str) -> String {
        self.tokens.iter().map(|t| t.range.slice(text)).collect()
    }

    /// Every directive at any depth, parents before children, in file order, with its depth
    /// (0 for top-level directives).
    pub fn walk(&self) -> Walk<'_> {
        Walk::new(&self.directives)
    }
}

/// Reads an nginx file; never fails.
pub fn parse(text: &str) -> NginxDoc {
    parser::parse(text)
}

/// Collects errors; a hostile file (megabytes of `;`) must not cost one allocation per byte,
/// and nginx itself stops at the first error, so after [`ErrorSink::LIMIT`] one final notice
/// stands for the rest.
#[derive(Debug, Default)]
struct ErrorSink {
    errors: Vec<SyntaxError>,
    dropped: bool,
}

impl ErrorSink {
    const LIMIT: usize = 1000;

    fn push(&mut self, range: TextRange, message: impl Into<String>) {
        if self.dropped {
            return;
        }
        let message = message.into();
        // One cause seen by both the lexer and the parser (`"x"}`) is reported once.
        if self
            .errors
            .last()
            .is_some_and(|last| last.range == range && last.message == message)
        {
            return;
        }
        if self.errors.len() < Self::LIMIT {
            self.errors.push(SyntaxError::new(range, message));
        } else {
            self.dropped = true;
            self.errors.push(SyntaxError::new(
                range,
                "too many errors; the rest are not reported",
            ));
        }
    }

    fn into_sorted(mut self) -> Vec<SyntaxError> {
        crate::sort::sort_by_key(&mut self.errors, |e| e.range.start);
        self.errors
    }
}

#[cfg(test)]
mod tests;
