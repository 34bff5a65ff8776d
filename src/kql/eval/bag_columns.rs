//! `bag_pack_columns(column1, column2, ...)` (bag-pack-columns-function.md):
//! a property bag keyed by the columns' names. It needs the argument
//! expressions' names, so it is a special form of the evaluator rather than
//! a scalar function.

use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::data::column::value_to_json;
use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ExprKind};
use crate::kql::error::KqlError;

use super::frame::Frame;
use super::vals::Vals;
use super::{Evaluator, Result};

impl Evaluator {
    /// Packs the named columns of each row into a bag (null values kept as JSON null).
    pub(super) fn bag_pack_columns(&mut self, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        if args.is_empty() {
            return Err(KqlError::arguments(e.span, "bag_pack_columns() needs at least one column"));
        }
        let mut cols = Vec::with_capacity(args.len());
        for a in args {
            let ExprKind::Name(id) = &a.kind else {
                return Err(KqlError::arguments(a.span, "bag_pack_columns() takes column names"));
            };
            cols.push((id.name.clone(), self.scalar(a, frame)?));
        }
        let mut b = ColumnBuilder::new(DataType::Dynamic);
        for r in 0..frame.len() {
            let bag: Map<String, Json> =
                cols.iter().map(|(k, v)| (k.clone(), value_to_json(&v.get(frame, r)))).collect();
            b.push(&Value::Dynamic(Arc::new(Json::Object(bag))));
        }
        Ok(Vals::Col { col: Arc::new(b.finish()), via_sel: false })
    }
}
