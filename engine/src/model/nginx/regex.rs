//! A small PCRE subset: enough to answer "does `location ~ \.php$` match `/uploads/x.php`?".
//!
//! nginx hands location regexes to PCRE. A regex crate would cost bundle size for a handful of
//! patterns per host, and its syntax differs from PCRE anyway, so this reads the subset that
//! PHP locations use — literals and escapes, `.`, classes (ranges, negation, `\d\w\s`, POSIX
//! names), groups (`(...)`, `(?:...)`, named), alternation, `^`/`$`/`\b`, greedy and lazy
//! quantifiers, lookahead `(?=...)`/`(?!...)` and the inline flags `i` and `s` — and says
//! [`Unsupported`] for anything else (backreferences, lookbehind, possessive quantifiers,
//! `\Q...\E`, Unicode properties, other flags) instead of guessing. Matching runs as a
//! Thompson/Pike NFA over bytes (see `regex_vm.rs`): linear in the input, no backtracking, no
//! recursion beyond the pattern's own group depth, which is capped.

use super::regex_class::shorthand;
use super::regex_vm::{ByteSet, Program};

/// Deeper group nesting is refused: parsing and compiling recurse once per level.
const MAX_NESTING: usize = 48;
/// Counted repetitions are unrolled; a larger bound is refused.
const MAX_REPEAT: u32 = 1000;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    program: Program,
}

/// Why a pattern cannot be evaluated; the caller treats the match as unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl Regex {
    /// Compiles `pattern` as nginx does for `~` (`caseless` false) or `~*` (`caseless` true).
    pub fn new(pattern: &str, caseless: bool) -> Result<Self, Unsupported> {
        let mut parser = Parser {
            bytes: pattern.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let flags = Flags {
            caseless,
            dotall: false,
        };
        let node = parser.alternation(flags)?;
        if parser.pos < parser.bytes.len() {
            return Err(Unsupported("unbalanced \")\"".into()));
        }
        Ok(Self {
            program: Program::compile(&node)?,
        })
    }

    /// Whether the pattern matches anywhere in `subject` (PCRE's unanchored search); `None`
    /// when the answer would cost too much (hostile nested lookaheads).
    pub fn is_match(&self, subject: &str) -> Option<bool> {
        self.program.search(subject.as_bytes())
    }
}

