//! Request bodies: the `Content-Type` a body adds by itself, and the bytes it sends (facts §1.3).

use crate::browser::Browser;
use crate::scenario::BodySpec;

/// The `Content-Type` the browser adds for `body` when the script set none; `None` when the body
/// type adds nothing (a type-less Blob, a ReadableStream).
pub fn automatic_content_type(browser: Browser, body: &BodySpec) -> Option<String> {
    match body {
        BodySpec::Text { .. } => Some("text/plain;charset=UTF-8".to_string()),
        BodySpec::Blob { r#type, .. } if r#type.is_empty() => None,
        BodySpec::Blob { r#type, .. } => Some(r#type.clone()),
        BodySpec::UrlSearchParams { .. } => {
            Some("application/x-www-form-urlencoded;charset=UTF-8".to_string())
        }
        BodySpec::FormData { .. } => Some(format!(
            "multipart/form-data; boundary={}",
            boundary(browser)
        )),
        BodySpec::ReadableStream { .. } => None,
    }
}

/// A fixed boundary in each browser's style; the value never matters for CORS (it is short and
/// safelisted), only its presence does.
fn boundary(browser: Browser) -> &'static str {
    match browser {
        Browser::Chrome => "----WebKitFormBoundaryCorsHarness0001",
        Browser::Firefox => "----geckoformboundarycorsharness0001",
    }
}

/// The bytes the body puts on the wire.
pub fn bytes(browser: Browser, body: &BodySpec) -> Vec<u8> {
    match body {
        BodySpec::Text { text }
        | BodySpec::Blob { text, .. }
        | BodySpec::UrlSearchParams { text }
        | BodySpec::ReadableStream { text } => text.as_bytes().to_vec(),
        BodySpec::FormData { fields } => {
            let b = boundary(browser);
            let mut out = String::new();
            for (name, value) in fields {
                out.push_str(&format!(
                    "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                ));
            }
            out.push_str(&format!("--{b}--\r\n"));
            out.into_bytes()
        }
    }
}

/// Whether the body is a `ReadableStream` (sets the use-CORS-preflight flag where the profile
/// honours it).
pub fn is_stream(body: &BodySpec) -> bool {
    matches!(body, BodySpec::ReadableStream { .. })
}
