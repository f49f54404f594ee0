//! With a data directory, a restarted bucket server loses nothing: buckets, objects (body,
//! ETag, Content-Type, metadata, Last-Modified), multipart results and CORS configurations
//! come back; deletions stay deleted.

use crate::support::bucket as support;

use cors_servers::bucket::BucketServer;

const RULE: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>";

#[tokio::test]
async fn restart_with_the_same_data_dir_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let client = support::client();
    let (etag, last_modified, cors_xml) = {
        let server = BucketServer::with_data_dir(dir.path()).unwrap();
        let running = support::start(&server).await;
        let base = &running.base;
        assert_eq!(
            client
                .put(format!("{base}/kept"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        assert_eq!(
            client
                .put(format!("{base}/dropped"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let put = client
            .put(format!("{base}/kept/a/b.txt"))
            .header("content-type", "text/plain")
            .header("x-amz-meta-note", "persisted")
            .body("body bytes")
            .send()
            .await
            .unwrap();
        let etag = put.headers()["etag"].to_str().unwrap().to_owned();
        client
            .put(format!("{base}/kept/gone.txt"))
            .body("x")
            .send()
            .await
            .unwrap();
        client
            .delete(format!("{base}/kept/gone.txt"))
            .send()
            .await
            .unwrap();
        client
            .delete(format!("{base}/dropped"))
            .send()
            .await
            .unwrap();
        server
            .put_bucket_cors("kept", support::cors_config(RULE))
            .unwrap();
        // A completed multipart upload is an ordinary object afterwards.
        let initiated = client
            .post(format!("{base}/kept/multi?uploads"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let upload_id = support::element(&initiated, "UploadId").unwrap().to_owned();
        let part = client
            .put(format!(
                "{base}/kept/multi?partNumber=1&uploadId={upload_id}"
            ))
            .body("only part")
            .send()
            .await
            .unwrap();
        let part_etag = part.headers()["etag"].to_str().unwrap().to_owned();
        let done = client
            .post(format!("{base}/kept/multi?uploadId={upload_id}"))
            .body(format!("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{part_etag}</ETag></Part></CompleteMultipartUpload>"))
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 200);
        let head = client
            .head(format!("{base}/kept/a/b.txt"))
            .send()
            .await
            .unwrap();
        let last_modified = head.headers()["last-modified"].to_str().unwrap().to_owned();
        let cors_xml = client
            .get(format!("{base}/kept?cors"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (etag, last_modified, cors_xml)
    };

    // A new server on the same directory.
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    let running = support::start(&server).await;
    let base = &running.base;
    let list = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("<Name>kept</Name>"));
    assert!(!list.contains("<Name>dropped</Name>"));
    let got = client
        .get(format!("{base}/kept/a/b.txt"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["etag"], etag.as_str());
    assert_eq!(got.headers()["content-type"], "text/plain");
    assert_eq!(got.headers()["x-amz-meta-note"], "persisted");
    assert_eq!(got.headers()["last-modified"], last_modified.as_str());
    assert_eq!(
        got.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(got.headers()["access-control-expose-headers"], "ETag");
    assert_eq!(got.text().await.unwrap(), "body bytes");
    assert_eq!(
        client
            .get(format!("{base}/kept/gone.txt"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let multi = client
        .get(format!("{base}/kept/multi"))
        .send()
        .await
        .unwrap();
    assert!(multi.headers()["etag"].to_str().unwrap().ends_with("-1\""));
    assert_eq!(multi.text().await.unwrap(), "only part");
    let cors_again = client
        .get(format!("{base}/kept?cors"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(cors_again, cors_xml);

    // Deleting the configuration and the bucket is durable too.
    assert_eq!(
        client
            .delete(format!("{base}/kept?cors"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    for key in ["a/b.txt", "multi"] {
        client
            .delete(format!("{base}/kept/{key}"))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        client
            .delete(format!("{base}/kept"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    drop(running);
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    let running = support::start(&server).await;
    let list = client
        .get(format!("{}/", running.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("<Bucket>"), "{list}");
}

#[tokio::test]
async fn no_temporary_files_are_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    server.create_bucket("b").unwrap();
    for i in 0..20 {
        server
            .put_object("b", &format!("k{i}"), "text/plain", format!("v{i}"))
            .unwrap();
    }
    let mut stack = vec![dir.path().to_owned()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with(".tmp-"), "left over: {name}");
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    let reopened = BucketServer::with_data_dir(dir.path()).unwrap();
    assert_eq!(reopened.object_body("b", "k7").as_deref(), Some(&b"v7"[..]));
}

/// The `objects/` folder of the data directory's only bucket.
fn objects_dir(data: &std::path::Path) -> std::path::PathBuf {
    std::fs::read_dir(data.join("buckets"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("objects")
}

#[tokio::test]
async fn a_damaged_object_file_is_skipped_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    server.create_bucket("b").unwrap();
    server
        .put_object("b", "damaged", "text/plain", &b"v"[..])
        .unwrap();
    drop(server);
    let objects = objects_dir(dir.path());
    let file = std::fs::read_dir(&objects)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, b"\xff\xff\xff\x7fjunk").unwrap();
    let reopened = BucketServer::with_data_dir(dir.path()).expect("starts despite the file");
    assert_eq!(reopened.object_body("b", "damaged"), None);
    assert_eq!(std::fs::read(&file).unwrap(), b"\xff\xff\xff\x7fjunk");
}

#[tokio::test]
async fn a_damaged_bucket_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    BucketServer::with_data_dir(dir.path())
        .unwrap()
        .create_bucket("b")
        .unwrap();
    let marker = objects_dir(dir.path()).with_file_name("bucket.json");
    std::fs::write(&marker, b"{not json").unwrap();
    let error = BucketServer::with_data_dir(dir.path())
        .err()
        .expect("damaged bucket refused");
    assert!(
        matches!(error, cors_servers::bucket::StorageError::Corrupt { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn stray_entries_under_objects_do_not_refuse_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    server.create_bucket("b").unwrap();
    server
        .put_object("b", "kept", "text/plain", &b"kept body"[..])
        .unwrap();
    drop(server);
    let objects = objects_dir(dir.path());
    std::fs::write(objects.join("junk"), b"").unwrap();
    std::fs::write(objects.join("notes.txt"), b"hello").unwrap();
    std::fs::create_dir(objects.join("subfolder")).unwrap();
    // A valid object file under a name that is not its key's hash could be listed, never read.
    let original = std::fs::read_dir(&objects)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().unwrap().len() == 64)
        .unwrap();
    std::fs::copy(&original, objects.join("copy")).unwrap();

    let reopened = BucketServer::with_data_dir(dir.path()).expect("starts despite strays");
    assert_eq!(
        reopened.object_body("b", "kept").as_deref(),
        Some(&b"kept body"[..])
    );
    let running = support::start(&reopened).await;
    let list = support::client()
        .get(format!("{}/b", running.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(list.matches("<Key>").count(), 1, "{list}");
    for stray in ["junk", "notes.txt", "subfolder", "copy"] {
        assert!(objects.join(stray).exists(), "{stray} left in place");
    }
}

#[tokio::test]
async fn temporary_files_from_a_crash_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = BucketServer::with_data_dir(dir.path()).unwrap();
    server.create_bucket("b").unwrap();
    server
        .put_object("b", "k", "text/plain", &b"v"[..])
        .unwrap();
    drop(server);
    let objects = objects_dir(dir.path());
    let bucket_dir = objects.parent().unwrap().to_owned();
    let leftovers = [objects.join(".tmp-4242-0"), bucket_dir.join(".tmp-4242-1")];
    for leftover in &leftovers {
        std::fs::write(leftover, b"half a write").unwrap();
    }
    let reopened = BucketServer::with_data_dir(dir.path()).unwrap();
    for leftover in &leftovers {
        assert!(!leftover.exists(), "{} removed", leftover.display());
    }
    assert_eq!(reopened.object_body("b", "k").as_deref(), Some(&b"v"[..]));
}

#[tokio::test]
async fn serve_binds_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let task = tokio::spawn(cors_servers::bucket::serve(
        addr,
        Some(dir.path().to_owned()),
        None,
        cors_servers::ConnectionTimeouts::DEFAULT,
    ));
    let client = support::client();
    let mut created = None;
    for _ in 0..50 {
        match client.put(format!("http://{addr}/served")).send().await {
            Ok(response) => {
                created = Some(response.status());
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
        }
    }
    assert_eq!(created, Some(reqwest::StatusCode::OK));
    task.abort();
    let reopened = BucketServer::with_data_dir(dir.path()).unwrap();
    let running = support::start(&reopened).await;
    let head = client
        .head(format!("{}/served", running.base))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
}
