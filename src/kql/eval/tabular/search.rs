//! `search`: rows where a term appears in any column (or a named one), as an
//! operator on its input or as a source over tables (search-operator.md).
//! A term is matched as `has`; `x*` as `hasprefix`, `*x` as `hassuffix`,
//! `*x*` as `contains`, other wildcards as a whole-term regex, and `*` alone
//! matches every row. The source form adds `$table`, the table each row
//! comes from; the operator form adds it too (the input's table, or empty).

use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Search, SearchPred, StrCmp, StrOp};
use crate::kql::error::KqlError;

use super::super::frame::Frame;
use super::super::functions::convert::as_text;
use super::super::ops::StrMatcher;
use super::super::{Evaluator, Result};
use super::project::{dense_col, wildcard_match};

impl Evaluator {
    /// `T | search ...`: the matching rows of the input, lineage kept.
    pub(crate) fn search_rows(&mut self, frame: Frame, s: &Search) -> Result<Frame> {
        if !s.tables.is_empty() {
            return Err(KqlError::semantic(s.span, "'search in (...)' starts a query; it cannot follow '|'"));
        }
        // A search reads every column: decode the lazy ones in one read of the file.
        let frame = frame.resolve_lazy();
        let hits = self.search_pred(&frame, &s.predicate, s.case_sensitive)?;
        let keep: Vec<u32> = (0..frame.len() as u32).filter(|&r| hits[r as usize]).collect();
        let kept = frame.take_rows(&keep);
        // `$table` comes first, as in the source form: the input's table when known.
        let table = Value::str(kept.source().unwrap_or(""));
        let mut b = ColumnBuilder::new(DataType::String);
        for _ in 0..kept.len() {
            b.push(&table);
        }
        let mut cols = vec![dense_col("$table", Arc::new(b.finish()))];
        cols.extend(kept.cols().iter().filter(|c| c.name != "$table").cloned());
        Ok(kept.with_cols(cols))
    }

    /// `search [in (T, ...)] ...` as a source: every table (or the named
    /// ones, wildcards allowed) searched, with `$table` first.
    pub(crate) fn search_source(&mut self, s: &Search) -> Result<Frame> {
        let names: Vec<String> = self.session.db.tables().iter().map(|t| t.name().to_string()).collect();
        let mut legs = Vec::new();
        for name in &names {
            if !s.tables.is_empty() && !s.tables.iter().any(|p| wildcard_match(&p.pattern, name)) {
                continue;
            }
            let ident = crate::kql::ast::Ident { name: name.clone(), span: s.span };
            let f = self.source(&crate::kql::ast::Source::Name(ident))?.resolve_lazy();
            let hits = self.search_pred(&f, &s.predicate, s.case_sensitive)?;
            let keep: Vec<u32> = (0..f.len() as u32).filter(|&r| hits[r as usize]).collect();
            legs.push((name.clone(), f.take_rows(&keep).without_lineage()));
        }
        for p in &s.tables {
            if !p.pattern.contains('*') && !names.contains(&p.pattern) {
                let f = self.source(&crate::kql::ast::Source::Name(crate::kql::ast::Ident {
                    name: p.pattern.clone(),
                    span: p.span,
                }))?;
                let hits = self.search_pred(&f, &s.predicate, s.case_sensitive)?;
                let keep: Vec<u32> = (0..f.len() as u32).filter(|&r| hits[r as usize]).collect();
                legs.push((p.pattern.clone(), f.take_rows(&keep).without_lineage()));
            }
        }
        Ok(super::union::concat(&legs, false, Some("$table")))
    }

    /// Which rows of `frame` satisfy the predicate.
    fn search_pred(&mut self, frame: &Frame, p: &SearchPred, cs: bool) -> Result<Vec<bool>> {
        Ok(match p {
            SearchPred::Term { column, term } => {
                let Some(m) = term_matcher(term, cs, self)? else { return Ok(vec![true; frame.len()]) };
                let cols: Vec<usize> = match column {
                    Some(c) => match frame.index_of(&c.name) {
                        Some(i) => vec![i],
                        None => return Err(super::project::unknown_column(frame, &c.name, c.span)),
                    },
                    None => (0..frame.cols().len()).collect(),
                };
                (0..frame.len())
                    .map(|r| {
                        cols.iter().any(|&c| match frame.value(r, c) {
                            Value::Null => false,
                            v => m.matches(&as_text(&v)),
                        })
                    })
                    .collect()
            }
            SearchPred::Expr(e) => {
                let v = self.scalar(e, frame)?;
                let mut hits = vec![false; frame.len()];
                for r in v.true_positions(frame) {
                    hits[r as usize] = true;
                }
                hits
            }
            SearchPred::And(a, b) => {
                let (x, y) = (self.search_pred(frame, a, cs)?, self.search_pred(frame, b, cs)?);
                x.iter().zip(&y).map(|(a, b)| *a && *b).collect()
            }
            SearchPred::Or(a, b) => {
                let (x, y) = (self.search_pred(frame, a, cs)?, self.search_pred(frame, b, cs)?);
                x.iter().zip(&y).map(|(a, b)| *a || *b).collect()
            }
            SearchPred::Not(a) => self.search_pred(frame, a, cs)?.into_iter().map(|x| !x).collect(),
        })
    }
}

/// The matcher for a search term; `None` for `*` (every row).
fn term_matcher(term: &str, cs: bool, ev: &Evaluator) -> Result<Option<StrMatcher>> {
    let inner = term.trim_matches('*');
    if inner.is_empty() {
        return Ok(None);
    }
    let (lead, trail) = (term.starts_with('*'), term.ends_with('*'));
    let (op, needle) = if inner.contains('*') {
        let parts: Vec<String> = term.split('*').map(regex::escape).collect();
        let body = parts.join(".*");
        let re = format!("{}{}\\b{body}\\b", if cs { "" } else { "(?i)" }, "");
        (StrOp::MatchesRegex, re)
    } else {
        let op = match (lead, trail) {
            (false, false) => StrOp::Has,
            (false, true) => StrOp::HasPrefix,
            (true, false) => StrOp::HasSuffix,
            (true, true) => StrOp::Contains,
        };
        (op, inner.to_string())
    };
    let cmp = StrCmp { op, case_sensitive: cs || op == StrOp::MatchesRegex, negated: false };
    StrMatcher::new(cmp, &needle, &ev.fnctx.regexes)
        .map(Some)
        .map_err(|m| KqlError::bad_pattern(crate::kql::span::Span::default(), format!("search term: {m}")))
}
