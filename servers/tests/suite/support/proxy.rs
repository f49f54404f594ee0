//! Shared pieces of the proxy tests: a proxy with declared hosts, a router that says who answered,
//! and clients that talk to the proxy the way browsers do.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use cors_servers::proxy::ProxiedRequest;
use cors_servers::{OriginProxy, ProxyConfig};
use http::{HeaderValue, Method, header};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

pub async fn proxy_for(hosts: &[&str]) -> OriginProxy {
    let proxy = OriginProxy::start(ProxyConfig::default())
        .await
        .expect("proxy starts");
    proxy.declare_hosts(hosts.iter().copied());
    proxy
}

/// A router whose body names itself and what it was asked (`<label> <METHOD> <path?query>
/// host=<Host> origin=<proxied origin>`), and which allows CORS for any `Origin`, preflights
/// included, the way a permissive server would.
pub fn echo_router(label: impl Into<String>) -> Router {
    let label: Arc<str> = label.into().into();
    Router::new().fallback(move |request: Request| {
        let label = Arc::clone(&label);
        async move {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let proxied = request
                .extensions()
                .get::<ProxiedRequest>()
                .map(|p| p.origin.clone())
                .unwrap_or_default();
            let path = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let body = format!(
                "{label} {} {path} host={host} origin={proxied}",
                request.method()
            );
            let mut response = Response::new(Body::from(body));
            if let Some(origin) = request.headers().get(header::ORIGIN).cloned() {
                let headers = response.headers_mut();
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                if request.method() == Method::OPTIONS {
                    headers.insert(
                        header::ACCESS_CONTROL_ALLOW_METHODS,
                        HeaderValue::from_static("PUT"),
                    );
                    headers.insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        HeaderValue::from_static("x-custom"),
                    );
                }
                headers.insert(header::VARY, HeaderValue::from_static("Origin"));
            }
            response
        }
    })
}

/// A reqwest client that uses the proxy for http and https and trusts only its CA.
pub fn browser_like_client(proxy: &OriginProxy) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(proxy.ca_certificate_pem().as_bytes())
        .expect("CA certificate parses");
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(format!("http://{}", proxy.addr())).expect("proxy url"))
        .tls_certs_only([ca])
        .build()
        .expect("client builds")
}

/// Sends raw bytes to `addr` and returns everything read until the peer closes.
pub async fn raw_exchange(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request written");
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.expect("response read");
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens a `CONNECT` tunnel through the proxy and returns the status line's code plus the stream
/// (positioned after the proxy's response head).
pub async fn connect_tunnel(addr: SocketAddr, target: &str) -> (u16, BufReader<TcpStream>) {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("CONNECT written");
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .await
        .expect("status line");
    let code = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).await.expect("header line");
        if n == 0 || line == "\r\n" {
            break;
        }
    }
    (code, reader)
}

/// A rustls client configuration that trusts only the proxy's CA.
pub fn tls_client_config(proxy: &OriginProxy) -> Arc<rustls::ClientConfig> {
    cors_servers::tls::install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    let ca = CertificateDer::from_pem_slice(proxy.ca_certificate_pem().as_bytes())
        .expect("CA certificate PEM");
    roots.add(ca).expect("CA certificate is a valid root");
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// Sends three GETs (`target(0..3)`) on one HTTP/1.1 connection over `io`, checks that each answer
/// is 200 from the router labelled `label`, and that the connection is still open afterwards:
/// browsers keep connections (and CONNECT tunnels) alive across requests.
pub async fn three_gets_on_one_connection<IO>(io: IO, target: impl Fn(usize) -> String, label: &str)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io))
            .await
            .unwrap();
    let driver = tokio::spawn(connection);
    for n in 0..3 {
        let request = http::Request::get(target(n))
            .header("host", "app.example.test")
            .body(http_body_util::Empty::<bytes::Bytes>::new())
            .unwrap();
        sender.ready().await.expect("connection still open");
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status(), http::StatusCode::OK);
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert!(String::from_utf8_lossy(&body).starts_with(&format!("{label} GET /n{n} ")));
    }
    assert!(!driver.is_finished(), "the connection stayed open");
}
