//! Compiles a [`Node`] tree to NFA instructions and runs them as a Pike VM: every thread
//! advances one byte at a time, so the cost is (subject length × program size) whatever the
//! pattern, and a pattern such as `(a*)*b` cannot make it backtrack exponentially.

use super::regex::{Assertion, Node, Unsupported};

/// Programs larger than this (after unrolling counted repetitions) are refused.
const MAX_INSTRUCTIONS: usize = 20_000;
/// Steps one search may take. Plain patterns take (subject length × program size) at most;
/// lookaheads nested inside repetitions multiply that, so hostile ones give up instead.
const BUDGET: usize = 4_000_000;

/// A set of bytes, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ByteSet([u64; 4]);

impl ByteSet {
    pub(super) const fn empty() -> Self {
        Self([0; 4])
    }

    pub(super) const fn full() -> Self {
        Self([u64::MAX; 4])
    }

    pub(super) fn from_fn(test: impl Fn(&u8) -> bool) -> Self {
        let mut set = Self::empty();
        for b in 0..=u8::MAX {
            if test(&b) {
                set.insert(b);
            }
        }
        set
    }

    fn slot(byte: u8) -> (usize, u64) {
        (usize::from(byte >> 6), 1u64 << (byte & 63))
    }

    pub(super) fn insert(&mut self, byte: u8) {
        let (word, bit) = Self::slot(byte);
        if let Some(w) = self.0.get_mut(word) {
            *w |= bit;
        }
    }

    pub(super) fn remove(&mut self, byte: u8) {
        let (word, bit) = Self::slot(byte);
        if let Some(w) = self.0.get_mut(word) {
            *w &= !bit;
        }
    }

    pub(super) fn contains(self, byte: u8) -> bool {
        let (word, bit) = Self::slot(byte);
        self.0.get(word).is_some_and(|w| w & bit != 0)
    }

