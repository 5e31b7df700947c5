//! What PHP makes of a scanned value: concatenation, boolean words, constants and the integer
//! expressions (`E_ALL & ~E_DEPRECATED`) of `zend_ini_parser.y`.

use crate::text::TextRange;

/// A piece of a value as scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Atom {
    Word(TextRange),
    Space(TextRange),
    /// A double-quoted piece, unescaped; blanks on both sides of it are dropped.
    Quoted(String),
    /// A single-quoted piece, raw; blanks around it are kept.
    Raw(String),
    /// `${NAME}` outside quotes.
    Var(String),
    /// `${NAME}` inside a double-quoted piece (its text is kept in the `Quoted` atom).
    VarInQuotes(String),
    /// An operator and its byte offset.
    Op(u8, usize),
    /// A byte the grammar cannot take here (`=`), at this offset; the value ends there.
    Unexpected(u8, usize),
}

/// Where a value stops being valid: byte offset and message.
pub(super) type ValueError = (usize, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Unquoted words, kept as written.
    Plain,
    /// At least one quoted piece.
    Quoted,
    /// `on/yes/true` (`"1"`) or `off/no/false/none` (`""`), unquoted and alone.
    Bool(bool),
    /// `null`, read as the empty string.
    Null,
    /// Contains bitwise operators; evaluated to an integer.
    Expression,
    /// Nothing after `=`.
    Empty,
}

/// A value: where it is written and what PHP reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The written value, without surrounding blanks or the trailing comment.
    pub range: TextRange,
    /// The string PHP stores. `${NAME}` references are kept as written: their values come from
    /// the environment, which the audit cannot see.
    pub text: String,
    pub kind: ValueKind,
    pub var_refs: Vec<String>,
}

/// Error-reporting constants defined before any INI file is read (PHP 8.x values).
const CONSTANTS: &[(&str, i64)] = &[
    ("E_ERROR", 1),
    ("E_WARNING", 2),
    ("E_PARSE", 4),
    ("E_NOTICE", 8),
    ("E_CORE_ERROR", 16),
    ("E_CORE_WARNING", 32),
    ("E_COMPILE_ERROR", 64),
    ("E_COMPILE_WARNING", 128),
    ("E_USER_ERROR", 256),
    ("E_USER_WARNING", 512),
    ("E_USER_NOTICE", 1024),
    ("E_STRICT", 2048),
    ("E_RECOVERABLE_ERROR", 4096),
    ("E_DEPRECATED", 8192),
    ("E_USER_DEPRECATED", 16384),
    ("E_ALL", 32767),
];

fn constant(word: &str) -> Option<i64> {
    CONSTANTS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, v)| v)
}

/// Integer reading of an operand, as `zend_ini_do_op` does (leading decimal digits).
fn int_of(text: &str) -> i64 {
    let text = text.trim_start();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits
        .get(..end)
        .and_then(|d| d.parse::<i64>().ok())
        .map_or(0, |v| sign * v)
}

/// An operand or operator after joining adjacent text pieces, with its byte offset.
#[derive(Debug)]
enum Item {
    Text(String),
    Op(u8, usize),
    Unexpected(u8, usize),
}

/// The result of `expr`: a plain string until an operator turns it into an integer.
#[derive(Debug)]
enum Operand {
    Text(String),
    Int(i64),
}

impl Operand {
    fn int(&self) -> i64 {
        match self {
            Self::Text(t) => int_of(t),
            Self::Int(i) => *i,
        }
    }
}

/// Atoms joined into operands and operators, as the grammar sees them.
struct Joined {
    items: Vec<Item>,
    var_refs: Vec<String>,
    quoted: bool,
    words: usize,
}

/// Joins adjacent pieces the way the scanner's whitespace rules do: blanks between words stay,
/// blanks before an operator stay in the operand, blanks after an operator and around a
/// double-quoted piece are eaten, trailing blanks are dropped.
fn join(source: &str, atoms: &[Atom]) -> Joined {
    let mut joined = Joined {
        items: Vec::new(),
        var_refs: Vec::new(),
        quoted: false,
        words: 0,
    };
    let mut pending_space: Option<&str> = None;
    let mut after_double_quote = false;
    for atom in atoms {
        let piece = match atom {
            Atom::Space(r) => {
                if !after_double_quote {
                    pending_space = Some(r.slice(source));
                }
                continue;
            }
            Atom::Op(op, at) | Atom::Unexpected(op, at) => {
                if let (Some(Item::Text(text)), Some(space)) =
                    (joined.items.last_mut(), pending_space)
                {
                    text.push_str(space);
                }
                pending_space = None;
                after_double_quote = false;
                joined.items.push(match atom {
                    Atom::Op(..) => Item::Op(*op, *at),
                    _ => Item::Unexpected(*op, *at),
                });
                continue;
            }
            Atom::VarInQuotes(name) => {
                joined.var_refs.push(name.clone());
                continue;
            }
            Atom::Word(r) => {
                joined.words += 1;
                let word = r.slice(source);
                constant(word).map_or_else(|| word.to_string(), |v| v.to_string())
            }
            Atom::Quoted(s) => {
                joined.quoted = true;
                pending_space = None;
                s.clone()
            }
            Atom::Raw(s) => {
                joined.quoted = true;
                s.clone()
            }
            Atom::Var(name) => {
                joined.var_refs.push(name.clone());
                format!("${{{name}}}")
            }
        };
        after_double_quote = matches!(atom, Atom::Quoted(_));
        match joined.items.last_mut() {
            Some(Item::Text(text)) => {
                text.push_str(pending_space.unwrap_or(""));
                text.push_str(&piece);
            }
            _ => joined.items.push(Item::Text(piece)),
        }
        pending_space = None;
    }
    joined
}

