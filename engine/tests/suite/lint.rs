//! `lint`: S3's own verdict plus the classic mistakes, through the public entry points
//! (`lint_text`, `lint_config`) that `cors-harness lint` prints. The per-check tables live next to
//! the checks; these tests hold the report's shape, order and wording.

use cors_engine::config::{self, SourceFormat};
use cors_engine::lint::{Finding, LintOptions, Severity, lint_config, lint_text};
use rstest::rstest;

fn findings(json: &str, page: Option<&str>, credentials: bool) -> Vec<Finding> {
    let options = LintOptions {
        page: page.map(str::to_owned),
        credentials,
    };
    lint_text(json, &options).expect("parses").findings
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[rstest]
// docs/facts/s3.md §5 High: a trailing slash never matches; the fix is spelled out.
#[case::s3_5_trailing_slash(
    r#"[{"AllowedOrigins": ["https://app.example.com/"], "AllowedMethods": ["GET"]}]"#,
    "origin-trailing-slash",
    "Write \"https://app.example.com\""
)]
#[case::s3_5_path(
    r#"[{"AllowedOrigins": ["https://app.example.com/index.html"], "AllowedMethods": ["GET"]}]"#,
    "origin-has-path",
    "has a path (`/index.html`)"
)]
// docs/facts/s3.md §5 High: browsers omit default ports.
#[case::s3_5_default_port(
    r#"[{"AllowedOrigins": ["https://app.example.com:443"], "AllowedMethods": ["GET"]}]"#,
    "origin-default-port",
    "Write \"https://app.example.com\""
)]
#[case::s3_5_no_scheme(
    r#"[{"AllowedOrigins": ["app.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-without-scheme",
    "Write \"https://app.example.com\""
)]
// docs/facts/s3.md §5 Low: case-sensitive comparison.
#[case::s3_5_upper_case(
    r#"[{"AllowedOrigins": ["https://App.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-uppercase",
    "Write \"https://app.example.com\""
)]
// docs/facts/s3.md §1.2 High: values verbatim, so whitespace stays.
#[case::s3_1_2_whitespace(
    r#"[{"AllowedOrigins": [" https://app.example.com"], "AllowedMethods": ["GET"]}]"#,
    "origin-whitespace",
    "Write \"https://app.example.com\""
)]
// docs/facts/s3.md §1.2 High: an empty origin is accepted and matches nothing.
#[case::s3_1_2_empty_origin(
    r#"[{"AllowedOrigins": [""], "AllowedMethods": ["GET"]}]"#,
    "origin-empty",
    "always sends a non-empty Origin"
)]
// docs/facts/s3.md §1.2 High: OPTIONS is refused; tutorials advise adding it.
#[case::s3_1_2_options_method(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET", "OPTIONS"]}]"#,
    "options-method",
    "Remove OPTIONS"
)]
// docs/facts/s3.md §5 High: a rule without AllowedHeader rejects any listed header.
#[case::s3_5_no_allowed_headers(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "ExposeHeaders": ["ETag"]}]"#,
    "no-allowed-headers",
    "refuses every such preflight (403)"
)]
// docs/facts/s3.md §4 Medium-High: ETag is not exposed by default.
#[case::s3_4_etag_not_exposed(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}]"#,
    "etag-not-exposed",
    "Add \"ETag\" to ExposeHeaders"
)]
// docs/facts/browser.md §4.1 High: Chrome caps preflight caching at 7200 s, Firefox at a day.
#[case::browser_4_1_max_age_cap(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 86400}]"#,
    "max-age-capped",
    "at most 7200 s and Firefox honours it"
)]
#[case::browser_4_1_max_age_over_both_caps(
    r#"[{"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 604800}]"#,
    "max-age-capped",
    "Firefox at most 86400 s"
)]
// docs/facts/s3.md §5 High: first match wins, so a later rule covered by an earlier one is unused.
#[case::s3_5_shadowed_rule(
    r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]},
        {"AllowedOrigins": ["https://a.com"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["x-amz-acl"], "ExposeHeaders": ["ETag"]}]"#,
    "shadowed-rule",
    "rule 2: never used; rule 1 matches every origin and method it lists"
)]
fn finds(#[case] json: &str, #[case] code: &str, #[case] words: &str) {
    let all = findings(json, None, false);
    let finding = all
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {all:?}"));
    assert!(finding.message.contains(words), "{finding:?}");
}

