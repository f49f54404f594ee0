//! The bucket server against the High facts of `docs/facts/s3.md` (§1–§5, §8), over real
//! HTTP: statuses, exact CORS header values and their order, `Vary` presence and absence, error
//! codes, messages and extra elements, and the common S3 headers. Each row names the fact it
//! encodes (`s3_<section>_<subsection>_…`).

use crate::support::bucket as support;

use cors_servers::bucket::{AwsKeys, BucketServer};
use reqwest::Method;
use rstest::rstest;

const VARY: &str = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource&apos;s CORS spec.";

/// LocalStack's recorded rule (`docs/facts/s3.md` §10 test 4): one origin, GET and PUT, MaxAge
/// 3000, any header.
const LOCALHOST_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://localhost:4200</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>";
const WILDCARD_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>";
const GET_ONLY_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
const EXPOSE_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-amz-id-2</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader><ExposeHeader>x-amz-request-payer</ExposeHeader></CORSRule></CORSConfiguration>";
const PARTIAL_ORIGIN_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>http://*.origin.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>";
const NAMED_HEADERS_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-amz-expected-bucket-owner</AllowedHeader><AllowedHeader>x-amz-server-side-encryption-customer-algorithm</AllowedHeader><AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader></CORSRule></CORSConfiguration>";
const TWO_RULES: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>10</MaxAgeSeconds></CORSRule><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>";

