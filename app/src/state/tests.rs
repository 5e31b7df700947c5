//! Reducer tests: every action, natively, on the example hosts.

use super::*;
use crate::examples::SHARED_HOSTING;

fn pool_index(state: &AppState) -> usize {
    state
        .files
        .iter()
        .position(|f| f.kind == FileKind::FpmPool)
        .unwrap()
}

#[test]
fn default_example_has_findings() {
    let state = AppState::from_example(&SHARED_HOSTING);
    assert!(state.findings().iter().any(|f| f.rule == "FPM-106"));
    assert!(state.findings().iter().any(|f| f.rule == "FPM-302"));
}

#[test]
fn editing_re_audits() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let pool = pool_index(&state);
    let text = state.files[pool]
        .text
        .replace("listen = /run/php/shared.sock", "listen = 9000");
    let edited = state.apply(Action::Edit { file: pool, text });
    let hit = edited
        .findings()
        .iter()
        .find(|f| f.rule == "FPM-103")
        .unwrap();
    assert_eq!(hit.file, pool);
    let text = edited.files[pool]
        .text
        .replace("listen = 9000", "listen = 127.0.0.1:9000");
    let fixed = edited.apply(Action::Edit { file: pool, text });
    assert!(!fixed.findings().iter().any(|f| f.rule == "FPM-103"));
}

#[test]
fn out_of_range_actions_change_nothing() {
    let state = AppState::from_example(&SHARED_HOSTING);
    assert_eq!(state.apply(Action::Select(99)), state);
    assert_eq!(
        state.apply(Action::Edit {
            file: 99,
            text: String::new()
        }),
        state
    );
    assert_eq!(state.apply(Action::LoadExample("nope")), state);
}

#[test]
fn applying_a_fix_changes_the_file_shows_a_diff_and_can_be_undone() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let target = state
        .findings()
        .iter()
        .find(|f| f.rule == "FPM-106" && f.fix.is_some())
        .unwrap()
        .clone();
    let fixed = state.apply(Action::ApplyFix {
        file: target.file,
        rule: target.rule,
        start: target.start,
    });
    assert!(!fixed.findings().iter().any(|f| f.rule == "FPM-106"));
    assert_eq!(fixed.derived.diffs.len(), 1);
    assert!(fixed.derived.diffs[0].diff.contains("+listen.mode = 0660"));
    assert_eq!(fixed.undo.len(), 1);
    let undone = fixed.apply(Action::Undo);
    assert_eq!(undone.files, state.files);
    assert!(undone.derived.diffs.is_empty());
    // A stale finding (its text changed since) applies nothing.
    assert_eq!(
        fixed
            .apply(Action::ApplyFix {
                file: target.file,
                rule: target.rule,
                start: target.start,
            })
            .files,
        fixed.files
    );
}

#[test]
fn all_safe_fixes_at_once() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let safe = state.safe_fixes();
    assert!(safe > 0);
    let fixed = state.apply(Action::ApplyAllSafe);
    assert_eq!(fixed.safe_fixes(), 0);
    assert!(fixed.notice.as_deref().unwrap().starts_with("applied"));
    assert!(!fixed.derived.diffs.is_empty());
    // Nothing left: the second time changes nothing and says so.
    let again = fixed.apply(Action::ApplyAllSafe);
    assert_eq!(again.files, fixed.files);
    assert_eq!(again.undo.len(), fixed.undo.len());
}

#[test]
fn the_map_shows_the_shared_pool() {
    let state = AppState::from_example(&SHARED_HOSTING);
    assert!(state.derived.map_svg.starts_with("<svg"));
    assert!(state.derived.laterals.iter().any(|l| l.rule == "FPM-302"));
    assert_eq!(state.apply(Action::Show(View::Map)).view, View::Map);
}

fn example(id: &str) -> AppState {
    AppState::from_example(crate::examples::find(id).unwrap())
}

#[test]
fn every_example_loads_and_the_hardened_one_has_nothing_serious() {
    for e in crate::examples::ALL {
        let state = AppState::from_example(e);
        assert_eq!(state.files.len(), e.files.len(), "{}", e.id);
        assert!(!e.story.is_empty() && !e.goal.is_empty());
    }
    let hardened = example("hardened");
    let serious: Vec<_> = hardened
        .findings()
        .iter()
        .filter(|f| f.severity.at_least(Severity::High))
        .map(|f| format!("{} {}:{} {}", f.rule, f.path, f.line, f.message))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    assert!(
        example("cve-2019-11043")
            .findings()
            .iter()
            .any(|f| f.rule == "NGX-002")
    );
    assert!(
        example("docker")
            .findings()
            .iter()
            .any(|f| f.rule == "FPM-103")
    );
    let debian = example("debian");
    assert_eq!(
        debian.derived.units.first().map(UnitView::score).as_deref(),
        Some("9.6")
    );
}

