//! The run report as JSON (`docs/run-json.md`): what `--format json` prints and `report.json` holds.

use serde::Deserialize;

use crate::error::ReportError;
use crate::model::{RunReport, SCHEMA_VERSION};

/// The report as pretty-printed JSON, ending with a newline.
pub fn to_json(report: &RunReport) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .expect("a RunReport always serialises: every map key in it is a string");
    text.push('\n');
    text
}

/// Reads a report written by [`to_json`] (this version or an older compatible one).
///
/// The schema version is checked before the rest, so a document from a newer, incompatible
/// cors-harness is reported as such instead of as a confusing missing-field error.
pub fn from_json(text: &str) -> Result<RunReport, ReportError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: u32,
    }
    let VersionOnly { schema_version } = serde_json::from_str(text)?;
    if schema_version > SCHEMA_VERSION {
        return Err(ReportError::UnsupportedSchema {
            found: schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(serde_json::from_str(text)?)
}
