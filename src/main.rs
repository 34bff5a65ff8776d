//! kqlhunt's binary: parse arguments, pick the face (the TUI on a terminal
//! with no subcommand, else the headless commands), map the outcome to an
//! exit code: 0 hits, 1 none, 2 error.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kqlhunt::cli::Cli::parse();
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let result = match cli.command {
        None if interactive => kqlhunt::tui::run(cli.inputs.options(&[])),
        _ => kqlhunt::cli::run(cli),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(err) => {
            eprintln!("kqlhunt: {err:#}");
            ExitCode::from(2)
        }
    }
}
