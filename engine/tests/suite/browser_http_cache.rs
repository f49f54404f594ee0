//! The HTTP cache and CORS (docs/facts/browser.md §9): Chromium reuses a response stored by a
//! no-cors load for a later CORS request to the same URL unless it had `Vary: Origin`; Firefox
//! keeps them apart.

use cors_engine::scenario::{CacheMode, CrossOrigin, RequestKind, RequestSpec, ServerModel};
use cors_engine::{Browser, Outcome, ReasonCode, RequestResult, predict};
use rstest::rstest;

use crate::support::{self, PAGE, answering, literal, scenario};

/// A PNG signature: enough for the model to treat the body as a decodable image.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";
const URL: &str = "http://127.0.0.1:8002/cat.png";

fn raw(response: &[(&str, &str)]) -> ServerModel {
    answering(literal(200, response, PNG))
}

fn img(url: &str, crossorigin: Option<CrossOrigin>) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.kind = RequestKind::Img;
    r.crossorigin = crossorigin;
    r
}

fn run(browser: Browser, server: ServerModel, requests: Vec<RequestSpec>) -> Vec<RequestResult> {
    predict(&scenario(PAGE, server, requests), browser)
        .requests
        .into_iter()
        .map(|r| r.result)
        .collect()
}

const MAX_AGE: (&str, &str) = ("Cache-Control", "max-age=3600");
const STAR: (&str, &str) = ("Access-Control-Allow-Origin", "*");
const VARY: (&str, &str) = ("Vary", "Origin");

// §9 lab (raw server, `<img>` without crossorigin, then `fetch()` of the same URL).
// Columns: fetch outcome and number of wire exchanges of the fetch, per browser.
#[rstest]
#[case::s9_star_always_chrome_reuses(&[MAX_AGE, STAR], (Outcome::Allowed, 0), (Outcome::Allowed, 1))]
#[case::s9_vary_origin_goes_to_network(&[MAX_AGE, STAR, VARY], (Outcome::Allowed, 1), (Outcome::Allowed, 1))]
#[case::s9_no_acao_cached_blocked(&[MAX_AGE], (Outcome::Blocked, 0), (Outcome::Blocked, 1))]
#[case::s9_not_cacheable_without_freshness(&[STAR], (Outcome::Allowed, 1), (Outcome::Allowed, 1))]
#[case::s9_no_store(&[STAR, ("Cache-Control", "no-store")], (Outcome::Allowed, 1), (Outcome::Allowed, 1))]
#[case::s9_heuristic_last_modified(&[STAR, ("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")], (Outcome::Allowed, 0), (Outcome::Allowed, 1))]
fn s9_img_then_fetch(
    #[case] response: &[(&str, &str)],
    #[case] chrome: (Outcome, usize),
    #[case] firefox: (Outcome, usize),
) {
    for (browser, expected) in [(Browser::Chrome, chrome), (Browser::Firefox, firefox)] {
        let results = run(
            browser,
            raw(response),
            vec![img(URL, None), RequestSpec::fetch(URL)],
        );
        assert_eq!(results[0].outcome, Outcome::Opaque);
        assert_eq!(
            (results[1].outcome, results[1].wire.len()),
            expected,
            "{browser}"
        );
    }
}

// §9: cache modes that bypass the HTTP cache send the CORS fetch to the network.
#[rstest]
#[case::no_store(CacheMode::NoStore)]
#[case::reload(CacheMode::Reload)]
#[case::no_cache(CacheMode::NoCache)]
fn s9_cache_modes_go_to_network(#[case] mode: CacheMode) {
    let mut fetch = RequestSpec::fetch(URL);
    fetch.cache = mode;
    let results = run(
        Browser::Chrome,
        raw(&[MAX_AGE]),
        vec![img(URL, None), fetch],
    );
    assert_eq!(results[1].wire.len(), 1);
}

