//! Request-side rules: safelisted request headers, forbidden headers, methods, automatic
//! Content-Type and the preflight decision (docs/facts/browser.md §1).

use cors_engine::Browser;
use cors_engine::browser::preflight;
use cors_engine::browser::request::{self, EffectiveRequest};
use cors_engine::browser::request_headers::{is_forbidden, is_safelisted, unsafe_names};
use cors_engine::http::HeaderList;
use cors_engine::scenario::{BodySpec, CredentialsMode, Mode, RequestKind, RequestSpec};
use rstest::rstest;

const PAGE: &str = "http://127.0.0.1:8001";
const URL: &str = "http://127.0.0.1:8002/r";

fn spec(method: &str, headers: &[(&str, &str)]) -> RequestSpec {
    let mut spec = RequestSpec::fetch(URL);
    spec.method = method.to_string();
    spec.headers = headers.iter().copied().collect();
    spec
}

/// The ACRH value the browser would send, or `None` when no preflight is needed.
fn acrh(browser: Browser, spec: &RequestSpec) -> Option<String> {
    let profile = browser.profile();
    let request: EffectiveRequest<'_> =
        request::build(profile, PAGE, spec).expect("request builds");
    let need = preflight::need(profile, &request);
    need.is_needed()
        .then(|| cors_engine::http::HeaderText::join(&need.unsafe_headers, ",").to_string())
}

fn both(spec: &RequestSpec) -> (Option<String>, Option<String>) {
    (acrh(Browser::Chrome, spec), acrh(Browser::Firefox, spec))
}

// §1.3 lab results (both browsers agree).
#[rstest]
#[case::s1_3_json_content_type("Content-Type", "application/json", Some("content-type"))]
#[case::s1_3_text_plain_charset("Content-Type", "text/plain;charset=utf-8", None)]
#[case::s1_3_text_plain_mixed_case("Content-Type", "Text/Plain", None)]
#[case::s1_3_quoted_parameter("Content-Type", "text/plain; a=\"b\"", Some("content-type"))]
#[case::s1_3_form_urlencoded("Content-Type", "application/x-www-form-urlencoded", None)]
#[case::s1_3_multipart("Content-Type", "multipart/form-data; boundary=x", None)]
#[case::s1_3_accept_language_at("Accept-Language", "en@x", Some("accept-language"))]
#[case::s1_3_accept_language_ok("Accept-Language", "fr-CH, fr;q=0.9", None)]
#[case::s1_3_content_language_ok("Content-Language", "fr", None)]
#[case::s1_3_range_closed("Range", "bytes=0-10", None)]
#[case::s1_3_range_open("Range", "bytes=5-", None)]
#[case::s1_3_range_suffix("Range", "bytes=-10", Some("range"))]
#[case::s1_3_range_two("Range", "bytes=0-1,3-4", Some("range"))]
#[case::s1_3_range_reversed("Range", "bytes=5-1", Some("range"))]
#[case::s1_3_range_space("Range", "bytes=0- 1", Some("range"))]
#[case::s1_3_last_event_id("Last-Event-ID", "abc", Some("last-event-id"))]
#[case::s1_3_method_override("X-HTTP-Method-Override", "DELETE", Some("x-http-method-override"))]
#[case::s1_5_authorization("Authorization", "Bearer x", Some("authorization"))]
#[case::s1_3_accept_quote("Accept", "a\"b", Some("accept"))]
fn s1_3_single_header_preflight(
    #[case] name: &str,
    #[case] value: &str,
    #[case] expected: Option<&str>,
) {
    let spec = spec("GET", &[(name, value)]);
    let expected = expected.map(str::to_string);
    assert_eq!(both(&spec), (expected.clone(), expected));
}

// §1.3: 128-byte cap per value.
#[rstest]
#[case::s1_3_accept_128(128, None)]
#[case::s1_3_accept_129(129, Some("accept"))]
fn s1_3_value_length_cap(#[case] len: usize, #[case] expected: Option<&str>) {
    let value = "a".repeat(len);
    let spec = spec("GET", &[("Accept", &value)]);
    let expected = expected.map(str::to_string);
    assert_eq!(both(&spec), (expected.clone(), expected));
}

// §1.3: the 1024-byte total turns every safelisted header unsafe; ACRH sorted, lower-case.
#[test]
fn s1_3_total_over_1024_makes_all_unsafe() {
    let v = "b".repeat(120);
    let headers: HeaderList = [
        ("Accept", v.as_str()),
        ("Accept-Language", &"c".repeat(120)),
        ("Content-Language", &"d".repeat(120)),
        ("Content-Type", "text/plain"),
    ]
    .into_iter()
    .collect();
    assert!(unsafe_names(Browser::Chrome.profile(), &headers).is_empty());
    let many: HeaderList = (0..9).map(|i| (format!("X-{i}"), v.clone())).collect();
    // Not safelisted at all: each name unsafe on its own.
    assert_eq!(unsafe_names(Browser::Firefox.profile(), &many).len(), 9);
    let big: HeaderList = [
        ("Accept", "a".repeat(128)),
        ("Accept-Language", "b".repeat(128)),
        ("Content-Language", "c".repeat(128)),
        ("Range", "bytes=0-1".to_string()),
    ]
    .into_iter()
    .chain((0..7).map(|_| ("Accept-Language", "x".to_string())))
    .collect();
    // 128*3 + 9 = 393 bytes: still under the cap.
    assert!(unsafe_names(Browser::Chrome.profile(), &big).is_empty());
}