#[test]
fn files_can_be_added_renamed_rekinded_and_removed() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let n = state.files.len();
    let added = state.apply(Action::AddFile);
    assert_eq!(added.files.len(), n + 1);
    assert_eq!(added.selected, n);
    let text = "[extra]\nuser = www-data\nlisten = 9000\n".to_string();
    let typed = added.apply(Action::Edit { file: n, text });
    assert!(
        typed
            .findings()
            .iter()
            .any(|f| f.rule == "FPM-103" && f.file == n)
    );
    let rekinded = typed.apply(Action::SetKind {
        file: n,
        kind: FileKind::PhpIni,
    });
    assert!(!rekinded.findings().iter().any(|f| f.rule == "FPM-103"));
    let renamed = typed.apply(Action::SetPath {
        file: n,
        path: "/etc/php/8.2/fpm/pool.d/x.conf".into(),
    });
    assert_eq!(renamed.files[n].path, "/etc/php/8.2/fpm/pool.d/x.conf");
    let removed = renamed.apply(Action::RemoveFile(n));
    assert_eq!(removed.files, state.files);
    assert_eq!(removed.findings(), state.findings());
    assert!(removed.selected < removed.files.len());
}

#[test]
fn a_pasted_dump_becomes_files_and_replaces_open_paths() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let dump = "==> /etc/php/8.2/fpm/pool.d/shared.conf <==\n[shared]\nuser = nobody\nlisten = 0.0.0.0:9000\n\n==> /etc/php/8.2/fpm/pool.d/new.conf <==\n[new]\nuser = new\nlisten = /run/php/new.sock\n";
    let next = state.apply(Action::Import(vec![("pasted".into(), dump.into())]));
    assert_eq!(next.files.len(), state.files.len() + 1);
    let shared = next
        .files
        .iter()
        .find(|f| f.path.ends_with("shared.conf"))
        .unwrap();
    assert!(shared.text.contains("0.0.0.0:9000"));
    assert!(next.findings().iter().any(|f| f.rule == "FPM-103"));
    // Imported texts are the new baseline: no diff until something is fixed.
    assert!(next.derived.diffs.is_empty());
}

#[test]
fn grouping_filters_and_stepping_through_findings() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let first = state.apply(Action::NextFinding);
    let focused = first.focus.unwrap();
    assert_eq!(first.selected, first.findings()[focused].file);
    let back = first.apply(Action::PrevFinding);
    assert_eq!(
        back.focus,
        Some(
            grouping::groups(state.findings(), state.group_by, &state.filter)
                .last()
                .unwrap()
                .findings
                .last()
                .copied()
                .unwrap()
        )
    );
    let high = state.apply(Action::MinSeverity(Severity::High));
    let shown: usize = grouping::groups(high.findings(), high.group_by, &high.filter)
        .iter()
        .map(|g| g.findings.len())
        .sum();
    assert!(shown > 0 && shown < state.findings().len());
    let by_rule = state.apply(Action::Group(GroupBy::Rule));
    assert_eq!(by_rule.group_by, GroupBy::Rule);
    let query = state.apply(Action::Query("FPM-106".into()));
    let hits = grouping::groups(query.findings(), query.group_by, &query.filter);
    let hit_rules: Vec<&str> = hits
        .iter()
        .flat_map(|g| &g.findings)
        .map(|&i| state.findings()[i].rule)
        .collect();
    assert!(hit_rules.contains(&"FPM-106"), "{hit_rules:?}");
    assert!(hit_rules.len() < state.findings().len());
}

#[test]
fn large_inputs_audit_on_a_pause() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let pool = pool_index(&state);
    let big = format!(
        "{}\n{}listen = 9000\n",
        state.files[pool].text,
        "; padding\n".repeat(LARGE_INPUT / 10 + 1)
    );
    let typed = state.apply(Action::Edit {
        file: pool,
        text: big,
    });
    assert!(typed.stale);
    assert!(!typed.findings().iter().any(|f| f.rule == "FPM-103"));
    let audited = typed.apply(Action::Reaudit);
    assert!(!audited.stale);
    assert!(audited.findings().iter().any(|f| f.rule == "FPM-103"));
    assert_eq!(audited.apply(Action::Reaudit), audited);
}

