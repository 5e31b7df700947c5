//! Live host mode against real trees: users, groups, owners and modes are created for the
//! test (as root, as in CI), the planted problems must be found exactly, and the snapshot the
//! collection command prints must give the same findings as `check --live`.

#[cfg(test)]
mod accounts;
#[cfg(test)]
mod planted;
