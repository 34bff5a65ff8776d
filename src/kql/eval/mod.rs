//! The evaluator: runs a parsed query over the loaded tables.

pub mod aggregates;
pub mod functions;
pub mod ops;
