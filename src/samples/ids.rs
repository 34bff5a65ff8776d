//! `ReportId`s as Defender numbers them.

use super::catalog::Catalog;
use super::rng;

/// Per-device ReportId counters (the demo profile): MDE numbers a device's
/// reports upwards.
pub(super) struct ReportIds {
    next: Vec<i64>,
    rng: rng::Rng,
}

/// Where a table's ids start, so ids do not collide across tables.
fn table_offset(table: &str) -> i64 {
    (rng::fnv1a(table) % 1_000) as i64 * 1_000
}

/// The first unique ReportId of a table (the enterprise profile).
pub(super) fn unique_report_base(table: &str) -> i64 {
    1_000_000 + table_offset(table) * 1_000
}

/// The enterprise profile's ReportId of a table's `n`-th row: every id of
/// a table unique and increasing (as in the exports the profile imitates),
/// steps of 1 to 37 as a device's counter shows, and computable from `n`
/// alone, so chunks of rows can be made in any order.
pub(super) fn unique_report_id(base: i64, n: u64, rng: &mut rng::Rng) -> i64 {
    base + 19 * n as i64 + rng.below(19) as i64
}

impl ReportIds {
    pub(super) fn new(catalog: &Catalog, table: &str, seed: u64) -> ReportIds {
        let offset = table_offset(table);
        ReportIds {
            next: catalog.devices.iter().map(|d| d.report_base + offset).collect(),
            rng: rng::Rng::derive(seed, &format!("reports:{table}")),
        }
    }

    pub(super) fn next(&mut self, device: usize) -> i64 {
        let step = self.rng.range(1, 37);
        match self.next.get_mut(device) {
            Some(n) => {
                *n += step;
                *n
            }
            None => step,
        }
    }
}
