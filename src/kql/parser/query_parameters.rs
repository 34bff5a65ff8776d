//! `declare query_parameters(Name: Type [= Default], ...);`
//! (query-parameters-statement.md). The values come from the client request,
//! and a local run has no request: each parameter takes its default, bound as
//! a `let` of the declared type. A parameter without a default would need a
//! value kqlhunt cannot be given, so it is an `unsupported` error naming it;
//! a `dynamic` parameter cannot have a default (the page's note).

use super::{PResult, Parser};
use crate::data::DataType;
use crate::kql::ast::{Expr, ExprKind, Ident, LetValue, Statement};
use crate::kql::error::KqlError;
use crate::kql::lexer::Sym;

impl Parser<'_> {
    /// The parameters as `let` statements, with the cursor at `declare`.
    pub(super) fn query_parameters(&mut self) -> PResult<Vec<Statement>> {
        self.bump();
        self.bump();
        let open = self.expect_sym(Sym::LParen, "after 'declare query_parameters'")?;
        let mut lets = Vec::new();
        while !self.at_sym(Sym::RParen) {
            let start = self.span().start;
            let param = self.param()?;
            let span = self.since(start);
            let dtype = param.dtype.unwrap_or(DataType::Dynamic);
            let Some(default) = param.default else {
                return Err(KqlError::unsupported(
                    span,
                    format!(
                        "query parameter '{}' has no default, and kqlhunt has no client request to take its value from",
                        param.name.name
                    ),
                )
                .with_help("give it a default: `name:type = value`"));
            };
            let Some(convert) = conversion(dtype) else {
                return Err(KqlError::semantic(span, "a query parameter of type dynamic cannot have a default value"));
            };
            let call = ExprKind::Call { name: Ident { name: convert.into(), span: default.span }, args: vec![default] };
            let value = LetValue::Expr(Expr { kind: call, span });
            lets.push(Statement::Let { name: param.name, value, span });
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RParen, open)?;
        Ok(lets)
    }
}

/// The function that gives a literal the parameter's declared type.
fn conversion(t: DataType) -> Option<&'static str> {
    Some(match t {
        DataType::Bool => "tobool",
        DataType::Int => "toint",
        DataType::Long => "tolong",
        DataType::Real => "todouble",
        DataType::Decimal => "todecimal",
        DataType::DateTime => "todatetime",
        DataType::Timespan => "totimespan",
        DataType::String => "tostring",
        DataType::Guid => "toguid",
        DataType::Dynamic => return None,
    })
}
