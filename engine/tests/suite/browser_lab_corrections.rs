//! Rows where the real browsers (Chromium 156, Firefox 153 ESR, run through cors-harness) differ
//! from the Fetch/XHR standards or from `docs/facts/browser.md` as first written (its §13); each
//! row names the case that showed it.

use cors_engine::scenario::{BodySpec, RequestKind, RequestSpec, ServerModel};
use cors_engine::{Browser, Outcome, ReasonCode, predict};
use rstest::rstest;

use crate::support::{self, raw_server, scenario};

const PAGE: &str = "https://app.example.com";
const API: &str = "https://api.example.test/items";

fn literal(preflight: &[(&str, &str)], response: &[(&str, &str)], body: &str) -> ServerModel {
    raw_server(
        "https://api.example.test",
        support::literal(204, preflight, b""),
        support::literal(200, response, body.as_bytes()),
    )
}

fn one(
    server: ServerModel,
    request: RequestSpec,
    browser: Browser,
) -> cors_engine::RequestPrediction {
    predict(&scenario(PAGE, server, vec![request]), browser)
        .requests
        .remove(0)
}

fn xhr(method: &str, body: Option<&str>, upload_listener: bool) -> RequestSpec {
    let mut r = RequestSpec::fetch(API);
    r.kind = RequestKind::Xhr;
    r.method = method.into();
    r.body = body.map(|text| BodySpec::Text { text: text.into() });
    r.upload_listener = upload_listener;
    r
}

// cases/browser/xhr-vs-fetch/upload-listener-put-without-acam: the standard's "use-CORS-preflight
// allows its own method" step (facts §3.1 step 3) is implemented by neither browser.
#[rstest]
#[case::chrome(Browser::Chrome)]
#[case::firefox(Browser::Firefox)]
fn upload_listener_put_still_needs_allow_methods(#[case] browser: Browser) {
    let server = literal(
        &[("Access-Control-Allow-Origin", PAGE)],
        &[("Access-Control-Allow-Origin", PAGE)],
        "ok",
    );
    let p = one(server, xhr("PUT", Some("data"), true), browser);
    assert!(p.result.preflight);
    assert_eq!(p.result.outcome, Outcome::Blocked);
    assert_eq!(
        p.result.reason.map(|r| r.code),
        Some(ReasonCode::MethodNotAllowed)
    );
}

// cases/browser/differences/xhr-upload-listener-get: with no body, Firefox still preflights for
// upload listeners; Chromium (like the XHR standard) does not.
#[rstest]
#[case::chrome(Browser::Chrome, false)]
#[case::firefox(Browser::Firefox, true)]
fn upload_listener_without_body(#[case] browser: Browser, #[case] preflight: bool) {
    let server = literal(
        &[("Access-Control-Allow-Origin", PAGE)],
        &[("Access-Control-Allow-Origin", PAGE)],
        "ok",
    );
    let p = one(server, xhr("GET", None, true), browser);
    assert_eq!(p.result.preflight, preflight);
    assert_eq!(p.result.outcome, Outcome::Allowed);
}

// cases/browser/differences/accept-latin1-byte: Firefox treats a byte above 0x7F in Accept as
// unsafe; Chromium follows the standard (only the listed bytes are unsafe).
#[rstest]
#[case::chrome(Browser::Chrome, false)]
#[case::firefox(Browser::Firefox, true)]
fn non_ascii_accept(#[case] browser: Browser, #[case] preflight: bool) {
    let server = literal(
        &[
            ("Access-Control-Allow-Origin", PAGE),
            ("Access-Control-Allow-Headers", "accept"),
        ],
        &[("Access-Control-Allow-Origin", PAGE)],
        "ok",
    );
    let mut r = RequestSpec::fetch(API);
    r.headers.push("Accept", "text/é");
    let p = one(server, r, browser);
    assert_eq!(p.result.preflight, preflight);
}

// cases/browser/expose-headers/safelisted-only and star-without-credentials: the literal server's
// HTTP stack adds Content-Length and Date, which the page can read like any header.
#[rstest]
#[case::chrome(Browser::Chrome)]
#[case::firefox(Browser::Firefox)]
fn literal_server_framing_headers_are_readable(#[case] browser: Browser) {
    let server = literal(
        &[],
        &[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", "*"),
        ],
        "twelve bytes",
    );
    let mut r = RequestSpec::fetch(API);
    r.read_headers = vec!["Content-Length".into(), "Date".into()];
    let p = one(server, r, browser);
    assert_eq!(p.result.readable["content-length"].as_deref(), Some("12"));
    assert!(p.result.readable["date"].is_some());
}
