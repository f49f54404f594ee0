//! Helpers the harness's test binaries share: the shipped corpus, serving a router on a free
//! loopback port, the project's bucket server with credentials, and the third-party S3 servers.
//! Each binary includes this module with `#[path]`; not every binary uses every item.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use cors_harness::case::{Case, load_paths};
use cors_servers::bucket::{BucketServer, Credentials};

pub mod external_server;

/// The case corpus shipped with the repository.
pub fn cases_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases")
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
        .credentials(Credentials {
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
        })
        .build()
        .expect("in-memory bucket server")
}
