//! `ReportId`s as Defender numbers them.

use super::catalog::Catalog;
use super::estate::Profile;
use super::rng;

/// Per-device ReportId counters: MDE numbers a device's reports upwards.
/// The enterprise profile uses one counter for all devices, so every
/// ReportId of a table is unique (as in the exports the profile imitates).
pub(super) struct ReportIds {
    next: Vec<i64>,
    rng: rng::Rng,
    shared: Option<i64>,
}

impl ReportIds {
    pub(super) fn new(catalog: &Catalog, table: &str, seed: u64, profile: Profile) -> ReportIds {
        // Tables start at different offsets so ids do not collide across tables.
        let offset = (rng::fnv1a(table) % 1_000) as i64 * 1_000;
        ReportIds {
            next: catalog.devices.iter().map(|d| d.report_base + offset).collect(),
            rng: rng::Rng::derive(seed, &format!("reports:{table}")),
            shared: (profile == Profile::Enterprise).then_some(1_000_000 + offset * 1_000),
        }
    }

    pub(super) fn next(&mut self, device: usize) -> i64 {
        let step = self.rng.range(1, 37);
        if let Some(n) = &mut self.shared {
            *n += step;
            return *n;
        }
        match self.next.get_mut(device) {
            Some(n) => {
                *n += step;
                *n
            }
            None => step,
        }
    }
}
