//! Reading the three forms people paste (`docs/facts/s3.md` §1.1): the console JSON array, the CLI
//! document `{"CORSRules": [...]}` and `<CORSConfiguration>` XML. Each row names the fact it
//! encodes.

use cors_engine::config::{self, CorsConfiguration, CorsRule, SourceFormat};
use rstest::rstest;

fn rule(origins: &[&str], methods: &[&str]) -> CorsRule {
    CorsRule {
        allowed_origins: origins.iter().map(|s| s.to_string()).collect(),
        allowed_methods: methods.iter().map(|s| s.to_string()).collect(),
        ..CorsRule::default()
    }
}

fn full_rule() -> CorsRule {
    CorsRule {
        id: Some("images".into()),
        allowed_methods: vec!["GET".into(), "PUT".into()],
        allowed_origins: vec![
            "https://app.example.com".into(),
            "http://test.com:80".into(),
        ],
        allowed_headers: vec!["x-AMZ-server-SIDE-encryption".into(), "*".into()],
        expose_headers: vec!["ETag".into(), "x-amz-request-id".into()],
        max_age_seconds: Some("3000".into()),
    }
}

const CONSOLE_FULL: &str = r#"[
  {
    "ID": "images",
    "AllowedHeaders": ["x-AMZ-server-SIDE-encryption", "*"],
    "AllowedMethods": ["GET", "PUT"],
    "AllowedOrigins": ["https://app.example.com", "http://test.com:80"],
    "ExposeHeaders": ["ETag", "x-amz-request-id"],
    "MaxAgeSeconds": 3000
  }
]"#;

const CLI_FULL: &str = r#"{"CORSRules": [{"ID": "images",
  "AllowedHeaders": ["x-AMZ-server-SIDE-encryption", "*"], "AllowedMethods": ["GET", "PUT"],
  "AllowedOrigins": ["https://app.example.com", "http://test.com:80"],
  "ExposeHeaders": ["ETag", "x-amz-request-id"], "MaxAgeSeconds": "3000"}]}"#;

// §1.1 (High): namespaced, as SDKs send it.
const XML_NAMESPACED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <ID>images</ID>
    <AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader>
    <AllowedHeader>*</AllowedHeader>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <AllowedOrigin>http://test.com:80</AllowedOrigin>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-request-id</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>"#;

// §1.1 (Medium): no namespace (the user guide's samples) and members in any order
// (open-io/swift3#59: AWS accepts any permutation).
const XML_BARE_SHUFFLED: &str = r#"<CORSConfiguration><CORSRule>
<MaxAgeSeconds>3000</MaxAgeSeconds><ExposeHeader>ETag</ExposeHeader>
<AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>
<AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader><ID>images</ID>
<AllowedOrigin>http://test.com:80</AllowedOrigin><AllowedHeader>*</AllowedHeader>
<ExposeHeader>x-amz-request-id</ExposeHeader><AllowedMethod>PUT</AllowedMethod>
</CORSRule></CORSConfiguration>"#;

#[rstest]
#[case::s3_1_1_console_json_array(CONSOLE_FULL, SourceFormat::ConsoleJson)]
#[case::s3_1_1_cli_document_max_age_as_string(CLI_FULL, SourceFormat::CliJson)]
#[case::s3_1_1_xml_with_s3_namespace(XML_NAMESPACED, SourceFormat::Xml)]
#[case::s3_1_1_xml_without_namespace_any_member_order(XML_BARE_SHUFFLED, SourceFormat::Xml)]
fn s3_1_1_all_three_forms_give_the_same_rule(#[case] text: &str, #[case] format: SourceFormat) {
    let (config, detected) = config::parse(text).expect("parses");
    assert_eq!(detected, format);
    assert_eq!(
        config,
        CorsConfiguration {
            rules: vec![full_rule()]
        }
    );
}

#[rstest]
// §1.2 (High): values verbatim — header case kept, the port kept, an empty origin kept.
#[case::s3_1_2_values_verbatim_json(
    r#"[{"AllowedOrigins": [" https://a.com ", "", "http://test.com:80"], "AllowedMethods": ["get"]}]"#
)]
#[case::s3_1_2_values_verbatim_xml(
    "<CORSConfiguration><CORSRule><AllowedOrigin> https://a.com </AllowedOrigin><AllowedOrigin/>\
     <AllowedOrigin>http://test.com:80</AllowedOrigin><AllowedMethod>get</AllowedMethod>\
     </CORSRule></CORSConfiguration>"
)]
fn s3_1_2_values_are_kept_verbatim(#[case] text: &str) {
    let (config, _) = config::parse(text).expect("parses");
    assert_eq!(
        config.rules,
        vec![rule(
            &[" https://a.com ", "", "http://test.com:80"],
            &["get"]
        )]
    );
}

