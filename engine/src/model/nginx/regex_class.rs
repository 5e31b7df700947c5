//! The byte-level parts of the regex reader: escapes, `[...]` classes, POSIX class names
//! and the `\d`/`\w`/`\s` shorthands (ASCII, as PCRE without UCP).

use super::regex::{Flags, Parser, Unsupported, unsupported};
use super::regex_vm::ByteSet;

impl Parser<'_> {
    /// The byte an escape stands for, outside or inside a class.
    pub(super) fn escaped_byte(&mut self, byte: u8) -> Result<u8, Unsupported> {
        Ok(match byte {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'f' => 0x0c,
            b'e' => 0x1b,
            b'a' => 0x07,
            b'x' => self.hex()?,
            b'0' => 0,
            other if other.is_ascii_alphanumeric() => {
                return unsupported(format!("escape \\{}", char::from(other)));
            }
            other => other,
        })
    }

    fn hex(&mut self) -> Result<u8, Unsupported> {
        let braced = self.eat(b'{');
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) && self.pos - start < 2 {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(self.bytes.get(start..self.pos).unwrap_or_default())
            .unwrap_or_default();
        if braced && !self.eat(b'}') {
            return unsupported("\\x{...} beyond one byte");
        }
        Ok(u8::from_str_radix(digits, 16).unwrap_or(0))
    }

    /// A `[...]` class; the `[` is consumed.
    pub(super) fn class(&mut self, flags: Flags) -> Result<ByteSet, Unsupported> {
        let negated = self.eat(b'^');
        let mut set = ByteSet::empty();
        let mut first = true;
        loop {
            let Some(byte) = self.peek() else {
                return unsupported("missing \"]\"");
            };
            if byte == b']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if byte == b'[' && self.bytes.get(self.pos + 1) == Some(&b':') {
                set.union(self.posix_class()?);
                continue;
            }
            self.pos += 1;
            let low = if byte == b'\\' {
                let Some(next) = self.peek() else {
                    return unsupported("trailing backslash");
                };
                self.pos += 1;
                if let Some(short) = shorthand(next) {
                    set.union(short);
                    continue;
                }
                if next == b'b' {
                    0x08
                } else {
                    self.escaped_byte(next)?
                }
            } else {
                byte
            };
            let is_range = self.peek() == Some(b'-')
                && self.bytes.get(self.pos + 1).is_some_and(|&b| b != b']');
            if !is_range {
                set.insert(low);
                continue;
            }
            self.pos += 1;
            let Some(mut high) = self.peek() else {
                return unsupported("missing \"]\"");
            };
            self.pos += 1;
            if high == b'\\' {
                let Some(next) = self.peek() else {
                    return unsupported("trailing backslash");
                };
                self.pos += 1;
                if shorthand(next).is_some() {
                    return unsupported("class shorthand as a range end");
                }
                high = self.escaped_byte(next)?;
            }
            if high < low {
                return unsupported("range out of order");
            }
            for b in low..=high {
                set.insert(b);
            }
        }
        if flags.caseless {
            set = set.caseless();
        }
        if negated {
            set = set.complement();
        }
        Ok(set)
    }

    fn posix_class(&mut self) -> Result<ByteSet, Unsupported> {
        let end = self.find_from(self.pos + 2, b']')?;
        let name = self.bytes.get(self.pos + 2..end).unwrap_or_default();
        let Some(name) = name.strip_suffix(b":") else {
            return unsupported("POSIX class");
        };
        let test: fn(&u8) -> bool = match name {
            b"alpha" => u8::is_ascii_alphabetic,
            b"digit" => u8::is_ascii_digit,
            b"alnum" => u8::is_ascii_alphanumeric,
            b"upper" => u8::is_ascii_uppercase,
            b"lower" => u8::is_ascii_lowercase,
            b"xdigit" => u8::is_ascii_hexdigit,
            b"punct" => u8::is_ascii_punctuation,
            b"space" => |b: &u8| b.is_ascii_whitespace() || *b == 0x0b,
            b"word" => |b: &u8| b.is_ascii_alphanumeric() || *b == b'_',
            _ => return unsupported("POSIX class"),
        };
        self.pos = end + 1;
        Ok(ByteSet::from_fn(test))
    }
}

/// `\d`, `\w`, `\s` and their complements (ASCII, as PCRE without UCP).
pub(super) fn shorthand(byte: u8) -> Option<ByteSet> {
    let digit = ByteSet::from_fn(u8::is_ascii_digit);
    let word = ByteSet::from_fn(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let space = ByteSet::from_fn(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'));
    let horizontal = ByteSet::from_fn(|b| matches!(b, b' ' | b'\t'));
    Some(match byte {
        b'd' => digit,
        b'D' => digit.complement(),
        b'w' => word,
        b'W' => word.complement(),
        b's' => space,
        b'S' => space.complement(),
        b'h' => horizontal,
        b'H' => horizontal.complement(),
        _ => return None,
    })
}
