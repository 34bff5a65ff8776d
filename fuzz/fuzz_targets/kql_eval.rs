//! KQL evaluator: any query text over a small fixed table runs to a frame
//! or an error, never a panic; small `Limits` keep it from running away.
#![no_main]

use std::sync::{Arc, OnceLock};

use kqlhunt::data::load::{LoadOptions, load_bytes};
use kqlhunt::data::table::Database;
use kqlhunt::kql;
use kqlhunt::kql::eval::{Evaluator, Limits, Session};
use libfuzzer_sys::fuzz_target;

/// Three processes on two devices, with a dynamic column and a null (the
/// table `tests/query/hostile.rs` replays crash inputs against).
const EVENTS: &str = include_str!("../../tests/fixtures/hostile/DeviceProcessEvents.jsonl");

fn db() -> &'static Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| Arc::new(load_bytes("DeviceProcessEvents.jsonl", EVENTS.as_bytes(), &LoadOptions::default()).database))
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(q) = kql::parse(src) else { return };
    let mut session = Session::new(db().clone(), 639_000_000_000_000_000);
    session.limits = Limits { max_rows: 4_096, max_call_depth: 8 };
    let _ = Evaluator::new(session).run(&q);
});
