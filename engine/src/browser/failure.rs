//! Why the browser refused a request: a reason code plus the detail each console message needs.

use crate::reason::ReasonCode;

/// Where in the request's life the failure happened; it decides the console prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before anything reached the network (a TypeError thrown to the script).
    Request,
    /// While checking the preflight response.
    Preflight,
    /// While checking the actual response.
    Actual,
    /// After a successful no-cors image load, when the page read the canvas.
    Canvas,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: ReasonCode,
    pub stage: Stage,
    /// The value the message quotes: the `Access-Control-Allow-Origin` or
    /// `Access-Control-Allow-Credentials` value, the refused method, the refused header name, the
    /// invalid token, or the rejected method for a TypeError. Empty when the message quotes none.
    pub detail: String,
    /// Status of the response that failed the check (Firefox prints it in some messages).
    pub status: u16,
    /// For [`Stage::Request`] failures: which TypeError the script got.
    pub rejection: Option<Rejection>,
}

/// A request the script could not even make (a TypeError; nothing reaches the network).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The method is not an HTTP token.
    InvalidMethod,
    /// CONNECT, TRACE or TRACK (§1.2).
    ForbiddenMethod,
    /// A method other than GET/HEAD/POST in `no-cors` mode (§1.6).
    MethodUnsupportedInNoCors,
    /// `fetch()` with a body on GET or HEAD.
    BodyWithGetOrHead,
    /// A `ReadableStream` body in `no-cors` mode (the Request constructor allows streams only in
    /// `cors` and `same-origin` mode).
    StreamInNoCors,
    /// `mode: "same-origin"` for a cross-origin URL.
    SameOriginModeCrossOrigin,
    /// The URL is not an absolute http(s) URL.
    UnsupportedUrl,
}

impl Failure {
    pub fn new(code: ReasonCode, stage: Stage, detail: impl Into<String>, status: u16) -> Self {
        Self {
            code,
            stage,
            detail: detail.into(),
            status,
            rejection: None,
        }
    }

    /// A TypeError thrown before any network activity; `detail` is the method or URL the
    /// message quotes.
    pub fn rejected(rejection: Rejection, detail: impl Into<String>) -> Self {
        Self {
            code: ReasonCode::RequestRejected,
            stage: Stage::Request,
            detail: detail.into(),
            status: 0,
            rejection: Some(rejection),
        }
    }
}
