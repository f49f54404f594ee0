//! The one type both a prediction and a browser observation are expressed in (ARCHITECTURE.md).
//!
//! Comparing a prediction with an observation is field-by-field equality of [`RequestResult`]s;
//! [`RequestResult::differences`] names the fields that differ.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::http::{HeaderList, HeaderText};
use crate::reason::ReasonCode;

/// What the page could do with the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The page got a readable (CORS or same-origin) response; for elements, the load succeeded.
    Allowed,
    /// The request failed: a network error as far as the page can tell.
    Blocked,
    /// A `no-cors` response: status 0, no headers, no body (or, for elements, a tainted load).
    Opaque,
}

/// The value the page read for one response header: the string, or `None` when the browser hid
/// it (or it was absent).
pub type Readable = Option<String>;

/// One request/response pair that crossed the wire (seen by the proxy, or predicted to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireExchange {
    pub method: HeaderText,
    /// The absolute URL as the browser addressed it (the run's isolation prefix removed).
    pub url: String,
    /// The CORS request headers sent: `Origin`, `Access-Control-Request-Method`,
    /// `Access-Control-Request-Headers`, in the order they were sent.
    pub request_headers: HeaderList,
    pub status: u16,
    /// The CORS response headers (`Access-Control-*` and `Vary`), in wire order.
    pub response_headers: HeaderList,
}

impl WireExchange {
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS"
            && self
                .request_headers
                .contains("access-control-request-method")
    }
}

/// Why a request was blocked (or tainted): a stable code plus, where it can be read, the text the
/// browser logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    /// The console line. Predicted for both browsers; observed for Chrome only (Firefox's driver
    /// has no log endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<String>,
}

/// What happened to one request of a case, predicted or observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestResult {
    pub outcome: Outcome,
    /// An OPTIONS preflight for this request crossed the wire.
    pub preflight: bool,
    /// The status the page could see (`None` when blocked; `Some(0)` for opaque responses).
    pub status: Option<u16>,
    /// Each header named in the request's `read_headers`, lower-cased, to the value the page read.
    #[serde(default)]
    pub readable: BTreeMap<String, Readable>,
    /// For `img-canvas` requests: whether `getImageData` threw (the canvas was tainted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canvas_tainted: Option<bool>,
    /// Every exchange this request caused, in order (preflight first).
    #[serde(default)]
    pub wire: Vec<WireExchange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// A field of [`RequestResult`] that differs between prediction and observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// `outcome`, `preflight`, `status`, `readable.<name>`, `canvas_tainted` or `reason`.
    pub field: String,
    pub predicted: serde_json::Value,
    pub observed: serde_json::Value,
}

/// Response headers whose value depends on the moment or the server instance, not on CORS: the
/// clock (`Date`, `Last-Modified` of an object uploaded during the run) and S3's random request
/// ids. For these, [`RequestResult::differences`] compares only whether the page could read them.
pub const RUN_DEPENDENT_HEADERS: [&str; 4] =
    ["date", "last-modified", "x-amz-request-id", "x-amz-id-2"];

fn is_run_dependent(name: &str) -> bool {
    RUN_DEPENDENT_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

impl RequestResult {
    /// The named differences between `self` (predicted) and `observed`, over the compared fields:
    /// outcome, preflight, status, readable, canvas_tainted and the reason code. The reason is
    /// compared only when both sides carry one (Firefox observations never do). Readable values of
    /// [`RUN_DEPENDENT_HEADERS`] are compared for presence only.
    pub fn differences(&self, observed: &RequestResult) -> Vec<Difference> {
        let mut out = Vec::new();
        let mut field = |name: &str, p: serde_json::Value, o: serde_json::Value| {
            if p != o {
                out.push(Difference {
                    field: name.to_string(),
                    predicted: p,
                    observed: o,
                });
            }
        };
        field(
            "outcome",
            serde_json::json!(self.outcome),
            serde_json::json!(observed.outcome),
        );
        field(
            "preflight",
            self.preflight.into(),
            observed.preflight.into(),
        );
        field(
            "status",
            serde_json::json!(self.status),
            serde_json::json!(observed.status),
        );
        let names: std::collections::BTreeSet<&String> = self
            .readable
            .keys()
            .chain(observed.readable.keys())
            .collect();
        for name in names {
            let p = self.readable.get(name).cloned().flatten();
            let o = observed.readable.get(name).cloned().flatten();
            if is_run_dependent(name) && p.is_some() && o.is_some() {
                // Both sides could read it; the values differ by nature (clock, random ids).
                continue;
            }
            field(
                &format!("readable.{name}"),
                serde_json::json!(p),
                serde_json::json!(o),
            );
        }
        field(
            "canvas_tainted",
            serde_json::json!(self.canvas_tainted),
            serde_json::json!(observed.canvas_tainted),
        );
        if let (Some(p), Some(o)) = (&self.reason, &observed.reason) {
            field(
                "reason",
                serde_json::json!(p.code),
                serde_json::json!(o.code),
            );
        }
        out
    }
}
