//! The prediction report as JSON (`docs/predict-json.md`).

use super::model::PredictReport;

/// The document, pretty-printed, ending with a newline.
pub fn to_json(report: &PredictReport) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .expect("a PredictReport always serialises: every map key in it is a string");
    text.push('\n');
    text
}
