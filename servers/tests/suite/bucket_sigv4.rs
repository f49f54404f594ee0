//! SigV4 verification against signatures computed here, independently of the server's code:
//! header form (hex payload hash, UNSIGNED-PAYLOAD, signed and unsigned aws-chunked streaming
//! bodies), presigned query form (valid, tampered, expired), and the errors S3 answers with.

use crate::support::bucket as support;

use cors_servers::bucket::{AwsKeys, BucketServer};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

const ACCESS: &str = "AKIDSIGV4TEST";
const SECRET: &str = "sigv4/test/secret";
const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn mac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn encode(text: &str, slash: bool) -> String {
    support::uri_encode(text, slash)
}

/// A request to sign: path and query values unencoded.
struct Signing<'a> {
    method: &'a str,
    host: String,
    path: &'a str,
    query: Vec<(&'a str, String)>,
    headers: Vec<(&'a str, String)>,
    payload_hash: String,
    secret: &'a str,
    at: OffsetDateTime,
}

struct Signed {
    amz_date: String,
    scope: String,
    signature: String,
    signing_key: Vec<u8>,
    signed_headers: String,
}

impl Signed {
    /// The `Authorization` header of a header-signed request by `access`.
    fn authorization(&self, access: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential={access}/{}, SignedHeaders={}, Signature={}",
            self.scope, self.signed_headers, self.signature
        )
    }
}

fn sign(s: &Signing<'_>) -> Signed {
    let amz_date =
        s.at.format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap();
    let date = &amz_date[..8];
    let mut query: Vec<(String, String)> = s
        .query
        .iter()
        .map(|(n, v)| (encode(n, false), encode(v, false)))
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers: Vec<(String, String)> = s
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // An empty host signs without `host` (S3 refuses that).
    if !s.host.is_empty() {
        headers.push(("host".into(), s.host.clone()));
    }
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        s.method,
        encode(s.path, true),
        canonical_query,
        canonical_headers,
        signed_headers,
        s.payload_hash
    );
    let scope = format!("{date}/us-east-1/s3/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha_hex(canonical.as_bytes())
    );
    let key = mac(
        &mac(
            &mac(
                &mac(format!("AWS4{}", s.secret).as_bytes(), date),
                "us-east-1",
            ),
            "s3",
        ),
        "aws4_request",
    );
    Signed {
        amz_date,
        scope,
        signature: hex::encode(mac(&key, &string_to_sign)),
        signing_key: key,
        signed_headers,
    }
}

async fn server() -> (BucketServer, support::Running) {
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: ACCESS.into(),
            secret_key: SECRET.into(),
        })
        .build()
        .unwrap();
    server.create_bucket("vault").unwrap();
    server
        .put_object("vault", "secret.txt", "text/plain", &b"top secret"[..])
        .unwrap();
    let running = support::start(&server).await;
    (server, running)
}

/// Sends a header-signed request; `body` is what goes on the wire.
// Each argument is one input of the signature; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
async fn send_signed(
    running: &support::Running,
    method: &str,
    path: &str,
    query: Vec<(&str, String)>,
    extra: Vec<(&str, String)>,
    payload_hash: &str,
    body: Vec<u8>,
    secret: &str,
    access: &str,
) -> reqwest::Response {
    let host = running.addr.to_string();
    let at = OffsetDateTime::now_utc();
    let amz_date = at
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap();
    let mut headers = extra.clone();
    headers.push(("x-amz-date", amz_date));
    headers.push(("x-amz-content-sha256", payload_hash.to_owned()));
    let signed = sign(&Signing {
        method,
        host,
        path,
        query: query.clone(),
        headers: headers.clone(),
        payload_hash: payload_hash.to_owned(),
        secret,
        at,
    });
    let query_text = query
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n, false), encode(v, false)))
        .collect::<Vec<_>>()
        .join("&");
    let target = if query_text.is_empty() {
        format!("{}{}", running.base, encode(path, true))
    } else {
        format!("{}{}?{query_text}", running.base, encode(path, true))
    };
    let mut request = support::client()
        .request(method.parse().unwrap(), target)
        .body(body);
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    request
        .header("authorization", signed.authorization(access))
        .send()
        .await
        .unwrap()
}

