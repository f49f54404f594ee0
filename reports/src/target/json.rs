//! The target report as JSON (`docs/external-targets.md`).

/// The JSON document (pretty-printed).
pub fn render_json(report: &super::TargetReport) -> String {
    // The report holds only strings, numbers and derived enums: serialising cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
