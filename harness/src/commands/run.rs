//! `cors-harness run`: drive the cases in real browsers and compare with the prediction.

use std::process::ExitCode;

use crate::cli::RunArgs;

pub fn execute(_args: RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cors-harness run` is not available yet")
}
