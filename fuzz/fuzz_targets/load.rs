//! Event loaders: any bytes load into tables plus a report, never a panic.
//! The first byte picks the file name (and so the format hints and table
//! detection) and whether the rest is gzipped first, so the gzip path sees
//! real streams as well as fake ones.
#![no_main]

use std::io::Write;

use kqlhunt::data::load::{LoadOptions, load_bytes};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "DeviceProcessEvents.jsonl",
    "ah-api-response.json",
    "records.json",
    "DeviceFileCertificateInfo.csv",
    "DeviceNetworkEvents.jsonl.gz",
    "events.json",
    "export.csv.gz",
    "unknown",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let opts = LoadOptions { table: (pick & 0x10 != 0).then(|| "DeviceEvents".to_string()), ..LoadOptions::default() };
    if pick & 0x80 != 0 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if gz.write_all(rest).is_err() {
            return;
        }
        let Ok(bytes) = gz.finish() else { return };
        let _ = load_bytes(name, &bytes, &opts);
    } else {
        let _ = load_bytes(name, rest, &opts);
    }
});
