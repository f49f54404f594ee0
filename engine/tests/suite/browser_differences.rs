//! Chrome vs Firefox behaviour differences (docs/facts/browser.md §8.1). Rows already covered by
//! a dedicated table elsewhere are named in comments; the rest are here.
//!
//! Covered elsewhere: `*` results in the preflight cache, include entry serving omit, cache-mode
//! bypass, HEAD at lookup (browser_preflight_cache.rs); `*` covering Authorization, ACAM case
//! (browser_preflight.rs); extra safelisted headers, User-Agent, ReadableStream
//! (browser_request_headers.rs); HTTP cache reuse (browser_http_cache.rs); multiple ACAO lines
//! (browser_cors_check.rs, browser_console.rs). Not modelled: redirects (the preflight Origin
//! after a cross-origin redirect) and Local Network Access.

use cors_engine::scenario::RequestSpec;
use cors_engine::{Browser, Outcome, predict};
use rstest::rstest;

use crate::support::{PAGE, SERVER, literal, raw_server, scenario};

// §8.1 rows "Max-Age cap", "Max-Age non-numeric", "Max-Age negative" (and §4.2/§4.3 details).
#[rstest]
#[case::s8_1_absent(None, Some(5), Some(5))]
#[case::s8_1_ten(Some("10"), Some(10), Some(10))]
#[case::s8_1_zero(Some("0"), None, None)]
#[case::s8_1_negative(Some("-1"), None, None)]
#[case::s8_1_non_numeric(Some("abc"), Some(5), None)]
#[case::s8_1_empty(Some(""), Some(5), None)]
#[case::s8_1_chrome_cap(Some("7201"), Some(7200), Some(7201))]
#[case::s8_1_firefox_cap(Some("90000"), Some(7200), Some(86400))]
#[case::s8_1_huge(Some("99999999999999999999999"), Some(5), Some(86400))]
fn s8_1_max_age(
    #[case] value: Option<&str>,
    #[case] chrome: Option<u64>,
    #[case] firefox: Option<u64>,
) {
    assert_eq!(
        Browser::Chrome.profile().cache_lifetime_s(value),
        chrome,
        "chrome"
    );
    assert_eq!(
        Browser::Firefox.profile().cache_lifetime_s(value),
        firefox,
        "firefox"
    );
}

// §8.1 row "clear preflight cache on CORS failure" (Firefox yes, Chromium not found in source):
// a PUT whose preflight passes but whose actual response lacks ACAO, then the same PUT again.
#[test]
fn s8_1_clear_preflight_cache_on_failure() {
    let mut put = RequestSpec::fetch("http://127.0.0.1:8002/r");
    put.method = "PUT".into();
    let preflight = literal(
        204,
        &[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "PUT"),
        ],
        b"",
    );
    let server = raw_server(SERVER, preflight, literal(200, &[], b""));
    let s = scenario(PAGE, server, vec![put.clone(), put]);
    for (browser, second_preflights) in [(Browser::Chrome, false), (Browser::Firefox, true)] {
        let p = predict(&s, browser);
        assert!(
            p.requests
                .iter()
                .all(|r| r.result.outcome == Outcome::Blocked)
        );
        assert_eq!(
            p.requests[1].result.preflight, second_preflights,
            "{browser}"
        );
    }
}

// §8.1 row "ReadableStream body" and §1.1 lab: Chromium preflights, then the upload fails over
// HTTP/1.1; Firefox sends no preflight and posts the body.
#[test]
fn s8_1_readable_stream_body() {
    let mut post = RequestSpec::fetch("http://127.0.0.1:8002/r");
    post.method = "POST".into();
    post.body = Some(cors_engine::scenario::BodySpec::ReadableStream { text: "x".into() });
    let star = [("Access-Control-Allow-Origin", "*")];
    let server = raw_server(SERVER, literal(204, &star, b""), literal(200, &star, b""));
    let s = scenario(PAGE, server, vec![post]);
    let chrome = predict(&s, Browser::Chrome).requests.remove(0).result;
    assert_eq!(
        (chrome.outcome, chrome.preflight, chrome.wire.len()),
        (Outcome::Blocked, true, 1)
    );
    assert!(
        !chrome.wire[0]
            .request_headers
            .contains("access-control-request-headers")
    );
    let reason = chrome.reason.expect("reason");
    assert_eq!(
        reason.code,
        cors_engine::ReasonCode::StreamingUploadRequiresHttp2
    );
    assert_eq!(
        cors_engine::browser::console::parse_chrome(reason.console.as_deref().unwrap_or("")),
        Some(cors_engine::ReasonCode::StreamingUploadRequiresHttp2)
    );
    let firefox = predict(&s, Browser::Firefox).requests.remove(0).result;
    assert_eq!(
        (firefox.outcome, firefox.preflight, firefox.wire.len()),
        (Outcome::Allowed, false, 1)
    );
}
