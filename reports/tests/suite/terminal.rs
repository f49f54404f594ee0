use cors_reports::terminal::summary;

use crate::sample::{DIVERGE_CASE, EXPECTATION_CASE, INFRA_CASE, load_error_case, sample};

#[test]
fn final_line_counts_every_case_run() {
    let out = summary(&sample(), false);
    assert_eq!(
        out.lines().last().unwrap(),
        "cors-harness: 8 case-runs, 5 agree, 1 diverge, 1 expectation failure, 1 infrastructure error in 14.2 s"
    );
}

#[test]
fn browsers_are_listed_with_versions_counts_and_times() {
    let out = summary(&sample(), false);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "chrome   142.0.7444.175  4 case-runs, 3 agree, 1 diverge                                      6.1 s"
    );
    assert_eq!(
        lines.next().unwrap(),
        "firefox  140.5.0esr      4 case-runs, 2 agree, 1 expectation failure, 1 infrastructure error  7.9 s"
    );
}

#[test]
fn a_divergence_shows_fields_values_and_failing_steps() {
    let out = summary(&sample(), false);
    let start = out
        .find(&format!("DIVERGE  {DIVERGE_CASE}  [chrome]"))
        .expect("divergence heading");
    let block = &out[start..];
    assert!(
        block.contains("    outcome  predicted blocked, observed allowed\n"),
        "{block}"
    );
    assert!(
        block.contains("    status   predicted none, observed 200\n"),
        "{block}"
    );
    assert!(block.contains("engine's failing steps:"));
    assert!(block.contains("      browser PUT is not in Access-Control-Allow-Methods: GET\n"));
    // Passing steps are left out when some step failed.
    assert!(!block[..block.find("EXPECTATION").unwrap()].contains("rule 1 matches the preflight"));
}

#[test]
fn expectation_failures_infrastructure_and_load_errors_are_shown() {
    let mut report = sample();
    report.cases.push(load_error_case("broken/no-page-origin"));
    let out = summary(&report, false);
    assert!(out.contains(&format!(
        "EXPECTATION FAILED  {EXPECTATION_CASE}  [firefox]"
    )));
    assert!(out.contains("  request 1: expected readable.etag"));
    assert!(out.contains(&format!("INFRASTRUCTURE ERROR  {INFRA_CASE}  [firefox]")));
    assert!(out.contains("  geckodriver: session not created: Process unexpectedly closed with status signal (after 2 attempts)"));
    assert!(out.contains("LOAD ERROR  broken/no-page-origin  (cases/broken/no-page-origin.toml)"));
    assert!(out.trim_end().ends_with("2 load errors in 14.2 s"), "{out}");
}

#[test]
fn colour_is_optional() {
    assert!(!summary(&sample(), false).contains('\x1b'));
    let coloured = summary(&sample(), true);
    assert!(coloured.contains("\x1b[1;31mDIVERGE\x1b[0m"));
}

#[test]
fn an_agreeing_run_is_just_counts_and_the_final_line() {
    let mut report = sample();
    for case in &mut report.cases {
        for result in &mut case.browsers {
            result.verdict = cors_reports::Verdict::Agree;
        }
    }
    let out = summary(&report, false);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.ends_with("\ncors-harness: 8 case-runs, 8 agree in 14.2 s\n"),
        "{out}"
    );
}