#[test]
fn share_links_restore_the_state_and_redact_secrets() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let pool = pool_index(&state);
    let text = format!("{}env[DB_PASSWORD] = hunter2\n", state.files[pool].text);
    let edited = state
        .apply(Action::Edit { file: pool, text })
        .apply(Action::Select(pool));
    let dialog = edited.apply(Action::OpenShare).share.unwrap();
    assert_eq!(dialog.secrets.len(), 1);
    assert!(!dialog.redact);
    let restored = AppState::from_example(&crate::examples::DEBIAN)
        .apply(Action::Restore(share::parse_fragment(&dialog.fragment)));
    assert_eq!(restored.files, edited.files);
    assert_eq!(restored.selected, pool);
    assert!(!restored.embed);
    let redacted = edited.apply(Action::SetRedact(true)).share.unwrap();
    let back = state.apply(Action::Restore(share::parse_fragment(
        &redacted.embed_fragment,
    )));
    assert!(back.embed);
    assert!(
        back.files[pool]
            .text
            .contains("env[DB_PASSWORD] = REDACTED")
    );
    assert!(!back.files[pool].text.contains("hunter2"));
    assert_eq!(
        edited
            .apply(Action::OpenShare)
            .apply(Action::CloseShare)
            .share,
        None
    );
}

#[test]
fn workshop_tracks_progress_and_gives_hints() {
    let state =
        AppState::from_example(&SHARED_HOSTING).apply(Action::StartWorkshop("cve-2019-11043"));
    let workshop = state.workshop.clone().unwrap();
    assert_eq!(workshop.example, "cve-2019-11043");
    assert!(workshop.start_serious > 0);
    let progress = workshop.progress(&state);
    assert_eq!(progress.percent, 0);
    assert!(!progress.done);
    let hint = workshop::next_hint(&state).unwrap();
    assert_eq!(hint.rule, "NGX-002");
    assert!(!hint.how_to_fix.is_empty());
    let hinted = state.apply(Action::Hint);
    assert_eq!(hinted.workshop.as_ref().unwrap().hints, 1);
    assert_eq!(hinted.focus, Some(hint.finding));
    let target = &hinted.findings()[hint.finding];
    assert!(target.fix.is_some(), "NGX-002 carries a fix");
    let fixed = hinted.apply(Action::ApplyFix {
        file: target.file,
        rule: target.rule,
        start: target.start,
    });
    let after = fixed.workshop.as_ref().unwrap().progress(&fixed);
    assert!(after.serious < progress.serious, "{after:?}");
    assert!(after.percent > 0);
    let from_link = AppState::from_example(&SHARED_HOSTING)
        .apply(Action::Restore(share::parse_fragment("#workshop=debian")));
    assert_eq!(from_link.workshop.unwrap().example, "debian");
}

#[test]
fn a_large_import_shows_at_once_and_audits_on_the_pause() {
    let state = AppState::from_example(&SHARED_HOSTING);
    let big = format!(
        "[big]\nuser = root\nlisten = /run/php/big.sock\n{}",
        "; filler line\n".repeat(LARGE_INPUT / 14 + 10)
    );
    let imported = state.apply(Action::Import(vec![("big.conf".into(), big)]));
    assert!(imported.stale);
    assert!(imported.findings().is_empty());
    let audited = imported.apply(Action::Reaudit);
    assert!(audited.findings().iter().any(|f| f.rule == "FPM-101"));
}

#[test]
fn a_pasted_permissions_snapshot_enables_the_filesystem_rules() {
    let state = AppState::from_example(&SHARED_HOSTING);
    assert!(state.derived.snapshot_command.contains("getent passwd"));
    assert!(state.derived.snapshot_command.contains("srv/blog"));
    assert!(
        state
            .derived
            .notes
            .iter()
            .any(|n| n.message.contains("FS-001")),
        "{:?}",
        state.derived.notes
    );
    let bundle = "==> /fpmaudit/fs-snapshot.txt <==\n# fpmaudit fs-snapshot v1\ndrwxr-xr-x root root 0 0 /srv\ndrwxrwxrwx root root 0 0 /srv/blog\n-rw-r--r-- root root 0 0 /srv/blog/index.php\n\n==> /etc/passwd <==\nroot:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n\n==> /etc/group <==\nroot:x:0:\nwww-data:x:33:\n";
    let next = state.apply(Action::Import(vec![("pasted".into(), bundle.into())]));
    let kinds: Vec<FileKind> = next
        .files
        .iter()
        .skip(state.files.len())
        .map(|f| f.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![FileKind::FsSnapshot, FileKind::Passwd, FileKind::Group]
    );
    let hit = next
        .findings()
        .iter()
        .find(|f| f.rule == "FS-001")
        .expect("FS-001 after the snapshot");
    assert_eq!(
        (hit.path.as_str(), hit.line),
        ("/fpmaudit/fs-snapshot.txt", 3)
    );
}