async fn code(response: reqwest::Response) -> (u16, String, String) {
    support::status_code_body(response).await
}

#[tokio::test]
async fn header_signatures() {
    let (server, running) = server().await;
    let body = b"signed body".to_vec();
    let put = send_signed(
        &running,
        "PUT",
        "/vault/dir/a file+ü.txt",
        vec![],
        vec![("content-type", "text/plain".into())],
        &sha_hex(&body),
        body.clone(),
        SECRET,
        ACCESS,
    )
    .await;
    assert_eq!(put.status(), 200, "{}", put.text().await.unwrap());
    assert_eq!(
        server.object_body("vault", "dir/a file+ü.txt").as_deref(),
        Some(&body[..])
    );

    let get = send_signed(
        &running,
        "GET",
        "/vault/secret.txt",
        vec![],
        vec![],
        EMPTY,
        vec![],
        SECRET,
        ACCESS,
    )
    .await;
    assert_eq!(get.status(), 200);
    assert_eq!(get.text().await.unwrap(), "top secret");

    let list = send_signed(
        &running,
        "GET",
        "/vault",
        vec![("list-type", "2".into()), ("prefix", "dir/a file".into())],
        vec![],
        EMPTY,
        vec![],
        SECRET,
        ACCESS,
    )
    .await;
    assert_eq!(list.status(), 200);
    assert!(
        list.text()
            .await
            .unwrap()
            .contains("<Key>dir/a file+ü.txt</Key>")
    );

    let unsigned_payload = send_signed(
        &running,
        "PUT",
        "/vault/u",
        vec![],
        vec![],
        "UNSIGNED-PAYLOAD",
        b"anything".to_vec(),
        SECRET,
        ACCESS,
    )
    .await;
    assert_eq!(unsigned_payload.status(), 200);

    let (status, code_text, body) = code(
        send_signed(
            &running,
            "GET",
            "/vault/secret.txt",
            vec![],
            vec![],
            EMPTY,
            vec![],
            "wrong",
            ACCESS,
        )
        .await,
    )
    .await;
    assert_eq!((status, code_text.as_str()), (403, "SignatureDoesNotMatch"));
    assert!(body.contains("<StringToSign>AWS4-HMAC-SHA256"), "{body}");

    let (status, code_text, _) = code(
        send_signed(
            &running,
            "GET",
            "/vault/secret.txt",
            vec![],
            vec![],
            EMPTY,
            vec![],
            SECRET,
            "AKIDNOBODY",
        )
        .await,
    )
    .await;
    assert_eq!((status, code_text.as_str()), (403, "InvalidAccessKeyId"));

    let (status, code_text, _) = code(
        send_signed(
            &running,
            "PUT",
            "/vault/m",
            vec![],
            vec![],
            &sha_hex(b"claimed"),
            b"different".to_vec(),
            SECRET,
            ACCESS,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, code_text.as_str()),
        (400, "XAmzContentSHA256Mismatch")
    );
    assert!(server.object_body("vault", "m").is_none());

    let (status, code_text, _) = code(
        support::client()
            .get(format!("{}/vault/secret.txt", running.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, code_text.as_str()), (403, "AccessDenied"));
}

#[tokio::test]
async fn streaming_bodies_are_decoded_and_chunk_signatures_checked() {
    let (server, running) = server().await;
    let payload = b"hello streaming world".to_vec();
    let (first, second) = payload.split_at(8);

    // Unsigned trailer form, as current SDKs send it.
    let mut body = Vec::new();
    for chunk in [first, second] {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(chunk);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    let response = send_signed(
        &running,
        "PUT",
        "/vault/trailer",
        vec![],
        vec![
            ("content-encoding", "aws-chunked".into()),
            ("x-amz-decoded-content-length", payload.len().to_string()),
            ("x-amz-trailer", "x-amz-checksum-crc32".into()),
        ],
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        body,
        SECRET,
        ACCESS,
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(
        server.object_body("vault", "trailer").as_deref(),
        Some(&payload[..])
    );

    // Signed chunks: each chunk's signature chains from the request signature.
    for tamper in [false, true] {
        let host = running.addr.to_string();
        let at = OffsetDateTime::now_utc();
        let amz_date = at
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap();
        let headers = vec![
            ("content-encoding", "aws-chunked".to_owned()),
            ("x-amz-date", amz_date.clone()),
            (
                "x-amz-content-sha256",
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD".to_owned(),
            ),
            ("x-amz-decoded-content-length", payload.len().to_string()),
        ];
        let signed = sign(&Signing {
            method: "PUT",
            host,
            path: "/vault/chunked",
            query: vec![],
            headers: headers.clone(),
            payload_hash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD".into(),
            secret: SECRET,
            at,
        });
        let mut previous = signed.signature.clone();
        let mut body = Vec::new();
        for chunk in [first, second, &b""[..]] {
            let string_to_sign = format!(
                "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{previous}\n{EMPTY}\n{}",
                signed.amz_date,
                signed.scope,
                sha_hex(chunk)
            );
            let mut signature = hex::encode(mac(&signed.signing_key, &string_to_sign));
            if tamper && chunk == second {
                signature = "0".repeat(64);
            }
            body.extend_from_slice(
                format!("{:x};chunk-signature={signature}\r\n", chunk.len()).as_bytes(),
            );
            body.extend_from_slice(chunk);
            body.extend_from_slice(b"\r\n");
            previous = signature;
        }
        let mut request = support::client()
            .put(format!("{}/vault/chunked", running.base))
            .body(body);
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        let response = request
            .header("authorization", signed.authorization(ACCESS))
            .send()
            .await
            .unwrap();
        if tamper {
            let (status, code_text, _) = code(response).await;
            assert_eq!((status, code_text.as_str()), (403, "SignatureDoesNotMatch"));
        } else {
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
            assert_eq!(
                server.object_body("vault", "chunked").as_deref(),
                Some(&payload[..])
            );
        }
    }
}

fn presigned_url(
    running: &support::Running,
    path: &str,
    at: OffsetDateTime,
    expires: u32,
) -> String {
    let amz_date = at
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap();
    let credential = format!("{ACCESS}/{}/us-east-1/s3/aws4_request", &amz_date[..8]);
    let query = vec![
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_owned()),
        ("X-Amz-Credential", credential),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", expires.to_string()),
        ("X-Amz-SignedHeaders", "host".to_owned()),
    ];
    let signed = sign(&Signing {
        method: "GET",
        host: running.addr.to_string(),
        path,
        query: query.clone(),
        headers: vec![],
        payload_hash: "UNSIGNED-PAYLOAD".into(),
        secret: SECRET,
        at,
    });
    let query_text: Vec<String> = query
        .iter()
        .map(|(n, v)| format!("{n}={}", encode(v, false)))
        .chain([format!("X-Amz-Signature={}", signed.signature)])
        .collect();
    format!(
        "{}{}?{}",
        running.base,
        encode(path, true),
        query_text.join("&")
    )
}

#[tokio::test]
async fn presigned_urls() {
    let (_server, running) = server().await;
    let client = support::client();
    let good = presigned_url(
        &running,
        "/vault/secret.txt",
        OffsetDateTime::now_utc(),
        300,
    );
    let response = client.get(&good).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "top secret");

    let tampered = good.replace("secret.txt", "secret.txt2");
    let (status, code_text, _) = code(client.get(&tampered).send().await.unwrap()).await;
    assert_eq!((status, code_text.as_str()), (403, "SignatureDoesNotMatch"));

    let old = OffsetDateTime::now_utc() - time::Duration::hours(2);
    let expired = presigned_url(&running, "/vault/secret.txt", old, 60);
    let (status, code_text, body) = code(client.get(&expired).send().await.unwrap()).await;
    assert_eq!((status, code_text.as_str()), (403, "AccessDenied"));
    assert_eq!(
        support::element(&body, "Message"),
        Some("Request has expired")
    );
}

#[tokio::test]
async fn refusals_arrive_whole_even_with_a_large_body() {
    // The answer must reach the client as an S3 error, not as a reset connection.
    let (_server, running) = server().await;
    let body = vec![7u8; 3 * 1024 * 1024];
    for (path, status, expected) in [
        ("/vault/big", 403, "AccessDenied"),
        ("/vault/big?tagging", 501, "NotImplemented"),
    ] {
        let response = support::client()
            .put(format!("{}{path}", running.base))
            .header("origin", "https://app.example.com")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let (got_status, got_code, _) = code(response).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, expected),
            "{path}"
        );
    }
}

