//! Prediction versus observation for one case in one browser, and the verdict.
//!
//! Both sides are [`RequestResult`]s, so the comparison is the engine's own field-by-field
//! [`RequestResult::differences`] per request. The case's `expect` assertions (and
//! `bucket.expect_cors_error`) are checked against the prediction *and* the observation. The
//! verdict, worst first: infrastructure error (no observation at all), diverge (some compared
//! field differs), expectation-failed (both sides agree but an assertion does not hold), agree.

use std::time::Duration;

use cors_engine::observation::RequestResult;
use cors_engine::scenario::RequestSpec;
use cors_engine::{Browser, Prediction};
use cors_reports::{CaseBrowserReport, RequestReport, Verdict};

use crate::case::{Case, Expectation};
use crate::runner::{CaseObservation, InfrastructureError};

/// Compares `prediction` with what the browser did (or could not do) for `case`.
pub fn compare(
    case: &Case,
    browser: Browser,
    prediction: &Prediction,
    observation: Result<&CaseObservation, &InfrastructureError>,
) -> CaseBrowserReport {
    let specs: Vec<&RequestSpec> = case.requests.iter().map(|r| &r.spec).collect();
    let expectations: Vec<Option<&Expectation>> =
        case.requests.iter().map(|r| r.expect.as_ref()).collect();
    let config_failure = case.check_config_expectation().map(|f| f.message);
    compare_requests(
        browser,
        &specs,
        &expectations,
        config_failure,
        prediction,
        observation,
    )
}

/// [`compare`] on the parts of a case it needs.
pub fn compare_requests(
    browser: Browser,
    specs: &[&RequestSpec],
    expectations: &[Option<&Expectation>],
    config_failure: Option<String>,
    prediction: &Prediction,
    observation: Result<&CaseObservation, &InfrastructureError>,
) -> CaseBrowserReport {
    let mut expectation_failures: Vec<String> = config_failure.into_iter().collect();
    let (observed, attempts, elapsed, infrastructure_error) = match observation {
        Ok(observation) => {
            let observed: Vec<&RequestResult> =
                observation.requests.iter().map(|r| &r.result).collect();
            (
                Some(observed),
                observation.attempts,
                observation.elapsed,
                None,
            )
        }
        Err(error) => (
            None,
            error.attempts,
            Duration::ZERO,
            Some(describe_failure(error)),
        ),
    };
    let infrastructure_error = infrastructure_error.or_else(|| {
        let observed = observed.as_ref()?;
        (observed.len() != prediction.requests.len()).then(|| {
            format!(
                "{} requests observed, {} predicted",
                observed.len(),
                prediction.requests.len()
            )
        })
    });

    let mut requests = Vec::with_capacity(prediction.requests.len());
    for (index, predicted) in prediction.requests.iter().enumerate() {
        let observed = observed
            .as_ref()
            .filter(|_| infrastructure_error.is_none())
            .and_then(|o| o.get(index).copied());
        let differences = observed
            .map(|o| predicted.result.differences(o))
            .unwrap_or_default();
        if let Some(expectation) = expectations.get(index).copied().flatten() {
            for failure in expectation.check(browser, &predicted.result) {
                expectation_failures.push(format!(
                    "request {}: expected {} {}, predicted {}",
                    index + 1,
                    failure.field,
                    failure.expected,
                    failure.actual
                ));
            }
            if let Some(observed) = observed {
                for failure in expectation.check(browser, observed) {
                    expectation_failures.push(format!(
                        "request {}: expected {} {}, observed {}",
                        index + 1,
                        failure.field,
                        failure.expected,
                        failure.actual
                    ));
                }
            }
        }
        requests.push(RequestReport {
            label: specs.get(index).map(|s| label(s)).unwrap_or_default(),
            predicted: predicted.result.clone(),
            observed: observed.cloned(),
            agree: observed.is_some() && differences.is_empty(),
            differences,
            explanation: predicted.trace.clone(),
        });
    }

    let verdict = if infrastructure_error.is_some() {
        Verdict::InfrastructureError
    } else if requests.iter().any(|r| !r.differences.is_empty()) {
        Verdict::Diverge
    } else if !expectation_failures.is_empty() {
        Verdict::ExpectationFailed
    } else {
        Verdict::Agree
    };
    CaseBrowserReport {
        browser,
        verdict,
        duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        attempts,
        infrastructure_error,
        expectation_failures,
        requests,
    }
}

/// The last error, and what went wrong before it (the attempt count is reported separately).
fn describe_failure(error: &InfrastructureError) -> String {
    let mut text = error.error.to_string();
    for earlier in &error.earlier {
        text.push_str(&format!("; an earlier attempt failed too: {earlier}"));
    }
    text
}

