//! First contact: the router answers S3 operations and renders the engine's CORS answers.

#[path = "bucket_support/server.rs"]
mod support;

use cors_servers::bucket::BucketServer;

#[tokio::test]
async fn bucket_object_and_preflight_round_trip() {
    let server = BucketServer::new();
    let running = support::start(&server).await;
    let client = support::client();
    let base = &running.base;

    let created = client.put(format!("{base}/assets")).send().await.unwrap();
    assert_eq!(created.status(), 200);
    let put = client
        .put(format!("{base}/assets/cat.txt"))
        .header("content-type", "text/plain")
        .body("meow")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(
        put.headers()["etag"],
        "\"4a4be40c96ac6314e91d93f38043a634\""
    );
    let got = client.get(format!("{base}/assets/cat.txt")).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "text/plain");
    assert_eq!(got.headers()["server"], "AmazonS3");
    assert_eq!(got.text().await.unwrap(), "meow");

    server
        .put_bucket_cors(
            "assets",
            support::cors_config(
                "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
            ),
        )
        .unwrap();
    let preflight = client
        .request(reqwest::Method::OPTIONS, format!("{base}/assets/cat.txt"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    println!("{:#?}", support::header_lines(&preflight));
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}
