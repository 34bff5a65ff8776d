//! Stacking (least-frequency analysis): every distinct value of one column
//! with how often it occurs, on how many devices, how many of those rows the
//! active exclusions hide, and when it was first and last seen. The rare
//! values are where a hunter looks first. One function serves the TUI's
//! frequency view and `kqlhunt stack`, so both show the same numbers.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::data::{Bitmap, Value};
use crate::kql::eval::Frame;
use crate::kql::eval::functions::convert::display_text;

use super::Hunt;
use super::error::HuntError;

/// Columns whose value names the device a row came from (a device is the pair).
const DEVICE_COLS: [&str; 2] = ["DeviceId", "DeviceName"];
/// Columns whose value is the row's time, in order of preference.
const TIME_COLS: [&str; 2] = ["Timestamp", "TimeGenerated"];

/// One distinct value of the stacked column.
#[derive(Clone, Debug)]
pub struct StackRow {
    /// The value (`Null` and `""` are distinct rows).
    pub value: Value,
    /// Rows with this value.
    pub hits: usize,
    /// Distinct devices (DeviceId, DeviceName) among those rows; `None` when
    /// the rows carry neither column.
    pub devices: Option<usize>,
    /// Rows with this value the active exclusions hide (0 for a query result).
    pub hidden: usize,
    /// Earliest time of those rows (`Timestamp`, else `TimeGenerated`), in ticks.
    pub first_seen: Option<i64>,
    /// Latest time of those rows.
    pub last_seen: Option<i64>,
}

/// Which end of the frequency list comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StackOrder {
    /// Fewest hits first (ties by value): least-frequency analysis.
    #[default]
    RareFirst,
    /// Most hits first (ties by value).
    CommonFirst,
}

/// The column named `column` of `frame`, or the error listing the ones it has.
pub fn column_of(frame: &Frame, column: &str) -> Result<usize, HuntError> {
    frame.index_of(column).ok_or_else(|| HuntError::UnknownColumn {
        column: column.to_string(),
        available: frame.names().map(str::to_string).collect(),
    })
}

/// A value's identity for grouping: null apart from every text, then the
/// text as the faces print it (so `1` in a long column is one row).
fn key(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| display_text(v).into_owned())
}

/// Stacks column `col` of `frame`. `hidden`, when given, marks the frame
/// rows the active exclusions hide (one bit per row). Rows come rare-first.
pub fn stack(frame: &Frame, col: usize, hidden: Option<&Bitmap>) -> Vec<StackRow> {
    let never = AtomicBool::new(false);
    let Ok(mut stacked) = stack_cancellable(frame, col, &never) else { return Vec::new() };
    stacked.count_hidden(hidden);
    stacked.rows
}

/// A column stacked once: its rows, and which of them each frame row went
/// to, so the hidden counts follow the exclusions without stacking again.
#[derive(Clone, Debug, Default)]
pub struct Stacked {
    /// Every distinct value, rare-first (hidden counts as last counted).
    pub rows: Vec<StackRow>,
    /// Per frame row, the index of its value in `rows`.
    row_of: Vec<u32>,
}

impl Stacked {
    /// Sets each value's hidden count from `hidden` (one bit per frame row;
    /// `None`: nothing hidden). One pass over the rows, no hashing.
    pub fn count_hidden(&mut self, hidden: Option<&Bitmap>) {
        self.rows.iter_mut().for_each(|r| r.hidden = 0);
        let Some(h) = hidden else { return };
        for r in h.iter_ones() {
            if let Some(row) = self.row_of.get(r).and_then(|&i| self.rows.get_mut(i as usize)) {
                row.hidden += 1;
            }
        }
    }
}

/// Rows between two looks at the cancel flag.
const CANCEL_EVERY: usize = 16 * 1024;