#[test]
fn clean_configuration_has_no_findings() {
    let report = lint_text(
        r#"[{"AllowedOrigins": ["https://app.example.com", "http://localhost:3000"],
             "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
             "MaxAgeSeconds": 3000}]"#,
        &LintOptions {
            page: Some("https://app.example.com".to_owned()),
            credentials: true,
        },
    )
    .unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.format, SourceFormat::ConsoleJson);
}

#[rstest]
#[case::page_allowed("https://app.example.com", &[])]
// docs/facts/s3.md §5 High: scheme and port are part of the origin.
#[case::page_scheme_differs("http://app.example.com", &["scheme-mismatch", "page-not-matched"])]
#[case::page_port_differs("https://app.example.com:8443", &["port-mismatch", "page-not-matched"])]
#[case::page_elsewhere("https://other.example.com", &["page-not-matched"])]
fn page_origin(#[case] page: &str, #[case] expected: &[&str]) {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]"#,
        Some(page),
        false,
    );
    assert_eq!(codes(&all), expected);
}

#[test]
fn page_not_matched_is_about_the_whole_configuration() {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://app.example.com/"], "AllowedMethods": ["GET"]}]"#,
        Some("https://app.example.com"),
        false,
    );
    assert_eq!(codes(&all), ["origin-trailing-slash", "page-not-matched"]);
    assert_eq!(all[1].rule, None);
    assert_eq!(all[1].value.as_deref(), Some("https://app.example.com"));
    assert_eq!(all[1].severity, Severity::Error);
}

// docs/facts/s3.md §3.2 High: `*` → ACAO `*` without credentials; only the first rule matching
// the page decides.
#[rstest]
#[case::star_first(r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#, true)]
#[case::named_origin_first(
    r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]},
        {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#,
    false
)]
fn wildcard_with_credentials(#[case] json: &str, #[case] flagged: bool) {
    let all = findings(json, Some("https://app.example.com"), true);
    assert_eq!(
        codes(&all).contains(&"wildcard-origin-with-credentials"),
        flagged,
        "{all:?}"
    );
    assert!(findings(json, Some("https://app.example.com"), false).is_empty());
}

#[test]
fn s3_refusal_is_reported_beside_the_findings() {
    let (configuration, format) =
        config::parse(r#"[{"AllowedOrigins": ["https://a.com/"], "AllowedMethods": ["get"]}]"#)
            .unwrap();
    let report = lint_config(&configuration, format, &LintOptions::default());
    let error = report
        .s3_error
        .as_ref()
        .expect("S3 refuses lower-case methods");
    assert_eq!(error.status, 400);
    assert_eq!(error.code, "InvalidRequest");
    assert_eq!(
        codes(&report.findings),
        ["origin-trailing-slash", "method-not-uppercase"]
    );
    assert_eq!(report.findings[0].rule, Some(1));
    assert!(!report.is_clean());
}

#[test]
fn json_shape_omits_rule_and_value_when_absent() {
    let all = findings(
        r#"[{"AllowedOrigins": ["https://b.example.com"], "AllowedMethods": ["GET"]}]"#,
        Some("https://a.example.com"),
        false,
    );
    let json = serde_json::to_value(&all).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "code": "page-not-matched",
            "severity": "error",
            "value": "https://a.example.com",
            "message": all[0].message,
        }])
    );
}

#[test]
fn text_that_is_no_configuration_is_a_parse_error() {
    let error = lint_text("[{\"AllowedOrigins\": [", &LintOptions::default()).unwrap_err();
    assert!(error.line.is_some(), "{error:?}");
}
