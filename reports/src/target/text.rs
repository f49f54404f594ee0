//! The target report for a terminal, and the lines every target rendering shares.

use std::fmt::Write as _;

use super::model::{BrowserStage, ServerDeviation, TargetReport};

/// The readable summary for a terminal.
pub fn render_text(report: &TargetReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "target {} ({} addressing, region {})",
        report.target.endpoint, report.target.addressing, report.target.region
    );
    let _ = writeln!(
        out,
        "{} cases probed, {} match S3 exactly, {} deviate, {} failed; {} exchanges, {} deviations",
        s.cases_probed,
        s.cases_matching,
        s.cases_deviating,
        s.cases_failed,
        s.exchanges,
        s.deviations
    );
    for kind in &s.by_kind {
        let _ = writeln!(
            out,
            "\n  {} — {} in {} case(s)",
            kind.kind.name(),
            kind.count,
            kind.cases
        );
        for example in &kind.examples {
            let _ = writeln!(out, "    {}", describe(example));
        }
    }
    for case in &report.cases {
        if let Some(error) = &case.error {
            let _ = writeln!(out, "\n  failed: {} — {error}", case.case_id);
        }
        if let Some(error) = &case.cleanup_error {
            let _ = writeln!(
                out,
                "\n  cleanup failed: {} ({}) — {error}",
                case.case_id, case.bucket
            );
        }
    }
    if let Some(stage) = &report.browser_stage {
        render_stage_text(&mut out, stage);
    }
    if !report.leftover_buckets.is_empty() {
        let _ = writeln!(
            out,
            "\n  buckets left on the target: {}",
            report.leftover_buckets.join(", ")
        );
    }
    out
}

/// `chrome 131.0, firefox 128.5` (or `no browser started`).
pub fn browser_versions(stage: &BrowserStage) -> String {
    if stage.summary.browsers.is_empty() {
        return "no browser started".to_owned();
    }
    stage
        .summary
        .browsers
        .iter()
        .map(|b| format!("{} {}", b.browser, b.version))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The browser stage's one-line summary, shared by every rendering.
pub fn stage_line(stage: &BrowserStage) -> String {
    let s = &stage.summary;
    format!(
        "{} case-browser runs: {} agree with the engine given what the target sent, \
         {} disagree, {} infrastructure errors ({})",
        s.runs,
        s.agree,
        s.disagree,
        s.infrastructure_errors,
        browser_versions(stage)
    )
}

fn render_stage_text(out: &mut String, stage: &BrowserStage) {
    let _ = writeln!(out, "\nbrowser stage: {}", stage_line(stage));
    for run in &stage.runs {
        for d in &run.disagreements {
            let _ = writeln!(
                out,
                "  disagree: {} ({}) request {} {}: {} predicted {} / observed {}",
                run.case_id,
                run.browser,
                d.request_index,
                d.request,
                d.field,
                d.predicted,
                d.observed
            );
        }
    }
    for run in stage.unfinished_runs() {
        if let Some(error) = &run.error {
            let _ = writeln!(
                out,
                "  infrastructure error: {} ({}) — {error}",
                run.case_id, run.browser
            );
        }
        if let Some(error) = &run.cleanup_error {
            let _ = writeln!(
                out,
                "  cleanup failed: {} ({}) — {error}",
                run.case_id, run.browser
            );
        }
    }
}

/// One line: where, what, S3's side and the target's.
pub fn describe(d: &ServerDeviation) -> String {
    let at = match d.request_index {
        Some(i) => format!("{} #{i} {}", d.case_id, d.exchange),
        None => format!("{} {}", d.case_id, d.exchange),
    };
    let what = match &d.header {
        Some(header) => format!("{} {header}", d.kind.name()),
        None => d.kind.name().to_owned(),
    };
    format!(
        "{at}: {what}: S3 {} / target {}",
        d.expected.as_deref().unwrap_or("(absent)"),
        d.actual.as_deref().unwrap_or("(absent)")
    )
}

/// `208 cases probed, <strong>59 match S3 exactly</strong>, …`: the probe's summary sentence
/// for the Markdown and HTML pages, with `strong` marking the number that matters most.
pub(crate) fn probe_sentence(report: &TargetReport, strong: fn(&str) -> String) -> String {
    let s = &report.summary;
    format!(
        "{} cases probed, {}, {} deviate, {} failed; {} exchanges compared, {} deviations.",
        s.cases_probed,
        strong(&format!("{} match S3 exactly", s.cases_matching)),
        s.cases_deviating,
        s.cases_failed,
        s.exchanges,
        s.deviations
    )
}
