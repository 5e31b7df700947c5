//! php.ini and FPM readers: total and lossless on any bytes.
#![no_main]

use fpmaudit_engine::syntax::ini::{IniDialect, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dialect in [IniDialect::PhpIni, IniDialect::Fpm] {
        assert_eq!(parse(&text, dialect).print(&text), text);
    }
});
