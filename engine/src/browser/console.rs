//! The console line each browser prints for a blocked (or tainted, or rejected) request, and the
//! reverse mapping from a real Chrome log line to a [`ReasonCode`] (facts §8.2, §8.3).
//!
//! Chrome's texts follow `cors_error_string.cc` (verified in the lab for Chromium 156); Firefox's
//! follow `security.properties` (source only: the lab could not capture Firefox's console). The
//! TypeError texts of rejected requests and the canvas exception are the exception messages the
//! page sees (Medium: the fetch-variant wording was inferred from the lab's `new Request` text).

use crate::browser::Browser;
use crate::browser::failure::{Failure, Rejection, Stage};
use crate::reason::ReasonCode;
use crate::scenario::RequestKind;
use crate::text::{Decimal, cat};

const CHROME_BLOCKED: &str = "has been blocked by CORS policy: ";
const CHROME_PREFLIGHT: &str = "Response to preflight request doesn't pass access control check: ";
const CHROME_FETCH_HINT: &str = " Have the server send the header with a valid value.";
const CHROME_XHR_CREDENTIALS_HINT: &str = " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.";
const CHROME_CANVAS: &str = "Failed to execute 'getImageData' on 'CanvasRenderingContext2D': The canvas has been tainted by cross-origin data.";

/// Where the failed request went and who made it.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleContext<'a> {
    pub kind: RequestKind,
    pub url: &'a str,
    pub origin: &'a str,
}

/// The console (or exception) text `browser` shows for `failure`; empty when it logs none
/// ([`ReasonCode::ElementLoadFailed`]).
pub fn render(browser: Browser, context: &ConsoleContext<'_>, failure: &Failure) -> String {
    match browser {
        Browser::Chrome => chrome(context, failure),
        Browser::Firefox => firefox(context, failure),
    }
}

/// Chromium's resource-type name in "Access to `<kind>` at …".
pub fn chrome_kind_name(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Fetch => "fetch",
        RequestKind::Xhr => "XMLHttpRequest",
        RequestKind::Img | RequestKind::ImgCanvas => "image",
        RequestKind::Script => "script",
        RequestKind::Font => "font",
    }
}

/// Chromium's name for the blocked resource in its mixed-content line ("requested an insecure
/// resource '…'"), as Chromium 156 logs it (checked in the lab, November 2026).
fn chrome_mixed_content_kind(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Fetch => "resource",
        RequestKind::Xhr => "XMLHttpRequest endpoint",
        RequestKind::Script => "script",
        RequestKind::Font => "font",
        // Images are upgraded to https, never blocked; Chromium calls them "element".
        RequestKind::Img | RequestKind::ImgCanvas => "element",
    }
}

/// The page URL the mixed-content line quotes: the engine knows only the page's origin, so
/// this is the origin's root (a real page's path differs).
fn page_url(origin: &str) -> String {
    format!("{}/", origin.trim_end_matches('/'))
}