    pub(super) fn union(&mut self, other: Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    #[must_use]
    pub(super) fn complement(self) -> Self {
        Self(self.0.map(|w| !w))
    }

    /// Adds the other case of every ASCII letter in the set.
    #[must_use]
    pub(super) fn caseless(self) -> Self {
        let mut out = self;
        for b in 0..=u8::MAX {
            if self.contains(b) {
                out.insert(b.to_ascii_lowercase());
                out.insert(b.to_ascii_uppercase());
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Inst {
    Byte(ByteSet),
    Split(usize, usize),
    Jump(usize),
    Assert(Assertion),
    /// A lookahead: sub-program `sub` must (or, negated, must not) match at this position.
    Look {
        sub: usize,
        negate: bool,
    },
    Match,
}

/// A compiled pattern plus the sub-programs of its lookaheads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Program {
    insts: Vec<Inst>,
    subs: Vec<Program>,
}

impl Program {
    pub(super) fn compile(node: &Node) -> Result<Self, Unsupported> {
        let mut program = Self {
            insts: Vec::new(),
            subs: Vec::new(),
        };
        program.emit(node)?;
        program.push(Inst::Match)?;
        Ok(program)
    }

    fn push(&mut self, inst: Inst) -> Result<usize, Unsupported> {
        if self.insts.len() >= MAX_INSTRUCTIONS {
            return Err(Unsupported("pattern too large".into()));
        }
        self.insts.push(inst);
        Ok(self.insts.len() - 1)
    }

    fn patch(&mut self, at: usize, inst: Inst) {
        if let Some(slot) = self.insts.get_mut(at) {
            *slot = inst;
        }
    }

    fn emit(&mut self, node: &Node) -> Result<(), Unsupported> {
        match node {
            Node::Empty => {}
            Node::Set(set) => {
                self.push(Inst::Byte(*set))?;
            }
            Node::Assert(assertion) => {
                self.push(Inst::Assert(*assertion))?;
            }
            Node::Concat(items) => {
                for item in items {
                    self.emit(item)?;
                }
            }
            Node::Alternation(branches) => {
                let mut jumps = Vec::new();
                let count = branches.len();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 < count {
                        let split = self.push(Inst::Jump(0))?;
                        self.emit(branch)?;
                        jumps.push(self.push(Inst::Jump(0))?);
                        let next = self.insts.len();
                        self.patch(split, Inst::Split(split + 1, next));
                    } else {
                        self.emit(branch)?;
                    }
                }
                let end = self.insts.len();
                for jump in jumps {
                    self.patch(jump, Inst::Jump(end));
                }
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
            Node::Look { node, negate } => {
                let sub = Self::compile(node)?;
                self.subs.push(sub);
                let index = self.subs.len() - 1;
                self.push(Inst::Look {
                    sub: index,
                    negate: *negate,
                })?;
            }
        }
        Ok(())
    }

    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<(), Unsupported> {
        for _ in 0..min {
            self.emit(node)?;
        }
        match max {
            None => {
                // L: split(body, out); body; jump L
                let split = self.push(Inst::Jump(0))?;
                self.emit(node)?;
                self.push(Inst::Jump(split))?;
                let out = self.insts.len();
                self.patch(split, Inst::Split(split + 1, out));
            }
            Some(max) => {
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.push(Inst::Jump(0))?);
                    self.emit(node)?;
                }
                let out = self.insts.len();
                for split in splits {
                    self.patch(split, Inst::Split(split + 1, out));
                }
            }
        }
        Ok(())
    }

    /// Unanchored search: does the program match starting at any position? `None` when the
    /// search needs more than [`BUDGET`] steps (nested lookaheads can multiply the work).
    pub(super) fn search(&self, subject: &[u8]) -> Option<bool> {
        let mut budget = BUDGET;
        self.run(subject, 0, false, &mut budget).ok()
    }

    /// Runs from `start`; `anchored` tries that position only (lookaheads).
    fn run(
        &self,
        subject: &[u8],
        start: usize,
        anchored: bool,
        budget: &mut usize,
    ) -> Result<bool, Exhausted> {
        let len = self.insts.len();
        let mut current: Vec<usize> = Vec::with_capacity(len);
        let mut next: Vec<usize> = Vec::with_capacity(len);
        let mut scratch = Scratch {
            seen: vec![usize::MAX; len],
            stack: Vec::new(),
        };
        let mut pos = start;
        loop {
            if (!anchored || pos == start)
                && self.add(0, subject, pos, &mut current, &mut scratch, budget)?
            {
                return Ok(true);
            }
            if current.is_empty() && (anchored || pos >= subject.len()) {
                return Ok(false);
            }
            let Some(&byte) = subject.get(pos) else {
                return Ok(false);
            };
            next.clear();
            for &pc in &current {
                if let Some(Inst::Byte(set)) = self.insts.get(pc)
                    && set.contains(byte)
                    && self.add(pc + 1, subject, pos + 1, &mut next, &mut scratch, budget)?
                {
                    return Ok(true);
                }
            }
            std::mem::swap(&mut current, &mut next);
            pos += 1;
        }
    }

    /// Follows the empty transitions from `pc` at `pos`, collecting the byte-consuming
    /// instructions in `list`; true as soon as `Match` is reachable.
    fn add(
        &self,
        pc: usize,
        subject: &[u8],
        pos: usize,
        list: &mut Vec<usize>,
        scratch: &mut Scratch,
        budget: &mut usize,
    ) -> Result<bool, Exhausted> {
        let Scratch { seen, stack } = scratch;
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            *budget = budget.checked_sub(1).ok_or(Exhausted)?;
            // `seen[pc] == pos` marks a pc already added at this position.
            let Some(mark) = seen.get_mut(pc) else {
                continue;
            };
            if *mark == pos {
                continue;
            }
            *mark = pos;
            match self.insts.get(pc) {
                Some(Inst::Byte(_)) => list.push(pc),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Jump(to)) => stack.push(*to),
                Some(Inst::Assert(assertion)) if holds(*assertion, subject, pos) => {
                    stack.push(pc + 1);
                }
                Some(Inst::Look { sub, negate }) => {
                    let found = match self.subs.get(*sub) {
                        Some(sub) => sub.run(subject, pos, true, budget)?,
                        None => false,
                    };
                    if found != *negate {
                        stack.push(pc + 1);
                    }
                }
                Some(Inst::Match) => return Ok(true),
                Some(Inst::Assert(_)) | None => {}
            }
        }
        Ok(false)
    }
}

/// The search ran out of [`BUDGET`].
#[derive(Debug)]
struct Exhausted;

/// Per-run buffers, allocated once per run.
#[derive(Debug)]
struct Scratch {
    /// The position each pc was last added at.
    seen: Vec<usize>,
    stack: Vec<usize>,
}

fn holds(assertion: Assertion, subject: &[u8], pos: usize) -> bool {
    let len = subject.len();
    let word = |i: Option<usize>| {
        i.and_then(|i| subject.get(i))
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    match assertion {
        Assertion::Start => pos == 0,
        Assertion::End => pos == len || (pos + 1 == len && subject.get(pos) == Some(&b'\n')),
        Assertion::AbsoluteEnd => pos == len,
        Assertion::WordBoundary => word(pos.checked_sub(1)) != word(Some(pos)),
        Assertion::NotWordBoundary => word(pos.checked_sub(1)) == word(Some(pos)),
    }
}