/// What the bucket looks like for a row.
#[derive(Clone, Copy)]
enum Bucket {
    Missing,
    NoCors,
    Cors(&'static str),
}

/// A server with bucket `assets` in the given state and object `photos/cat.jpg` when it exists.
async fn setup(bucket: Bucket) -> (BucketServer, support::Running) {
    let server = BucketServer::new();
    if !matches!(bucket, Bucket::Missing) {
        server.create_bucket("assets").unwrap();
        server
            .put_object("assets", "photos/cat.jpg", "image/jpeg", &b"JPEGDATA"[..])
            .unwrap();
    }
    if let Bucket::Cors(xml) = bucket {
        server
            .put_bucket_cors("assets", support::cors_config(xml))
            .unwrap();
    }
    let running = support::start(&server).await;
    (server, running)
}

async fn send(
    running: &support::Running,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = support::client().request(method, format!("{}{path}", running.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn lines(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
        .collect()
}

/// Checks S3's error framing (§3.3, §8) and returns the body.
async fn error_body(response: reqwest::Response, status: u16, code: &str) -> String {
    assert_eq!(response.status().as_u16(), status);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/xml");
    assert_eq!(
        headers
            .get("transfer-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("chunked")
    );
    assert!(headers.get("content-length").is_none());
    assert_eq!(
        headers.get("connection").map(|v| v.to_str().unwrap()),
        (status == 400).then_some("close"),
        "Connection: close exactly on 400s"
    );
    // §8 (Medium): S3's header order on errors (CORS lines, when any, sit after the ids).
    let order: Vec<&str> = headers
        .keys()
        .map(|name| name.as_str())
        .filter(|name| !name.starts_with("access-control-") && *name != "vary")
        .collect();
    let mut expected = vec![
        "x-amz-request-id",
        "x-amz-id-2",
        "content-type",
        "transfer-encoding",
        "date",
    ];
    if status == 400 {
        expected.push("connection");
    }
    expected.push("server");
    assert_eq!(order, expected);
    let request_id = headers["x-amz-request-id"].to_str().unwrap().to_owned();
    let host_id = headers["x-amz-id-2"].to_str().unwrap().to_owned();
    let body = response.text().await.unwrap();
    let (declaration, error) = body.split_once('\n').expect("declaration line");
    assert_eq!(declaration, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    assert!(
        error.starts_with("<Error><Code>") && error.ends_with("</Error>"),
        "{body}"
    );
    assert!(!error.contains('\n'));
    assert_eq!(support::element(&body, "Code"), Some(code));
    assert_eq!(
        support::element(&body, "RequestId"),
        Some(request_id.as_str())
    );
    assert_eq!(support::element(&body, "HostId"), Some(host_id.as_str()));
    body
}

// ---------- §3.1 preflight decision procedure ----------

#[rstest]
// §3.1 step 1 (High): no Origin → 400, whatever the bucket, even with ACRM.
#[case::s3_3_1_no_origin_missing_bucket_400(Bucket::Missing, "/assets/photos/cat.jpg", None, None)]
#[case::s3_3_1_no_origin_no_config_400(Bucket::NoCors, "/assets/photos/cat.jpg", None, Some("PUT"))]
#[case::s3_3_1_no_origin_configured_400(Bucket::Cors(LOCALHOST_RULE), "/assets", None, Some("GET"))]
#[tokio::test]
async fn preflight_without_origin_is_400(
    #[case] bucket: Bucket,
    #[case] path: &str,
    #[case] _origin: Option<&str>,
    #[case] acrm: Option<&str>,
) {
    let (_server, running) = setup(bucket).await;
    let mut headers = vec![("referer", "https://localhost:4200/page")];
    if let Some(method) = acrm {
        headers.push(("access-control-request-method", method));
    }
    let response = send(&running, Method::OPTIONS, path, &headers).await;
    assert!(support::cors_lines(&response).is_empty());
    let body = error_body(response, 400, "BadRequest").await;
    assert_eq!(
        support::element(&body, "Message"),
        Some("Insufficient information. Origin request header needed.")
    );
    assert!(!body.contains("<Method>"));
}

#[rstest]
// §3.1 step 2 (High): missing bucket → 403 "Bucket not found", Method = ACRM or OPTIONS.
#[case::s3_3_1_missing_bucket_no_acrm(
    Bucket::Missing,
    "/assets",
    None,
    "CORSResponse: Bucket not found",
    "OPTIONS",
    "BUCKET"
)]
#[case::s3_3_1_missing_bucket_with_acrm(
    Bucket::Missing,
    "/assets/photos/cat.jpg",
    Some("PUT"),
    "CORSResponse: Bucket not found",
    "PUT",
    "BUCKET"
)]
// §3.1 step 3 (High): no configuration → 403 "CORS is not enabled", ResourceType BUCKET even on an object URL.
#[case::s3_3_1_no_config_acrm_put(
    Bucket::NoCors,
    "/assets/photos/cat.jpg",
    Some("PUT"),
    "CORSResponse: CORS is not enabled for this bucket.",
    "PUT",
    "BUCKET"
)]
#[case::s3_3_1_no_config_origin_only(
    Bucket::NoCors,
    "/assets/photos/cat.jpg",
    None,
    "CORSResponse: CORS is not enabled for this bucket.",
    "OPTIONS",
    "BUCKET"
)]
// §3.1 step 5 (High): no rule matches → 403 "not allowed", ResourceType OBJECT on a key, BUCKET on the bucket.
#[case::s3_3_1_wrong_scheme_object(
    Bucket::Cors(LOCALHOST_RULE),
    "/assets/photos/cat.jpg",
    Some("PUT"),
    NOT_ALLOWED,
    "PUT",
    "OBJECT"
)]
#[case::s3_3_1_method_not_allowed_object(
    Bucket::Cors(GET_ONLY_RULE),
    "/assets/new-key",
    Some("PUT"),
    NOT_ALLOWED,
    "PUT",
    "OBJECT"
)]
#[tokio::test]
async fn preflight_refusals_are_403_access_forbidden(
    #[case] bucket: Bucket,
    #[case] path: &str,
    #[case] acrm: Option<&str>,
    #[case] message: &str,
    #[case] method: &str,
    #[case] resource_type: &str,
) {
    let (_server, running) = setup(bucket).await;
    // `http://localhost:4200` differs from the rule's https origin only by scheme (§5).
    let mut headers = vec![("origin", "http://localhost:4200")];
    if let Some(value) = acrm {
        headers.push(("access-control-request-method", value));
    }
    if matches!(bucket, Bucket::Cors(GET_ONLY_RULE)) {
        headers[0] = ("origin", "https://app.example.com");
    }
    let response = send(&running, Method::OPTIONS, path, &headers).await;
    // §3.1 (High): a failing preflight carries no Access-Control-* headers and no Vary.
    assert!(support::cors_lines(&response).is_empty());
    let body = error_body(response, 403, "AccessForbidden").await;
    // §3.3 (High): Code, Message, Method, ResourceType, RequestId, HostId in this order.
    let expected_tail = format!(
        "<Message>{message}</Message><Method>{method}</Method><ResourceType>{resource_type}</ResourceType><RequestId>"
    );
    assert!(body.contains(&expected_tail), "{body}");
}

