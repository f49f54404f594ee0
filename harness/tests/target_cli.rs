//! `cors-harness run --target …` end to end: exit codes 0/1/2 (docs/cli.md), the JSON document,
//! and the report files — against the project's bucket server (S3-faithful) and a deliberately
//! deviating copy of it. The faithful run includes the browser stage (real browsers); the others
//! use `--probe-only`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Output;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use cors_servers::bucket::{AwsKeys, BucketServer};

const ACCESS_KEY: &str = "cli-access";
const SECRET_KEY: &str = "cli-secret";

fn cases_dir(sub: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cases")
        .join(sub)
        .display()
        .to_string()
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

/// Adds `Access-Control-Allow-Origin: *` to every answer, as some emulators do.
async fn always_star(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

async fn run_cli(args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .arg("run")
        .args(args)
        .output()
        .await
        .expect("the binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faithful_target_exits_0_with_a_clean_json_document_and_report_files() {
    let addr = serve(bucket_server().router()).await;
    let reports = tempfile::tempdir().expect("temporary directory");
    let endpoint = format!("http://{addr}");
    let output = run_cli(&[
        &cases_dir("s3/preflight"),
        "--target",
        &endpoint,
        "--access-key",
        ACCESS_KEY,
        "--secret-key",
        SECRET_KEY,
        "--format",
        "json",
        "--report-dir",
        &reports.path().display().to_string(),
    ])
    .await;
    let document = json(&output);
    assert_eq!(output.status.code(), Some(0), "{document:#}");
    assert_eq!(document["schema_version"], 1);
    assert_eq!(document["summary"]["deviations"], 0);
    assert_eq!(document["leftover_buckets"], serde_json::json!([]));
    let probed = document["summary"]["cases_probed"].as_u64().unwrap_or(0);
    assert!(probed > 0, "{document:#}");
    assert_eq!(document["summary"]["cases_matching"].as_u64(), Some(probed));
    // Every case of the folder runs in both browsers and agrees with the engine.
    let stage = &document["browser_stage"]["summary"];
    assert_eq!(stage["runs"].as_u64(), Some(2 * probed), "{document:#}");
    assert_eq!(stage["agree"].as_u64(), Some(2 * probed), "{document:#}");
    assert!(reports.path().join("target-report.json").is_file());
    let markdown = std::fs::read_to_string(reports.path().join("target-report.md")).expect("md");
    assert!(markdown.contains("match S3 exactly"), "{markdown}");
    let runs = 2 * probed;
    let stage_line = format!("{runs} case-browser runs: {runs} agree with the engine");
    assert!(markdown.contains(&stage_line), "{markdown}");
    let html = std::fs::read_to_string(reports.path().join("target-report.html")).expect("html");
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        html.contains(&format!(
            "{probed} cases probed, <strong>{probed} match S3 exactly"
        )),
        "{html}"
    );
    assert!(html.contains(&stage_line), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deviating_target_exits_1_and_names_the_deviation() {
    let router = bucket_server()
        .router()
        .layer(middleware::from_fn(always_star));
    let addr = serve(router).await;
    let endpoint = format!("http://{addr}");
    let output = run_cli(&[
        &cases_dir("s3/preflight"),
        "--target",
        &endpoint,
        "--access-key",
        ACCESS_KEY,
        "--secret-key",
        SECRET_KEY,
        "--format",
        "json",
        "--probe-only",
        "--no-report",
    ])
    .await;
    let document = json(&output);
    assert_eq!(output.status.code(), Some(1), "{document:#}");
    assert!(document.get("browser_stage").is_none(), "{document:#}");
    let kinds: Vec<&str> = document["summary"]["by_kind"]
        .as_array()
        .expect("by_kind")
        .iter()
        .filter_map(|k| k["kind"].as_str())
        .collect();
    // docs/facts/s3.md §3.2: an echoed origin where the target says `*` (header-value), and §3.3:
    // a refused preflight carries no CORS header at all (header-extra).
    assert!(kinds.contains(&"header-value"), "{kinds:?}");
    assert!(kinds.contains(&"header-extra"), "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_target_or_missing_credentials_exit_2() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let endpoint = format!("http://127.0.0.1:{closed_port}");
    let cases = cases_dir("s3/preflight");
    let unreachable = run_cli(&[
        &cases,
        "--target",
        &endpoint,
        "--access-key",
        "k",
        "--secret-key",
        "s",
        "--no-report",
    ])
    .await;
    assert_eq!(unreachable.status.code(), Some(2));
    let text = String::from_utf8_lossy(&unreachable.stdout);
    assert!(text.contains("cannot reach the target"), "{text}");
    // No browser starts for a target the probe could not use at all.
    assert!(!text.contains("browser stage"), "{text}");
    let errors = String::from_utf8_lossy(&unreachable.stderr);
    assert!(errors.contains("the browser stage is skipped"), "{errors}");

    let no_secret = run_cli(&[&cases, "--target", &endpoint, "--access-key", "k"]).await;
    assert_eq!(no_secret.status.code(), Some(2));
    let error = String::from_utf8_lossy(&no_secret.stderr);
    assert!(error.contains("--secret-key"), "{error}");
}
