//! Starts a bucket server on 127.0.0.1:0 for a test and gives back its base URL.

use std::net::SocketAddr;

use cors_servers::bucket::BucketServer;
use tokio::task::JoinHandle;

/// A running server; dropped, it stops.
pub struct Running {
    pub addr: SocketAddr,
    pub base: String,
    task: JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(server: &BucketServer) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server.router();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Running {
        addr,
        base: format!("http://{addr}"),
        task,
    }
}

/// A client that neither follows redirects nor pools connections across tests.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The response's header lines as (name, value) pairs, in wire order.
pub fn header_lines(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Only the `access-control-*` and `vary` lines, in wire order.
pub fn cors_lines(response: &reqwest::Response) -> Vec<(String, String)> {
    header_lines(response)
        .into_iter()
        .filter(|(name, _)| name.starts_with("access-control-") || name == "vary")
        .collect()
}

/// The text of one element of an XML body (first occurrence).
pub fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    Some(&xml[start..end])
}

/// A CORS configuration written as a PutBucketCors body would be, parsed by the engine.
pub fn cors_config(xml: &str) -> cors_engine::CorsConfiguration {
    cors_engine::config::parse_xml(xml).unwrap()
}

/// The status, the error `Code` (empty when there is none) and the body of an answer.
pub async fn status_code_body(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let code = element(&body, "Code").unwrap_or("").to_owned();
    (status, code, body)
}

/// S3's URI encoding (written out here, independently of the server's), with `/` kept when
/// `keep_slash`.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b'/' if keep_slash => "/".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
