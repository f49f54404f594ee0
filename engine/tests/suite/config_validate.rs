//! S3's PutBucketCors validation (`docs/facts/s3.md` §1.2), the PutBucketCors body path (§1.1,
//! §1.2) and the GetBucketCors body (§2). Each row names the fact it encodes.

use cors_engine::config::{self, CorsConfiguration, CorsRule};
use rstest::rstest;

use crate::support::strings;

const MALFORMED: &str =
    "The XML you provided was not well-formed or did not validate against our published schema";

fn rule(origins: &[&str], methods: &[&str]) -> CorsRule {
    CorsRule {
        allowed_origins: strings(origins),
        allowed_methods: strings(methods),
        ..CorsRule::default()
    }
}

fn one(rule: CorsRule) -> CorsConfiguration {
    CorsConfiguration { rules: vec![rule] }
}

fn with_headers(headers: &[&str]) -> CorsConfiguration {
    one(CorsRule {
        allowed_headers: strings(headers),
        ..rule(&["*"], &["GET"])
    })
}

fn with_expose(headers: &[&str]) -> CorsConfiguration {
    one(CorsRule {
        expose_headers: strings(headers),
        ..rule(&["*"], &["GET"])
    })
}

fn with_max_age(value: &str) -> CorsConfiguration {
    one(CorsRule {
        max_age_seconds: Some(value.to_owned()),
        ..rule(&["*"], &["GET"])
    })
}

fn rules(count: usize) -> CorsConfiguration {
    CorsConfiguration {
        rules: vec![rule(&["*"], &["GET"]); count],
    }
}

#[rstest]
// §1.2 High (LS-SNAP test_put_cors_invalid_rules): empty rule list.
#[case::s3_1_2_no_rules_malformed_xml(CorsConfiguration::default(), "MalformedXML", MALFORMED)]
// §1.2 Medium: a rule without AllowedOrigin / AllowedMethod, an empty rule.
#[case::s3_1_2_rule_without_origin_malformed_xml(one(rule(&[], &["GET"])), "MalformedXML", MALFORMED)]
#[case::s3_1_2_rule_without_method_malformed_xml(one(rule(&["*"], &[])), "MalformedXML", MALFORMED)]
#[case::s3_1_2_empty_rule_malformed_xml(one(CorsRule::default()), "MalformedXML", MALFORMED)]
// §1.2 Medium (VGW "invalid max age seconds"): MaxAgeSeconds not an integer.
#[case::s3_1_2_max_age_letters_malformed_xml(with_max_age("a"), "MalformedXML", MALFORMED)]
#[case::s3_1_2_max_age_fraction_malformed_xml(with_max_age("1.5"), "MalformedXML", MALFORMED)]
#[case::s3_1_2_max_age_empty_malformed_xml(with_max_age(""), "MalformedXML", MALFORMED)]
// §11.8 Low: beyond the schema's 32-bit int.
#[case::s3_11_8_max_age_beyond_int_malformed_xml(
    with_max_age("2147483648"),
    "MalformedXML",
    MALFORMED
)]
// §11.8 Low: ID longer than the documented 255 characters.
#[case::s3_11_8_id_over_255_chars_malformed_xml(
    one(CorsRule { id: Some("x".repeat(256)), ..rule(&["*"], &["GET"]) }),
    "MalformedXML",
    MALFORMED
)]
// §1.2 High for the text (LS-SNAP MYMETHOD).
#[case::s3_1_2_unknown_method_mymethod(
    one(rule(&["*"], &["GET", "MYMETHOD"])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"
)]
#[case::s3_1_2_options_rejected(
    one(rule(&["*"], &["OPTIONS"])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS"
)]
#[case::s3_1_2_patch_rejected(
    one(rule(&["*"], &["PATCH"])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
)]
#[case::s3_1_2_star_method_rejected(
    one(rule(&["*"], &["*"])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is *"
)]
// §1.2 Medium (Scality putCors.js): lower case is rejected.
#[case::s3_1_2_lowercase_method_rejected(
    one(rule(&["*"], &["get"])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is get"
)]
// §1.2 Medium (VGW "empty allowed method"): the sentence ends in "is ".
#[case::s3_1_2_empty_method_rejected(
    one(rule(&["*"], &[""])),
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is "
)]
// §1.2 Medium-High (versitygw#1870 AWS capture): quoted value, trailing period.
#[case::s3_1_2_origin_two_wildcards(
    one(rule(&["*example*.com"], &["GET"])),
    "InvalidRequest",
    "AllowedOrigin \"*example*.com\" can not have more than one wildcard."
)]
// §1.2 Medium.
#[case::s3_1_2_allowed_header_two_wildcards(
    with_headers(&["x-*-*"]),
    "InvalidRequest",
    "AllowedHeader \"x-*-*\" can not have more than one wildcard."
)]
// §1.2 Medium-High.
#[case::s3_1_2_expose_header_wildcard(
    with_expose(&["ETag", "x-amz-meta-*"]),
    "InvalidRequest",
    "ExposeHeader \"x-amz-meta-*\" contains wildcard. We currently do not support wildcard for ExposeHeader."
)]
#[case::s3_1_2_expose_header_star_alone(
    with_expose(&["*"]),
    "InvalidRequest",
    "ExposeHeader \"*\" contains wildcard. We currently do not support wildcard for ExposeHeader."
)]
// §1.2 Medium, §11.3: InvalidRequest preferred over moto's MalformedXML.
#[case::s3_1_2_more_than_100_rules(
    rules(101),
    "InvalidRequest",
    "The number of CORS rules should not exceed allowed limit of 100 rules."
)]
fn s3_1_2_rejected_with_s3s_error(
    #[case] config: CorsConfiguration,
    #[case] code: &str,
    #[case] message: &str,
) {
    let error = config::validate(&config).expect_err("S3 rejects this");
    assert_eq!(error.status, 400);
    assert_eq!(error.code, code);
    assert_eq!(error.message, message);
    assert!(error.extras.is_empty());
}

