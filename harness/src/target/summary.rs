//! The conformance summary of one target: which cases were probed, which matched S3 exactly,
//! and the deviations grouped by kind with counts and examples; rendered as terminal text, JSON
//! (the document `docs/external-targets.md` describes) and a Markdown table.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::browser_verdict::{BrowserStage, DISAGREEMENT_COLUMNS};
use super::deviation::{DeviationKind, ServerDeviation};
use super::endpoint::{Addressing, ExternalTarget};
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
    /// The browser runs against the target; absent when they did not run (`--probe-only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_stage: Option<BrowserStage>,
}

/// The target, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInfo {
    pub endpoint: String,
    pub region: String,
    pub addressing: String,
}

impl From<&ExternalTarget> for TargetInfo {
    fn from(target: &ExternalTarget) -> Self {
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
    pub fn new(
        target: &ExternalTarget,
        cases: Vec<CaseProbe>,
        leftover_buckets: Vec<String>,
    ) -> Self {
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
            browser_stage: None,
        }
    }

    /// Whether the target deviates from S3 or a browser disagrees with the engine (exit 1).
    pub fn has_findings(&self) -> bool {
        self.summary.deviations > 0
            || self
                .browser_stage
                .as_ref()
                .is_some_and(|stage| stage.summary.disagree > 0)
    }

    /// Whether something kept the run from giving every verdict (exit 2): a case the probe
    /// could not finish, a browser run without a verdict, or a bucket left on the target.
    pub fn has_infrastructure_errors(&self) -> bool {
        self.summary.cases_failed > 0
            || !self.leftover_buckets.is_empty()
            || self
                .browser_stage
                .as_ref()
                .is_some_and(|stage| stage.summary.infrastructure_errors > 0)
    }

    /// Every deviation of every case, in case order.
    pub fn deviations(&self) -> impl Iterator<Item = &ServerDeviation> {
        self.cases.iter().flat_map(|c| &c.deviations)
    }

    /// The cases the probe could not finish or clean up after.
    pub fn unfinished_cases(&self) -> impl Iterator<Item = &CaseProbe> {
        self.cases
            .iter()
            .filter(|c| c.error.is_some() || c.cleanup_error.is_some())
    }

