//! S3's answer to OPTIONS (`docs/facts/s3.md` §3, recipe §9): evaluation order, statuses, error
//! bodies and the exact header set on success.

use cors_engine::config::{CorsConfiguration, CorsRule};
use cors_engine::s3::{self, Addressed, BucketState, PreflightAnswer, S3Request};
use rstest::rstest;

use crate::support::{State, strings};

const VARY: &str = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

fn config() -> CorsConfiguration {
    CorsConfiguration {
        rules: vec![CorsRule {
            allowed_origins: strings(&["https://app.example.com"]),
            allowed_methods: strings(&["GET", "PUT"]),
            allowed_headers: strings(&["x-amz-*", "Content-Type"]),
            ..CorsRule::default()
        }],
    }
}

fn run(
    state: State,
    origin: Option<&str>,
    acrm: Option<&str>,
    acrh: Option<&str>,
    addressed: Addressed,
) -> PreflightAnswer {
    let config = config();
    let bucket = state.of(&config);
    s3::preflight(
        bucket,
        &S3Request {
            method: "OPTIONS",
            origin,
            access_control_request_method: acrm,
            access_control_request_headers: acrh,
            addressed,
        },
    )
}

const NO_ORIGIN: &str = "Insufficient information. Origin request header needed.";
const NOT_FOUND: &str = "CORSResponse: Bucket not found";
const NOT_ENABLED: &str = "CORSResponse: CORS is not enabled for this bucket.";
const NO_METHOD: &str = "Invalid Access-Control-Request-Method: null";
const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

use Addressed::{Bucket, Object};
use State::{Configured, Missing, NoCors};

#[rstest]
// §3.1 step 1 (High): no Origin → 400 whatever the bucket, even with ACRM.
#[case::s3_3_1_no_origin_missing_bucket(
    Missing,
    None,
    Some("GET"),
    Object,
    (400, "BadRequest", NO_ORIGIN),
    None
)]
#[case::s3_3_1_no_origin_no_cors(
    NoCors,
    None,
    Some("GET"),
    Object,
    (400, "BadRequest", NO_ORIGIN),
    None
)]
#[case::s3_3_1_no_origin_configured(
    Configured,
    None,
    Some("GET"),
    Object,
    (400, "BadRequest", NO_ORIGIN),
    None
)]
// §3.1 step 2 (High): missing bucket → 403, Method = ACRM or OPTIONS, ResourceType BUCKET.
#[case::s3_3_1_missing_bucket_no_acrm(Missing, Some("https://a.com"), None, Object, (403, "AccessForbidden", NOT_FOUND), Some(("OPTIONS", "BUCKET")))]
#[case::s3_3_1_missing_bucket_with_acrm(Missing, Some("https://a.com"), Some("PUT"), Object, (403, "AccessForbidden", NOT_FOUND), Some(("PUT", "BUCKET")))]
// §3.1 step 3 (High): no configuration → 403 BUCKET even for an object URL; checked before ACRM.
#[case::s3_3_1_no_cors_object_url(NoCors, Some("https://a.com"), Some("PUT"), Object, (403, "AccessForbidden", NOT_ENABLED), Some(("PUT", "BUCKET")))]
#[case::s3_3_1_no_cors_no_acrm(NoCors, Some("https://a.com"), None, Object, (403, "AccessForbidden", NOT_ENABLED), Some(("OPTIONS", "BUCKET")))]
#[case::s3_3_1_no_cors_bucket_url(NoCors, Some("https://a.com"), Some("GET"), Bucket, (403, "AccessForbidden", NOT_ENABLED), Some(("GET", "BUCKET")))]
// §3.1 step 4 (Medium for 400, Low-Medium for the text).
#[case::s3_3_1_configured_no_acrm(
    Configured,
    Some("https://app.example.com"),
    None,
    Object,
    (400, "BadRequest", NO_METHOD),
    None
)]
// §3.1 step 5 (High): no match → 403, Method = ACRM, ResourceType OBJECT/BUCKET by URL.
#[case::s3_3_1_no_match_object(Configured, Some("https://evil.com"), Some("GET"), Object, (403, "AccessForbidden", NOT_ALLOWED), Some(("GET", "OBJECT")))]
#[case::s3_3_1_no_match_bucket(Configured, Some("https://evil.com"), Some("DELETE"), Bucket, (403, "AccessForbidden", NOT_ALLOWED), Some(("DELETE", "BUCKET")))]
// §11.2 Low: an unknown or lower-case method simply matches no rule.
#[case::s3_11_2_unknown_method_not_allowed(Configured, Some("https://app.example.com"), Some("BLAH"), Object, (403, "AccessForbidden", NOT_ALLOWED), Some(("BLAH", "OBJECT")))]
#[case::s3_11_2_lowercase_method_not_allowed(Configured, Some("https://app.example.com"), Some("get"), Object, (403, "AccessForbidden", NOT_ALLOWED), Some(("get", "OBJECT")))]
fn s3_3_1_refusals(
    #[case] state: State,
    #[case] origin: Option<&str>,
    #[case] acrm: Option<&str>,
    #[case] addressed: Addressed,
    #[case] (status, code, message): (u16, &str, &str),
    #[case] method_and_resource: Option<(&str, &str)>,
) {
    let answer = run(state, origin, acrm, None, addressed);
    assert_eq!(answer.status, status, "{}", answer.trace);
    // §3.1 High: a failing preflight carries no Access-Control-* headers and no Vary.
    assert!(answer.headers.is_empty());
    assert_eq!(answer.matched_rule, None);
    let error = answer.error.expect("error body");
    assert_eq!(error.status, status);
    assert_eq!(error.code, code);
    assert_eq!(error.message, message);
    let extras: Vec<(String, String)> = method_and_resource
        .map(|(m, r)| {
            vec![
                ("Method".to_string(), m.to_string()),
                ("ResourceType".to_string(), r.to_string()),
            ]
        })
        .unwrap_or_default();
    assert_eq!(error.extras, extras);
}

