//! `cors-harness list`.

use std::process::ExitCode;

use crate::cli::ListArgs;

pub fn execute(_args: ListArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness list` is not available yet")
}
