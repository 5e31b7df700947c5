//! Which files make up a unit and in which order: precedence, drop-in order and masking,
//! prefix, template and type-level directories. Expected behaviour was checked with
//! `systemd-analyze security --offline=yes --root=DIR` on systemd 252.

use super::*;
use crate::model::parse_file;
use crate::source::{FileKind, SourceFile};

pub(super) fn build(files: &[(&str, &str)]) -> (SourceSet, SystemdModel) {
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
        sources.add(SourceFile::new(*path, *text, kind));
    }
    let parsed: Vec<(FileId, Parsed)> = sources
        .iter()
        .map(|(id, f)| (id, parse_file(&f.text, f.kind)))
        .collect();
    let model = SystemdModel::build(&sources, &parsed);
    (sources, model)
}

fn paths(sources: &SourceSet, ids: impl Iterator<Item = FileId>) -> Vec<String> {
    ids.map(|id| sources.get(id).unwrap().path.clone())
        .collect()
}

const E: &str = "/etc/systemd/system";
const L: &str = "/lib/systemd/system";
const UL: &str = "/usr/lib/systemd/system";
const R: &str = "/run/systemd/system";

fn p(dir: &str, rest: &str) -> String {
    format!("{dir}/{rest}")
}

#[test]
fn etc_overrides_lib_entirely() {
    let (src, m) = build(&[
        (&p(L, "php8.2-fpm.service"), "[Service]\nPrivateTmp=yes\n"),
        (
            &p(E, "php8.2-fpm.service"),
            "[Service]\nExecStart=/bin/true\n",
        ),
    ]);
    let unit = m.unit("php8.2-fpm.service").unwrap();
    assert_eq!(paths(&src, unit.files()), [p(E, "php8.2-fpm.service")]);
    assert_eq!(unit.flag("Service", "PrivateTmp"), None);
    assert_eq!(m.units.len(), 1);
}

