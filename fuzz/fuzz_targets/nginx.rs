//! nginx reader: total and lossless on any bytes.
#![no_main]

use fpmaudit_engine::syntax::nginx::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    assert_eq!(parse(&text).print(&text), text);
});
