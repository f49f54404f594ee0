//! Renderers for one run's results.
//!
//! This crate turns the result of a `cors-harness run` into the formats people and CI systems read:
//! a terminal summary, versioned JSON (the source of truth), JUnit XML, a self-contained HTML matrix
//! and a Markdown summary. It renders; it never decides a verdict.
