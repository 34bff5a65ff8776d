//! The `scan` operator (scan-operator.md): records are matched against the
//! steps last to first, each step holding the state of at most one active
//! sequence; a match on a step either promotes the previous step's sequence
//! (check 1) or extends the step's own active sequence (check 2).
//!
//! Conditions that read no state are evaluated once over the whole input;
//! the others, and all assignments, per record on a one-row frame that
//! carries the state values they read as hidden columns — and only while
//! the step can match (its previous step or itself has a sequence).

use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Scan, ScanOutput};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::convert::coerce;
use super::super::vals::Vals;
use super::super::{Evaluator, Result};
use super::grouping::group_rows;
use super::scan_plan::{Field, Plan};

/// One record as a step matched it: the record and its extended values.
#[derive(Clone)]
struct Entry {
    row: u32,
    ext: Arc<Vec<Value>>,
}

/// A sequence in progress: its match id and each step's entry.
#[derive(Clone)]
struct Seq {
    id: i64,
    entries: Vec<Option<Entry>>,
}

/// An output row.
struct Out {
    row: u32,
    ext: Arc<Vec<Value>>,
    id: i64,
}

/// The scan of one partition.
struct Run<'p> {
    plan: &'p Plan,
    states: Vec<Option<Seq>>,
    /// The pending output of `output=last` steps.
    pending: Vec<Option<Out>>,
    next_id: i64,
    out: Vec<Out>,
}

impl Run<'_> {
    /// Records a step's match in the output according to its `output` mode.
    fn emit(&mut self, k: usize, row: u32, ext: &Arc<Vec<Value>>, id: i64) {
        let o = Out { row, ext: ext.clone(), id };
        match self.plan.steps[k].output {
            ScanOutput::All => self.out.push(o),
            ScanOutput::Last => self.pending[k] = Some(o),
            ScanOutput::None => {}
        }
    }

    /// A step's series of matches ended: its `output=last` row is output.
    fn flush(&mut self, k: usize) {
        if let Some(o) = self.pending[k].take() {
            self.out.push(o);
        }
    }
}

impl Evaluator {
    /// `scan`: see the module documentation.
    pub(crate) fn scan(&mut self, frame: Frame, s: &Scan, span: Span) -> Result<Frame> {
        let frame = if s.order.is_empty() { frame } else { self.sort(frame, &s.order)? };
        let plan = self.scan_plan(&frame, s)?;
        // The input with the declared columns at their defaults: what bare names read.
        let mut base = frame.clone();
        for x in plan.ext.iter().filter(|x| x.input.is_none()) {
            base.set_column(&x.name, Arc::new(Column::from_values(x.dtype, &vec![x.default.clone(); frame.len()])));
        }
        let mut stateless: Vec<Option<Vals>> = Vec::new();
        for st in &plan.steps {
            stateless.push(match st.refs.is_empty() {
                true => Some(self.condition(&st.condition, &base)?),
                false => None,
            });
        }
        let mut parts: Vec<Vec<u32>> = Vec::new();
        if s.partition.is_empty() {
            parts.push((0..frame.len() as u32).collect());
        } else {
            let mut keys = Vec::new();
            for e in &s.partition {
                keys.push(self.scalar(e, &frame)?);
            }
            let groups = group_rows(&frame, &keys);
            parts = vec![Vec::new(); groups.len()];
            for (r, &g) in groups.of_row.iter().enumerate() {
                parts[g as usize].push(r as u32);
            }
        }
        let mut out = Vec::new();
        for rows in &parts {
            let mut run = Run {
                plan: &plan,
                states: vec![None; plan.steps.len()],
                pending: (0..plan.steps.len()).map(|_| None).collect(),
                next_id: 0,
                out: Vec::new(),
            };
            for (i, &r) in rows.iter().enumerate() {
                if i % 4096 == 0 {
                    self.check_cancel(span)?;
                }
                self.scan_record(&mut run, &base, &stateless, r)?;
            }
            let mut rest: Vec<Out> = run.pending.iter_mut().filter_map(Option::take).collect();
            rest.sort_by_key(|o| o.row);
            run.out.extend(rest);
            self.charge(run.out.len() as u64 * 16, "scan", span)?;
            out.append(&mut run.out);
        }
        Ok(scan_output(&frame, &plan, s, &out))
    }

