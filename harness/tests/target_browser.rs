//! The browser stage of `cors-harness run --target …`, end to end with real Chromium and Firefox:
//! each bucket case runs in the browsers with its bucket origin forwarded to the target, and the
//! browser is judged by the engine's prediction from what the target really sent.
//!
//! * against the project's bucket server (S3-faithful, with credentials): no deviation, every
//!   run agrees, every run's traffic went through the target, no bucket is left;
//! * against a copy of it that adds `Access-Control-Allow-Origin: *` to every answer: the probe
//!   reports the server's deviations, yet the browsers still agree with the engine given those
//!   answers — the two verdict kinds stay apart;
//! * against s3rver (installed by `bash ci/install-targets.sh`; a missing server fails the test
//!   with that command, as in `target_external_servers.rs`): the stage completes and accounts
//!   for every run;
//! * Ctrl-C in the middle of the browser stage: exit 2, and every bucket is deleted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

#[path = "support/external_server.rs"]
mod external_server;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use cors_harness::target::{Addressing, ExternalTarget, S3Client};
use cors_servers::bucket::{AwsKeys, BucketServer};
use external_server::{start_s3rver, wait_until_ready};
use serde_json::Value;

const ACCESS_KEY: &str = "browser-access";
const SECRET_KEY: &str = "browser-secret";

/// Diverse bucket cases, all in both browsers: preflighted PUTs (allowed, and blocked by a
/// missing method), a preflight refused for its Content-Type, the preflight cache, an upload read
/// back, a readable ETag, a readable 404, a bucket without configuration (blocked), a presigned
/// URL, a canvas drawn from a CORS image and a glob origin.
const CASES: [&str; 10] = [
    "s3/preflight/put-not-allowed.toml",
    "s3/preflight/content-type-needs-allowed-headers.toml",
    "s3/preflight/max-age-cache.toml",
    "classic/upload-put-then-get.toml",
    "s3/expose/etag-exposed.toml",
    "s3/errors/missing-key-404-readable.toml",
    "s3/origin/no-cors-configuration.toml",
    "classic/presigned-get.toml",
    "classic/frontend-img-canvas-crossorigin.toml",
    "s3/matching/glob-subdomain.toml",
];

fn case_paths(cases: &[&str]) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases");
    cases
        .iter()
        .map(|case| root.join(case).display().to_string())
        .collect()
}

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    addr
}

fn bucket_server() -> BucketServer {
    BucketServer::builder()
        .keys(AwsKeys {
            access_key: ACCESS_KEY.to_owned(),
            secret_key: SECRET_KEY.to_owned(),
        })
        .build()
        .expect("bucket server")
}

