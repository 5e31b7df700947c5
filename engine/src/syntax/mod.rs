//! Lossless readers, one per format. Each returns a tree plus errors and never fails: printing
//! the tokens gives back the input byte for byte.

pub mod accounts;
pub mod ini;
mod lines;
pub mod nginx;
pub mod snapshot;
pub mod systemd;

use crate::text::TextRange;

/// A syntax error: what is wrong and where. Rules turn these into `*-000` findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

impl SyntaxError {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
        }
    }
}
