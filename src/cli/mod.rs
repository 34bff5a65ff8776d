//! The `cli` layer: clap commands and their printers. Reads `hunt` state and
//! prints it; exit codes follow grep: 0 hits, 1 none, 2 error.

pub mod args;
pub mod check;
pub mod events;
pub mod export;
pub mod html;
pub mod impact;
pub mod import;
pub mod init;
pub mod print;
pub mod query;
pub mod run;
pub mod samples;
pub mod setup;
pub mod stack;
pub mod suggest;
pub mod summary;

use std::io::Write;

pub use crate::session::Outcome;
pub use args::{Cli, Command};

/// Runs a parsed command line. A closed stdout (`kqlhunt run | head`) is a
/// clean stop, as in ripgrep.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = dispatch(&cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(Outcome::Hits),
        other => other,
    }
}

fn dispatch(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let inputs = &cli.inputs;
    match &cli.command {
        // main.rs opens the TUI on a terminal; piped or redirected, print the summary.
        None => summary::run(inputs, out),
        Some(Command::Run(a)) => run::run(inputs, a, out),
        Some(Command::Impact(a)) => impact::run(inputs, a, out),
        Some(Command::Query(a)) => query::run(inputs, a, out),
        Some(Command::Events(a)) => events::run(inputs, a, out),
        Some(Command::Suggest(a)) => suggest::run(inputs, a, out),
        Some(Command::Stack(a)) => stack::run(inputs, a, out),
        Some(Command::Export(a)) => export::run(inputs, a, out),
        Some(Command::Import(a)) => import::run(a),
        Some(Command::Check(a)) => check::run(inputs, a, out),
        Some(Command::Samples(a)) => samples::run(a),
        Some(Command::Init(a)) => init::run(a, out),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
