//! The preflight cache: the lab table of docs/facts/browser.md §4.4 (second request to the same
//! URL; "reuse" = no second OPTIONS), plus §4.2/§4.3 details.

use cors_engine::scenario::{CacheMode, CredentialsMode, RequestSpec};
use cors_engine::{Browser, Outcome, predict};
use rstest::rstest;

use crate::support::{PAGE, SERVER, literal, raw_server, scenario};

const URL: &str = "http://127.0.0.1:8002/r";

fn req(
    method: &str,
    header: Option<&str>,
    credentials: CredentialsMode,
    wait_ms: u64,
) -> RequestSpec {
    let mut r = RequestSpec::fetch(URL);
    r.method = method.into();
    if let Some(h) = header {
        r.headers.push(h, "1");
    }
    r.credentials = credentials;
    r.wait_ms = wait_ms;
    r
}

/// Preflights seen for each request of a two-request scenario against a server answering
/// every preflight with `preflight` (plus an echoing ACAO and ACAC true).
fn preflights(
    browser: Browser,
    preflight: &[(&str, &str)],
    requests: Vec<RequestSpec>,
) -> Vec<bool> {
    let mut headers: Vec<(&str, &str)> = vec![
        ("Access-Control-Allow-Origin", PAGE),
        ("Access-Control-Allow-Credentials", "true"),
    ];
    headers.extend_from_slice(preflight);
    let response = literal(
        200,
        &[
            ("Access-Control-Allow-Origin", PAGE),
            ("Access-Control-Allow-Credentials", "true"),
        ],
        b"ok",
    );
    let server = raw_server(SERVER, literal(204, &headers, b""), response);
    let s = scenario(PAGE, server, requests);
    predict(&s, browser)
        .requests
        .iter()
        .map(|r| {
            // Every scenario here is allowed; a block would hide a cache decision.
            assert_eq!(r.result.outcome, Outcome::Allowed, "{browser}: {}", r.trace);
            r.result.preflight
        })
        .collect()
}

const O: CredentialsMode = CredentialsMode::Omit;
const I: CredentialsMode = CredentialsMode::Include;
const PUT: &str = "PUT";
const REUSE: bool = false;
const PREFLIGHT: bool = true;

// §4.4 lab summary. Columns: second request preflighted in Chromium, in Firefox.
#[rstest]
#[case::s4_4_no_max_age_immediate(&[("Access-Control-Allow-Methods", "PUT")], req(PUT, None, O, 0), req(PUT, None, O, 0), REUSE, REUSE)]
#[case::s4_4_no_max_age_after_6s(&[("Access-Control-Allow-Methods", "PUT")], req(PUT, None, O, 0), req(PUT, None, O, 6000), PREFLIGHT, PREFLIGHT)]
#[case::s4_4_max_age_10_after_6s(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "10")], req(PUT, None, O, 0), req(PUT, None, O, 6000), REUSE, REUSE)]
#[case::s4_4_max_age_0(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "0")], req(PUT, None, O, 0), req(PUT, None, O, 0), PREFLIGHT, PREFLIGHT)]
#[case::s4_4_max_age_negative(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "-1")], req(PUT, None, O, 0), req(PUT, None, O, 0), PREFLIGHT, PREFLIGHT)]
#[case::s4_4_max_age_abc(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "abc")], req(PUT, None, O, 0), req(PUT, None, O, 0), REUSE, PREFLIGHT)]
#[case::s4_4_acam_star_same_method(&[("Access-Control-Allow-Methods", "*")], req(PUT, None, O, 0), req(PUT, None, O, 0), REUSE, PREFLIGHT)]
#[case::s4_4_acah_star_other_header(&[("Access-Control-Allow-Headers", "*")], req("GET", Some("X-Foo"), O, 0), req("GET", Some("X-Bar"), O, 0), REUSE, PREFLIGHT)]
#[case::s4_4_acah_lists_both(&[("Access-Control-Allow-Headers", "X-Foo, X-Bar")], req("GET", Some("X-Foo"), O, 0), req("GET", Some("X-Bar"), O, 0), REUSE, REUSE)]
#[case::s4_4_acam_put_delete(&[("Access-Control-Allow-Methods", "PUT, DELETE")], req(PUT, None, O, 0), req("DELETE", None, O, 0), REUSE, REUSE)]
#[case::s4_4_include_then_omit(&[("Access-Control-Allow-Methods", "PUT")], req(PUT, None, I, 0), req(PUT, None, O, 0), REUSE, PREFLIGHT)]
#[case::s4_4_omit_then_include(&[("Access-Control-Allow-Methods", "PUT")], req(PUT, None, O, 0), req(PUT, None, I, 0), PREFLIGHT, PREFLIGHT)]
#[case::s4_4_head_custom_header_no_acam(&[("Access-Control-Allow-Headers", "X-Foo")], req("HEAD", Some("X-Foo"), O, 0), req("HEAD", Some("X-Foo"), O, 0), REUSE, PREFLIGHT)]
#[case::s4_2_max_age_cap_chrome(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "100000")], req(PUT, None, O, 0), req(PUT, None, O, 7_200_000), PREFLIGHT, REUSE)]
#[case::s4_3_max_age_cap_firefox(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "100000")], req(PUT, None, O, 0), req(PUT, None, O, 86_400_000), PREFLIGHT, PREFLIGHT)]
#[case::wpt_max_age_1_expires_after_1_5s(&[("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "1")], req(PUT, None, O, 0), req(PUT, None, O, 1500), PREFLIGHT, PREFLIGHT)]
fn s4_4_second_request(
    #[case] preflight: &[(&str, &str)],
    #[case] first: RequestSpec,
    #[case] second: RequestSpec,
    #[case] chrome_second: bool,
    #[case] firefox_second: bool,
) {
    let requests = vec![first, second];
    assert_eq!(
        preflights(Browser::Chrome, preflight, requests.clone()),
        [true, chrome_second],
        "chrome"
    );
    assert_eq!(
        preflights(Browser::Firefox, preflight, requests),
        [true, firefox_second],
        "firefox"
    );
}

