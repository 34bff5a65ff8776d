//! `where`, `extend`, `project` and the `project-*` family.

use std::sync::Arc;

use crate::data::DataType;
use crate::kql::ast::{BinOp, ColumnPattern, Expr, ExprKind, Ident, NamedExpr};
use crate::kql::error::KqlError;
use crate::kql::eval::expr::TIME_GENERATED;
use crate::kql::span::Span;

use super::super::frame::{Frame, FrameCol};
use super::super::vals::Vals;
use super::super::{Evaluator, Result};

impl Evaluator {
    /// `where p`: conjuncts of a top-level `and` filter one after another, so
    /// each later one only looks at the rows the earlier ones kept.
    pub(crate) fn where_(&mut self, mut frame: Frame, p: &Expr) -> Result<Frame> {
        let mut conjuncts = Vec::new();
        split_and(p, &mut conjuncts);
        for c in conjuncts {
            let v = self.scalar(c, &frame)?;
            if !matches!(v.dtype(), DataType::Bool | DataType::Dynamic) {
                return Err(KqlError::type_mismatch(
                    c.span,
                    format!("'where' needs a bool predicate, found {}", v.dtype()),
                ));
            }
            let keep = v.true_positions(&frame);
            if keep.len() != frame.len() {
                frame = frame.take_rows(&keep);
            }
        }
        Ok(frame)
    }

    /// Evaluates the predicate of an exclusion filter over a frame: rows where it is `true`.
    pub(crate) fn filter_positions(&mut self, frame: &Frame, p: &Expr) -> Result<Vec<u32>> {
        let v = self.scalar(p, frame)?;
        if !matches!(v.dtype(), DataType::Bool | DataType::Dynamic) {
            return Err(KqlError::type_mismatch(
                p.span,
                format!("a filter must be a bool expression, found {}", v.dtype()),
            ));
        }
        Ok(v.true_positions(frame))
    }

    /// `extend a = expr, ...` (also `serialize a = expr`).
    pub(crate) fn extend(&mut self, mut frame: Frame, items: &[NamedExpr]) -> Result<Frame> {
        let mut auto = AutoNames::default();
        // Every expression sees the input columns only: Kusto rejects a reference to
        // a column defined earlier in the same extend (the analyzer agrees).
        let mut new_cols = Vec::with_capacity(items.len());
        for item in items {
            if let Some(cols) = self.multi_columns(item, &frame)? {
                new_cols.extend(cols);
                continue;
            }
            let v = self.scalar(&item.expr, &frame)?;
            new_cols.push((output_name(item, &mut auto, &frame)?, v.to_column(&frame)));
        }
        for (name, col) in new_cols {
            frame.set_column(&name, col);
        }
        Ok(frame)
    }

    /// `project a, b = expr, ...`: plain column references keep their storage.
    pub(crate) fn project(&mut self, frame: Frame, items: &[NamedExpr], _span: Span) -> Result<Frame> {
        let mut cols: Vec<FrameCol> = Vec::with_capacity(items.len());
        let mut auto = AutoNames::default();
        for item in items {
            if let Some(multi) = self.multi_columns(item, &frame)? {
                cols.extend(multi.into_iter().map(|(name, col)| FrameCol::new(name, col, false)));
                continue;
            }
            let name = output_name(item, &mut auto, &frame)?;
            let fc = match (&item.expr.kind, frame.index_of_expr(&item.expr)) {
                (ExprKind::Name(_), Some(i)) => {
                    let mut c = frame.cols()[i].clone();
                    c.name = name.clone();
                    c
                }
                _ => {
                    let v = self.scalar(&item.expr, &frame)?;
                    match v {
                        Vals::Col { col, via_sel } => FrameCol::new(name.clone(), col, via_sel),
                        c @ Vals::Const(..) => FrameCol::new(name.clone(), c.to_column(&frame), false),
                    }
                }
            };
            let mut fc = fc;
            if item.names.is_empty() && cols.iter().any(|c| c.name == name) {
                // An implicit name that is taken gets a numeric suffix (`x`, `x1`), as in Kusto.
                let n = (1..).find(|n| !cols.iter().any(|c| c.name == format!("{name}{n}"))).unwrap_or(1);
                fc.name = format!("{name}{n}");
            } else if let Some(pos) = cols.iter().position(|c| c.name == name) {
                return Err(KqlError::duplicate_name(
                    item.expr.span,
                    format!("column '{}' is projected twice (first at position {})", name, pos + 1),
                ));
            }
            cols.push(fc);
        }
        Ok(frame.with_cols(cols))
    }
}

