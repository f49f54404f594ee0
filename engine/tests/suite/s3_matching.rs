//! Rule matching (`docs/facts/s3.md` §5) and the explanation each tried rule leaves in the trace.

use cors_engine::config::{CorsConfiguration, CorsRule};
use cors_engine::s3::matching::{
    header_matches, origin_matches, requested_header_names, wildcard_matches,
};
use cors_engine::s3::{self, Addressed, BucketState, S3Request};
use rstest::rstest;

use crate::support::strings;

#[rstest]
// §5 High: literal values compare as whole strings — scheme, host and port must all match.
#[case::s3_5_literal_exact("http://www.example.com", "http://www.example.com", true)]
#[case::s3_5_literal_scheme_differs("http://www.example.com", "https://www.example.com", false)]
#[case::s3_5_literal_port_differs("http://www.example.com", "http://www.example.com:80", false)]
#[case::s3_5_literal_default_port_not_normalised(
    "http://this.sample.com:80",
    "http://this.sample.com",
    false
)]
#[case::s3_5_trailing_slash_breaks_match("http://*.origin.com", "http://test.origin.com/", false)]
#[case::s3_5_literal_trailing_slash_in_config(
    "https://app.example.com/",
    "https://app.example.com",
    false
)]
// §5 High: `*` alone matches every origin, even non-URL strings.
#[case::s3_5_star_matches_url("*", "https://anything.example:8443", true)]
#[case::s3_5_star_matches_non_url("*", "localhost:4566", true)]
#[case::s3_5_star_matches_bare_name("*", "example.origin", true)]
#[case::s3_5_star_matches_empty("*", "", true)]
// §5 High (s3-tests test_cors_origin_response, Scality): anchored glob, empty run allowed,
// crosses dots.
#[case::s3_5_suffix_glob_matches("*suffix", "foo.suffix", true)]
#[case::s3_5_suffix_glob_anchored_at_end("*suffix", "foo.suffix.get", false)]
#[case::s3_5_middle_glob_empty_run("start*end", "startend", true)]
#[case::s3_5_middle_glob_one_char("start*end", "start1end", true)]
#[case::s3_5_middle_glob_two_chars("start*end", "start12end", true)]
#[case::s3_5_middle_glob_anchored_at_start("start*end", "0start12end", false)]
#[case::s3_5_prefix_glob_empty_run("prefix*", "prefix", true)]
#[case::s3_5_prefix_glob_crosses_dots("prefix*", "prefix.suffix", true)]
#[case::s3_5_prefix_glob_anchored("prefix*", "bla.prefix", false)]
#[case::s3_5_subdomain_glob("http://*.origin.com", "http://test.origin.com", true)]
#[case::s3_5_subdomain_glob_crosses_dots("http://*.origin.com", "http://a.b.origin.com", true)]
#[case::s3_5_subdomain_glob_needs_the_dot("http://*.origin.com", "http://origin.com", false)]
#[case::s3_5_subdomain_glob_scheme_literal("http://*.origin.com", "https://test.origin.com", false)]
// §5 Low: case-sensitive (MinIO, LocalStack).
#[case::s3_5_low_origin_case_sensitive("https://App.example.com", "https://app.example.com", false)]
// §1.2: an empty AllowedOrigin is stored; it matches only an empty Origin.
#[case::s3_1_2_empty_origin_matches_only_empty("", "", true)]
#[case::s3_1_2_empty_origin_does_not_match_others("", "https://a.com", false)]
fn s3_5_origin_condition(#[case] allowed: &str, #[case] origin: &str, #[case] matches: bool) {
    assert_eq!(origin_matches(allowed, origin), matches);
}

#[rstest]
// §5 High: case-insensitive, one `*` allowed, `*` alone matches all.
#[case::s3_5_header_case_insensitive(
    "x-AMZ-server-SIDE-encryption",
    "x-amz-server-side-encryption",
    true
)]
#[case::s3_5_header_case_insensitive_request_side("x-amz-date", "X-Amz-Date", true)]
#[case::s3_5_header_prefix_glob("x-amz-*", "x-amz-date", true)]
#[case::s3_5_header_prefix_glob_empty_run("x-amz-*", "x-amz-", true)]
#[case::s3_5_header_prefix_glob_anchored("x-amz-*", "content-type", false)]
#[case::s3_5_header_star_matches_all("*", "anything-at-all", true)]
#[case::s3_5_header_exact_only("content-type", "content-type-x", false)]
fn s3_5_header_condition(#[case] allowed: &str, #[case] requested: &str, #[case] matches: bool) {
    assert_eq!(header_matches(allowed, requested), matches);
}

#[rstest]
#[case::two_stars_still_anchored("a*b*c", "aXbYc", true)]
#[case::two_stars_backtrack("a*b*c", "abbbc", true)]
#[case::two_stars_reject("a*b*c", "acb", false)]
#[case::only_stars("**", "", true)]
#[case::no_star_is_equality("abc", "abc", true)]
#[case::multibyte("h*ö", "hallö", true)]
fn wildcard_semantics(#[case] pattern: &str, #[case] value: &str, #[case] matches: bool) {
    assert_eq!(wildcard_matches(pattern, value), matches);
}