#[tokio::test]
async fn s3_3_1_trailing_slash_origin_on_bucket_url_is_403_bucket() {
    // §10 test 6 (High): `http://test.origin.com/` does not match `http://*.origin.com`.
    let (_server, running) = setup(Bucket::Cors(PARTIAL_ORIGIN_RULE)).await;
    let response = send(
        &running,
        Method::OPTIONS,
        "/assets",
        &[
            ("origin", "http://test.origin.com/"),
            ("access-control-request-method", "GET"),
        ],
    )
    .await;
    let body = error_body(response, 403, "AccessForbidden").await;
    assert!(body.contains("<Method>GET</Method><ResourceType>BUCKET</ResourceType>"));
}

#[tokio::test]
async fn s3_3_1_configured_bucket_without_acrm_is_400() {
    // §3.1 step 4: 400 (Medium); message Low-Medium.
    let (_server, running) = setup(Bucket::Cors(LOCALHOST_RULE)).await;
    let response = send(
        &running,
        Method::OPTIONS,
        "/assets/photos/cat.jpg",
        &[("origin", "https://localhost:4200")],
    )
    .await;
    let body = error_body(response, 400, "BadRequest").await;
    assert_eq!(
        support::element(&body, "Message"),
        Some("Invalid Access-Control-Request-Method: null")
    );
}

// ---------- §3.2 successful preflight headers ----------

