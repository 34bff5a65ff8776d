//! `join` (every kind) and `lookup`, as hash joins on the key columns.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::data::{Column, ColumnBuilder, Value};
use crate::kql::ast::{JoinKind, JoinOn};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::grouping::Key;
use super::project::unknown_column;

/// Key columns (indices) on each side.
struct KeyCols {
    left: Vec<usize>,
    right: Vec<usize>,
}

/// The row pairs a join or lookup produces before its columns are gathered.
struct Matches {
    lrows: Vec<Option<u32>>,
    rrows: Vec<Option<u32>>,
    /// Right rows that matched some left row (for the right-side kinds).
    right_matched: Vec<bool>,
}

impl Evaluator {
    /// `left | join kind=K (right) on ...`.
    pub(crate) fn join(
        &mut self,
        left: Frame,
        right: Frame,
        kind: JoinKind,
        on: &[JoinOn],
        span: Span,
    ) -> Result<Frame> {
        let keys = key_cols(&left, &right, on)?;
        let mut m = self.match_rows(&left, &right, &keys, kind, "join", span)?;
        match kind {
            JoinKind::LeftSemi | JoinKind::LeftAnti => return Ok(gather_side(&left, &m.lrows)),
            JoinKind::RightSemi | JoinKind::RightAnti => {
                let want = kind == JoinKind::RightSemi;
                let rows: Vec<Option<u32>> =
                    (0..right.len()).filter(|&r| m.right_matched[r] == want).map(|r| Some(r as u32)).collect();
                return Ok(gather_side(&right, &rows));
            }
            JoinKind::RightOuter | JoinKind::FullOuter => {
                for (r, matched) in m.right_matched.iter().enumerate() {
                    if !matched {
                        m.lrows.push(None);
                        m.rrows.push(Some(r as u32));
                    }
                }
            }
            _ => {}
        }
        self.gather_pairs(&left, &right, &m, &[], "join", span)
    }

    /// `left | lookup kind=leftouter|inner (right) on ...`: like a join, but
    /// the right side's key columns are not repeated.
    pub(crate) fn lookup(
        &mut self,
        left: Frame,
        right: Frame,
        inner: bool,
        on: &[JoinOn],
        span: Span,
    ) -> Result<Frame> {
        let keys = key_cols(&left, &right, on)?;
        let kind = if inner { JoinKind::Inner } else { JoinKind::LeftOuter };
        let m = self.match_rows(&left, &right, &keys, kind, "lookup", span)?;
        self.gather_pairs(&left, &right, &m, &keys.right, "lookup", span)
    }

    /// Pairs each left row with the right rows of its key, as join `kind`
    /// does (`what` names the operator in errors).
    fn match_rows(
        &mut self,
        left: &Frame,
        right: &Frame,
        keys: &KeyCols,
        kind: JoinKind,
        what: &str,
        span: Span,
    ) -> Result<Matches> {
        let (lkeys, rkeys) = (row_keys(left, &keys.left), row_keys(right, &keys.right));
        let index = build_index(&rkeys);
        let mut lrows: Vec<Option<u32>> = Vec::new();
        let mut rrows: Vec<Option<u32>> = Vec::new();
        let mut right_matched = vec![false; right.len()];
        let mut seen_left: FxHashMap<&[Key], ()> = FxHashMap::default();
        let limit = self.session.limits.max_rows;
        let out_row = super::budget::row_bytes(left.cols().len() + right.cols().len());
        // Cancellation is checked every 64 Ki left rows and every 64 Ki rows
        // produced, so a key matching many rows cannot delay it.
        let mut next_check = 0;
        for (l, k) in lkeys.iter().enumerate() {
            if l % 65_536 == 0 || lrows.len() >= next_check {
                self.check_cancel(span)?;
                self.check_memory(lrows.len() as u64 * out_row, what, span)?;
                next_check = lrows.len() + 65_536;
            }
            if kind == JoinKind::InnerUnique {
                // innerunique keeps one left row per key (the first).
                match k {
                    Some(k) if seen_left.insert(k.as_slice(), ()).is_none() => {}
                    _ => continue,
                }
            }
            let matches = k.as_ref().and_then(|k| index.get(k.as_slice()));
            match kind {
                JoinKind::LeftSemi | JoinKind::LeftAnti => {
                    if matches.is_some() == (kind == JoinKind::LeftSemi) {
                        lrows.push(Some(l as u32));
                    }
                }
                _ => {
                    if let Some(ms) = matches {
                        for &r in ms {
                            right_matched[r as usize] = true;
                            if matches!(kind, JoinKind::RightSemi | JoinKind::RightAnti) {
                                continue;
                            }
                            lrows.push(Some(l as u32));
                            rrows.push(Some(r));
                        }
                    } else if matches!(kind, JoinKind::LeftOuter | JoinKind::FullOuter) {
                        lrows.push(Some(l as u32));
                        rrows.push(None);
                    }
                }
            }
            if lrows.len() > limit {
                let message = format!("{what} produces over {limit} rows; narrow it first");
                return Err(KqlError::too_many_rows(span, message));
            }
        }
        Ok(Matches { lrows, rrows, right_matched })
    }