fn header_list(pairs: &[(&str, &str)]) -> cors_engine::HeaderList {
    pairs.iter().copied().collect()
}

fn rule_config(rule: CorsRule) -> CorsConfiguration {
    CorsConfiguration { rules: vec![rule] }
}

fn base_rule() -> CorsRule {
    CorsRule {
        allowed_origins: strings(&["https://app.example.com"]),
        allowed_methods: strings(&["GET", "PUT"]),
        ..CorsRule::default()
    }
}

#[rstest]
// §3.2 High: ACAO echo + ACAC true; ACAM the rule's whole list in configured order (§11.13).
#[case::s3_3_2_minimal_echo(base_rule(), None, &[
    ("Access-Control-Allow-Origin", "https://app.example.com"),
    ("Access-Control-Allow-Credentials", "true"),
    ("Access-Control-Allow-Methods", "GET, PUT"),
    ("Vary", VARY),
])]
// §3.2 High: every member set — the engine's documented order.
#[case::s3_3_2_all_headers_in_documented_order(
    CorsRule {
        allowed_headers: strings(&["*"]),
        expose_headers: strings(&["ETag", "x-amz-meta-Owner"]),
        max_age_seconds: Some("600".into()),
        ..base_rule()
    },
    Some(" X-Amz-Date ,Content-Type"),
    &[
        ("Access-Control-Allow-Origin", "https://app.example.com"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Allow-Headers", "x-amz-date, content-type"),
        ("Access-Control-Expose-Headers", "ETag, x-amz-meta-Owner"),
        ("Access-Control-Max-Age", "600"),
        ("Vary", VARY),
    ]
)]
// §3.2 High: `*` origin → ACAO `*` and no ACAC.
#[case::s3_3_2_star_origin_no_credentials(
    CorsRule { allowed_origins: strings(&["*"]), ..base_rule() },
    None,
    &[
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Vary", VARY),
    ]
)]
// §3.2 High: with AllowedHeader `*` the requested names are echoed lower-cased, never `*`.
#[case::s3_3_2_star_header_echoes_names(
    CorsRule { allowed_headers: strings(&["*"]), ..base_rule() },
    Some("X-Custom-Header"),
    &[
        ("Access-Control-Allow-Origin", "https://app.example.com"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Allow-Headers", "x-custom-header"),
        ("Vary", VARY),
    ]
)]
// §3.2 Medium: empty items are dropped from the answer too.
#[case::s3_3_2_empty_items_dropped(
    CorsRule { allowed_headers: strings(&["*"]), ..base_rule() },
    Some("a,,b"),
    &[
        ("Access-Control-Allow-Origin", "https://app.example.com"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Allow-Headers", "a, b"),
        ("Vary", VARY),
    ]
)]
// §3.2: MaxAgeSeconds written as a decimal integer; §11.9 (unknown): 0 is sent.
#[case::s3_11_9_max_age_zero_sent(
    CorsRule { max_age_seconds: Some("0".into()), ..base_rule() },
    None,
    &[
        ("Access-Control-Allow-Origin", "https://app.example.com"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Max-Age", "0"),
        ("Vary", VARY),
    ]
)]
fn s3_3_2_success_headers(
    #[case] rule: CorsRule,
    #[case] acrh: Option<&str>,
    #[case] expected: &[(&str, &str)],
) {
    let config = rule_config(rule);
    let answer = s3::preflight(
        BucketState::Configured(&config),
        &S3Request {
            method: "OPTIONS",
            origin: Some("https://app.example.com"),
            access_control_request_method: Some("PUT"),
            access_control_request_headers: acrh,
            addressed: Object,
        },
    );
    assert_eq!(answer.status, 200, "{}", answer.trace);
    assert_eq!(answer.error, None);
    assert_eq!(answer.headers, header_list(expected));
}