fn chrome(context: &ConsoleContext<'_>, failure: &Failure) -> String {
    let v = failure.detail.as_str();
    match failure.stage {
        // A request stopped before the network: a TypeError, or mixed content.
        Stage::Request if failure.code == ReasonCode::RequestRejected => {
            return chrome_rejection(context, failure);
        }
        Stage::Request => {}
        Stage::Canvas => return CHROME_CANVAS.to_string(),
        Stage::Preflight | Stage::Actual => {}
    }
    let is_fetch = context.kind == RequestKind::Fetch;
    let is_xhr = context.kind == RequestKind::Xhr;
    let fetch_hint = if is_fetch { CHROME_FETCH_HINT } else { "" };
    let xhr_hint = if is_xhr {
        CHROME_XHR_CREDENTIALS_HINT
    } else {
        ""
    };
    // Each line is built from pieces into one exact-size string: blocked requests are a large
    // part of every run, and each renders its line.
    let reason: [&str; 4] = match failure.code {
        ReasonCode::AllowOriginMissing => [
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            "",
            "",
            "",
        ],
        ReasonCode::AllowOriginMismatch => [
            "The 'Access-Control-Allow-Origin' header has a value '",
            v,
            "' that is not equal to the supplied origin.",
            fetch_hint,
        ],
        ReasonCode::AllowOriginMultiple => [
            "The 'Access-Control-Allow-Origin' header contains multiple values '",
            v,
            "', but only one is allowed.",
            fetch_hint,
        ],
        ReasonCode::AllowOriginInvalid => [
            "The 'Access-Control-Allow-Origin' header contains the invalid value '",
            v,
            "'.",
            "",
        ],
        ReasonCode::WildcardOriginWithCredentials => [
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
            xhr_hint,
            "",
            "",
        ],
        ReasonCode::AllowCredentialsNotTrue => [
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '",
            v,
            "' which must be 'true' when the request's credentials mode is 'include'.",
            xhr_hint,
        ],
        ReasonCode::PreflightStatus => ["It does not have HTTP ok status.", "", "", ""],
        ReasonCode::PreflightRedirect => [
            "Redirect is not allowed for a preflight request.",
            "",
            "",
            "",
        ],
        ReasonCode::MethodNotAllowed => [
            "Method ",
            v,
            " is not allowed by Access-Control-Allow-Methods in preflight response.",
            "",
        ],
        ReasonCode::HeaderNotAllowed => [
            "Request header field ",
            v,
            " is not allowed by Access-Control-Allow-Headers in preflight response.",
            "",
        ],
        ReasonCode::AllowMethodsInvalid => [
            "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
            "",
            "",
            "",
        ],
        ReasonCode::AllowHeadersInvalid => [
            "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
            "",
            "",
            "",
        ],
        ReasonCode::CanvasTainted => return CHROME_CANVAS.to_string(),
        ReasonCode::RequestRejected => return chrome_rejection(context, failure),
        // No console line is known for an element that fails to decode: empty.
        ReasonCode::ElementLoadFailed => return String::new(),
        ReasonCode::StreamingUploadRequiresHttp2 => {
            // Not a CORS message: Chrome logs the failed load with its net error.
            return cat(&[v, " ", context.url, " net::ERR_H2_OR_QUIC_REQUIRED"]);
        }
        ReasonCode::MixedContent => {
            return format!(
                "Mixed Content: The page at '{}' was loaded over HTTPS, but requested an \
                 insecure {} '{}'. This request has been blocked; the content must be served \
                 over HTTPS.",
                page_url(context.origin),
                chrome_mixed_content_kind(context.kind),
                context.url
            );
        }
    };
    // The CORS check and the status/redirect checks of a preflight carry the extra prefix; the
    // method/header/parse failures do not (§8.2).
    let preflight_prefix = failure.stage == Stage::Preflight
        && !matches!(
            failure.code,
            ReasonCode::MethodNotAllowed
                | ReasonCode::HeaderNotAllowed
                | ReasonCode::AllowMethodsInvalid
                | ReasonCode::AllowHeadersInvalid
        );
    let [r0, r1, r2, r3] = reason;
    cat(&[
        "Access to ",
        chrome_kind_name(context.kind),
        " at '",
        context.url,
        "' from origin '",
        context.origin,
        "' ",
        CHROME_BLOCKED,
        if preflight_prefix {
            CHROME_PREFLIGHT
        } else {
            ""
        },
        r0,
        r1,
        r2,
        r3,
    ])
}

