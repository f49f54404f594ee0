//! `cors-harness explain`.

use std::process::ExitCode;

use crate::cli::ExplainArgs;

pub fn execute(_args: ExplainArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness explain` is not available yet")
}
