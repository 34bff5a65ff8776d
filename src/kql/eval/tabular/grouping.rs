//! Grouping rows by key values: `summarize ... by`, `distinct`, joins.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::data::{Column, Value};

use super::super::frame::Frame;
use super::super::vals::Vals;

/// A hashable form of a value, with Kusto's grouping equality: nulls group
/// together; numbers of different types with equal values are distinct keys
/// only when their types differ in the column (a column has one type).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A null.
    Null,
    /// A bool.
    Bool(bool),
    /// An int, long, datetime or timespan (the column type tells which).
    Int(i64),
    /// A real, by its bits (with -0.0 folded into 0.0 and one NaN).
    Real(u64),
    /// A string.
    Str(Arc<str>),
    /// A dynamic value, by its JSON text.
    Json(String),
    /// A decimal (normalized, so equal values are equal keys).
    Decimal(crate::data::Decimal),
}

impl Key {
    /// The key of a value.
    pub fn of(v: &Value) -> Key {
        match v {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(*b),
            Value::Int(i) => Key::Int(i64::from(*i)),
            Value::Long(i) | Value::DateTime(i) | Value::Timespan(i) => Key::Int(*i),
            Value::Real(f) => Key::Real(if *f == 0.0 {
                0
            } else if f.is_nan() {
                u64::MAX
            } else {
                f.to_bits()
            }),
            Value::String(s) => Key::Str(s.clone()),
            Value::Dynamic(j) => Key::Json(j.to_string()),
            Value::Decimal(d) => Key::Decimal(*d),
        }
    }
}

/// Rows assigned to groups, groups numbered in order of first appearance.
#[derive(Debug, Default)]
pub struct Groups {
    /// Group of each frame row.
    pub of_row: Vec<u32>,
    /// First frame row of each group.
    pub first_row: Vec<u32>,
}

impl Groups {
    /// Number of groups.
    pub fn len(&self) -> usize {
        self.first_row.len()
    }
}

/// Per-row codes for one key column: dictionary codes for strings (the
/// dictionary is deduplicated), interned keys for everything else.
fn key_codes(frame: &Frame, v: &Vals) -> Vec<u32> {
    let n = frame.len();
    match v {
        Vals::Const(..) => vec![0; n],
        Vals::Col { col, via_sel } => {
            let phys = |r: usize| match (frame.sel(), via_sel) {
                (Some(s), true) => s[r] as usize,
                _ => r,
            };
            match &**col {
                Column::String(sc) | Column::Guid(sc) => match sc.dictionary() {
                    Some((codes, _)) => (0..n).map(|r| codes[phys(r)]).collect(),
                    None => {
                        // Plain text: equal strings get equal codes here.
                        let mut map: FxHashMap<&str, u32> = FxHashMap::default();
                        (0..n)
                            .map(|r| {
                                let next = map.len() as u32;
                                *map.entry(sc.get(phys(r))).or_insert(next)
                            })
                            .collect()
                    }
                },
                other => {
                    let mut map: FxHashMap<Key, u32> = FxHashMap::default();
                    (0..n)
                        .map(|r| {
                            let k = Key::of(&other.get(phys(r)));
                            let next = map.len() as u32;
                            *map.entry(k).or_insert(next)
                        })
                        .collect()
                }
            }
        }
    }
}

/// Groups the frame's rows by the key columns (no keys: one group, even
/// when the frame is empty — callers decide what an empty input means).
pub fn group_rows(frame: &Frame, keys: &[Vals]) -> Groups {
    let n = frame.len();
    if keys.is_empty() {
        return Groups { of_row: vec![0; n], first_row: if n == 0 { Vec::new() } else { vec![0] } };
    }
    let codes: Vec<Vec<u32>> = keys.iter().map(|k| key_codes(frame, k)).collect();
    let mut groups = Groups { of_row: Vec::with_capacity(n), first_row: Vec::new() };
    if let [single] = codes.as_slice() {
        // One key: a direct code → group table.
        let max = single.iter().copied().max().map(|m| m as usize + 1).unwrap_or(0);
        let mut table = vec![u32::MAX; max];
        for (r, &c) in single.iter().enumerate() {
            let slot = &mut table[c as usize];
            if *slot == u32::MAX {
                *slot = groups.first_row.len() as u32;
                groups.first_row.push(r as u32);
            }
            groups.of_row.push(*slot);
        }
        return groups;
    }
    let mut map: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
    let mut buf = Vec::with_capacity(codes.len());
    for r in 0..n {
        buf.clear();
        buf.extend(codes.iter().map(|c| c[r]));
        let g = match map.get(buf.as_slice()) {
            Some(&g) => g,
            None => {
                let g = groups.first_row.len() as u32;
                groups.first_row.push(r as u32);
                map.insert(buf.clone(), g);
                g
            }
        };
        groups.of_row.push(g);
    }
    groups
}