#[rstest]
// §3.2 example (High): echo + credentials, the rule's whole method list, Max-Age, Vary.
#[case::s3_3_2_echo_origin(
    LOCALHOST_RULE, "/assets/photos/cat.jpg", "https://localhost:4200", "PUT", None,
    &[("Access-Control-Allow-Origin", "https://localhost:4200"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)]
)]
// §3.2 (High): `*` in the rule → ACAO `*`, no credentials.
#[case::s3_3_2_wildcard_origin(
    WILDCARD_RULE, "/assets/photos/cat.jpg", "http://random:1234", "GET", None,
    &[("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)]
)]
// §3.2 (High): requested headers echoed lower-cased, request order, `, `-joined (no-space input too).
#[case::s3_3_2_headers_lowercased_no_space(
    NAMED_HEADERS_RULE, "/assets/photos/cat.jpg", "https://app.example.com", "GET", Some("x-AMZ-expected-BUCKET-owner,x-amz-server-side-encryption"),
    &[("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET"), ("Access-Control-Allow-Headers", "x-amz-expected-bucket-owner, x-amz-server-side-encryption"), ("Vary", VARY)]
)]
// §3.2 (High): AllowedHeader `*` echoes the requested names, never `*`.
#[case::s3_3_2_star_header_echoes(
    LOCALHOST_RULE, "/assets/photos/cat.jpg", "https://localhost:4200", "GET", Some("x-amz-request-payer, Content-Type"),
    &[("Access-Control-Allow-Origin", "https://localhost:4200"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Allow-Headers", "x-amz-request-payer, content-type"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)]
)]
// §10 test 9 (High): ExposeHeaders verbatim in order; no Max-Age when unset.
#[case::s3_3_2_expose_headers(
    EXPOSE_RULE, "/assets/photos/cat.jpg", "localhost:4566", "GET", None,
    &[("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET"), ("Access-Control-Expose-Headers", "x-amz-id-2, x-amz-request-id, x-amz-request-payer"), ("Vary", VARY)]
)]
// §10 test 5 (High): partial wildcard origin on the bucket URL.
#[case::s3_3_2_partial_wildcard_bucket_url(
    PARTIAL_ORIGIN_RULE, "/assets", "http://test.origin.com", "GET", None,
    &[("Access-Control-Allow-Origin", "http://test.origin.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)]
)]
// §3.1 (High): the key is never looked up — a missing key gets 200.
#[case::s3_3_1_missing_key_is_200(
    GET_ONLY_RULE, "/assets/does/not/exist", "https://app.example.com", "GET", None,
    &[("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET"), ("Vary", VARY)]
)]
// §5 (High): the first matching rule alone is used (no merging).
#[case::s3_5_first_rule_wins(
    TWO_RULES, "/assets/photos/cat.jpg", "https://app.example.com", "GET", None,
    &[("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET"), ("Access-Control-Max-Age", "10"), ("Vary", VARY)]
)]
#[case::s3_5_later_rule_when_first_fails(
    TWO_RULES, "/assets/photos/cat.jpg", "https://other.example.com", "HEAD", None,
    &[("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, HEAD"), ("Vary", VARY)]
)]
#[tokio::test]
async fn successful_preflight_headers_are_exact_and_ordered(
    #[case] rule: &'static str,
    #[case] path: &str,
    #[case] origin: &str,
    #[case] acrm: &str,
    #[case] acrh: Option<&str>,
    #[case] expected: &[(&str, &str)],
) {
    let (_server, running) = setup(Bucket::Cors(rule)).await;
    let mut headers = vec![("origin", origin), ("access-control-request-method", acrm)];
    if let Some(value) = acrh {
        headers.push(("access-control-request-headers", value));
    }
    let response = send(&running, Method::OPTIONS, path, &headers).await;
    assert_eq!(response.status(), 200);
    assert_eq!(support::cors_lines(&response), lines(expected));
    // §3.2 (High): Content-Length 0, no Content-Type, empty body.
    assert_eq!(response.headers()["content-length"], "0");
    assert!(response.headers().get("content-type").is_none());
    assert!(response.headers().get("connection").is_none());
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn s3_3_1_preflight_is_never_authenticated() {
    // §3.1 (Medium-High): a bogus Authorization header or a presigned query changes nothing, even
    // on a server that verifies signatures.
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: "AKID".into(),
            secret_key: "secret".into(),
        })
        .build()
        .unwrap();
    server.create_bucket("assets").unwrap();
    server
        .put_bucket_cors("assets", support::cors_config(GET_ONLY_RULE))
        .unwrap();
    let running = support::start(&server).await;
    for path in [
        "/assets/k",
        "/assets/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=bogus",
    ] {
        let response = send(
            &running,
            Method::OPTIONS,
            path,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "GET"),
                (
                    "authorization",
                    "AWS4-HMAC-SHA256 Credential=nobody/x, Signature=bad",
                ),
            ],
        )
        .await;
        assert_eq!(response.status(), 200, "{path}");
    }
}

// ---------- §4 actual requests ----------

#[rstest]
// §4 (High): no Origin → no CORS headers and no Vary, configured or not.
#[case::s3_4_no_origin(Bucket::Cors(LOCALHOST_RULE), Method::GET, "/assets/photos/cat.jpg", &[("referer", "https://localhost:4200/")], 200, &[])]
// §4 (High): Origin on a bucket without configuration → served, nothing added.
#[case::s3_4_no_config(Bucket::NoCors, Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://localhost:4200")], 200, &[])]
// §4 (High): no rule matches → served, no CORS headers, no Vary.
#[case::s3_4_wrong_origin(Bucket::Cors(LOCALHOST_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "http://localhost:4200")], 200, &[])]
// §4 (High): a matching rule → the preflight's headers on the actual response.
#[case::s3_4_right_origin(Bucket::Cors(LOCALHOST_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://localhost:4200")], 200,
    &[("Access-Control-Allow-Origin", "https://localhost:4200"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)])]
#[case::s3_4_wildcard_origin(Bucket::Cors(WILDCARD_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "http://random:1234")], 200,
    &[("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Max-Age", "3000"), ("Vary", VARY)])]
