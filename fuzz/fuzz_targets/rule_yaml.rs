//! Rule YAML loader: any text is a rule, "not a rule" or an error with a
//! position, never a panic.
#![no_main]

use std::path::Path;

use kqlhunt::rules::parse_rule;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_rule(Path::new("fuzz.yaml"), text);
});
