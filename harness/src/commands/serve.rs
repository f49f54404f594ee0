//! `cors-harness serve`.

use std::process::ExitCode;

use crate::cli::ServeArgs;

pub fn execute(_args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness serve` is not available yet")
}
