//! A realistic run to render: two browsers, a case that agrees everywhere, one that diverges in
//! Chrome on `outcome`, one whose `expect` fails in Firefox and one that hit an infrastructure
//! error in Firefox. Builders for variations live here too.

use std::collections::BTreeMap;

use cors_engine::observation::{Difference, Reason};
use cors_engine::trace::Actor;
use cors_engine::{Browser, HeaderList, Outcome, ReasonCode, RequestResult, Trace, WireExchange};
use cors_reports::{
    BrowserInfo, CaseBrowserReport, CaseReport, RequestReport, RunReport, SCHEMA_VERSION, Verdict,
};

pub const AGREE_CASE: &str = "s3/simple/get-from-listed-origin";
pub const DIVERGE_CASE: &str = "s3/preflight/put-needs-allowed-method";
pub const EXPECTATION_CASE: &str = "s3/expose/etag-needs-expose-header";
pub const INFRA_CASE: &str = "s3/credentials/cookie-with-wildcard";

const PAGE: &str = "https://app.example.com";
const BUCKET: &str = "https://assets.s3.amazonaws.com";

pub fn headers(pairs: &[(&str, &str)]) -> HeaderList {
    pairs.iter().map(|(n, v)| (*n, *v)).collect()
}

fn get_allowed() -> RequestResult {
    RequestResult {
        outcome: Outcome::Allowed,
        preflight: false,
        status: Some(200),
        readable: BTreeMap::from([("content-type".to_string(), Some("image/png".to_string()))]),
        canvas_tainted: None,
        wire: vec![WireExchange {
            method: "GET".into(),
            url: format!("{BUCKET}/logo.png"),
            request_headers: headers(&[("Origin", PAGE)]),
            status: 200,
            response_headers: headers(&[
                ("Access-Control-Allow-Origin", PAGE),
                ("Access-Control-Allow-Methods", "GET, HEAD"),
                (
                    "Vary",
                    "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
                ),
            ]),
        }],
        reason: None,
    }
}

fn get_trace() -> Trace {
    let mut trace = Trace::new();
    trace.pass(
        Actor::S3,
        format!("rule 1 matches: origin {PAGE} is in AllowedOrigin, GET in AllowedMethod"),
    );
    trace.pass(
        Actor::Browser,
        "GET with no unsafe headers is a simple request: no preflight",
    );
    trace.pass(
        Actor::Browser,
        format!("Access-Control-Allow-Origin {PAGE} equals the page's origin"),
    );
    trace
}

fn put_preflight(status: u16, allow_methods: &str) -> WireExchange {
    WireExchange {
        method: "OPTIONS".into(),
        url: format!("{BUCKET}/upload.txt"),
        request_headers: headers(&[("Origin", PAGE), ("Access-Control-Request-Method", "PUT")]),
        status,
        response_headers: headers(&[
            ("Access-Control-Allow-Origin", PAGE),
            ("Access-Control-Allow-Methods", allow_methods),
            (
                "Vary",
                "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
            ),
        ]),
    }
}

fn put_blocked() -> RequestResult {
    RequestResult {
        outcome: Outcome::Blocked,
        preflight: true,
        status: None,
        readable: BTreeMap::new(),
        canvas_tainted: None,
        wire: vec![put_preflight(200, "GET")],
        reason: Some(Reason {
            code: ReasonCode::MethodNotAllowed,
            console: Some(format!(
                "Access to fetch at '{BUCKET}/upload.txt' from origin '{PAGE}' has been blocked by \
                 CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
            )),
        }),
    }
}

fn put_allowed() -> RequestResult {
    let mut wire = vec![put_preflight(200, "GET, PUT")];
    wire.push(WireExchange {
        method: "PUT".into(),
        url: format!("{BUCKET}/upload.txt"),
        request_headers: headers(&[("Origin", PAGE)]),
        status: 200,
        response_headers: headers(&[("Access-Control-Allow-Origin", PAGE), ("Vary", "Origin")]),
    });
    RequestResult {
        outcome: Outcome::Allowed,
        preflight: true,
        status: Some(200),
        readable: BTreeMap::new(),
        canvas_tainted: None,
        wire,
        reason: None,
    }
}

fn put_trace() -> Trace {
    let mut trace = Trace::new();
    trace.info(
        Actor::Browser,
        "PUT is not a CORS-safelisted method: preflight",
    );
    trace.pass(
        Actor::S3,
        format!("rule 1 matches the preflight: origin {PAGE}, method GET"),
    );
    trace.fail(
        Actor::Browser,
        "PUT is not in Access-Control-Allow-Methods: GET",
    );
    trace
}

fn etag_hidden() -> RequestResult {
    let mut result = get_allowed();
    result.readable = BTreeMap::from([("etag".to_string(), None)]);
    result
}

