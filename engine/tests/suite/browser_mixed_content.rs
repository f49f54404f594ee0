//! Mixed content: an `https` page requesting `http` URLs. Each row is what Chromium 156 and
//! Firefox 153 ESR did in the lab (November 2026, `cors-harness run` on an https page served by
//! the harness, plus Chromium's console read with `--enable-logging=stderr`): fetch (also
//! `no-cors`), XHR, `<script>` and fonts are blocked with nothing on the wire; `<img>` loads go to
//! the `https` URL instead; loopback hosts are not mixed content.

use cors_engine::browser::console::parse_chrome;
use cors_engine::scenario::{CrossOrigin, Mode, RequestKind, RequestSpec};
use cors_engine::{Browser, Outcome, Prediction, ReasonCode, RequestResult, predict};
use rstest::rstest;

use crate::support::{literal, raw_server, scenario};

const PAGE: &str = "https://app.example.com";

fn run(page: &str, request: RequestSpec, browser: Browser) -> Prediction {
    let png = |status| {
        literal(
            status,
            &[
                ("Access-Control-Allow-Origin", "*"),
                ("Content-Type", "image/png"),
            ],
            b"\x89PNG\r\n\x1a\n....",
        )
    };
    let server = raw_server("https://cdn.example.test", png(204), png(200));
    predict(&scenario(page, server, vec![request]), browser)
}

fn result(page: &str, request: RequestSpec, browser: Browser) -> RequestResult {
    run(page, request, browser).requests.remove(0).result
}

fn request(kind: RequestKind, url: &str) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.kind = kind;
    r
}

#[rstest]
#[case::fetch(request(RequestKind::Fetch, "http://cdn.example.test/a"), "resource")]
#[case::fetch_no_cors({ let mut r = request(RequestKind::Fetch, "http://cdn.example.test/b"); r.mode = Mode::NoCors; r }, "resource")]
#[case::xhr(
    request(RequestKind::Xhr, "http://cdn.example.test/c"),
    "XMLHttpRequest endpoint"
)]
#[case::script(request(RequestKind::Script, "http://cdn.example.test/d.js"), "script")]
#[case::font(request(RequestKind::Font, "http://cdn.example.test/e.woff2"), "font")]
fn blockable_requests_never_reach_the_wire(#[case] spec: RequestSpec, #[case] chrome_kind: &str) {
    let url = spec.url.clone();
    for browser in Browser::ALL {
        let r = result(PAGE, spec.clone(), browser);
        assert_eq!(r.outcome, Outcome::Blocked, "{browser}");
        assert!(r.wire.is_empty(), "{browser}: {:?}", r.wire);
        assert!(!r.preflight);
        let reason = r.reason.expect("a reason");
        assert_eq!(reason.code, ReasonCode::MixedContent);
        let console = reason.console.expect("a console line");
        match browser {
            // The exact line Chromium 156 logged (page URL aside: the engine knows the origin).
            Browser::Chrome => assert_eq!(
                console,
                format!(
                    "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, \
                     but requested an insecure {chrome_kind} '{url}'. This request has been \
                     blocked; the content must be served over HTTPS."
                )
            ),
            Browser::Firefox => {
                assert_eq!(
                    console,
                    format!("Blocked loading mixed active content “{url}”")
                )
            }
        }
    }
}

#[rstest]
#[case::img_no_cors(RequestKind::Img, None, Outcome::Opaque, None)]
#[case::img_cors(
    RequestKind::ImgCanvas,
    Some(CrossOrigin::Anonymous),
    Outcome::Allowed,
    Some("https://app.example.com")
)]
fn images_are_upgraded_to_https(
    #[case] kind: RequestKind,
    #[case] crossorigin: Option<CrossOrigin>,
    #[case] outcome: Outcome,
    #[case] origin_sent: Option<&str>,
) {
    let mut spec = request(kind, "http://cdn.example.test/cat.png?x");
    spec.crossorigin = crossorigin;
    for browser in Browser::ALL {
        let prediction = run(PAGE, spec.clone(), browser);
        let step = &prediction.requests[0].trace.steps()[0];
        assert!(
            step.text
                .contains("upgraded to https://cdn.example.test/cat.png?x"),
            "{step:?}"
        );
        let r = &prediction.requests[0].result;
        assert_eq!(r.outcome, outcome, "{browser}");
        assert_eq!(r.wire.len(), 1);
        assert_eq!(r.wire[0].url, "https://cdn.example.test/cat.png?x");
        assert_eq!(r.wire[0].request_headers.get("origin"), origin_sent);
    }
}

#[rstest]
// Secure Contexts §3.2: loopback is potentially trustworthy (lab: Chromium sent these requests).
#[case::loopback_v4("https://app.example.com", "http://127.0.0.1:9000/a")]
#[case::localhost("https://app.example.com", "http://localhost:9000/a")]
#[case::http_page("http://app.example.com", "http://cdn.example.test/a")]
fn not_mixed_content(#[case] page: &str, #[case] url: &str) {
    let r = result(page, request(RequestKind::Fetch, url), Browser::Chrome);
    assert_eq!(r.wire.len(), 1, "{r:?}");
    assert_ne!(r.reason.map(|r| r.code), Some(ReasonCode::MixedContent));
}

#[test]
fn a_typeerror_comes_before_the_mixed_content_check() {
    let mut spec = request(RequestKind::Fetch, "http://cdn.example.test/a");
    spec.method = "CONNECT".into();
    let r = result(PAGE, spec, Browser::Chrome);
    assert_eq!(r.reason.map(|r| r.code), Some(ReasonCode::RequestRejected));
}

#[test]
fn chrome_lines_map_back_to_the_code() {
    // As chromedriver reports it: the source, then the text.
    let blocked = "https://app.example.com/__run/r1/page - Mixed Content: The page at \
        'https://app.example.com/__run/r1/page' was loaded over HTTPS, but requested an insecure \
        XMLHttpRequest endpoint 'http://api.example.test/mixed-xhr'. This request has been \
        blocked; the content must be served over HTTPS.";
    assert_eq!(parse_chrome(blocked), Some(ReasonCode::MixedContent));
    // An upgraded image is a warning, not a failure.
    let upgraded = "Mixed Content: The page at 'https://localhost:8443/page.html' was loaded over \
        HTTPS, but requested an insecure element 'http://api.example.test/mixed-img.png'. This \
        request was automatically upgraded to HTTPS, For more information see \
        https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html";
    assert_eq!(parse_chrome(upgraded), None);
}