/// Stacks column `col` of `frame` with no hidden count (see
/// [`Stacked::count_hidden`]); [`HuntError::Cancelled`] soon after `cancel` is set.
pub fn stack_cancellable(frame: &Frame, col: usize, cancel: &AtomicBool) -> Result<Stacked, HuntError> {
    let find = |names: &[&str]| names.iter().find_map(|n| frame.index_of(n));
    let (id_c, name_c) = (frame.index_of(DEVICE_COLS[0]), frame.index_of(DEVICE_COLS[1]));
    let with_devices = id_c.is_some() || name_c.is_some();
    let time_c = find(&TIME_COLS);
    let mut index: FxHashMap<Option<String>, usize> = FxHashMap::default();
    let mut rows: Vec<StackRow> = Vec::new();
    let mut devices: Vec<FxHashSet<(String, String)>> = Vec::new();
    let text =
        |c: Option<usize>, r: usize| c.map(|c| display_text(&frame.value(r, c)).into_owned()).unwrap_or_default();
    let mut row_of: Vec<u32> = Vec::with_capacity(frame.len());
    for r in 0..frame.len() {
        if r % CANCEL_EVERY == 0 && cancel.load(AtomicOrdering::Relaxed) {
            return Err(HuntError::Cancelled);
        }
        let v = frame.value(r, col);
        let i = *index.entry(key(&v)).or_insert_with(|| {
            rows.push(StackRow { value: v, hits: 0, devices: None, hidden: 0, first_seen: None, last_seen: None });
            devices.push(FxHashSet::default());
            rows.len() - 1
        });
        row_of.push(i as u32);
        let row = &mut rows[i];
        row.hits += 1;
        if let Some(Value::DateTime(t)) = time_c.map(|c| frame.value(r, c)) {
            row.first_seen = Some(row.first_seen.map_or(t, |f| f.min(t)));
            row.last_seen = Some(row.last_seen.map_or(t, |l| l.max(t)));
        }
        if with_devices {
            let device = (text(id_c, r), text(name_c, r));
            // A row that names no device is on no device.
            if !(device.0.is_empty() && device.1.is_empty()) {
                devices[i].insert(device);
            }
        }
    }
    for (row, set) in rows.iter_mut().zip(&devices) {
        row.devices = with_devices.then_some(set.len());
    }
    // Sort positions, then renumber each frame row's value to its sorted place.
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    order.sort_by(|&a, &b| rare_first(&rows[a as usize], &rows[b as usize]));
    let mut place = vec![0u32; rows.len()];
    order.iter().enumerate().for_each(|(to, &from)| place[from as usize] = to as u32);
    row_of.iter_mut().for_each(|i| *i = place[*i as usize]);
    let mut slots: Vec<Option<StackRow>> = rows.into_iter().map(Some).collect();
    let rows = order.iter().filter_map(|&i| slots[i as usize].take()).collect();
    Ok(Stacked { rows, row_of })
}

fn rare_first(a: &StackRow, b: &StackRow) -> Ordering {
    a.hits.cmp(&b.hits).then_with(|| value_order(&a.value, &b.value))
}

/// Stacks the column named `column` of `frame` (see [`stack`]).
pub fn stack_by(frame: &Frame, column: &str, hidden: Option<&Bitmap>) -> Result<Vec<StackRow>, HuntError> {
    Ok(stack(frame, column_of(frame, column)?, hidden))
}

/// A value as the faces list it: null and the empty string spelled out, so
/// neither reads as a blank cell.
pub fn value_label(v: &Value) -> String {
    match key(v) {
        None => "(null)".to_string(),
        Some(t) if t.is_empty() => "(empty)".to_string(),
        Some(t) => t,
    }
}

/// Two values in the list's tie order: null first, then empty, then by text.
pub fn value_order(a: &Value, b: &Value) -> Ordering {
    key(a).cmp(&key(b))
}

/// Orders stack rows by hits (rare- or common-first), ties by value.
pub fn sort(rows: &mut [StackRow], order: StackOrder) {
    rows.sort_by(|a, b| {
        let by_hits = match order {
            StackOrder::RareFirst => a.hits.cmp(&b.hits),
            StackOrder::CommonFirst => b.hits.cmp(&a.hits),
        };
        by_hits.then_with(|| value_order(&a.value, &b.value))
    });
}

/// The frame rows whose column `col` holds `value` (as [`stack`] groups them).
pub fn rows_with(frame: &Frame, col: usize, value: &Value) -> Vec<u32> {
    let want = key(value);
    (0..frame.len()).filter(|&r| key(&frame.value(r, col)) == want).map(|r| r as u32).collect()
}

