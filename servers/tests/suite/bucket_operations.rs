//! The bucket server's S3 operations besides CORS: buckets, listings, objects (ETag, headers,
//! ranges, conditional GETs), multipart uploads, POST form uploads, addressing styles, size limits
//! and junk requests (always an S3 error, never a panic).

use crate::support::bucket as support;

use cors_servers::bucket::BucketServer;
use md5::{Digest, Md5};
use reqwest::Method;
use rstest::rstest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn fresh() -> (BucketServer, support::Running) {
    let server = BucketServer::new();
    let running = support::start(&server).await;
    (server, running)
}

fn url(running: &support::Running, path: &str) -> String {
    format!("{}{path}", running.base)
}

async fn code_of(response: reqwest::Response) -> (u16, String) {
    let (status, code, _) = support::status_code_body(response).await;
    (status, code)
}

#[tokio::test]
async fn bucket_lifecycle() {
    let (_server, running) = fresh().await;
    let client = support::client();
    let created = client.put(url(&running, "/media")).send().await.unwrap();
    assert_eq!(created.status(), 200);
    assert_eq!(created.headers()["location"], "/media");
    assert_eq!(
        code_of(client.put(url(&running, "/media")).send().await.unwrap()).await,
        (409, "BucketAlreadyOwnedByYou".into())
    );
    assert_eq!(
        code_of(client.put(url(&running, "/Bad_Name")).send().await.unwrap()).await,
        (400, "InvalidBucketName".into())
    );
    let head = client.head(url(&running, "/media")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let missing = client.head(url(&running, "/nothing")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let list = client.get(url(&running, "/")).send().await.unwrap();
    assert_eq!(list.headers()["content-type"], "application/xml");
    let text = list.text().await.unwrap();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult")
    );
    assert!(text.contains("<Name>media</Name>"));

    client
        .put(url(&running, "/media/a.txt"))
        .body("a")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(client.delete(url(&running, "/media")).send().await.unwrap()).await,
        (409, "BucketNotEmpty".into())
    );
    let deleted = client
        .delete(url(&running, "/media/a.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        client
            .delete(url(&running, "/media"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        code_of(client.delete(url(&running, "/media")).send().await.unwrap()).await,
        (404, "NoSuchBucket".into())
    );
}

#[tokio::test]
async fn object_headers_etag_and_metadata() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let client = support::client();
    let put = client
        .put(url(&running, "/media/dir/file%20name.txt"))
        .header("content-type", "text/plain; charset=utf-8")
        .header("cache-control", "max-age=60")
        .header("x-amz-meta-colour", "blue")
        .body("hello world")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let etag = format!("\"{}\"", hex::encode(Md5::digest(b"hello world")));
    assert_eq!(put.headers()["etag"], etag.as_str());
    assert_eq!(
        server.object_body("media", "dir/file name.txt").as_deref(),
        Some(&b"hello world"[..])
    );

    for method in [Method::GET, Method::HEAD] {
        let got = client
            .request(method.clone(), url(&running, "/media/dir/file%20name.txt"))
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        let headers = got.headers();
        assert_eq!(headers["etag"], etag.as_str());
        assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
        assert_eq!(headers["content-length"], "11", "{method}");
        assert_eq!(headers["cache-control"], "max-age=60");
        assert_eq!(headers["x-amz-meta-colour"], "blue");
        assert_eq!(headers["accept-ranges"], "bytes");
        assert!(headers["last-modified"].to_str().unwrap().ends_with(" GMT"));
        let body = got.text().await.unwrap();
        assert_eq!(
            body,
            if method == Method::GET {
                "hello world"
            } else {
                ""
            }
        );
    }
    // Presigned-style response overrides.
    let overridden = client
        .get(url(
            &running,
            "/media/dir/file%20name.txt?response-content-type=application/json",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(overridden.headers()["content-type"], "application/json");
    // Missing keys: 404 NoSuchKey, and HEAD errors have no body.
    let head = client
        .head(url(&running, "/media/none"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 404);
    assert_eq!(head.text().await.unwrap(), "");
    assert_eq!(
        code_of(
            client
                .get(url(&running, "/media/none"))
                .send()
                .await
                .unwrap()
        )
        .await,
        (404, "NoSuchKey".into())
    );
    // A default content type when none is sent.
    client
        .put(url(&running, "/media/raw"))
        .body("x")
        .send()
        .await
        .unwrap();
    let raw = client
        .get(url(&running, "/media/raw"))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "binary/octet-stream");
}

#[rstest]
#[case::first_bytes("bytes=0-3", 206, Some("bytes 0-3/10"), "0123")]
#[case::open_end("bytes=7-", 206, Some("bytes 7-9/10"), "789")]
#[case::suffix("bytes=-2", 206, Some("bytes 8-9/10"), "89")]
#[case::clamped("bytes=5-100", 206, Some("bytes 5-9/10"), "56789")]
#[case::several_ranges_whole("bytes=0-1,4-5", 200, None, "0123456789")]
#[case::junk_whole("bytes=abc", 200, None, "0123456789")]
#[tokio::test]
async fn ranges(
    #[case] range: &str,
    #[case] status: u16,
    #[case] content_range: Option<&str>,
    #[case] body: &str,
) {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    server
        .put_object("media", "digits", "text/plain", &b"0123456789"[..])
        .unwrap();
    let response = support::client()
        .get(url(&running, "/media/digits"))
        .header("range", range)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response
            .headers()
            .get("content-range")
            .map(|v| v.to_str().unwrap()),
        content_range
    );
    assert_eq!(
        response.headers()["content-length"],
        body.len().to_string().as_str()
    );
    assert_eq!(response.text().await.unwrap(), body);
}

#[tokio::test]
async fn unsatisfiable_range_is_416_invalid_range() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    server
        .put_object("media", "digits", "text/plain", &b"0123456789"[..])
        .unwrap();
    let response = support::client()
        .get(url(&running, "/media/digits"))
        .header("range", "bytes=10-20")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 416);
    let body = response.text().await.unwrap();
    assert_eq!(support::element(&body, "Code"), Some("InvalidRange"));
    assert_eq!(support::element(&body, "ActualObjectSize"), Some("10"));
}

#[tokio::test]
async fn conditional_gets() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let etag = server
        .put_object("media", "k", "text/plain", &b"v"[..])
        .unwrap();
    let client = support::client();
    let not_modified = client
        .get(url(&running, "/media/k"))
        .header("if-none-match", etag.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), 304);
    assert!(not_modified.headers().get("content-length").is_none());
    assert_eq!(not_modified.headers()["etag"], etag.as_str());
    let modified = client
        .get(url(&running, "/media/k"))
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(modified.status(), 200);
    assert_eq!(
        code_of(
            client
                .get(url(&running, "/media/k"))
                .header("if-match", "\"other\"")
                .send()
                .await
                .unwrap()
        )
        .await,
        (412, "PreconditionFailed".into())
    );
}

