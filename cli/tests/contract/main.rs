//! The CLI contract tests (one binary; modules are cfg(test) so test helpers may unwrap).

#[cfg(test)]
mod checks;

#[cfg(test)]
mod sarif;

#[cfg(test)]
mod fix;

#[cfg(test)]
mod map;
