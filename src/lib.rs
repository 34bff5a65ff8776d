//! kqlhunt: run Microsoft Sentinel hunting rules (KQL) over exported
//! Microsoft Defender Advanced Hunting events, locally, with Kusto's semantics.
//!
//! Layers, one way only: [`data`] → [`kql`] → [`rules`] → [`hunt`] →
//! [`session`] → [`tui`] / [`cli`]; `main.rs` picks the face.

pub mod cli;
pub mod data;
pub mod hunt;
pub mod kql;
#[cfg(test)]
mod layers;
pub mod rules;
pub mod samples;
pub mod session;
pub mod tui;
