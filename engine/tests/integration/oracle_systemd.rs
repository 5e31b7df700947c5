//! Differential test: our systemd model (units merged with drop-ins, effective values) against
//! systemd 252 itself.
//!
//! The oracle is `systemd-analyze security --offline=yes --root=DIR --json=short UNIT`: it
//! loads the unit from DIR with systemd's real loader (search path, drop-in directories and
//! their order, masking, templates, prefix and type-level drop-ins, every `config_parse_*()`
//! with its reset and `~` rules and its "ignoring" of bad values) and needs no running
//! manager. The other candidates do not fit: `systemctl --root cat/show` refuses `--root`,
//! `systemd-analyze verify` prints no values, and `systemd-analyze cat-config` has its own
//! search order (`/usr/lib` before `/lib`, no prefix or type-level drop-ins), not the unit
//! loader's.
//!
//! What is compared: for every one of the 81 rows, its `set` field (safe / not safe / not
//! applicable), and for the multi-level rows (user, ProtectSystem, ProtectHome, ProtectProc,
//! UMask, SystemCallArchitectures, the 11 SystemCallFilter groups, IPAddressDeny, DeviceAllow)
//! the level named in its description. [`assess`] derives each row from our merged unit only,
//! so the rows check the effective values of User, DynamicUser, SupplementaryGroups, 17
//! booleans, ProtectSystem, ProtectHome, ProtectProc, ProcSubset, KeyringMode, NotifyAccess,
//! UMask, Delegate, RootDirectory, DefaultDependencies, CapabilityBoundingSet (26 rows),
//! AmbientCapabilities, RestrictNamespaces (7 rows), RestrictAddressFamilies (5 rows),
//! SystemCallArchitectures, SystemCallFilter (11 rows, expanded with the groups systemd
//! prints), IPAddressDeny/Allow, DevicePolicy and DeviceAllow; and a unit systemd refuses to
//! load must be one we mark refused. Lists systemd does not score (ExecStart, ReadWritePaths,
//! Environment, …) share the reset code but are only covered by the unit tests.

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
    use fpmaudit_engine::{FileKind, SourceFile, SourceSet};

    use super::assess::{Groups, Row, expected};
    use super::generate::{Case, case};
    use crate::support::{Rng, fixtures, program, run, scratch};

    /// One row of `--json=short`: `set` and `description`.
    type Printed = BTreeMap<String, (Option<bool>, Option<String>)>;

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
                    rows.insert(field, (set, description));
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

    /// Compares one tree; returns the number of values compared.
    fn compare(root: &Path, unit_name: &str, files: &[(String, String)], groups: &Groups) -> usize {
        write_tree(root, files);
        let mut sources = SourceSet::new();
        for (path, text) in files {
            let kind = if path.ends_with(".conf") {
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
        let (ok, stdout, stderr) = run(Command::new(program(&["systemd-analyze"]))
            .arg("security")
            .arg("--offline=yes")
            .arg(format!("--root={}", root.display()))
            .arg("--json=short")
            .arg(unit_name));
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
        let ours = expected(&unit, groups);
        let mut compared = 0;
        for (field, (set, description)) in &printed {
            let Row {
                set: want_set,
                description: want,
            } = ours
                .get(field)
                .unwrap_or_else(|| panic!("{unit_name}: row {field} not derived"));
            let desc = description.as_deref().unwrap_or("");
            let desc_ok = match want {
                None => true,
                Some("") => description.is_none(),
                Some(part) => desc.contains(part),
            };
            assert!(
                set == want_set && desc_ok,
                "{unit_name}: {field}: systemd says {set:?} \"{desc}\", we derive {want_set:?} {want:?}\n\
                 our drop-ins: {:?}\n{}",
                unit.dropins,
                show(files)
            );
            compared += 1;
        }
        compared
    }

    #[test]
    fn systemd_analyze_security_agrees_on_generated_trees() {
        let groups = Groups::load();
        let root = scratch("oracle_systemd");
        let (mut cases, mut values, mut refused) = (0, 0, 0);
        for seed in 0..4000 {
            let mut rng = Rng::new(seed);
            let Case { unit, files } = case(&mut rng);
            let n = compare(&root, &unit, &files, &groups);
            if n == 1 {
                refused += 1;
            }
            cases += 1;
            values += n;
        }
        println!(
            "systemd-analyze security oracle: {cases} generated trees ({refused} refused by both), {values} values compared"
        );
    }

    /// Every tree under tests/parse/systemd/: each unit with a main file is assessed
    /// (templates as the instance `i`, as offline mode does).
    #[test]
    fn systemd_analyze_security_agrees_on_fixtures() {
        let groups = Groups::load();
        let dir = fixtures().join("parse/systemd");
        let root = scratch("oracle_systemd_fixtures");
        let (mut cases, mut values) = (0, 0);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for fixture in entries.iter().filter(|p| p.is_dir()) {
            let mut files = Vec::new();
            collect(fixture, fixture, &mut files);
            let mut sources = SourceSet::new();
            for (path, text) in &files {
                sources.add_detected(path.clone(), text.clone());
            }
            let model = Model::build(&sources);
            for unit in model.systemd.units.iter().filter(|u| u.main.is_some()) {
                let name = unit.name.replace("@.", "@i.");
                values += compare(&root, &name, &files, &groups);
                cases += 1;
            }
        }
        assert!(cases >= 8, "only {cases} fixture units");
        println!(
            "systemd-analyze security oracle: {cases} fixture units, {values} values compared"
        );
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
