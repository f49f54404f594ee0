//! The target report: what `cors-harness run --target` prints with `--format json` and writes
//! as `target-report.json` (`docs/external-targets.md`), and what every target renderer reads.
//!
//! Two verdict kinds, never mixed: the probe's [`ServerDeviation`]s ("the server deviates from
//! S3") and the browser stage's [`BrowserRun`]s ("the browser disagrees with the engine, given
//! what the target sent"). The JSON shape is a contract: add fields, never rename or remove
//! them, and bump [`TARGET_REPORT_SCHEMA_VERSION`] only for an incompatible change.

use std::collections::BTreeSet;

use cors_engine::scenario::RecordedExchange;
use cors_engine::{Browser, HeaderList};
use serde::{Deserialize, Serialize};

/// Version of the JSON document; bumped on any incompatible change.
pub const TARGET_REPORT_SCHEMA_VERSION: u32 = 1;
/// How many examples each kind keeps in the summary.
const EXAMPLES_PER_KIND: usize = 3;

/// Everything one probe run found about one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetReport {
    pub schema_version: u32,
    pub target: TargetInfo,
    pub summary: ConformanceSummary,
    pub cases: Vec<CaseProbe>,
    /// Buckets the probe created and could not delete (empty when the target is clean again).
    pub leftover_buckets: Vec<String>,
    /// The browser runs against the target; absent when they did not run (`--probe-only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_stage: Option<BrowserStage>,
}

/// The target, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInfo {
    pub endpoint: String,
    pub region: String,
    pub addressing: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConformanceSummary {
    /// Bucket cases probed (literal-server cases are not about S3 and are left out).
    pub cases_probed: usize,
    /// Cases whose every answer matched S3's exactly.
    pub cases_matching: usize,
    /// Cases with at least one deviation.
    pub cases_deviating: usize,
    /// Cases the probe could not finish (see each case's `error`).
    pub cases_failed: usize,
    pub exchanges: usize,
    pub deviations: usize,
    /// One entry per kind that occurred, in [`DeviationKind::ALL`] order.
    pub by_kind: Vec<KindSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindSummary {
    pub kind: DeviationKind,
    pub count: usize,
    /// How many cases show it.
    pub cases: usize,
    /// The first few deviations of this kind, in case order.
    pub examples: Vec<ServerDeviation>,
}

impl TargetReport {
    pub fn new(target: TargetInfo, cases: Vec<CaseProbe>, leftover_buckets: Vec<String>) -> Self {
        let all: Vec<&ServerDeviation> = cases.iter().flat_map(|c| &c.deviations).collect();
        let by_kind = DeviationKind::ALL
            .iter()
            .filter_map(|&kind| {
                let of_kind: Vec<&&ServerDeviation> =
                    all.iter().filter(|d| d.kind == kind).collect();
                (!of_kind.is_empty()).then(|| KindSummary {
                    kind,
                    count: of_kind.len(),
                    cases: of_kind
                        .iter()
                        .map(|d| d.case_id.as_str())
                        .collect::<BTreeSet<_>>()
                        .len(),
                    examples: of_kind
                        .iter()
                        .take(EXAMPLES_PER_KIND)
                        .map(|d| (**d).clone())
                        .collect(),
                })
            })
            .collect();
        let summary = ConformanceSummary {
            cases_probed: cases.len(),
            cases_matching: cases.iter().filter(|c| c.matches_s3()).count(),
            cases_deviating: cases.iter().filter(|c| !c.deviations.is_empty()).count(),
            cases_failed: cases.iter().filter(|c| c.error.is_some()).count(),
            exchanges: cases.iter().map(|c| c.exchanges).sum(),
            deviations: all.len(),
            by_kind,
        };
        TargetReport {
            schema_version: TARGET_REPORT_SCHEMA_VERSION,
            target,
            summary,
            cases,
            leftover_buckets,
            browser_stage: None,
        }
    }

    /// Whether the target deviates from S3 or a browser disagrees with the engine (exit 1).
    pub fn has_findings(&self) -> bool {
        self.summary.deviations > 0
            || self
                .browser_stage
                .as_ref()
                .is_some_and(|stage| stage.summary.disagree > 0)
    }

    /// Whether something kept the run from giving every verdict (exit 2): a case the probe
    /// could not finish, a browser run without a verdict, or a bucket left on the target.
    pub fn has_infrastructure_errors(&self) -> bool {
        self.summary.cases_failed > 0
            || !self.leftover_buckets.is_empty()
            || self
                .browser_stage
                .as_ref()
                .is_some_and(|stage| stage.summary.infrastructure_errors > 0)
    }

    /// Every deviation of every case, in case order.
    pub fn deviations(&self) -> impl Iterator<Item = &ServerDeviation> {
        self.cases.iter().flat_map(|c| &c.deviations)
    }

    /// The cases the probe could not finish or clean up after.
    pub fn unfinished_cases(&self) -> impl Iterator<Item = &CaseProbe> {
        self.cases
            .iter()
            .filter(|c| c.error.is_some() || c.cleanup_error.is_some())
    }
}

/// What probing one case found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseProbe {
    pub case_id: String,
    pub title: String,
    /// The browser whose predicted wire exchanges were sent.
    pub browser: Browser,
    /// The bucket created for the case on the target.
    pub bucket: String,
    /// How many exchanges were sent and compared.
    pub exchanges: usize,
    pub deviations: Vec<ServerDeviation>,
    /// Why the requests were not probed, when they were not (the configuration step deviated,
    /// so every answer would differ for the same reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// An infrastructure failure that stopped the probe (unreachable target, bucket creation
    /// refused, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The bucket could not be deleted afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_error: Option<String>,
}

