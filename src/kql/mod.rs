//! The `kql` layer: lexer, parser, syntax tree and evaluator of the Kusto
//! Query Language subset kqlhunt runs, with Kusto's semantics.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod print;
pub mod quote;
pub mod scan;
pub mod span;
pub mod suggest;
pub mod vocab;

pub mod eval;
pub mod terms;

pub use error::{ErrorCode, ErrorKind, KqlError};
pub use span::Span;

/// Parses a query text (`let` statements and a final expression) into its syntax tree.
pub fn parse(src: &str) -> Result<ast::Query, KqlError> {
    parser::parse_query(src)
}

/// Parses a standalone scalar expression, such as an exclusion's `filter`.
pub fn parse_expr(src: &str) -> Result<ast::Expr, KqlError> {
    parser::parse_expression(src)
}