#[tokio::test]
async fn list_objects_v2_prefix_delimiter_and_continuation() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    for key in ["a/1", "a/2", "b/1", "c", "d"] {
        server
            .put_object("media", key, "text/plain", key.as_bytes().to_vec())
            .unwrap();
    }
    let client = support::client();
    let get = |query: &str| {
        let client = client.clone();
        let target = url(&running, &format!("/media?list-type=2{query}"));
        async move {
            client
                .get(target)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let all = get("").await;
    assert_eq!(support::element(&all, "KeyCount"), Some("5"));
    assert_eq!(support::element(&all, "IsTruncated"), Some("false"));
    let prefixed = get("&prefix=a/").await;
    assert_eq!(prefixed.matches("<Key>").count(), 2);
    let delimited = get("&delimiter=/").await;
    assert!(delimited.contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"));
    assert!(delimited.contains("<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>"));
    assert_eq!(delimited.matches("<Key>").count(), 2);

    // Pages of two: every key exactly once.
    let mut keys = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let query = match &token {
            Some(t) => format!("&max-keys=2&continuation-token={}", urlencode(t)),
            None => "&max-keys=2".to_owned(),
        };
        let page = get(&query).await;
        let mut rest = page.as_str();
        while let Some(key) = support::element(rest, "Key") {
            keys.push(key.to_owned());
            rest = &rest[rest.find("</Key>").unwrap() + 6..];
        }
        match support::element(&page, "NextContinuationToken") {
            Some(next) => {
                assert_eq!(support::element(&page, "IsTruncated"), Some("true"));
                token = Some(next.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(keys, ["a/1", "a/2", "b/1", "c", "d"]);
    let bad = client
        .get(url(&running, "/media?list-type=2&max-keys=minus"))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(bad).await, (400, "InvalidArgument".into()));
}

fn urlencode(text: &str) -> String {
    support::uri_encode(text, false)
}

#[tokio::test]
async fn multipart_upload_etag_and_errors() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let client = support::client();
    let initiated = client
        .post(url(&running, "/media/big.bin?uploads"))
        .header("content-type", "application/octet-stream")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let upload_id = support::element(&initiated, "UploadId").unwrap().to_owned();
    let part_one = vec![1u8; 5 * 1024 * 1024];
    let part_two = b"tail".to_vec();
    let mut etags = Vec::new();
    for (number, body) in [(1, &part_one), (2, &part_two)] {
        let response = client
            .put(url(
                &running,
                &format!("/media/big.bin?partNumber={number}&uploadId={upload_id}"),
            ))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(etag, format!("\"{}\"", hex::encode(Md5::digest(body))));
        etags.push(etag);
    }
    // Out of order → InvalidPartOrder; unknown ETag → InvalidPart.
    let complete_body = |order: &[(u32, &str)]| {
        let parts: String = order
            .iter()
            .map(|(n, e)| format!("<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"))
            .collect();
        format!("<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>")
    };
    let complete_url = url(&running, &format!("/media/big.bin?uploadId={upload_id}"));
    let wrong_order = client
        .post(&complete_url)
        .body(complete_body(&[(2, &etags[1]), (1, &etags[0])]))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(wrong_order).await, (400, "InvalidPartOrder".into()));
    let wrong_etag = client
        .post(&complete_url)
        .body(complete_body(&[(1, "\"00\""), (2, &etags[1])]))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(wrong_etag).await, (400, "InvalidPart".into()));
    let junk = client
        .post(&complete_url)
        .body("<junk")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(junk).await, (400, "MalformedXML".into()));

    let done = client
        .post(&complete_url)
        .body(complete_body(&[(1, &etags[0]), (2, &etags[1])]))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let text = done.text().await.unwrap();
    let mut digests = Md5::new();
    digests.update(Md5::digest(&part_one));
    digests.update(Md5::digest(&part_two));
    let expected = format!("\"{}-2\"", hex::encode(digests.finalize()));
    assert_eq!(
        support::element(&text, "ETag"),
        Some(expected.replace('"', "&quot;").as_str())
    );
    let mut whole = part_one.clone();
    whole.extend_from_slice(&part_two);
    assert_eq!(
        server.object_body("media", "big.bin").as_deref(),
        Some(&whole[..])
    );
    let head = client
        .head(url(&running, "/media/big.bin"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()["etag"], expected.as_str());
    assert_eq!(head.headers()["content-type"], "application/octet-stream");

    // The upload is gone once completed; aborting or using it again is NoSuchUpload.
    let again = client
        .put(url(
            &running,
            &format!("/media/big.bin?partNumber=1&uploadId={upload_id}"),
        ))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(again).await, (404, "NoSuchUpload".into()));
    let abort = client.delete(&complete_url).send().await.unwrap();
    assert_eq!(code_of(abort).await, (404, "NoSuchUpload".into()));
}

