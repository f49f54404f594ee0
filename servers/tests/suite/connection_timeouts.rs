//! Slow and idle clients are disconnected, by the bucket server's `serve` loop and by the origin
//! proxy, while a client sending its request at a normal pace is answered. Short limits keep the
//! tests fast; the defaults are 30 s (header read) and 90 s (idle).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cors_servers::bucket::{BucketServer, serve_on};
use cors_servers::{ConnectionTimeouts, OriginProxy, ProxyConfig};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_millis(300);
const LONG: Duration = Duration::from_secs(20);

async fn bucket_server(timeouts: ConnectionTimeouts) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = BucketServer::new();
    server.create_bucket("b").unwrap();
    let task = tokio::spawn(async move { serve_on(listener, &server, timeouts).await });
    (addr, task)
}

/// Reads until the server closes the connection; the time that took and what arrived. Fails
/// the test if the connection is still open after 5 s.
async fn wait_for_close(stream: &mut TcpStream) -> (Duration, Vec<u8>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the connection was still open after 5 s");
    (started.elapsed(), received)
}

#[tokio::test]
async fn half_a_request_line_is_closed_after_the_header_read_limit() {
    let (addr, task) = bucket_server(ConnectionTimeouts {
        header_read: SHORT,
        idle: LONG,
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /b/k HT").await.unwrap();
    let (elapsed, received) = wait_for_close(&mut stream).await;
    assert!(received.is_empty(), "{received:?}");
    assert!(elapsed >= SHORT - Duration::from_millis(50), "{elapsed:?}");
    task.abort();
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_limit() {
    let (addr, task) = bucket_server(ConnectionTimeouts {
        header_read: LONG,
        idle: SHORT,
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"HEAD /b HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    // The answer arrives, then the kept-alive connection is closed once idle for too long.
    let (_, received) = wait_for_close(&mut stream).await;
    assert!(received.starts_with(b"HTTP/1.1 200"), "{received:?}");
    task.abort();
}

#[tokio::test]
async fn a_head_sent_in_pieces_within_the_limits_is_answered() {
    let (addr, task) = bucket_server(ConnectionTimeouts {
        header_read: Duration::from_secs(2),
        idle: Duration::from_secs(2),
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    for piece in [
        &b"HEAD /b HT"[..],
        b"TP/1.1\r\nHost: loc",
        b"alhost\r\n\r\n",
    ] {
        stream.write_all(piece).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut buffer = [0u8; 12];
    stream.read_exact(&mut buffer).await.unwrap();
    assert_eq!(&buffer, b"HTTP/1.1 200");
    task.abort();
}

#[tokio::test]
async fn the_proxy_closes_slow_and_idle_browsers() {
    let proxy = OriginProxy::start(ProxyConfig {
        timeouts: ConnectionTimeouts {
            header_read: SHORT,
            idle: Duration::from_millis(600),
        },
        ..ProxyConfig::default()
    })
    .await
    .unwrap();
    proxy.declare_hosts(["app.example.com"]);
    let mut slow = TcpStream::connect(proxy.addr()).await.unwrap();
    slow.write_all(b"GET http://app.example.com/")
        .await
        .unwrap();
    let (elapsed, received) = wait_for_close(&mut slow).await;
    assert!(received.is_empty(), "{received:?}");
    assert!(elapsed < Duration::from_millis(600), "{elapsed:?}");

    // Connected and silent: closed by the idle limit.
    let mut idle = TcpStream::connect(proxy.addr()).await.unwrap();
    let (elapsed, received) = wait_for_close(&mut idle).await;
    assert!(received.is_empty(), "{received:?}");
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
}
