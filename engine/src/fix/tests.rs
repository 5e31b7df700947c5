use super::*;
use crate::source::FileKind;

fn host(files: &[(&str, &str, FileKind)]) -> SourceSet {
    let mut sources = SourceSet::new();
    for (path, text, kind) in files {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    sources
}

fn text(sources: &SourceSet, path: &str) -> String {
    let id = sources.by_path(path).unwrap();
    sources.get(id).unwrap().text.clone()
}

const POOL: &str = "/etc/php/8.2/fpm/pool.d/www.conf";

#[test]
fn fixes_keep_comments_and_line_endings() {
    let before = "; shop\r\n[www]\r\nuser = shop\r\nlisten = 9000 ; old\r\npm = static\r\n";
    let sources = host(&[(POOL, before, FileKind::FpmPool)]);
    let hardened = harden(&sources, Safety::NeedsReview);
    assert!(hardened.converged);
    let after = text(&hardened.sources, POOL);
    assert!(
        after.contains("listen = 127.0.0.1:9000 ; old\r\n"),
        "{after:?}"
    );
    assert!(after.starts_with("; shop\r\n[www]\r\n"));
    assert!(after.contains("user = shop\r\n"));
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "line endings stay CRLF: {after:?}"
    );
    assert!(hardened.applied.iter().any(|a| a.rule == "FPM-103"));
    assert_eq!(hardened.changed(&sources).collect::<Vec<_>>(), vec![POOL]);
}

#[test]
fn safe_only_leaves_fixes_that_need_review() {
    let sources = host(&[(
        POOL,
        "[www]\nuser = shop\nlisten = 9000\n",
        FileKind::FpmPool,
    )]);
    let hardened = harden(&sources, Safety::Safe);
    assert!(text(&hardened.sources, POOL).contains("listen = 9000\n"));
    assert!(hardened.applied.iter().all(|a| a.safety == Safety::Safe));
}

#[test]
fn fixing_twice_changes_nothing() {
    let sources = host(&[
        (
            POOL,
            "[www]\nuser = shop\nlisten = 9000\nlisten.mode = 0666\nphp_value[memory_limit] = 128MB\n",
            FileKind::FpmPool,
        ),
        (
            "/etc/php/8.2/fpm/php.ini",
            "[PHP]\nexpose_php = On\ndisplay_errors = On\nallow_url_include = On\n",
            FileKind::PhpIni,
        ),
    ]);
    for accept in [Safety::Safe, Safety::NeedsReview] {
        let once = harden(&sources, accept);
        let twice = harden(&once.sources, accept);
        assert!(once.converged && twice.converged);
        assert!(twice.applied.is_empty(), "{:?}", twice.applied);
        for (id, file) in once.sources.iter() {
            assert_eq!(twice.sources.get(id).unwrap().text, file.text);
        }
    }
}

fn edit(file: u32, start: u32, end: u32) -> Edit {
    Edit {
        file: FileId(file),
        range: TextRange::new(start, end),
        replacement: String::new(),
    }
}

#[test]
fn overlap_rules() {
    // Overlapping bytes conflict; touching edges do not.
    assert!(conflicts(&edit(0, 0, 5), &edit(0, 4, 8)));
    assert!(!conflicts(&edit(0, 0, 5), &edit(0, 5, 8)));
    // Two insertions at one point: order unknown.
    assert!(conflicts(&edit(0, 3, 3), &edit(0, 3, 3)));
    assert!(!conflicts(&edit(0, 3, 3), &edit(0, 4, 4)));
    // An insertion strictly inside a replacement conflicts; at its edge it does not.
    assert!(conflicts(&edit(0, 3, 3), &edit(0, 0, 5)));
    assert!(!conflicts(&edit(0, 5, 5), &edit(0, 0, 5)));
    // Other files never conflict.
    assert!(!conflicts(&edit(0, 0, 5), &edit(1, 0, 5)));
}

#[test]
fn apply_skips_edits_outside_the_text_or_inside_a_character() {
    let mut far = edit(0, 90, 95);
    far.replacement = "x".into();
    let mut split = edit(0, 1, 2); // inside the two bytes of `é`
    split.replacement = "y".into();
    let mut good = edit(0, 3, 4);
    good.replacement = "Z".into();
    assert_eq!(apply("éab", FileId(0), &[&far, &split, &good]), "éaZ");
}

#[test]
fn a_file_without_a_final_newline_keeps_its_lines_apart() {
    let sources = host(&[(POOL, "[www]\nuser = shop\nlisten = 9000", FileKind::FpmPool)]);
    let hardened = harden(&sources, Safety::NeedsReview);
    let after = text(&hardened.sources, POOL);
    assert!(after.contains("\nuser = shop\n"), "{after:?}");
    assert!(after.contains("listen = 127.0.0.1:9000"), "{after:?}");
    assert!(
        after.lines().all(|l| l.matches(" = ").count() <= 1),
        "{after:?}"
    );
}

#[test]
fn only_the_wanted_rules_are_applied() {
    let sources = host(&[(
        POOL,
        "[www]\nuser = shop\nlisten = 9000\n",
        FileKind::FpmPool,
    )]);
    let hardened = harden_with(&sources, Safety::NeedsReview, |rule| rule == "FPM-103");
    assert!(hardened.applied.iter().all(|a| a.rule == "FPM-103"));
    assert_eq!(
        text(&hardened.sources, POOL),
        "[www]\nuser = shop\nlisten = 127.0.0.1:9000\n"
    );
}
