//! S3 error answers (`docs/facts/s3.md` §2, §3, §8): status, code, message, extras and the
//! exact body.

use cors_engine::s3::{Addressed, S3Error};
use rstest::rstest;

#[rstest]
// §3.1 step 1 High.
#[case::s3_3_1_no_origin(S3Error::preflight_without_origin(), 400, "BadRequest",
    "Insufficient information. Origin request header needed.", &[])]
// §3.1 step 4 Medium/Low-Medium.
#[case::s3_3_1_no_request_method(S3Error::preflight_without_request_method(), 400, "BadRequest",
    "Invalid Access-Control-Request-Method: null", &[])]
// §3.1 step 2 High: no trailing period.
#[case::s3_3_1_bucket_not_found(S3Error::cors_bucket_not_found("OPTIONS"), 403, "AccessForbidden",
    "CORSResponse: Bucket not found", &[("Method", "OPTIONS"), ("ResourceType", "BUCKET")])]
// §3.1 step 3 High: always BUCKET.
#[case::s3_3_1_cors_not_enabled(S3Error::cors_not_enabled("GET"), 403, "AccessForbidden",
    "CORSResponse: CORS is not enabled for this bucket.", &[("Method", "GET"), ("ResourceType", "BUCKET")])]
// §3.1 step 5 High: misspelt "evalution".
#[case::s3_3_1_not_allowed_object(S3Error::cors_not_allowed("PUT", Addressed::Object), 403, "AccessForbidden",
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    &[("Method", "PUT"), ("ResourceType", "OBJECT")])]
// §2 High.
#[case::s3_2_no_such_cors_configuration(S3Error::no_such_cors_configuration("assets"), 404,
    "NoSuchCORSConfiguration", "The CORS configuration does not exist", &[("BucketName", "assets")])]
// §1.2 High.
#[case::s3_1_2_malformed_xml(S3Error::malformed_xml(), 400, "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema", &[])]
// §1.1 Medium.
#[case::s3_1_1_missing_content_md5(S3Error::missing_content_md5(), 400, "InvalidRequest",
    "Missing required header for this request: Content-MD5", &[])]
#[case::no_such_bucket(S3Error::no_such_bucket("assets"), 404, "NoSuchBucket",
    "The specified bucket does not exist", &[("BucketName", "assets")])]
#[case::no_such_key(S3Error::no_such_key("a/b.txt"), 404, "NoSuchKey",
    "The specified key does not exist.", &[("Key", "a/b.txt")])]
#[case::access_denied(S3Error::access_denied(), 403, "AccessDenied", "Access Denied", &[])]
#[case::method_not_allowed(S3Error::method_not_allowed("POST", Addressed::Object), 405,
    "MethodNotAllowed", "The specified method is not allowed against this resource.",
    &[("Method", "POST"), ("ResourceType", "OBJECT")])]
fn s3_error_constructors(
    #[case] error: S3Error,
    #[case] status: u16,
    #[case] code: &str,
    #[case] message: &str,
    #[case] extras: &[(&str, &str)],
) {
    assert_eq!(error.status, status);
    assert_eq!(error.code, code);
    assert_eq!(error.message, message);
    let expected: Vec<(String, String)> = extras
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(error.extras, expected);
}

#[test]
fn s3_8_body_layout_declaration_newline_single_line_error() {
    // §8 High: declaration, newline, one-line <Error>, Code, Message, extras, RequestId, HostId,
    // no namespace.
    let body = S3Error::no_such_key("photos/cat.jpg").to_xml("2RFK4Y8G5R4QFSBW", "id2==");
    assert_eq!(
        body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
         <Message>The specified key does not exist.</Message><Key>photos/cat.jpg</Key>\
         <RequestId>2RFK4Y8G5R4QFSBW</RequestId><HostId>id2==</HostId></Error>"
    );
    assert_eq!(body.lines().count(), 2);
}

#[test]
fn s3_8_bad_request_has_only_code_message_and_ids() {
    // §3.1 step 1 High: the 400 body has only Code, Message, RequestId, HostId.
    assert_eq!(
        S3Error::preflight_without_origin().to_xml("R", "H"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>BadRequest</Code>\
         <Message>Insufficient information. Origin request header needed.</Message>\
         <RequestId>R</RequestId><HostId>H</HostId></Error>"
    );
}

#[test]
fn s3_8_text_is_escaped() {
    let body =
        S3Error::invalid_request("AllowedOrigin \"<a&b>\" can not have more than one wildcard.")
            .to_xml("R", "H");
    assert!(
        body.contains(
            "<Message>AllowedOrigin &quot;&lt;a&amp;b&gt;&quot; can not have more than one wildcard.</Message>"
        ),
        "{body}"
    );
}

#[test]
fn extras_are_appended_in_order_and_readable() {
    let error = S3Error::signature_does_not_match()
        .with_extra("AWSAccessKeyId", "AKIA")
        .with_extra("StringToSign", "x");
    assert_eq!(error.extra("StringToSign"), Some("x"));
    assert_eq!(error.extra("Missing"), None);
    assert!(error.to_xml("R", "H").contains(
        "<AWSAccessKeyId>AKIA</AWSAccessKeyId><StringToSign>x</StringToSign><RequestId>"
    ));
    assert_eq!(
        error.to_string(),
        format!("403 SignatureDoesNotMatch: {}", error.message)
    );
}

#[rstest]
// §3.3 High: the 400s carry `Connection: close`, the 403s do not.
#[case::s3_3_3_bad_request_closes(S3Error::preflight_without_origin(), true)]
#[case::s3_3_3_malformed_xml_closes(S3Error::malformed_xml(), true)]
#[case::s3_3_3_forbidden_keeps_alive(S3Error::cors_not_enabled("GET"), false)]
#[case::not_found_keeps_alive(S3Error::no_such_key("k"), false)]
fn s3_3_3_connection_close_on_400(#[case] error: S3Error, #[case] closes: bool) {
    assert_eq!(error.closes_connection(), closes);
}
