//! What the generated samples contain, counted from the planted rows' roles:
//! the numbers a correct engine must reproduce.

use serde::Serialize;

use super::Layouts;
use super::clock::{NOW_TEXT, WINDOW_START, iso};
use super::scenarios::{Planted, RULES, Role, layout_of};
use super::write::Format;

/// The whole sample set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// The seed.
    pub seed: u64,
    /// The newest event's time; pin `now()` here.
    pub now: &'static str,
    /// The first instant inside the seed rules' 5-day window (inclusive).
    pub window_start: String,
    /// The files written.
    pub files: Vec<FileManifest>,
    /// Per seed rule, what it must find.
    pub rules: Vec<RuleManifest>,
}

/// One output file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileManifest {
    /// File name inside the output folder.
    pub name: String,
    /// Its table.
    pub table: &'static str,
    /// Its format.
    pub format: Format,
    /// Gzipped.
    pub gzip: bool,
    /// Events in it.
    pub rows: usize,
}

/// The expected results of one seed rule over the samples.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleManifest {
    /// The rule's `id`.
    pub id: &'static str,
    /// Short name.
    pub name: &'static str,
    /// Source table.
    pub table: &'static str,
    /// Rows the rule's `where` clauses keep (true positives + look-alikes), no exclusions.
    pub hits: usize,
    /// Distinct devices among the hits (the rule's output rows, `by DeviceId, DeviceName`).
    pub hit_devices: usize,
    /// Hits no scenario explains.
    pub true_positives: usize,
    /// Rows matching the rule's predicate but older than the window: must not count.
    pub outside_window: usize,
    /// Rows a naive substring match would hit but Kusto's `has` does not.
    pub near_misses: usize,
    /// Per false-positive scenario, in seed order.
    pub exclusions: Vec<ExclusionManifest>,
}

/// One false-positive scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExclusionManifest {
    /// The seed's scenario title.
    pub scenario: &'static str,
    /// The translated KQL filter (`None`: the seed gives only prose).
    pub filter: Option<&'static str>,
    /// Hits planted as this scenario's benign activity.
    pub look_alikes: usize,
    /// Hits the filter hides when it alone is enabled (`None` without a filter).
    pub hidden: Option<usize>,
}

impl Manifest {
    /// Counts the planted rows.
    pub fn new(seed: u64, layouts: &Layouts, planted: &[Planted], files: Vec<FileManifest>) -> Manifest {
        let rules = RULES
            .iter()
            .map(|case| {
                let layout = layout_of(layouts, case.key);
                let mine: Vec<&Planted> = planted.iter().filter(|p| p.rule == case.key).collect();
                let hits: Vec<&Planted> = mine
                    .iter()
                    .copied()
                    .filter(|p| matches!(p.role, Role::TruePositive | Role::LookAlike(_)))
                    .collect();
                let count = |f: &dyn Fn(Role) -> bool| mine.iter().filter(|p| f(p.role)).count();
                let mut devices: Vec<usize> = hits.iter().map(|p| p.event.device).collect();
                devices.sort_unstable();
                devices.dedup();
                let exclusions = case
                    .exclusions
                    .iter()
                    .enumerate()
                    .map(|(i, ex)| ExclusionManifest {
                        scenario: ex.scenario,
                        filter: ex.filter,
                        look_alikes: count(&|r| r == Role::LookAlike(i)),
                        hidden: ex.test.map(|t| hits.iter().filter(|p| t(layout, &p.event.row)).count()),
                    })
                    .collect();
                RuleManifest {
                    id: case.id,
                    name: case.name,
                    table: case.table,
                    hits: hits.len(),
                    hit_devices: devices.len(),
                    true_positives: count(&|r| r == Role::TruePositive),
                    outside_window: count(&|r| r == Role::OutsideWindow),
                    near_misses: count(&|r| r == Role::NearMiss),
                    exclusions,
                }
            })
            .collect();
        Manifest { seed, now: NOW_TEXT, window_start: iso(WINDOW_START), files, rules }
    }

    /// The manifest of a rule, by id.
    pub fn rule(&self, id: &str) -> Option<&RuleManifest> {
        self.rules.iter().find(|r| r.id == id)
    }
}
