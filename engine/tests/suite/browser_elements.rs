//! Element loads, no-cors fetches and XHR (docs/facts/browser.md §1.6, §7.1, §7.2).

use cors_engine::scenario::{CrossOrigin, Mode, RequestKind, RequestSpec};
use cors_engine::{Browser, Outcome, ReasonCode, RequestResult, predict};
use rstest::rstest;

use crate::support::{PAGE, answering, literal, scenario};

const URL: &str = "http://127.0.0.1:8002/cat.png";

/// The smallest bodies each element accepts: a PNG signature for images, a WOFF signature for
/// fonts, any text for scripts.
fn body_for(kind: RequestKind) -> Vec<u8> {
    match kind {
        RequestKind::Img | RequestKind::ImgCanvas => b"\x89PNG\r\n\x1a\n....".to_vec(),
        RequestKind::Font => b"wOFF....".to_vec(),
        _ => b"ok".to_vec(),
    }
}

fn run(browser: Browser, response: &[(&str, &str)], request: RequestSpec) -> RequestResult {
    let body = body_for(request.kind);
    run_with(browser, 200, response, body, request)
}

fn run_with(
    browser: Browser,
    status: u16,
    response: &[(&str, &str)],
    body: Vec<u8>,
    request: RequestSpec,
) -> RequestResult {
    let s = scenario(
        PAGE,
        answering(literal(status, response, &body)),
        vec![request],
    );
    predict(&s, browser).requests.remove(0).result
}

fn element(kind: RequestKind, crossorigin: Option<CrossOrigin>) -> RequestSpec {
    let mut r = RequestSpec::fetch(URL);
    r.kind = kind;
    r.crossorigin = crossorigin;
    r
}

const STAR: &[(&str, &str)] = &[("Access-Control-Allow-Origin", "*")];
const NONE: &[(&str, &str)] = &[];
const EXACT_CREDS: &[(&str, &str)] = &[
    ("Access-Control-Allow-Origin", PAGE),
    ("Access-Control-Allow-Credentials", "true"),
];
const ANON: Option<CrossOrigin> = Some(CrossOrigin::Anonymous);
const CREDS: Option<CrossOrigin> = Some(CrossOrigin::UseCredentials);

// §7.1 lab canvas rows (both browsers) and the crossorigin table.
#[rstest]
#[case::s7_1_canvas_no_attr_star(
    RequestKind::ImgCanvas,
    None,
    STAR,
    Outcome::Opaque,
    Some(true),
    Some(ReasonCode::CanvasTainted)
)]
#[case::s7_1_canvas_anonymous_star(
    RequestKind::ImgCanvas,
    ANON,
    STAR,
    Outcome::Allowed,
    Some(false),
    None
)]
#[case::s7_1_canvas_anonymous_no_acao(
    RequestKind::ImgCanvas,
    ANON,
    NONE,
    Outcome::Blocked,
    None,
    Some(ReasonCode::AllowOriginMissing)
)]
#[case::s7_1_canvas_use_credentials_star(
    RequestKind::ImgCanvas,
    CREDS,
    STAR,
    Outcome::Blocked,
    None,
    Some(ReasonCode::WildcardOriginWithCredentials)
)]
#[case::s7_1_canvas_use_credentials_exact(
    RequestKind::ImgCanvas,
    CREDS,
    EXACT_CREDS,
    Outcome::Allowed,
    Some(false),
    None
)]
#[case::s7_1_img_no_attr_no_acao(RequestKind::Img, None, NONE, Outcome::Opaque, None, None)]
#[case::s7_1_script_no_attr(RequestKind::Script, None, NONE, Outcome::Opaque, None, None)]
#[case::s7_1_script_anonymous_no_acao(
    RequestKind::Script,
    ANON,
    NONE,
    Outcome::Blocked,
    None,
    Some(ReasonCode::AllowOriginMissing)
)]
#[case::s7_1_font_always_cors(
    RequestKind::Font,
    None,
    NONE,
    Outcome::Blocked,
    None,
    Some(ReasonCode::AllowOriginMissing)
)]
#[case::s7_1_font_star(RequestKind::Font, None, STAR, Outcome::Allowed, None, None)]
fn s7_1_elements(
    #[case] kind: RequestKind,
    #[case] crossorigin: Option<CrossOrigin>,
    #[case] response: &[(&str, &str)],
    #[case] outcome: Outcome,
    #[case] tainted: Option<bool>,
    #[case] reason: Option<ReasonCode>,
) {
    for browser in Browser::ALL {
        let r = run(browser, response, element(kind, crossorigin));
        assert_eq!(r.outcome, outcome, "{browser}");
        assert_eq!(r.canvas_tainted, tainted, "{browser}");
        assert_eq!(r.reason.as_ref().map(|r| r.code), reason, "{browser}");
        // Elements never preflight; Origin goes only with CORS-mode loads.
        assert!(!r.preflight);
        let cors_mode = crossorigin.is_some() || kind == RequestKind::Font;
        assert_eq!(
            r.wire[0].request_headers.contains("origin"),
            cors_mode,
            "{browser}"
        );
    }
}