#[rstest]
// §1.2: a rule without origins or methods, and an empty rule list, are S3 validation errors
// (MalformedXML), not parse errors: they must reach validation.
#[case::s3_1_2_empty_console_array("[]", 0)]
#[case::s3_1_2_empty_cli_list(r#"{"CORSRules": []}"#, 0)]
#[case::s3_1_2_empty_xml_root("<CORSConfiguration/>", 0)]
#[case::s3_1_2_empty_xml_rule("<CORSConfiguration><CORSRule/></CORSConfiguration>", 1)]
#[case::s3_1_2_json_rule_without_members("[{}]", 1)]
fn incomplete_documents_parse_for_validation(#[case] text: &str, #[case] rules: usize) {
    let (config, _) = config::parse(text).expect("parses");
    assert_eq!(config.rules.len(), rules);
    assert_eq!(config::validate(&config).unwrap_err().code, "MalformedXML");
}

#[rstest]
#[case::json_integer("3000", "3000")]
#[case::json_string("\"3000\"", "3000")]
#[case::json_fraction_kept_for_validation("1.5", "1.5")]
#[case::json_text_kept_for_validation("\"a\"", "a")]
#[case::json_negative("-1", "-1")]
fn s3_1_2_max_age_is_kept_as_text(#[case] json_value: &str, #[case] stored: &str) {
    let text = format!(
        r#"[{{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": {json_value}}}]"#
    );
    let (config, _) = config::parse(&text).expect("parses");
    assert_eq!(config.rules[0].max_age_seconds.as_deref(), Some(stored));
}

#[test]
fn rule_order_and_value_order_are_preserved() {
    // §1.2 (High): rule order and value order are preserved.
    let text = r#"{"CORSRules": [
        {"AllowedOrigins": ["b", "a"], "AllowedMethods": ["PUT", "GET"]},
        {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]}]}"#;
    let (config, _) = config::parse(text).unwrap();
    assert_eq!(
        config.rules,
        vec![rule(&["b", "a"], &["PUT", "GET"]), rule(&["*"], &["HEAD"])]
    );
}

#[test]
fn xml_entities_and_cdata_are_decoded() {
    let text = "<CORSConfiguration><CORSRule><AllowedOrigin>https://a.com/?x=1&amp;y=&#50;\
                </AllowedOrigin><AllowedMethod><![CDATA[GET]]></AllowedMethod></CORSRule>\
                </CORSConfiguration>";
    let (config, _) = config::parse(text).unwrap();
    assert_eq!(
        config.rules,
        vec![rule(&["https://a.com/?x=1&y=2"], &["GET"])]
    );
}

#[test]
fn byte_order_mark_and_leading_blank_lines_are_ignored() {
    let (_, format) = config::parse("\u{feff}\n\n  [{\"AllowedOrigins\": [\"*\"]}]").unwrap();
    assert_eq!(format, SourceFormat::ConsoleJson);
}

