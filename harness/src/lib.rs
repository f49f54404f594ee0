//! cors-harness: loads case files, predicts with `cors-engine`, runs the cases in real Chrome and
//! Firefox through WebDriver, and compares what happened with what was predicted.
//!
//! The library holds everything the `cors-harness` binary does, so integration tests and the
//! conformance suite can call the same code:
//!
//! * [`case`]: the case-file model (TOML, `cases/README.md`), its loader and its conversion to an
//!   engine [`cors_engine::Scenario`];
//! * [`cli`] and [`commands`]: the command line and one module per subcommand;
//! * [`progress`]: the progress bar of long runs.

pub mod browsers;
pub mod case;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod progress;
pub mod runner;
pub mod session_pool;
pub mod target;