fn chrome_rejection(context: &ConsoleContext<'_>, failure: &Failure) -> String {
    let v = failure.detail.as_str();
    let api = match context.kind {
        RequestKind::Xhr => "Failed to execute 'open' on 'XMLHttpRequest': ",
        _ => "Failed to execute 'fetch' on 'Window': ",
    };
    match failure.rejection {
        Some(Rejection::InvalidMethod) => format!("{api}'{v}' is not a valid HTTP method."),
        Some(Rejection::ForbiddenMethod) => format!("{api}'{v}' HTTP method is unsupported."),
        Some(Rejection::MethodUnsupportedInNoCors) => {
            format!("{api}'{v}' is unsupported in no-cors mode.")
        }
        Some(Rejection::BodyWithGetOrHead) => {
            format!("{api}Request with GET/HEAD method cannot have body.")
        }
        // Low: wording taken from Blink's Request constructor, not observed.
        Some(Rejection::StreamInNoCors) => format!(
            "{api}If request is made from ReadableStream, mode should be\"same-origin\" or \"cors\""
        ),
        Some(Rejection::SameOriginModeCrossOrigin) => format!(
            "Fetch API cannot load {}. Request mode is \"same-origin\" but the URL's origin is not same as the request origin {}.",
            context.url, context.origin
        ),
        Some(Rejection::UnsupportedUrl) | None => format!("{api}Failed to parse URL from {v}"),
    }
}

