//! The run report: what `cors-harness run --format json` prints and every renderer reads.
//!
//! The JSON shape is a contract (`docs/run-json.md`): add fields, never rename or remove them, and
//! bump [`SCHEMA_VERSION`] only for an incompatible change.

use cors_engine::observation::Difference;
use cors_engine::{Browser, RequestResult, Trace};
use serde::{Deserialize, Serialize};

/// Version of the JSON document.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub schema_version: u32,
    /// RFC 3339 UTC time the run started.
    pub started_at: String,
    pub duration_ms: u64,
    /// The browsers that took part, with the versions their drivers reported.
    pub browsers: Vec<BrowserInfo>,
    pub cases: Vec<CaseReport>,
    /// The run was interrupted (Ctrl-C): the case-browser runs that had not finished are
    /// infrastructure errors that say so. Absent (false) for a run that went to the end.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserInfo {
    pub browser: Browser,
    /// `browserVersion` from the WebDriver session, e.g. `156.0.8078.79`; empty when no session
    /// could be started.
    pub version: String,
    /// Time spent running this browser's cases (sessions included).
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    /// Path below the cases root without `.toml`, e.g. `s3/preflight/put-needs-method`.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The case file as given on the command line.
    pub file: String,
    /// Set when the case file could not be loaded; `browsers` is then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_error: Option<String>,
    #[serde(default)]
    pub browsers: Vec<CaseBrowserReport>,
}

/// The outcome of one case in one browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every request's observation equals its prediction, and every `expect` held.
    Agree,
    /// At least one compared field differs between prediction and observation.
    Diverge,
    /// Prediction and observation agree, but the case's `expect` does not hold.
    ExpectationFailed,
    /// The browser, its driver or the harness failed twice; not a CORS verdict.
    InfrastructureError,
    /// The case file did not load.
    LoadError,
}

impl Verdict {
    /// Every verdict, from best to worst.
    pub const ALL: [Verdict; 5] = [
        Verdict::Agree,
        Verdict::Diverge,
        Verdict::ExpectationFailed,
        Verdict::InfrastructureError,
        Verdict::LoadError,
    ];

    /// A short human label, e.g. `expectation failed`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Agree => "agree",
            Verdict::Diverge => "diverge",
            Verdict::ExpectationFailed => "expectation failed",
            Verdict::InfrastructureError => "infrastructure error",
            Verdict::LoadError => "load error",
        }
    }

    /// The stable kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Agree => "agree",
            Verdict::Diverge => "diverge",
            Verdict::ExpectationFailed => "expectation-failed",
            Verdict::InfrastructureError => "infrastructure-error",
            Verdict::LoadError => "load-error",
        }
    }

    /// The exit code a run with this verdict alone ends with (`docs/cli.md`).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Agree => 0,
            Verdict::Diverge | Verdict::ExpectationFailed => 1,
            Verdict::InfrastructureError | Verdict::LoadError => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseBrowserReport {
    pub browser: Browser,
    pub verdict: Verdict,
    pub duration_ms: u64,
    /// How many times the case was run (2 when the first attempt hit an infrastructure failure).
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infrastructure_error: Option<String>,
    /// Each failed `expect` in plain words, e.g. `request 2: expected outcome blocked, observed allowed`.
    #[serde(default)]
    pub expectation_failures: Vec<String>,
    #[serde(default)]
    pub requests: Vec<RequestReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestReport {
    /// A short label, e.g. `fetch PUT https://assets.s3.amazonaws.com/upload.txt`.
    pub label: String,
    pub predicted: RequestResult,
    /// Absent when the run never got that far (infrastructure error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<RequestResult>,
    pub agree: bool,
    #[serde(default)]
    pub differences: Vec<Difference>,
    /// The engine's step-by-step explanation of the prediction.
    pub explanation: Trace,
}

impl RunReport {
    /// The run's exit code: the worst verdict wins, 2 over 1 over 0.
    pub fn exit_code(&self) -> u8 {
        self.cases
            .iter()
            .flat_map(|c| {
                let load = c
                    .load_error
                    .as_ref()
                    .map(|_| Verdict::LoadError.exit_code());
                c.browsers.iter().map(|b| b.verdict.exit_code()).chain(load)
            })
            .max()
            .unwrap_or(0)
    }
}
