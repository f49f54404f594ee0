//! One module per subcommand. Each `execute` returns the process exit code (`docs/cli.md`);
//! errors returned from here are bad input or infrastructure and become exit code 2.

use std::process::ExitCode;

use crate::cli::Command;

pub mod explain;
pub mod lint;
pub mod list;
pub mod predict;
pub mod run;
pub mod serve;
pub(crate) mod setup;

/// Everything agreed and every expectation held.
pub const EXIT_OK: u8 = 0;
/// A divergence, a failed expectation, or a lint finding.
pub const EXIT_FAILED: u8 = 1;
/// Bad input or infrastructure.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Writes a command's output. A reader that went away (`cors-harness list | head`) is not an
/// error: the output is simply no longer wanted.
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Runs one parsed subcommand.
pub fn execute(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run(args) => run::execute(args),
        Command::Predict(args) => predict::execute(args),
        Command::Explain(args) => explain::execute(args),
        Command::Lint(args) => lint::execute(args),
        Command::List(args) => list::execute(args),
        Command::Serve(args) => serve::execute(args),
    }
}
