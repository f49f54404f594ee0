//! The built `cors-harness` binary: predict (human and JSON), explain, lint on the explainer
//! articles' configurations, list, and the exit codes of docs/cli.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rstest::rstest;
use serde_json::Value;

use crate::support::repo_root;

fn lint_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors-harness"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

#[test]
fn predict_json_has_the_documented_shape() {
    let output = run(&[
        "predict",
        "cases/s3/origin/trailing-slash.toml",
        "cases/s3/expose/etag-exposed.toml",
        "--format",
        "json",
    ]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(document["schema_version"], 1);
    let cases = document["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    // Sorted by id: s3/expose/... before s3/origin/...
    assert_eq!(cases[0]["id"], "s3/expose/etag-exposed");
    let trailing = &cases[1];
    assert_eq!(trailing["id"], "s3/origin/trailing-slash");
    assert_eq!(trailing["target"]["type"], "bucket");
    assert_eq!(trailing["config"]["present"], true);
    let browsers = trailing["browsers"].as_array().unwrap();
    assert_eq!(browsers.len(), 2);
    assert_eq!(browsers[0]["browser"], "chrome");
    let request = &browsers[0]["requests"][0];
    assert_eq!(request["predicted"]["outcome"], "blocked");
    assert_eq!(request["predicted"]["preflight"], false);
    assert_eq!(
        request["predicted"]["reason"]["code"],
        "allow-origin-missing"
    );
    assert!(
        request["predicted"]["reason"]["console"]
            .as_str()
            .unwrap()
            .contains("blocked by CORS policy")
    );
    assert!(!request["trace"].as_array().unwrap().is_empty());
    assert_eq!(request["expectation_failures"], Value::Array(vec![]));
    assert_eq!(
        request["url"],
        "https://assets.s3.amazonaws.com/data/report.json"
    );
    let etag = &cases[0]["browsers"][1]["requests"][0]["predicted"]["readable"]["etag"];
    assert!(etag.as_str().is_some_and(|v| v.starts_with('"')), "{etag}");
    assert_eq!(document["summary"]["broken"], 0);
}

#[test]
fn predict_human_prints_outcome_wire_and_console() {
    let output = run(&[
        "predict",
        "cases/s3/preflight/put-not-allowed.toml",
        "--browser",
        "firefox",
    ]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.contains("firefox:"), "{text}");
    assert!(!text.contains("chrome:"), "{text}");
    assert!(text.contains("BLOCKED, preflight: yes"), "{text}");
    assert!(
        text.contains("wire: OPTIONS https://uploads.s3.amazonaws.com/incoming/photo.png → 403"),
        "{text}"
    );
    assert!(text.contains("Cross-Origin Request Blocked"), "{text}");
}

#[test]
fn a_failed_expectation_exits_1_and_a_broken_case_exits_2_without_hiding_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good =
        std::fs::read_to_string(repo_root().join("cases/s3/origin/trailing-slash.toml")).unwrap();
    std::fs::write(
        dir.path().join("a-wrong.toml"),
        good.replace("outcome = \"blocked\"", "outcome = \"allowed\""),
    )
    .unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let output = run(&["predict", dir_arg]);
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output)
            .contains("EXPECTATION FAILED: outcome: expected \"allowed\", got \"blocked\""),
        "{}",
        stdout(&output)
    );

    std::fs::write(
        dir.path().join("b-broken.toml"),
        "title = \"t\"\nnope = 1\n",
    )
    .unwrap();
    let output = run(&["predict", dir_arg, "--format", "json"]);
    assert_eq!(code(&output), 2);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cases = document["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert!(
        cases[0]["browsers"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    );
    assert_eq!(cases[1]["error"]["line"], 2);
    assert_eq!(cases[1]["error"]["key"], "nope");
}