// §9: `<img crossorigin=anonymous>` then fetch(): Chromium reuses the CORS response (one request).
#[test]
fn s9_anonymous_img_then_fetch_chrome_one_request() {
    let results = run(
        Browser::Chrome,
        raw(&[MAX_AGE, ("Access-Control-Allow-Origin", PAGE)]),
        vec![
            img(URL, Some(CrossOrigin::Anonymous)),
            RequestSpec::fetch(URL),
        ],
    );
    assert_eq!(results[0].outcome, Outcome::Allowed);
    assert_eq!(
        (results[1].outcome, results[1].wire.len()),
        (Outcome::Allowed, 0)
    );
}

fn bucket(cors: &str) -> ServerModel {
    let objects: &[(&str, &str, &[u8])] = &[("cat.png", "image/png", PNG)];
    support::bucket("http://assets.s3.amazonaws.com", Some(cors), objects)
}

// §9, the S3 problem: S3 sends CORS headers (and Vary) only when the request has an Origin; the
// `<img>` response is cached without them and Chromium serves it to the later fetch.
#[rstest]
#[case::s9_s3_problem_star(r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#)]
#[case::s9_s3_problem_exact(
    r#"[{"AllowedOrigins": ["http://127.0.0.1:8001"], "AllowedMethods": ["GET"]}]"#
)]
fn s9_s3_problem(#[case] cors: &str) {
    let url = "http://assets.s3.amazonaws.com/cat.png";
    let requests = vec![img(url, None), RequestSpec::fetch(url)];

    let chrome = run(Browser::Chrome, bucket(cors), requests.clone());
    assert_eq!(chrome[1].outcome, Outcome::Blocked);
    assert!(chrome[1].wire.is_empty(), "served from the HTTP cache");
    assert_eq!(
        chrome[1].reason.as_ref().map(|r| r.code),
        Some(ReasonCode::AllowOriginMissing)
    );

    let firefox = run(Browser::Firefox, bucket(cors), requests);
    assert_eq!(firefox[1].outcome, Outcome::Allowed);
    assert_eq!(firefox[1].wire.len(), 1);
    assert_eq!(firefox[1].wire[0].request_headers.get("origin"), Some(PAGE));

    // Without the image first, Chromium's fetch goes to S3 with an Origin and succeeds.
    let alone = run(Browser::Chrome, bucket(cors), vec![RequestSpec::fetch(url)]);
    assert_eq!(alone[0].outcome, Outcome::Allowed);
}

// A successful PUT invalidates the stored response for its URL (the next GET goes to S3).
#[test]
fn unsafe_method_invalidates() {
    let url = "http://assets.s3.amazonaws.com/cat.png";
    let cors = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT"]}]"#;
    let mut put = RequestSpec::fetch(url);
    put.method = "PUT".into();
    put.body = Some(cors_engine::scenario::BodySpec::Text { text: "new".into() });
    let results = run(
        Browser::Chrome,
        bucket(cors),
        vec![
            RequestSpec::fetch(url),
            RequestSpec::fetch(url),
            put,
            RequestSpec::fetch(url),
        ],
    );
    let wire: Vec<usize> = results.iter().map(|r| r.wire.len()).collect();
    // The PUT preflights (OPTIONS + PUT).
    assert_eq!(wire, [1, 0, 2, 1]);
}

// Heuristic freshness is 10 % of Date − Last-Modified: an object stored by a PUT during the
// scenario has Last-Modified = Date, so Chromium does not reuse its response.
#[test]
fn s9_object_uploaded_during_the_scenario_is_not_reused() {
    let url = "http://assets.s3.amazonaws.com/new.png";
    let cors = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT"]}]"#;
    let mut put = RequestSpec::fetch(url);
    put.method = "PUT".into();
    put.body = Some(cors_engine::scenario::BodySpec::Blob {
        text: "\u{89}PNG".into(),
        r#type: "image/png".into(),
    });
    let results = run(
        Browser::Chrome,
        bucket(cors),
        vec![put, img(url, None), RequestSpec::fetch(url)],
    );
    assert_eq!(results[2].wire.len(), 1, "the fetch goes to S3");
    assert_eq!(results[2].outcome, Outcome::Allowed);
}
