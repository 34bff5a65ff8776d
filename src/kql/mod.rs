//! The `kql` layer: lexer, parser, syntax tree and evaluator of the Kusto
//! Query Language subset kqlhunt runs, with Kusto's semantics.

pub mod ast;
pub mod error;
pub mod span;
pub mod suggest;

pub use error::{ErrorKind, KqlError};
pub use span::Span;
pub mod eval;
pub mod terms;
