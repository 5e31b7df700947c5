//! Tree plumbing that must not recurse: a file nested 200,000 blocks deep is legal input, and
//! the derived `Drop`, `Clone`, `PartialEq` and `Debug` would each use one stack frame (or
//! several) per level and overflow long before that.

use std::cell::Cell;
use std::fmt;

use super::{Block, Directive};

impl Drop for Block {
    /// Moves every descendant into one flat list before dropping it, so each `Block` dropped on
    /// the way is already empty.
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(mut directive) = pending.pop() {
            if let Some(block) = directive.block.as_mut() {
                pending.append(&mut block.children);
            }
        }
    }
}

impl Clone for Block {
    fn clone(&self) -> Self {
        /// A block being copied: what is left to copy, what is copied, and the directive that
        /// owns it (`None` for the block `clone` was called on).
        struct Level<'a> {
            source: std::slice::Iter<'a, Directive>,
            copied: Vec<Directive>,
            owner: Option<(Directive, &'a Block)>,
        }
        let mut stack = vec![Level {
            source: self.children.iter(),
            copied: Vec::with_capacity(self.children.len()),
            owner: None,
        }];
        loop {
            let Some(top) = stack.last_mut() else {
                return shallow_block(self, Vec::new());
            };
            if let Some(child) = top.source.next() {
                let copy = shallow_directive(child);
                match &child.block {
                    Some(block) => stack.push(Level {
                        source: block.children.iter(),
                        copied: Vec::with_capacity(block.children.len()),
                        owner: Some((copy, block)),
                    }),
                    None => top.copied.push(copy),
                }
                continue;
            }
            let Some(done) = stack.pop() else {
                return shallow_block(self, Vec::new());
            };
            let Some((mut owner, original)) = done.owner else {
                return shallow_block(self, done.copied);
            };
            owner.block = Some(shallow_block(original, done.copied));
            if let Some(parent) = stack.last_mut() {
                parent.copied.push(owner);
            }
        }
    }
}

/// `directive` without its block.
fn shallow_directive(directive: &Directive) -> Directive {
    Directive {
        name: directive.name.clone(),
        name_range: directive.name_range,
        args: directive.args.clone(),
        block: None,
        range: directive.range,
        semicolon: directive.semicolon,
    }
}

fn shallow_block(block: &Block, children: Vec<Directive>) -> Block {
    Block {
        open: block.open,
        close: block.close,
        children,
        opaque: block.opaque,
    }
}

impl PartialEq for Block {
    fn eq(&self, other: &Self) -> bool {
        if !same_shell(self, other) {
            return false;
        }
        let mut stack = vec![(self.children.iter(), other.children.iter())];
        while let Some((left, right)) = stack.last_mut() {
            match (left.next(), right.next()) {
                (None, None) => {
                    stack.pop();
                }
                (Some(a), Some(b)) => {
                    if a.name != b.name
                        || a.name_range != b.name_range
                        || a.args != b.args
                        || a.range != b.range
                        || a.semicolon != b.semicolon
                    {
                        return false;
                    }
                    match (&a.block, &b.block) {
                        (None, None) => {}
                        (Some(x), Some(y)) if same_shell(x, y) => {
                            stack.push((x.children.iter(), y.children.iter()));
                        }
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        true
    }
}

impl Eq for Block {}

/// Everything but the children's contents.
fn same_shell(a: &Block, b: &Block) -> bool {
    a.open == b.open
        && a.close == b.close
        && a.opaque == b.opaque
        && a.children.len() == b.children.len()
}

thread_local! {
    /// How many `Block`s are being formatted on this thread right now.
    static DEBUG_DEPTH: Cell<usize> = const { Cell::new(0) };
}

impl fmt::Debug for Block {
    /// Formats like a derived `Debug` down to a fixed depth, then only counts children: the
    /// output stays useful in test failures and cannot overflow the stack.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_DEPTH: usize = 32;
        let depth = DEBUG_DEPTH.get();
        let mut s = f.debug_struct("Block");
        s.field("open", &self.open).field("close", &self.close);
        if depth >= MAX_DEPTH {
            s.field(
                "children",
                &format_args!("[{} directives]", self.children.len()),
            );
        } else {
            DEBUG_DEPTH.set(depth + 1);
            s.field("children", &self.children);
            DEBUG_DEPTH.set(depth);
        }
        s.field("opaque", &self.opaque).finish()
    }
}

/// Depth-first walk over a directive tree without recursion; see [`super::NginxDoc::walk`].
#[derive(Debug, Clone)]
pub struct Walk<'a> {
    stack: Vec<std::slice::Iter<'a, Directive>>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(roots: &'a [Directive]) -> Self {
        Self {
            stack: vec![roots.iter()],
        }
    }
}

impl<'a> Iterator for Walk<'a> {
    /// The directive and its depth (0 for top level).
    type Item = (usize, &'a Directive);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let depth = self.stack.len().checked_sub(1)?;
            let top = self.stack.last_mut()?;
            if let Some(directive) = top.next() {
                if let Some(block) = &directive.block {
                    self.stack.push(block.children.iter());
                }
                return Some((depth, directive));
            }
            self.stack.pop();
        }
    }
}
