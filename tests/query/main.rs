//! Integration tests of the `kql` layer: the parser over the case files in
//! `tests/kql_parse_cases/`, the trees it builds, round trips through the
//! printer, and hostile queries. The golden queries (`tests/kql/`) run in
//! the `golden` crate.

#[path = "../kql_parse_cases/mod.rs"]
mod cases;

#[path = "../common/http.rs"]
mod http;

mod externaldata;
mod hostile;
mod long_chains;
mod memory_budget;
mod parse;
mod parse_ast;
mod parse_roundtrip;
mod remote_stream;
