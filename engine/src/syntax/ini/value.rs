//! What PHP makes of a scanned value: concatenation, boolean words, constants and the integer
//! expressions (`E_ALL & ~E_DEPRECATED`) of `zend_ini_parser.y`.

use crate::text::TextRange;

/// A piece of a value as scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Atom {
    Word(TextRange),
    Space(TextRange),
    Quoted(String),
    /// `${NAME}` outside quotes.
    Var(String),
    /// `${NAME}` inside a double-quoted piece (its text is kept in the `Quoted` atom).
    VarInQuotes(String),
    Op(u8),
}

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

/// An operand or operator after joining adjacent text pieces.
#[derive(Debug)]
enum Item {
    Text(String),
    Op(u8),
}

impl Value {
    pub(super) fn evaluate(source: &str, atoms: &[Atom], range: TextRange) -> Result<Self, String> {
        let mut var_refs = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        let mut quoted = false;
        let mut pending_space: Option<&str> = None;
        let mut words = 0;
        for atom in atoms {
            let piece = match atom {
                Atom::Space(r) => {
                    pending_space = Some(r.slice(source));
                    continue;
                }
                Atom::Op(op) => {
                    // Blanks around an operator belong to the operator.
                    pending_space = None;
                    items.push(Item::Op(*op));
                    continue;
                }
                Atom::VarInQuotes(name) => {
                    var_refs.push(name.clone());
                    continue;
                }
                Atom::Word(r) => {
                    words += 1;
                    let word = r.slice(source);
                    constant(word).map_or_else(|| word.to_string(), |v| v.to_string())
                }
                Atom::Quoted(s) => {
                    quoted = true;
                    s.clone()
                }
                Atom::Var(name) => {
                    var_refs.push(name.clone());
                    format!("${{{name}}}")
                }
            };
            match items.last_mut() {
                Some(Item::Text(text)) => {
                    text.push_str(pending_space.unwrap_or(""));
                    text.push_str(&piece);
                }
                _ => items.push(Item::Text(piece)),
            }
            pending_space = None;
        }
        let has_ops = items.iter().any(|i| matches!(i, Item::Op(_)));
        let (text, kind) = if has_ops {
            let mut parser = ExprParser {
                items: &items,
                pos: 0,
            };
            let v = parser.expr()?;
            if parser.pos != items.len() {
                return Err("unbalanced operators in a value".into());
            }
            (v.to_string(), ValueKind::Expression)
        } else {
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
            (text, kind)
        };
        Ok(Self {
            range,
            text,
            kind,
            var_refs,
        })
    }
}

/// `expr: unary (('|' | '&' | '^') unary)*`, left-associative, as in `zend_ini_parser.y`.
struct ExprParser<'a> {
    items: &'a [Item],
    pos: usize,
}

impl ExprParser<'_> {
    fn expr(&mut self) -> Result<i64, String> {
        let mut left = self.unary(0)?;
        while let Some(Item::Op(op @ (b'|' | b'&' | b'^'))) = self.items.get(self.pos) {
            self.pos += 1;
            let right = self.unary(0)?;
            left = match op {
                b'|' => left | right,
                b'&' => left & right,
                _ => left ^ right,
            };
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<i64, String> {
        if depth > 64 {
            return Err("value expression nested too deeply".into());
        }
        let item = self.items.get(self.pos);
        self.pos += 1;
        match item {
            Some(Item::Op(b'~')) => Ok(!self.unary(depth + 1)?),
            Some(Item::Op(b'!')) => Ok(i64::from(self.unary(depth + 1)? == 0)),
            Some(Item::Op(b'(')) => {
                let v = self.expr()?;
                match self.items.get(self.pos) {
                    Some(Item::Op(b')')) => {
                        self.pos += 1;
                        Ok(v)
                    }
                    _ => Err("'(' without ')' in a value".into()),
                }
            }
            Some(Item::Text(t)) => Ok(int_of(t)),
            Some(Item::Op(op)) => Err(format!("unexpected '{}' in a value", char::from(*op))),
            None => Err("a value ends with an operator".into()),
        }
    }
}
