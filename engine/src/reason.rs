//! Stable reason codes for blocked (or tainted) requests.
//!
//! The codes are part of the JSON contract: add new ones, never rename old ones. Console texts for
//! each browser live in [`crate::browser::console`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    /// No `Access-Control-Allow-Origin` on the response.
    AllowOriginMissing,
    /// `Access-Control-Allow-Origin` is not the request's origin (nor an acceptable `*`).
    AllowOriginMismatch,
    /// Several `Access-Control-Allow-Origin` values (lines or a list).
    AllowOriginMultiple,
    /// `Access-Control-Allow-Origin` is not a valid origin.
    AllowOriginInvalid,
    /// `Access-Control-Allow-Origin: *` on a credentialed request.
    WildcardOriginWithCredentials,
    /// Credentialed request without `Access-Control-Allow-Credentials: true`.
    AllowCredentialsNotTrue,
    /// The preflight's status is not 2xx.
    PreflightStatus,
    /// The preflight was answered with a redirect.
    PreflightRedirect,
    /// The method is not covered by `Access-Control-Allow-Methods`.
    MethodNotAllowed,
    /// A request header is not covered by `Access-Control-Allow-Headers`.
    HeaderNotAllowed,
    /// `Access-Control-Allow-Methods` does not parse as a list of tokens.
    AllowMethodsInvalid,
    /// `Access-Control-Allow-Headers` does not parse as a list of tokens.
    AllowHeadersInvalid,
    /// The image loaded without CORS, so the canvas it was drawn on is tainted.
    CanvasTainted,
    /// The script could not even make the request (e.g. PUT in no-cors mode: TypeError).
    RequestRejected,
    /// A streaming (`ReadableStream`) upload over HTTP/1.1, which Chromium refuses
    /// (`net::ERR_H2_OR_QUIC_REQUIRED`) after any preflight: not a CORS failure, but the request
    /// fails all the same.
    StreamingUploadRequiresHttp2,
    /// An element's response passed (or skipped) CORS but the element still fired `error`: the
    /// image did not decode, the font did not parse, the script had a bad status or MIME type.
    /// Not a CORS failure; browsers log no CORS message for it.
    ElementLoadFailed,
    /// An `https` page requested an `http` URL with `fetch()`, XHR, `<script>` or a font: the
    /// browser blocked it as mixed content before sending anything (not a CORS failure).
    MixedContent,
}

impl ReasonCode {
    /// The stable kebab-case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::AllowOriginMissing => "allow-origin-missing",
            ReasonCode::AllowOriginMismatch => "allow-origin-mismatch",
            ReasonCode::AllowOriginMultiple => "allow-origin-multiple",
            ReasonCode::AllowOriginInvalid => "allow-origin-invalid",
            ReasonCode::WildcardOriginWithCredentials => "wildcard-origin-with-credentials",
            ReasonCode::AllowCredentialsNotTrue => "allow-credentials-not-true",
            ReasonCode::PreflightStatus => "preflight-status",
            ReasonCode::PreflightRedirect => "preflight-redirect",
            ReasonCode::MethodNotAllowed => "method-not-allowed",
            ReasonCode::HeaderNotAllowed => "header-not-allowed",
            ReasonCode::AllowMethodsInvalid => "allow-methods-invalid",
            ReasonCode::AllowHeadersInvalid => "allow-headers-invalid",
            ReasonCode::CanvasTainted => "canvas-tainted",
            ReasonCode::RequestRejected => "request-rejected",
            ReasonCode::StreamingUploadRequiresHttp2 => "streaming-upload-requires-http2",
            ReasonCode::ElementLoadFailed => "element-load-failed",
            ReasonCode::MixedContent => "mixed-content",
        }
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