#[rstest]
// §3.2 High: split on `,`, trim, lower-case; `a,b` answered as `a, b`.
#[case::s3_3_2_split_trim_lowercase("X-Amz-Date, Content-Type", &["x-amz-date", "content-type"])]
#[case::s3_3_2_no_space("a,b", &["a", "b"])]
// §3.2 Medium (Scality AWS-run test): empty items dropped.
#[case::s3_3_2_empty_items_dropped("a,, ,b,", &["a", "b"])]
#[case::s3_3_2_tabs_trimmed("\ta\t", &["a"])]
#[case::s3_3_2_empty_value("", &[])]
fn s3_3_2_requested_header_list(#[case] value: &str, #[case] names: &[&str]) {
    assert_eq!(requested_header_names(value), names);
}

fn rule(origins: &[&str], methods: &[&str], headers: &[&str]) -> CorsRule {
    CorsRule {
        allowed_origins: strings(origins),
        allowed_methods: strings(methods),
        allowed_headers: strings(headers),
        ..CorsRule::default()
    }
}

fn preflight(
    rules: Vec<CorsRule>,
    origin: &str,
    method: &str,
    headers: Option<&str>,
) -> s3::PreflightAnswer {
    let config = CorsConfiguration { rules };
    s3::preflight(
        BucketState::Configured(&config),
        &S3Request {
            method: "OPTIONS",
            origin: Some(origin),
            access_control_request_method: Some(method),
            access_control_request_headers: headers,
            addressed: Addressed::Object,
        },
    )
}

#[rstest]
// §5 High: first matching rule wins, in document order.
#[case::s3_5_first_match_wins(
    vec![rule(&["https://a.com"], &["GET"], &[]), rule(&["*"], &["GET"], &[])],
    "https://a.com", "GET", None, Some(0))]
#[case::s3_5_later_rule_when_first_fails_origin(
    vec![rule(&["https://b.com"], &["GET"], &[]), rule(&["*"], &["GET"], &[])],
    "https://a.com", "GET", None, Some(1))]
#[case::s3_5_later_rule_when_first_fails_method(
    vec![rule(&["https://a.com"], &["GET"], &[]), rule(&["https://a.com"], &["PUT"], &[])],
    "https://a.com", "PUT", None, Some(1))]
// §5 High: headers must match some AllowedHeader of the SAME rule (no merging across rules).
#[case::s3_5_headers_not_merged_across_rules(
    vec![rule(&["*"], &["GET"], &["x-a"]), rule(&["*"], &["GET"], &["x-b"])],
    "https://a.com", "GET", Some("x-a, x-b"), None)]
#[case::s3_5_headers_from_one_rule(
    vec![rule(&["*"], &["GET"], &["x-a"]), rule(&["*"], &["GET"], &["x-a", "x-b"])],
    "https://a.com", "GET", Some("x-a, x-b"), Some(1))]
// §5 High: a rule without AllowedHeader rejects any listed header.
#[case::s3_5_no_allowed_header_rejects_listed(
    vec![rule(&["*"], &["GET"], &[])], "https://a.com", "GET", Some("content-type"), None)]
// §5 High: methods compare exactly (stored upper case).
#[case::s3_5_method_case_sensitive(
    vec![rule(&["*"], &["GET"], &[])], "https://a.com", "get", None, None)]
fn s3_5_rule_selection(
    #[case] rules: Vec<CorsRule>,
    #[case] origin: &str,
    #[case] method: &str,
    #[case] headers: Option<&str>,
    #[case] matched: Option<usize>,
) {
    let answer = preflight(rules, origin, method, headers);
    assert_eq!(answer.matched_rule, matched, "{}", answer.trace);
    assert_eq!(answer.status, if matched.is_some() { 200 } else { 403 });
}

#[test]
fn s3_5_only_the_matched_rules_headers_are_sent() {
    // §5 High: its headers alone are emitted.
    let mut second = rule(&["*"], &["GET", "HEAD"], &[]);
    second.expose_headers = strings(&["ETag"]);
    let mut first = rule(&["https://b.com"], &["PUT"], &[]);
    first.max_age_seconds = Some("10".into());
    let answer = preflight(vec![first, second], "https://a.com", "GET", None);
    assert_eq!(
        answer.headers.get("Access-Control-Allow-Methods"),
        Some("GET, HEAD")
    );
    assert_eq!(
        answer.headers.get("Access-Control-Expose-Headers"),
        Some("ETag")
    );
    assert_eq!(answer.headers.get("Access-Control-Max-Age"), None);
}

