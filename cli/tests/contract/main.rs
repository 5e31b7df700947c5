//! The CLI contract tests (one binary; modules are cfg(test) so test helpers may unwrap).

#[cfg(test)]
mod checks;

#[cfg(test)]
mod sarif;

#[cfg(test)]
mod fix;

#[cfg(test)]
mod map;

/// Runs the built `fpmaudit` with `args`.
#[cfg(test)]
fn fpmaudit(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
        .args(args)
        .output()
        .unwrap()
}
