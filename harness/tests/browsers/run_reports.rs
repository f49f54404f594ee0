//! `cors-harness run` writes its report files and compares with a baseline, end to end: the built
//! binary, real Chrome, and a two-case corpus written into a temporary folder.

use std::path::Path;
use std::process::{Command, Output};

use quick_xml::events::Event;

/// An allowed GET: the server names the page's origin.
const ALLOWED_CASE: &str = r#"title = "GET with a matching Access-Control-Allow-Origin"
page = "http://app.test"
browsers = ["chrome"]

[server]
origin = "http://api.test"
response = { status = 200, headers = { "Access-Control-Allow-Origin" = "http://app.test" }, body = "ok" }

[[request]]
url = "/data"
expect = { outcome = "allowed" }
"#;

/// A blocked GET: the server sends no Access-Control-Allow-Origin at all.
const BLOCKED_CASE: &str = r#"title = "GET without Access-Control-Allow-Origin"
page = "http://app.test"
browsers = ["chrome"]

[server]
origin = "http://api.test"
response = { status = 200, body = "ok" }

[[request]]
url = "/data"
expect = { outcome = "blocked" }
"#;

/// Writes the corpus: the root marker and both cases, with ids `allowed` and `blocked`.
fn write_corpus(dir: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cases/case.schema.json");
    std::fs::copy(schema, dir.join("case.schema.json")).unwrap();
    std::fs::write(dir.join("allowed.toml"), ALLOWED_CASE).unwrap();
    std::fs::write(dir.join("blocked.toml"), BLOCKED_CASE).unwrap();
}

/// Runs the harness on `cases` in Chrome with one session, plus `extra` arguments.
fn run_harness(cases: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .args(["run", "--browser", "chrome", "--jobs", "1"])
        .args(extra)
        .arg(cases)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The `tests` and `failures` attributes of the `<testsuite>` element, and how many
/// `<testcase>` elements the document holds; panics when the XML does not parse.
fn junit_counts(xml: &str) -> (String, String, usize) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut tests, mut failures, mut testcases) = (None, None, 0);
    loop {
        match reader.read_event().expect("junit.xml is well-formed XML") {
            Event::Start(element) | Event::Empty(element) => match element.name().into_inner() {
                "testsuite" => {
                    for attribute in element.attributes() {
                        let attribute = attribute.expect("well-formed attribute");
                        // Counts are plain digits: nothing to unescape.
                        let value = attribute.value.into_owned();
                        match attribute.key.into_inner() {
                            "tests" => tests = Some(value),
                            "failures" => failures = Some(value),
                            _ => {}
                        }
                    }
                }
                "testcase" => testcases += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (
        tests.expect("<testsuite tests=…>"),
        failures.expect("<testsuite failures=…>"),
        testcases,
    )
}

#[test]
fn run_writes_every_report_file_into_the_report_dir() {
    let cases = tempfile::tempdir().unwrap();
    write_corpus(cases.path());
    let reports = tempfile::tempdir().unwrap();
    let report_dir = reports.path().join("nested/report");

    let output = run_harness(
        cases.path(),
        &["--report-dir", report_dir.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("reports written to {}", report_dir.display())),
        "{}",
        describe(&output)
    );

    for name in ["report.json", "junit.xml", "report.html", "summary.md"] {
        let path = report_dir.join(name);
        let size = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{} missing: {e}", path.display()))
            .len();
        assert!(size > 0, "{} is empty", path.display());
    }

    let junit = std::fs::read_to_string(report_dir.join("junit.xml")).unwrap();
    assert_eq!(
        junit_counts(&junit),
        ("2".to_string(), "0".to_string(), 2),
        "{junit}"
    );

    let json = std::fs::read_to_string(report_dir.join("report.json")).unwrap();
    let report = cors_reports::from_json(&json).unwrap();
    let ids: Vec<&str> = report.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["allowed", "blocked"]);
    assert!(
        report
            .cases
            .iter()
            .all(|c| c.browsers.len() == 1 && c.browsers[0].verdict == cors_reports::Verdict::Agree),
        "{json}"
    );

    // No temporary file is left behind by the atomic writes.
    let mut names: Vec<String> = std::fs::read_dir(&report_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["junit.xml", "report.html", "report.json", "summary.md"]
    );
}

#[test]
fn a_wrong_expectation_is_a_regression_against_the_baseline() {
    let cases = tempfile::tempdir().unwrap();
    write_corpus(cases.path());
    let work = tempfile::tempdir().unwrap();
    let baseline = work.path().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();

    // First run records the baseline.
    let recorded = run_harness(
        cases.path(),
        &[
            "--no-report",
            "--baseline",
            baseline_arg,
            "--update-baseline",
        ],
    );
    assert_eq!(recorded.status.code(), Some(0), "{}", describe(&recorded));
    let stored = cors_reports::load_baseline(&baseline).unwrap();
    assert_eq!(stored.cases.len(), 2);
    assert!(
        !String::from_utf8_lossy(&recorded.stderr).contains("reports written to"),
        "--no-report writes nothing: {}",
        describe(&recorded)
    );

    // Same corpus, same browser: nothing moved.
    let unchanged = run_harness(cases.path(), &["--no-report", "--baseline", baseline_arg]);
    let stdout = String::from_utf8_lossy(&unchanged.stdout);
    assert_eq!(unchanged.status.code(), Some(0), "{}", describe(&unchanged));
    assert!(
        stdout.contains("baseline: 0 regressions"),
        "{}",
        describe(&unchanged)
    );
    assert!(!stdout.contains("REGRESSION"), "{}", describe(&unchanged));

    // The allowed request now claims to be blocked: prediction and browser still agree, the
    // expectation fails, and that case got worse than the baseline.
    std::fs::write(
        cases.path().join("allowed.toml"),
        ALLOWED_CASE.replace(
            r#"expect = { outcome = "allowed" }"#,
            r#"expect = { outcome = "blocked" }"#,
        ),
    )
    .unwrap();
    let regressed = run_harness(cases.path(), &["--no-report", "--baseline", baseline_arg]);
    let stdout = String::from_utf8_lossy(&regressed.stdout);
    assert_eq!(regressed.status.code(), Some(1), "{}", describe(&regressed));
    let regression_line = stdout
        .lines()
        .find(|line| line.starts_with("REGRESSION"))
        .unwrap_or_else(|| panic!("no REGRESSION line: {}", describe(&regressed)));
    assert!(
        regression_line.contains("allowed")
            && regression_line.contains("[chrome]")
            && regression_line.contains("agree -> expectation-failed"),
        "{regression_line}"
    );
    assert!(
        stdout.contains("baseline: 1 regression,"),
        "{}",
        describe(&regressed)
    );
    // The blocked case did not move.
    assert!(
        !stdout
            .lines()
            .any(|l| l.contains("blocked") && l.starts_with("REGRESSION")),
        "{}",
        describe(&regressed)
    );
}