// §1.3 lab: nine Accept values of 120 bytes → preflight with ACRH `accept` in both browsers.
#[test]
fn s1_3_nine_accept_values_preflight_with_accept() {
    let value = "a".repeat(120);
    let headers: Vec<(&str, &str)> = (0..9).map(|_| ("Accept", value.as_str())).collect();
    let spec = spec("GET", &headers);
    assert_eq!(both(&spec), (Some("accept".into()), Some("accept".into())));
}

// §1.3 lab: two Content-Type entries combine to `text/plain, application/json` → preflight.
#[test]
fn s1_3_two_content_types_preflight() {
    let spec = spec(
        "POST",
        &[
            ("Content-Type", "text/plain"),
            ("Content-Type", "application/json"),
        ],
    );
    assert_eq!(
        both(&spec),
        (Some("content-type".into()), Some("content-type".into()))
    );
}

// §1.3 lab: ACRH = unsafe names lower-cased, de-duplicated, sorted, joined with ",".
#[test]
fn s1_3_acrh_sorted_lowercase_unique() {
    let spec = spec(
        "GET",
        &[
            ("X-B", "1"),
            ("Content-Type", "application/json"),
            ("x-a", "2"),
            ("X-A", "3"),
        ],
    );
    assert_eq!(
        both(&spec),
        (
            Some("content-type,x-a,x-b".into()),
            Some("content-type,x-a,x-b".into())
        )
    );
}

// §1.3: automatic Content-Type of each body type.
#[rstest]
#[case::s1_3_string_body(BodySpec::Text { text: "x".into() }, None)]
#[case::s1_3_url_search_params(BodySpec::UrlSearchParams { text: "a=b".into() }, None)]
#[case::s1_3_form_data(BodySpec::FormData { fields: vec![("a".into(), "b".into())] }, None)]
#[case::s1_3_json_blob(BodySpec::Blob { text: "{}".into(), r#type: "application/json".into() }, Some("content-type"))]
#[case::s1_3_typeless_blob(BodySpec::Blob { text: "{}".into(), r#type: String::new() }, None)]
fn s1_3_automatic_content_type(#[case] body: BodySpec, #[case] expected: Option<&str>) {
    let mut spec = spec("POST", &[]);
    spec.body = Some(body);
    let expected = expected.map(str::to_string);
    assert_eq!(both(&spec), (expected.clone(), expected));
}

// §1.4: forbidden headers are dropped silently and never cause a preflight.
#[rstest]
#[case::s1_4_cookie("Cookie", "a=b", true)]
#[case::s1_4_origin("Origin", "http://evil.test", true)]
#[case::s1_4_proxy_prefix("Proxy-Foo", "1", true)]
#[case::s1_4_sec_prefix("Sec-Foo", "1", true)]
#[case::s1_4_override_forbidden_method("X-HTTP-Method-Override", "TRACE", true)]
#[case::s1_4_override_normal_method("X-HTTP-Method-Override", "DELETE", false)]
#[case::s1_4_user_agent_not_forbidden("User-Agent", "x", false)]
fn s1_4_forbidden_request_headers(
    #[case] name: &str,
    #[case] value: &str,
    #[case] forbidden: bool,
) {
    assert_eq!(is_forbidden(name, value), forbidden);
    if forbidden {
        assert_eq!(both(&spec("GET", &[(name, value)])), (None, None));
    }
}

// §1.8 deviations: Chromium drops User-Agent and safelists client hints and Intervention.
#[rstest]
#[case::s1_8_user_agent("User-Agent", "x", None, Some("user-agent"))]
#[case::s1_8_dpr("DPR", "2", None, Some("dpr"))]
#[case::s1_8_dpr_decimal("DPR", "1.5", None, Some("dpr"))]
#[case::s1_8_save_data("Save-Data", "on", None, Some("save-data"))]
#[case::s1_8_save_data_off("Save-Data", "off", Some("save-data"), Some("save-data"))]
#[case::s1_8_width("Width", "100", None, Some("width"))]
#[case::s1_8_width_decimal("Width", "1.5", Some("width"), Some("width"))]
#[case::s1_8_ect("ECT", "4g", None, Some("ect"))]
#[case::s1_8_intervention("Intervention", "anything", None, Some("intervention"))]
#[case::s1_8_empty_client_hint("DPR", "", Some("dpr"), Some("dpr"))]
fn s1_8_chrome_firefox_header_deviations(
    #[case] name: &str,
    #[case] value: &str,
    #[case] chrome: Option<&str>,
    #[case] firefox: Option<&str>,
) {
    let spec = spec("GET", &[(name, value)]);
    assert_eq!(
        both(&spec),
        (chrome.map(str::to_string), firefox.map(str::to_string))
    );
}