// §5 condition 2 (High): the HTTP method must be in the rule (HEAD is not in GET, PUT).
#[case::s3_5_method_not_in_rule(Bucket::Cors(WILDCARD_RULE), Method::HEAD, "/assets/photos/cat.jpg", &[("origin", "http://random:1234")], 200, &[])]
// §4 (High): Access-Control-Request-Method overrides the HTTP method on actual requests.
#[case::s3_4_acrm_overrides_method(Bucket::Cors(GET_ONLY_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://app.example.com"), ("access-control-request-method", "PUT")], 200, &[])]
// §4 (High): Access-Control-Request-Headers are checked on actual requests; real headers are not.
#[case::s3_4_acrh_mismatch_removes_cors(Bucket::Cors(NAMED_HEADERS_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://app.example.com"), ("access-control-request-headers", "x-amz-request-payer")], 200, &[])]
#[case::s3_4_real_header_not_checked(Bucket::Cors(NAMED_HEADERS_RULE), Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://app.example.com"), ("x-amz-request-payer", "requester")], 200,
    &[("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET"), ("Vary", VARY)])]
// §4 (Medium-High): errors keep the CORS headers of a matching rule (404 NoSuchKey).
#[case::s3_4_404_keeps_cors(Bucket::Cors(GET_ONLY_RULE), Method::GET, "/assets/missing.txt", &[("origin", "https://app.example.com")], 404,
    &[("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "GET"), ("Vary", VARY)])]
// §4 (Medium): a missing bucket has no rules, so no CORS headers.
#[case::s3_4_missing_bucket_no_cors(Bucket::Missing, Method::GET, "/assets/photos/cat.jpg", &[("origin", "https://app.example.com")], 404, &[])]
#[tokio::test]
async fn actual_response_cors_headers(
    #[case] bucket: Bucket,
    #[case] method: Method,
    #[case] path: &str,
    #[case] headers: &[(&str, &str)],
    #[case] status: u16,
    #[case] expected: &[(&str, &str)],
) {
    let (_server, running) = setup(bucket).await;
    let response = send(&running, method, path, headers).await;
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(support::cors_lines(&response), lines(expected));
}

#[tokio::test]
async fn s3_4_put_without_matching_rule_is_stored_without_cors() {
    // §10 test 7 (High): PUT with Origin when only GET is allowed → 200, stored, no CORS headers.
    let (server, running) = setup(Bucket::Cors(GET_ONLY_RULE)).await;
    let response = support::client()
        .put(format!("{}/assets/uploaded.txt", running.base))
        .header("origin", "https://app.example.com")
        .body("data")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(support::cors_lines(&response).is_empty());
    assert_eq!(
        server.object_body("assets", "uploaded.txt").as_deref(),
        Some(&b"data"[..])
    );
}

#[tokio::test]
async fn s3_4_404_body_is_no_such_key_with_cors_and_get_body_served() {
    let (_server, running) = setup(Bucket::Cors(GET_ONLY_RULE)).await;
    let origin = [("origin", "https://app.example.com")];
    let missing = send(&running, Method::GET, "/assets/missing.txt", &origin).await;
    let body = error_body(missing, 404, "NoSuchKey").await;
    assert!(
        body.contains("<Message>The specified key does not exist.</Message><Key>missing.txt</Key>")
    );
    let found = send(&running, Method::GET, "/assets/photos/cat.jpg", &origin).await;
    assert_eq!(found.headers()["content-type"], "image/jpeg");
    assert_eq!(found.text().await.unwrap(), "JPEGDATA");
}

#[tokio::test]
async fn s3_4_forbidden_put_keeps_cors_only_when_a_rule_matches() {
    // §4 (Medium-High): an unauthenticated PUT → 403 with CORS headers when a rule matches, none
    // otherwise.
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: "AKID".into(),
            secret_key: "secret".into(),
        })
        .build()
        .unwrap();
    server.create_bucket("assets").unwrap();
    server
        .put_bucket_cors(
            "assets",
            support::cors_config("<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>"),
        )
        .unwrap();
    let running = support::start(&server).await;
    let allowed = send(
        &running,
        Method::PUT,
        "/assets/k",
        &[("origin", "https://app.example.com")],
    )
    .await;
    assert_eq!(
        support::cors_lines(&allowed),
        lines(&[
            ("Access-Control-Allow-Origin", "https://app.example.com"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Vary", VARY)
        ])
    );
    error_body(allowed, 403, "AccessDenied").await;
    let other = send(
        &running,
        Method::PUT,
        "/assets/k",
        &[("origin", "https://evil.example.com")],
    )
    .await;
    assert!(support::cors_lines(&other).is_empty());
    error_body(other, 403, "AccessDenied").await;
}

#[tokio::test]
async fn s3_4_bucket_less_operations_never_get_cors() {
    // §4 (Medium): ListBuckets and CreateBucket have no CORS support.
    let (_server, running) = setup(Bucket::Cors(WILDCARD_RULE)).await;
    let origin = [("origin", "https://app.example.com")];
    let list = send(&running, Method::GET, "/", &origin).await;
    assert_eq!(list.status(), 200);
    assert!(support::cors_lines(&list).is_empty());
    let create = send(&running, Method::PUT, "/assets", &origin).await;
    assert_eq!(create.status(), 409);
    assert!(support::cors_lines(&create).is_empty());
}

// ---------- §1, §2 Put/Get/DeleteBucketCors over REST ----------

fn content_md5(body: &str) -> String {
    use base64::Engine as _;
    use md5::{Digest, Md5};
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(body.as_bytes()))
}

