//! JUnit XML for CI test-result views: one testsuite per browser, one testcase per case there.
//!
//! A divergence or a failed expectation is a `<failure>` (the CORS behaviour is wrong); an
//! infrastructure or load error is an `<error>` (nothing was learnt about CORS) — the same line
//! the exit codes draw between 1 and 2.

use std::fmt::Write as _;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::error::ReportError;
use crate::model::{CaseBrowserReport, RequestReport, RunReport, Verdict};
use crate::runs::CaseRun;
use crate::text;

/// The report as a JUnit XML document.
pub fn to_junit(report: &RunReport) -> Result<String, ReportError> {
    let mut junit = Report::new("cors-harness");
    junit.set_time(millis(report.duration_ms));
    for browser in report.run_browsers() {
        let mut suite = TestSuite::new(browser.as_str());
        suite.add_property(Property::new("started_at", report.started_at.as_str()));
        if let Some(info) = report.browser_info(browser) {
            suite.set_time(millis(info.duration_ms));
            let version = if info.version.is_empty() {
                "unknown"
            } else {
                &info.version
            };
            suite.add_property(Property::new("browser.version", version));
        }
        suite.add_property(Property::new("browser.name", browser.as_str()));
        suite.add_test_cases(report.case_runs_in(browser).iter().map(test_case));
        junit.add_test_suite(suite);
    }
    Ok(junit.to_string()?)
}

fn test_case(run: &CaseRun<'_>) -> TestCase {
    let mut case = TestCase::new(run.case.id.as_str(), status(run));
    case.set_classname(run.browser.as_str());
    if let Some(result) = run.result {
        case.set_time(millis(result.duration_ms));
    }
    case.add_property(Property::new("title", run.case.title.as_str()));
    case.add_property(Property::new("file", run.case.file.as_str()));
    if !run.case.tags.is_empty() {
        case.add_property(Property::new("tags", run.case.tags.join(",")));
    }
    case
}

fn status(run: &CaseRun<'_>) -> TestCaseStatus {
    let (kind, message, description) = match (run.verdict, run.result) {
        (Verdict::Agree, _) => return TestCaseStatus::success(),
        (Verdict::LoadError, _) => (
            NonSuccessKind::Error,
            format!(
                "case file did not load: {}",
                run.case.load_error.as_deref().unwrap_or("unknown error")
            ),
            format!("file: {}", run.case.file),
        ),
        (_, None) => (
            NonSuccessKind::Error,
            format!("no result recorded for verdict {}", run.verdict.as_str()),
            String::new(),
        ),
        (Verdict::Diverge, Some(result)) => (
            NonSuccessKind::Failure,
            format!(
                "prediction and observation differ in {}",
                text::differing_fields(result)
            ),
            details(result),
        ),
        (Verdict::ExpectationFailed, Some(result)) => (
            NonSuccessKind::Failure,
            format!(
                "expectation failed: {}",
                result.expectation_failures.join("; ")
            ),
            details(result),
        ),
        (Verdict::InfrastructureError, Some(result)) => (
            NonSuccessKind::Error,
            format!(
                "infrastructure error after {} attempt{}: {}",
                result.attempts,
                if result.attempts == 1 { "" } else { "s" },
                result
                    .infrastructure_error
                    .as_deref()
                    .unwrap_or("unknown error")
            ),
            details(result),
        ),
    };
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(run.verdict.as_str());
    status.set_message(message);
    if !description.is_empty() {
        status.set_description(description);
    }
    status
}

/// The failure text: every request with its predicted and observed values, the differences, the
/// wire and the engine's explanation.
fn details(result: &CaseBrowserReport) -> String {
    let mut out = String::new();
    for failure in &result.expectation_failures {
        let _ = writeln!(out, "expectation failed: {failure}");
    }
    for (i, request) in result.requests.iter().enumerate() {
        let _ = writeln!(out, "request {}: {}", i + 1, request.label);
        request_details(&mut out, request);
    }
    out
}

fn request_details(out: &mut String, request: &RequestReport) {
    for d in &request.differences {
        let _ = writeln!(
            out,
            "  {}: predicted {}, observed {}",
            d.field,
            text::value(&d.predicted),
            text::value(&d.observed)
        );
    }
    out.push_str(&text::request_block(request, "  "));
}

fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}
