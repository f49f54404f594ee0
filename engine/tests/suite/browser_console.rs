//! Console texts (docs/facts/browser.md §8.2 Chrome, §8.3 Firefox) and the reverse mapping from a
//! Chrome log line to a reason code.

use cors_engine::browser::console::{ConsoleContext, parse_chrome, render};
use cors_engine::browser::failure::{Failure, Rejection, Stage};
use cors_engine::scenario::RequestKind;
use cors_engine::{Browser, ReasonCode};
use rstest::rstest;

const URL: &str = "https://assets.s3.amazonaws.com/cat.png";
const ORIGIN: &str = "https://app.example.com";

fn text(
    browser: Browser,
    kind: RequestKind,
    code: ReasonCode,
    stage: Stage,
    detail: &str,
    status: u16,
) -> String {
    let context = ConsoleContext {
        kind,
        url: URL,
        origin: ORIGIN,
    };
    render(
        browser,
        &context,
        &Failure::new(code, stage, detail, status),
    )
}

const CHROME_PREFIX: &str = "Access to fetch at 'https://assets.s3.amazonaws.com/cat.png' from origin 'https://app.example.com' has been blocked by CORS policy: ";

// §8.2 templates.
#[rstest]
#[case::s8_2_missing(
    ReasonCode::AllowOriginMissing,
    Stage::Actual,
    "",
    "No 'Access-Control-Allow-Origin' header is present on the requested resource."
)]
#[case::s8_2_mismatch(
    ReasonCode::AllowOriginMismatch,
    Stage::Actual,
    "https://app.example.com/",
    "The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value."
)]
#[case::s8_2_multiple(
    ReasonCode::AllowOriginMultiple,
    Stage::Actual,
    "a, b",
    "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value."
)]
#[case::s8_2_invalid(
    ReasonCode::AllowOriginInvalid,
    Stage::Actual,
    "x",
    "The 'Access-Control-Allow-Origin' header contains the invalid value 'x'."
)]
#[case::s8_2_wildcard(
    ReasonCode::WildcardOriginWithCredentials,
    Stage::Actual,
    "*",
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
)]
#[case::s8_2_acac(
    ReasonCode::AllowCredentialsNotTrue,
    Stage::Actual,
    "",
    "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'."
)]
#[case::s8_2_preflight_missing(
    ReasonCode::AllowOriginMissing,
    Stage::Preflight,
    "",
    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
)]
#[case::s8_2_preflight_status(
    ReasonCode::PreflightStatus,
    Stage::Preflight,
    "403",
    "Response to preflight request doesn't pass access control check: It does not have HTTP ok status."
)]
#[case::s8_2_preflight_redirect(
    ReasonCode::PreflightRedirect,
    Stage::Preflight,
    "",
    "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request."
)]
#[case::s8_2_method(
    ReasonCode::MethodNotAllowed,
    Stage::Preflight,
    "PUT",
    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
)]
#[case::s8_2_header(
    ReasonCode::HeaderNotAllowed,
    Stage::Preflight,
    "x-foo",
    "Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response."
)]
#[case::s8_2_bad_acam(
    ReasonCode::AllowMethodsInvalid,
    Stage::Preflight,
    "bad value",
    "Cannot parse Access-Control-Allow-Methods response header field in preflight response."
)]
#[case::s8_2_bad_acah(
    ReasonCode::AllowHeadersInvalid,
    Stage::Preflight,
    "bad value",
    "Cannot parse Access-Control-Allow-Headers response header field in preflight response."
)]
fn s8_2_chrome_texts(
    #[case] code: ReasonCode,
    #[case] stage: Stage,
    #[case] detail: &str,
    #[case] reason: &str,
) {
    let got = text(
        Browser::Chrome,
        RequestKind::Fetch,
        code,
        stage,
        detail,
        200,
    );
    assert_eq!(got, format!("{CHROME_PREFIX}{reason}"));
    // The runner maps the real line back to the code, whatever the log adds around it.
    let logged = format!("http://page/ 0:0 \"{got}\"");
    assert_eq!(parse_chrome(&logged), Some(code));
}

// §8.2: the kind names, and the hints that depend on the API.
#[rstest]
#[case::s8_2_image(RequestKind::Img, "Access to image at")]
#[case::s8_2_canvas_image(RequestKind::ImgCanvas, "Access to image at")]
#[case::s8_2_script(RequestKind::Script, "Access to script at")]
#[case::s8_2_font(RequestKind::Font, "Access to font at")]
#[case::s7_2_xhr(RequestKind::Xhr, "Access to XMLHttpRequest at")]
fn s8_2_kind_names(#[case] kind: RequestKind, #[case] start: &str) {
    let got = text(
        Browser::Chrome,
        kind,
        ReasonCode::AllowOriginMismatch,
        Stage::Actual,
        "x://y",
        200,
    );
    assert!(got.starts_with(start), "{got}");
    // The "Have the server send…" sentence is only for fetch.
    assert!(!got.contains("Have the server"), "{got}");
}

