//! The fixes of the systemd rules, applied: the text they produce must parse, make the
//! finding go away and mean what the fix title says.

use crate::diagnostic::{Fix, Safety};
use crate::model::Model;
use crate::source::{FileKind, SourceFile, SourceSet};

const UNIT: &str = "/lib/systemd/system/php8.2-fpm.service";
const DROPIN: &str = "/etc/systemd/system/php8.2-fpm.service.d/override.conf";

fn host(files: &[(&str, &str, FileKind)]) -> SourceSet {
    let mut sources = SourceSet::new();
    for (path, text, kind) in files {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    sources
}

/// The first fix of `rule`, and the host with it applied.
fn fixed(sources: &SourceSet, rule: &str) -> (Fix, SourceSet) {
    let report = crate::audit(sources);
    let fix = report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .and_then(|f| f.fix.clone())
        .unwrap_or_else(|| panic!("{rule}: no fix"));
    let mut out = SourceSet::new();
    for (id, file) in sources.iter() {
        let mut text = file.text.clone();
        let mut edits: Vec<_> = fix.edits.iter().filter(|e| e.file == id).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            text.replace_range(e.range.start as usize..e.range.end as usize, &e.replacement);
        }
        out.add(SourceFile::new(file.path.clone(), text, file.kind));
    }
    (fix, out)
}

fn fires(sources: &SourceSet, rule: &str) -> bool {
    crate::audit(sources)
        .findings
        .iter()
        .any(|f| f.rule == rule)
}

fn unit_value(sources: &SourceSet, key: &str) -> Option<String> {
    let model = Model::build(sources);
    let unit = model.systemd.unit("php8.2-fpm.service")?;
    unit.value("Service", key).map(str::to_string)
}

#[test]
fn syd_017_moves_the_comment_and_keeps_the_value() {
    let sources = host(&[
        (
            UNIT,
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2\n",
            FileKind::SystemdUnit,
        ),
        (
            DROPIN,
            "[Service]\n  ProtectSystem=strict # ro\n",
            FileKind::SystemdDropin,
        ),
    ]);
    let (fix, after) = fixed(&sources, "SYD-017");
    assert_eq!(fix.safety, Safety::Safe);
    assert!(!fires(&after, "SYD-017"));
    assert_eq!(
        unit_value(&after, "ProtectSystem").as_deref(),
        Some("strict")
    );
    let text = &after.iter().nth(1).unwrap().1.text;
    assert_eq!(text, "[Service]\n  # ro\n  ProtectSystem=strict\n");
}

#[test]
fn syd_002_inserts_or_rewrites_protect_system() {
    let sources = host(&[
        (
            UNIT,
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2\n",
            FileKind::SystemdUnit,
        ),
        (
            DROPIN,
            "[Service]\nPrivateTmp=yes\n",
            FileKind::SystemdDropin,
        ),
    ]);
    let (_, after) = fixed(&sources, "SYD-002");
    assert!(!fires(&after, "SYD-002"));
    assert_eq!(unit_value(&after, "ProtectSystem").as_deref(), Some("full"));
    assert!(
        after
            .iter()
            .nth(1)
            .unwrap()
            .1
            .text
            .contains("ProtectSystem=full")
    );
    let sources = host(&[(
        UNIT,
        "[Service]\nExecStart=/usr/sbin/php-fpm8.2\nProtectSystem=yes\n",
        FileKind::SystemdUnit,
    )]);
    let (_, after) = fixed(&sources, "SYD-002");
    assert_eq!(unit_value(&after, "ProtectSystem").as_deref(), Some("full"));
}

#[test]
fn syd_003_adds_the_directory() {
    let sources = host(&[
        (
            UNIT,
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2\nProtectSystem=strict\n",
            FileKind::SystemdUnit,
        ),
        (
            "/etc/php/8.2/fpm/pool.d/www.conf",
            "[www]\nlisten = /run/php/www.sock\n",
            FileKind::FpmPool,
        ),
    ]);
    let (_, after) = fixed(&sources, "SYD-003");
    assert!(!fires(&after, "SYD-003"));
}

#[test]
fn syd_018_and_fpm_201_rename_and_remove() {
    let sources = host(&[(
        UNIT,
        "[Service]\nExecStart=/usr/sbin/php-fpm8.2 -R --nodaemonize\nprotecthome=yes\n",
        FileKind::SystemdUnit,
    )]);
    let (_, after) = fixed(&sources, "SYD-018");
    assert!(!fires(&after, "SYD-018"));
    assert_eq!(unit_value(&after, "ProtectHome").as_deref(), Some("yes"));
    let (_, after) = fixed(&sources, "FPM-201");
    assert!(!fires(&after, "FPM-201"));
    assert!(
        after
            .iter()
            .next()
            .unwrap()
            .1
            .text
            .contains("php-fpm8.2 --nodaemonize\n")
    );
}

#[test]
fn syd_006_turns_pcre_jit_off() {
    let sources = host(&[
        (
            UNIT,
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2\nMemoryDenyWriteExecute=yes\n",
            FileKind::SystemdUnit,
        ),
        (
            "/etc/php/8.2/fpm/php.ini",
            "[PHP]\npcre.jit = 1\n",
            FileKind::PhpIni,
        ),
    ]);
    let (_, after) = fixed(&sources, "SYD-006");
    assert!(!fires(&after, "SYD-006"));
}
