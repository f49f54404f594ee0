//! Runs a [`Scenario`] through the S3 (or raw server) model and a browser profile.
//!
//! The requests run in order against one page: one virtual clock (advanced by each request's
//! `wait_ms`), one preflight cache and one HTTP cache, and one server whose state (the bucket's
//! objects) the requests change. `simulation` holds the per-request algorithm, `responder` the
//! server side, `bucket` the objects of an S3 bucket during a scenario (the S3 operations on them
//! come from [`crate::s3::object`]); [`server_exchanges`] hands out what the server model said.

use serde::{Deserialize, Serialize};

use crate::browser::Browser;
use crate::observation::RequestResult;
use crate::scenario::Scenario;
use crate::trace::Trace;

pub(crate) mod bucket;
mod incoming;
pub(crate) mod responder;
pub(crate) mod simulation;

pub use incoming::ServerExchange;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub browser: Browser,
    pub requests: Vec<RequestPrediction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestPrediction {
    pub result: RequestResult,
    pub trace: Trace,
}

/// What `browser` does with every request of `scenario`, and why.
pub fn predict(scenario: &Scenario, browser: Browser) -> Prediction {
    let mut page = simulation::Page::new(scenario, browser.profile());
    Prediction {
        browser,
        requests: scenario.requests.iter().map(|r| page.run(r)).collect(),
    }
}

/// What `browser` does with every request of `scenario`, without the explanations: the same
/// results as [`predict()`], for callers that only compare outcomes (it skips building every
/// trace sentence, the larger part of a prediction's cost).
pub fn predict_results(scenario: &Scenario, browser: Browser) -> Vec<RequestResult> {
    let mut page = simulation::Page::new(scenario, browser.profile());
    scenario
        .requests
        .iter()
        .map(|r| page.run_result(r))
        .collect()
}

/// The server's side of every request of `scenario` in `browser`: for each request, each
/// exchange the browser sends to the server (preflight first; none when a cache answers) with
/// the server's whole answer (status, every header, body). Built on the same run as
/// [`predict()`], so it is what the prediction assumed the server said.
pub fn server_exchanges(scenario: &Scenario, browser: Browser) -> Vec<Vec<ServerExchange>> {
    let mut page = simulation::Page::new(scenario, browser.profile());
    page.record_exchanges();
    scenario
        .requests
        .iter()
        .map(|r| {
            page.run(r);
            page.take_exchanges()
        })
        .collect()
}