#[tokio::test]
async fn multipart_small_part_and_abort() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let client = support::client();
    let initiated = client
        .post(url(&running, "/media/k?uploads"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let upload_id = support::element(&initiated, "UploadId").unwrap().to_owned();
    let mut etags = Vec::new();
    for number in 1..=2 {
        let response = client
            .put(url(
                &running,
                &format!("/media/k?partNumber={number}&uploadId={upload_id}"),
            ))
            .body("small")
            .send()
            .await
            .unwrap();
        etags.push(response.headers()["etag"].to_str().unwrap().to_owned());
    }
    let body = format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>{}</ETag></Part></CompleteMultipartUpload>",
        etags[0], etags[1]
    );
    let complete_url = url(&running, &format!("/media/k?uploadId={upload_id}"));
    let small = client.post(&complete_url).body(body).send().await.unwrap();
    assert_eq!(code_of(small).await, (400, "EntityTooSmall".into()));
    let bad_number = client
        .put(url(
            &running,
            &format!("/media/k?partNumber=0&uploadId={upload_id}"),
        ))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(bad_number).await, (400, "InvalidArgument".into()));
    assert_eq!(
        client.delete(&complete_url).send().await.unwrap().status(),
        204
    );
    assert_eq!(
        code_of(client.delete(&complete_url).send().await.unwrap()).await,
        (404, "NoSuchUpload".into())
    );
    assert!(server.object_body("media", "k").is_none());
}

