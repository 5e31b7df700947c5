//! fpmaudit's engine: reads the configuration files of a PHP-FPM host, builds the effective
//! configuration and reports what weakens isolation and hardening.
//!
//! The engine is pure: it does no I/O, reads no clock or environment and cannot panic, so the
//! same code runs in the CLI and, compiled to WebAssembly, in the browser.

pub mod bundle;
pub mod detect;
pub mod diagnostic;
pub mod fix;
pub mod glob;
pub mod graph;
pub mod model;
pub mod report;
pub mod rules;
pub mod sort;
pub mod source;
pub mod syntax;
pub mod text;

pub use diagnostic::{Edit, Finding, Fix, Related, Safety, Severity};
pub use report::{Note, Report, UnitExposure};
pub use source::{FileId, FileKind, SourceFile, SourceSet};

/// The engine's version, shown by the CLI and the app alike.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Audits a host: parses every file, builds the model and runs every rule.
pub fn audit(sources: &SourceSet) -> Report {
    let model = model::Model::build(sources);
    check(sources, &model)
}

/// Runs every rule on a model already built from `sources`.
pub fn check(sources: &SourceSet, model: &model::Model) -> Report {
    let cx = rules::Context { sources, model };
    let mut findings = Vec::new();
    for rule in rules::RULES {
        rule.check(cx, &mut findings);
    }
    let units = model
        .systemd
        .fpm_units()
        .filter_map(|unit| {
            let exposure = unit.exposure();
            Some(UnitExposure {
                file: unit.main?,
                name: unit.name.clone(),
                exposure: exposure.score(),
                level: exposure.level,
                label: exposure.label(),
            })
        })
        .collect();
    Report::new(findings)
        .with_units(units)
        .with_notes(model::fs::evidence_notes(model))
}
