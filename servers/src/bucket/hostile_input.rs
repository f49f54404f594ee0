//! Property tests over hostile input: deterministic pseudo-random requests, assembled from
//! fragments chosen to reach the edges (numbers at the ends of `i64`, dates at the ends of the
//! calendar, malformed encodings, lying lengths), are fed to the SigV4 verifier and to the request
//! router directly (no sockets, so 100,000 of each run in seconds). Neither may panic; every answer
//! must be a well-formed S3 answer; without a valid signature nothing but a preflight succeeds.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use axum::body::Body;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request};
use time::OffsetDateTime;
use time::macros::datetime;

use super::sigv4::{self, SignedRequest};
use super::{AwsKeys, BucketServer, dispatch};

const INPUTS: usize = 100_000;

/// xorshift64*: small, deterministic, good enough to pick fragments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const KEYS: (&str, &str) = ("AKIDTEST", "secretTEST");

const NUMBERS: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1000000000000",
    "604800",
    "604801",
    "3600",
    "0",
    "-0",
    "-1",
    "1",
    "+5",
    "1e9",
    " 60",
    "",
    "99999999999999999999999999",
    "18446744073709551615",
];

const DATES: &[&str] = &[
    "20260101T000000Z",
    "99991231T235959Z",
    "99991231T000000Z",
    "00000101T000000Z",
    "00010101T000000Z",
    "19700101T000000Z",
    "20200101T000000Z",
    "20990101T000000Z",
    "20261332T250000Z",
    "20260229T000000Z",
    "2026-01-01T00:00:00Z",
    "20260101T000000",
    "+100000101T000000Z",
    "",
    "T",
];

const CREDENTIALS: &[&str] = &[
    "AKIDTEST/20260101/us-east-1/s3/aws4_request",
    "AKIDTEST/99991231/us-east-1/s3/aws4_request",
    "AKIDTEST/20260101/us-east-1/s3",
    "AKIDTEST//////",
    "/",
    "",
    "AKIDOTHER/20260101/us-east-1/s3/aws4_request",
    "AKIDTEST/20260101/%ff/s3/aws4_request",
];

const SIGNED_HEADERS: &[&str] = &[
    "host",
    "host;x-amz-date",
    "host;x-amz-content-sha256;x-amz-date",
    "",
    ";;",
    "x-amz-date",
    "Host",
    "host;host;host",
    "range;host",
];

const SIGNATURES: &[&str] = &[
    "00",
    "",
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    "zz",
];

const QUERY_NAMES: &[&str] = &[
    "cors",
    "uploads",
    "uploadId",
    "partNumber",
    "list-type",
    "max-keys",
    "prefix",
    "delimiter",
    "marker",
    "start-after",
    "continuation-token",
    "encoding-type",
    "location",
    "delete",
    "acl",
    "versionId",
    "response-content-type",
    "x-id",
    "%ff",
    "%",
    "",
];

const QUERY_VALUES: &[&str] = &[
    "", "2", "1", "0", "-1", "%ff", "%", "%2", "a%2Fb", "url", "\u{feff}", "10001",
];

const PATHS: &[&str] = &[
    "/",
    "",
    "/b",
    "/b/",
    "/b/k",
    "/b/%ff",
    "/b/%",
    "/b/%zz",
    "//",
    "/b//k",
    "/b/k/../../x",
    "/B_ad/k",
    "/b/k%00",
    "/bb/a%01b",
    "/b/%ef%bf%bd",
];

const HOSTS: &[&str] = &[
    "127.0.0.1:9000",
    "localhost",
    "b.s3.amazonaws.com",
    "b.s3.us-east-1.amazonaws.com",
    "[::1",
    "[::1]:80",
    ":",
    "",
    "s3.amazonaws.com",
    ".",
];

const METHODS: &[&str] = &[
    "GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW",
];

const PAYLOAD_CLAIMS: &[&str] = &[
    "UNSIGNED-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "",
    "zz",
];

const BODIES: &[&str] = &[
    "",
    "x",
    "5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n",
    "ffffffffffffffff\r\nx\r\n",
    "0\r\n",
    "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>99999999999999999999</MaxAgeSeconds></CORSRule></CORSConfiguration>",
    "<CompleteMultipartUpload><Part><PartNumber>18446744073709551617</PartNumber><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>",
    "<Delete><Object><Key>k</Key></Object></Delete>",
    "<",
];

