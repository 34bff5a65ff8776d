//! Integration tests of the `rules` and `hunt` layers: loading, importing,
//! translating, overlaying and saving rule files, and the hunt's invariants.

#[path = "../common/mod.rs"]
mod common;

mod hostile_save;
mod hunt_props;
mod import;
mod load;
mod overlay;
mod save;
mod save_comments;
mod suggest_props;
mod translate;