#[test]
fn lib_is_searched_before_usr_lib() {
    let (src, m) = build(&[
        (&p(UL, "a.service"), "[Service]\n"),
        (&p(L, "a.service"), "[Service]\n"),
        (
            &p(UL, "a.service.d/x.conf"),
            "[Service]\nPrivateDevices=yes\n",
        ),
        (&p(L, "a.service.d/x.conf"), "[Service]\nPrivateTmp=yes\n"),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert_eq!(
        paths(&src, unit.files()),
        [p(L, "a.service"), p(L, "a.service.d/x.conf")]
    );
    assert_eq!(unit.shadowed.len(), 1);
    assert_eq!(unit.flag("Service", "PrivateDevices"), None);
}

#[test]
fn dropins_sort_by_file_name_across_directories() {
    let (src, m) = build(&[
        (&p(L, "a.service"), "[Service]\nProtectSystem=full\n"),
        (
            &p(E, "a.service.d/50-b.conf"),
            "[Service]\nProtectSystem=strict\n",
        ),
        (
            &p(L, "a.service.d/90-c.conf"),
            "[Service]\nProtectSystem=yes\n",
        ),
        (
            &p(R, "a.service.d/10-a.conf"),
            "[Service]\nProtectSystem=no\n",
        ),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert_eq!(
        paths(&src, unit.files()),
        [
            p(L, "a.service"),
            p(R, "a.service.d/10-a.conf"),
            p(E, "a.service.d/50-b.conf"),
            p(L, "a.service.d/90-c.conf"),
        ]
    );
    assert_eq!(unit.value("Service", "ProtectSystem"), Some("yes"));
    let origin = unit.get("Service", "ProtectSystem").unwrap().origin;
    assert_eq!(
        src.get(origin.file).unwrap().path,
        p(L, "a.service.d/90-c.conf")
    );
}

#[test]
fn same_named_dropin_in_higher_directory_masks_lower_one() {
    let (src, m) = build(&[
        (&p(L, "a.service"), "[Service]\n"),
        (
            &p(L, "a.service.d/override.conf"),
            "[Service]\nPrivateTmp=yes\n",
        ),
        // An empty file masks too.
        (&p(E, "a.service.d/override.conf"), ""),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert_eq!(
        paths(&src, unit.dropins.iter().copied()),
        [p(E, "a.service.d/override.conf")]
    );
    assert_eq!(
        unit.shadowed,
        [Shadowed {
            file: src.by_path(&p(L, "a.service.d/override.conf")).unwrap(),
            by: src.by_path(&p(E, "a.service.d/override.conf")).unwrap(),
        }]
    );
    assert_eq!(unit.flag("Service", "PrivateTmp"), None);
}

#[test]
fn prefix_and_type_level_dropins() {
    let (src, m) = build(&[
        (&p(L, "php8.2-fpm.service"), "[Service]\n"),
        (
            &p(L, "php8.2-.service.d/a.conf"),
            "[Service]\nPrivateTmp=yes\n",
        ),
        (&p(E, "service.d/b.conf"), "[Service]\nPrivateDevices=yes\n"),
        (
            &p(L, "php8.2-fpm.service.d/c.conf"),
            "[Service]\nPrivateTmp=no\n",
        ),
        // The exact directory wins a name clash with the type level, even from lower down.
        (&p(E, "service.d/c.conf"), "[Service]\nProtectClock=yes\n"),
    ]);
    let unit = m.unit("php8.2-fpm.service").unwrap();
    assert_eq!(
        paths(&src, unit.dropins.iter().copied()),
        [
            p(L, "php8.2-.service.d/a.conf"),
            p(E, "service.d/b.conf"),
            p(L, "php8.2-fpm.service.d/c.conf"),
        ]
    );
    assert_eq!(unit.flag("Service", "PrivateTmp"), Some(false));
    assert_eq!(unit.flag("Service", "ProtectClock"), None);
    // Prefix and type-level directories are not units of their own.
    assert_eq!(m.units.len(), 1);
}

#[test]
fn prefix_directory_of_a_higher_search_directory_beats_exact_name_lower_down() {
    let (src, m) = build(&[
        (&p(L, "a-b-c.service"), "[Service]\n"),
        (&p(E, "a-.service.d/x.conf"), "[Service]\nPrivateTmp=yes\n"),
        (
            &p(L, "a-b-c.service.d/x.conf"),
            "[Service]\nPrivateDevices=yes\n",
        ),
        (&p(L, "a-b-.service.d/y.conf"), "[Service]\n"),
        (&p(L, "a-.service.d/y.conf"), "[Service]\n"),
    ]);
    let unit = m.unit("a-b-c.service").unwrap();
    assert_eq!(
        paths(&src, unit.dropins.iter().copied()),
        [p(E, "a-.service.d/x.conf"), p(L, "a-b-.service.d/y.conf")]
    );
}

#[test]
fn dropin_dir_names_follow_systemd() {
    assert_eq!(
        names::dropin_dir_names("a-b@i.service"),
        [
            "a-b@i.service",
            "a-b@.service",
            "a-.service",
            "a-@i.service",
            "a-@.service"
        ]
    );
    assert_eq!(
        names::dropin_dir_names("a-b-.service"),
        ["a-b-.service", "a-.service"]
    );
    assert_eq!(names::dropin_dir_names("-a.service"), ["-a.service"]);
    assert_eq!(names::dropin_dir_names("not a unit"), ["not a unit"]);
}

#[test]
fn templates_and_instances() {
    let (src, m) = build(&[
        (&p(L, "php-fpm@.service"), "[Service]\nUser=%i\n"),
        (
            &p(L, "php-fpm@.service.d/a.conf"),
            "[Service]\nPrivateTmp=yes\n",
        ),
        (
            &p(E, "php-fpm@x.service.d/b.conf"),
            "[Service]\nPrivateDevices=yes\n",
        ),
        (
            &p(E, "php-fpm@y.service.d/c.conf"),
            "[Service]\nProtectClock=yes\n",
        ),
    ]);
    let names: Vec<&str> = m.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        names,
        ["php-fpm@.service", "php-fpm@x.service", "php-fpm@y.service"]
    );
    let x = m.unit("php-fpm@x.service").unwrap();
    assert_eq!(
        paths(&src, x.files()),
        [
            p(L, "php-fpm@.service"),
            p(L, "php-fpm@.service.d/a.conf"),
            p(E, "php-fpm@x.service.d/b.conf"),
        ]
    );
    assert_eq!(x.value("Service", "User"), Some("%i"));
    assert_eq!(x.flag("Service", "ProtectClock"), None);
    assert!(m.unit("php-fpm@.service").unwrap().is_template());
    // Any instance can be asked for, e.g. one the FPM configuration implies.
    let z = m.resolve("php-fpm@z.service").unwrap();
    assert_eq!(z.dropins.len(), 1);
    assert!(m.resolve("other.service").is_none());
}

#[test]
fn instance_file_replaces_template() {
    let (src, m) = build(&[
        (&p(L, "p@.service"), "[Service]\nPrivateTmp=yes\n"),
        (&p(E, "p@x.service"), "[Service]\nPrivateDevices=yes\n"),
        (
            &p(L, "p@.service.d/x.conf"),
            "[Service]\nProtectClock=yes\n",
        ),
        (
            &p(L, "p@x.service.d/x.conf"),
            "[Service]\nLockPersonality=yes\n",
        ),
    ]);
    let unit = m.unit("p@x.service").unwrap();
    assert_eq!(
        paths(&src, unit.files()),
        [p(E, "p@x.service"), p(L, "p@x.service.d/x.conf")]
    );
    assert_eq!(unit.flag("Service", "PrivateTmp"), None);
}

#[test]
fn only_visible_conf_files_are_dropins() {
    let (_, m) = build(&[
        (&p(L, "a.service"), "[Service]\n"),
        (&p(L, "a.service.d/x.txt"), "[Service]\nPrivateTmp=yes\n"),
        (&p(L, "a.service.d/.conf"), "[Service]\nPrivateTmp=yes\n"),
        ("/root/override.conf", "[Service]\nPrivateTmp=yes\n"),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert!(unit.dropins.is_empty());
    assert_eq!(m.loose.len(), 3);
}

#[test]
fn dropins_without_main_file_still_make_a_unit() {
    let (_, m) = build(&[(
        &p(E, "php8.2-fpm.service.d/override.conf"),
        "[Service]\nUser=www-data\n",
    )]);
    let unit = m.unit("php8.2-fpm.service").unwrap();
    assert_eq!(unit.main, None);
    assert_eq!(unit.value("Service", "User"), Some("www-data"));
}

#[test]
fn unit_file_outside_the_search_path_is_searched_first() {
    let (src, m) = build(&[
        (&p(L, "a.service"), "[Service]\n"),
        ("/home/me/units/a.service", "[Service]\nPrivateTmp=yes\n"),
        (
            "/home/me/units/a.service.d/x.conf",
            "[Service]\nPrivateDevices=yes\n",
        ),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert_eq!(
        paths(&src, unit.files()),
        [
            "/home/me/units/a.service",
            "/home/me/units/a.service.d/x.conf"
        ]
    );
}

#[test]
fn continuation_values_and_origins() {
    let text = "[Service]\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID \\\n# kept out: CAP_SYS_ADMIN\n  CAP_CHOWN CAP_KILL\n";
    let (src, m) = build(&[(&p(L, "a.service"), text)]);
    let unit = m.unit("a.service").unwrap();
    let caps = unit.capabilities("CapabilityBoundingSet");
    assert_eq!(
        caps.names(),
        ["CAP_CHOWN", "CAP_KILL", "CAP_SETGID", "CAP_SETUID"]
    );
    let setting = caps.entries[0];
    assert_eq!(setting.line, 4);
    let file = src.get(setting.origin.file).unwrap();
    assert!(setting.origin.value.slice(&file.text).ends_with("CAP_KILL"));
    assert_eq!(setting.key_range.slice(&file.text), "CapabilityBoundingSet");
}

#[test]
fn assignments_outside_sections_are_dropped_and_fatal_files_refuse_the_unit() {
    let (_, m) = build(&[
        (
            &p(L, "a.service"),
            "PrivateTmp=yes\n[Service]\nPrivateDevices=yes\n",
        ),
        (&p(L, "b.service"), "[Service\nPrivateTmp=yes\n"),
        (&p(L, "c.service"), "[Service]\nDynamicUser=maybe\n"),
    ]);
    let a = m.unit("a.service").unwrap();
    assert_eq!(a.settings.len(), 1);
    assert_eq!(a.refused, None);
    assert!(m.unit("b.service").unwrap().refused.is_some());
    assert!(m.unit("c.service").unwrap().refused.is_some());
}

#[test]
fn fatal_error_in_a_dropin_only_cuts_that_dropin_short() {
    let (_, m) = build(&[
        (&p(L, "a.service"), "[Service]\n"),
        (
            &p(E, "a.service.d/x.conf"),
            "[Service]\nPrivateDevices=yes\nDynamicUser=maybe\nPrivateTmp=yes\n",
        ),
        (
            &p(E, "a.service.d/y.conf"),
            "[Service]\nProtectClock=yes\n[Service\nLockPersonality=yes\n",
        ),
    ]);
    let unit = m.unit("a.service").unwrap();
    assert_eq!(unit.refused, None);
    assert_eq!(unit.flag("Service", "PrivateDevices"), Some(true));
    assert_eq!(unit.flag("Service", "ProtectClock"), Some(true));
    let effects: Vec<(&str, Effect)> = unit
        .settings
        .iter()
        .map(|s| (s.key.as_str(), s.effect))
        .collect();
    assert_eq!(
        effects,
        [
            ("PrivateDevices", Effect::Applied),
            ("DynamicUser", Effect::Fatal),
            ("PrivateTmp", Effect::Skipped),
            ("ProtectClock", Effect::Applied),
            ("LockPersonality", Effect::Skipped),
        ]
    );
}
