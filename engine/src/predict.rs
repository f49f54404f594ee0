//! Runs a [`Scenario`] through the S3 (or raw server) model and a browser profile.

use serde::{Deserialize, Serialize};

use crate::browser::Browser;
use crate::observation::RequestResult;
use crate::scenario::Scenario;
use crate::trace::Trace;

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

pub fn predict(_scenario: &Scenario, _browser: Browser) -> Prediction {
    todo!("predict")
}