#[tokio::test]
async fn post_form_upload_needs_a_valid_policy_signature() {
    use base64::Engine as _;
    let (server, running) = server().await;
    let date = OffsetDateTime::now_utc()
        .format(format_description!("[year][month][day]"))
        .unwrap();
    let credential = format!("{ACCESS}/{date}/us-east-1/s3/aws4_request");
    let policy = base64::engine::general_purpose::STANDARD
        .encode(r#"{"expiration":"2100-01-01T00:00:00Z","conditions":[{"bucket":"vault"}]}"#);
    let key = mac(
        &mac(
            &mac(&mac(format!("AWS4{SECRET}").as_bytes(), &date), "us-east-1"),
            "s3",
        ),
        "aws4_request",
    );
    let good = hex::encode(mac(&key, &policy));
    for (signature, status) in [(good.as_str(), 204), ("00", 403)] {
        let mut body = String::new();
        for (name, value) in [
            ("key", "form/upload.txt"),
            ("policy", policy.as_str()),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            ("x-amz-credential", credential.as_str()),
            ("x-amz-date", "20300101T000000Z"),
            ("x-amz-signature", signature),
        ] {
            body.push_str(&format!(
                "--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.txt\"\r\n\r\nposted\r\n--B--\r\n");
        let response = support::client()
            .post(format!("{}/vault", running.base))
            .header("content-type", "multipart/form-data; boundary=B")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{signature}");
    }
    assert_eq!(
        server.object_body("vault", "form/upload.txt").as_deref(),
        Some(&b"posted"[..])
    );
}

/// A presigned GET of `/vault/secret.txt` with the given date, lifetime and signed headers, signed
/// with junk: what an attacker can send without the key.
fn forged_presigned_url(
    running: &support::Running,
    amz_date: &str,
    expires: &str,
    signed_headers: &str,
) -> String {
    format!(
        "{}/vault/secret.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={ACCESS}%2F{}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={amz_date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders={signed_headers}&X-Amz-Signature=00",
        running.base,
        amz_date.get(..8).unwrap_or("20260101"),
    )
}

#[tokio::test]
async fn hostile_presigned_dates_and_lifetimes_get_s3_errors() {
    let (_server, running) = server().await;
    let client = support::client();
    let malformed = |message: &'static str| (400, "AuthorizationQueryParametersError", message);
    let too_long = malformed(
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
    );
    let cases = [
        ("20260101T000000Z", "9223372036854775807", too_long),
        ("20260101T000000Z", "1000000000000", too_long),
        ("20260101T000000Z", "604801", too_long),
        ("99991231T235959Z", "9223372036854775807", too_long),
        (
            "99991231T235959Z",
            "3600",
            (403, "AccessDenied", "Request is not yet valid"),
        ),
        (
            "20260101T000000Z",
            "-9223372036854775808",
            malformed("X-Amz-Expires must be non-negative"),
        ),
        (
            "20260101T000000Z",
            "-1",
            malformed("X-Amz-Expires must be non-negative"),
        ),
        (
            "20260101T000000Z",
            "9223372036854775808",
            malformed("X-Amz-Expires should be a number"),
        ),
        (
            "2026-01-01",
            "60",
            malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""),
        ),
    ];
    for (amz_date, expires, (status, code_text, message)) in cases {
        let url = forged_presigned_url(&running, amz_date, expires, "host");
        let response = client.get(&url).send().await.unwrap();
        let (got_status, got_code, body) = code(response).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code_text),
            "{url}"
        );
        let got_message = support::element(&body, "Message")
            .unwrap_or_default()
            .replace("&quot;", "\"")
            .replace("&apos;", "'");
        assert_eq!(got_message, message, "{url}");
    }
    // SignedHeaders without `host`, as S3 answers it (its message names the header).
    let now = OffsetDateTime::now_utc()
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap();
    for signed_headers in ["", "x-amz-date"] {
        let url = forged_presigned_url(&running, &now, "60", signed_headers);
        let (status, code_text, body) = code(client.get(&url).send().await.unwrap()).await;
        assert_eq!((status, code_text.as_str()), (403, "AccessDenied"), "{url}");
        assert_eq!(support::element(&body, "HeadersNotSigned"), Some("host"));
    }
}

