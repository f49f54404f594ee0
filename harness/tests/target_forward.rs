//! The forwarding router: a browser-side request for the case's bucket host reaches the target
//! (here the project's bucket server with credentials, standing in for an external server) and
//! the target's answer comes back unchanged — CORS headers, status, body — and the recording
//! router keeps each exchange exactly as the browser received it.

use std::net::SocketAddr;
use std::path::Path;

use cors_harness::case::parse_case;
use cors_harness::target::{
    Addressing, BucketNamer, BucketRegistry, ExternalTarget, S3Client, Seeded, recording_router,
    seed_bucket,
};
use cors_servers::bucket::{AwsKeys, BucketServer};

const CASE: &str = r#"
title = "forwarded"
page = "https://app.example.com"

[bucket]
name = "assets"
endpoint = "https://assets.s3.amazonaws.com"
cors = '''[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["content-type"], "MaxAgeSeconds": 600}]'''

[bucket.objects."data/report.json"]
body = '{"ok": true}'
content_type = "application/json"

[[request]]
url = "/data/report.json"
"#;

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_requests_for_the_case_host_are_answered_by_the_target() {
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: "fwd".to_owned(),
            secret_key: "fwd-secret".to_owned(),
        })
        .build()
        .expect("bucket server");
    let target_addr = serve(server.router()).await;
    let target = ExternalTarget::new(
        &format!("http://{target_addr}"),
        "fwd",
        "fwd-secret",
        "us-east-1",
        Addressing::Path,
    )
    .expect("endpoint");
    let client = S3Client::new(target).expect("client");

    let case = parse_case(CASE, Path::new("cases/forwarded.toml"), "forwarded").expect("case");
    let bucket_case = case.bucket().expect("bucket case").clone();
    let registry = BucketRegistry::new();
    let bucket = BucketNamer::new().next_name();
    registry.register(&bucket);
    let seeded = seed_bucket(&client, &case.id, &bucket_case, &bucket)
        .await
        .expect("seeded");
    assert_eq!(seeded, Seeded::AsS3);

    let (router, recording) = recording_router(client.clone(), bucket_case, bucket.clone());
    let router_addr = serve(router).await;
    let http = reqwest::Client::builder().no_proxy().build().expect("http");
    let url = format!("http://{router_addr}/data/report.json");

    // The preflight goes out unsigned and gets S3's answer from the target (docs/facts/s3.md §3.2).
    let preflight = http
        .request(reqwest::Method::OPTIONS, &url)
        .header("host", "assets.s3.amazonaws.com")
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "Content-Type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), 200);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(h["access-control-allow-methods"], "GET, PUT");
    assert_eq!(h["access-control-allow-headers"], "content-type");
    assert_eq!(h["access-control-max-age"], "600");

    // The GET is presigned by the forwarder: the credentialed target serves the object.
    let get = http
        .get(&url)
        .header("host", "assets.s3.amazonaws.com")
        .header("origin", "https://app.example.com")
        .send()
        .await
        .expect("GET");
    assert_eq!(get.status(), 200);
    assert_eq!(
        get.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let get_etag = get.headers()["etag"].to_str().expect("ETag").to_owned();
    assert_eq!(get.text().await.expect("body"), r#"{"ok": true}"#);

    // A disallowed origin: no CORS headers, the object still served (§4).
    let other = http
        .get(&url)
        .header("host", "assets.s3.amazonaws.com")
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("GET");
    assert_eq!(other.status(), 200);
    assert!(other.headers().get("access-control-allow-origin").is_none());

    // A PUT through the forwarder lands in the target's bucket.
    let put = http
        .put(format!("http://{router_addr}/uploads/new.txt"))
        .header("host", "assets.s3.amazonaws.com")
        .header("origin", "https://app.example.com")
        .header("content-type", "text/plain")
        .body("forwarded body")
        .send()
        .await
        .expect("PUT");
    assert_eq!(put.status(), 200);
    assert_eq!(
        server.object_body(&bucket, "uploads/new.txt").as_deref(),
        Some(&b"forwarded body"[..])
    );

    // A host that names no bucket never reaches the target: the forwarder's own 502.
    let nowhere = http
        .get(format!("http://{router_addr}/"))
        .header("host", "elsewhere.example")
        .send()
        .await
        .expect("GET");
    assert_eq!(nowhere.status(), 502);

    // Every exchange was recorded in order, with the URL as addressed on the case's endpoint
    // (its scheme, the request's Host) and what the browser received.
    let recorded = recording.exchanges();
    let summary: Vec<(&str, &str, u16)> = recorded
        .iter()
        .map(|e| (e.method.as_str(), e.url.as_str(), e.status))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "OPTIONS",
                "https://assets.s3.amazonaws.com/data/report.json",
                200
            ),
            (
                "GET",
                "https://assets.s3.amazonaws.com/data/report.json",
                200
            ),
            (
                "GET",
                "https://assets.s3.amazonaws.com/data/report.json",
                200
            ),
            (
                "PUT",
                "https://assets.s3.amazonaws.com/uploads/new.txt",
                200
            ),
            ("GET", "https://elsewhere.example/", 502),
        ]
    );
    let allowed_get = &recorded[1];
    assert_eq!(
        allowed_get.headers.get("access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert_eq!(allowed_get.headers.get("etag"), Some(get_etag.as_str()));
    assert_eq!(allowed_get.headers.get("content-length"), Some("12"));
    assert_eq!(allowed_get.body, br#"{"ok": true}"#);
    assert!(
        recorded[2]
            .headers
            .get("access-control-allow-origin")
            .is_none()
    );
    // The forwarder's own answer carries the framing the browser sees.
    assert!(recorded[4].headers.get("date").is_some());
    assert_eq!(
        recorded[4].headers.get("content-length"),
        Some(recorded[4].body.len().to_string().as_str())
    );

    assert!(registry.delete_all(&client).await.is_empty());
    assert!(client.list_buckets().await.expect("ListBuckets").is_empty());
}
