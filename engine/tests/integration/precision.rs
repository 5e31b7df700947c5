//! Precision: a carefully hardened host, accepted by the real programs, gets no high or
//! critical finding. It is also the app's "hardened reference" example.

use fpmaudit_engine::{Severity, audit};

use crate::fixes::oracles;
use crate::rules::host;
use crate::support::{fixtures, scratch};

#[test]
fn the_hardened_host_is_valid_and_has_nothing_serious() {
    let sources = host(&fixtures().join("scenarios/hardened/root"));
    let report = audit(&sources);
    let serious: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity.at_least(Severity::High))
        .map(|f| {
            let file = sources.get(f.file).unwrap();
            let line = file.line_index.line_col(f.range.start, &file.text).line;
            format!("{} {}:{line} {}", f.rule, file.path, f.message)
        })
        .collect();
    assert!(
        serious.is_empty(),
        "high or critical findings on the hardened host:\n{serious:#?}"
    );
    let exposure = report.units.first().map(|u| u.exposure);
    assert!(exposure.is_some_and(|e| e <= 3.0), "exposure {exposure:?}");

    let accounts = oracles::Accounts::for_hosts(std::iter::once(&sources));
    let dir = scratch("precision-hardened");
    let mut judged = Vec::new();
    for oracle in oracles::ALL {
        if let Some(verdict) = oracle.judge(&dir.join(oracle.name.replace(' ', "-")), &sources) {
            assert!(
                verdict.ok,
                "{} rejects the hardened host:\n{}",
                oracle.name, verdict.output
            );
            assert_eq!(
                verdict.warnings, 0,
                "{} warns:\n{}",
                oracle.name, verdict.output
            );
            judged.push(oracle.name);
        }
    }
    drop(accounts);
    assert_eq!(
        judged.len(),
        oracles::ALL.len(),
        "judged by {judged:?} only"
    );
}
