//! The engine's integration tests: differential tests against the real programs, hostile
//! input, and round trips over every fixture. One test binary, so the helpers are shared.

#[cfg(test)]
mod fixes;
#[cfg(test)]
mod hostile;
#[cfg(test)]
mod oracle_fpm;
#[cfg(test)]
mod oracle_ini;
#[cfg(test)]
mod oracle_nginx;
#[cfg(test)]
mod oracle_systemd;
#[cfg(test)]
mod precision;
#[cfg(test)]
mod research_examples;
#[cfg(test)]
mod research_systemd;
#[cfg(test)]
mod roundtrip;
#[cfg(test)]
mod rules;
#[cfg(test)]
mod support;