async fn put_cors(running: &support::Running, body: &str) -> reqwest::Response {
    support::client()
        .put(format!("{}/assets?cors", running.base))
        .header("content-md5", content_md5(body))
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn s3_1_and_2_put_get_delete_cycle() {
    let (_server, running) = setup(Bucket::NoCors).await;
    // §2 (High): GetBucketCors without configuration → 404 with BucketName.
    let before = send(&running, Method::GET, "/assets?cors", &[]).await;
    let body = error_body(before, 404, "NoSuchCORSConfiguration").await;
    assert!(body.contains("<Message>The CORS configuration does not exist</Message><BucketName>assets</BucketName><RequestId>"));
    // §2 (High): DeleteBucketCors without configuration → 204.
    let delete = send(&running, Method::DELETE, "/assets?cors", &[]).await;
    assert_eq!(delete.status(), 204);
    // §1.1 (High): 200 with an empty body; values stored verbatim (§1.2 High).
    let document = "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><AllowedOrigin>http://test.com:80</AllowedOrigin><AllowedOrigin></AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>";
    let put = put_cors(&running, document).await;
    assert_eq!(put.status(), 200);
    assert_eq!(put.text().await.unwrap(), "");
    let got = send(&running, Method::GET, "/assets?cors", &[]).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/xml");
    let text = got.text().await.unwrap();
    assert_eq!(
        text,
        cors_engine::config::to_xml(&cors_engine::config::parse_xml(document).unwrap())
    );
    assert!(text.contains("<AllowedOrigin>http://test.com:80</AllowedOrigin>"));
    assert!(text.contains("<AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader>"));
    // The stored configuration is the one preflights are answered from.
    let preflight = send(
        &running,
        Method::OPTIONS,
        "/assets/x",
        &[
            ("origin", "http://test.com:80"),
            ("access-control-request-method", "HEAD"),
        ],
    )
    .await;
    assert_eq!(preflight.status(), 200);
    let delete = send(&running, Method::DELETE, "/assets?cors", &[]).await;
    assert_eq!(delete.status(), 204);
    let after = send(&running, Method::GET, "/assets?cors", &[]).await;
    error_body(after, 404, "NoSuchCORSConfiguration").await;
}

#[rstest]
// §1.2 (High): unsupported method, exact text.
#[case::s3_1_2_unsupported_method(
    "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>MYMETHOD</AllowedMethod></CORSRule></CORSConfiguration>",
    "InvalidRequest",
    "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"
)]
// §1.2 (High): a root without rules.
#[case::s3_1_2_no_rules(
    "<CORSConfiguration></CORSConfiguration>",
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema"
)]
// §1.2 (Medium-High): more than one wildcard in an origin.
#[case::s3_1_2_double_wildcard_origin(
    "<CORSConfiguration><CORSRule><AllowedOrigin>*example*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
    "InvalidRequest",
    "AllowedOrigin \"*example*.com\" can not have more than one wildcard."
)]
// Not XML at all, and the console's JSON form, are MalformedXML on the wire.
#[case::junk_body(
    "this is not xml <<<",
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema"
)]
#[case::json_body(
    "[{\"AllowedOrigins\": [\"*\"], \"AllowedMethods\": [\"GET\"]}]",
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema"
)]
#[tokio::test]
async fn put_bucket_cors_validation_errors(
    #[case] document: &str,
    #[case] code: &str,
    #[case] message: &str,
) {
    let (_server, running) = setup(Bucket::NoCors).await;
    let response = put_cors(&running, document).await;
    let body = error_body(response, 400, code).await;
    assert_eq!(
        support::element(&body, "Message").map(|m| m.replace("&quot;", "\"")),
        Some(message.to_owned())
    );
    // Nothing was stored.
    let get = send(&running, Method::GET, "/assets?cors", &[]).await;
    assert_eq!(get.status(), 404);
}

