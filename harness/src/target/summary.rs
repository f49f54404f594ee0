//! The conformance summary of one target: which cases were probed, which matched S3 exactly,
//! and the deviations grouped by kind with counts and examples; rendered as terminal text, JSON
//! (the document `docs/external-targets.md` describes) and a Markdown table.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::deviation::{DeviationKind, ServerDeviation};
use super::endpoint::{Addressing, Target};
use super::probe::CaseProbe;

/// Version of the JSON document; bumped on any incompatible change.
pub const TARGET_REPORT_SCHEMA_VERSION: u32 = 1;
/// How many examples each kind keeps in the summary.
const EXAMPLES_PER_KIND: usize = 3;

/// Everything one probe run found about one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetReport {
    pub schema_version: u32,
    pub target: TargetInfo,
    pub summary: ConformanceSummary,
    pub cases: Vec<CaseProbe>,
    /// Buckets the probe created and could not delete (empty when the target is clean again).
    pub leftover_buckets: Vec<String>,
}

/// The target, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInfo {
    pub endpoint: String,
    pub region: String,
    pub addressing: String,
}

impl From<&Target> for TargetInfo {
    fn from(target: &Target) -> Self {
        TargetInfo {
            endpoint: target.endpoint.to_string(),
            region: target.region.clone(),
            addressing: match target.addressing {
                Addressing::Path => "path",
                Addressing::Virtual => "virtual",
            }
            .to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConformanceSummary {
    /// Bucket cases probed (literal-server cases are not about S3 and are left out).
    pub cases_probed: usize,
    /// Cases whose every answer matched S3's exactly.
    pub cases_matching: usize,
    /// Cases with at least one deviation.
    pub cases_deviating: usize,
    /// Cases the probe could not finish (see each case's `error`).
    pub cases_failed: usize,
    pub exchanges: usize,
    pub deviations: usize,
    /// One entry per kind that occurred, in [`DeviationKind::ALL`] order.
    pub by_kind: Vec<KindSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindSummary {
    pub kind: DeviationKind,
    pub count: usize,
    /// How many cases show it.
    pub cases: usize,
    /// The first few deviations of this kind, in case order.
    pub examples: Vec<ServerDeviation>,
}

impl TargetReport {
    pub fn new(target: &Target, cases: Vec<CaseProbe>, leftover_buckets: Vec<String>) -> Self {
        let all: Vec<&ServerDeviation> = cases.iter().flat_map(|c| &c.deviations).collect();
        let by_kind = DeviationKind::ALL
            .iter()
            .filter_map(|&kind| {
                let of_kind: Vec<&&ServerDeviation> =
                    all.iter().filter(|d| d.kind == kind).collect();
                (!of_kind.is_empty()).then(|| KindSummary {
                    kind,
                    count: of_kind.len(),
                    cases: of_kind
                        .iter()
                        .map(|d| d.case_id.as_str())
                        .collect::<BTreeSet<_>>()
                        .len(),
                    examples: of_kind
                        .iter()
                        .take(EXAMPLES_PER_KIND)
                        .map(|d| (**d).clone())
                        .collect(),
                })
            })
            .collect();
        let summary = ConformanceSummary {
            cases_probed: cases.len(),
            cases_matching: cases.iter().filter(|c| c.matches_s3()).count(),
            cases_deviating: cases.iter().filter(|c| !c.deviations.is_empty()).count(),
            cases_failed: cases.iter().filter(|c| c.error.is_some()).count(),
            exchanges: cases.iter().map(|c| c.exchanges).sum(),
            deviations: all.len(),
            by_kind,
        };
        TargetReport {
            schema_version: TARGET_REPORT_SCHEMA_VERSION,
            target: TargetInfo::from(target),
            summary,
            cases,
            leftover_buckets,
        }
    }

    /// Every deviation of every case, in case order.
    pub fn deviations(&self) -> impl Iterator<Item = &ServerDeviation> {
        self.cases.iter().flat_map(|c| &c.deviations)
    }
}

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
    if !report.leftover_buckets.is_empty() {
        let _ = writeln!(
            out,
            "\n  buckets left on the target: {}",
            report.leftover_buckets.join(", ")
        );
    }
    out
}

/// The JSON document (pretty-printed).
pub fn render_json(report: &TargetReport) -> String {
    // The report holds only strings, numbers and derived enums: serialising cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Markdown: the summary line, a kinds table with counts, and a table of every deviation.
/// Plain pipes-and-dashes tables, so an HTML renderer can take them as they are.
pub fn render_markdown(report: &TargetReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "### S3 conformance of `{}`\n", report.target.endpoint);
    let _ = writeln!(
        out,
        "{} cases probed, **{} match S3 exactly**, {} deviate, {} failed; {} exchanges compared, {} deviations.\n",
        s.cases_probed,
        s.cases_matching,
        s.cases_deviating,
        s.cases_failed,
        s.exchanges,
        s.deviations
    );
    if s.by_kind.is_empty() {
        return out;
    }
    out.push_str("| kind | deviations | cases |\n|---|---:|---:|\n");
    for kind in &s.by_kind {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            kind.kind.name(),
            kind.count,
            kind.cases
        );
    }
    out.push_str("\n| case | request | exchange | kind | header | S3 | target |\n|---|---:|---|---|---|---|---|\n");
    for d in report.deviations() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&d.case_id),
            d.request_index
                .map_or_else(|| "config".to_owned(), |i| i.to_string()),
            cell(&d.exchange),
            d.kind.name(),
            cell(d.header.as_deref().unwrap_or("")),
            cell(d.expected.as_deref().unwrap_or("(absent)")),
            cell(d.actual.as_deref().unwrap_or("(absent)")),
        );
    }
    out
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

/// Escapes what would break a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
