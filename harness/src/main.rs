//! The `cors-harness` binary: parses the command line and hands it to the library's commands.
//! Errors that reach this edge are bad input or infrastructure, so they exit with code 2.

use std::process::ExitCode;

use clap::Parser;
use cors_harness::cli::Cli;
use cors_harness::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::execute(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(commands::EXIT_BAD_INPUT)
        }
    }
}