#[test]
fn s7_2_xhr_credentials_hint() {
    let got = text(
        Browser::Chrome,
        RequestKind::Xhr,
        ReasonCode::AllowCredentialsNotTrue,
        Stage::Actual,
        "",
        200,
    );
    assert!(got.ends_with("The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."), "{got}");
}

const FF_PREFIX: &str = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://assets.s3.amazonaws.com/cat.png. (Reason: ";

// §8.3 templates (typographic quotes).
#[rstest]
#[case::s8_3_missing(
    ReasonCode::AllowOriginMissing,
    Stage::Actual,
    "",
    200,
    "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200."
)]
#[case::s8_3_mismatch(
    ReasonCode::AllowOriginMismatch,
    Stage::Actual,
    "https://x.test",
    200,
    "CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://x.test’)."
)]
#[case::s8_3_multiple(
    ReasonCode::AllowOriginMultiple,
    Stage::Actual,
    "a, b",
    200,
    "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed)."
)]
#[case::s8_3_acac(
    ReasonCode::AllowCredentialsNotTrue,
    Stage::Actual,
    "",
    200,
    "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."
)]
#[case::s8_3_preflight_status(
    ReasonCode::PreflightStatus,
    Stage::Preflight,
    "403",
    403,
    "CORS preflight response did not succeed). Status code: 403."
)]
#[case::s8_3_method(
    ReasonCode::MethodNotAllowed,
    Stage::Preflight,
    "PUT",
    200,
    "Did not find method in CORS header ‘Access-Control-Allow-Methods’)."
)]
#[case::s8_3_header(
    ReasonCode::HeaderNotAllowed,
    Stage::Preflight,
    "x-foo",
    200,
    "header ‘x-foo’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."
)]
#[case::s8_3_bad_acam(
    ReasonCode::AllowMethodsInvalid,
    Stage::Preflight,
    "bad value",
    200,
    "invalid token ‘bad value’ in CORS header ‘Access-Control-Allow-Methods’)."
)]
#[case::s8_3_bad_acah(
    ReasonCode::AllowHeadersInvalid,
    Stage::Preflight,
    "bad value",
    200,
    "invalid token ‘bad value’ in CORS header ‘Access-Control-Allow-Headers’)."
)]
#[case::s8_3_redirect(
    ReasonCode::PreflightRedirect,
    Stage::Preflight,
    "",
    302,
    "CORS request external redirect not allowed)."
)]
fn s8_3_firefox_texts(
    #[case] code: ReasonCode,
    #[case] stage: Stage,
    #[case] detail: &str,
    #[case] status: u16,
    #[case] reason: &str,
) {
    assert_eq!(
        text(
            Browser::Firefox,
            RequestKind::Fetch,
            code,
            stage,
            detail,
            status
        ),
        format!("{FF_PREFIX}{reason}")
    );
}

#[test]
fn s8_3_wildcard_quotes_the_url() {
    let got = text(
        Browser::Firefox,
        RequestKind::Fetch,
        ReasonCode::WildcardOriginWithCredentials,
        Stage::Actual,
        "*",
        200,
    );
    assert_eq!(
        got,
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘https://assets.s3.amazonaws.com/cat.png’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
    );
}

// §7.1 and §1.6: the canvas exception and the no-cors TypeError, in both browsers.
#[test]
fn s7_1_canvas_and_s1_6_rejection_texts() {
    let context = ConsoleContext {
        kind: RequestKind::ImgCanvas,
        url: URL,
        origin: ORIGIN,
    };
    let canvas = Failure::new(ReasonCode::CanvasTainted, Stage::Canvas, "", 0);
    let chrome = render(Browser::Chrome, &context, &canvas);
    assert!(chrome.ends_with("The canvas has been tainted by cross-origin data."));
    assert_eq!(parse_chrome(&chrome), Some(ReasonCode::CanvasTainted));
    assert_eq!(
        render(Browser::Firefox, &context, &canvas),
        "The operation is insecure."
    );

    let context = ConsoleContext {
        kind: RequestKind::Fetch,
        url: URL,
        origin: ORIGIN,
    };
    let put = Failure::rejected(Rejection::MethodUnsupportedInNoCors, "PUT");
    let chrome = render(Browser::Chrome, &context, &put);
    assert_eq!(
        chrome,
        "Failed to execute 'fetch' on 'Window': 'PUT' is unsupported in no-cors mode."
    );
    assert_eq!(parse_chrome(&chrome), Some(ReasonCode::RequestRejected));
    assert!(render(Browser::Firefox, &context, &put).contains("Invalid request method PUT."));
}

#[test]
fn unknown_lines_map_to_nothing() {
    assert_eq!(parse_chrome("Uncaught TypeError: Failed to fetch"), None);
    assert_eq!(
        parse_chrome("has been blocked by CORS policy: something new"),
        None
    );
}