#[test]
fn explain_walks_through_the_rules_and_prints_both_consoles() {
    let output = run(&["explain", "cases/s3/origin/trailing-slash.toml"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(
        text.contains("rule 1: origins [\"https://app.example.com/\"]"),
        "{text}"
    );
    assert!(text.contains("request #1"), "{text}");
    assert!(text.contains("[FAIL]"), "{text}");
    assert!(text.contains("chrome logs: Access to fetch at"), "{text}");
    assert!(
        text.contains("firefox logs: Cross-Origin Request Blocked"),
        "{text}"
    );
}

#[test]
fn explain_reports_a_refused_configuration() {
    let output = run(&[
        "explain",
        "cases/s3/config-rejected/options-method.toml",
        "--browser",
        "chrome",
    ]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(
        text.contains("S3 refuses the configuration with 400 InvalidRequest"),
        "{text}"
    );
    assert!(text.contains("Unsupported method is OPTIONS"), "{text}");
    assert!(!text.contains("firefox logs"), "{text}");
}

#[test]
fn explain_of_a_broken_case_exits_2_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "title = \"t\"\npage = \"https://a.example.com\"\n[bucket]\nname = \"b\"\n[[request]]\nurl = \"/x\"\nkind = \"iframe\"\n").unwrap();
    let output = run(&["explain", path.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.toml:7"), "{stderr}");
    assert!(stderr.contains("request[0].kind"), "{stderr}");
}

// Each row is a configuration from the S3 CORS explainer articles the seed cases cite, and the mistake
// it carries.
#[rstest]
#[case::netflix_put_without_etag("netflix-get-post-put.json", &[], 1, &["etag-not-exposed"], true)]
#[case::options_tip_is_refused_by_s3("options-for-preflight.json", &[], 1, &["options-method"], false)]
#[case::website_origin_trailing_slash("website-trailing-slash.json", &[], 1, &["origin-trailing-slash"], true)]
#[case::allow_all_with_credentials("allow-all-origins.json", &["--credentials", "--page", "https://app.example.com"], 1, &["wildcard-origin-with-credentials"], true)]
#[case::allow_all_without_credentials_is_clean("allow-all-origins.json", &[], 0, &[], true)]
#[case::localhost_xml_is_clean("localhost-get-head.xml", &["--page", "http://localhost:8000"], 0, &[], true)]
#[case::localhost_xml_https_page("localhost-get-head.xml", &["--page", "https://localhost:8000"], 1, &["scheme-mismatch", "page-not-matched"], true)]
#[case::localhost_xml_other_port("localhost-get-head.xml", &["--page", "http://localhost:3000"], 1, &["port-mismatch", "page-not-matched"], true)]
#[case::first_match_wins("first-match-wins.json", &[], 1, &["shadowed-rule"], true)]
#[case::misc("misc-mistakes.json", &[], 1, &["multiple-wildcards", "origin-without-scheme", "origin-default-port", "expose-wildcard"], false)]
fn lint_flags_the_seed_mistakes(
    #[case] file: &str,
    #[case] extra: &[&str],
    #[case] exit: i32,
    #[case] codes: &[&str],
    #[case] s3_accepts: bool,
) {
    let path = lint_fixture(file);
    let mut args = vec!["lint", path.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert_eq!(code(&output), exit, "{}", stdout(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["s3_accepts"], s3_accepts, "{report:#}");
    let found: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for expected in codes {
        assert!(
            found.contains(expected),
            "{expected} missing from {found:?}"
        );
    }
    if codes.is_empty() {
        assert!(found.is_empty(), "{found:?}");
    }
}

#[test]
fn lint_human_output_names_rule_value_and_s3_error() {
    let path = lint_fixture("options-for-preflight.json");
    let output = run(&["lint", path.to_str().unwrap()]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("S3 refuses this configuration: 400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS"), "{text}");
    assert!(text.contains("error[options-method]: rule 1:"), "{text}");
}

#[test]
fn lint_of_a_config_that_does_not_parse_exits_2_with_its_line() {
    let path = lint_fixture("netflix-missing-bracket.json");
    let output = run(&["lint", path.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("netflix-missing-bracket.json:"), "{stderr}");
    let output = run(&["lint", "no/such/file.json"]);
    assert_eq!(code(&output), 2);
}

#[test]
fn list_groups_cases_by_folder() {
    let output = run(&["list"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("s3/origin/\n"), "{text}");
    assert!(text.contains("trailing-slash"), "{text}");
    assert!(
        text.contains("An AllowedOrigin with a trailing slash never matches"),
        "{text}"
    );
    assert!(text.contains("[s3, origin, seed-mistake]"), "{text}");

    let output = run(&["list", "--tag", "credentials"]);
    let text = stdout(&output);
    assert!(text.contains("wildcard-with-include"), "{text}");
    assert!(!text.contains("trailing-slash"), "{text}");
}

#[test]
fn list_shows_broken_cases_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "title = \"t\"\n[bucket]\nname = \"b\"\n",
    )
    .unwrap();
    let output = run(&["list", dir.path().to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).contains("BROKEN"), "{}", stdout(&output));
}

#[test]
fn help_teaches_with_examples() {
    for sub in [
        &["--help"][..],
        &["predict", "--help"],
        &["lint", "--help"],
        &["run", "--help"],
    ] {
        let output = run(sub);
        assert_eq!(code(&output), 0);
        assert!(stdout(&output).contains("Examples:"), "{sub:?}");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let output = run(&["predict"]);
    assert_eq!(code(&output), 2);
    let output = run(&["predict", "cases", "--browser", "safari"]);
    assert_eq!(code(&output), 2);
}
