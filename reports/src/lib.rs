//! Renderers for one run's results.
//!
//! This crate owns the run report model ([`RunReport`]) — the versioned JSON document that is the
//! source of truth for a run — and turns it into the formats people and CI systems read: a terminal
//! summary, JSON, JUnit XML, a self-contained HTML matrix and a Markdown summary; it also compares a
//! run with a committed baseline. It renders and classifies; it never decides a CORS verdict.

mod atomic;
pub mod baseline;
mod error;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod model;
pub mod predict;
mod runs;
pub mod target;
pub mod terminal;
mod text;
mod write;

pub use atomic::write_atomically;
pub use baseline::{
    BaselineDiff, BaselineEntry, BrowserVersionChange, Change, load_baseline, update_baseline,
};
pub use error::ReportError;
pub use json::{from_json, to_json};
pub use model::{
    BrowserInfo, CaseBrowserReport, CaseReport, RequestReport, RunReport, SCHEMA_VERSION, Verdict,
};
pub use runs::{CaseRun, Totals};
pub use write::{WrittenReports, write_reports};
