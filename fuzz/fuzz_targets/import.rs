//! Catalogue importer: any text imports to rule YAML or an error, never a
//! panic; imported YAML loads back as a rule.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use kqlhunt::rules::{FieldMap, Parsed, import::import, parse_rule};
use libfuzzer_sys::fuzz_target;

fn map() -> &'static FieldMap {
    static MAP: OnceLock<FieldMap> = OnceLock::new();
    MAP.get_or_init(|| FieldMap::bundled().expect("the bundled field map parses"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(imported) = import(Path::new("fuzz.txt"), text, map()) else { return };
    match parse_rule(Path::new("imported.yaml"), &imported.yaml) {
        Ok(Parsed::Rule(_)) => {}
        other => panic!("imported YAML does not load back as a rule: {other:?}\n{}", imported.yaml),
    }
});
