//! Differential test: our systemd model (units merged with drop-ins, effective values) and
//! the engine's exposure score against systemd 252 itself.
//!
//! The oracle is `systemd-analyze security --offline=yes --root=DIR UNIT`: it loads the unit
//! from DIR with systemd's real loader (search path, drop-in directories and their order,
//! masking, templates, prefix and type-level drop-ins, every `config_parse_*()` with its reset
//! and `~` rules and its "ignoring" of bad values) and needs no running manager. The other
//! candidates do not fit: `systemctl --root cat/show` refuses `--root`, `systemd-analyze
//! verify` prints no values, and `systemd-analyze cat-config` has its own search order
//! (`/usr/lib` before `/lib`, no prefix or type-level drop-ins), not the unit loader's.
//!
//! What is compared, per unit: with `--json=short`, every one of the 81 rows — its `set`
//! field (safe / not safe / not applicable), its `exposure` column (which pins the badness of
//! the row to the unit) and, for the multi-level rows, the level named in its description;
//! without `--json` (the JSON has no total), the line "Overall exposure level for UNIT: 9.6
//! UNSAFE", number and label, which must equal [`Exposure::score`] and [`Exposure::label`].
//! The rows come from `fpmaudit_engine::model::systemd::exposure`, which reads only our merged
//! unit, so a row that disagrees points at a merge, reset or parse rule we got wrong, or at a
//! check we score differently. A unit systemd refuses to load must be one we mark refused.