#[rstest]
#[case::default_204(None, 204)]
#[case::explicit_200(Some("200"), 200)]
#[case::created_201(Some("201"), 201)]
#[tokio::test]
async fn post_object_form_upload(#[case] success_status: Option<&str>, #[case] status: u16) {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let mut body = String::new();
    let mut field = |name: &str, value: &str| {
        body.push_str(&format!(
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    };
    field("key", "uploads/${filename}");
    if let Some(value) = success_status {
        field("success_action_status", value);
    }
    field("x-amz-meta-owner", "form");
    body.push_str("--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\nform body\r\n--BOUNDARY--\r\n");
    let response = support::client()
        .post(url(&running, "/media"))
        .header("content-type", "multipart/form-data; boundary=BOUNDARY")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["etag"],
        format!("\"{}\"", hex::encode(Md5::digest(b"form body"))).as_str()
    );
    let text = response.text().await.unwrap();
    assert_eq!(status == 201, text.contains("<PostResponse>"), "{text}");
    assert_eq!(
        server.object_body("media", "uploads/note.txt").as_deref(),
        Some(&b"form body"[..])
    );
    let got = support::client()
        .get(url(&running, "/media/uploads/note.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "text/plain");
    assert_eq!(got.headers()["x-amz-meta-owner"], "form");
}

#[tokio::test]
async fn virtual_hosted_addressing() {
    let (server, running) = fresh().await;
    server.create_bucket("assets").unwrap();
    server.create_bucket("media").unwrap();
    server
        .put_object("assets", "cat.jpg", "image/jpeg", &b"cat"[..])
        .unwrap();
    server
        .put_object("media", "dog.jpg", "image/jpeg", &b"dog"[..])
        .unwrap();
    server.add_virtual_host("cdn.example.com", "media");
    let client = support::client();
    for (host, path, body) in [
        ("assets.s3.amazonaws.com", "/cat.jpg", "cat"),
        ("assets.s3.eu-west-1.amazonaws.com", "/cat.jpg", "cat"),
        (
            "assets.s3-website-us-east-1.amazonaws.com",
            "/cat.jpg",
            "cat",
        ),
        (
            "assets.s3-website.eu-west-1.amazonaws.com",
            "/cat.jpg",
            "cat",
        ),
        ("s3.amazonaws.com", "/assets/cat.jpg", "cat"),
        ("cdn.example.com", "/dog.jpg", "dog"),
        ("localhost", "/media/dog.jpg", "dog"),
    ] {
        let response = client
            .get(url(&running, path))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{host}{path}");
        assert_eq!(response.text().await.unwrap(), body);
    }
}

#[tokio::test]
async fn unsupported_and_not_allowed_operations() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    server
        .put_object("media", "k", "text/plain", &b"v"[..])
        .unwrap();
    let client = support::client();
    for (method, path, status, code) in [
        (Method::GET, "/media?acl", 501, "NotImplemented"),
        (Method::PUT, "/media/k?tagging", 501, "NotImplemented"),
        (Method::GET, "/media/k?uploadId=x", 501, "NotImplemented"),
        (Method::POST, "/media/k", 405, "MethodNotAllowed"),
        (Method::PATCH, "/media/k", 405, "MethodNotAllowed"),
        (Method::PUT, "/", 405, "MethodNotAllowed"),
        (Method::POST, "/media", 412, "PreconditionFailed"),
        (Method::GET, "/nothing/k", 404, "NoSuchBucket"),
        (Method::PUT, "/nothing/k", 404, "NoSuchBucket"),
    ] {
        let response = client
            .request(method.clone(), url(&running, path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            code_of(response).await,
            (status, code.to_owned()),
            "{method} {path}"
        );
    }
    let copy = client
        .put(url(&running, "/media/copy"))
        .header("x-amz-copy-source", "/media/k")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(copy).await, (501, "NotImplemented".into()));
}

/// S3 ignores query parameters it does not know on object and bucket reads, so cache-busters such
/// as `?v=2` on an S3 URL still reach GetObject and ListObjects.
#[tokio::test]
async fn unknown_query_parameters_are_ignored() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    server
        .put_object("media", "k", "text/plain", &b"v"[..])
        .unwrap();
    let client = support::client();
    for (method, path) in [
        (Method::GET, "/media/k?v=2"),
        (Method::HEAD, "/media/k?via=head&cb=1"),
        (Method::GET, "/media?cachebuster=7"),
    ] {
        let response = client
            .request(method.clone(), url(&running, path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method} {path}");
    }
}

#[tokio::test]
async fn oversized_object_is_entity_too_large() {
    let server = BucketServer::builder()
        .max_object_size(1024)
        .build()
        .unwrap();
    server.create_bucket("media").unwrap();
    let running = support::start(&server).await;
    let response = support::client()
        .put(url(&running, "/media/big"))
        .body(vec![0u8; 4096])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(
        (status, support::element(&body, "Code")),
        (400, Some("EntityTooLarge"))
    );
    assert_eq!(support::element(&body, "MaxSizeAllowed"), Some("1024"));
    assert!(server.object_body("media", "big").is_none());
    let fits = support::client()
        .put(url(&running, "/media/fits"))
        .body(vec![0u8; 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(fits.status(), 200);
}

#[tokio::test]
async fn junk_requests_get_s3_errors_and_the_server_survives() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let client = support::client();
    for (method, path, headers, body) in [
        (
            Method::PUT,
            "/media/k",
            vec![("x-amz-content-sha256", "not-a-hash")],
            "",
        ),
        (
            Method::PUT,
            "/media/k",
            vec![("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")],
            "zz\r\nnot chunked",
        ),
        (Method::PUT, "/media/k", vec![("content-md5", "!!!")], "x"),
        (
            Method::POST,
            "/media",
            vec![("content-type", "multipart/form-data; boundary=X")],
            "garbage",
        ),
        (
            Method::POST,
            "/media",
            vec![("content-type", "multipart/form-data")],
            "garbage",
        ),
        (
            Method::GET,
            "/media?list-type=2&continuation-token=%%%",
            vec![],
            "",
        ),
        (
            Method::PUT,
            "/media/k",
            vec![(
                "x-amz-content-sha256",
                "0000000000000000000000000000000000000000000000000000000000000000",
            )],
            "x",
        ),
        (Method::GET, "/media/%ZZ%", vec![], ""),
    ] {
        let mut request = client
            .request(method.clone(), url(&running, path))
            .body(body);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        assert!(
            (400..500).contains(&status),
            "{method} {path} {headers:?} → {status}"
        );
        assert_eq!(response.headers()["content-type"], "application/xml");
    }
    // Raw bytes that are not HTTP at all.
    let mut socket = tokio::net::TcpStream::connect(running.addr).await.unwrap();
    socket
        .write_all(b"\x00\x01\x02 NOT HTTP\r\n\r\n")
        .await
        .unwrap();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        socket.read_to_end(&mut reply),
    )
    .await;
    // Still serving.
    let list = client.get(url(&running, "/")).send().await.unwrap();
    assert_eq!(list.status(), 200);
}

#[tokio::test]
async fn delete_objects_removes_listed_keys() {
    use base64::Engine as _;
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    for key in ["a", "b c", "keep"] {
        server
            .put_object("media", key, "text/plain", &b"x"[..])
            .unwrap();
    }
    let body = "<Delete><Object><Key>a</Key></Object><Object><Key>b c</Key></Object><Object><Key>never-existed</Key></Object></Delete>";
    let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(body.as_bytes()));
    let client = support::client();
    let without_md5 = client
        .post(url(&running, "/media?delete"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(without_md5).await, (400, "InvalidRequest".into()));
    let response = client
        .post(url(&running, "/media?delete"))
        .header("content-md5", md5)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("<Deleted><Key>b c</Key></Deleted>"), "{text}");
    assert!(server.object_body("media", "a").is_none());
    assert!(server.object_body("media", "b c").is_none());
    assert!(server.object_body("media", "keep").is_some());
}

/// Seeded objects carry the upload time the harness gives them, so browsers derive the same
/// heuristic freshness the engine predicts.
#[tokio::test]
async fn seeded_object_keeps_its_last_modified() {
    let (server, running) = fresh().await;
    server.create_bucket("media").unwrap();
    let uploaded = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_793_707_200);
    server
        .put_object_modified_at("media", "old.txt", "text/plain", &b"v"[..], uploaded)
        .unwrap();
    let response = support::client()
        .get(url(&running, "/media/old.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["last-modified"].to_str().unwrap(),
        "Tue, 03 Nov 2026 12:00:00 GMT"
    );
}