    /// Runs one record through the steps, last to first.
    fn scan_record(&mut self, run: &mut Run, base: &Frame, stateless: &[Option<Vals>], r: u32) -> Result<()> {
        let mut record: Option<Frame> = None;
        for k in (0..run.plan.steps.len()).rev() {
            let mut matched = false;
            if k > 0
                && let Some(prev) = run.states[k - 1].clone()
                && self.step_matches(run.plan, base, stateless, &mut record, k, r, Some(&prev))?
            {
                // Check 1: the previous step's sequence moves here.
                let ext = self.step_assign(run.plan, base, &mut record, k, r, Some(&prev))?;
                run.flush(k);
                run.flush(k - 1);
                run.states[k - 1] = None;
                let mut seq = prev;
                seq.entries[k] = Some(Entry { row: r, ext: ext.clone() });
                run.emit(k, r, &ext, seq.id);
                run.states[k] = Some(seq);
                matched = true;
            }
            if !matched && (k == 0 || run.states[k].is_some()) {
                // Check 2: the step's own sequence goes on (or the first step starts one).
                let own = run.states[k].clone();
                if self.step_matches(run.plan, base, stateless, &mut record, k, r, own.as_ref())? {
                    let ext = self.step_assign(run.plan, base, &mut record, k, r, own.as_ref())?;
                    let mut seq = own.unwrap_or_else(|| {
                        run.next_id += 1;
                        Seq { id: run.next_id - 1, entries: vec![None; run.plan.steps.len()] }
                    });
                    seq.entries[k] = Some(Entry { row: r, ext: ext.clone() });
                    run.emit(k, r, &ext, seq.id);
                    run.states[k] = Some(seq);
                }
            }
        }
        Ok(())
    }

    /// True when record `r` meets step `k`'s condition with the state `seq`.
    #[allow(clippy::too_many_arguments)]
    fn step_matches(
        &mut self,
        plan: &Plan,
        base: &Frame,
        stateless: &[Option<Vals>],
        record: &mut Option<Frame>,
        k: usize,
        r: u32,
        seq: Option<&Seq>,
    ) -> Result<bool> {
        if let Some(v) = &stateless[k] {
            return Ok(matches!(v.get(base, r as usize), Value::Bool(true)));
        }
        let f = with_state(plan, base, record, k, r, seq);
        let v = self.condition(&plan.steps[k].condition, &f)?;
        Ok(matches!(v.get(&f, 0), Value::Bool(true)))
    }

    /// Step `k`'s extended values for record `r`: defaults, the record's own
    /// values for assigned input columns, then the step's assignments.
    fn step_assign(
        &mut self,
        plan: &Plan,
        base: &Frame,
        record: &mut Option<Frame>,
        k: usize,
        r: u32,
        seq: Option<&Seq>,
    ) -> Result<Arc<Vec<Value>>> {
        let mut ext: Vec<Value> = plan
            .ext
            .iter()
            .map(|x| match x.input {
                Some(i) => base.value(r as usize, i),
                None => x.default.clone(),
            })
            .collect();
        if !plan.steps[k].assign.is_empty() {
            let f = with_state(plan, base, record, k, r, seq);
            for (x, e) in &plan.steps[k].assign {
                let v = self.scalar(e, &f)?.get(&f, 0);
                ext[*x] = coerce(&v, plan.ext[*x].dtype);
            }
        }
        Ok(Arc::new(ext))
    }

    /// A step condition over `frame`, which must be boolean.
    fn condition(&mut self, e: &crate::kql::ast::Expr, frame: &Frame) -> Result<Vals> {
        let v = self.scalar(e, frame)?;
        match v.dtype() {
            DataType::Bool | DataType::Dynamic => Ok(v),
            t => Err(KqlError::type_mismatch(e.span, format!("a scan step's condition must be bool, not {t}"))),
        }
    }
}

/// Record `r` as a one-row frame, with the state values step `k` reads.
fn with_state(plan: &Plan, base: &Frame, record: &mut Option<Frame>, k: usize, r: u32, seq: Option<&Seq>) -> Frame {
    let mut f = record.get_or_insert_with(|| base.take_rows(&[r])).clone();
    for sr in &plan.steps[k].refs {
        let entry = seq.and_then(|s| s.entries[sr.step].as_ref());
        let v = match (entry, sr.field) {
            (Some(e), Field::Input(i)) => base.value(e.row as usize, i),
            (Some(e), Field::Ext(x)) => e.ext[x].clone(),
            (None, Field::Input(_)) => Value::Null,
            (None, Field::Ext(x)) => plan.ext[x].default.clone(),
        };
        f.set_column(&sr.hidden, Arc::new(Column::from_values(sr.dtype, &[v])));
    }
    f
}

/// The output: the matched records, their extended columns, the match id.
fn scan_output(frame: &Frame, plan: &Plan, s: &Scan, out: &[Out]) -> Frame {
    let rows: Vec<u32> = out.iter().map(|o| o.row).collect();
    let mut result = frame.take_rows(&rows);
    for (x, col) in plan.ext.iter().enumerate() {
        let mut b = ColumnBuilder::new(col.dtype);
        for o in out {
            b.push(&o.ext[x]);
        }
        result.set_column(&col.name, Arc::new(b.finish()));
    }
    if let Some(id) = &s.match_id {
        let mut b = ColumnBuilder::new(DataType::Long);
        for o in out {
            b.push(&Value::Long(o.id));
        }
        result.set_column(&id.name, Arc::new(b.finish()));
    }
    result
}