/// `fetch PUT https://assets.s3.amazonaws.com/upload.txt`, `img-canvas https://…/cat.png`.
pub fn label(spec: &RequestSpec) -> String {
    let kind = serde_json::to_value(spec.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match spec.kind {
        cors_engine::scenario::RequestKind::Fetch | cors_engine::scenario::RequestKind::Xhr => {
            format!("{kind} {} {}", spec.method, spec.url)
        }
        _ => format!("{kind} {}", spec.url),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cors_engine::observation::Outcome;
    use cors_engine::predict;

    use super::*;
    use crate::case::parse_case;
    use crate::runner::{ObservedRequest, RunError};

    const CASE: &str = r#"
title = "GET allowed by a matching rule"
page = "https://app.example.com"

[bucket]
name = "assets"
endpoint = "https://assets.s3.amazonaws.com"
cors = '[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]'

[bucket.objects."a.txt"]
content_type = "text/plain"
body = "hello"

[[request]]
kind = "fetch"
url = "/a.txt"
expect = { outcome = "allowed" }
"#;

    fn case() -> Case {
        parse_case(CASE, Path::new("cases/t.toml"), "t").expect("the test case parses")
    }

    /// An observation identical to the prediction, as a browser that agrees would report it.
    fn observed_as_predicted(prediction: &Prediction) -> CaseObservation {
        CaseObservation {
            browser: prediction.browser,
            browser_version: "1.0".into(),
            requests: prediction
                .requests
                .iter()
                .map(|p| ObservedRequest {
                    result: p.result.clone(),
                    page_error: None,
                })
                .collect(),
            attempts: 1,
            retried_after: Vec::new(),
            elapsed: Duration::from_millis(12),
        }
    }

    #[test]
    fn identical_results_agree() {
        let case = case();
        let prediction = predict(&case.to_scenario(), Browser::Chrome);
        let observation = observed_as_predicted(&prediction);
        let report = compare(&case, Browser::Chrome, &prediction, Ok(&observation));
        assert_eq!(report.verdict, Verdict::Agree, "{report:#?}");
        assert!(report.requests[0].agree);
        assert_eq!(
            report.requests[0].label,
            "fetch GET https://assets.s3.amazonaws.com/a.txt"
        );
    }

    #[test]
    fn a_wrong_prediction_diverges_on_the_named_field() {
        let case = case();
        let right = predict(&case.to_scenario(), Browser::Firefox);
        let observation = observed_as_predicted(&right);
        let mut wrong = right.clone();
        wrong.requests[0].result.outcome = Outcome::Blocked;
        wrong.requests[0].result.status = None;
        let report = compare(&case, Browser::Firefox, &wrong, Ok(&observation));
        assert_eq!(report.verdict, Verdict::Diverge);
        let fields: Vec<&str> = report.requests[0]
            .differences
            .iter()
            .map(|d| d.field.as_str())
            .collect();
        assert_eq!(fields, ["outcome", "status"]);
        assert_eq!(report.requests[0].differences[0].predicted, "blocked");
        assert_eq!(report.requests[0].differences[0].observed, "allowed");
        assert!(!report.requests[0].agree);
        // The wrong prediction also breaks the author's `expect`, and that is reported too.
        assert_eq!(
            report.expectation_failures,
            ["request 1: expected outcome \"allowed\", predicted \"blocked\""]
        );
    }

    #[test]
    fn agreement_that_breaks_an_expectation_is_expectation_failed() {
        let case = case();
        let mut prediction = predict(&case.to_scenario(), Browser::Chrome);
        prediction.requests[0].result.outcome = Outcome::Opaque;
        let observation = observed_as_predicted(&prediction);
        let report = compare(&case, Browser::Chrome, &prediction, Ok(&observation));
        assert_eq!(report.verdict, Verdict::ExpectationFailed);
        assert_eq!(report.expectation_failures.len(), 2);
    }

    #[test]
    fn no_observation_is_an_infrastructure_error_not_a_divergence() {
        let case = case();
        let prediction = predict(&case.to_scenario(), Browser::Chrome);
        let error = InfrastructureError {
            attempts: 2,
            earlier: vec!["browser crashed".into()],
            error: RunError::Page {
                message: "browser crashed".into(),
            },
        };
        let report = compare(&case, Browser::Chrome, &prediction, Err(&error));
        assert_eq!(report.verdict, Verdict::InfrastructureError);
        assert_eq!(report.attempts, 2);
        assert!(report.requests[0].observed.is_none());
        assert!(report.requests[0].differences.is_empty());
        assert!(
            report
                .infrastructure_error
                .as_deref()
                .unwrap()
                .contains("an earlier attempt failed too: browser crashed")
        );
    }
}
