//! The `cli` layer: clap commands and their printers. Reads `hunt` state and
//! prints it; exit codes follow grep: 0 hits, 1 none, 2 error.

pub mod args;
pub mod import;
pub mod print;
pub mod samples;

use std::process::ExitCode;

pub use args::{Cli, Command};

/// Exit status of a command, grep-style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Hits found (or `check` clean).
    Hits,
    /// No hits (or `check` found problems).
    NoHits,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Hits => ExitCode::SUCCESS,
            Outcome::NoHits => ExitCode::from(1),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    if let Some(Command::Import(args)) = &cli.command {
        return import::run(args);
    }
    if let Some(Command::Samples(args)) = &cli.command {
        return samples::run(args);
    }
    let name = match &cli.command {
        None => "the TUI",
        Some(Command::Run(_)) => "run",
        Some(Command::Impact(_)) => "impact",
        Some(Command::Query(_)) => "query",
        Some(Command::Events(_)) => "events",
        Some(Command::Check(_)) => "check",
        Some(Command::Export(_)) => "export",
        Some(Command::Import(_)) => "import",
        Some(Command::Samples(_)) => "samples",
    };
    anyhow::bail!("kqlhunt {name}: not built yet")
}
