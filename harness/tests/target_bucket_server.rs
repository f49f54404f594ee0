//! The external-target probe against the project's own bucket server, started in-process with
//! credentials: the server renders the engine's S3 answers, so every shipped bucket case must
//! match S3 exactly, and the probe must leave no bucket behind.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;

use cors_harness::case::{Case, load_paths};
use cors_harness::target::{
    Addressing, BucketNamer, BucketRegistry, ExternalTarget, S3Client, probe_target,
};
use cors_reports::target::{
    DeviationKind, ServerDeviation, describe, render_markdown, render_text,
};
use cors_servers::bucket::{AwsKeys, BucketServer};

const ACCESS_KEY: &str = "probe-access";
const SECRET_KEY: &str = "probe-secret";

async fn start_bucket_server() -> SocketAddr {
    let server = BucketServer::builder()
        .keys(AwsKeys {
            access_key: ACCESS_KEY.to_owned(),
            secret_key: SECRET_KEY.to_owned(),
        })
        .build()
        .expect("in-memory bucket server");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, server.router()).await.ok();
    });
    addr
}

fn shipped_bucket_cases() -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases");
    let cases: Vec<Case> = load_paths(&[root])
        .into_iter()
        .filter_map(|loaded| loaded.result.ok())
        .filter(|case| case.bucket().is_some())
        .collect();
    assert!(!cases.is_empty(), "the corpus has bucket cases");
    cases
}

fn target(addr: SocketAddr, secret: &str) -> ExternalTarget {
    ExternalTarget::new(
        &format!("http://{addr}"),
        ACCESS_KEY,
        secret,
        "us-east-1",
        Addressing::Path,
    )
    .expect("valid endpoint")
}

/// Why the bucket server's status for an actual request may differ from the engine's bucket
/// model. Each explanation is about access, never about CORS; `None` means the deviation is
/// unexplained and fails the test. `refused_form_cases` lists the cases whose browser form
/// upload the credentialed server refused.
fn known_status_difference(
    deviation: &ServerDeviation,
    refused_form_cases: &BTreeSet<String>,
) -> Option<&'static str> {
    let (method, url) = deviation.exchange.split_once(' ')?;
    let path = url
        .split_once("://")?
        .1
        .split_once('/')
        .map_or("", |(_, p)| p);
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if method == "POST" && path.is_empty() && deviation.actual.as_deref() == Some("403") {
        // A browser form upload to the bucket: with credentials configured the server demands
        // the form's signed policy, while the engine models a bucket that takes the form.
        return Some("form upload needs a signed policy on a server with credentials");
    }
    if method == "GET"
        && deviation.expected.as_deref() == Some("200")
        && deviation.actual.as_deref() == Some("404")
        && refused_form_cases.contains(&deviation.case_id)
    {
        // The object a refused form upload would have stored is not there.
        return Some("the form upload that stores this key was refused (signed policy)");
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_bucket_server_matches_s3_on_every_shipped_bucket_case() {
    let addr = start_bucket_server().await;
    let cases = shipped_bucket_cases();
    let target = target(addr, SECRET_KEY);

    let report = probe_target(&target, &cases).await.expect("probe runs");
    let text = render_markdown(&report);

    assert_eq!(report.summary.cases_probed, cases.len(), "{text}");
    assert_eq!(report.summary.cases_failed, 0, "{text}");
    assert!(
        report.summary.exchanges >= cases.len(),
        "every case sends at least one exchange: {text}"
    );
    // Every preflight, every CORS header, Vary, error code and configuration answer matches
    // S3 exactly; the only differences allowed are the explained statuses of actual requests.
    let refused_form_cases: BTreeSet<String> = report
        .deviations()
        .filter(|d| d.exchange.starts_with("POST ") && d.actual.as_deref() == Some("403"))
        .map(|d| d.case_id.clone())
        .collect();
    for deviation in report.deviations() {
        assert_eq!(
            deviation.kind,
            DeviationKind::Status,
            "{}\n{text}",
            describe(deviation)
        );
        assert!(
            !deviation.exchange.starts_with("OPTIONS "),
            "{}\n{text}",
            describe(deviation)
        );
        assert!(
            known_status_difference(deviation, &refused_form_cases).is_some(),
            "unexplained: {}\n{text}",
            describe(deviation)
        );
    }
    assert!(report.leftover_buckets.is_empty(), "{text}");

    let client = S3Client::new(target).expect("client");
    let buckets = client.list_buckets().await.expect("ListBuckets");
    assert!(buckets.is_empty(), "buckets left behind: {buckets:?}");
}

/// With a wrong secret every signed call fails: the probe must say so per case (not report
/// deviations), and must not panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_fail_every_case_instead_of_deviating() {
    let addr = start_bucket_server().await;
    let cases = shipped_bucket_cases();
    let report = probe_target(&target(addr, "not-the-secret"), &cases[..2])
        .await
        .expect("probe runs");
    assert_eq!(report.summary.cases_failed, 2, "{}", render_text(&report));
    assert_eq!(report.summary.deviations, 0);
    assert!(
        report.cases[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("SignatureDoesNotMatch")),
        "{:?}",
        report.cases[0].error
    );
}

/// What Ctrl-C does: every bucket still registered is emptied and deleted, and a bucket that
/// is registered but was never created (interrupted before CreateBucket) is no error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_deletes_registered_buckets_with_their_objects() {
    let addr = start_bucket_server().await;
    let client = S3Client::new(target(addr, SECRET_KEY)).expect("client");
    let registry = BucketRegistry::new();
    let namer = BucketNamer::new();
    let (full, empty, never_created) = (namer.next_name(), namer.next_name(), namer.next_name());
    for bucket in [&full, &empty, &never_created] {
        registry.register(bucket);
    }
    for bucket in [&full, &empty] {
        client.create_bucket(bucket).await.expect("CreateBucket");
    }
    for key in ["a.txt", "dir/b c.txt", "ü.bin"] {
        client
            .put_object(&full, key, "text/plain", b"x")
            .await
            .expect("PutObject");
    }
    assert_eq!(client.list_objects(&full).await.expect("list").len(), 3);

    let failures = registry.delete_all(&client).await;
    assert!(failures.is_empty(), "{failures:?}");
    assert!(registry.live().is_empty());
    assert!(client.list_buckets().await.expect("ListBuckets").is_empty());
}