/// A raw query string of 0 to 9 items, SigV4 parameters more often than not.
fn query(rng: &mut Rng) -> String {
    let mut items = Vec::new();
    if rng.chance(50) {
        let algorithm = if rng.chance(90) {
            "AWS4-HMAC-SHA256"
        } else {
            "AWS4-HMAC-SHA1"
        };
        let sigv4 = [
            ("X-Amz-Algorithm", algorithm.to_owned()),
            (
                "X-Amz-Credential",
                rng.pick(CREDENTIALS).replace('/', "%2F"),
            ),
            ("X-Amz-Date", rng.pick(DATES).to_owned()),
            ("X-Amz-Expires", rng.pick(NUMBERS).to_owned()),
            ("X-Amz-SignedHeaders", rng.pick(SIGNED_HEADERS).to_owned()),
            ("X-Amz-Signature", rng.pick(SIGNATURES).to_owned()),
        ];
        for (name, value) in sigv4 {
            // Each parameter is sometimes missing.
            if rng.chance(95) {
                items.push(format!("{name}={}", value.replace(' ', "%20")));
            }
        }
    }
    for _ in 0..rng.below(4) {
        let name = rng.pick(QUERY_NAMES);
        match rng.below(3) {
            0 => items.push(name.to_owned()),
            1 => items.push(format!("{name}={}", rng.pick(QUERY_VALUES))),
            _ => items.push(format!("{name}={}", rng.pick(NUMBERS).replace(' ', "%20"))),
        }
    }
    items.join("&")
}

fn headers(rng: &mut Rng) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut add = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(HeaderName::from_static(name), value);
        }
    };
    if rng.chance(90) {
        add("host", rng.pick(HOSTS).to_owned());
    }
    if rng.chance(50) {
        let authorization = match rng.below(5) {
            0 => "AWS AKIDTEST:c2lnbmF0dXJl".to_owned(),
            1 => "AWS4-HMAC-SHA256".to_owned(),
            2 => "AWS4-HMAC-SHA256 ,,,=,Credential=,SignedHeaders".to_owned(),
            _ => format!(
                "AWS4-HMAC-SHA256 Credential={},SignedHeaders={},Signature={}",
                rng.pick(CREDENTIALS),
                rng.pick(SIGNED_HEADERS),
                rng.pick(SIGNATURES)
            ),
        };
        add("authorization", authorization);
    }
    if rng.chance(50) {
        add("x-amz-date", rng.pick(DATES).to_owned());
    }
    if rng.chance(50) {
        add("x-amz-content-sha256", rng.pick(PAYLOAD_CLAIMS).to_owned());
    }
    if rng.chance(15) {
        add("content-length", rng.pick(NUMBERS).to_owned());
    }
    if rng.chance(15) {
        add("x-amz-decoded-content-length", rng.pick(NUMBERS).to_owned());
    }
    if rng.chance(10) {
        add("content-encoding", "aws-chunked".to_owned());
    }
    if rng.chance(10) {
        add(
            "content-md5",
            rng.pick(&["", "1B2M2Y8AsgTpgAmY7PhCfg==", "%%"]).to_owned(),
        );
    }
    if rng.chance(15) {
        let range = rng.pick(&[
            "bytes=0-",
            "bytes=-0",
            "bytes=5-1",
            "bytes=-",
            "bytes=0-0,1-1",
        ]);
        let range = if rng.chance(30) {
            format!("bytes={}-{}", rng.pick(NUMBERS), rng.pick(NUMBERS))
        } else {
            range.to_owned()
        };
        add("range", range);
    }
    if rng.chance(10) {
        add(
            "if-modified-since",
            rng.pick(&[
                "Thu, 01 Jan 1970 00:00:00 GMT",
                "x",
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ])
            .to_owned(),
        );
    }
    if rng.chance(20) {
        add(
            "origin",
            rng.pick(&["http://a.test", "null", "", "*"]).to_owned(),
        );
        add(
            "access-control-request-method",
            rng.pick(METHODS).to_owned(),
        );
        add(
            "access-control-request-headers",
            rng.pick(&["x-a", ",,", "", "authorization, x-amz-date"])
                .to_owned(),
        );
    }
    if rng.chance(5) {
        add("x-amz-copy-source", "/b/k".to_owned());
    }
    headers
}