// §1.1/§1.8: XHR upload listeners force a preflight in both; ReadableStream only in Chrome.
#[test]
fn s1_1_upload_listener_and_stream_body() {
    let mut xhr = spec("POST", &[]);
    xhr.kind = RequestKind::Xhr;
    xhr.body = Some(BodySpec::Text { text: "x".into() });
    assert_eq!(both(&xhr), (None, None));
    xhr.upload_listener = true;
    assert_eq!(both(&xhr), (Some(String::new()), Some(String::new())));

    let mut stream = spec("POST", &[]);
    stream.body = Some(BodySpec::ReadableStream { text: "x".into() });
    assert_eq!(both(&stream), (Some(String::new()), None));
}

// §1.2: normalisation of the six methods only; forbidden methods are a TypeError.
#[rstest]
#[case::s1_2_delete_normalised("delete", "DELETE", true)]
#[case::s1_2_patch_kept("patch", "patch", true)]
#[case::s1_2_get_normalised("get", "GET", false)]
#[case::s1_2_post_normalised("pOsT", "POST", false)]
#[case::s1_2_custom("CHICKEN", "CHICKEN", true)]
fn s1_2_method_normalisation(#[case] method: &str, #[case] wire: &str, #[case] preflights: bool) {
    let spec = spec(method, &[]);
    for browser in Browser::ALL {
        let request = request::build(browser.profile(), PAGE, &spec).expect("builds");
        assert_eq!(request.method, wire);
        assert_eq!(
            preflight::need(browser.profile(), &request).is_needed(),
            preflights
        );
    }
}

#[rstest]
#[case::s1_2_connect("CONNECT")]
#[case::s1_2_trace_lower("trace")]
#[case::s1_2_track("TRACK")]
#[case::invalid_token("BAD METHOD")]
fn s1_2_forbidden_methods_rejected(#[case] method: &str) {
    for browser in Browser::ALL {
        let err = request::build(browser.profile(), PAGE, &spec(method, &[])).unwrap_err();
        assert_eq!(err.code, cors_engine::ReasonCode::RequestRejected);
    }
}

// §1.6: no-cors keeps only no-CORS-safelisted headers, drops Range; PUT is a TypeError.
#[test]
fn s1_6_no_cors_guard_and_methods() {
    let mut s = spec(
        "GET",
        &[
            ("X-Foo", "1"),
            ("Accept", "text/html"),
            ("Range", "bytes=0-1"),
            ("Content-Type", "application/json"),
        ],
    );
    s.mode = Mode::NoCors;
    let request = request::build(Browser::Chrome.profile(), PAGE, &s).expect("builds");
    let names: Vec<&str> = request.headers.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Accept"]);
    s.method = "PUT".into();
    let err = request::build(Browser::Chrome.profile(), PAGE, &s).unwrap_err();
    assert_eq!(err.code, cors_engine::ReasonCode::RequestRejected);
}

// §7.2: XHR credentials follow withCredentials only.
#[rstest]
#[case::s7_2_with_credentials(CredentialsMode::Include, CredentialsMode::Include)]
#[case::s7_2_without(CredentialsMode::Omit, CredentialsMode::SameOrigin)]
fn s7_2_xhr_credentials(#[case] given: CredentialsMode, #[case] effective: CredentialsMode) {
    let mut s = spec("GET", &[]);
    s.kind = RequestKind::Xhr;
    s.credentials = given;
    s.mode = Mode::NoCors; // ignored: XHR is always cors
    let request = request::build(Browser::Firefox.profile(), PAGE, &s).expect("builds");
    assert_eq!((request.mode, request.credentials), (Mode::Cors, effective));
}

#[test]
fn safelist_rules_direct() {
    let chrome = Browser::Chrome.profile();
    assert!(is_safelisted(chrome, "accept", "*/*"));
    assert!(!is_safelisted(chrome, "content-type", "text/html"));
    assert!(!is_safelisted(
        chrome,
        "content-type",
        "text/plain, application/json"
    ));
    assert!(is_safelisted(chrome, "CONTENT-TYPE", " text/plain "));
}

// §1.1: a ReadableStream body requires mode cors or same-origin.
#[test]
fn s1_1_stream_body_in_no_cors_rejected() {
    let mut s = spec("POST", &[]);
    s.mode = Mode::NoCors;
    s.body = Some(BodySpec::ReadableStream { text: "x".into() });
    for browser in Browser::ALL {
        let err = request::build(browser.profile(), PAGE, &s).unwrap_err();
        assert_eq!(err.code, cors_engine::ReasonCode::RequestRejected);
    }
}