// §1.6: no-cors fetch → opaque (status 0, nothing readable), no Origin on GET; PUT → TypeError.
#[test]
fn s1_6_no_cors_fetch() {
    let mut r = RequestSpec::fetch(URL);
    r.mode = Mode::NoCors;
    r.read_headers = vec!["Content-Type".into()];
    for browser in Browser::ALL {
        let got = run(browser, NONE, r.clone());
        assert_eq!((got.outcome, got.status), (Outcome::Opaque, Some(0)));
        assert_eq!(got.readable["content-type"], None);
        assert!(!got.wire[0].request_headers.contains("origin"));
    }
    r.method = "POST".into();
    let got = run(Browser::Chrome, NONE, r.clone());
    assert_eq!(
        got.wire[0].request_headers.get("origin"),
        Some(PAGE),
        "no-cors POST sends Origin"
    );
    r.method = "PUT".into();
    for browser in Browser::ALL {
        let got = run(browser, NONE, r.clone());
        assert_eq!(got.outcome, Outcome::Blocked);
        assert!(got.wire.is_empty());
        let reason = got.reason.expect("reason");
        assert_eq!(reason.code, ReasonCode::RequestRejected);
        assert!(reason.console.expect("text").contains("PUT"));
    }
}

// §7.2: XHR failures carry the XHR kind in Chrome's message.
#[test]
fn s7_2_xhr_message_kind() {
    let mut r = RequestSpec::fetch(URL);
    r.kind = RequestKind::Xhr;
    let got = run(Browser::Chrome, NONE, r);
    let text = got.reason.and_then(|r| r.console).expect("console");
    assert!(text.starts_with("Access to XMLHttpRequest at 'http://127.0.0.1:8002/cat.png' from origin 'http://127.0.0.1:8001'"), "{text}");
}

// Same-origin requests: no CORS check, every header but Set-Cookie readable.
#[test]
fn same_origin_fetch_reads_everything() {
    let mut r = RequestSpec::fetch("http://127.0.0.1:8001/local");
    r.read_headers = vec!["X-A".into()];
    let got = run(Browser::Firefox, &[("X-A", "1")], r);
    assert_eq!(got.outcome, Outcome::Allowed);
    assert_eq!(got.readable["x-a"].as_deref(), Some("1"));
    assert!(!got.wire[0].request_headers.contains("origin"));
}

// §7.1: fonts are always `cors` + `same-origin`, so `*` works even with use-credentials.
#[test]
fn s7_1_font_ignores_crossorigin() {
    for browser in Browser::ALL {
        let r = run(browser, STAR, element(RequestKind::Font, CREDS));
        assert_eq!(r.outcome, Outcome::Allowed, "{browser}");
    }
}

// Not CORS, but decides the element's load/error event: undecodable images and fonts, scripts
// with a non-ok status or a blocked MIME type.
#[rstest]
#[case::image_not_decodable(RequestKind::Img, None, 200, &[], b"not an image".as_slice())]
#[case::canvas_image_not_decodable(RequestKind::ImgCanvas, ANON, 200, STAR, b"<html>".as_slice())]
#[case::font_not_a_font(RequestKind::Font, None, 200, STAR, b"text".as_slice())]
#[case::script_404(RequestKind::Script, None, 404, &[], b"x()".as_slice())]
#[case::script_image_mime(RequestKind::Script, None, 200, &[("Content-Type", "image/png")], b"x()".as_slice())]
#[case::script_nosniff_text(RequestKind::Script, ANON, 200, &[("Access-Control-Allow-Origin", "*"), ("Content-Type", "text/plain"), ("X-Content-Type-Options", "nosniff")], b"x()".as_slice())]
fn element_load_failures(
    #[case] kind: RequestKind,
    #[case] crossorigin: Option<CrossOrigin>,
    #[case] status: u16,
    #[case] response: &[(&str, &str)],
    #[case] body: &[u8],
) {
    for browser in Browser::ALL {
        let r = run_with(
            browser,
            status,
            response,
            body.to_vec(),
            element(kind, crossorigin),
        );
        assert_eq!(r.outcome, Outcome::Blocked, "{browser}");
        let reason = r.reason.expect("reason");
        assert_eq!(reason.code, ReasonCode::ElementLoadFailed);
        assert_eq!(reason.console, None);
        assert_eq!(r.wire.len(), 1, "the request was made");
    }
}

#[test]
fn script_with_javascript_type_loads() {
    let headers = [
        ("Content-Type", "text/javascript"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    let r = run(
        Browser::Chrome,
        &headers,
        element(RequestKind::Script, None),
    );
    assert_eq!(r.outcome, Outcome::Opaque);
}