    /// The output of matched row pairs, its memory charged to `what`.
    fn gather_pairs(
        &mut self,
        left: &Frame,
        right: &Frame,
        m: &Matches,
        skip_right: &[usize],
        what: &str,
        span: Span,
    ) -> Result<Frame> {
        let out_row = super::budget::row_bytes(left.cols().len() + right.cols().len());
        self.check_memory(m.lrows.len() as u64 * out_row, what, span)?;
        let out = combine(left, &m.lrows, right, &m.rrows, skip_right, &|| self.check_cancel(span))?;
        self.charge_frame(&out, what, span)?;
        Ok(out)
    }
}

fn key_cols(left: &Frame, right: &Frame, on: &[JoinOn]) -> Result<KeyCols> {
    let mut k = KeyCols { left: Vec::new(), right: Vec::new() };
    for o in on {
        let (l, r) = match o {
            JoinOn::Column(id) => (id, id),
            JoinOn::Equal { left, right } => (left, right),
        };
        k.left.push(left.index_of(&l.name).ok_or_else(|| unknown_column(left, &l.name, l.span))?);
        k.right.push(right.index_of(&r.name).ok_or_else(|| unknown_column(right, &r.name, r.span))?);
    }
    Ok(k)
}

/// Right-side rows by key tuple.
fn build_index(rkeys: &[Option<Vec<Key>>]) -> FxHashMap<&[Key], Vec<u32>> {
    let mut index: FxHashMap<&[Key], Vec<u32>> = FxHashMap::default();
    for (r, k) in rkeys.iter().enumerate() {
        if let Some(k) = k {
            index.entry(k.as_slice()).or_default().push(r as u32);
        }
    }
    index
}

/// The key tuple of every row; `None` when a key is null (nulls never match).
fn row_keys(frame: &Frame, cols: &[usize]) -> Vec<Option<Vec<Key>>> {
    (0..frame.len())
        .map(|r| {
            let mut ks = Vec::with_capacity(cols.len());
            for &c in cols {
                let v = frame.value(r, c);
                if v.is_null() {
                    return None;
                }
                ks.push(Key::of(&v));
            }
            Some(ks)
        })
        .collect()
}

/// Dense copy of a column at optional rows (`None` → null).
fn gather_opt(col: &Column, rows: &[Option<u32>]) -> Column {
    if rows.iter().all(Option::is_some) {
        let rows: Vec<u32> = rows.iter().flatten().copied().collect();
        return col.gather(&rows);
    }
    let mut b = ColumnBuilder::new(col.data_type());
    for r in rows {
        b.push(&r.map(|r| col.get(r as usize)).unwrap_or(Value::Null));
    }
    b.finish()
}

fn gather_side(frame: &Frame, rows: &[Option<u32>]) -> Frame {
    let cols = (0..frame.cols().len())
        .map(|i| (frame.cols()[i].name.clone(), Arc::new(gather_opt(&frame.dense(i), rows))))
        .collect();
    Frame::from_columns(cols)
}

/// Left columns, then right columns (minus `skip_right`), right names that
/// collide getting a numeric suffix (`DeviceId1`) as in Kusto.
/// Checks `cancelled` between columns, so a huge result can still be stopped.
pub(super) fn combine(
    left: &Frame,
    lrows: &[Option<u32>],
    right: &Frame,
    rrows: &[Option<u32>],
    skip_right: &[usize],
    cancelled: &dyn Fn() -> Result<()>,
) -> Result<Frame> {
    // Every column is copied: decode each side's lazy columns together, one
    // read of its file, not one read per column.
    let (left, right) = (&left.clone().resolve_lazy(), &right.clone().resolve_lazy());
    let mut cols: Vec<(String, Arc<Column>)> = Vec::new();
    for i in 0..left.cols().len() {
        cancelled()?;
        cols.push((left.cols()[i].name.clone(), Arc::new(gather_opt(&left.dense(i), lrows))));
    }
    for i in 0..right.cols().len() {
        cancelled()?;
        if skip_right.contains(&i) {
            continue;
        }
        let base = &right.cols()[i].name;
        let mut name = base.clone();
        let mut n = 1;
        while cols.iter().any(|(c, _)| *c == name) {
            name = format!("{base}{n}");
            n += 1;
        }
        cols.push((name, Arc::new(gather_opt(&right.dense(i), rrows))));
    }
    Ok(Frame::from_columns(cols))
}
