//! What S3 adds to actual (non-OPTIONS) responses (`docs/facts/s3.md` §4, §7).

use cors_engine::config::{CorsConfiguration, CorsRule};
use cors_engine::s3::{self, ActualCors, Addressed, S3Request};
use rstest::rstest;

use crate::support::{State, strings};

const VARY: &str = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/// A GET-only rule for `https://app.example.com` with `x-amz-*` headers, and nothing for PUT.
fn config() -> CorsConfiguration {
    CorsConfiguration {
        rules: vec![CorsRule {
            allowed_origins: strings(&["https://app.example.com"]),
            allowed_methods: strings(&["GET"]),
            allowed_headers: strings(&["x-amz-*"]),
            expose_headers: strings(&["x-amz-version-id"]),
            max_age_seconds: Some("60".into()),
            ..CorsRule::default()
        }],
    }
}

fn run(
    state: State,
    method: &str,
    origin: Option<&str>,
    acrm: Option<&str>,
    acrh: Option<&str>,
) -> ActualCors {
    let config = config();
    let bucket = state.of(&config);
    s3::actual(
        bucket,
        &S3Request {
            method,
            origin,
            access_control_request_method: acrm,
            access_control_request_headers: acrh,
            addressed: Addressed::Object,
        },
    )
}

const MATCHED: &[(&str, &str)] = &[
    ("Access-Control-Allow-Origin", "https://app.example.com"),
    ("Access-Control-Allow-Credentials", "true"),
    ("Access-Control-Allow-Methods", "GET"),
    ("Access-Control-Expose-Headers", "x-amz-version-id"),
    ("Access-Control-Max-Age", "60"),
    ("Vary", VARY),
];

const MATCHED_WITH_ACAH: &[(&str, &str)] = &[
    ("Access-Control-Allow-Origin", "https://app.example.com"),
    ("Access-Control-Allow-Credentials", "true"),
    ("Access-Control-Allow-Methods", "GET"),
    ("Access-Control-Allow-Headers", "x-amz-date"),
    ("Access-Control-Expose-Headers", "x-amz-version-id"),
    ("Access-Control-Max-Age", "60"),
    ("Vary", VARY),
];

const ORIGIN: Option<&str> = Some("https://app.example.com");

use State::{Configured, Missing, NoCors};

#[rstest]
// §4 High: no Origin → no CORS headers and no Vary, configured or not.
#[case::s3_4_no_origin_configured(Configured, "GET", None, None, None, &[])]
#[case::s3_4_no_origin_no_cors(NoCors, "GET", None, None, None, &[])]
// §4 High: Origin present, no configuration → nothing.
#[case::s3_4_no_configuration(NoCors, "GET", ORIGIN, None, None, &[])]
// §4 Medium: a missing bucket has no rules → nothing.
#[case::s3_4_missing_bucket(Missing, "GET", ORIGIN, None, None, &[])]
// §4 High: no rule matches → nothing (the request is still served).
#[case::s3_4_origin_not_matched(Configured, "GET", Some("https://evil.com"), None, None, &[])]
#[case::s3_4_method_not_matched_put_still_served(Configured, "PUT", ORIGIN, None, None, &[])]
// §4 High: a match adds the same header set as a preflight.
#[case::s3_4_match_adds_headers(Configured, "GET", ORIGIN, None, None, MATCHED)]
#[case::s3_4_head_uses_its_own_method(Configured, "HEAD", ORIGIN, None, None, &[])]
// §4 High: ACRM overrides the HTTP method (LS get-wrong-op; s3-tests PUT with ACRM GET).
#[case::s3_4_acrm_overrides_get(Configured, "GET", ORIGIN, Some("PUT"), None, &[])]
#[case::s3_4_acrm_overrides_put(Configured, "PUT", ORIGIN, Some("GET"), None, MATCHED)]
// §4 High: ACRH on an actual request is checked; a mismatch removes all CORS headers.
#[case::s3_4_acrh_mismatch_removes_headers(Configured, "GET", ORIGIN, None, Some("content-type"), &[])]
// §4 Medium (versitygw DIRECT), §11.14: a matching ACRH is echoed on the actual response.
#[case::s3_4_acrh_match_echoed(
    Configured,
    "GET",
    ORIGIN,
    None,
    Some("X-Amz-Date"),
    MATCHED_WITH_ACAH
)]
fn s3_4_actual_requests(
    #[case] state: State,
    #[case] method: &str,
    #[case] origin: Option<&str>,
    #[case] acrm: Option<&str>,
    #[case] acrh: Option<&str>,
    #[case] expected: &[(&str, &str)],
) {
    let cors = run(state, method, origin, acrm, acrh);
    let expected: cors_engine::HeaderList = expected.iter().copied().collect();
    assert_eq!(cors.headers, expected, "{}", cors.trace);
    assert_eq!(cors.matched_rule.is_some(), !expected.is_empty());
    // §7 High: Vary only when a rule matched.
    assert_eq!(cors.headers.contains("Vary"), !expected.is_empty());
}

#[test]
fn s3_4_trace_says_the_request_is_still_served() {
    let cors = run(Configured, "PUT", ORIGIN, None, None);
    let text = cors.trace.to_string();
    assert!(text.contains("still served"), "{text}");
    assert!(
        text.contains("method 'PUT' is not among AllowedMethod GET"),
        "{text}"
    );
}

#[test]
fn s3_4_trace_names_the_overriding_header() {
    let cors = run(Configured, "GET", ORIGIN, Some("PUT"), None);
    let text = cors.trace.to_string();
    assert!(
        text.contains(
            "from Access-Control-Request-Method, which S3 uses instead of the request's own GET"
        ),
        "{text}"
    );
}