#[rstest]
// §5 Medium, §11.10: a literal `*` in the matched rule's origins gives ACAO `*` even when a
// specific entry also matches; no credentials header with `*`.
#[case::s3_5_star_in_list_wins(&["https://a.com", "*"], "*", false)]
#[case::s3_5_star_listed_first(&["*", "https://a.com"], "*", false)]
// §5: a pattern match echoes the origin, never the pattern.
#[case::s3_5_pattern_echoes_origin(&["https://*.com"], "https://a.com", true)]
#[case::s3_5_literal_echoes_origin(&["https://a.com"], "https://a.com", true)]
fn s3_5_allow_origin_choice(
    #[case] origins: &[&str],
    #[case] acao: &str,
    #[case] credentials: bool,
) {
    let answer = preflight(
        vec![rule(origins, &["GET"], &[])],
        "https://a.com",
        "GET",
        None,
    );
    assert_eq!(
        answer.headers.get("Access-Control-Allow-Origin"),
        Some(acao)
    );
    assert_eq!(
        answer.headers.get("Access-Control-Allow-Credentials"),
        credentials.then_some("true")
    );
}

/// The explanation names the rule, the condition and the likely cause in plain words.
#[rstest]
#[case::trailing_slash_in_config(
    vec![rule(&["https://app.example.com/"], &["GET"], &[])], "https://app.example.com", "GET", None,
    "rule 1: origin 'https://app.example.com' does not match AllowedOrigin 'https://app.example.com/' (trailing slash")]
#[case::http_vs_https(
    vec![rule(&["https://app.example.com"], &["GET"], &[])], "http://app.example.com", "GET", None,
    "(http vs https)")]
#[case::port_differs(
    vec![rule(&["http://test.com:80"], &["GET"], &[])], "http://test.com", "GET", None,
    "port differs: AllowedOrigin has ':80', the Origin has none")]
#[case::port_differs_other_way(
    vec![rule(&["http://localhost"], &["GET"], &[])], "http://localhost:8080", "GET", None,
    "port differs: the Origin has ':8080'")]
#[case::case_differs(
    vec![rule(&["https://App.example.com"], &["GET"], &[])], "https://app.example.com", "GET", None,
    "letter case differs")]
#[case::bare_domain_vs_subdomain_glob(
    vec![rule(&["https://*.example.com"], &["GET"], &[])], "https://example.com", "GET", None,
    "matches subdomains only")]
#[case::path_in_allowed_origin(
    vec![rule(&["https://app.example.com/index.html"], &["GET"], &[])], "https://app.example.com", "GET", None,
    "AllowedOrigin carries the path '/index.html'")]
#[case::several_origins_listed(
    vec![rule(&["https://a.com", "https://b.com/"], &["GET"], &[])], "https://b.com", "GET", None,
    "matches none of AllowedOrigin 'https://a.com', 'https://b.com/' (trailing slash")]
#[case::whitespace_in_allowed_origin(
    vec![rule(&[" https://a.com\n"], &["GET"], &[])], "https://a.com", "GET", None,
    "leading or trailing whitespace")]
#[case::opaque_origin_null(
    vec![rule(&["https://a.com"], &["GET"], &[])], "null", "GET", None,
    "sends 'Origin: null'")]
#[case::allowed_origin_without_scheme(
    vec![rule(&["a.com"], &["GET"], &[])], "https://a.com", "GET", None,
    "AllowedOrigin has no scheme")]
#[case::default_port_written_in_config(
    vec![rule(&["https://a.com:443"], &["GET"], &[])], "https://a.com", "GET", None,
    "browsers omit the default port")]
#[case::method_missing(
    vec![rule(&["*"], &["GET", "HEAD"], &[])], "https://a.com", "PUT", None,
    "rule 1: method 'PUT' (Access-Control-Request-Method) is not among AllowedMethod GET, HEAD")]
#[case::header_without_allowed_headers(
    vec![rule(&["*"], &["GET"], &[])], "https://a.com", "GET", Some("Content-Type"),
    "requested header 'content-type' not allowed: the rule has no AllowedHeader")]
#[case::header_not_listed(
    vec![rule(&["*"], &["GET"], &["x-amz-*"])], "https://a.com", "GET", Some("x-amz-date, content-type"),
    "requested header 'content-type' matches none of AllowedHeader 'x-amz-*'")]
#[case::rule_id_named(
    vec![CorsRule { id: Some("uploads".into()), ..rule(&["https://a.com"], &["PUT"], &[]) }],
    "https://b.com", "PUT", None,
    "rule 1 (ID 'uploads'): origin 'https://b.com'")]
#[case::second_rule_matched(
    vec![rule(&["https://b.com"], &["GET"], &[]), rule(&["https://*.com"], &["GET"], &[])],
    "https://a.com", "GET", None,
    "rule 2 matches: origin 'https://a.com' matches AllowedOrigin 'https://*.com'")]
fn trace_explains_in_plain_words(
    #[case] rules: Vec<CorsRule>,
    #[case] origin: &str,
    #[case] method: &str,
    #[case] headers: Option<&str>,
    #[case] words: &str,
) {
    let answer = preflight(rules, origin, method, headers);
    let text = answer.trace.to_string();
    assert!(text.contains(words), "trace lacks {words:?}:\n{text}");
}
