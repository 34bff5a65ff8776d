//! Pseudo-filter translator: any catalogue filter translates to KQL or an
//! error, never a panic; what it emits is a KQL expression that parses.
#![no_main]

use std::sync::OnceLock;

use kqlhunt::kql;
use kqlhunt::rules::{FieldMap, translate};
use libfuzzer_sys::fuzz_target;

const TABLES: [&str; 3] = ["DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileCertificateInfo"];

fn map() -> &'static FieldMap {
    static MAP: OnceLock<FieldMap> = OnceLock::new();
    MAP.get_or_init(|| FieldMap::bundled().expect("the bundled field map parses"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(src) = std::str::from_utf8(rest) else { return };
    let table = TABLES[usize::from(pick) % TABLES.len()];
    if let Ok(kql_text) = translate(src, table, map()) {
        if let Err(e) = kql::parse_expr(&kql_text) {
            panic!("translation of {src:?} does not parse: {e:?}\n{kql_text}");
        }
    }
});
