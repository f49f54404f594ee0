//! The runner page: its files on the page origin, the plan handed to its script, and the
//! per-request report it sends back.

use cors_engine::observation::{Outcome, Readable};
use cors_engine::scenario::RequestSpec;
use cors_servers::PageAssets;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The in-page script, run once per page load.
pub(crate) const PAGE_SCRIPT: &str = include_str!("page.js");

/// Path of the runner page under the run prefix.
pub(crate) const PAGE_PATH: &str = "/page";
/// Path the page fetches between requests to mark them in the wire log.
pub(crate) const MARKER_PATH: &str = "/mark";

/// The script passed to `execute_async`: run the plan, hand the results back.
pub(crate) const RUN_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
if (!window.corsHarness) {
  done({ fatal: "the runner page did not load its script" });
} else {
  window.corsHarness.run(arguments[0]).then(
    (results) => done({ results }),
    (error) => done({ fatal: String(error) }),
  );
}
"#;

/// The runner page's files: the page itself (script inline, no favicon request) and the
/// marker file.
pub(crate) fn page_assets() -> PageAssets {
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\
         <link rel=\"icon\" href=\"data:,\"><title>cors-harness runner</title>\
         <script>\n{PAGE_SCRIPT}\n</script></head><body></body></html>\n"
    );
    PageAssets::new()
        .with_file(PAGE_PATH, "text/html; charset=utf-8", html)
        .with_file(MARKER_PATH, "text/plain", "")
}

/// What the page script receives. Requests are the engine's own serialisation of
/// [`RequestSpec`] (URLs already rewritten into the run), which the page script reads as is.
#[derive(Debug, Serialize)]
pub(crate) struct Plan {
    /// Absolute marker URL, run prefix included.
    pub marker: String,
    /// Per-request limit inside the page.
    pub timeout_ms: u64,
    pub requests: Vec<RequestSpec>,
}

/// The page's answer to [`RUN_SCRIPT`].
#[derive(Debug, Deserialize)]
pub(crate) struct PageAnswer {
    #[serde(default)]
    pub results: Option<Vec<PageResult>>,
    #[serde(default)]
    pub fatal: Option<String>,
}

/// What the page observed for one request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct PageResult {
    pub outcome: Outcome,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub readable: BTreeMap<String, Readable>,
    #[serde(default)]
    pub canvas_tainted: Option<bool>,
    /// Exception or event text, when there was one.
    #[serde(default)]
    pub error: Option<String>,
    /// The browser refused to make the request at all (constructor threw).
    #[serde(default)]
    pub rejected: bool,
    /// No result within the page's per-request limit: an infrastructure problem.
    #[serde(default)]
    pub timed_out: bool,
    /// The page script itself failed: an infrastructure problem.
    #[serde(default)]
    pub page_error: bool,
    /// Time spent inside the page on this request.
    #[serde(default)]
    pub ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_engine::scenario::{BodySpec, CredentialsMode, Mode};

    #[test]
    fn request_specs_serialise_as_the_page_script_reads_them() {
        let mut spec = RequestSpec::fetch("https://b.example/x");
        spec.method = "PUT".into();
        spec.mode = Mode::NoCors;
        spec.credentials = CredentialsMode::Include;
        spec.body = Some(BodySpec::Blob {
            text: "hi".into(),
            r#type: "text/csv".into(),
        });
        spec.headers.push("X-A", "1");
        spec.headers.push("X-A", "2");
        let json = serde_json::to_value(&spec).unwrap();
        // The page script relies on exactly these names and values.
        assert_eq!(json["url"], "https://b.example/x");
        assert_eq!(json["kind"], "fetch");
        assert_eq!(json["mode"], "no-cors");
        assert_eq!(json["credentials"], "include");
        assert_eq!(json["cache"], "default");
        assert_eq!(
            json["headers"],
            serde_json::json!([["X-A", "1"], ["X-A", "2"]])
        );
        assert_eq!(
            json["body"],
            serde_json::json!({"kind": "blob", "text": "hi", "type": "text/csv"})
        );
        assert_eq!(json["read_headers"], serde_json::json!([]));
        assert_eq!(json["wait_ms"], 0);
        assert_eq!(json["upload_listener"], false);
    }

    #[test]
    fn page_results_parse_with_defaults() {
        let answer: PageAnswer = serde_json::from_value(serde_json::json!({
            "results": [
                {"outcome": "allowed", "status": 200, "readable": {"etag": "\"x\"", "x-hidden": null}, "ms": 3.5},
                {"outcome": "blocked", "error": "TypeError: Failed to fetch"},
            ]
        }))
        .unwrap();
        let results = answer.results.unwrap();
        assert_eq!(results[0].status, Some(200));
        assert_eq!(results[0].readable["x-hidden"], None);
        assert_eq!(results[1].outcome, Outcome::Blocked);
        assert!(!results[1].timed_out);
    }
}