impl Frame {
    fn index_of_expr(&self, e: &Expr) -> Option<usize> {
        match &e.kind {
            ExprKind::Name(id) => self.index_of(&id.name),
            _ => None,
        }
    }
}

/// `project-away pats`.
pub(crate) fn project_away(frame: Frame, pats: &[ColumnPattern]) -> Result<Frame> {
    // Removing Sentinel's `TimeGenerated` from Defender rows, which have
    // none, removes nothing: their `Timestamp` stays, as it would in Sentinel.
    let matched = match_patterns(&frame, pats, TimeGenerated::Absent)?;
    let keep: Vec<usize> = (0..frame.cols().len()).filter(|i| !matched.contains(i)).collect();
    Ok(frame.select(&keep, None))
}

/// `project-keep pats` (schema order kept).
pub(crate) fn project_keep(frame: Frame, pats: &[ColumnPattern]) -> Result<Frame> {
    let matched = match_patterns(&frame, pats, TimeGenerated::Timestamp)?;
    let keep: Vec<usize> = (0..frame.cols().len()).filter(|i| matched.contains(i)).collect();
    Ok(frame.select(&keep, None))
}

/// `project-reorder pats`: matched columns first, in pattern order, then the rest.
pub(crate) fn project_reorder(frame: Frame, pats: &[ColumnPattern]) -> Result<Frame> {
    let mut order = match_patterns(&frame, pats, TimeGenerated::Timestamp)?;
    for i in 0..frame.cols().len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    Ok(frame.select(&order, None))
}

/// `project-rename new = old, ...`.
pub(crate) fn project_rename(frame: Frame, pairs: &[(Ident, Ident)]) -> Result<Frame> {
    let mut names: Vec<String> = frame.names().map(str::to_string).collect();
    for (new, old) in pairs {
        let Some(i) = frame.index_of(&old.name) else {
            return Err(unknown_column(&frame, &old.name, old.span));
        };
        names[i] = new.name.clone();
    }
    let idx: Vec<usize> = (0..names.len()).collect();
    Ok(frame.select(&idx, Some(&names)))
}

/// What a column list's `TimeGenerated` stands for on rows that have no
/// such column but a `Timestamp` (Defender's own exports of a table that
/// Sentinel copies with both), as it does in expressions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeGenerated {
    /// The `Timestamp` column.
    Timestamp,
    /// Nothing: the column is simply not there.
    Absent,
}

/// Column indices matching the patterns, in pattern order, without repeats.
/// A plain name that matches nothing is an error; a wildcard may match nothing.
fn match_patterns(frame: &Frame, pats: &[ColumnPattern], time_generated: TimeGenerated) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for p in pats {
        if p.pattern == TIME_GENERATED
            && frame.index_of(TIME_GENERATED).is_none()
            && let Some(i) = frame.index_of("Timestamp")
        {
            if time_generated == TimeGenerated::Timestamp && !out.contains(&i) {
                out.push(i);
            }
            continue;
        }
        let mut any = false;
        for (i, name) in frame.names().enumerate() {
            if wildcard_match(&p.pattern, name) {
                any = true;
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        if !any && !p.pattern.contains('*') {
            return Err(unknown_column(frame, &p.pattern, p.span));
        }
    }
    Ok(out)
}

/// Glob match where `*` matches any run of characters.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// An "unknown column" error with suggestions from the frame.
pub(crate) fn unknown_column(frame: &Frame, name: &str, span: Span) -> KqlError {
    let mut err = KqlError::unknown_column(span, format!("unknown column '{name}'"));
    if let Some(h) = crate::kql::suggest::did_you_mean(name, frame.names()) {
        err = err.with_help(h);
    }
    err
}

pub(super) fn split_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary { op: BinOp::And, left, right } => {
            split_and(left, out);
            split_and(right, out);
        }
        ExprKind::Chain { first, rest } if rest.iter().all(|(op, _)| *op == BinOp::And) => {
            split_and(first, out);
            rest.iter().for_each(|(_, e)| split_and(e, out));
        }
        _ => out.push(e),
    }
}

