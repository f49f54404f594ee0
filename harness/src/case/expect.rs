//! The author's assertion on a request (`expect = { ... }`), with per-browser overrides, and the
//! check of a [`RequestResult`] (predicted or observed) against it.

use std::collections::BTreeMap;

use cors_engine::Browser;
use cors_engine::observation::{Outcome, RequestResult};
use cors_reports::predict::{ExpectFields, ExpectationFailure, ReadableExpect};
use serde::Serialize;

/// `expect` of one request: common assertions, then `expect.chrome` / `expect.firefox`
/// overriding them field by field for that browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub common: ExpectFields,
    pub per_browser: BTreeMap<Browser, ExpectFields>,
}

impl Expectation {
    /// The assertions that apply in `browser`.
    pub fn for_browser(&self, browser: Browser) -> ExpectFields {
        match self.per_browser.get(&browser) {
            Some(specific) => overridden(&self.common, specific),
            None => self.common.clone(),
        }
    }

    /// Checks `result` (a prediction or an observation in `browser`) against the assertions.
    ///
    /// The reason is checked only when `result` carries one, or when the request was allowed
    /// (an allowed request has no reason, so an expected reason fails): Firefox observations
    /// of blocked requests may carry no reason at all, and that is "unknown", not "wrong".
    pub fn check(&self, browser: Browser, result: &RequestResult) -> Vec<ExpectationFailure> {
        let expected = self.for_browser(browser);
        let mut failures = Vec::new();
        if let Some(outcome) = expected.outcome {
            compare(
                &mut failures,
                "outcome",
                serde_json::json!(outcome),
                serde_json::json!(result.outcome),
            );
        }
        if let Some(preflight) = expected.preflight {
            compare(
                &mut failures,
                "preflight",
                preflight.into(),
                result.preflight.into(),
            );
        }
        if let Some(status) = expected.status {
            compare(
                &mut failures,
                "status",
                status.into(),
                serde_json::json!(result.status),
            );
        }
        for (name, want) in &expected.readable {
            let got = result.readable.get(name).cloned().flatten();
            let holds = match want {
                ReadableExpect::Value(value) => got.as_deref() == Some(value.as_str()),
                ReadableExpect::Readable => got.is_some(),
                ReadableExpect::Hidden => got.is_none(),
            };
            if !holds {
                let expected = match want {
                    ReadableExpect::Value(value) => serde_json::json!(value),
                    ReadableExpect::Readable => serde_json::json!(true),
                    ReadableExpect::Hidden => serde_json::json!(false),
                };
                failures.push(ExpectationFailure {
                    field: format!("readable.{name}"),
                    expected,
                    actual: serde_json::json!(got),
                });
            }
        }
        if let Some(tainted) = expected.canvas_tainted {
            compare(
                &mut failures,
                "canvas_tainted",
                tainted.into(),
                serde_json::json!(result.canvas_tainted),
            );
        }
        if let Some(reason) = expected.reason {
            let actual = result.reason.as_ref().map(|r| r.code);
            let knowable = actual.is_some() || result.outcome == Outcome::Allowed;
            if knowable && actual != Some(reason) {
                compare(
                    &mut failures,
                    "reason",
                    serde_json::json!(reason),
                    serde_json::json!(actual),
                );
            }
        }
        failures
    }
}

fn compare(
    failures: &mut Vec<ExpectationFailure>,
    field: &str,
    expected: serde_json::Value,
    actual: serde_json::Value,
) {
    if expected != actual {
        failures.push(ExpectationFailure {
            field: field.to_owned(),
            expected,
            actual,
        });
    }
}

/// `common` with every field `specific` sets replaced (readable entries merged by name).
fn overridden(common: &ExpectFields, specific: &ExpectFields) -> ExpectFields {
    let mut readable = common.readable.clone();
    readable.extend(specific.readable.clone());
    ExpectFields {
        outcome: specific.outcome.or(common.outcome),
        preflight: specific.preflight.or(common.preflight),
        status: specific.status.or(common.status),
        readable,
        canvas_tainted: specific.canvas_tainted.or(common.canvas_tainted),
        reason: specific.reason.or(common.reason),
    }
}
