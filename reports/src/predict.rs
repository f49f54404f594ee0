//! The report of `cors-harness predict`: its model ([`PredictReport`]) and its renderings as text
//! and JSON, in the same shape as the run report: one model module and one module per format.

mod json;
mod model;
mod text;

pub use json::to_json;
pub use model::{
    BrowserPrediction, CasePrediction, ConfigExpectationFailure, ConfigPrediction, ExpectFields,
    ExpectationFailure, LoadError, PREDICT_SCHEMA_VERSION, PredictReport, PredictSummary,
    ReadableExpect, RequestPrediction, ServerPrediction,
};
pub use text::render_text;
