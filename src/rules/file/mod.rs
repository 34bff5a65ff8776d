//! Rule files on disk: loading folders of rule YAML and exclusion overlays
//! ([`load`], [`overlay`]), the tuning as an overlay ([`tuning`]),
//! byte-preserving saves of the `exclusions:` block
//! ([`save`], [`emit`]), and safe repairs of common Sentinel-YAML mistakes
//! ([`repair`]).

pub mod emit;
mod export;
mod keep;
pub mod load;
pub mod overlay;
pub mod plan;
pub mod repair;
pub mod save;
pub mod tuning;