/// The pattern as a tree; built by [`Parser`], compiled by `regex_vm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    Empty,
    /// One byte out of a set (literals, `.`, classes, `\d`...).
    Set(ByteSet),
    Assert(Assertion),
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    /// `(?=...)` or, with `negate`, `(?!...)`.
    Look {
        node: Box<Node>,
        negate: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Assertion {
    /// `^` (without the `m` flag) and `\A`: the start of the subject.
    Start,
    /// `$` and `\Z`: the end, or before a final newline.
    End,
    /// `\z`: the very end.
    AbsoluteEnd,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Flags {
    pub(super) caseless: bool,
    pub(super) dotall: bool,
}

pub(super) struct Parser<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    depth: usize,
}

pub(super) fn unsupported<T>(what: impl Into<String>) -> Result<T, Unsupported> {
    Err(Unsupported(what.into()))
}

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(super) fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// `a|b|c` up to the end or the `)` closing the current group (not consumed).
    fn alternation(&mut self, mut flags: Flags) -> Result<Node, Unsupported> {
        let mut branches = Vec::new();
        loop {
            branches.push(self.concat(&mut flags)?);
            if !self.eat(b'|') {
                break;
            }
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alternation(branches)
        })
    }

    /// A sequence of quantified atoms; `(?i)` changes `flags` for the rest of the group,
    /// including later branches, as in PCRE.
    fn concat(&mut self, flags: &mut Flags) -> Result<Node, Unsupported> {
        let mut items = Vec::new();
        while let Some(byte) = self.peek() {
            if byte == b'|' || byte == b')' {
                break;
            }
            if let Some(new_flags) = self.inline_flags(*flags)? {
                *flags = new_flags;
                continue;
            }
            let atom = self.atom(*flags)?;
            items.push(self.quantified(atom)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Empty)
        } else {
            Node::Concat(items)
        })
    }

    /// `(?i)`, `(?s)`, `(?-i)`... standing alone; `None` when the next thing is not one.
    fn inline_flags(&mut self, flags: Flags) -> Result<Option<Flags>, Unsupported> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        if !rest.starts_with(b"(?") {
            return Ok(None);
        }
        let body: Vec<u8> = rest
            .iter()
            .skip(2)
            .take_while(|b| b.is_ascii_alphabetic() || **b == b'-')
            .copied()
            .collect();
        if rest.get(2 + body.len()) != Some(&b')') || body.is_empty() {
            return Ok(None);
        }
        let new_flags = apply_flags(flags, &body)?;
        self.pos += body.len() + 3;
        Ok(Some(new_flags))
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, Unsupported> {
        let one_byte = match self.peek() {
            Some(b'*') => Some((0, None)),
            Some(b'+') => Some((1, None)),
            Some(b'?') => Some((0, Some(1))),
            _ => None,
        };
        let (min, max) = if let Some(bounds) = one_byte {
            self.pos += 1;
            bounds
        } else if self.peek() == Some(b'{')
            && let Some(bounds) = self.counted()
        {
            bounds
        } else {
            return Ok(atom);
        };
        if matches!(atom, Node::Assert(_) | Node::Look { .. } | Node::Empty) {
            return unsupported("quantified assertion");
        }
        // Lazy and greedy quantifiers accept the same subjects; possessive ones do not.
        self.eat(b'?');
        if self.peek() == Some(b'+') {
            return unsupported("possessive quantifier");
        }
        if matches!(self.peek(), Some(b'*' | b'+' | b'?')) {
            return unsupported("nothing to repeat");
        }
        if max.is_some_and(|max| max < min) || min > MAX_REPEAT || max > Some(MAX_REPEAT) {
            return unsupported("repetition bounds");
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// `{n}`, `{n,}`, `{n,m}` (consumed); anything else leaves `{` a literal, as PCRE does.
    fn counted(&mut self) -> Option<(u32, Option<u32>)> {
        let rest = self.bytes.get(self.pos..)?;
        let close = rest.iter().position(|&b| b == b'}')?;
        let inner = std::str::from_utf8(rest.get(1..close)?).ok()?;
        let number = |s: &str| -> Option<u32> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(s.parse().unwrap_or(u32::MAX))
        };
        let bounds = match inner.split_once(',') {
            None => {
                let n = number(inner)?;
                (n, Some(n))
            }
            Some((lo, "")) => (number(lo)?, None),
            Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
        };
        self.pos += close + 1;
        Some(bounds)
    }

    fn atom(&mut self, flags: Flags) -> Result<Node, Unsupported> {
        let Some(byte) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.pos += 1;
        Ok(match byte {
            b'.' => {
                let mut set = ByteSet::full();
                if !flags.dotall {
                    set.remove(b'\n');
                }
                Node::Set(set)
            }
            b'^' => Node::Assert(Assertion::Start),
            b'$' => Node::Assert(Assertion::End),
            b'[' => Node::Set(self.class(flags)?),
            b'(' => self.group(flags)?,
            b'\\' => self.escape(flags)?,
            b'*' | b'+' | b'?' => return unsupported("nothing to repeat"),
            other => Node::Set(literal(other, flags)),
        })
    }

    fn group(&mut self, mut flags: Flags) -> Result<Node, Unsupported> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return unsupported("groups nested too deeply");
        }
        let mut look = None;
        if self.eat(b'?') {
            match self.peek() {
                Some(b':') => self.pos += 1,
                Some(b'=') => {
                    self.pos += 1;
                    look = Some(false);
                }
                Some(b'!') => {
                    self.pos += 1;
                    look = Some(true);
                }
                Some(b'P') if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 1;
                    self.group_name()?;
                }
                Some(b'<') if !matches!(self.bytes.get(self.pos + 1), Some(b'=' | b'!')) => {
                    self.group_name()?;
                }
                Some(b'\'') => {
                    let end = self.find_from(self.pos + 1, b'\'')?;
                    self.pos = end + 1;
                }
                _ => {
                    // `(?i:...)`: flags scoped to the group.
                    let start = self.pos;
                    let end = self.find_from(start, b':')?;
                    let body = self.bytes.get(start..end).unwrap_or_default();
                    if body.is_empty()
                        || !body.iter().all(|b| b.is_ascii_alphabetic() || *b == b'-')
                    {
                        return unsupported("group kind");
                    }
                    flags = apply_flags(flags, body)?;
                    self.pos = end + 1;
                }
            }
        }
        let inner = self.alternation(flags)?;
        if !self.eat(b')') {
            return unsupported("missing \")\"");
        }
        self.depth -= 1;
        Ok(match look {
            Some(negate) => Node::Look {
                node: Box::new(inner),
                negate,
            },
            None => inner,
        })
    }

    /// Skips `<name>` after `(?` or `(?P`.
    fn group_name(&mut self) -> Result<(), Unsupported> {
        let end = self.find_from(self.pos, b'>')?;
        self.pos = end + 1;
        Ok(())
    }

    pub(super) fn find_from(&self, from: usize, byte: u8) -> Result<usize, Unsupported> {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == byte))
            .map(|i| from + i)
            .map_or_else(|| unsupported("unterminated group"), Ok)
    }

    fn escape(&mut self, flags: Flags) -> Result<Node, Unsupported> {
        let Some(byte) = self.peek() else {
            return unsupported("trailing backslash");
        };
        self.pos += 1;
        if let Some(set) = shorthand(byte) {
            return Ok(Node::Set(set));
        }
        Ok(match byte {
            b'A' => Node::Assert(Assertion::Start),
            b'Z' => Node::Assert(Assertion::End),
            b'z' => Node::Assert(Assertion::AbsoluteEnd),
            b'b' => Node::Assert(Assertion::WordBoundary),
            b'B' => Node::Assert(Assertion::NotWordBoundary),
            _ => Node::Set(literal(self.escaped_byte(byte)?, flags)),
        })
    }
}

fn apply_flags(mut flags: Flags, body: &[u8]) -> Result<Flags, Unsupported> {
    let mut on = true;
    for &b in body {
        match b {
            b'-' => on = false,
            b'i' => flags.caseless = on,
            b's' => flags.dotall = on,
            _ => return unsupported(format!("inline flag {}", char::from(b))),
        }
    }
    Ok(flags)
}

pub(super) fn literal(byte: u8, flags: Flags) -> ByteSet {
    let mut set = ByteSet::empty();
    set.insert(byte);
    if flags.caseless { set.caseless() } else { set }
}