fn firefox(context: &ConsoleContext<'_>, failure: &Failure) -> String {
    let v = failure.detail.as_str();
    let n = failure.status;
    let url = context.url;
    match failure.stage {
        Stage::Request if failure.code == ReasonCode::RequestRejected => {
            return firefox_rejection(context, failure);
        }
        Stage::Request => {}
        Stage::Canvas => return "The operation is insecure.".to_string(),
        Stage::Preflight | Stage::Actual => {}
    }
    let status = Decimal::new(n.into());
    let status = status.as_str();
    let reason: [&str; 3] = match failure.code {
        ReasonCode::AllowOriginMissing => [
            "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: ",
            status,
            ".",
        ],
        ReasonCode::AllowOriginMismatch | ReasonCode::AllowOriginInvalid => [
            "CORS header ‘Access-Control-Allow-Origin’ does not match ‘",
            v,
            "’).",
        ],
        ReasonCode::AllowOriginMultiple => [
            "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).",
            "",
            "",
        ],
        ReasonCode::WildcardOriginWithCredentials => {
            // The only message that quotes the URL.
            return cat(&[
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘",
                url,
                "’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            ]);
        }
        ReasonCode::AllowCredentialsNotTrue => [
            "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
            "",
            "",
        ],
        ReasonCode::PreflightStatus => [
            "CORS preflight response did not succeed). Status code: ",
            status,
            ".",
        ],
        ReasonCode::PreflightRedirect => ["CORS request external redirect not allowed).", "", ""],
        ReasonCode::MethodNotAllowed => [
            "Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
            "",
            "",
        ],
        ReasonCode::HeaderNotAllowed => [
            "header ‘",
            v,
            "’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
        ],
        ReasonCode::AllowMethodsInvalid => [
            "invalid token ‘",
            v,
            "’ in CORS header ‘Access-Control-Allow-Methods’).",
        ],
        ReasonCode::AllowHeadersInvalid => [
            "invalid token ‘",
            v,
            "’ in CORS header ‘Access-Control-Allow-Headers’).",
        ],
        ReasonCode::CanvasTainted => return "The operation is insecure.".to_string(),
        ReasonCode::RequestRejected => return firefox_rejection(context, failure),
        ReasonCode::StreamingUploadRequiresHttp2 => {
            ["CORS request did not succeed). Status code: ", status, "."]
        }
        ReasonCode::ElementLoadFailed => return String::new(),
        // Medium: `BlockMixedActiveContent` in security.properties (source only; the lab cannot
        // read Firefox's console). Fetch, XHR, scripts and fonts are all "active" content.
        ReasonCode::MixedContent => return format!("Blocked loading mixed active content “{url}”"),
    };
    let [r0, r1, r2] = reason;
    cat(&[
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ",
        url,
        ". (Reason: ",
        r0,
        r1,
        r2,
    ])
}

fn firefox_rejection(context: &ConsoleContext<'_>, failure: &Failure) -> String {
    let v = failure.detail.as_str();
    let api = match context.kind {
        RequestKind::Xhr => "XMLHttpRequest.open: ",
        _ => "Window.fetch: ",
    };
    match failure.rejection {
        Some(
            Rejection::InvalidMethod
            | Rejection::ForbiddenMethod
            | Rejection::MethodUnsupportedInNoCors,
        ) => format!("{api}Invalid request method {v}."),
        Some(Rejection::BodyWithGetOrHead) => {
            format!("{api}HEAD or GET Request cannot have a body.")
        }
        Some(Rejection::SameOriginModeCrossOrigin) => {
            "NetworkError when attempting to fetch resource.".to_string()
        }
        // Low: not observed.
        Some(Rejection::StreamInNoCors) => {
            format!("{api}Streams are only supported in cors and same-origin mode.")
        }
        Some(Rejection::UnsupportedUrl) | None => format!("{api}{v} is not a valid URL."),
    }
}

/// Maps a Chrome console (or exception) line back to its reason code. Accepts the line with any
/// prefix the WebDriver log adds (source URL, line number, quotes).
pub fn parse_chrome(text: &str) -> Option<ReasonCode> {
    if text.contains("The canvas has been tainted by cross-origin data") {
        return Some(ReasonCode::CanvasTainted);
    }
    const REJECTIONS: [&str; 6] = [
        "If request is made from ReadableStream",
        "is unsupported in no-cors mode",
        "HTTP method is unsupported",
        "is not a valid HTTP method",
        "method cannot have body",
        "Request mode is \"same-origin\"",
    ];
    if REJECTIONS.iter().any(|r| text.contains(r)) {
        return Some(ReasonCode::RequestRejected);
    }
    if text.contains("ERR_H2_OR_QUIC_REQUIRED") {
        return Some(ReasonCode::StreamingUploadRequiresHttp2);
    }
    // An upgraded image logs "Mixed Content: … automatically upgraded to HTTPS": no failure.
    if text.contains("Mixed Content: ") && text.contains("This request has been blocked") {
        return Some(ReasonCode::MixedContent);
    }
    let (_, reason) = text.split_once(CHROME_BLOCKED)?;
    let reason = reason.strip_prefix(CHROME_PREFLIGHT).unwrap_or(reason);
    const PREFIXES: [(&str, ReasonCode); 12] = [
        (
            "No 'Access-Control-Allow-Origin' header",
            ReasonCode::AllowOriginMissing,
        ),
        (
            "The 'Access-Control-Allow-Origin' header has a value",
            ReasonCode::AllowOriginMismatch,
        ),
        (
            "The 'Access-Control-Allow-Origin' header contains multiple values",
            ReasonCode::AllowOriginMultiple,
        ),
        (
            "The 'Access-Control-Allow-Origin' header contains the invalid value",
            ReasonCode::AllowOriginInvalid,
        ),
        (
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard",
            ReasonCode::WildcardOriginWithCredentials,
        ),
        (
            "The value of the 'Access-Control-Allow-Credentials' header",
            ReasonCode::AllowCredentialsNotTrue,
        ),
        (
            "It does not have HTTP ok status",
            ReasonCode::PreflightStatus,
        ),
        (
            "Redirect is not allowed for a preflight request",
            ReasonCode::PreflightRedirect,
        ),
        ("Method ", ReasonCode::MethodNotAllowed),
        ("Request header field ", ReasonCode::HeaderNotAllowed),
        (
            "Cannot parse Access-Control-Allow-Methods",
            ReasonCode::AllowMethodsInvalid,
        ),
        (
            "Cannot parse Access-Control-Allow-Headers",
            ReasonCode::AllowHeadersInvalid,
        ),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| reason.starts_with(prefix))
        .map(|(_, code)| *code)
}
