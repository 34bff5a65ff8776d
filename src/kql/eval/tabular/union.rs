//! `union` as a source and inside a pipeline.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Union, UnionLeg};
use crate::kql::error::KqlError;
use crate::kql::span::Span;
use crate::kql::suggest::did_you_mean;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::project::wildcard_match;

impl Evaluator {
    /// Concatenates the legs (and the piped input first, if any). Columns are
    /// matched by name; `kind=inner` keeps only columns every leg has; a name
    /// with different types in different legs becomes `Name_type` columns.
    pub(crate) fn union(&mut self, piped: Option<Frame>, u: &Union, span: Span) -> Result<Frame> {
        let mut legs: Vec<(String, Frame)> = Vec::new();
        if let Some(f) = piped {
            legs.push((f.alias().or(f.source()).unwrap_or("union_arg0").to_string(), f));
        }
        for leg in &u.legs {
            match leg {
                UnionLeg::Pattern(p) => {
                    let mut names: Vec<String> = self
                        .session
                        .db
                        .tables()
                        .iter()
                        .map(|t| t.name().to_string())
                        // Wildcards match views, not other tabular lets (let-statement.md; the analyzer agrees).
                        .chain(self.scopes.view_names().map(str::to_string))
                        .filter(|n| wildcard_match(&p.pattern, n))
                        .collect();
                    names.dedup();
                    // A plain name may be any tabular `let`, function or view in scope.
                    if !p.pattern.contains('*') && self.scopes.get(&p.pattern).is_some() {
                        names = vec![p.pattern.clone()];
                    }
                    if names.is_empty() && !p.pattern.contains('*') {
                        // A known MDE table with no events is an empty leg.
                        if crate::data::schema::table_schema(&p.pattern).is_some() {
                            names.push(p.pattern.clone());
                        } else if !u.is_fuzzy {
                            let known: Vec<String> =
                                self.session.db.tables().iter().map(|t| t.name().to_string()).collect();
                            let mut err =
                                KqlError::unknown_table(p.span, format!("unknown table '{}' in union", p.pattern));
                            if let Some(h) = did_you_mean(&p.pattern, known.iter().map(String::as_str)) {
                                err = err.with_help(h);
                            }
                            return Err(err);
                        }
                    }
                    for n in names {
                        let f = self.source(&crate::kql::ast::Source::Name(crate::kql::ast::Ident {
                            name: n.clone(),
                            span: p.span,
                        }))?;
                        legs.push((n, f));
                    }
                }
                UnionLeg::Expr(t) => {
                    let f = self.tabular(t)?;
                    let name = f
                        .alias()
                        .or(f.source())
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("union_arg{}", legs.len()));
                    legs.push((name, f));
                }
            }
        }
        let _ = span;
        Ok(concat(&legs, u.inner, u.with_source.as_ref().map(|w| w.name.as_str())))
    }
}

/// Concatenates named legs by column name (also `search`'s table legs).
pub(super) fn concat(legs: &[(String, Frame)], inner: bool, with_source: Option<&str>) -> Frame {
    // Every column is copied: decode each leg's lazy columns together, one
    // read of its file, not one read per column (58 of them for a pivot).
    let legs: Vec<(String, Frame)> = legs.iter().map(|(n, f)| (n.clone(), f.clone().resolve_lazy())).collect();
    let legs = legs.as_slice();
    // Output columns: (output name, source name, type), in first-seen order.
    let mut spec: Vec<(String, DataType)> = Vec::new();
    for (_, f) in legs {
        for field in f.fields() {
            if !spec.iter().any(|(n, t)| *n == field.name && *t == field.dtype) {
                spec.push((field.name, field.dtype));
            }
        }
    }
    if inner {
        spec.retain(|(n, t)| legs.iter().all(|(_, f)| f.fields().iter().any(|x| x.name == *n && x.dtype == *t)));
    }
    let total: usize = legs.iter().map(|(_, f)| f.len()).sum();
    let mut out: Vec<(String, Arc<Column>)> = Vec::new();
    if let Some(ws) = with_source {
        let mut b = ColumnBuilder::new(DataType::String);
        for (name, f) in legs {
            let v = Value::str(name);
            for _ in 0..f.len() {
                b.push(&v);
            }
        }
        out.push((ws.to_string(), Arc::new(b.finish())));
    }
    let names = output_names(&spec, with_source);
    for ((name, dtype), out_name) in spec.iter().zip(names) {
        let mut b = ColumnBuilder::new(*dtype);
        for (_, f) in legs {
            match f.fields().iter().position(|x| x.name == *name && x.dtype == *dtype) {
                Some(i) => {
                    let c = f.dense(i);
                    for r in 0..f.len() {
                        b.push(&c.get(r));
                    }
                }
                None => {
                    let null = if dtype.is_text() { Value::str("") } else { Value::Null };
                    for _ in 0..f.len() {
                        b.push(&null);
                    }
                }
            }
        }
        out.push((out_name, Arc::new(b.finish())));
    }
    if out.is_empty() {
        return Frame::default();
    }
    debug_assert!(out.iter().all(|(_, c)| c.len() == total));
    Frame::from_columns(out)
}

/// The output name of each spec column: its own name, or, when the name has
/// several types, `name_type`; a generated name that another column already
/// has gets a number (union-operator.md: `x:long` beside a column `x_long`
/// becomes `x_long1`).
fn output_names(spec: &[(String, DataType)], with_source: Option<&str>) -> Vec<String> {
    let clash = |name: &str| spec.iter().filter(|(n, _)| n == name).count() > 1;
    let mut taken: FxHashSet<String> = spec.iter().filter(|(n, _)| !clash(n)).map(|(n, _)| n.clone()).collect();
    taken.extend(with_source.map(str::to_owned));
    spec.iter()
        .map(|(name, dtype)| {
            if !clash(name) {
                return name.clone();
            }
            let base = format!("{name}_{dtype}");
            let mut out = base.clone();
            let mut k = 1;
            while taken.contains(&out) {
                out = format!("{base}{k}");
                k += 1;
            }
            taken.insert(out.clone());
            out
        })
        .collect()
}
