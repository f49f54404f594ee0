//! The target report as Markdown: plain pipes-and-dashes tables, every cell escaped by the
//! crate's one Markdown escaper ([`crate::markdown::inline`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::model::{BrowserStage, DeviationKind, ServerDeviation, TargetReport};
use super::table::{self, Look, Table};
use super::text::{probe_sentence, stage_line};
use crate::markdown::inline;

/// Markdown: the summary line, a kinds table with counts, the distinct deviations
/// ([`render_markdown_patterns`]) and a table of every deviation.
/// Plain pipes-and-dashes tables, so an HTML renderer can take them as they are.
pub fn render_markdown(report: &TargetReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "### S3 conformance of `{}`\n", report.target.endpoint);
    let _ = writeln!(
        out,
        "{}\n",
        probe_sentence(report, |text| format!("**{text}**"))
    );
    let failures = table::unfinished_cases(report);
    if !failures.rows.is_empty() {
        write_table(&mut out, &failures);
        out.push('\n');
    }
    if !s.by_kind.is_empty() {
        render_deviations_markdown(&mut out, report);
    }
    if let Some(stage) = &report.browser_stage {
        render_stage_markdown(&mut out, &report.target.endpoint, stage);
    }
    out
}

fn render_deviations_markdown(out: &mut String, report: &TargetReport) {
    write_table(out, &table::kinds(report));
    out.push_str("\n#### Distinct deviations\n\n");
    out.push_str(&render_markdown_patterns(report));
    out.push_str("\n#### Every deviation\n\n");
    write_table(out, &table::deviations(report));
}

/// The browser stage: its summary line, the runs without a verdict, and every disagreement.
fn render_stage_markdown(out: &mut String, endpoint: &str, stage: &BrowserStage) {
    let _ = writeln!(
        out,
        "\n### Browsers against `{endpoint}`, judged by what it sent\n\n{}.\n",
        stage_line(stage)
    );
    let unfinished = table::unfinished_runs(stage);
    if !unfinished.rows.is_empty() {
        write_table(out, &unfinished);
        out.push('\n');
    }
    if stage.summary.disagree == 0 {
        return;
    }
    out.push_str("#### Where the browser disagrees with the engine\n\n");
    write_table(out, &table::disagreements(stage));
}

/// A pipes-and-dashes table, numbers right-aligned, every cell escaped.
fn write_table(out: &mut String, table: &Table) {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    out.push('|');
    for (_, look) in table.columns {
        out.push_str(if *look == Look::Number {
            "---:|"
        } else {
            "---|"
        });
    }
    out.push('\n');
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| inline(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The distinct deviations: deviations grouped by kind, header, whether the exchange was a
/// preflight, S3's value and the target's, with how many exchanges and cases show each, most
/// frequent first. The compact view of how a server differs, for documentation and reviews.
pub fn render_markdown_patterns(report: &TargetReport) -> String {
    type Pattern<'a> = (DeviationKind, &'a str, bool, &'a str, &'a str);
    let mut groups: Vec<(Pattern<'_>, usize, BTreeSet<&str>, &ServerDeviation)> = Vec::new();
    for d in report.deviations() {
        let pattern: Pattern<'_> = (
            d.kind,
            d.header.as_deref().unwrap_or(""),
            d.exchange.starts_with("OPTIONS "),
            d.expected.as_deref().unwrap_or("(absent)"),
            d.actual.as_deref().unwrap_or("(absent)"),
        );
        match groups.iter_mut().find(|(p, ..)| *p == pattern) {
            Some((_, count, cases, _)) => {
                *count += 1;
                cases.insert(&d.case_id);
            }
            None => groups.push((pattern, 1, BTreeSet::from([d.case_id.as_str()]), d)),
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::from(
        "| kind | header | on | S3 | target | exchanges | cases | e.g. |\n|---|---|---|---|---|---:|---:|---|\n",
    );
    for ((kind, header, preflight, expected, actual), count, cases, example) in &groups {
        let on = match (example.request_index, preflight) {
            (None, _) => "PutBucketCors",
            (Some(_), true) => "preflight",
            (Some(_), false) => "actual",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {on} | {} | {} | {count} | {} | {} |",
            kind.name(),
            inline(header),
            inline(expected),
            inline(actual),
            cases.len(),
            inline(&example.case_id),
        );
    }
    out
}
