//! Renderers for one run's results.
//!
//! This crate owns the run report model ([`RunReport`]) — the versioned JSON document that is the
//! source of truth for a run — and turns it into the formats people and CI systems read: a terminal
//! summary, JSON, JUnit XML, a self-contained HTML matrix and a Markdown summary; it also compares a
//! run with a committed baseline. It renders and classifies; it never decides a CORS verdict.

mod model;

pub use model::{
    BrowserInfo, CaseBrowserReport, CaseReport, RequestReport, RunReport, SCHEMA_VERSION, Verdict,
};