// §4.4: `cache: 'no-cache'` / `'no-store'` on the repeat preflights again in Chromium.
#[rstest]
#[case::s4_4_no_cache(CacheMode::NoCache)]
#[case::s4_4_no_store(CacheMode::NoStore)]
#[case::s4_2_reload(CacheMode::Reload)]
fn s4_4_cache_modes_bypass_chrome(#[case] mode: CacheMode) {
    let mut second = req(PUT, None, O, 0);
    second.cache = mode;
    let acam = [("Access-Control-Allow-Methods", "PUT")];
    assert_eq!(
        preflights(Browser::Chrome, &acam, vec![req(PUT, None, O, 0), second]),
        [true, true]
    );
}

// §4.3: Firefox merges tokens across preflights.
#[test]
fn s4_3_firefox_merges_tokens() {
    let acah = [("Access-Control-Allow-Headers", "X-Foo, X-Bar")];
    let seq = preflights(
        Browser::Firefox,
        &acah,
        vec![
            req("GET", Some("X-Foo"), O, 0),
            req("GET", Some("X-Bar"), O, 0),
            req("GET", Some("X-Foo"), O, 0),
        ],
    );
    assert_eq!(seq, [true, false, false]);
}

// §3.4: a cached `*` entry never covers Authorization in Chromium: OPTIONS, GET, OPTIONS, GET.
#[test]
fn s3_4_chrome_cache_star_not_for_authorization() {
    let acah = [("Access-Control-Allow-Headers", "*")];
    let mut with_auth = req("GET", None, O, 0);
    with_auth.headers.push("Authorization", "x");
    let seq = preflights(
        Browser::Chrome,
        &acah,
        vec![with_auth.clone(), with_auth.clone()],
    );
    assert_eq!(seq, [true, true]);
    let seq = preflights(Browser::Firefox, &acah, vec![with_auth.clone(), with_auth]);
    assert_eq!(seq, [true, true]);
}

// §4.2: Chromium does not cache preflight results for URLs of 1024 characters or more.
#[test]
fn s4_2_chrome_long_urls_not_cached() {
    let long = format!("http://127.0.0.1:8002/{}", "a".repeat(1024));
    let mut first = req(PUT, None, O, 0);
    first.url = long.clone();
    let second = first.clone();
    let acam = [("Access-Control-Allow-Methods", "PUT")];
    assert_eq!(
        preflights(Browser::Chrome, &acam, vec![first.clone(), second.clone()]),
        [true, true]
    );
    assert_eq!(
        preflights(Browser::Firefox, &acam, vec![first, second]),
        [true, false]
    );
}