#[tokio::test]
async fn s3_1_1_integrity_header_and_size_limit() {
    let (_server, running) = setup(Bucket::NoCors).await;
    // §1.1 (Medium): neither Content-MD5 nor a flexible checksum → 400 InvalidRequest.
    let unsigned = support::client()
        .put(format!("{}/assets?cors", running.base))
        .body(GET_ONLY_RULE)
        .send()
        .await
        .unwrap();
    let body = error_body(unsigned, 400, "InvalidRequest").await;
    assert!(body.contains("Missing required header for this request: Content-MD5"));
    // §1.1 (High for 64 KB; the code is Low, §11.8): a larger document is refused.
    let mut huge = String::from(
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>",
    );
    while huge.len() <= 64 * 1024 {
        huge.push_str("<AllowedHeader>x-amz-meta-padding-header</AllowedHeader>");
    }
    huge.push_str("</CORSRule></CORSConfiguration>");
    let response = put_cors(&running, &huge).await;
    error_body(response, 400, "MaxMessageLengthExceeded").await;
    // A wrong Content-MD5 is BadDigest.
    let bad = support::client()
        .put(format!("{}/assets?cors", running.base))
        .header("content-md5", content_md5("something else"))
        .body(GET_ONLY_RULE)
        .send()
        .await
        .unwrap();
    error_body(bad, 400, "BadDigest").await;
}

#[tokio::test]
async fn cors_subresource_on_missing_bucket_is_no_such_bucket() {
    let (_server, running) = setup(Bucket::Missing).await;
    for method in [Method::GET, Method::DELETE] {
        let response = send(&running, method, "/assets?cors", &[]).await;
        let body = error_body(response, 404, "NoSuchBucket").await;
        assert!(body.contains("<BucketName>assets</BucketName>"));
    }
    let response = put_cors(&running, GET_ONLY_RULE).await;
    error_body(response, 404, "NoSuchBucket").await;
}

// ---------- §8 common headers ----------

type Headers<'a> = Vec<(&'a str, &'a str)>;

