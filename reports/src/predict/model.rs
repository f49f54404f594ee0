//! The prediction report: what `cors-harness predict --format json` prints
//! (`docs/predict-json.md`) and what its human rendering reads.
//!
//! The JSON shape is a contract: add fields, never rename or remove them, and bump
//! [`PREDICT_SCHEMA_VERSION`] only for an incompatible change.

use std::collections::BTreeMap;
use std::fmt;

use cors_engine::config::SourceFormat;
use cors_engine::observation::{Outcome, RequestResult};
use cors_engine::s3::S3Error;
use cors_engine::scenario::RequestKind;
use cors_engine::trace::TraceStep;
use cors_engine::{Browser, ReasonCode};
use serde::Serialize;

/// The version of the `--format json` document; bumped only on incompatible changes.
pub const PREDICT_SCHEMA_VERSION: u32 = 1;

/// The document `predict --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictReport {
    pub schema_version: u32,
    pub cases: Vec<CasePrediction>,
    pub summary: PredictSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PredictSummary {
    pub cases: usize,
    pub broken: usize,
    pub requests: usize,
    pub expectation_failures: usize,
}

impl PredictSummary {
    /// Counts `cases`.
    pub fn of(cases: &[CasePrediction]) -> Self {
        let mut summary = PredictSummary {
            cases: cases.len(),
            broken: 0,
            requests: 0,
            expectation_failures: 0,
        };
        for case in cases {
            if case.error.is_some() {
                summary.broken += 1;
            }
            if let Some(config) = &case.config {
                summary.expectation_failures += usize::from(config.expectation_failure.is_some());
            }
            for browser in &case.browsers {
                summary.requests += browser.requests.len();
                summary.expectation_failures += browser
                    .requests
                    .iter()
                    .map(|r| r.expectation_failures.len())
                    .sum::<usize>();
            }
        }
        summary
    }

    /// 2 when a case file is broken, else 1 when an expectation fails, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.broken > 0 {
            2
        } else if self.expectation_failures > 0 {
            1
        } else {
            0
        }
    }
}

/// One case file: its prediction in each browser, or why it did not load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CasePrediction {
    pub id: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The case's server, under the document's historical key `target`.
    #[serde(rename = "target", skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerPrediction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<ConfigPrediction>,
    pub browsers: Vec<BrowserPrediction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<LoadError>,
}

/// What the case's requests go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ServerPrediction {
    Bucket { name: String, endpoint: String },
    Server { origin: String },
}

/// The bucket's CORS configuration as S3's PutBucketCors takes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigPrediction {
    /// `console-json`, `cli-json` or `xml`; absent when the bucket has no configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<SourceFormat>,
    /// Whether the bucket ends up with a CORS configuration.
    pub present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_error: Option<S3Error>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_cors_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation_failure: Option<ConfigExpectationFailure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrowserPrediction {
    pub browser: Browser,
    pub requests: Vec<RequestPrediction>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestPrediction {
    pub index: usize,
    pub line: usize,
    pub kind: RequestKind,
    pub method: String,
    pub url: String,
    pub predicted: RequestResult,
    pub trace: Vec<TraceStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<ExpectFields>,
    pub expectation_failures: Vec<ExpectationFailure>,
}

/// Why a case file did not load, and where: the file, the 1-based line and column, and the
/// dotted key (e.g. `request[2].expect.outcome`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// What the author expects of one response header the page reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadableExpect {
    /// The page reads exactly this value.
    Value(String),
    /// The page reads some value (`true`).
    Readable,
    /// The header is hidden from the page, or absent (`false`).
    Hidden,
}

/// The assertions for one browser; `None` fields are not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExpectFields {
    pub outcome: Option<Outcome>,
    pub preflight: Option<bool>,
    pub status: Option<u16>,
    /// Header names lower-cased.
    pub readable: BTreeMap<String, ReadableExpect>,
    pub canvas_tainted: Option<bool>,
    pub reason: Option<ReasonCode>,
}

impl ExpectFields {
    pub fn is_empty(&self) -> bool {
        *self == ExpectFields::default()
    }
}

/// One assertion that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationFailure {
    /// `outcome`, `preflight`, `status`, `readable.<name>`, `canvas_tainted` or `reason`.
    pub field: String,
    pub expected: serde_json::Value,
    pub actual: serde_json::Value,
}

impl std::fmt::Display for ExpectationFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.field, self.expected, self.actual
        )
    }
}

/// The case-level assertion on PutBucketCors (`bucket.expect_cors_error`) did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigExpectationFailure {
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub message: String,
}
