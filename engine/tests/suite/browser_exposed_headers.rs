//! Which response headers the page can read (docs/facts/browser.md §5).

use cors_engine::scenario::{CredentialsMode, RequestSpec};
use cors_engine::{Browser, Outcome, predict};
use rstest::rstest;

use crate::support::{PAGE, answering, literal, scenario};

fn readable(
    browser: Browser,
    response: &[(&str, &str)],
    credentials: CredentialsMode,
    read: &[&str],
) -> Vec<Option<String>> {
    let origin = if credentials == CredentialsMode::Include {
        PAGE
    } else {
        "*"
    };
    let mut headers: Vec<(&str, &str)> = vec![
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Allow-Credentials", "true"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "2"),
        ("Date", "Tue, 24 Nov 2026 10:00:00 GMT"),
        ("Server-Timing", "db;dur=1"),
        ("Set-Cookie", "a=b"),
        ("X-A", "a"),
        ("X-B", "b"),
    ];
    headers.extend_from_slice(response);
    let mut request = RequestSpec::fetch("http://127.0.0.1:8002/r");
    request.credentials = credentials;
    request.read_headers = read.iter().map(|s| s.to_string()).collect();
    let s = scenario(
        PAGE,
        answering(literal(200, &headers, b"ok")),
        vec![request],
    );
    let result = predict(&s, browser).requests.remove(0).result;
    assert_eq!(result.outcome, Outcome::Allowed);
    read.iter()
        .map(|name| result.readable[&name.to_ascii_lowercase()].clone())
        .collect()
}

fn some(v: &str) -> Option<String> {
    Some(v.to_string())
}

const O: CredentialsMode = CredentialsMode::Omit;
const I: CredentialsMode = CredentialsMode::Include;

// §5 lab rows (both browsers).
#[rstest]
#[case::s5_no_aceh(&[], O, &["X-A", "Date", "Server-Timing", "Content-Length", "Content-Type"], vec![None, None, None, some("2"), some("text/plain")])]
#[case::s5_aceh_bad_value(&[("Access-Control-Expose-Headers", "x-a, bad value")], O, &["X-A"], vec![None])]
#[case::s5_aceh_space_separated(&[("Access-Control-Expose-Headers", "x-a x-b")], O, &["X-A", "X-B"], vec![None, None])]
#[case::s5_aceh_leading_comma(&[("Access-Control-Expose-Headers", ",x-a")], O, &["X-A"], vec![some("a")])]
#[case::s5_aceh_two_lines(&[("Access-Control-Expose-Headers", "x-a"), ("Access-Control-Expose-Headers", "x-b")], O, &["X-A", "X-B"], vec![some("a"), some("b")])]
#[case::s5_aceh_case_insensitive(&[("Access-Control-Expose-Headers", "X-a")], O, &["x-A"], vec![some("a")])]
#[case::s5_aceh_star(&[("Access-Control-Expose-Headers", "*")], O, &["X-A", "X-B", "Date", "Server-Timing"], vec![some("a"), some("b"), some("Tue, 24 Nov 2026 10:00:00 GMT"), some("db;dur=1")])]
#[case::s5_aceh_star_credentials(&[("Access-Control-Expose-Headers", "*")], I, &["X-A", "Date"], vec![None, None])]
#[case::s5_set_cookie_never(&[("Access-Control-Expose-Headers", "*, set-cookie")], O, &["Set-Cookie"], vec![None])]
#[case::s5_listed_with_credentials(&[("Access-Control-Expose-Headers", "x-a")], I, &["X-A", "X-B"], vec![some("a"), None])]
fn s5_exposed_headers(
    #[case] response: &[(&str, &str)],
    #[case] credentials: CredentialsMode,
    #[case] read: &[&str],
    #[case] expected: Vec<Option<String>>,
) {
    for browser in Browser::ALL {
        assert_eq!(
            readable(browser, response, credentials, read),
            expected,
            "{browser}"
        );
    }
}

// Repeated response header lines read as the combined value.
#[test]
fn s5_repeated_lines_combine() {
    let got = readable(
        Browser::Chrome,
        &[
            ("Access-Control-Expose-Headers", "x-c"),
            ("X-C", "1"),
            ("X-C", "2"),
        ],
        O,
        &["X-C"],
    );
    assert_eq!(got, vec![some("1, 2")]);
}

// The explanation names why a header was hidden.
#[test]
fn hidden_headers_are_explained() {
    let mut request = RequestSpec::fetch("http://127.0.0.1:8002/r");
    request.read_headers = vec!["X-A".into(), "Content-Type".into()];
    let response = literal(
        200,
        &[
            ("Access-Control-Allow-Origin", "*"),
            ("X-A", "1"),
            ("Content-Type", "text/plain"),
        ],
        b"",
    );
    let s = scenario(PAGE, answering(response), vec![request]);
    let trace = predict(&s, Browser::Chrome)
        .requests
        .remove(0)
        .trace
        .to_string();
    assert!(trace.contains("the page cannot read X-A: it is not CORS-safelisted and not listed in Access-Control-Expose-Headers"), "{trace}");
    assert!(
        trace.contains("the page reads Content-Type: 'text/plain'"),
        "{trace}"
    );
}
