//! The `rules` layer: Sentinel rule YAML and our `exclusions:` extension —
//! loading ([`load`]), the model ([`rule`], [`exclusion`]), overlays
//! ([`overlay`]), byte-preserving saves ([`save`]), and turning the rule
//! catalogue's text and pseudo-filters into rules ([`import`], [`translate`],
//! [`fieldmap`]). Uses `data` and `kql`; never `hunt`, `tui` or `cli`.
//!
//! Only [`yaml`] touches the YAML crate.

pub mod check;
pub mod check_query;
pub mod emit;
pub mod error;
pub mod exclusion;
mod export;
pub mod fieldmap;
pub mod import;
pub mod layout;
pub mod lint;
pub mod load;
pub mod overlay;
pub mod pseudo;
pub mod repair;
pub mod rule;
pub mod save;
pub mod translate;
pub mod yaml;

pub use error::RulesError;
pub use exclusion::{Exclusion, Origin};
pub use fieldmap::FieldMap;
pub use layout::FilePos;
pub use load::RuleSet;
pub use overlay::{Orphan, Overlay};
pub use rule::{Parsed, Rule, parse_rule};
pub use save::Stamp;
pub use translate::{TranslateError, translate};
