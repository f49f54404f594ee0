//! `config::lint`: the mistakes S3 accepts but browsers trip over (fact sheet §1.2, §5; browser
//! facts on credentials and the preflight cache), and S3's own refusals.

use cors_engine::config::{self, Finding, Severity};
use rstest::rstest;

fn findings(json: &str, page: Option<&str>) -> Vec<Finding> {
    let (config, _) = config::parse(json).expect("parses");
    config::lint(&config, page)
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[rstest]
// §5 High: a trailing slash never matches (LS test_cors_options_fails_partial_origin).
#[case::s3_5_trailing_slash(
    r#"[{"AllowedOrigins": ["https://app.example.com/"], "AllowedMethods": ["GET"]}]"#,
    "origin-trailing-slash",
    "write 'https://app.example.com'"
)]
#[case::s3_5_path(
    r#"[{"AllowedOrigins": ["https://app.example.com/index.html"], "AllowedMethods": ["GET"]}]"#,
    "origin-has-path",
    "carries the path '/index.html'"
)]
// §5 High: the port must match; browsers omit default ports.
#[case::s3_5_default_port(
    r#"[{"AllowedOrigins": ["https://app.example.com:443"], "AllowedMethods": ["GET"]}]"#,
    "origin-default-port",
    "write 'https://app.example.com'"
)]
#[case::s3_5_no_scheme(
    r#"[{"AllowedOrigins": ["app.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-no-scheme",
    "browsers send 'https://app.example.com'"
)]
// §5 Low: case-sensitive comparison.
#[case::s3_5_upper_case(
    r#"[{"AllowedOrigins": ["https://App.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-upper-case",
    "write 'https://app.example.com'"
)]
// §1.2 High: values verbatim, so whitespace stays.
#[case::s3_1_2_whitespace(
    r#"[{"AllowedOrigins": [" https://app.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-whitespace",
    "leading or trailing whitespace"
)]
// §1.2 High: an empty origin is accepted.
#[case::s3_1_2_empty_origin(
    r#"[{"AllowedOrigins": [""], "AllowedMethods": ["GET"]}]"#,
    "origin-empty",
    "browsers never send"
)]
// §3.2 High: `*` → ACAO `*`, no credentials.
#[case::s3_3_2_wildcard_credentials(
    r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#,
    "wildcard-origin-credentials",
    "block credentialed requests"
)]
// §1.2 High: OPTIONS is rejected; the seeds advise adding it.
#[case::s3_1_2_options_method(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET", "OPTIONS"]}]"#,
    "options-method",
    "does not belong in AllowedMethod"
)]
#[case::s3_1_2_rejected(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET", "OPTIONS"]}]"#,
    "s3-rejects",
    "400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS"
)]
#[case::s3_1_2_expose_wildcard_rejected(r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET"], "ExposeHeaders": ["x-amz-meta-*"]}]"#,
    "s3-rejects", "ExposeHeader \"x-amz-meta-*\" contains wildcard")]
// §5 High: a rule without AllowedHeader rejects any listed header.
#[case::s3_5_no_allowed_headers(r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "ExposeHeaders": ["ETag"]}]"#,
    "no-allowed-headers", "fails this rule")]
// §4 Medium-High: ETag is not exposed by default.
#[case::s3_4_etag_not_exposed(r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}]"#,
    "etag-not-exposed", "ETag is not in ExposeHeader")]
// Browser facts: Chrome caps preflight caching at 7200 s.
#[case::browser_max_age_cap(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 86400}]"#,
    "max-age-capped",
    "at most 7200 s"
)]
// §5 High: first match wins, so a later rule covered by an earlier one is never used.
#[case::s3_5_shadowed_rule(r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]},
    {"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["x-amz-acl"], "ExposeHeaders": ["ETag"]}]"#,
    "shadowed-rule", "rule 2: never used: rule 1 matches every request")]
fn finds(#[case] json: &str, #[case] code: &str, #[case] words: &str) {
    let all = findings(json, None);
    let finding = all
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {all:?}"));
    assert!(finding.message.contains(words), "{finding:?}");
}

#[test]
fn clean_configuration_has_no_findings() {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://app.example.com", "http://localhost:3000"],
             "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
             "MaxAgeSeconds": 3000}]"#,
        Some("https://app.example.com"),
    );
    assert_eq!(all, vec![]);
}

#[rstest]
#[case::page_allowed("https://app.example.com", &[])]
#[case::page_scheme_differs("http://app.example.com", &["page-origin-not-allowed"])]
#[case::page_port_differs("https://app.example.com:8443", &["page-origin-not-allowed"])]
fn page_origin(#[case] page: &str, #[case] expected: &[&str]) {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]"#,
        Some(page),
    );
    assert_eq!(codes(&all), expected);
}

#[test]
fn page_origin_hint_names_the_cause() {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://app.example.com/"], "AllowedMethods": ["GET"]}]"#,
        Some("https://app.example.com"),
    );
    assert_eq!(
        codes(&all),
        ["origin-trailing-slash", "page-origin-not-allowed"]
    );
    assert!(all[1].message.contains("trailing slash"), "{:?}", all[1]);
    assert_eq!(all[1].severity, Severity::Warning);
}

#[test]
fn page_allowed_only_by_wildcard_is_noted() {
    let all = findings(
        r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#,
        Some("https://app.example.com"),
    );
    assert_eq!(
        codes(&all),
        [
            "wildcard-origin-credentials",
            "page-origin-only-by-wildcard"
        ]
    );
}

#[test]
fn s3_refusal_comes_first_and_is_an_error() {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://a.com/"], "AllowedMethods": ["get"]}]"#,
        None,
    );
    assert_eq!(all[0].code, "s3-rejects");
    assert_eq!(all[0].severity, Severity::Error);
    assert_eq!(all[0].rule, None);
    assert_eq!(all[1].code, "origin-trailing-slash");
    assert_eq!(all[1].rule, Some(0));
}
