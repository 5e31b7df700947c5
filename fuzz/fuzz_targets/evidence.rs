//! Evidence readers (fs-snapshot, passwd, group): total and lossless on any bytes.
#![no_main]

use fpmaudit_engine::syntax::accounts::{self, Database};
use fpmaudit_engine::syntax::snapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    assert_eq!(snapshot::parse(&text).print(&text), text);
    for database in [Database::Passwd, Database::Group] {
        assert_eq!(accounts::parse(&text, database).print(&text), text);
    }
});