#[rstest]
// §1.2 High: a value that is exactly `*` is fine; one `*` per origin/header is fine.
#[case::s3_1_2_star_origin_allowed(one(rule(&["*"], &["GET"])))]
#[case::s3_1_2_one_wildcard_origin_allowed(one(rule(&["http://*.example.com"], &["GET"])))]
#[case::s3_1_2_one_wildcard_header_allowed(with_headers(&["x-amz-*", "*"]))]
// §1.2 High (LS-SNAP test_put_cors_empty_origin).
#[case::s3_1_2_empty_origin_accepted(one(rule(&[""], &["GET"])))]
// §1.2 High: all five methods.
#[case::s3_1_2_all_five_methods(one(rule(&["*"], &["GET", "PUT", "HEAD", "POST", "DELETE"])))]
// §1.2 Medium: exactly 100 rules is the limit, not above it.
#[case::s3_1_2_exactly_100_rules(rules(100))]
// §1.2 Low: ExposeHeader values need not be real header names.
#[case::s3_1_2_expose_header_any_token(with_expose(&["GET", "PUT"]))]
#[case::max_age_zero(with_max_age("0"))]
// §11.8 Low: negative values are not known to be rejected.
#[case::s3_11_8_negative_max_age_accepted(with_max_age("-1"))]
#[case::s3_1_2_id_255_chars(one(CorsRule { id: Some("x".repeat(255)), ..rule(&["*"], &["GET"]) }))]
fn s3_1_2_accepted(#[case] config: CorsConfiguration) {
    assert_eq!(config::validate(&config), Ok(()));
}

/// The check order documented in `config::validate`: schema (MalformedXML) over the whole
/// document first, then the rule count, then values rule by rule.
#[rstest]
#[case::schema_error_in_later_rule_beats_value_error_in_first(
    vec![rule(&["*"], &["PATCH"]), rule(&[], &["GET"])],
    "MalformedXML"
)]
#[case::first_rule_value_error_wins(
    vec![rule(&["a*b*"], &["GET"]), rule(&["*"], &["PATCH"])],
    "AllowedOrigin \"a*b*\" can not have more than one wildcard."
)]
#[case::method_checked_before_origin_in_one_rule(
    vec![rule(&["a*b*"], &["PATCH"])],
    "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
)]
#[case::first_bad_method_in_document_order(
    vec![rule(&["*"], &["GET", "PATCH", "OPTIONS"])],
    "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
)]
fn s3_1_2_first_failing_value_wins(#[case] rules: Vec<CorsRule>, #[case] expected: &str) {
    let error = config::validate(&CorsConfiguration { rules }).unwrap_err();
    assert!(
        error.code == expected || error.message == expected,
        "{error:?}"
    );
}