impl CaseProbe {
    /// The target answered exactly as S3 would, and the probe ran to the end.
    pub fn matches_s3(&self) -> bool {
        self.deviations.is_empty() && self.error.is_none() && self.skipped.is_none()
    }
}

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationKind {
    /// Another HTTP status than S3's.
    Status,
    /// S3 sends this CORS header; the target does not.
    HeaderMissing,
    /// The target sends a CORS header S3 does not.
    HeaderExtra,
    /// Both send the header, with different values.
    HeaderValue,
    /// `Vary` present on one side only.
    Vary,
    /// Both answer an error, with different `Code`s (or one has no code).
    ErrorCode,
    /// The target stores a configuration S3 rejects.
    ConfigAccepted,
    /// The target rejects a configuration S3 stores.
    ConfigRejected,
    /// Both reject the configuration, with different error codes.
    ConfigErrorCode,
}

impl DeviationKind {
    pub const ALL: [DeviationKind; 9] = [
        DeviationKind::Status,
        DeviationKind::HeaderMissing,
        DeviationKind::HeaderExtra,
        DeviationKind::HeaderValue,
        DeviationKind::Vary,
        DeviationKind::ErrorCode,
        DeviationKind::ConfigAccepted,
        DeviationKind::ConfigRejected,
        DeviationKind::ConfigErrorCode,
    ];

    /// The kebab-case name used in JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            DeviationKind::Status => "status",
            DeviationKind::HeaderMissing => "header-missing",
            DeviationKind::HeaderExtra => "header-extra",
            DeviationKind::HeaderValue => "header-value",
            DeviationKind::Vary => "vary",
            DeviationKind::ErrorCode => "error-code",
            DeviationKind::ConfigAccepted => "config-accepted",
            DeviationKind::ConfigRejected => "config-rejected",
            DeviationKind::ConfigErrorCode => "config-error-code",
        }
    }
}

/// One way the target's answer differs from S3's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerDeviation {
    pub case_id: String,
    /// 1-based `[[request]]` of the case; `None` for the PutBucketCors step.
    pub request_index: Option<usize>,
    /// Method and the case's URL (`OPTIONS http://assets.s3.amazonaws.com/a.txt`), or
    /// `PUT ?cors` for the configuration step.
    pub exchange: String,
    pub kind: DeviationKind,
    /// The header concerned, for the header kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// S3's side (`None`: absent).
    pub expected: Option<String>,
    /// The target's side (`None`: absent).
    pub actual: Option<String>,
}

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

    /// The runs without a verdict or whose bucket stayed behind.
    pub fn unfinished_runs(&self) -> impl Iterator<Item = &BrowserRun> {
        self.runs
            .iter()
            .filter(|r| r.error.is_some() || r.cleanup_error.is_some())
    }
}
