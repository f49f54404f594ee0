//! The browser stage's findings: for each case and browser run against the target, whether the
//! browser did what the engine predicts *given what the target sent* — the second verdict kind
//! of a target run, kept apart from the probe's "server deviates from S3".
//!
//! A run's verdict comes from the same comparison as `cors-harness run` ([`crate::compare`]),
//! without the case's `expect` assertions: those are about S3, and whether the target answers
//! like S3 is the probe's question.

use cors_engine::observation::Difference;
use cors_engine::scenario::RecordedExchange;
use cors_engine::{Browser, HeaderList};
use cors_reports::{CaseBrowserReport, Verdict};
use serde::{Deserialize, Serialize};

/// Every browser run of a target run, with their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserStage {
    pub summary: BrowserStageSummary,
    /// One per case and browser, in case order, Chrome before Firefox.
    pub runs: Vec<BrowserRun>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserStageSummary {
    /// Case-browser runs attempted.
    pub runs: usize,
    /// Runs whose every request the browser handled as the engine predicts from the target's
    /// answers.
    pub agree: usize,
    /// Runs with at least one differing field: the browser disagrees with the engine.
    pub disagree: usize,
    /// Runs that could not be observed (browser or driver failure, bucket seeding refused):
    /// no verdict.
    pub infrastructure_errors: usize,
    /// The browsers that ran, with the version their sessions reported.
    pub browsers: Vec<BrowserVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserVersion {
    pub browser: Browser,
    pub version: String,
}

/// A browser run's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BrowserVerdict {
    Agree,
    Disagree,
    InfrastructureError,
}

impl BrowserVerdict {
    pub fn name(self) -> &'static str {
        match self {
            BrowserVerdict::Agree => "agree",
            BrowserVerdict::Disagree => "disagree",
            BrowserVerdict::InfrastructureError => "infrastructure-error",
        }
    }
}

/// One case in one browser against the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserRun {
    pub case_id: String,
    pub browser: Browser,
    pub verdict: BrowserVerdict,
    /// The target bucket of the (last) attempt; each attempt has a fresh one.
    pub bucket: String,
    /// 1, or 2 when the first attempt hit an infrastructure error.
    pub attempts: u32,
    /// How many exchanges the target answered for the browser (the prediction's evidence).
    pub exchanges: usize,
    pub duration_ms: u64,
    /// Every field where the browser did something else than predicted, request by request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<BrowserDisagreement>,
    /// For a disagreeing run: what the target answered, so the prediction can be retraced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<RecordedAnswer>,
    /// Why the run has no verdict (infrastructure error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The run's bucket could not be deleted afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_error: Option<String>,
}

/// One field of one request that differs between the engine's prediction (from the target's
/// answers) and the browser's observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserDisagreement {
    /// 1-based `[[request]]` of the case.
    pub request_index: usize,
    /// e.g. `fetch PUT https://assets.s3.amazonaws.com/upload.txt`.
    pub request: String,
    /// `outcome`, `preflight`, `status`, `readable.<name>`, `canvas_tainted` or `reason`.
    pub field: String,
    pub predicted: serde_json::Value,
    pub observed: serde_json::Value,
}

/// A recorded exchange without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedAnswer {
    pub method: String,
    pub url: String,
    pub status: u16,
    pub headers: HeaderList,
}

impl From<&RecordedExchange> for RecordedAnswer {
    fn from(exchange: &RecordedExchange) -> Self {
        RecordedAnswer {
            method: exchange.method.clone(),
            url: exchange.url.clone(),
            status: exchange.status,
            headers: exchange.headers.clone(),
        }
    }
}

impl BrowserRun {
    /// The run as judged by [`crate::compare::compare_requests`] (without `expect`s), plus the
    /// target-side facts the report keeps.
    pub(crate) fn from_report(
        case_id: &str,
        report: &CaseBrowserReport,
        bucket: String,
        recorded: &[RecordedExchange],
    ) -> Self {
        let verdict = match report.verdict {
            Verdict::Diverge => BrowserVerdict::Disagree,
            Verdict::InfrastructureError | Verdict::LoadError => {
                BrowserVerdict::InfrastructureError
            }
            // Without assertions to check, agreement is all that is left.
            Verdict::Agree | Verdict::ExpectationFailed => BrowserVerdict::Agree,
        };
        let disagreements: Vec<BrowserDisagreement> = report
            .requests
            .iter()
            .enumerate()
            .flat_map(|(index, request)| {
                request
                    .differences
                    .iter()
                    .map(move |d: &Difference| BrowserDisagreement {
                        request_index: index + 1,
                        request: request.label.clone(),
                        field: d.field.clone(),
                        predicted: d.predicted.clone(),
                        observed: d.observed.clone(),
                    })
            })
            .collect();
        BrowserRun {
            case_id: case_id.to_owned(),
            browser: report.browser,
            verdict,
            bucket,
            attempts: report.attempts,
            exchanges: recorded.len(),
            duration_ms: report.duration_ms,
            recorded: if verdict == BrowserVerdict::Disagree {
                recorded.iter().map(RecordedAnswer::from).collect()
            } else {
                Vec::new()
            },
            disagreements,
            error: report.infrastructure_error.clone(),
            cleanup_error: None,
        }
    }

    /// A run that never produced an observation.
    pub(crate) fn failed(case_id: &str, browser: Browser, bucket: String, error: String) -> Self {
        BrowserRun {
            case_id: case_id.to_owned(),
            browser,
            verdict: BrowserVerdict::InfrastructureError,
            bucket,
            attempts: 0,
            exchanges: 0,
            duration_ms: 0,
            disagreements: Vec::new(),
            recorded: Vec::new(),
            error: Some(error),
            cleanup_error: None,
        }
    }
}

impl BrowserStage {
    pub fn new(runs: Vec<BrowserRun>, browsers: Vec<BrowserVersion>) -> Self {
        let count = |verdict| runs.iter().filter(|r| r.verdict == verdict).count();
        BrowserStage {
            summary: BrowserStageSummary {
                runs: runs.len(),
                agree: count(BrowserVerdict::Agree),
                disagree: count(BrowserVerdict::Disagree),
                infrastructure_errors: count(BrowserVerdict::InfrastructureError),
                browsers,
            },
            runs,
        }
    }

    /// Every disagreement as the cells of one table row, in [`DISAGREEMENT_COLUMNS`] order;
    /// each renderer escapes them its own way.
    pub fn disagreement_rows(&self) -> impl Iterator<Item = [String; 6]> + '_ {
        self.runs.iter().flat_map(|run| {
            run.disagreements.iter().map(move |d| {
                [
                    run.case_id.clone(),
                    run.browser.as_str().to_owned(),
                    format!("{}: {}", d.request_index, d.request),
                    d.field.clone(),
                    d.predicted.to_string(),
                    d.observed.to_string(),
                ]
            })
        })
    }

    /// The runs without a verdict or whose bucket stayed behind.
    pub fn unfinished_runs(&self) -> impl Iterator<Item = &BrowserRun> {
        self.runs
            .iter()
            .filter(|r| r.error.is_some() || r.cleanup_error.is_some())
    }
}

/// The columns of [`BrowserStage::disagreement_rows`].
pub const DISAGREEMENT_COLUMNS: [&str; 6] = [
    "case",
    "browser",
    "request",
    "field",
    "predicted",
    "observed",
];
