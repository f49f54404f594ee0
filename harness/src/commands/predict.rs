//! `cors-harness predict`.

use std::process::ExitCode;

use crate::cli::PredictArgs;

pub fn execute(_args: PredictArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness predict` is not available yet")
}
