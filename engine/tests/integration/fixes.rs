//! Hardened rewrites (`fix::harden`) over every fixture host and the Debian corpus:
//! - they converge, and fixing twice changes nothing;
//! - a rule's own fixes give exactly its golden files (`tests/rules/<ID>/fixed/`) and the rule
//!   no longer reports what it fixed;
//! - the real programs accept the result whenever they accepted the original: `php-fpm8.2 -t`,
//!   `nginx -t`, `php -n -c` (no new startup warning) and `systemd-analyze` (no new warning).
//!
//! Set `FPMAUDIT_BLESS=1` to (re)write the golden files after checking a change by hand.

#[cfg(test)]
pub(crate) mod oracles;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use fpmaudit_engine::fix::{Hardened, harden, harden_with};
    use fpmaudit_engine::model::Model;
    use fpmaudit_engine::model::systemd::Label;
    use fpmaudit_engine::rules::RULES;
    use fpmaudit_engine::{Safety, Severity, SourceSet, audit};

    use super::oracles::{self, Verdict};
    use crate::rules::host;
    use crate::support::{corpus, fixtures, scratch};

    /// Every host the tests know: each rule's bad and good trees, then the corpus.
    fn hosts() -> Vec<(String, SourceSet)> {
        let mut hosts = Vec::new();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("rules"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for dir in dirs {
            for side in ["bad", "good"] {
                let tree = dir.join(side);
                if tree.is_dir() {
                    let name = format!("{}/{side}", dir.file_name().unwrap().to_string_lossy());
                    hosts.push((name, host(&tree)));
                }
            }
        }
        hosts.push(("debian corpus".into(), host(&corpus())));
        let mut scenarios: Vec<PathBuf> = std::fs::read_dir(fixtures().join("scenarios"))
            .unwrap()
            .flatten()
            .map(|e| e.path().join("root"))
            .filter(|p| p.is_dir())
            .collect();
        scenarios.sort();
        for root in scenarios {
            let name = root
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            hosts.push((format!("scenario {name}"), host(&root)));
        }
        hosts
    }

    fn same_texts(a: &SourceSet, b: &SourceSet) -> bool {
        a.iter()
            .zip(b.iter())
            .all(|((_, x), (_, y))| x.text == y.text)
    }

    #[test]
    fn hardening_converges_and_is_idempotent() {
        let mut applied = 0;
        for (name, sources) in hosts() {
            for accept in [Safety::Safe, Safety::NeedsReview] {
                let once = harden(&sources, accept);
                assert!(once.converged, "{name}: fixes did not converge");
                let twice = harden(&once.sources, accept);
                assert!(
                    twice.applied.is_empty() && same_texts(&once.sources, &twice.sources),
                    "{name}: fixing twice changed {:?}",
                    twice.applied
                );
                applied += once.applied.len();
            }
        }
        assert!(applied > 0, "no fixture exercises a fix");
        println!("hardening: {applied} fixes applied, all idempotent");
    }

    /// Fixable rules whose bad fixture shows a case without a fix (their fixes are covered by
    /// the docs' examples and unit tests): INI-116 only rewrites an existing
    /// `opcache.restrict_api`, and its fixture has none.
    const FIX_ONLY_ELSEWHERE: &[&str] = &["INI-116"];

    /// The files of `dir` (a tree) by host path.
    fn golden_files(dir: &Path) -> Vec<(String, String)> {
        let sources = host(dir);
        sources
            .iter()
            .map(|(_, f)| (f.path.clone(), f.text.clone()))
            .collect()
    }

    #[test]
    fn each_fix_matches_its_golden_files_and_clears_its_finding() {
        let bless = std::env::var_os("FPMAUDIT_BLESS").is_some();
        let mut checked = 0;
        for rule in RULES.iter().filter(|r| r.meta().fixable) {
            let id = rule.meta().id;
            let bad = fixtures().join("rules").join(id).join("bad");
            let sources = host(&bad);
            let fixed = harden_with(&sources, Safety::NeedsReview, |r| r == id);
            if FIX_ONLY_ELSEWHERE.contains(&id) {
                assert!(
                    fixed.applied.is_empty(),
                    "{id}: now fixed in its fixture; drop it from FIX_ONLY_ELSEWHERE"
                );
                continue;
            }
            assert!(
                !fixed.applied.is_empty(),
                "{id}: fixable, but its bad fixture gets no fix"
            );
            // Changed files and created ones (SYD-001's drop-ins), in path order like the tree.
            let mut changed: Vec<(String, String)> = fixed
                .sources
                .iter()
                .filter(|(fid, f)| sources.get(*fid).is_none_or(|b| b.text != f.text))
                .map(|(_, f)| (f.path.clone(), f.text.clone()))
                .collect();
            changed.sort();
            let golden_dir = fixtures().join("rules").join(id).join("fixed");
            if bless {
                let _ = std::fs::remove_dir_all(&golden_dir);
                for (path, text) in &changed {
                    let file = golden_dir.join(path.trim_start_matches('/'));
                    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                    std::fs::write(file, text).unwrap();
                }
            }
            assert!(
                golden_dir.is_dir(),
                "{id}: missing tests/rules/{id}/fixed (run with FPMAUDIT_BLESS=1 and review)"
            );
            assert_eq!(golden_files(&golden_dir), changed, "{id}: golden files");
            let left: Vec<String> = audit(&fixed.sources)
                .findings
                .iter()
                .filter(|f| f.rule == id && f.fix.is_some())
                .map(|f| f.message.clone())
                .collect();
            assert!(
                left.is_empty(),
                "{id}: still fixable after fixing: {left:?}"
            );
            checked += 1;
        }
        println!("fix goldens: {checked} rules");
    }

    /// SYD-001's bad fixture carries the corpus's php8.2 files, so its golden drop-in is the
    /// one the Debian corpus gets.
    #[test]
    fn the_debian_corpus_gets_the_golden_drop_in() {
        let path = "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf";
        let fixed = harden_with(&host(&corpus()), Safety::NeedsReview, |r| r == "SYD-001");
        assert_eq!(fixed.generated, [path]);
        let golden = fixtures().join("rules/SYD-001/fixed").join(&path[1..]);
        let want = std::fs::read_to_string(&golden).unwrap();
        let id = fixed.sources.by_path(path).unwrap();
        assert_eq!(fixed.sources.get(id).unwrap().text, want);
    }

    /// The programs' verdicts on a host before and after hardening.
    fn verdicts(name: &str, sources: &SourceSet, hardened: &Hardened) -> usize {
        let dir = scratch(&format!("harden-{}", name.replace(['/', ' '], "-")));
        let mut checked = 0;
        for oracle in oracles::ALL {
            let Some(before) = oracle.judge(&dir.join("before"), sources) else {
                continue;
            };
            let after = oracle
                .judge(&dir.join("after"), &hardened.sources)
                .unwrap_or_else(|| panic!("{name}: {} had nothing to check after", oracle.name));
            if oracle.name.starts_with("systemd-analyze") {
                checked += dropins_hold(name, sources, hardened, &after);
            }
            if before.ok {
                assert!(
                    after.ok,
                    "{name}: {} accepted the original but rejects the hardened files:\n{}",
                    oracle.name, after.output
                );
                assert!(
                    after.warnings <= before.warnings,
                    "{name}: {} warns more after hardening:\n{}",
                    oracle.name,
                    after.output
                );
                checked += 1;
            }
        }
        checked
    }

    /// Units whose pools need more than fits in an exposure of 3.0, with their score: slowlog,
    /// `chroot` and a TCP port below 1024 together keep `CAP_SYS_PTRACE`, `CAP_SYS_CHROOT` and
    /// `CAP_NET_BIND_SERVICE` and allow `ptrace` and `chroot` (members of @debug and @mount),
    /// which costs 0.7; nothing else can be taken away without breaking FPM.
    const OVER_BUDGET: &[(&str, &str, &str)] = &[
        ("SYD-007/bad", "php8.2-fpm.service", "3.1"),
        ("SYD-007/good", "php8.2-fpm.service", "3.1"),
    ];

    /// Rules whose finding on a hardened unit would mean its drop-in breaks FPM.
    const BREAKING: &[&str] = &["SYD-003", "SYD-004", "SYD-006", "SYD-007", "SYD-009"];

    /// The hardening drop-in (SYD-001's fix) of every FPM unit SYD-001 reported: the exposure
    /// `systemd-analyze` prints is ours and at most 3.0, systemd has nothing to say about the
    /// drop-in, and no SYD rule finds something FPM would trip over. The Info note of SYD-003
    /// about pool files not given stays (the drop-in then assumes Debian's stock pool).
    fn dropins_hold(
        name: &str,
        sources: &SourceSet,
        hardened: &Hardened,
        after: &Verdict,
    ) -> usize {
        let reported: Vec<String> = Model::build(sources)
            .systemd
            .fpm_units()
            .filter(|u| u.exposure().label() >= Label::Medium)
            .map(|u| u.name.clone())
            .collect();
        let model = Model::build(&hardened.sources);
        for unit in &reported {
            let ours = model.systemd.unit(unit).unwrap().exposure();
            let theirs = after
                .exposures
                .iter()
                .find(|(u, _)| u == unit)
                .map(|(_, score)| score.as_str());
            let shown = format!("{:.1}", ours.score());
            assert_eq!(
                theirs,
                Some(shown.as_str()),
                "{name}: {unit}: systemd-analyze and we disagree\n{}",
                after.output
            );
            match OVER_BUDGET.iter().find(|(h, u, _)| *h == name && u == unit) {
                Some((_, _, score)) => assert_eq!(shown, *score, "{name}: {unit}"),
                None => assert!(ours.level <= 30, "{name}: {unit} still scores {shown}"),
            }
            println!("{name}: {unit} hardened to {shown} (systemd-analyze: {shown})");
        }
        if reported.is_empty() {
            return 0;
        }
        assert!(
            !after.output.contains("hardening.conf"),
            "{name}: systemd warns about the drop-in:\n{}",
            after.output
        );
        let left: Vec<String> = audit(&hardened.sources)
            .findings
            .iter()
            .filter(|f| BREAKING.contains(&f.rule) && f.severity != Severity::Info)
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect();
        assert!(left.is_empty(), "{name}: after hardening: {left:#?}");
        1
    }

    #[test]
    fn the_real_programs_accept_every_hardened_host() {
        let mut checked = 0;
        let hosts = hosts();
        let hardened: Vec<Hardened> = hosts
            .iter()
            .map(|(_, sources)| harden(sources, Safety::NeedsReview))
            .collect();
        // The users the pools name (split pools' new users too) exist while php-fpm judges.
        let accounts = oracles::Accounts::for_hosts(
            hosts
                .iter()
                .map(|(_, s)| s)
                .chain(hardened.iter().map(|h| &h.sources)),
        );
        println!("created {} test accounts", accounts.created());
        for ((name, sources), hardened) in hosts.iter().zip(&hardened) {
            if hardened.applied.is_empty() {
                continue;
            }
            checked += verdicts(name, sources, hardened);
        }
        drop(accounts);
        assert!(checked > 10, "only {checked} hardened hosts were checked");
        println!("hardened hosts accepted by the real programs: {checked} (host, program) pairs");
    }
}