    /// Every deviation as the cells of one table row, in the column order of
    /// [`DEVIATION_COLUMNS`]; each renderer escapes them its own way.
    pub fn deviation_rows(&self) -> impl Iterator<Item = [String; 7]> + '_ {
        self.deviations().map(|d| {
            [
                d.case_id.clone(),
                d.request_index
                    .map_or_else(|| "config".to_owned(), |i| i.to_string()),
                d.exchange.clone(),
                d.kind.name().to_owned(),
                d.header.clone().unwrap_or_default(),
                d.expected.clone().unwrap_or_else(|| "(absent)".to_owned()),
                d.actual.clone().unwrap_or_else(|| "(absent)".to_owned()),
            ]
        })
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

/// The JSON document (pretty-printed).
pub fn render_json(report: &TargetReport) -> String {
    // The report holds only strings, numbers and derived enums: serialising cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Markdown: the summary line, a kinds table with counts, the distinct deviations
/// ([`render_markdown_patterns`]) and a table of every deviation.
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
    let failures: Vec<&CaseProbe> = report.unfinished_cases().collect();
    if !failures.is_empty() {
        out.push_str("| case | probe error | cleanup error |\n|---|---|---|\n");
        for case in failures {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&case.case_id),
                cell(case.error.as_deref().unwrap_or("")),
                cell(case.cleanup_error.as_deref().unwrap_or(""))
            );
        }
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
    let s = &report.summary;
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
    out.push_str("\n#### Distinct deviations\n\n");
    out.push_str(&render_markdown_patterns(report));
    out.push_str("\n#### Every deviation\n\n");
    let _ = writeln!(
        out,
        "| {} |\n|---|---:|---|---|---|---|---|",
        DEVIATION_COLUMNS.join(" | ")
    );
    for row in report.deviation_rows() {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The browser stage: its summary line, the runs without a verdict, and every disagreement.
fn render_stage_markdown(out: &mut String, endpoint: &str, stage: &BrowserStage) {
    let _ = writeln!(
        out,
        "\n### Browsers against `{endpoint}`, judged by what it sent\n\n{}.\n",
        stage_line(stage)
    );
    let unfinished: Vec<_> = stage.unfinished_runs().collect();
    if !unfinished.is_empty() {
        out.push_str("| case | browser | error | cleanup error |\n|---|---|---|---|\n");
        for run in unfinished {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&run.case_id),
                run.browser,
                cell(run.error.as_deref().unwrap_or("")),
                cell(run.cleanup_error.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }
    if stage.summary.disagree == 0 {
        return;
    }
    out.push_str("#### Where the browser disagrees with the engine\n\n");
    let _ = writeln!(
        out,
        "| {} |\n|---|---|---|---|---|---|",
        DISAGREEMENT_COLUMNS.join(" | ")
    );
    for row in stage.disagreement_rows() {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
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
            cell(header),
            cell(expected),
            cell(actual),
            cases.len(),
            cell(&example.case_id),
        );
    }
    out
}

/// The columns of [`TargetReport::deviation_rows`].
pub const DEVIATION_COLUMNS: [&str; 7] = [
    "case", "request", "exchange", "kind", "header", "S3", "target",
];

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

#[cfg(test)]
mod tests {
    use super::*;
    use cors_engine::Browser;

    fn deviation(case: &str, kind: DeviationKind, actual: &str) -> ServerDeviation {
        ServerDeviation {
            case_id: case.to_owned(),
            request_index: Some(1),
            exchange: "OPTIONS http://b.s3.amazonaws.com/k".to_owned(),
            kind,
            header: Some("Access-Control-Allow-Origin".to_owned()),
            expected: Some("https://app.example.com".to_owned()),
            actual: Some(actual.to_owned()),
        }
    }

    fn probe(case: &str, deviations: Vec<ServerDeviation>) -> CaseProbe {
        CaseProbe {
            case_id: case.to_owned(),
            title: case.to_owned(),
            browser: Browser::Chrome,
            bucket: "b".to_owned(),
            exchanges: 2,
            deviations,
            skipped: None,
            error: None,
            cleanup_error: None,
        }
    }

    fn report() -> TargetReport {
        let target = ExternalTarget::new(
            "http://127.0.0.1:1",
            "k",
            "s",
            "us-east-1",
            Addressing::Path,
        )
        .expect("valid");
        TargetReport::new(
            &target,
            vec![
                probe("a", vec![deviation("a", DeviationKind::HeaderValue, "*")]),
                probe(
                    "b",
                    vec![
                        deviation("b", DeviationKind::HeaderValue, "*"),
                        deviation("b", DeviationKind::HeaderExtra, "x"),
                    ],
                ),
                probe("c", Vec::new()),
            ],
            Vec::new(),
        )
    }

    #[test]
    fn summary_counts_cases_and_groups_deviations_by_kind() {
        let report = report();
        let s = &report.summary;
        assert_eq!(
            (
                s.cases_probed,
                s.cases_matching,
                s.cases_deviating,
                s.deviations,
                s.exchanges
            ),
            (3, 1, 2, 3, 6)
        );
        let kinds: Vec<(DeviationKind, usize, usize)> = s
            .by_kind
            .iter()
            .map(|k| (k.kind, k.count, k.cases))
            .collect();
        assert_eq!(
            kinds,
            [
                (DeviationKind::HeaderExtra, 1, 1),
                (DeviationKind::HeaderValue, 2, 2)
            ]
        );
    }

    #[test]
    fn patterns_merge_equal_deviations_and_count_their_cases() {
        let table = render_markdown_patterns(&report());
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "{table}");
        assert!(
            rows[0].starts_with("| header-value | Access-Control-Allow-Origin | preflight | https://app.example.com | * | 2 | 2 |"),
            "{table}"
        );
    }

    fn stage() -> BrowserStage {
        use super::super::browser_verdict::{
            BrowserDisagreement, BrowserRun, BrowserVerdict, BrowserVersion,
        };
        let run =
            |case: &str, browser, verdict, disagreements: Vec<BrowserDisagreement>| BrowserRun {
                case_id: case.to_owned(),
                browser,
                verdict,
                bucket: "b".to_owned(),
                attempts: 1,
                exchanges: 2,
                duration_ms: 30,
                disagreements,
                recorded: Vec::new(),
                error: (verdict == BrowserVerdict::InfrastructureError)
                    .then(|| "browser crashed".to_owned()),
                cleanup_error: None,
            };
        let status = BrowserDisagreement {
            request_index: 2,
            request: "fetch HEAD http://b.s3.amazonaws.com/k".to_owned(),
            field: "status".to_owned(),
            predicted: serde_json::json!(304),
            observed: serde_json::json!(200),
        };
        BrowserStage::new(
            vec![
                run("a", Browser::Chrome, BrowserVerdict::Disagree, vec![status]),
                run("a", Browser::Firefox, BrowserVerdict::Agree, Vec::new()),
                run(
                    "b",
                    Browser::Firefox,
                    BrowserVerdict::InfrastructureError,
                    Vec::new(),
                ),
            ],
            vec![BrowserVersion {
                browser: Browser::Chrome,
                version: "156.0".to_owned(),
            }],
        )
    }

    #[test]
    fn browser_stage_counts_and_renders_its_disagreements_apart_from_deviations() {
        let mut report = report();
        assert!(!report.has_infrastructure_errors());
        report.browser_stage = Some(stage());
        let s = &report.browser_stage.as_ref().unwrap().summary;
        assert_eq!(
            (s.runs, s.agree, s.disagree, s.infrastructure_errors),
            (3, 1, 1, 1)
        );
        assert!(report.has_findings());
        assert!(report.has_infrastructure_errors());

        let text = render_text(&report);
        assert!(
            text.contains(
                "browser stage: 3 case-browser runs: 1 agree with the engine given what the \
                 target sent, 1 disagree, 1 infrastructure errors (chrome 156.0)"
            ),
            "{text}"
        );
        assert!(
            text.contains("disagree: a (chrome) request 2 fetch HEAD http://b.s3.amazonaws.com/k: status predicted 304 / observed 200"),
            "{text}"
        );
        assert!(
            text.contains("infrastructure error: b (firefox) — browser crashed"),
            "{text}"
        );

        let markdown = render_markdown(&report);
        assert!(
            markdown.contains(
                "| a | chrome | 2: fetch HEAD http://b.s3.amazonaws.com/k | status | 304 | 200 |"
            ),
            "{markdown}"
        );
        assert!(
            markdown.contains("| b | firefox | browser crashed |  |"),
            "{markdown}"
        );

        let back: TargetReport = serde_json::from_str(&render_json(&report)).expect("valid JSON");
        assert_eq!(back, report);
    }

    #[test]
    fn a_probe_only_report_has_no_browser_stage_in_json() {
        let json = render_json(&report());
        assert!(!json.contains("browser_stage"), "{json}");
    }

    #[test]
    fn json_round_trips() {
        let report = report();
        let back: TargetReport = serde_json::from_str(&render_json(&report)).expect("valid JSON");
        assert_eq!(back, report);
    }
}
