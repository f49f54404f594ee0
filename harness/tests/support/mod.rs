//! Helpers the harness's test binaries share: the shipped corpus, serving a router on a free
//! loopback port, the project's bucket server with credentials (faithful or deviating), local
//! browser sessions behind an origin proxy, and the third-party S3 servers.
//! Each binary includes this module with `#[path]`; not every binary uses every item.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use cors_harness::browsers::{Endpoint, Launcher, ProxySettings};
use cors_harness::case::{Case, load_paths};
use cors_harness::session_pool::SessionPool;
use cors_servers::OriginProxy;
use cors_servers::bucket::{AwsKeys, BucketServer};

pub mod external_server;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The case corpus shipped with the repository.
pub fn cases_root() -> PathBuf {
    repo_root().join("cases")
}

/// Every shipped case whose server is a bucket.
pub fn shipped_bucket_cases() -> Vec<Case> {
    let cases: Vec<Case> = load_paths(&[cases_root()])
        .into_iter()
        .filter_map(|loaded| loaded.result.ok())
        .filter(|case| case.bucket().is_some())
        .collect();
    assert!(!cases.is_empty(), "the corpus has bucket cases");
    cases
}

/// Serves `router` on a free loopback port for as long as the test's runtime lives.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    addr
}

/// The project's in-memory bucket server, accepting only requests signed with these keys.
pub fn bucket_server(access_key: &str, secret_key: &str) -> BucketServer {
    BucketServer::builder()
        .keys(AwsKeys {
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
        })
        .build()
        .expect("in-memory bucket server")
}

/// The project's bucket server with these keys, plus `Access-Control-Allow-Origin: *` on every
/// answer, as some emulators send: a target that deviates from S3.
pub fn always_star_bucket_router(access_key: &str, secret_key: &str) -> axum::Router {
    bucket_server(access_key, secret_key)
        .router()
        .layer(middleware::from_fn(always_star))
}

async fn always_star(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

/// A pool of at most one local session per browser, reaching every host through `proxy` and
/// accepting the certificates it generates.
pub fn local_pool(proxy: &OriginProxy) -> Arc<SessionPool> {
    let settings = ProxySettings {
        address: proxy.addr(),
        spki_sha256_base64: Some(proxy.spki_sha256_base64().to_string()),
    };
    SessionPool::new(Launcher::new(settings, Endpoint::Local), 1)
}