/// `run --target ENDPOINT … --format json` on `paths`, in both browsers.
async fn run_target(paths: &[String], endpoint: &str, access: &str, secret: &str) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .arg("run")
        .args(paths)
        .args(["--target", endpoint, "--access-key", access])
        .args(["--secret-key", secret, "--format", "json", "--jobs", "2"])
        .args(["--browser", "chrome,firefox", "--no-report"])
        .output()
        .await
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn count(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

/// What every browser stage must satisfy: one run per case and browser, each with a verdict,
/// each answered by the target, and both browsers reporting a version.
fn check_stage_complete(document: &Value, cases: usize) -> &Value {
    let stage = &document["browser_stage"];
    let summary = &stage["summary"];
    assert_eq!(count(&summary["runs"]), 2 * cases as u64, "{document:#}");
    assert_eq!(count(&summary["infrastructure_errors"]), 0, "{document:#}");
    assert_eq!(
        count(&summary["agree"]) + count(&summary["disagree"]),
        count(&summary["runs"]),
        "{document:#}"
    );
    let browsers: Vec<&str> = summary["browsers"]
        .as_array()
        .expect("browsers")
        .iter()
        .filter_map(|b| b["browser"].as_str())
        .collect();
    assert_eq!(browsers, ["chrome", "firefox"], "{document:#}");
    for run in stage["runs"].as_array().expect("runs") {
        // Every case's first request goes to the bucket, so the target answered something.
        assert!(count(&run["exchanges"]) > 0, "nothing forwarded: {run:#}");
        assert!(run["error"].is_null(), "{run:#}");
        assert!(run["cleanup_error"].is_null(), "{run:#}");
    }
    assert_eq!(document["leftover_buckets"], serde_json::json!([]));
    stage
}

async fn assert_no_bucket_left(endpoint: &str, access: &str, secret: &str) {
    let target = ExternalTarget::new(endpoint, access, secret, "us-east-1", Addressing::Path)
        .expect("valid endpoint");
    let client = S3Client::new(target).expect("client");
    let buckets = client.list_buckets().await.expect("ListBuckets");
    assert!(buckets.is_empty(), "buckets left behind: {buckets:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_agree_with_the_engine_against_the_projects_bucket_server() {
    let endpoint = format!("http://{}", serve(bucket_server().router()).await);
    let output = run_target(&case_paths(&CASES), &endpoint, ACCESS_KEY, SECRET_KEY).await;
    let document = json(&output);
    assert_eq!(output.status.code(), Some(0), "{document:#}");
    assert_eq!(count(&document["summary"]["deviations"]), 0, "{document:#}");
    let stage = check_stage_complete(&document, CASES.len());
    assert_eq!(count(&stage["summary"]["disagree"]), 0, "{document:#}");

    // The blocked preflight really reached the target: its OPTIONS was answered 403 there.
    let put_not_allowed: Vec<&Value> = stage["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .filter(|run| {
            run["case_id"]
                .as_str()
                .unwrap_or("")
                .ends_with("put-not-allowed")
        })
        .collect();
    assert_eq!(put_not_allowed.len(), 2, "{document:#}");
    for run in put_not_allowed {
        assert_eq!(run["verdict"], "agree", "{run:#}");
        assert_eq!(
            count(&run["exchanges"]),
            1,
            "only the refused preflight: {run:#}"
        );
    }
    assert_no_bucket_left(&endpoint, ACCESS_KEY, SECRET_KEY).await;
}

/// Adds `Access-Control-Allow-Origin: *` to every answer, as some emulators do.
async fn always_star(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deviating_server_is_a_server_finding_not_a_browser_disagreement() {
    let router = bucket_server()
        .router()
        .layer(middleware::from_fn(always_star));
    let endpoint = format!("http://{}", serve(router).await);
    let cases = [
        "s3/preflight/put-not-allowed.toml",
        "s3/origin/no-cors-configuration.toml",
        "s3/matching/glob-subdomain.toml",
    ];
    let output = run_target(&case_paths(&cases), &endpoint, ACCESS_KEY, SECRET_KEY).await;
    let document = json(&output);
    // docs/facts/s3.md §3.2/§3.3: `*` where S3 echoes the origin or sends nothing is a deviation.
    assert_eq!(output.status.code(), Some(1), "{document:#}");
    assert!(
        count(&document["summary"]["deviations"]) > 0,
        "{document:#}"
    );
    let stage = check_stage_complete(&document, cases.len());
    // The engine predicts from the `*` answers the browsers really got, so they agree with it.
    assert_eq!(count(&stage["summary"]["disagree"]), 0, "{document:#}");
    // With `*` on a bucket without configuration, the GET the browser blocks on S3 is allowed.
    let no_config = stage["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|run| {
            run["case_id"]
                .as_str()
                .unwrap_or("")
                .ends_with("no-cors-configuration")
        })
        .expect("the no-configuration run");
    assert_eq!(no_config["verdict"], "agree", "{no_config:#}");
    assert_no_bucket_left(&endpoint, ACCESS_KEY, SECRET_KEY).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3rver_browser_stage_completes_and_accounts_for_every_run() {
    let (mut server, port) = start_s3rver();
    let endpoint = format!("http://127.0.0.1:{port}");
    // s3rver's built-in account.
    let client = S3Client::new(
        ExternalTarget::new(&endpoint, "S3RVER", "S3RVER", "us-east-1", Addressing::Path)
            .expect("valid endpoint"),
    )
    .expect("client");
    wait_until_ready(&client, &mut server, "s3rver").await;

    let cases = [
        "s3/preflight/put-not-allowed.toml",
        "s3/preflight/max-age-cache.toml",
        "classic/upload-put-then-get.toml",
        "s3/expose/etag-exposed.toml",
        "s3/origin/no-cors-configuration.toml",
    ];
    let output = run_target(&case_paths(&cases), &endpoint, "S3RVER", "S3RVER").await;
    let document = json(&output);
    // s3rver deviates from S3 (docs/external-targets.md); whether a browser disagrees is what
    // the stage finds out, so both 0 and 1 are valid — 2 (infrastructure) is not.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {document:#}",
        output.status.code()
    );
    assert!(
        count(&document["summary"]["deviations"]) > 0,
        "{document:#}"
    );
    check_stage_complete(&document, cases.len());
    assert_no_bucket_left(&endpoint, "S3RVER", "S3RVER").await;
}

/// Tells `seen` when the first request from a browser (its `User-Agent`, which the forwarder
/// passes on; the probe sends none) reaches the server.
async fn notify_on_browser_traffic(
    State(seen): State<Arc<tokio::sync::Notify>>,
    request: Request,
    next: Next,
) -> Response {
    let from_browser = request
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|agent| agent.contains("Mozilla"));
    if from_browser {
        seen.notify_one();
    }
    next.run(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_in_the_browser_stage_deletes_every_bucket_and_exits_2() {
    let seen = Arc::new(tokio::sync::Notify::new());
    let router = bucket_server()
        .router()
        .layer(middleware::from_fn_with_state(
            Arc::clone(&seen),
            notify_on_browser_traffic,
        ));
    let endpoint = format!("http://{}", serve(router).await);
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases/s3");
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .arg("run")
        .arg(&cases)
        .args(["--target", &endpoint, "--access-key", ACCESS_KEY])
        .args(["--secret-key", SECRET_KEY, "--jobs", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = child.id().expect("running");
    tokio::time::timeout(Duration::from_secs(120), seen.notified())
        .await
        .expect("browser traffic reached the target within 120 s");
    // A few runs in flight, some buckets created and not yet deleted.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let interrupted = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());

    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the harness stops within 60 s of Ctrl-C")
        .expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_no_bucket_left(&endpoint, ACCESS_KEY, SECRET_KEY).await;
}
