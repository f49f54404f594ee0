use cors_engine::Browser;
use cors_reports::baseline::{Change, compare, load_baseline};
use cors_reports::{RunReport, Verdict, update_baseline};
use rstest::rstest;

use crate::sample::{AGREE_CASE, DIVERGE_CASE, case_mut, load_error_case, sample};

fn set_verdict(report: &mut RunReport, id: &str, browser: Browser, verdict: Verdict) {
    let case = case_mut(report, id);
    case.browsers
        .iter_mut()
        .find(|b| b.browser == browser)
        .unwrap()
        .verdict = verdict;
}

fn change_of(diff: &cors_reports::BaselineDiff, id: &str, browser: Browser) -> Change {
    diff.entries
        .iter()
        .find(|e| e.case_id == id && e.browser == browser)
        .unwrap_or_else(|| panic!("{id} [{browser}] classified"))
        .change
}

#[test]
fn an_unchanged_run_has_no_regressions() {
    let diff = compare(&sample(), &sample());
    assert!(!diff.has_regressions());
    assert_eq!(diff.entries.len(), 8);
    assert!(
        diff.entries
            .iter()
            .all(|e| e.change == Change::Unchanged && !e.browser_version_changed)
    );
    assert!(diff.browser_versions.is_empty());
}

#[test]
fn a_changed_prediction_that_now_diverges_is_a_regression() {
    let baseline = sample();
    let mut current = sample();
    // The engine now predicts `blocked` for the GET that Chrome lets through.
    let case = case_mut(&mut current, AGREE_CASE);
    let chrome = case
        .browsers
        .iter_mut()
        .find(|b| b.browser == Browser::Chrome)
        .unwrap();
    let request = &mut chrome.requests[0];
    request.predicted.outcome = cors_engine::Outcome::Blocked;
    request.differences = request
        .predicted
        .differences(request.observed.as_ref().unwrap());
    request.agree = false;
    chrome.verdict = Verdict::Diverge;

    let diff = compare(&baseline, &current);
    assert!(diff.has_regressions());
    assert_eq!(
        change_of(&diff, AGREE_CASE, Browser::Chrome),
        Change::Regression
    );
    assert_eq!(
        change_of(&diff, AGREE_CASE, Browser::Firefox),
        Change::Unchanged
    );
    assert_eq!(diff.count(Change::Regression), 1);
}

// Verdict pairs and how they are classified: a regression is only "agreed before, wrong now";
// infrastructure trouble is never a CORS regression.
#[rstest]
#[case::agree_to_diverge(Verdict::Agree, Verdict::Diverge, Change::Regression)]
#[case::agree_to_expectation_failed(Verdict::Agree, Verdict::ExpectationFailed, Change::Regression)]
#[case::diverge_to_agree(Verdict::Diverge, Verdict::Agree, Change::Fixed)]
#[case::infrastructure_to_agree(Verdict::InfrastructureError, Verdict::Agree, Change::Fixed)]
#[case::agree_to_infrastructure(Verdict::Agree, Verdict::InfrastructureError, Change::Changed)]
#[case::diverge_to_expectation_failed(
    Verdict::Diverge,
    Verdict::ExpectationFailed,
    Change::Changed
)]
#[case::diverge_stays(Verdict::Diverge, Verdict::Diverge, Change::Unchanged)]
fn verdict_changes_are_classified(
    #[case] before: Verdict,
    #[case] now: Verdict,
    #[case] expected: Change,
) {
    let mut baseline = sample();
    let mut current = sample();
    set_verdict(&mut baseline, AGREE_CASE, Browser::Firefox, before);
    set_verdict(&mut current, AGREE_CASE, Browser::Firefox, now);
    let diff = compare(&baseline, &current);
    assert_eq!(change_of(&diff, AGREE_CASE, Browser::Firefox), expected);
    assert_eq!(diff.has_regressions(), expected == Change::Regression);
}

#[test]
fn new_and_removed_cases_are_classified() {
    let baseline = sample();
    let mut current = sample();
    current.cases.retain(|c| c.id != DIVERGE_CASE);
    current.cases.push(load_error_case("s3/new/added-case"));
    let diff = compare(&baseline, &current);
    assert_eq!(
        change_of(&diff, DIVERGE_CASE, Browser::Chrome),
        Change::Removed
    );
    assert_eq!(
        change_of(&diff, DIVERGE_CASE, Browser::Firefox),
        Change::Removed
    );
    assert_eq!(
        change_of(&diff, "s3/new/added-case", Browser::Chrome),
        Change::New
    );
    assert_eq!(diff.count(Change::New), 2);
    assert_eq!(diff.count(Change::Removed), 2);
    assert!(!diff.has_regressions());
    let removed = diff
        .entries
        .iter()
        .find(|e| e.change == Change::Removed)
        .unwrap();
    assert_eq!(
        (removed.baseline, removed.current),
        (Some(Verdict::Diverge), None)
    );
}

#[test]
fn a_new_browser_version_is_flagged_on_every_entry_of_that_browser() {
    let baseline = sample();
    let mut current = sample();
    current.browsers[0].version = "143.0.7499.4".into();
    let diff = compare(&baseline, &current);
    assert_eq!(diff.browser_versions.len(), 1);
    assert_eq!(diff.browser_versions[0].baseline, "142.0.7444.175");
    for entry in &diff.entries {
        assert_eq!(
            entry.browser_version_changed,
            entry.browser == Browser::Chrome
        );
        assert_eq!(
            entry.change,
            Change::Unchanged,
            "a version flag is not a class of its own"
        );
    }
}

#[test]
fn renderers_name_regressions() {
    let baseline = sample();
    let mut current = sample();
    set_verdict(&mut current, AGREE_CASE, Browser::Chrome, Verdict::Diverge);
    current.browsers[1].version = "141.0esr".into();
    let diff = compare(&baseline, &current);

    let terminal = cors_reports::terminal::baseline(&diff, false);
    assert!(
        terminal.contains(&format!(
            "REGRESSION  {AGREE_CASE}  [chrome]  agree -> diverge"
        )),
        "{terminal}"
    );
    assert!(terminal.contains("BROWSER VERSION  firefox 140.5.0esr -> 141.0esr"));
    assert!(
        terminal.ends_with("baseline: 1 regression, 7 unchanged\n"),
        "{terminal}"
    );

    let markdown = cors_reports::markdown::baseline(&diff);
    assert!(markdown.starts_with("### Baseline: 1 regression, 7 unchanged"));
    assert!(
        markdown.contains(&format!(
            "| regression | <code>{AGREE_CASE}</code> | chrome | agree -&gt; diverge |  |"
        )),
        "{markdown}"
    );
}

#[test]
fn update_baseline_writes_a_report_load_baseline_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    update_baseline(&path, &sample()).unwrap();
    update_baseline(&path, &sample()).unwrap();
    assert_eq!(load_baseline(&path).unwrap(), sample());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    assert!(load_baseline(&dir.path().join("missing.json")).is_err());
}
