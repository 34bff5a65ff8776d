//! Integration tests of the `data` layer: the event loaders over the
//! fixtures, malformed and extreme input, every export format, and the
//! sample generator.
//!
//! One crate per layer (`data`, `query`, `rules`, `cli`, `tui`, plus the
//! `golden` harness): each links the whole library once.

mod doc_split;
mod enterprise;
mod formats;
mod gzip;
mod hostile_formats;
mod hostile_load;
mod lazy;
mod lazy_mixed;
mod load;
mod parallel_formats;
mod samples;
