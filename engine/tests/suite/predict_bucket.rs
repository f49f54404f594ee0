//! `predict()` against an S3 bucket: the S3 half's answers seen through each browser.

use cors_engine::s3::object::etag;
use cors_engine::scenario::{BodySpec, CredentialsMode, RequestSpec, Scenario, ServerModel};
use cors_engine::trace::Actor;
use cors_engine::{Browser, Outcome, Prediction, ReasonCode, predict};

use crate::support;

const PAGE: &str = "https://app.example.com";
const OBJECT: &str = "https://assets.s3.amazonaws.com/photos/cat.jpg";

fn bucket(cors: Option<&str>, endpoint: &str) -> ServerModel {
    support::bucket(endpoint, cors, &[("photos/cat.jpg", "image/jpeg", b"meow")])
}

fn run(cors: Option<&str>, requests: Vec<RequestSpec>, browser: Browser) -> Prediction {
    let s = Scenario {
        page_origin: PAGE.into(),
        server: bucket(cors, "https://assets.s3.amazonaws.com"),
        requests,
    };
    predict(&s, browser)
}

const GET_ONLY: &str = r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"], "ExposeHeaders": ["ETag"]}]"#;
const GET_PUT: &str = r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]}]"#;

fn put(url: &str, text: &str) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.method = "PUT".into();
    r.headers.push("Content-Type", "text/plain");
    r.body = Some(BodySpec::Text { text: text.into() });
    r.read_headers = vec!["ETag".into()];
    r
}

#[test]
fn get_allowed_reads_exposed_etag_and_s3_headers_on_the_wire() {
    let mut get = RequestSpec::fetch(OBJECT);
    get.read_headers = vec![
        "ETag".into(),
        "Content-Type".into(),
        "Content-Length".into(),
        "Server".into(),
    ];
    for browser in Browser::ALL {
        let p = run(Some(GET_ONLY), vec![get.clone()], browser);
        let r = &p.requests[0].result;
        assert_eq!(
            (r.outcome, r.status, r.preflight),
            (Outcome::Allowed, Some(200), false)
        );
        assert_eq!(r.readable["etag"], Some(etag(b"meow")));
        assert_eq!(
            r.readable["etag"].as_deref(),
            Some("\"4a4be40c96ac6314e91d93f38043a634\"")
        );
        assert_eq!(r.readable["content-type"].as_deref(), Some("image/jpeg"));
        assert_eq!(r.readable["content-length"].as_deref(), Some("4"));
        assert_eq!(r.readable["server"], None);
        let wire = &r.wire[0];
        assert_eq!(wire.request_headers.get("origin"), Some(PAGE));
        assert_eq!(
            wire.response_headers.get("access-control-allow-origin"),
            Some(PAGE)
        );
        assert!(wire.response_headers.contains("vary"));
        // S3's own steps are part of the explanation.
        assert!(
            p.requests[0]
                .trace
                .steps()
                .iter()
                .any(|s| s.actor == Actor::S3)
        );
    }
}

// The classic S3 failure: PUT not in AllowedMethods → S3 answers the preflight 403 without CORS
// headers, so the browser reports the missing ACAO at the preflight stage.
#[test]
fn put_refused_by_s3_preflight() {
    for browser in Browser::ALL {
        let p = run(Some(GET_ONLY), vec![put(OBJECT, "x")], browser);
        let r = &p.requests[0].result;
        assert_eq!(r.outcome, Outcome::Blocked);
        assert!(r.preflight);
        assert_eq!(r.wire.len(), 1);
        assert_eq!(r.wire[0].status, 403);
        let reason = r.reason.as_ref().expect("reason");
        assert_eq!(reason.code, ReasonCode::AllowOriginMissing);
        let console = reason.console.as_deref().expect("console");
        match browser {
            Browser::Chrome => assert!(console.contains("Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin'"), "{console}"),
            Browser::Firefox => assert!(console.contains("Status code: 403."), "{console}"),
        }
    }
}

#[test]
fn put_then_get_sees_the_new_object() {
    let requests = vec![put(OBJECT, "woof"), {
        let mut get = RequestSpec::fetch(OBJECT);
        get.read_headers = vec!["ETag".into()];
        get
    }];
    for browser in Browser::ALL {
        let p = run(Some(GET_PUT), requests.clone(), browser);
        let put_result = &p.requests[0].result;
        assert_eq!(
            put_result.outcome,
            Outcome::Allowed,
            "{}",
            p.requests[0].trace
        );
        assert!(put_result.preflight);
        assert_eq!(
            put_result.wire[0]
                .request_headers
                .get("access-control-request-method"),
            Some("PUT")
        );
        assert_eq!(put_result.readable["etag"], Some(etag(b"woof")));
        assert_eq!(p.requests[1].result.readable["etag"], Some(etag(b"woof")));
    }
}

