//! `column_ifexists(columnName, defaultValue)` and its deprecated name
//! `columnifexists` (column-ifexists-function.md): the column when the input
//! has it, else the default. It reads the frame's schema, so it is a special
//! form of the evaluator rather than a scalar function.
//!
//! The page's note "If the column data type is dynamic, then it returns the
//! default column" is followed as written. The result has the default's type,
//! as Microsoft's analyzer types it (`column_ifexists("DeviceName", 1)` is a
//! long): a column of another type is converted, value by value.

use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::Expr;
use crate::kql::error::KqlError;

use super::frame::Frame;
use super::vals::{Vals, coerce};
use super::{Evaluator, Result};

impl Evaluator {
    /// The named column of `frame` (converted to the default's type), or the default.
    pub(super) fn column_ifexists(&mut self, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let [name_arg, default_arg] = args else {
            return Err(KqlError::arguments(
                e.span,
                "column_ifexists() takes 2 arguments: a column name and a default",
            ));
        };
        let name = match self.scalar(name_arg, &Frame::default())? {
            Vals::Const(Value::String(s), _) => s,
            _ => {
                return Err(KqlError::arguments(
                    name_arg.span,
                    "column_ifexists's column name must be a string constant",
                ));
            }
        };
        let default = self.scalar(default_arg, frame)?;
        let out = default.dtype();
        let Some(i) = frame.index_of(&name) else { return Ok(default) };
        let col = &frame.cols()[i];
        if col.col().data_type() == DataType::Dynamic {
            return Ok(default);
        }
        let found = Vals::Col { col: col.col().clone(), via_sel: col.via_sel };
        if found.dtype() == out {
            return Ok(found);
        }
        let mut b = ColumnBuilder::new(out);
        for r in 0..frame.len() {
            b.push(&coerce(found.get(frame, r), out));
        }
        Ok(Vals::Col { col: Arc::new(b.finish()), via_sel: false })
    }
}
