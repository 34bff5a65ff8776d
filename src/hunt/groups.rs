//! Hit rows and their device groups, before and after exclusions.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::data::{Bitmap, Value};
use crate::kql::eval::Frame;

/// The rows that reach a rule's hit point, with what grouping needs.
#[derive(Clone, Debug, Default)]
pub struct Hits {
    /// Row ids in the source table (lineage); empty when the rows have none.
    pub rows: Vec<u32>,
    /// `Timestamp` of each hit, when the rows carry one.
    pub timestamps: Vec<Option<i64>>,
    /// `ReportId` of each hit, when the rows carry one.
    pub report_ids: Vec<Option<i64>>,
    /// Device group of each hit (`u32::MAX` when the rows carry no DeviceId/DeviceName).
    pub group_of: Vec<u32>,
}

impl Hits {
    /// Number of hits.
    pub fn len(&self) -> usize {
        self.group_of.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.group_of.is_empty()
    }
}

/// One device's hits: a row of the results pane.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceGroup {
    /// `DeviceId` (empty when the rows carry none).
    pub device_id: String,
    /// `DeviceName` (empty when the rows carry none).
    pub device_name: String,
    /// Positions (into [`Hits`]) of this device's hits, in hit order.
    pub hits: Vec<u32>,
    /// Hits left after the active exclusions.
    pub hits_after: usize,
    /// Earliest and latest `Timestamp` of all hits.
    pub first_seen: Option<i64>,
    /// Latest `Timestamp` of all hits.
    pub last_seen: Option<i64>,
    /// Earliest `Timestamp` of the hits left after exclusions.
    pub first_seen_after: Option<i64>,
    /// Latest `Timestamp` of the hits left after exclusions.
    pub last_seen_after: Option<i64>,
    /// Distinct ReportIds, in first-seen order.
    pub report_ids: Vec<i64>,
}

impl DeviceGroup {
    /// Number of hits before exclusions.
    pub fn hits_before(&self) -> usize {
        self.hits.len()
    }

    /// A display label: the name, else the id.
    pub fn label(&self) -> &str {
        if self.device_name.is_empty() { &self.device_id } else { &self.device_name }
    }
}

/// Reads hits from the frame at a rule's hit point and groups them by
/// (DeviceId, DeviceName), groups in order of first hit.
pub fn collect(frame: &Frame) -> (Hits, Vec<DeviceGroup>) {
    let n = frame.len();
    let col = |name: &str| frame.index_of(name);
    let (id_c, name_c, ts_c, rep_c) = (col("DeviceId"), col("DeviceName"), col("Timestamp"), col("ReportId"));
    let mut hits = Hits {
        rows: frame.lineage().unwrap_or_default(),
        timestamps: Vec::with_capacity(n),
        report_ids: Vec::with_capacity(n),
        group_of: Vec::with_capacity(n),
    };
    let mut groups: Vec<DeviceGroup> = Vec::new();
    // Keys share the column's strings (no copy per hit); ReportIds seen per group.
    let mut index: FxHashMap<(Arc<str>, Arc<str>), u32> = FxHashMap::default();
    let mut seen_reports: Vec<FxHashSet<i64>> = Vec::new();
    let empty: Arc<str> = Arc::from("");
    let text = |c: Option<usize>, r: usize| match c.map(|c| frame.value(r, c)) {
        Some(Value::String(s)) => s,
        _ => empty.clone(),
    };
    for r in 0..n {
        let ts = match ts_c.map(|c| frame.value(r, c)) {
            Some(Value::DateTime(t)) => Some(t),
            _ => None,
        };
        let rep = match rep_c.map(|c| frame.value(r, c)) {
            Some(Value::Long(v)) => Some(v),
            Some(Value::Int(v)) => Some(i64::from(v)),
            _ => None,
        };
        hits.timestamps.push(ts);
        hits.report_ids.push(rep);
        if id_c.is_none() && name_c.is_none() {
            hits.group_of.push(u32::MAX);
            continue;
        }
        let key = (text(id_c, r), text(name_c, r));
        let g = *index.entry(key).or_insert_with_key(|key| {
            seen_reports.push(FxHashSet::default());
            groups.push(DeviceGroup {
                device_id: key.0.to_string(),
                device_name: key.1.to_string(),
                hits: Vec::new(),
                hits_after: 0,
                first_seen: None,
                last_seen: None,
                first_seen_after: None,
                last_seen_after: None,
                report_ids: Vec::new(),
            });
            (groups.len() - 1) as u32
        });
        let grp = &mut groups[g as usize];
        grp.hits.push(r as u32);
        widen(&mut grp.first_seen, &mut grp.last_seen, ts);
        if let Some(rep) = rep
            && seen_reports[g as usize].insert(rep)
        {
            grp.report_ids.push(rep);
        }
        hits.group_of.push(g);
    }
    (hits, groups)
}