#[test]
fn missing_key_is_a_readable_404_and_no_cors_config_blocks() {
    let missing = RequestSpec::fetch("https://assets.s3.amazonaws.com/nope.txt");
    let p = run(Some(GET_ONLY), vec![missing.clone()], Browser::Chrome);
    assert_eq!(
        (p.requests[0].result.outcome, p.requests[0].result.status),
        (Outcome::Allowed, Some(404))
    );
    let p = run(None, vec![missing], Browser::Firefox);
    assert_eq!(p.requests[0].result.outcome, Outcome::Blocked);
    assert_eq!(
        p.requests[0].result.reason.as_ref().map(|r| r.code),
        Some(ReasonCode::AllowOriginMissing)
    );
}

// AllowedOrigin without credentials support: S3 echoes the origin with ACAC true, so a
// credentialed fetch works; a `*` rule answers `*`, which fails with credentials.
#[test]
fn credentials_with_star_rule() {
    let star = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]"#;
    let mut get = RequestSpec::fetch(OBJECT);
    get.credentials = CredentialsMode::Include;
    for browser in Browser::ALL {
        let p = run(Some(star), vec![get.clone()], browser);
        assert_eq!(
            p.requests[0].result.reason.as_ref().map(|r| r.code),
            Some(ReasonCode::WildcardOriginWithCredentials)
        );
        let p = run(Some(GET_ONLY), vec![get.clone()], browser);
        assert_eq!(p.requests[0].result.outcome, Outcome::Allowed);
    }
}

#[test]
fn path_style_endpoint_and_other_bucket() {
    let s = Scenario {
        page_origin: PAGE.into(),
        server: bucket(Some(GET_ONLY), "https://s3.eu-west-1.amazonaws.com"),
        requests: vec![
            RequestSpec::fetch("https://s3.eu-west-1.amazonaws.com/assets/photos/cat.jpg"),
            RequestSpec::fetch("https://s3.eu-west-1.amazonaws.com/other/photos/cat.jpg"),
        ],
    };
    let p = predict(&s, Browser::Chrome);
    assert_eq!(
        (p.requests[0].result.outcome, p.requests[0].result.status),
        (Outcome::Allowed, Some(200))
    );
    // Another bucket: 404 NoSuchBucket without CORS headers.
    assert_eq!(p.requests[1].result.outcome, Outcome::Blocked);
    assert_eq!(p.requests[1].result.wire[0].status, 404);
}

#[test]
fn form_post_to_bucket_and_list() {
    let post_rule = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "POST"]}]"#;
    let mut post = RequestSpec::fetch("https://assets.s3.amazonaws.com/");
    post.method = "POST".into();
    post.body = Some(BodySpec::FormData {
        fields: vec![("key".into(), "x".into()), ("file".into(), "hello".into())],
    });
    let list = RequestSpec::fetch("https://assets.s3.amazonaws.com/");
    let mut stored = RequestSpec::fetch("https://assets.s3.amazonaws.com/x");
    stored.read_headers = vec!["Content-Length".into()];
    let p = run(Some(post_rule), vec![post, list, stored], Browser::Firefox);
    let statuses: Vec<Option<u16>> = p.requests.iter().map(|r| r.result.status).collect();
    assert_eq!(statuses, [Some(204), Some(200), Some(200)]);
    assert!(
        !p.requests[0].result.preflight,
        "a FormData POST is a simple request"
    );
    // S3 stores the form's `file` field under its `key` field.
    assert_eq!(
        p.requests[2].result.readable["content-length"].as_deref(),
        Some("5")
    );
}

