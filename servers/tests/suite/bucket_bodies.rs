//! No unbounded work before authentication: a request is authenticated from its headers before
//! its body is read (a refused body is drained, never kept), and the bodies being read at once
//! share a budget of `max_object_size` bytes, so concurrent uploads cannot exhaust memory.

use crate::support::bucket as support;

use std::time::Duration;

use cors_servers::bucket::{AwsKeys, BucketServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn an_unsigned_upload_is_refused_before_its_size_is_considered() {
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: "AKIDBODIES".into(),
            secret_key: "secret".into(),
        })
        .max_object_size(MIB as u64)
        .build()
        .unwrap();
    server.create_bucket("guarded").unwrap();
    let running = support::start(&server).await;
    let response = support::client()
        .put(format!("{}/guarded/big", running.base))
        .body(vec![1u8; 2 * MIB])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let text = response.text().await.unwrap();
    assert!(text.contains("<Code>AccessDenied</Code>"), "{text}");
    assert_eq!(server.object_body("guarded", "big"), None);
}

/// Sends the request line, headers and `sent` of `length` body bytes, and keeps the connection.
async fn start_upload(
    addr: std::net::SocketAddr,
    key: &str,
    length: usize,
    sent: usize,
) -> tokio::net::TcpStream {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /budget/{key} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&vec![b'x'; sent]).await.unwrap();
    stream
}

async fn finish_upload(mut stream: tokio::net::TcpStream, rest: usize) -> String {
    stream.write_all(&vec![b'x'; rest]).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn concurrent_uploads_share_one_memory_budget() {
    let server = BucketServer::builder()
        .max_object_size(4 * MIB as u64)
        .build()
        .unwrap();
    server.create_bucket("budget").unwrap();
    let running = support::start(&server).await;
    // The first upload holds 3 MiB of the 4 MiB budget while its client is still sending.
    let first = start_upload(running.addr, "first", 3 * MIB, MIB).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::spawn(async move {
        let stream = start_upload(running.addr, "second", 3 * MIB, 0).await;
        finish_upload(stream, 3 * MIB).await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !second.is_finished(),
        "a second 3 MiB body is not read while the first holds the budget"
    );
    assert_eq!(server.object_body("budget", "second"), None);
    let first = finish_upload(first, 2 * MIB).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let second = tokio::time::timeout(Duration::from_secs(10), second)
        .await
        .expect("the second upload proceeds once the first is done")
        .unwrap();
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
    assert_eq!(
        server
            .object_body("budget", "second")
            .map(|body| body.len()),
        Some(3 * MIB)
    );
}
