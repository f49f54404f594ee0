//! The one error type every fallible function of this crate returns.

use std::path::PathBuf;

/// Why a report could not be read, rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The text is not a run report (bad JSON, or a field of the wrong shape).
    #[error("not a cors-harness run report: {0}")]
    Json(#[from] serde_json::Error),

    /// The document was written by a newer, incompatible cors-harness.
    #[error(
        "run report schema version {found} is newer than the supported version {supported}; \
         upgrade cors-harness to read it"
    )]
    UnsupportedSchema { found: u32, supported: u32 },

    /// quick-junit refused to serialise the JUnit document.
    #[error("could not render JUnit XML: {0}")]
    Junit(#[from] quick_junit::SerializeError),

    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}", path = path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ReportError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ReportError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
