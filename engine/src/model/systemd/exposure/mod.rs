//! The exposure score of `systemd-analyze security --offline=yes` (systemd 252,
//! `src/analyze/analyze-security.c`), computed from a merged [`Unit`].
//!
//! systemd rates 81 checks. Each check has a weight and a range and gives a badness between 0
//! (safe) and its range, or is not applicable. The score adds `ceil(badness × weight / range)`
//! over the applicable checks, divides by the sum of their weights, and rounds `100 × that` up
//! to an integer 0–100, shown as one decimal (9.6). The label is the first of DANGEROUS (100),
//! UNSAFE (≥ 90), EXPOSED (≥ 75), MEDIUM (≥ 50), OK (≥ 10), SAFE (≥ 1) and PERFECT (0).
//!
//! Like systemd in offline mode, the checks read the unit's files only: `PrivateMounts=` counts
//! only when set explicitly, and the load-time implications of `DynamicUser=`,
//! `PrivateDevices=`, `ProtectClock=`, `ProtectKernelModules=` and `ProtectKernelLogs=` are
//! applied here. The differential test `tests/integration/oracle_systemd.rs` compares every
//! row and the overall number with systemd-analyze itself.

mod caps;
mod checks;
mod syscall_groups;
pub(crate) mod syscalls;
mod table;

pub use syscalls::group_table;
pub use table::{CHECKS, Check};

use super::Unit;

/// systemd's seven labels, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Perfect,
    Safe,
    Ok,
    Medium,
    Exposed,
    Unsafe,
    Dangerous,
}

impl Label {
    /// The label of an exposure level 0–100 (`badness_table[]` of analyze-security.c).
    pub const fn of(level: u32) -> Self {
        match level {
            100.. => Self::Dangerous,
            90..=99 => Self::Unsafe,
            75..=89 => Self::Exposed,
            50..=74 => Self::Medium,
            10..=49 => Self::Ok,
            1..=9 => Self::Safe,
            0 => Self::Perfect,
        }
    }

    /// As systemd prints it (`UNSAFE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Perfect => "PERFECT",
            Self::Safe => "SAFE",
            Self::Ok => "OK",
            Self::Medium => "MEDIUM",
            Self::Exposed => "EXPOSED",
            Self::Unsafe => "UNSAFE",
            Self::Dangerous => "DANGEROUS",
        }
    }
}

/// One check, assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessed {
    pub check: &'static Check,
    /// `None` when the check does not apply to this unit; else 0 (safe) … `check.range`.
    pub badness: Option<u32>,
    /// What was found, in a few words, for multi-level checks (`runs as root`); empty otherwise.
    pub note: &'static str,
}

impl Assessed {
    /// Whether systemd counts this check as safe (`set` in its JSON); `None` when not applicable.
    pub fn safe(&self) -> Option<bool> {
        self.badness.map(|b| b == 0)
    }

    /// What this check adds to the badness sum: `ceil(badness × weight / range)`.
    pub fn weighted(&self) -> u64 {
        let Some(badness) = self.badness else {
            return 0;
        };
        let range = u64::from(self.check.range.max(1));
        (u64::from(badness) * u64::from(self.check.weight)).div_ceil(range)
    }
}

/// The assessment of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// Every check, in systemd's order.
    pub rows: Vec<Assessed>,
    pub badness_sum: u64,
    pub weight_sum: u64,
    /// 0–100; [`Exposure::score`] is this divided by ten.
    pub level: u32,
}

/// An exposure level (the score times ten) as systemd prints it: `96` → `9.6`.
pub fn score_text(level: u32) -> String {
    format!("{}.{}", level / 10, level % 10)
}

impl Exposure {
    /// Assesses `unit` as `systemd-analyze security --offline=yes` does.
    pub fn assess(unit: &Unit) -> Self {
        let rows = checks::assess(unit);
        let badness_sum: u64 = rows.iter().map(Assessed::weighted).sum();
        let weight_sum: u64 = rows
            .iter()
            .filter(|r| r.badness.is_some())
            .map(|r| u64::from(r.check.weight))
            .sum();
        let level = if weight_sum == 0 {
            0
        } else {
            u32::try_from((badness_sum * 100).div_ceil(weight_sum)).unwrap_or(100)
        };
        Self {
            rows,
            badness_sum,
            weight_sum,
            level,
        }
    }

    /// The overall exposure as systemd prints it, 0.0–10.0 with one decimal.
    pub fn score(&self) -> f64 {
        f64::from(self.level) / 10.0
    }

    /// [`Self::score`] as text (`9.6`), from the integer level: no float formatting.
    pub fn score_text(&self) -> String {
        score_text(self.level)
    }

    pub const fn label(&self) -> Label {
        Label::of(self.level)
    }

    /// A row by its `json_field`.
    pub fn row(&self, field: &str) -> Option<&Assessed> {
        self.rows.iter().find(|r| r.check.field == field)
    }

    /// The `n` checks that add the most to the score, worst first (ties in systemd's order).
    pub fn worst(&self, n: usize) -> Vec<&Assessed> {
        let mut rows: Vec<&Assessed> = self.rows.iter().filter(|r| r.weighted() > 0).collect();
        crate::sort::sort_by_key(&mut rows, |r| std::cmp::Reverse(r.weighted()));
        rows.truncate(n);
        rows
    }
}

impl Unit {
    /// The exposure score of this unit (see [`Exposure`]).
    pub fn exposure(&self) -> Exposure {
        Exposure::assess(self)
    }
}

#[cfg(test)]
mod tests;
