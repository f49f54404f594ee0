//! `cors-harness lint`.

use std::process::ExitCode;

use crate::cli::LintArgs;

pub fn execute(_args: LintArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness lint` is not available yet")
}