#[cfg(test)]
mod assess;
#[cfg(test)]
mod generate;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::path::Path;
    use std::process::Command;

    use fpmaudit_engine::model::Model;
    use fpmaudit_engine::model::systemd::{Exposure, exposure};
    use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

    use super::assess::{fragment, systemd_groups};
    use super::generate::{Case, case};
    use crate::support::{Rng, fixtures, program, run, scratch};

    /// One row of `--json=short`: `set`, `description` and `exposure`.
    type Printed = BTreeMap<String, (Option<bool>, Option<String>, Option<String>)>;

    /// Reads the flat JSON systemd prints: an array of objects whose values are strings,
    /// booleans or null.
    fn parse_rows(json: &str) -> Printed {
        let mut rows = Printed::new();
        let mut chars = json.chars().peekable();
        let mut object: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut key: Option<String> = None;
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    let mut s = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => s.push(chars.next().unwrap()),
                            '"' => break,
                            c => s.push(c),
                        }
                    }
                    match key.take() {
                        None => key = Some(s),
                        Some(k) => {
                            object.insert(k, Some(s));
                        }
                    }
                }
                't' | 'f' | 'n' => {
                    let word: String = std::iter::once(c)
                        .chain(std::iter::from_fn(|| {
                            chars.next_if(char::is_ascii_alphabetic)
                        }))
                        .collect();
                    let k = key.take().unwrap();
                    object.insert(k, (word != "null").then_some(word));
                }
                '}' => {
                    let field = object.remove("json_field").flatten().unwrap();
                    let set = object.remove("set").flatten().map(|s| s == "true");
                    let description = object.remove("description").flatten();
                    let exposure = object.remove("exposure").flatten();
                    rows.insert(field, (set, description, exposure));
                    object.clear();
                }
                _ => {}
            }
        }
        rows
    }

    fn write_tree(root: &Path, files: &[(String, String)]) {
        let _ = std::fs::remove_dir_all(root);
        for (path, text) in files {
            let file = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
    }

    fn show(files: &[(String, String)]) -> String {
        let mut out = String::new();
        for (path, text) in files {
            let _ = write!(out, "--- {path}\n{text}");
        }
        out
    }

    /// The per-row EXPOSURE column: `ceil(ceil(badness × weight × 100 / range) / W)` tenths,
    /// empty for safe and not-applicable rows.
    fn row_exposure(exposure: &Exposure, field: &str) -> Option<String> {
        let row = exposure.row(field)?;
        let badness = u64::from(row.badness.filter(|b| *b > 0)?);
        let x = (badness * u64::from(row.check.weight) * 100)
            .div_ceil(u64::from(row.check.range))
            .div_ceil(exposure.weight_sum);
        Some(format!("{}.{}", x / 10, x % 10))
    }

    /// "Overall exposure level for php8.2-fpm.service: 9.6 UNSAFE 😨" → ("9.6", "UNSAFE").
    fn overall(text: &str) -> Option<(String, String)> {
        let line = text
            .lines()
            .find(|l| l.contains("Overall exposure level for"))?;
        let mut words = line.rsplit(':').next()?.split_whitespace();
        Some((words.next()?.to_string(), words.next()?.to_string()))
    }

    /// Compares one tree; returns the number of values compared (1 for a refused unit).
    fn compare(root: &Path, unit_name: &str, files: &[(String, String)]) -> usize {
        write_tree(root, files);
        let mut sources = SourceSet::new();
        for (path, text) in files {
            let kind = if std::path::Path::new(path)
                .extension()
                .is_some_and(|e| e == "conf")
            {
                FileKind::SystemdDropin
            } else {
                FileKind::SystemdUnit
            };
            sources.add(SourceFile::new(path.clone(), text.clone(), kind));
        }
        let model = Model::build(&sources);
        let unit = model
            .systemd
            .resolve(unit_name)
            .unwrap_or_else(|| panic!("{unit_name}: no unit in our model\n{}", show(files)));
        let analyze = |json: bool| {
            let mut cmd = Command::new(program(&["systemd-analyze"]));
            cmd.arg("security")
                .arg("--offline=yes")
                .arg(format!("--root={}", root.display()));
            if json {
                cmd.arg("--json=short");
            }
            run(cmd.arg(unit_name))
        };
        let (ok, stdout, stderr) = analyze(true);
        let refused = !ok && stdout.trim().is_empty();
        assert_eq!(
            unit.refused.is_some(),
            refused,
            "{unit_name}: refused by systemd: {refused}, by us: {:?}\n{stderr}\n{}",
            unit.refused,
            show(files)
        );
        if refused {
            return 1;
        }
        let printed = parse_rows(&stdout);
        assert_eq!(printed.len(), 81, "{stdout}");
        let ours = unit.exposure();
        let mut compared = 0;
        for (field, (set, description, row_exp)) in &printed {
            let row = ours
                .row(field)
                .unwrap_or_else(|| panic!("{unit_name}: row {field} not assessed"));
            let desc = description.as_deref().unwrap_or("");
            let want = fragment(field, row.badness);
            let desc_ok = match want {
                None => true,
                Some("") => description.is_none(),
                Some(part) => desc.contains(part),
            };
            let want_exp = row_exposure(&ours, field);
            assert!(
                *set == row.safe() && desc_ok && *row_exp == want_exp,
                "{unit_name}: {field}: systemd says {set:?} \"{desc}\" exposure {row_exp:?}, \
                 we derive badness {:?} ({want:?}) exposure {want_exp:?}\n\
                 our drop-ins: {:?}\n{}",
                row.badness,
                unit.dropins,
                show(files)
            );
            compared += 3;
        }
        let (ok, text, stderr) = analyze(false);
        assert!(ok, "{unit_name}: {stderr}");
        let (number, label) = overall(&text).unwrap_or_else(|| panic!("no total in:\n{text}"));
        let ours_number = format!("{:.1}", ours.score());
        assert!(
            number == ours_number && label == ours.label().as_str(),
            "{unit_name}: systemd says {number} {label}, we say {ours_number} {} \
             (B = {}, W = {})\n{}",
            ours.label().as_str(),
            ours.badness_sum,
            ours.weight_sum,
            show(files)
        );
        compared + 2
    }

    /// 600 generated trees (`FPMAUDIT_ORACLE_CASES=N` for another number), on two threads: every row of
    /// each and the overall score.
    #[test]
    fn systemd_analyze_security_agrees_on_generated_trees() {
        let cases_wanted: u64 = std::env::var("FPMAUDIT_ORACLE_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(600);
        let results: Vec<(usize, usize, usize)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2u64)
                .map(|worker| {
                    scope.spawn(move || {
                        let root = scratch(&format!("oracle_systemd_{worker}"));
                        let (mut cases, mut values, mut refused) = (0, 0, 0);
                        for seed in (worker..cases_wanted).step_by(2) {
                            let mut rng = Rng::new(seed);
                            let Case { unit, files } = case(&mut rng);
                            let n = compare(&root, &unit, &files);
                            refused += usize::from(n == 1);
                            cases += 1;
                            values += n;
                        }
                        (cases, values, refused)
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let (cases, values, refused) = results
            .iter()
            .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
        assert!(
            cases - refused >= 200,
            "only {} scored trees",
            cases - refused
        );
        println!(
            "systemd-analyze security oracle: {cases} generated trees ({refused} refused by both, \
             {} overall scores equal), {values} values compared",
            cases - refused
        );
    }

    /// Every tree under tests/parse/systemd/, the Debian corpus and the SYD rule fixtures: each
    /// unit with a main file is assessed (templates as the instance `i`, as offline mode does).
    #[test]
    fn systemd_analyze_security_agrees_on_fixtures() {
        let dir = fixtures().join("parse/systemd");
        let root = scratch("oracle_systemd_fixtures");
        let (mut cases, mut values) = (0, 0);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        entries.push(crate::support::corpus());
        // The rule fixtures' hosts too: their units are what the SYD rules are tested on.
        let mut rules: Vec<_> = std::fs::read_dir(fixtures().join("rules"))
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name().to_string_lossy().starts_with("SYD-")
                    || e.file_name().to_string_lossy().starts_with("FPM-2")
            })
            .flat_map(|e| [e.path().join("bad"), e.path().join("good")])
            .collect();
        rules.sort();
        entries.extend(rules);
        for fixture in entries.iter().filter(|p| p.is_dir()) {
            let mut files = Vec::new();
            collect(fixture, fixture, &mut files);
            files.retain(|(path, _)| path.contains("/systemd/"));
            let mut sources = SourceSet::new();
            for (path, text) in &files {
                sources.add_detected(path.clone(), text.clone());
            }
            let model = Model::build(&sources);
            for unit in model.systemd.units.iter().filter(|u| u.main.is_some()) {
                let name = unit.name.replace("@.", "@i.");
                values += compare(&root, &name, &files);
                cases += 1;
            }
        }
        assert!(cases >= 40, "only {cases} fixture units");
        println!(
            "systemd-analyze security oracle: {cases} fixture units, {values} values compared"
        );
    }

    /// The engine's generated group table is what the installed systemd lists.
    #[test]
    fn syscall_groups_match_systemd() {
        let theirs = systemd_groups();
        let ours: BTreeMap<String, Vec<String>> = exposure::group_table()
            .map(|(name, members)| {
                (
                    name.to_string(),
                    members.into_iter().map(str::to_string).collect(),
                )
            })
            .collect();
        assert_eq!(
            ours, theirs,
            "regenerate with scripts/gen-syscall-groups.py"
        );
    }

    /// The keys of `[Unit]`, `[Install]` and `[Service]` SYD-018 knows are those of systemd's
    /// own parser table (`Service.PrivateTmp`, … as strings in libsystemd-core), less the
    /// options 252 only warns about and ignores.
    #[test]
    fn known_keys_match_systemds_parser_table() {
        let dirs = [
            "/usr/lib/x86_64-linux-gnu/systemd",
            "/usr/lib/systemd",
            "/lib/systemd",
        ];
        let library = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flat_map(|entries| entries.flatten().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("libsystemd-core-"))
            })
            .expect("libsystemd-core not found (systemd 252 is installed by scripts/setup.sh)");
        let bytes = std::fs::read(&library).unwrap();
        let ignored = ["Capabilities", "BusPolicy", "NetClass", "SysVStartPriority"];
        for section in ["Unit", "Install", "Service"] {
            let prefix = format!("{section}.");
            let mut theirs: Vec<String> = bytes
                .split(|b| !b.is_ascii_graphic())
                .filter_map(|w| std::str::from_utf8(w).ok())
                .filter_map(|w| w.strip_prefix(&prefix))
                .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric()))
                .filter(|k| !ignored.contains(k))
                .map(str::to_string)
                .collect();
            theirs.sort();
            theirs.dedup();
            let mut ours: Vec<String> = fpmaudit_engine::model::systemd::known_keys(section)
                .map(str::to_string)
                .collect();
            ours.sort();
            ours.dedup();
            assert_eq!(
                ours,
                theirs,
                "[{section}] keys differ from {}",
                library.display()
            );
        }
    }

    fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                collect(base, &path, out);
            } else if path.parent() != Some(base) {
                let host = format!("/{}", path.strip_prefix(base).unwrap().display());
                out.push((host, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
}