#[tokio::test]
async fn s3_8_common_headers_on_every_response() {
    let (_server, running) = setup(Bucket::Cors(GET_ONLY_RULE)).await;
    let origin = ("origin", "https://app.example.com");
    let requests: Vec<(Method, &str, Headers)> = vec![
        (Method::GET, "/", vec![]),
        (Method::GET, "/assets/photos/cat.jpg", vec![origin]),
        (Method::GET, "/assets/missing", vec![origin]),
        (
            Method::OPTIONS,
            "/assets/x",
            vec![origin, ("access-control-request-method", "GET")],
        ),
        (Method::OPTIONS, "/assets/x", vec![]),
        (Method::OPTIONS, "/other/x", vec![origin]),
        (Method::HEAD, "/assets", vec![]),
        (Method::DELETE, "/assets/photos/none", vec![]),
    ];
    let mut seen_ids = std::collections::HashSet::new();
    for (method, path, headers) in requests {
        let response = send(&running, method.clone(), path, &headers).await;
        let lines = support::header_lines(&response);
        // §8 (Medium): the ids lead the response.
        assert_eq!(lines[0].0, "x-amz-request-id", "{method} {path}");
        assert_eq!(lines[1].0, "x-amz-id-2");
        let request_id = &lines[0].1;
        assert_eq!(request_id.len(), 16);
        assert!(
            request_id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert!(seen_ids.insert(request_id.clone()), "ids are unique");
        use base64::Engine as _;
        assert!(
            base64::engine::general_purpose::STANDARD
                .decode(&lines[1].1)
                .is_ok()
        );
        assert_eq!(response.headers()["server"], "AmazonS3");
        let date = response.headers()["date"].to_str().unwrap();
        assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");
        time::OffsetDateTime::parse(
            &date.replace("GMT", "+0000"),
            &time::format_description::well_known::Rfc2822,
        )
        .unwrap();
    }
}

// ---------- §5 matching conditions, end to end ----------

const PLAIN_ORIGIN_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>http://www.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
const INNER_WILDCARD_RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>start*end</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";

#[rstest]
// §5 condition 1 (High): scheme, host and port must all match literally.
#[case::s3_5_explicit_default_port_differs(
    PLAIN_ORIGIN_RULE,
    "http://www.example.com:80",
    None,
    403
)]
#[case::s3_5_other_scheme_differs(PLAIN_ORIGIN_RULE, "https://www.example.com", None, 403)]
#[case::s3_5_literal_match(PLAIN_ORIGIN_RULE, "http://www.example.com", None, 200)]
// §5 (High): one `*` matches any run, including the empty one, anchored at both ends.
#[case::s3_5_wildcard_empty_run(INNER_WILDCARD_RULE, "startend", None, 200)]
#[case::s3_5_wildcard_longer_run(INNER_WILDCARD_RULE, "start12end", None, 200)]
#[case::s3_5_wildcard_anchored(INNER_WILDCARD_RULE, "0start12end", None, 403)]
// §5 condition 3 (High): a rule without AllowedHeader refuses any requested header.
#[case::s3_5_no_allowed_header_refuses_acrh(
    GET_ONLY_RULE,
    "https://app.example.com",
    Some("x-amz-request-payer"),
    403
)]
#[case::s3_5_no_acrh_is_fine(GET_ONLY_RULE, "https://app.example.com", None, 200)]
#[tokio::test]
async fn preflight_matching_conditions(
    #[case] rule: &'static str,
    #[case] origin: &str,
    #[case] acrh: Option<&str>,
    #[case] status: u16,
) {
    let (_server, running) = setup(Bucket::Cors(rule)).await;
    let mut headers = vec![("origin", origin), ("access-control-request-method", "GET")];
    if let Some(value) = acrh {
        headers.push(("access-control-request-headers", value));
    }
    let response = send(
        &running,
        Method::OPTIONS,
        "/assets/photos/cat.jpg",
        &headers,
    )
    .await;
    assert_eq!(response.status().as_u16(), status);
    let allow_origin = response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(allow_origin.as_deref(), (status == 200).then_some(origin));
}

#[tokio::test]
async fn s3_1_1_put_replaces_the_whole_configuration_and_accepts_single_wildcards() {
    let (_server, running) = setup(Bucket::NoCors).await;
    assert_eq!(put_cors(&running, LOCALHOST_RULE).await.status(), 200);
    // §1.2 (High): a value that is exactly `*`, and one `*` inside a value, are accepted; an
    // empty AllowedOrigin is accepted and returned.
    let second = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedOrigin>http://*.example.com</AllowedOrigin><AllowedOrigin></AllowedOrigin><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><AllowedHeader>x-amz-meta-*</AllowedHeader></CORSRule></CORSConfiguration>";
    assert_eq!(put_cors(&running, second).await.status(), 200);
    let text = send(&running, Method::GET, "/assets?cors", &[])
        .await
        .text()
        .await
        .unwrap();
    // §1.1 (High): the whole configuration is replaced, not merged.
    assert!(!text.contains("https://localhost:4200"), "{text}");
    assert_eq!(text.matches("<CORSRule>").count(), 1);
    assert!(text.contains("<AllowedOrigin>http://*.example.com</AllowedOrigin>"));
    assert!(text.contains("<AllowedOrigin></AllowedOrigin>"), "{text}");
    assert!(text.contains("<AllowedHeader>x-amz-meta-*</AllowedHeader>"));
}