pub fn request(
    label: &str,
    predicted: RequestResult,
    observed: Option<RequestResult>,
    explanation: Trace,
) -> RequestReport {
    let differences: Vec<Difference> = observed
        .as_ref()
        .map(|o| predicted.differences(o))
        .unwrap_or_default();
    RequestReport {
        label: label.into(),
        agree: observed.is_some() && differences.is_empty(),
        predicted,
        observed,
        differences,
        explanation,
    }
}

pub fn result(
    browser: Browser,
    verdict: Verdict,
    requests: Vec<RequestReport>,
) -> CaseBrowserReport {
    CaseBrowserReport {
        browser,
        verdict,
        duration_ms: 420,
        attempts: 1,
        infrastructure_error: None,
        expectation_failures: Vec::new(),
        requests,
    }
}

pub fn case(id: &str, title: &str, tags: &[&str], browsers: Vec<CaseBrowserReport>) -> CaseReport {
    CaseReport {
        id: id.into(),
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        file: format!("cases/{id}.toml"),
        load_error: None,
        browsers,
    }
}

fn agree_case() -> CaseReport {
    let req = || {
        request(
            &format!("fetch GET {BUCKET}/logo.png"),
            get_allowed(),
            Some(get_allowed()),
            get_trace(),
        )
    };
    case(
        AGREE_CASE,
        "GET from an origin listed in AllowedOrigin is readable",
        &["s3", "simple"],
        Browser::ALL
            .iter()
            .map(|&b| result(b, Verdict::Agree, vec![req()]))
            .collect(),
    )
}

fn diverge_case() -> CaseReport {
    let label = format!("fetch PUT {BUCKET}/upload.txt");
    let chrome = result(
        Browser::Chrome,
        Verdict::Diverge,
        vec![request(
            &label,
            put_blocked(),
            Some(put_allowed()),
            put_trace(),
        )],
    );
    let firefox = result(
        Browser::Firefox,
        Verdict::Agree,
        vec![request(
            &label,
            put_blocked(),
            Some(put_blocked()),
            put_trace(),
        )],
    );
    case(
        DIVERGE_CASE,
        "PUT is blocked when the rule only allows GET",
        &["s3", "preflight"],
        vec![chrome, firefox],
    )
}

fn expectation_case() -> CaseReport {
    let label = format!("fetch GET {BUCKET}/logo.png, read ETag");
    let req = || request(&label, etag_hidden(), Some(etag_hidden()), get_trace());
    let mut firefox = result(Browser::Firefox, Verdict::ExpectationFailed, vec![req()]);
    firefox.expectation_failures =
        vec!["request 1: expected readable.etag \"\\\"9b2cf535f27731c974343645a3985328\\\"\", observed null".into()];
    case(
        EXPECTATION_CASE,
        "ETag is readable only when ExposeHeader lists it",
        &["s3", "expose"],
        vec![
            result(Browser::Chrome, Verdict::Agree, vec![req()]),
            firefox,
        ],
    )
}

fn infra_case() -> CaseReport {
    let label = format!("fetch GET {BUCKET}/private.json with credentials");
    let mut firefox = result(
        Browser::Firefox,
        Verdict::InfrastructureError,
        vec![request(&label, get_allowed(), None, get_trace())],
    );
    firefox.attempts = 2;
    firefox.infrastructure_error = Some(
        "geckodriver: session not created: Process unexpectedly closed with status signal".into(),
    );
    case(
        INFRA_CASE,
        "A credentialed GET is blocked by AllowedOrigin *",
        &["s3", "credentials"],
        vec![
            result(
                Browser::Chrome,
                Verdict::Agree,
                vec![request(
                    &label,
                    get_allowed(),
                    Some(get_allowed()),
                    get_trace(),
                )],
            ),
            firefox,
        ],
    )
}

/// The standard sample run.
pub fn sample() -> RunReport {
    RunReport {
        schema_version: SCHEMA_VERSION,
        started_at: "2026-11-24T14:03:12Z".into(),
        duration_ms: 14_240,
        browsers: vec![
            BrowserInfo {
                browser: Browser::Chrome,
                version: "142.0.7444.175".into(),
                duration_ms: 6_100,
            },
            BrowserInfo {
                browser: Browser::Firefox,
                version: "140.5.0esr".into(),
                duration_ms: 7_900,
            },
        ],
        cases: vec![
            agree_case(),
            diverge_case(),
            expectation_case(),
            infra_case(),
        ],
        interrupted: false,
    }
}

/// A case whose file did not load.
pub fn load_error_case(id: &str) -> CaseReport {
    CaseReport {
        load_error: Some(format!(
            "cases/{id}.toml: line 4: missing field `origin` in [page]"
        )),
        ..case(id, "", &[], Vec::new())
    }
}

/// The case with this id.
pub fn case_mut<'a>(report: &'a mut RunReport, id: &str) -> &'a mut CaseReport {
    report
        .cases
        .iter_mut()
        .find(|c| c.id == id)
        .expect("sample case exists")
}