impl Value {
    /// Evaluates the atoms of one value. `Ok((value, None))`: PHP stores the value.
    /// `Ok((value, Some(error)))`: PHP stores the value read so far, then stops at a syntax
    /// error (bison reduces the finished statement before it sees the bad token).
    /// `Err(error)`: the statement fails before it is complete and nothing is stored.
    pub(super) fn evaluate(
        source: &str,
        atoms: &[Atom],
        range: TextRange,
    ) -> Result<(Self, Option<ValueError>), ValueError> {
        let Joined {
            items,
            var_refs,
            quoted,
            words,
        } = join(source, atoms);
        if items.iter().any(|i| !matches!(i, Item::Text(_))) {
            let mut parser = ExprParser {
                items: &items,
                pos: 0,
            };
            let result = parser.expr()?;
            let (text, kind) = match result {
                Operand::Text(t) => (t, ValueKind::Plain),
                Operand::Int(i) => (i.to_string(), ValueKind::Expression),
            };
            let error = match parser.items.get(parser.pos) {
                Some(Item::Op(op, at) | Item::Unexpected(op, at)) => Some((
                    *at,
                    format!(
                        "unexpected '{}' in a value (quote the value)",
                        char::from(*op)
                    ),
                )),
                Some(Item::Text(_)) | None => None,
            };
            return Ok((
                Self {
                    range,
                    text,
                    kind,
                    var_refs,
                },
                error,
            ));
        }
        let text = match items.first() {
            Some(Item::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let kind = if atoms.is_empty() {
            ValueKind::Empty
        } else if quoted {
            ValueKind::Quoted
        } else if words == 1 {
            match text.to_ascii_lowercase().as_str() {
                "on" | "yes" | "true" => ValueKind::Bool(true),
                "off" | "no" | "false" | "none" => ValueKind::Bool(false),
                "null" => ValueKind::Null,
                _ => ValueKind::Plain,
            }
        } else {
            ValueKind::Plain
        };
        let text = match kind {
            ValueKind::Bool(true) => "1".to_string(),
            ValueKind::Bool(false) | ValueKind::Null => String::new(),
            _ => text,
        };
        Ok((
            Self {
                range,
                text,
                kind,
                var_refs,
            },
            None,
        ))
    }
}

/// `expr: unary (('|' | '&' | '^') unary)*`, left-associative, as in `zend_ini_parser.y`.
struct ExprParser<'a> {
    items: &'a [Item],
    pos: usize,
}

impl ExprParser<'_> {
    fn expr(&mut self) -> Result<Operand, ValueError> {
        let mut left = self.unary(0)?;
        while let Some(Item::Op(op @ (b'|' | b'&' | b'^'), _)) = self.items.get(self.pos) {
            self.pos += 1;
            let right = self.unary(0)?.int();
            let l = left.int();
            left = Operand::Int(match op {
                b'|' => l | right,
                b'&' => l & right,
                _ => l ^ right,
            });
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Operand, ValueError> {
        let item = self.items.get(self.pos);
        let at = match item {
            Some(Item::Op(_, at) | Item::Unexpected(_, at)) => *at,
            _ => 0,
        };
        if depth > 64 {
            return Err((at, "value expression nested too deeply".into()));
        }
        self.pos += 1;
        match item {
            Some(Item::Op(b'~', _)) => Ok(Operand::Int(!self.unary(depth + 1)?.int())),
            Some(Item::Op(b'!', _)) => {
                Ok(Operand::Int(i64::from(self.unary(depth + 1)?.int() == 0)))
            }
            Some(Item::Op(b'(', _)) => {
                let v = self.expr()?;
                match self.items.get(self.pos) {
                    Some(Item::Op(b')', _)) => {
                        self.pos += 1;
                        Ok(Operand::Int(v.int()))
                    }
                    _ => Err((at, "'(' without ')' in a value".into())),
                }
            }
            Some(Item::Text(t)) => Ok(Operand::Text(t.clone())),
            Some(Item::Op(op, _) | Item::Unexpected(op, _)) => {
                Err((at, format!("unexpected '{}' in a value", char::from(*op))))
            }
            None => Err((at, "a value ends with an operator".into())),
        }
    }
}
