//! Preflight response checks (docs/facts/browser.md §3.2 lab rows, §3.4 Authorization + `*`).

use cors_engine::http::HeaderList;
use cors_engine::scenario::{CredentialsMode, RequestSpec, Scenario};
use cors_engine::{Browser, Outcome, ReasonCode, RequestResult, predict};
use rstest::rstest;

use crate::support::{PAGE, SERVER, literal, raw_server, scenario};

const URL: &str = "http://127.0.0.1:8002/r";
const ACAO: &str = "Access-Control-Allow-Origin";
const ACAC: &str = "Access-Control-Allow-Credentials";
const ACAM: &str = "Access-Control-Allow-Methods";
const ACAH: &str = "Access-Control-Allow-Headers";

fn preflighted(
    preflight_status: u16,
    preflight: &[(&str, &str)],
    actual: &[(&str, &str)],
    request: RequestSpec,
) -> Scenario {
    let server = raw_server(
        SERVER,
        literal(preflight_status, preflight, b""),
        literal(200, actual, b"ok"),
    );
    scenario(PAGE, server, vec![request])
}

fn request(method: &str, headers: &[(&str, &str)], credentials: CredentialsMode) -> RequestSpec {
    let mut r = RequestSpec::fetch(URL);
    r.method = method.into();
    r.headers = headers.iter().copied().collect::<HeaderList>();
    r.credentials = credentials;
    r
}

fn run(browser: Browser, s: &Scenario) -> RequestResult {
    predict(s, browser).requests.remove(0).result
}

fn code(r: &RequestResult) -> Result<(), ReasonCode> {
    match (&r.outcome, &r.reason) {
        (Outcome::Allowed, None) => Ok(()),
        (_, Some(reason)) => Err(reason.code),
        (o, None) => panic!("outcome {o:?} without reason"),
    }
}

const OMIT: CredentialsMode = CredentialsMode::Omit;
const INCLUDE: CredentialsMode = CredentialsMode::Include;

// §3.2 lab rows (both browsers identical).
#[rstest]
#[case::s3_2_acam_put("PUT", &[], OMIT, 204, &[(ACAM, "PUT")], Ok(()))]
#[case::s3_2_acam_lowercase_put("PUT", &[], OMIT, 204, &[(ACAM, "put")], Err(ReasonCode::MethodNotAllowed))]
#[case::s3_2_acam_absent("PUT", &[], OMIT, 204, &[], Err(ReasonCode::MethodNotAllowed))]
#[case::s3_2_acam_star("PUT", &[], OMIT, 204, &[(ACAM, "*")], Ok(()))]
#[case::s3_2_acam_star_credentials("PUT", &[], INCLUDE, 204, &[(ACAM, "*"), (ACAC, "true")], Err(ReasonCode::MethodNotAllowed))]
#[case::s3_2_patch_lower_allowed("patch", &[], OMIT, 204, &[(ACAM, "patch")], Ok(()))]
#[case::s3_2_patch_upper_refused("patch", &[], OMIT, 204, &[(ACAM, "PATCH")], Err(ReasonCode::MethodNotAllowed))]
#[case::s3_2_delete_normalised("delete", &[], OMIT, 204, &[(ACAM, "DELETE")], Ok(()))]
#[case::s3_2_acam_bad_value("PUT", &[], OMIT, 204, &[(ACAM, "PUT, bad value")], Err(ReasonCode::AllowMethodsInvalid))]
#[case::s3_2_acam_empty_elements("PUT", &[], OMIT, 204, &[(ACAM, ",,PUT,")], Ok(()))]
#[case::s3_2_acah_lower("GET", &[("X-Foo", "1")], OMIT, 204, &[(ACAH, "x-foo")], Ok(()))]
#[case::s3_2_acah_upper("GET", &[("X-Foo", "1")], OMIT, 204, &[(ACAH, "X-FOO")], Ok(()))]
#[case::s3_2_acah_other("GET", &[("X-Foo", "1")], OMIT, 204, &[(ACAH, "x-bar")], Err(ReasonCode::HeaderNotAllowed))]
#[case::s3_2_acah_bad_value("GET", &[("X-Foo", "1")], OMIT, 204, &[(ACAH, "x-foo, bad value")], Err(ReasonCode::AllowHeadersInvalid))]
#[case::s3_2_acah_star("GET", &[("X-Foo", "1")], OMIT, 204, &[(ACAH, "*")], Ok(()))]
#[case::s3_2_acah_star_credentials("GET", &[("X-Foo", "1")], INCLUDE, 204, &[(ACAH, "*"), (ACAC, "true")], Err(ReasonCode::HeaderNotAllowed))]
#[case::s3_2_status_404("PUT", &[], OMIT, 404, &[(ACAM, "PUT")], Err(ReasonCode::PreflightStatus))]
#[case::s3_2_status_302("PUT", &[], OMIT, 302, &[(ACAM, "PUT"), ("Location", "http://127.0.0.1:8003/")], Err(ReasonCode::PreflightRedirect))]
#[case::s3_2_acac_false("PUT", &[], INCLUDE, 204, &[(ACAM, "PUT"), (ACAC, "false")], Err(ReasonCode::AllowCredentialsNotTrue))]
#[case::s3_4_authorization_star("GET", &[("Authorization", "x")], OMIT, 204, &[(ACAH, "*")], Ok(()))]
#[case::s3_4_authorization_listed("GET", &[("Authorization", "x")], OMIT, 204, &[(ACAH, "authorization")], Ok(()))]
fn s3_2_preflight_table(
    #[case] method: &str,
    #[case] headers: &[(&str, &str)],
    #[case] credentials: CredentialsMode,
    #[case] status: u16,
    #[case] preflight: &[(&str, &str)],
    #[case] expected: Result<(), ReasonCode>,
) {
    let origin = if credentials == INCLUDE { PAGE } else { "*" };
    let mut preflight_headers = vec![(ACAO, origin)];
    preflight_headers.extend_from_slice(preflight);
    let mut actual = vec![(ACAO, origin)];
    if credentials == INCLUDE {
        actual.push((ACAC, "true"));
    }
    let s = preflighted(
        status,
        &preflight_headers,
        &actual,
        request(method, headers, credentials),
    );
    for browser in Browser::ALL {
        let r = run(browser, &s);
        assert!(r.preflight, "{browser}: a preflight crossed the wire");
        assert!(r.wire[0].is_preflight());
        assert_eq!(code(&r), expected, "{browser}");
        // On failure the actual request is never sent.
        assert_eq!(
            r.wire.len(),
            if expected.is_ok() { 2 } else { 1 },
            "{browser}"
        );
    }
}

