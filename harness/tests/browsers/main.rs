//! The harness's tests that start real Chromium and Firefox (installed by `bash ci/install.sh`):
//! the launcher, the runner and its recovery (a killed browser, a page that never yields), `run`'s
//! reports, and the browser stage of `run --target`. One module per area; the module names are the test-name prefixes
//! (`cargo test -p cors-harness --test browsers runner_recovery::`).

#[path = "../support/mod.rs"]
mod support;

mod run_reports;
mod runner_browsers;
mod runner_cases;
mod runner_cli_recovery;
mod runner_never_yields;
mod runner_recovery;
mod target_browser;