impl Hunt {
    /// Stacks column `column` over every hit of rule `r` (hidden ones
    /// included, so `hidden` counts what the active exclusions hide).
    pub fn stack_rule(&self, r: usize, column: &str) -> Result<Vec<StackRow>, HuntError> {
        let (_, run) = self.get(r).ok_or(HuntError::RuleFailed)?;
        let frame = run.hit_frame().ok_or(HuntError::RuleFailed)?;
        stack_by(frame, column, Some(&run.hidden))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::data::{Column, DataType};

    /// A frame of (FileName, DeviceName, Timestamp) rows; `None` names no value.
    fn frame(rows: &[(Option<&str>, &str, Option<i64>)]) -> Frame {
        let dyn_str = |s: &str| Value::Dynamic(Arc::new(serde_json::Value::String(s.to_string())));
        let names: Vec<Value> = rows.iter().map(|r| r.0.map_or(Value::Null, dyn_str)).collect();
        let devices: Vec<Value> = rows.iter().map(|r| Value::str(r.1)).collect();
        let times: Vec<Value> = rows.iter().map(|r| r.2.map_or(Value::Null, Value::DateTime)).collect();
        Frame::from_columns(vec![
            ("FileName".into(), Arc::new(Column::from_values(DataType::Dynamic, &names))),
            ("DeviceName".into(), Arc::new(Column::from_values(DataType::String, &devices))),
            ("Timestamp".into(), Arc::new(Column::from_values(DataType::DateTime, &times))),
        ])
    }

    #[test]
    fn counts_devices_hidden_and_times_per_value() {
        let f = frame(&[
            (Some("a.exe"), "d1", Some(30)),
            (Some("b.exe"), "d1", Some(10)),
            (Some("a.exe"), "d2", Some(20)),
            (None, "d1", None),
            (Some(""), "", Some(5)),
            (Some("a.exe"), "d2", Some(40)),
        ]);
        let hidden = Bitmap::from_bools([true, false, false, false, false, true]);
        let rows = stack_by(&f, "FileName", Some(&hidden)).unwrap();
        type Facts = (Option<String>, usize, Option<usize>, usize, Option<i64>, Option<i64>);
        let got: Vec<Facts> =
            rows.iter().map(|r| (key(&r.value), r.hits, r.devices, r.hidden, r.first_seen, r.last_seen)).collect();
        assert_eq!(
            got,
            vec![
                // Rare first; ties: null, then empty, then by text.
                (None, 1, Some(1), 0, None, None),
                (Some(String::new()), 1, Some(0), 0, Some(5), Some(5)),
                (Some("b.exe".into()), 1, Some(1), 0, Some(10), Some(10)),
                (Some("a.exe".into()), 3, Some(2), 2, Some(20), Some(40)),
            ]
        );
        let mut common = rows.clone();
        sort(&mut common, StackOrder::CommonFirst);
        assert_eq!(key(&common[0].value).as_deref(), Some("a.exe"));
        assert_eq!(rows_with(&f, 0, &Value::Null), vec![3]);
        assert_eq!(rows_with(&f, 0, &rows[3].value), vec![0, 2, 5]);
    }

    #[test]
    fn a_frame_without_device_or_time_columns_says_so() {
        let vals = [Value::Long(1), Value::Long(2), Value::Long(1)];
        let f = Frame::from_columns(vec![("x".into(), Arc::new(Column::from_values(DataType::Long, &vals)))]);
        let rows = stack_by(&f, "x", None).unwrap();
        assert_eq!(
            rows.iter().map(|r| (r.hits, r.devices, r.first_seen)).collect::<Vec<_>>(),
            [(1, None, None), (2, None, None)]
        );
        let Err(HuntError::UnknownColumn { column, available }) = stack_by(&f, "y", None) else { panic!() };
        assert_eq!((column.as_str(), available), ("y", vec!["x".to_string()]));
        assert!(stack_by(&Frame::default(), "x", None).is_err());
    }

    #[test]
    fn a_set_cancel_flag_stops_stacking_and_recounts_need_no_restack() {
        let f = frame(&[(Some("a"), "d1", Some(1)), (Some("b"), "d1", Some(2)), (Some("a"), "d2", Some(3))]);
        let stop = AtomicBool::new(true);
        assert!(matches!(stack_cancellable(&f, 0, &stop), Err(HuntError::Cancelled)));
        let mut s = stack_cancellable(&f, 0, &AtomicBool::new(false)).unwrap();
        for mask in [[true, false, true], [false, true, false], [false, false, false]] {
            let hidden = Bitmap::from_bools(mask);
            s.count_hidden(Some(&hidden));
            let whole = stack(&f, 0, Some(&hidden));
            let counts = |rows: &[StackRow]| rows.iter().map(|r| (key(&r.value), r.hidden)).collect::<Vec<_>>();
            assert_eq!(counts(&s.rows), counts(&whole), "{mask:?}");
        }
    }

    proptest! {
        #[test]
        fn stacking_keeps_every_row(
            rows in prop::collection::vec((prop::option::of(0u8..5), 0u8..4, prop::option::of(0i64..100), any::<bool>()), 0..60),
        ) {
            let names: Vec<String> = rows.iter().map(|r| r.0.map_or(String::new(), |v| format!("v{v}"))).collect();
            let devs: Vec<String> = rows.iter().map(|r| format!("d{}", r.1)).collect();
            let spec: Vec<(Option<&str>, &str, Option<i64>)> = rows
                .iter()
                .zip(names.iter().zip(&devs))
                .map(|(r, (n, d))| (r.0.map(|_| n.as_str()), d.as_str(), r.2))
                .collect();
            let f = frame(&spec);
            let hidden = Bitmap::from_bools(rows.iter().map(|r| r.3));
            let out = stack(&f, 0, Some(&hidden));
            prop_assert_eq!(out.iter().map(|r| r.hits).sum::<usize>(), rows.len());
            prop_assert_eq!(out.iter().map(|r| r.hidden).sum::<usize>(), hidden.count_ones());
            for r in &out {
                prop_assert!(r.hits >= 1 && r.hidden <= r.hits);
                prop_assert!(r.devices.is_some_and(|d| d >= 1 && d <= r.hits));
                prop_assert!(r.first_seen <= r.last_seen);
                prop_assert_eq!(rows_with(&f, 0, &r.value).len(), r.hits);
            }
            prop_assert!(out.windows(2).all(|w| (w[0].hits, key(&w[0].value)) < (w[1].hits, key(&w[1].value))));
        }
    }
}