// A form upload answers as S3 does: `success_action_status=201` gives a `PostResponse`, and the
// answer names the stored object's ETag and Location (path-style on the request's host).
#[test]
fn form_post_success_status_and_post_response() {
    let post_rule = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["POST"]}]"#;
    let mut post = RequestSpec::fetch("https://assets.s3.amazonaws.com/");
    post.method = "POST".into();
    post.body = Some(BodySpec::FormData {
        fields: vec![
            ("key".into(), "up/a b.txt".into()),
            ("success_action_status".into(), "201".into()),
            ("file".into(), "hello".into()),
        ],
    });
    let scenario = Scenario {
        page_origin: PAGE.into(),
        server: bucket(Some(post_rule), "https://assets.s3.amazonaws.com"),
        requests: vec![post],
    };
    let exchanges = cors_engine::server_exchanges(&scenario, Browser::Chrome);
    let answer = &exchanges[0][0];
    assert_eq!(answer.status, 201);
    assert_eq!(answer.headers.get("ETag"), Some(etag(b"hello").as_str()));
    let location = "http://assets.s3.amazonaws.com/assets/up/a%20b.txt";
    assert_eq!(answer.headers.get("Location"), Some(location));
    let body = String::from_utf8_lossy(&answer.body);
    assert!(
        body.ends_with(&format!(
            "<PostResponse><Location>{location}</Location><Bucket>assets</Bucket>\
             <Key>up/a b.txt</Key><ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag>\
             </PostResponse>"
        )),
        "{body}"
    );
}

// A form POST without a `file` field is refused, as S3 refuses it.
#[test]
fn form_post_without_file_is_invalid_argument() {
    let post_rule = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "POST"]}]"#;
    let mut post = RequestSpec::fetch("https://assets.s3.amazonaws.com/");
    post.method = "POST".into();
    post.body = Some(BodySpec::FormData {
        fields: vec![("key".into(), "x".into())],
    });
    let p = run(Some(post_rule), vec![post], Browser::Chrome);
    assert_eq!(p.requests[0].result.status, Some(400));
}

// Multipart uploads: CreateMultipartUpload answers 200; an upload id the bucket never handed
// out (a case cannot know the random one) is NoSuchUpload.
#[test]
fn multipart_create_and_unknown_upload() {
    let rule = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "POST", "PUT"], "AllowedHeaders": ["*"]}]"#;
    let mut create = RequestSpec::fetch("https://assets.s3.amazonaws.com/big.bin?uploads");
    create.method = "POST".into();
    let mut part =
        RequestSpec::fetch("https://assets.s3.amazonaws.com/big.bin?partNumber=1&uploadId=abc");
    part.method = "PUT".into();
    part.body = Some(BodySpec::Text {
        text: "part".into(),
    });
    let p = run(Some(rule), vec![create, part], Browser::Chrome);
    let statuses: Vec<Option<u16>> = p.requests.iter().map(|r| r.result.status).collect();
    assert_eq!(statuses, [Some(200), Some(404)]);
}

// §1.3: `Range: bytes=0-1` is safelisted (no preflight); S3 answers 206, and Content-Range is
// readable only when exposed. An unsatisfiable range gets 416 InvalidRange.
#[test]
fn range_requests() {
    let exposes_range = r#"[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["Content-Range"]}]"#;
    let mut part = RequestSpec::fetch(OBJECT);
    part.headers.push("Range", "bytes=0-1");
    part.read_headers = vec!["Content-Length".into(), "Content-Range".into()];
    let mut beyond = part.clone();
    beyond.headers = [("Range", "bytes=10-")].into_iter().collect();
    for browser in Browser::ALL {
        let p = run(
            Some(exposes_range),
            vec![part.clone(), beyond.clone()],
            browser,
        );
        let r = &p.requests[0].result;
        assert_eq!(
            (r.outcome, r.status, r.preflight),
            (Outcome::Allowed, Some(206), false)
        );
        assert_eq!(r.readable["content-length"].as_deref(), Some("2"));
        assert_eq!(r.readable["content-range"].as_deref(), Some("bytes 0-1/4"));
        assert_eq!(p.requests[1].result.status, Some(416));
        let p = run(Some(GET_ONLY), vec![part.clone()], browser);
        assert_eq!(p.requests[0].result.readable["content-range"], None);
    }
}

/// S3's `ETag` is the quoted MD5 hex of the body (`docs/facts/s3.md` §12); the
/// empty body's is a constant, and a seeded object's is computed once and then reused.
#[test]
fn etags_are_the_quoted_md5_of_the_body() {
    assert_eq!(etag(b""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
    assert_eq!(etag(b"meow"), "\"4a4be40c96ac6314e91d93f38043a634\"");
    let body = cors_engine::scenario::ObjectBody::from(b"meow".to_vec());
    assert_eq!(body.etag().as_str(), etag(b"meow"));
    assert_eq!(body.etag().as_str(), etag(b"meow"));
}