/// Recomputes the after-exclusion counts and times of every group from the
/// hidden mask: one pass over the hits, no re-scan of the table. Works a
/// 64-hit word of the mask at a time, visiting only the hits left visible,
/// and keeps plain tick bounds per group until the end.
pub fn apply_hidden(hits: &Hits, groups: &mut [DeviceGroup], hidden: &Bitmap) {
    // Per group: visible hits, earliest and latest tick (MAX/MIN when none).
    let mut acc: Vec<(usize, i64, i64)> = vec![(0, i64::MAX, i64::MIN); groups.len()];
    let mut visit = |i: usize| {
        let Some(a) = hits.group_of.get(i).and_then(|&g| acc.get_mut(g as usize)) else { return };
        a.0 += 1;
        if let Some(Some(t)) = hits.timestamps.get(i) {
            a.1 = a.1.min(*t);
            a.2 = a.2.max(*t);
        }
    };
    let words = hidden.words();
    for base in (0..hits.len()).step_by(64) {
        let in_word = (hits.len() - base).min(64);
        let all = if in_word == 64 { u64::MAX } else { (1u64 << in_word) - 1 };
        let mut visible = !words.get(base / 64).copied().unwrap_or(0) & all;
        while visible != 0 {
            visit(base + visible.trailing_zeros() as usize);
            visible &= visible - 1;
        }
    }
    for (grp, (n, first, last)) in groups.iter_mut().zip(acc) {
        grp.hits_after = n;
        (grp.first_seen_after, grp.last_seen_after) =
            if first <= last { (Some(first), Some(last)) } else { (None, None) };
    }
}

fn widen(first: &mut Option<i64>, last: &mut Option<i64>, t: Option<i64>) {
    if let Some(t) = t {
        *first = Some(first.map_or(t, |f| f.min(t)));
        *last = Some(last.map_or(t, |l| l.max(t)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-bit definition `apply_hidden` must agree with.
    fn naive(hits: &Hits, groups: &mut [DeviceGroup], hidden: &Bitmap) {
        for g in groups.iter_mut() {
            (g.hits_after, g.first_seen_after, g.last_seen_after) = (0, None, None);
        }
        for (i, &g) in hits.group_of.iter().enumerate() {
            if g != u32::MAX && !hidden.get(i) {
                let grp = &mut groups[g as usize];
                grp.hits_after += 1;
                widen(&mut grp.first_seen_after, &mut grp.last_seen_after, hits.timestamps[i]);
            }
        }
    }

    #[test]
    fn word_level_matches_per_bit() {
        let n = 200;
        let group_of: Vec<u32> = (0..n).map(|i| if i % 17 == 0 { u32::MAX } else { (i % 3) as u32 }).collect();
        let timestamps = (0..n).map(|i| (i % 5 != 0).then_some(1000 - i as i64 * 7)).collect();
        let hits = Hits { rows: Vec::new(), timestamps, report_ids: vec![None; n], group_of };
        let group = |i: usize| DeviceGroup {
            device_id: i.to_string(),
            device_name: String::new(),
            hits: Vec::new(),
            hits_after: 9,
            first_seen: None,
            last_seen: None,
            first_seen_after: Some(1),
            last_seen_after: Some(2),
            report_ids: Vec::new(),
        };
        for every in [1, 2, 3, 64, 199, 1000] {
            let hidden = Bitmap::from_bools((0..n).map(|i| i % every == 0 || (64..128).contains(&i)));
            let mut fast: Vec<DeviceGroup> = (0..4).map(group).collect();
            let mut slow = fast.clone();
            apply_hidden(&hits, &mut fast, &hidden);
            naive(&hits, &mut slow, &hidden);
            assert_eq!(fast, slow, "hidden every {every}");
        }
    }
}
