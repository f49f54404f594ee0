use cors_reports::markdown::summary;

use crate::sample::{AGREE_CASE, DIVERGE_CASE, INFRA_CASE, case_mut, sample};

#[test]
fn totals_table_has_a_row_per_browser() {
    let md = summary(&sample());
    assert!(md.contains("| browser | version | agree | diverge | expectation failed | infrastructure error | load error | time |"));
    assert!(
        md.contains("| chrome | 142.0.7444.175 | 3 | 1 | 0 | 0 | 0 | 6.1 s |"),
        "{md}"
    );
    assert!(
        md.contains("| firefox | 140.5.0esr | 2 | 0 | 1 | 1 | 0 | 7.9 s |"),
        "{md}"
    );
}

#[test]
fn divergences_are_folded_with_fields_and_explanation() {
    let md = summary(&sample());
    let start = md.find("<details>").expect("a details block");
    let block = &md[start..md.find("</details>").unwrap()];
    assert!(
        block.contains(&format!(
            "<summary><code>{DIVERGE_CASE}</code> in chrome: outcome, status</summary>"
        )),
        "{block}"
    );
    assert!(
        block.contains("| <code>outcome</code> | <code>blocked</code> | <code>allowed</code> |"),
        "{block}"
    );
    assert!(block.contains("```text\n"));
    assert!(block.contains("PUT is not in Access-Control-Allow-Methods: GET"));
    assert_eq!(
        md.matches("<details>").count(),
        1,
        "only divergences are folded"
    );
}

#[test]
fn expectation_failures_and_infrastructure_errors_are_listed() {
    let md = summary(&sample());
    assert!(md.contains("### Expectation failures (1)"));
    assert!(md.contains("### Infrastructure errors (1)"));
    assert!(md.contains(&format!(
        "- <code>{INFRA_CASE}</code> in firefox: geckodriver"
    )));
}

#[test]
fn case_text_cannot_break_the_markdown() {
    let mut report = sample();
    case_mut(&mut report, DIVERGE_CASE).title = "a | b <img src=x onerror=alert(1)>".into();
    case_mut(&mut report, AGREE_CASE).id = "weird|id".into();
    let md = summary(&report);
    assert!(!md.contains("<img"));
    assert!(md.contains("a \\| b &lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn many_divergences_are_capped_and_counted() {
    let mut report = sample();
    let diverging = case_mut(&mut report, DIVERGE_CASE).clone();
    for i in 0..60 {
        let mut copy = diverging.clone();
        copy.id = format!("{DIVERGE_CASE}-{i}");
        report.cases.push(copy);
    }
    let md = summary(&report);
    assert!(md.contains("### Divergences (61)"));
    assert_eq!(md.matches("<details>").count(), 40);
    assert!(md.contains("…and 21 more divergences"));
}
