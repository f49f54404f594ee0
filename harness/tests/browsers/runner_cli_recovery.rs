//! `cors-harness run` with Chrome killed in the middle of the run still ends with a complete
//! summary: every case has a result, the case that was running is retried in a fresh session,
//! and the exit code is not 2 (the retry succeeded). Ctrl-C in the middle of a run still writes
//! the report of the cases that finished.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CASE_COUNT: usize = 6;

/// A case of two allowed GETs to a literal-header server, the second after `wait_ms`.
fn case_toml(title: &str, wait_ms: u64) -> String {
    format!(
        r#"title = "{title}"
page = "http://app.test"

[server]
origin = "http://api.test"
response = {{ status = 200, headers = {{ "Access-Control-Allow-Origin" = "http://app.test" }}, body = "ok" }}

[[request]]
url = "/first"
expect = {{ outcome = "allowed" }}

[[request]]
url = "/second"
wait_ms = {wait_ms}
expect = {{ outcome = "allowed" }}
"#
    )
}

fn write_cases(dir: &Path) {
    for i in 0..CASE_COUNT {
        let text = case_toml(&format!("slow allowed GET {i}"), 700);
        std::fs::write(dir.join(format!("slow-{i}.toml")), text).unwrap();
    }
}

/// The parent pid of `pid`, from `/proc/<pid>/stat` (the field after the parenthesised name).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

fn descends_from(mut pid: u32, ancestor: u32) -> bool {
    for _ in 0..32 {
        match parent_of(pid) {
            Some(parent) if parent == ancestor => return true,
            Some(parent) if parent > 1 => pid = parent,
            _ => return false,
        }
    }
    false
}

/// The main Chromium process started (indirectly) by `ancestor`: the harness's profile dir, and
/// no `--type=` (which marks renderer, GPU and utility processes).
fn chrome_under(ancestor: u32) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline);
            let is_main = cmdline.contains("cors-harness-chrome-") && !cmdline.contains("--type=");
            (is_main && descends_from(pid, ancestor)).then_some(pid)
        })
}

/// The main Chromium process of the run `harness`, once it has started (at most a minute).
fn wait_for_chrome(harness: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(pid) = chrome_under(harness) {
            return pid;
        }
        assert!(Instant::now() < deadline, "no Chrome appeared");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn chrome_killed_during_a_run_still_gives_a_complete_report() {
    let cases = tempfile::tempdir().unwrap();
    write_cases(cases.path());
    let child = Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .args([
            "run",
            "--browser",
            "chrome",
            "--jobs",
            "1",
            "--format",
            "json",
        ])
        .arg(cases.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let harness = child.id();

    // Wait for the browser, let a case get going, then kill the browser.
    let chrome = wait_for_chrome(harness);
    std::thread::sleep(Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-KILL", &chrome.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());

    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), CASE_COUNT);
    let mut retried = 0;
    for case in cases {
        let chrome = &case["browsers"][0];
        assert_eq!(chrome["verdict"], "agree", "{case:#}");
        if chrome["attempts"] == 2 {
            retried += 1;
        }
    }
    assert_eq!(retried, 1, "exactly the case that was running is retried");
}

/// One quick case, then slow ones: after the quick one the run is busy for many seconds, so a
/// Ctrl-C a few seconds in lands between a finished case and unfinished ones.
fn write_interruptible_cases(dir: &Path, slow: usize) {
    std::fs::write(dir.join("a-quick.toml"), case_toml("quick allowed GET", 0)).unwrap();
    for i in 0..slow {
        let text = case_toml(&format!("slow allowed GET {i}"), 1500);
        std::fs::write(dir.join(format!("b-slow-{i}.toml")), text).unwrap();
    }
}

#[test]
fn ctrl_c_during_a_run_writes_the_report_of_the_finished_cases_and_exits_2() {
    const SLOW: usize = 10;
    let cases = tempfile::tempdir().unwrap();
    write_interruptible_cases(cases.path(), SLOW);
    let reports = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .args(["run", "--browser", "chrome", "--jobs", "1", "--report-dir"])
        .arg(reports.path())
        .arg(cases.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let harness = child.id();

    // Once Chrome is up, the quick case takes well under a second and the slow ones 1.5 s each.
    wait_for_chrome(harness);
    std::thread::sleep(Duration::from_secs(5));
    let pid = libc::pid_t::try_from(harness).unwrap();
    // SAFETY: `kill` only sends a signal; the pid is our own child, still waited for below.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);

    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    for name in ["report.json", "junit.xml", "report.html", "summary.md"] {
        assert!(reports.path().join(name).is_file(), "{name}: {stderr}");
    }
    let text = std::fs::read_to_string(reports.path().join("report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["interrupted"], true, "{report:#}");
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), SLOW + 1, "every selected case is listed");
    let verdicts: Vec<(&str, &str)> = cases
        .iter()
        .map(|c| {
            let chrome = &c["browsers"][0];
            (
                c["id"].as_str().unwrap(),
                chrome["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(verdicts[0], ("a-quick", "agree"), "{verdicts:?}");
    let not_run: Vec<&serde_json::Value> = cases
        .iter()
        .map(|c| &c["browsers"][0])
        .filter(|b| b["verdict"] == "infrastructure-error")
        .collect();
    assert!(
        !not_run.is_empty(),
        "the run was interrupted mid-way: {verdicts:?}"
    );
    for run in not_run {
        let error = run["infrastructure_error"].as_str().unwrap();
        assert!(error.contains("interrupted"), "{error}");
    }
    let summary = std::fs::read_to_string(reports.path().join("summary.md")).unwrap();
    assert!(summary.contains("interrupted"), "{summary}");
}
