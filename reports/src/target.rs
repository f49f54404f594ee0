//! The report of one external S3-compatible target (`cors-harness run --target`): its model
//! ([`TargetReport`]) and its renderings as terminal text, JSON, Markdown and an HTML page, in
//! the same shape as the run report: one model module and one module per format.

mod html;
mod json;
mod markdown;
mod model;
mod table;
mod text;

use std::path::{Path, PathBuf};

pub use html::render_html;
pub use json::render_json;
pub use markdown::{render_markdown, render_markdown_patterns};
pub use model::{
    BrowserDisagreement, BrowserRun, BrowserStage, BrowserStageSummary, BrowserVerdict,
    BrowserVersion, CaseProbe, ConformanceSummary, DeviationKind, KindSummary, RecordedAnswer,
    ServerDeviation, TARGET_REPORT_SCHEMA_VERSION, TargetInfo, TargetReport,
};
pub use text::{browser_versions, describe, render_text, stage_line};

use crate::atomic::write_atomically;
use crate::error::ReportError;

/// Renders the report into `dir` (created when missing) as `target-report.json`,
/// `target-report.md` and `target-report.html`, each file replaced atomically; returns their
/// paths in that order.
pub fn write_target_reports(
    report: &TargetReport,
    dir: &Path,
) -> Result<[PathBuf; 3], ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io("creating", dir, e))?;
    // Render everything first so a rendering error leaves the directory untouched.
    let (json, markdown, html) = (
        render_json(report),
        render_markdown(report),
        render_html(report),
    );
    let write = |name: &str, contents: &str| -> Result<PathBuf, ReportError> {
        let path = dir.join(name);
        write_atomically(&path, contents.as_bytes())?;
        Ok(path)
    };
    Ok([
        write("target-report.json", &json)?,
        write("target-report.md", &markdown)?,
        write("target-report.html", &html)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_engine::Browser;

    fn target_info() -> TargetInfo {
        TargetInfo {
            endpoint: "http://127.0.0.1:1/".to_owned(),
            region: "us-east-1".to_owned(),
            addressing: "path".to_owned(),
        }
    }

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
        TargetReport::new(
            target_info(),
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
            rows[0].starts_with("| header-value | Access-Control-Allow-Origin | preflight | https://app.example.com | \\* | 2 | 2 |"),
            "{table}"
        );
    }

    fn stage() -> BrowserStage {
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
