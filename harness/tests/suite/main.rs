//! The harness's tests that need no browser: case loading and its schema, the command line, and
//! the external-target probe. One module per area; the module names are the test-name prefixes
//! (`cargo test -p cors-harness --test suite target_cli::`).

#[path = "../support/mod.rs"]
mod support;

mod bucket_model_agrees;
mod case_loading;
mod case_schema;
mod cli_commands;
mod target_bucket_server;
mod target_cli;
mod target_external_servers;
mod target_forward;
