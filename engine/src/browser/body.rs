//! Request bodies: the `Content-Type` a body adds by itself, and the bytes it sends (facts §1.3).

use std::borrow::Cow;

use crate::browser::Browser;
use crate::scenario::BodySpec;

// A fixed boundary in each browser's style; the value never matters for CORS (it is short and
// safelisted), only its presence does. Macros, so each form `Content-Type` below is one literal.
macro_rules! chrome_boundary {
    () => {
        "----WebKitFormBoundaryCorsHarness0001"
    };
}
macro_rules! firefox_boundary {
    () => {
        "----geckoformboundarycorsharness0001"
    };
}

/// The `Content-Type` the browser adds for `body` when the script set none; `None` when the body
/// type adds nothing (a type-less Blob, a ReadableStream).
pub fn automatic_content_type(browser: Browser, body: &BodySpec) -> Option<&str> {
    match body {
        BodySpec::Text { .. } => Some("text/plain;charset=UTF-8"),
        BodySpec::Blob { r#type, .. } if r#type.is_empty() => None,
        BodySpec::Blob { r#type, .. } => Some(r#type),
        BodySpec::UrlSearchParams { .. } => Some("application/x-www-form-urlencoded;charset=UTF-8"),
        BodySpec::FormData { .. } => Some(match browser {
            Browser::Chrome => concat!("multipart/form-data; boundary=", chrome_boundary!()),
            Browser::Firefox => concat!("multipart/form-data; boundary=", firefox_boundary!()),
        }),
        BodySpec::ReadableStream { .. } => None,
    }
}

fn boundary(browser: Browser) -> &'static str {
    match browser {
        Browser::Chrome => chrome_boundary!(),
        Browser::Firefox => firefox_boundary!(),
    }
}

/// The bytes the body puts on the wire: borrowed from the scenario unless the browser encodes
/// them (form data).
pub fn bytes(browser: Browser, body: &BodySpec) -> Cow<'_, [u8]> {
    match body {
        BodySpec::Text { text }
        | BodySpec::Blob { text, .. }
        | BodySpec::UrlSearchParams { text }
        | BodySpec::ReadableStream { text } => Cow::Borrowed(text.as_bytes()),
        BodySpec::FormData { fields } => {
            let b = boundary(browser);
            let mut out = String::new();
            for (name, value) in fields {
                for piece in [
                    "--",
                    b,
                    "\r\nContent-Disposition: form-data; name=\"",
                    name,
                    "\"\r\n\r\n",
                    value,
                    "\r\n",
                ] {
                    out.push_str(piece);
                }
            }
            for piece in ["--", b, "--\r\n"] {
                out.push_str(piece);
            }
            Cow::Owned(out.into_bytes())
        }
    }
}

/// Whether the body is a `ReadableStream` (sets the use-CORS-preflight flag where the profile
/// honours it).
pub fn is_stream(body: &BodySpec) -> bool {
    matches!(body, BodySpec::ReadableStream { .. })
}
