//! A page that never yields (a `<script>` whose body loops forever) blocks the page's timers and
//! the driver's script timeout with them. `cors-harness run` must still finish: the case's session
//! is killed, the case is retried once in a fresh one and then reported as an infrastructure
//! error (exit 2), and the next case runs and agrees.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/never-yields")
}

#[test]
fn a_page_that_never_yields_is_an_infrastructure_error_and_the_run_goes_on() {
    let reports = tempfile::tempdir().unwrap();
    let started = Instant::now();
    // Two attempts of about 36 s each (the case's script timeout plus the grace) and the next
    // case; without a deadline on the WebDriver call the run would never end, so the test
    // would hang rather than fail: bound it from outside.
    let output = Command::new("timeout")
        .args(["--kill-after=10", "300"])
        .arg(env!("CARGO_BIN_EXE_cors-harness"))
        .args([
            "run",
            "--browser",
            "chrome",
            "--jobs",
            "1",
            "--format",
            "json",
        ])
        .arg("--report-dir")
        .arg(reports.path())
        .arg(fixtures())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(
        output.status.code(),
        Some(124),
        "the run hung; stderr: {stderr}"
    );
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(elapsed < Duration::from_secs(240), "{elapsed:?}");
    assert!(reports.path().join("report.json").is_file(), "{stderr}");

    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cases = report["cases"].as_array().unwrap();
    let verdict = |id: &str| {
        let case = cases
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no case {id}: {report:#}"));
        case["browsers"][0].clone()
    };
    let stuck = verdict("a-script-never-yields");
    assert_eq!(stuck["verdict"], "infrastructure-error", "{stuck:#}");
    assert_eq!(stuck["attempts"], 2, "{stuck:#}");
    let error = stuck["infrastructure_error"].as_str().unwrap();
    assert!(error.contains("stopped answering WebDriver"), "{error}");
    let normal = verdict("b-allowed");
    assert_eq!(normal["verdict"], "agree", "{normal:#}");
}
