//! `project-by-names spec, ...` (project-by-names-operator.md): keeps the
//! columns that each constant spec names, in spec order. A spec is a column
//! name, a wildcard pattern (`"C*"`), or a dynamic array of them (often a
//! `let` value). A plain string naming no column is an error, as in
//! `project`; a name in an array that matches no column is skipped (the
//! page's `dynamic(['Country', 'NonExistent'])` example); a pattern may match none.

use serde_json::Value as Json;

use crate::data::Value;
use crate::kql::ast::Expr;
use crate::kql::error::KqlError;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::project::{unknown_column, wildcard_match};

impl Evaluator {
    /// `project-by-names specs`.
    pub(crate) fn project_by_names(&mut self, frame: Frame, specs: &[Expr]) -> Result<Frame> {
        let mut order: Vec<usize> = Vec::new();
        for e in specs {
            // (names, whether a name matching no column is an error)
            let (names, strict): (Vec<String>, bool) = match self.constant(e)? {
                Value::String(s) => (vec![s.to_string()], true),
                Value::Dynamic(j) => match &*j {
                    Json::Array(items) => (items.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(), false),
                    Json::String(s) => (vec![s.clone()], true),
                    _ => return Err(not_names(e)),
                },
                _ => return Err(not_names(e)),
            };
            for name in names {
                let hits: Vec<usize> =
                    frame.names().enumerate().filter(|(_, n)| wildcard_match(&name, n)).map(|(i, _)| i).collect();
                if hits.is_empty() && strict && !name.contains('*') {
                    return Err(unknown_column(&frame, &name, e.span));
                }
                order.extend(hits.into_iter().filter(|i| !order.contains(i)).collect::<Vec<_>>());
            }
        }
        Ok(frame.select(&order, None))
    }
}

fn not_names(e: &Expr) -> KqlError {
    KqlError::arguments(e.span, "project-by-names takes column names: strings or a dynamic array of strings")
}
