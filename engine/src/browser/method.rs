//! Request methods as `fetch()` and XHR treat them (facts §1.2).

use std::borrow::Cow;

/// Methods `fetch()`/XHR byte-uppercase when given in any case; every other method is sent as
/// written (`patch` stays `patch`).
const NORMALISED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Methods a script may never use (TypeError before any network activity).
const FORBIDDEN: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// The method as it goes on the wire.
pub fn normalise(method: &str) -> Cow<'_, str> {
    match NORMALISED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => Cow::Borrowed(m),
        None => Cow::Borrowed(method),
    }
}

pub fn is_forbidden(method: &str) -> bool {
    FORBIDDEN.iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// GET, HEAD and POST, compared byte for byte (after normalisation).
pub fn is_cors_safelisted(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}
