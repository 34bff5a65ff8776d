//! Staged evaluation: run a query's main pipeline up to an operator, keep the
//! frame there, then resume the rest over that frame (or a subset of its
//! rows), or evaluate a filter over it. The syntax tree stays inside `kql`:
//! callers work with operator indices (see `rules::effective::hit_point`).

use crate::data::Bitmap;
use crate::kql::ast::{Ident, Query, Source, TabularExpr};
use crate::kql::span::Span;

use super::{Evaluator, Frame, Result, Session};

/// A query whose `let` statements have run, ready to evaluate its main
/// pipeline in stages. Keeps its evaluator, so later stages and filters see
/// the query's `let` names.
#[derive(Debug)]
pub struct Staged {
    ev: Evaluator,
    main: TabularExpr,
}

impl Staged {
    /// A copy with the same `let` names in scope, for another thread: its
    /// evaluation stops at the next operator once `cancel` is set.
    pub fn fork(&self, cancel: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Staged {
        let mut session = self.ev.session.clone();
        session.cancel = cancel;
        let mut ev = Evaluator::new(session);
        ev.scopes = self.ev.scopes.clone();
        Staged { ev, main: self.main.clone() }
    }

    /// Parses `query` and runs its `let` statements.
    pub fn prepare(session: &Session, query: &str) -> Result<Staged> {
        Staged::of_query(session, &crate::kql::parse(query)?)
    }

    /// Runs the `let` statements of an already parsed query.
    pub fn of_query(session: &Session, q: &Query) -> Result<Staged> {
        let mut ev = Evaluator::new(session.clone());
        let main = ev.prepare(q)?;
        Ok(Staged { ev, main })
    }

    /// The bare table `table`, with no operators: a frame to test filters
    /// against when a query itself does not run.
    pub fn of_table(session: &Session, table: &str) -> Staged {
        let id = Ident { name: table.to_string(), span: Span::default() };
        let main = TabularExpr { source: Source::Name(id), ops: Vec::new(), span: Span::default() };
        Staged { ev: Evaluator::new(session.clone()), main }
    }

    /// The main pipeline (for `rules`, which decides where exclusions apply).
    pub fn pipeline(&self) -> &TabularExpr {
        &self.main
    }

    /// The table the pipeline reads, when its source is a plain name.
    pub fn table(&self) -> Option<&str> {
        match &self.main.source {
            Source::Name(id) => Some(&id.name),
            _ => None,
        }
    }

    /// Notes for the user gathered so far (e.g. `render` ignored).
    pub fn notes(&self) -> &[String] {
        self.ev.notes()
    }

    /// Known tables read so far that have no events loaded.
    pub fn unloaded_tables(&self) -> &[String] {
        self.ev.unloaded_tables()
    }

    /// The frame after the source and the first `i` operators (all of them
    /// when `i` is past the end).
    pub fn run_to(&mut self, i: usize) -> Result<Frame> {
        // Each run is one evaluation for the memory budget; a staged query
        // is re-run many times (live exclusion toggles) on one evaluator.
        self.ev.mem_used = 0;
        let span = self.main.span;
        let frame = self.ev.piped_prefix(&self.main, i)?.into_table(span, "the result")?;
        self.ev.lazy_ok(frame)
    }

    /// Runs the operators from index `from` on over `frame` (nothing when
    /// `from` is past the end).
    pub fn resume(&mut self, frame: Frame, from: usize) -> Result<Frame> {
        self.ev.mem_used = 0;
        let ops = self.main.ops.get(from..).unwrap_or(&[]);
        let frame = self.ev.apply_ops(frame, ops)?.resolve_lazy();
        self.ev.lazy_ok(frame)
    }

    /// Evaluates the boolean expression `filter` over `frame`'s rows: bit `i`
    /// is set when it is `true` for row `i` (null or false leaves it clear).
    pub fn mask(&mut self, frame: &Frame, filter: &str) -> Result<Bitmap> {
        let expr = crate::kql::parse_expr(filter)?;
        let mut mask = Bitmap::zeros(frame.len());
        for p in self.ev.filter_positions(frame, &expr)? {
            mask.set(p as usize, true);
        }
        self.ev.lazy_ok(mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETS: &str = "let T = datatable(a:long, b:string)[1,'x', 2,'y', 3,'x', 4,'z', 5,'x'];\n";

    fn staged(main: &str) -> Staged {
        Staged::prepare(&Session::default(), &format!("{LETS}{main}")).unwrap()
    }

    fn cell(v: crate::data::Value) -> String {
        match v {
            crate::data::Value::String(s) => s.to_string(),
            crate::data::Value::Long(n) => n.to_string(),
            other => format!("{other:?}"),
        }
    }

    fn rows(f: &Frame) -> Vec<String> {
        (0..f.len()).map(|r| (0..f.cols().len()).map(|c| cell(f.value(r, c))).collect::<Vec<_>>().join(",")).collect()
    }

    #[test]
    fn run_to_stops_after_i_operators() {
        let mut s = staged("T | where a > 1 | where a < 5 | count");
        assert_eq!(s.run_to(0).unwrap().len(), 5);
        assert_eq!(s.run_to(1).unwrap().len(), 4);
        assert_eq!(s.run_to(2).unwrap().len(), 3);
        assert_eq!(rows(&s.run_to(99).unwrap()), ["3"]);
    }

    #[test]
    fn resume_over_all_rows_equals_the_whole_query() {
        let q = "T | where a > 1 | summarize n = count() by b | order by b asc";
        let mut s = staged(q);
        let at = s.run_to(1).unwrap();
        let whole = staged(q).run_to(usize::MAX).unwrap();
        assert_eq!(rows(&s.resume(at, 1).unwrap()), rows(&whole));
    }

    #[test]
    fn resume_over_a_subset_equals_the_query_with_a_filter() {
        let mut s = staged("T | where a > 1 | summarize n = count() by b | order by b asc");
        let at = s.run_to(1).unwrap();
        let hide = s.mask(&at, "b == 'x'").unwrap();
        let keep: Vec<u32> = (0..at.len() as u32).filter(|&i| !hide.get(i as usize)).collect();
        let got = s.resume(at.take_rows(&keep), 1).unwrap();
        let want = staged("T | where a > 1 | where not(b == 'x') | summarize n = count() by b | order by b asc")
            .run_to(usize::MAX)
            .unwrap();
        assert_eq!(rows(&got), rows(&want));
        assert_eq!(rows(&got), ["y,1", "z,1"]);
    }

    #[test]
    fn mask_counts_what_where_keeps() {
        let mut s = staged("T | extend c = a * 2");
        let at = s.run_to(1).unwrap();
        let mask = s.mask(&at, "c > 4 and b == 'x'").unwrap();
        let kept = staged("T | extend c = a * 2 | where c > 4 and b == 'x'").run_to(usize::MAX).unwrap();
        assert_eq!(mask.count_ones(), kept.len());
        assert_eq!(mask.iter_ones().collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn mask_sees_the_querys_lets_and_rejects_non_bools() {
        let mut s = staged("let lim = 2;\nT");
        let at = s.run_to(0).unwrap();
        // `lim` is the query's own `let`: a filter runs in the query's scope.
        assert_eq!(s.mask(&at, "a <= lim").unwrap().count_ones(), 2);
        assert!(s.mask(&at, "a + 1").is_err());
        assert!(s.mask(&at, "a ==").is_err());
        assert!(s.mask(&at, "nope == 1").is_err());
    }

    #[test]
    fn of_table_gives_the_schemas_empty_frame() {
        let mut s = Staged::of_table(&Session::default(), "DeviceProcessEvents");
        assert_eq!(s.table(), Some("DeviceProcessEvents"));
        let f = s.run_to(0).unwrap();
        assert!(f.is_empty() && f.index_of("ProcessCommandLine").is_some());
        assert!(Staged::of_table(&Session::default(), "NoSuchTable").run_to(0).is_err());
    }
}
