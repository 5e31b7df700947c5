//! The whole audit on a host made of the input: the first byte picks the file kinds, the rest
//! is split at NUL into files. Must return (no panic, no hang) for any input.
#![no_main]

use fpmaudit_engine::{FileKind, SourceFile, SourceSet, audit};
use libfuzzer_sys::fuzz_target;

const KINDS: [FileKind; 9] = [
    FileKind::FpmGlobal,
    FileKind::FpmPool,
    FileKind::PhpIni,
    FileKind::Nginx,
    FileKind::SystemdUnit,
    FileKind::SystemdDropin,
    FileKind::FsSnapshot,
    FileKind::Passwd,
    FileKind::Group,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let mut sources = SourceSet::new();
    for (i, chunk) in rest.split(|&b| b == 0).enumerate() {
        let kind = KINDS[(usize::from(selector) + i) % KINDS.len()];
        let text = String::from_utf8_lossy(chunk).into_owned();
        sources.add(SourceFile::new(format!("/etc/fuzz/{i}"), text, kind));
    }
    let _ = audit(&sources);
});