#[test]
fn s3_1_2_rule_count_checked_before_values() {
    let mut config = rules(101);
    config.rules[0].allowed_methods = strings(&["PATCH"]);
    assert_eq!(
        config::validate(&config).unwrap_err().message,
        "The number of CORS rules should not exceed allowed limit of 100 rules."
    );
}

#[rstest]
// §1.2 High: the body path — a body that is not XML at all is MalformedXML with the schema
// message.
#[case::s3_1_2_not_xml(b"{\"CORSRules\": []}".as_slice(), "MalformedXML")]
#[case::s3_1_2_unclosed(b"<CORSConfiguration><CORSRule>".as_slice(), "MalformedXML")]
#[case::s3_1_2_unknown_member(
    b"<CORSConfiguration><CORSRule><Origin>*</Origin></CORSRule></CORSConfiguration>".as_slice(),
    "MalformedXML"
)]
#[case::s3_1_2_not_utf8(b"<CORSConfiguration>\xff</CORSConfiguration>".as_slice(), "MalformedXML")]
#[case::s3_1_2_empty_root(b"<CORSConfiguration/>".as_slice(), "MalformedXML")]
#[case::s3_1_2_bad_method_through_body(
    b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>MYMETHOD</AllowedMethod></CORSRule></CORSConfiguration>".as_slice(),
    "InvalidRequest"
)]
fn s3_1_2_put_bucket_cors_body_errors(#[case] body: &[u8], #[case] code: &str) {
    let error = config::parse_put_bucket_cors_body(body).unwrap_err();
    assert_eq!(error.status, 400);
    assert_eq!(error.code, code);
    if code == "MalformedXML" {
        assert_eq!(error.message, MALFORMED);
    }
}

#[test]
fn s3_1_1_put_bucket_cors_body_accepted_with_namespace() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"#;
    let config = config::parse_put_bucket_cors_body(body).unwrap();
    assert_eq!(config, one(rule(&["*"], &["GET"])));
}

#[test]
fn s3_11_8_body_above_64_kb_rejected() {
    let mut body = String::from("<CORSConfiguration>");
    while body.len() <= 64 * 1024 {
        body.push_str("<!-- padding -->");
    }
    body.push_str("</CORSConfiguration>");
    let error = config::parse_put_bucket_cors_body(body.as_bytes()).unwrap_err();
    assert_eq!(error.code, "MaxMessageLengthExceeded");
}

#[test]
fn malformed_xml_error_hides_the_position() {
    let parse_error = config::parse_xml("<CORSConfiguration>").unwrap_err();
    let error = config::malformed_xml_error(&parse_error);
    assert_eq!((error.status, error.code.as_str()), (400, "MalformedXML"));
    assert_eq!(error.message, MALFORMED);
}

// §2 High: namespace, only the members that were set; §11.6: the documented element order.
#[test]
fn s3_2_get_bucket_cors_body_only_set_members() {
    let config = CorsConfiguration {
        rules: vec![
            CorsRule {
                id: Some("a&b".into()),
                allowed_methods: strings(&["GET", "PUT", "HEAD"]),
                allowed_origins: strings(&["http://test.com:80", ""]),
                allowed_headers: strings(&["x-AMZ-server-SIDE-encryption"]),
                expose_headers: strings(&["ETag"]),
                max_age_seconds: Some("3000".into()),
            },
            rule(&["*"], &["GET"]),
        ],
    };
    assert_eq!(
        config::to_xml(&config),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <CORSRule><ID>a&amp;b</ID><AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader>\
         <AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>\
         <AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>http://test.com:80</AllowedOrigin>\
         <AllowedOrigin></AllowedOrigin><ExposeHeader>ETag</ExposeHeader>\
         <MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>\
         <CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>\
         </CORSConfiguration>"
    );
}

#[rstest]
#[case::console_json(r#"[{"AllowedOrigins": ["https://a.com", ""], "AllowedMethods": ["GET"], "AllowedHeaders": ["X-Y"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 5, "ID": "<r>"}]"#)]
#[case::xml(
    "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule><CORSRule><AllowedOrigin>x</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"
)]
fn s3_2_get_bucket_cors_body_parses_back_to_the_same_configuration(#[case] text: &str) {
    let (config, _) = config::parse(text).unwrap();
    let (again, _) = config::parse(&config::to_xml(&config)).unwrap();
    assert_eq!(again, config);
}