/// GET `/vault/secret.txt`, header-signed at `at`; `sign_host` false leaves `host` out of
/// SignedHeaders.
async fn get_header_signed_at(
    running: &support::Running,
    at: OffsetDateTime,
    sign_host: bool,
) -> reqwest::Response {
    let signed = sign(&Signing {
        method: "GET",
        host: if sign_host {
            running.addr.to_string()
        } else {
            String::new()
        },
        path: "/vault/secret.txt",
        query: vec![],
        headers: vec![
            ("x-amz-content-sha256", EMPTY.to_owned()),
            ("x-amz-date", sign_date(at)),
        ],
        payload_hash: EMPTY.to_owned(),
        secret: SECRET,
        at,
    });
    support::client()
        .get(format!("{}/vault/secret.txt", running.base))
        .header("x-amz-content-sha256", EMPTY)
        .header("x-amz-date", &signed.amz_date)
        .header("authorization", signed.authorization(ACCESS))
        .send()
        .await
        .unwrap()
}

fn sign_date(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year][month][day]T[hour][minute][second]Z"
    ))
    .unwrap()
}

#[tokio::test]
async fn header_signatures_must_be_recent_and_sign_the_host() {
    let (_server, running) = server().await;
    let now = OffsetDateTime::now_utc();
    let response = get_header_signed_at(&running, now - time::Duration::minutes(14), true).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "top secret");

    for at in [
        now - time::Duration::minutes(16),
        now + time::Duration::minutes(16),
        time::macros::datetime!(2020-01-01 00:00 UTC),
        time::macros::datetime!(2099-01-01 00:00 UTC),
    ] {
        let (status, code_text, body) = code(get_header_signed_at(&running, at, true).await).await;
        assert_eq!(
            (status, code_text.as_str()),
            (403, "RequestTimeTooSkewed"),
            "{at}"
        );
        assert_eq!(
            support::element(&body, "Message"),
            Some("The difference between the request time and the current time is too large.")
        );
        assert_eq!(
            support::element(&body, "RequestTime"),
            Some(sign_date(at).as_str())
        );
        assert!(support::element(&body, "ServerTime").is_some_and(|t| t.ends_with('Z')));
        assert_eq!(
            support::element(&body, "MaxAllowedSkewMilliseconds"),
            Some("900000")
        );
    }

    let (status, code_text, body) = code(get_header_signed_at(&running, now, false).await).await;
    assert_eq!((status, code_text.as_str()), (403, "AccessDenied"));
    assert_eq!(
        support::element(&body, "Message"),
        Some("There were headers present in the request which were not signed")
    );
    assert_eq!(support::element(&body, "HeadersNotSigned"), Some("host"));
}

#[tokio::test]
async fn presigned_lifetimes_up_to_seven_days() {
    let (_server, running) = server().await;
    let client = support::client();
    let now = OffsetDateTime::now_utc();
    let week = presigned_url(&running, "/vault/secret.txt", now, 604_800);
    let response = client.get(&week).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let longer = presigned_url(&running, "/vault/secret.txt", now, 604_801);
    let (status, code_text, _) = code(client.get(&longer).send().await.unwrap()).await;
    assert_eq!(
        (status, code_text.as_str()),
        (400, "AuthorizationQueryParametersError")
    );
    // Presigned URLs have no skew window backwards: only their lifetime counts.
    let yesterday = presigned_url(
        &running,
        "/vault/secret.txt",
        now - time::Duration::days(1),
        172_800,
    );
    assert_eq!(client.get(&yesterday).send().await.unwrap().status(), 200);
}