#[rstest]
// §5 High: headers are checked only when ACRH is present and against the same rule.
#[case::s3_5_listed_headers_match_pattern_and_literal(Some("x-amz-date, content-type"), 200)]
#[case::s3_5_listed_header_case_insensitive(Some("CONTENT-TYPE"), 200)]
#[case::s3_5_unlisted_header_refused(Some("x-custom"), 403)]
#[case::s3_5_no_acrh_no_header_check(None, 200)]
fn s3_5_header_condition_on_preflight(#[case] acrh: Option<&str>, #[case] status: u16) {
    let answer = run(
        Configured,
        Some("https://app.example.com"),
        Some("PUT"),
        acrh,
        Object,
    );
    assert_eq!(answer.status, status, "{}", answer.trace);
}

#[test]
fn s3_3_3_refusal_body_element_order() {
    // §3.3 High: Code, Message, Method, ResourceType, RequestId, HostId on one line.
    let answer = run(NoCors, Some("https://a.com"), None, None, Object);
    assert_eq!(
        answer.error.unwrap().to_xml("2RFK4Y8G5R4QFSBW", "aG9zdA=="),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessForbidden</Code>\
         <Message>CORSResponse: CORS is not enabled for this bucket.</Message><Method>OPTIONS</Method>\
         <ResourceType>BUCKET</ResourceType><RequestId>2RFK4Y8G5R4QFSBW</RequestId>\
         <HostId>aG9zdA==</HostId></Error>"
    );
}

#[test]
fn every_answer_explains_itself() {
    for (state, origin, acrm) in [
        (Missing, None, None),
        (Missing, Some("https://a.com"), None),
        (NoCors, Some("https://a.com"), None),
        (Configured, Some("https://a.com"), None),
        (Configured, Some("https://a.com"), Some("GET")),
        (Configured, Some("https://app.example.com"), Some("GET")),
    ] {
        let answer = run(state, origin, acrm, None, Object);
        assert!(!answer.trace.steps().is_empty());
    }
}
