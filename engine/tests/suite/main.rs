//! The engine's integration tests, one module per area (the module names are the test-name
//! prefixes: `cargo test -p cors-engine --test suite browser_preflight::`).

mod browser_console;
mod browser_cors_check;
mod browser_differences;
mod browser_elements;
mod browser_exposed_headers;
mod browser_http_cache;
mod browser_lab_corrections;
mod browser_mixed_content;
mod browser_preflight;
mod browser_preflight_cache;
mod browser_request_headers;
mod config_parse;
mod config_validate;
mod layers;
mod lint;
mod predict_bucket;
mod predict_raw;
mod predict_recorded;
mod predict_results;
mod s3_actual;
mod s3_addressing;
mod s3_error;
mod s3_localstack_recorded;
mod s3_matching;
mod s3_preflight;
mod s3_smoke;
mod support;
