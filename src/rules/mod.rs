//! The `rules` layer: Sentinel rule YAML and our `exclusions:` extension.
//!
//! - The model, here: the rule ([`rule`]), its exclusions ([`exclusion`]),
//!   where exclusions apply and the effective KQL ([`effective`]), errors
//!   ([`error`]), positions in the YAML text ([`layout`]) and the one door to
//!   the YAML crate ([`yaml`]).
//! - [`file`]: loading rule folders and overlays, byte-preserving saves,
//!   safe repairs of common YAML mistakes.
//! - [`import`]: the rule catalogue's text and pseudo-filters into rules.
//! - [`check`]: `kqlhunt check`, its query checks and lints.
//!
//! Uses `data` and `kql`; never `hunt`, `session`, `tui` or `cli`.

pub mod check;
pub mod effective;
pub mod error;
pub mod exclusion;
pub mod file;
pub mod import;
pub mod layout;
pub mod remote;
pub mod rule;
pub mod yaml;

pub use error::{InvalidKind, RulesError, UnknownRule};
pub use exclusion::{Exclusion, Origin};
pub use file::load::RuleSet;
pub use file::overlay::{Overlay, OverlayWarning, OverlayWarningKind};
pub use file::plan::PlannedWrite;
pub use file::save::Stamp;
pub use import::fieldmap::FieldMap;
pub use import::translate::{TranslateError, translate};
pub use layout::FilePos;
pub use rule::{Parsed, Rule, parse_rule};