fn now(rng: &mut Rng) -> OffsetDateTime {
    match rng.below(6) {
        0 => datetime!(9999-12-31 23:59:59.999_999_999 UTC),
        1 => datetime!(-9999-01-01 00:00 UTC),
        2 => datetime!(1970-01-01 00:00 UTC),
        _ => datetime!(2026-01-01 00:10 UTC),
    }
}

/// Runs `check` on `INPUTS` generated inputs and lists the ones that panicked; `check` describes
/// its input before using it.
fn panicking_inputs(mut check: impl FnMut(&mut Rng, &mut String)) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut panicked = Vec::new();
    for _ in 0..INPUTS {
        let mut described = String::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&mut rng, &mut described)));
        if outcome.is_err() {
            panicked.push(described);
        }
    }
    panicked
}

#[test]
fn the_sigv4_verifier_never_panics() {
    let credentials = AwsKeys {
        access_key: KEYS.0.into(),
        secret_key: KEYS.1.into(),
    };
    let panicked = panicking_inputs(|rng, described| {
        let method = rng.pick(METHODS);
        let path = rng.pick(PATHS);
        let raw_query = query(rng);
        let headers = headers(rng);
        let now = now(rng);
        *described = format!("{method} {path}?{raw_query} {headers:?} at {now}");
        let request = SignedRequest {
            method,
            raw_path: path,
            raw_query: &raw_query,
            headers: &headers,
        };
        let outcome = sigv4::verify(&credentials, &request, now);
        // Nothing generated carries a valid signature.
        assert!(outcome.is_err(), "verified: {described}");
    });
    assert!(
        panicked.is_empty(),
        "{} of {INPUTS} inputs panicked, e.g. {:?}",
        panicked.len(),
        &panicked[..panicked.len().min(3)]
    );
}

#[test]
fn the_router_never_panics_and_answers_like_s3() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let open = BucketServer::new();
    let signed = BucketServer::builder()
        .keys(AwsKeys {
            access_key: KEYS.0.into(),
            secret_key: KEYS.1.into(),
        })
        .build()
        .unwrap();
    for server in [&open, &signed] {
        for bucket in ["b", "bb"] {
            server.create_bucket(bucket).unwrap();
            server
                .put_object(bucket, "k", "text/plain", "hello")
                .unwrap();
        }
    }
    let mut problems = Vec::new();
    let panicked = panicking_inputs(|rng, described| {
        let authenticated = rng.chance(50);
        let server = if authenticated { &signed } else { &open };
        let method = rng.pick(METHODS);
        let path = rng.pick(PATHS);
        let raw_query = query(rng);
        let target = if raw_query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{raw_query}")
        };
        let headers = headers(rng);
        let body = rng.pick(BODIES);
        *described = format!("{method} {target} {headers:?} body {body:?}");
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(if target.starts_with('/') {
                target
            } else {
                format!("/{target}")
            });
        for (name, value) in &headers {
            builder = builder.header(name, value);
        }
        let Ok(request) = builder.body(Body::from(body)) else {
            return;
        };
        let (status, head, body) = runtime.block_on(async {
            let response = dispatch::handle(Arc::clone(&server.inner), request).await;
            let status = response.status();
            let head = response.headers().clone();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            (status, head, body)
        });
        let problem = if !head.contains_key("x-amz-request-id") {
            Some("no x-amz-request-id")
        } else if status.as_u16() >= 400 && method != "HEAD" && !body.starts_with(b"<?xml") {
            Some("an error without S3's XML body")
        } else if status.is_server_error() && status != http::StatusCode::NOT_IMPLEMENTED {
            Some("a server error")
        } else if authenticated && method != "OPTIONS" && status.is_success() {
            Some("success without a valid signature")
        } else {
            None
        };
        if let Some(problem) = problem {
            problems.push(format!("{problem} ({status}): {described}"));
        }
    });
    assert!(
        panicked.is_empty(),
        "{} of {INPUTS} requests panicked, e.g. {:?}",
        panicked.len(),
        &panicked[..panicked.len().min(3)]
    );
    assert!(
        problems.is_empty(),
        "{} of {INPUTS} answers were malformed, e.g. {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
}
