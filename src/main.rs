//! kqlhunt's binary: parse arguments, dispatch, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kqlhunt::cli::Cli::parse();
    match kqlhunt::cli::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(err) => {
            eprintln!("kqlhunt: {err:#}");
            ExitCode::from(2)
        }
    }
}
