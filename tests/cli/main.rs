//! The built binary as a script runs it: the headless commands, `kqlhunt
//! check`, hostile events on the command line; and a lint over the
//! library's source (no `unwrap`/`expect` on input paths).

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/http.rs"]
mod http;

mod check_lint;
mod check_repair;
mod check_robust;
mod commands;
mod doc_links;
mod export_overlay;
mod externaldata;
mod hostile;
mod hostile_lint;
mod impact_html;
mod memory_budget;
mod remote;
mod samples;
mod stack;
mod suggest;