/// Parse errors: format, 1-based line, and words that name the problem.
#[rstest]
#[case::json_unknown_key_named(
    "[\n  {\n    \"AllowedOrigins\": [\"*\"],\n    \"AllowedOrigin\": [\"*\"]\n  }\n]",
    Some(SourceFormat::ConsoleJson),
    4,
    "unknown field `AllowedOrigin`, expected one of"
)]
#[case::json_singular_xml_name_hint(
    "[{\"AllowedMethod\": [\"GET\"]}]",
    Some(SourceFormat::ConsoleJson),
    1,
    "did you mean `AllowedMethods`?"
)]
#[case::bare_rule_object_hint(
    "{\"AllowedOrigins\": [\"*\"], \"AllowedMethods\": [\"GET\"]}",
    Some(SourceFormat::CliJson),
    1,
    "this looks like a single rule"
)]
#[case::json_wrong_case_key_hint(
    "[{\"allowedOrigins\": [\"*\"]}]",
    Some(SourceFormat::ConsoleJson),
    1,
    "did you mean `AllowedOrigins`?"
)]
#[case::cli_unknown_top_level_key(
    "{\n\"CORSRules\": [],\n\"Rules\": []\n}",
    Some(SourceFormat::CliJson),
    3,
    "unknown field `Rules`"
)]
#[case::cli_missing_cors_rules("{}", Some(SourceFormat::CliJson), 1, "missing field `CORSRules`")]
#[case::json_origins_not_a_list(
    "[{\n\"AllowedOrigins\": \"*\"}]",
    Some(SourceFormat::ConsoleJson),
    2,
    "invalid type"
)]
#[case::json_syntax_error(
    "[{\"AllowedOrigins\": [\"*\"],}\n]",
    Some(SourceFormat::ConsoleJson),
    1,
    "invalid console JSON"
)]
#[case::xml_unknown_member_named(
    "<CORSConfiguration>\n<CORSRule>\n<AllowedOrigins>*</AllowedOrigins>\n</CORSRule>\n</CORSConfiguration>",
    Some(SourceFormat::Xml),
    3,
    "unknown element <AllowedOrigins> in <CORSRule> 1"
)]
#[case::xml_wrong_case_rule_hint(
    "<CORSConfiguration>\n\n<CorsRule/></CORSConfiguration>",
    Some(SourceFormat::Xml),
    3,
    "did you mean <CORSRule>?"
)]
#[case::xml_wrong_root(
    "<?xml version=\"1.0\"?>\n<CORSRules></CORSRules>",
    Some(SourceFormat::Xml),
    2,
    "the root element must be <CORSConfiguration>, found <CORSRules>"
)]
#[case::xml_mismatched_end_tag(
    "<CORSConfiguration>\n<CORSRule>\n<AllowedOrigin>*</AllowedMethod>\n</CORSRule>\n</CORSConfiguration>",
    Some(SourceFormat::Xml),
    3,
    "not well-formed"
)]
#[case::xml_unclosed_root(
    "<CORSConfiguration>\n<CORSRule>\n</CORSRule>\n",
    Some(SourceFormat::Xml),
    4,
    "<CORSConfiguration> is not closed"
)]
#[case::xml_text_between_rules(
    "<CORSConfiguration>\n  oops\n<CORSRule/></CORSConfiguration>",
    Some(SourceFormat::Xml),
    2,
    "unexpected text \"oops\""
)]
#[case::xml_element_inside_value(
    "<CORSConfiguration><CORSRule>\n<AllowedOrigin><b>x</b></AllowedOrigin></CORSRule></CORSConfiguration>",
    Some(SourceFormat::Xml),
    2,
    "<AllowedOrigin> holds text only"
)]
#[case::xml_two_max_ages(
    "<CORSConfiguration><CORSRule>\n<MaxAgeSeconds>1</MaxAgeSeconds>\n<MaxAgeSeconds>2</MaxAgeSeconds></CORSRule></CORSConfiguration>",
    Some(SourceFormat::Xml),
    3,
    "<MaxAgeSeconds> appears more than once"
)]
#[case::xml_foreign_namespace(
    "<CORSConfiguration xmlns=\"urn:other\"/>",
    Some(SourceFormat::Xml),
    1,
    "namespace"
)]
#[case::xml_second_root(
    "<CORSConfiguration/>\n<CORSConfiguration/>",
    Some(SourceFormat::Xml),
    2,
    "one root element"
)]
#[case::xml_unknown_entity(
    "<CORSConfiguration><CORSRule><AllowedOrigin>&nbsp;</AllowedOrigin></CORSRule></CORSConfiguration>",
    Some(SourceFormat::Xml),
    1,
    "unknown entity &nbsp;"
)]
#[case::neither_json_nor_xml("\n\nAllowedOrigins: *", None, 3, "unexpected character 'A'")]
#[case::empty_text("   ", None, 1, "empty")]
fn parse_errors_carry_line_and_message(
    #[case] text: &str,
    #[case] format: Option<SourceFormat>,
    #[case] line: usize,
    #[case] words: &str,
) {
    let error = config::parse(text).expect_err("must not parse");
    assert_eq!(error.format, format, "{error:?}");
    assert_eq!(error.line, Some(line), "{error:?}");
    assert!(
        error.message.contains(words),
        "message {:?} lacks {words:?}",
        error.message
    );
}
