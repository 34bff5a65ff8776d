//! Hits per hour for a rule (or one of its device groups), before and after
//! the active exclusions: what the TUI's timeline sparklines draw.

use super::rule_run::RuleRun;

/// Ticks in one hour.
pub const TICKS_PER_HOUR: i64 = 3600 * crate::data::TICKS_PER_SECOND;

/// Most buckets a timeline holds; longer spans get buckets of several hours.
pub const MAX_BUCKETS: i64 = 24 * 366;

/// Hit counts per hour (per `hours` hours for spans over a year) from the
/// first to the last hit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Start of the first bucket (ticks); `None` when no hit has a `Timestamp`.
    pub start: Option<i64>,
    /// Hours per bucket (1 unless the span is over a year).
    pub hours: i64,
    /// Hits per hour, all hits.
    pub before: Vec<u64>,
    /// Hits per hour left after the active exclusions.
    pub after: Vec<u64>,
}

impl RuleRun {
    /// Hits per hour of the whole rule (`group == None`) or of one device group.
    pub fn hourly(&self, group: Option<usize>) -> Timeline {
        let positions: Vec<usize> = match group {
            Some(g) => match self.groups.get(g) {
                Some(grp) => grp.hits.iter().map(|&h| h as usize).collect(),
                None => return Timeline::default(),
            },
            None => (0..self.hits.len()).collect(),
        };
        let stamped: Vec<(i64, bool)> = positions
            .iter()
            .filter_map(|&h| Some((self.hits.timestamps.get(h).copied().flatten()?, self.hidden.get(h))))
            .collect();
        let (Some(lo), Some(hi)) = (stamped.iter().map(|s| s.0).min(), stamped.iter().map(|s| s.0).max()) else {
            return Timeline::default();
        };
        let span_hours = hi.div_euclid(TICKS_PER_HOUR) - lo.div_euclid(TICKS_PER_HOUR) + 1;
        let hours = (span_hours + MAX_BUCKETS - 1) / MAX_BUCKETS;
        let width = hours * TICKS_PER_HOUR;
        let start = lo.div_euclid(TICKS_PER_HOUR) * TICKS_PER_HOUR;
        let n = ((hi - start) / width) as usize + 1;
        let mut before = vec![0u64; n];
        let mut after = vec![0u64; n];
        for (t, hidden) in stamped {
            let i = ((t - start) / width) as usize;
            before[i] += 1;
            if !hidden {
                after[i] += 1;
            }
        }
        Timeline { start: Some(start), hours, before, after }
    }
}
