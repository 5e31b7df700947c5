//! Shared helpers of the engine's integration tests: a deterministic random source, temp
//! directories and runners for the real programs used as oracles.

use std::path::{Path, PathBuf};
use std::process::Command;

/// xorshift64*: deterministic, so a failing case can be reproduced from its number.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A fresh directory under the target dir, removed and recreated.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Finds a program or fails the test: the oracles are installed by scripts/setup.sh.
pub(crate) fn program(candidates: &[&str]) -> PathBuf {
    for c in candidates {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let p = Path::new(dir).join(c);
            if p.exists() {
                return p;
            }
        }
    }
    panic!("none of {candidates:?} is installed; run scripts/setup.sh");
}

pub(crate) fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub(crate) fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/debian-bookworm-php8.2")
}

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
}