/// Counter for `Column1`, `Column2`, ... names of unnamed computed columns.
#[derive(Default)]
pub(crate) struct AutoNames {
    next: usize,
}

impl AutoNames {
    /// The next free `ColumnN` name not already in the frame.
    pub(crate) fn next(&mut self, taken: &dyn Fn(&str) -> bool) -> String {
        loop {
            self.next += 1;
            let n = format!("Column{}", self.next);
            if !taken(&n) {
                return n;
            }
        }
    }
}

/// The output name of `name = expr` or of an unnamed expression: a column
/// reference keeps its name, `a.b` becomes `a_b`, anything else `ColumnN`.
pub(crate) fn output_name(item: &NamedExpr, auto: &mut AutoNames, frame: &Frame) -> Result<String> {
    match item.names.as_slice() {
        [one] => Ok(one.name.clone()),
        [] => Ok(implicit_name(&item.expr).unwrap_or_else(|| auto.next(&|n| frame.index_of(n).is_some()))),
        [_, second, ..] => {
            Err(KqlError::unsupported(second.span, "assigning several columns at once is not supported"))
        }
    }
}

/// The name Kusto gives an unnamed expression, when it has one.
pub(crate) fn implicit_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::Member { expr, name } => Some(format!("{}_{}", implicit_name(expr)?, name.name)),
        ExprKind::Index { expr, index } => match &index.kind {
            ExprKind::Literal(crate::kql::ast::Literal::String(s)) => Some(format!("{}_{}", implicit_name(expr)?, s)),
            _ => None,
        },
        // As Kusto.Language names them (verified with kql-check): conversions and
        // rounding keep the first argument's name, `strlen(b)` is `strlen_b`,
        // `gettype(b)` is `type_b`; any other call is `ColumnN`.
        ExprKind::Call { name, args } => {
            let first = args.first().and_then(implicit_name);
            match name.name.as_str() {
                "strlen" => first.map(|c| format!("strlen_{c}")),
                "array_sort_asc" | "array_sort_desc" => first.map(|c| format!("{c}_sorted")),
                "gettype" => first.map(|c| format!("type_{c}")),
                "dcount_hll" => first.map(|c| format!("dcount_hll_{c}")),
                "percentile_tdigest" | "percentiles_array_tdigest" => first.map(|c| format!("percentile_tdigest_{c}")),
                "hll_merge" => Some("hll_merged_result".to_string()),
                "merge_tdigest" => Some("tdigests_merge_result".to_string()),
                n if KEEPS_FIRST_ARGUMENT_NAME.contains(&n) => first,
                _ => None,
            }
        }
        _ => None,
    }
}

/// Functions whose unnamed result takes the name of their first argument.
const KEEPS_FIRST_ARGUMENT_NAME: &[&str] = &[
    "series_fir",
    "series_iir",
    "series_fill_forward",
    "series_fill_backward",
    "series_fill_const",
    "series_fill_linear",
    "tostring",
    "toint",
    "tolong",
    "toreal",
    "todouble",
    "todecimal",
    "tobool",
    "toboolean",
    "todatetime",
    "totimespan",
    "toguid",
    "todynamic",
    "toobject",
    "parse_json",
    "parsejson",
    "startofday",
    "abs",
    "round",
    "ceiling",
    "sqrt",
    "exp",
    "log",
    "log10",
    "tohex",
    "bin",
    "floor",
    "bin_at",
    "split",
];

/// A frame column from a dense column.
pub(crate) fn dense_col(name: &str, col: Arc<crate::data::Column>) -> FrameCol {
    FrameCol::new(name.to_string(), col, false)
}