// §3.2: a preflight without ACAO is refused even though the actual response would have it.
#[test]
fn s3_2_preflight_without_acao() {
    let s = preflighted(
        204,
        &[(ACAM, "PUT")],
        &[(ACAO, "*")],
        request("PUT", &[], OMIT),
    );
    for browser in Browser::ALL {
        assert_eq!(code(&run(browser, &s)), Err(ReasonCode::AllowOriginMissing));
    }
}

// §3.2: preflight OK, actual response without ACAO: the actual request is sent, then blocked.
#[test]
fn s3_2_actual_sent_then_blocked() {
    let s = preflighted(
        204,
        &[(ACAO, "*"), (ACAM, "PUT")],
        &[],
        request("PUT", &[], OMIT),
    );
    for browser in Browser::ALL {
        let r = run(browser, &s);
        assert_eq!(code(&r), Err(ReasonCode::AllowOriginMissing));
        assert_eq!(r.wire.len(), 2);
        assert_eq!(r.wire[1].method, "PUT");
    }
}

// §1.7: the preflight carries ACRM, ACRH (only when non-empty) and Origin, in that order.
#[test]
fn s1_7_preflight_request_headers() {
    let s = preflighted(
        204,
        &[(ACAO, "*"), (ACAM, "PUT"), (ACAH, "x-b, x-a")],
        &[(ACAO, "*")],
        request("PUT", &[("X-B", "1"), ("X-A", "2")], OMIT),
    );
    let r = run(Browser::Chrome, &s);
    let sent: Vec<(&str, &str)> = r.wire[0].request_headers.iter().collect();
    assert_eq!(
        sent,
        [
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "x-a,x-b"),
            ("Origin", PAGE)
        ]
    );
    let no_headers = preflighted(
        204,
        &[(ACAO, "*"), (ACAM, "DELETE")],
        &[(ACAO, "*")],
        request("DELETE", &[], OMIT),
    );
    let r = run(Browser::Firefox, &no_headers);
    assert!(
        !r.wire[0]
            .request_headers
            .contains("access-control-request-headers")
    );
    assert_eq!(r.wire[1].request_headers.get("origin"), Some(PAGE));
}

// §3.3: Chromium parses ACAH before checking the method; Firefox checks the method first.
#[test]
fn s3_3_check_order_differs() {
    let s = preflighted(
        204,
        &[(ACAO, "*"), (ACAM, "GET"), (ACAH, "bad value")],
        &[(ACAO, "*")],
        request("PUT", &[("X-Foo", "1")], OMIT),
    );
    assert_eq!(
        code(&run(Browser::Chrome, &s)),
        Err(ReasonCode::AllowHeadersInvalid)
    );
    assert_eq!(
        code(&run(Browser::Firefox, &s)),
        Err(ReasonCode::MethodNotAllowed)
    );
}

// §3.1 step 3: no ACAM on a preflight forced by an upload listener allows the method.
#[test]
fn s3_1_forced_preflight_without_acam() {
    let mut xhr = request("POST", &[], OMIT);
    xhr.kind = cors_engine::scenario::RequestKind::Xhr;
    xhr.upload_listener = true;
    xhr.body = Some(cors_engine::scenario::BodySpec::Text { text: "x".into() });
    let s = preflighted(204, &[(ACAO, "*")], &[(ACAO, "*")], xhr);
    for browser in Browser::ALL {
        let r = run(browser, &s);
        assert!(r.preflight);
        assert_eq!(code(&r), Ok(()));
    }
}
