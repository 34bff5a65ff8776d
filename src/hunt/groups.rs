//! Hit rows and their device groups, before and after exclusions.

use rustc_hash::FxHashMap;

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
    let mut index: FxHashMap<(String, String), u32> = FxHashMap::default();
    let text = |c: Option<usize>, r: usize| match c.map(|c| frame.value(r, c)) {
        Some(Value::String(s)) => s.to_string(),
        _ => String::new(),
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
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(DeviceGroup {
                device_id: key.0,
                device_name: key.1,
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
            && !grp.report_ids.contains(&rep)
        {
            grp.report_ids.push(rep);
        }
        hits.group_of.push(g);
    }
    (hits, groups)
}

/// Recomputes the after-exclusion counts and times of every group from the
/// hidden mask: one pass over the hits, no re-scan of the table.
pub fn apply_hidden(hits: &Hits, groups: &mut [DeviceGroup], hidden: &Bitmap) {
    for g in groups.iter_mut() {
        g.hits_after = 0;
        g.first_seen_after = None;
        g.last_seen_after = None;
    }
    for (i, &g) in hits.group_of.iter().enumerate() {
        if g == u32::MAX || hidden.get(i) {
            continue;
        }
        let grp = &mut groups[g as usize];
        grp.hits_after += 1;
        widen(&mut grp.first_seen_after, &mut grp.last_seen_after, hits.timestamps[i]);
    }
}

fn widen(first: &mut Option<i64>, last: &mut Option<i64>, t: Option<i64>) {
    if let Some(t) = t {
        *first = Some(first.map_or(t, |f| f.min(t)));
        *last = Some(last.map_or(t, |l| l.max(t)));
    }
}
