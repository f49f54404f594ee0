//! The browser stage's findings: for each case and browser run against the target, whether the
//! browser did what the engine predicts *given what the target sent* — the second verdict kind
//! of a target run, kept apart from the probe's "server deviates from S3".
//!
//! A run's verdict comes from the same comparison as `cors-harness run` ([`crate::compare`]),
//! without the case's `expect` assertions: those are about S3, and whether the target answers
//! like S3 is the probe's question. The report types are `cors_reports::target`'s.

use cors_engine::Browser;
use cors_engine::observation::Difference;
use cors_engine::scenario::RecordedExchange;
use cors_reports::target::{BrowserDisagreement, BrowserRun, BrowserVerdict, RecordedAnswer};
use cors_reports::{CaseBrowserReport, Verdict};

/// The run as judged by [`crate::compare::compare_requests`] (without `expect`s), plus the
/// target-side facts the report keeps.
pub(crate) fn judged_run(
    case_id: &str,
    report: &CaseBrowserReport,
    bucket: String,
    recorded: &[RecordedExchange],
) -> BrowserRun {
    let verdict = match report.verdict {
        Verdict::Diverge => BrowserVerdict::Disagree,
        Verdict::InfrastructureError | Verdict::LoadError => BrowserVerdict::InfrastructureError,
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
pub(crate) fn failed_run(
    case_id: &str,
    browser: Browser,
    bucket: String,
    error: String,
) -> BrowserRun {
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
