//! The target report as one self-contained HTML page (no scripts, no network): the conformance
//! summary, the deviations grouped by kind, every deviation with S3's side and the target's, and
//! the browser stage (its summary, runs without a verdict, every disagreement).

use std::fmt::Write as _;

use super::model::{BrowserStage, TargetReport};
use super::table::{self, Look, Table};
use super::text::{probe_sentence, stage_line};
use crate::html::escape;

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;\
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right}\
.ok{color:#17622c}.bad{color:#a4161a}code{font-size:13px}";

pub fn render_html(report: &TargetReport) -> String {
    let s = &report.summary;
    let endpoint = escape(&report.target.endpoint);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>S3 conformance of {endpoint}</title><style>{STYLE}</style></head><body>\
         <h1>S3 conformance of <code>{endpoint}</code></h1>"
    );
    let verdict = if s.deviations == 0 && s.cases_failed == 0 {
        "ok"
    } else {
        "bad"
    };
    let _ = write!(
        out,
        "<p class=\"{verdict}\" id=\"summary\">{}</p>",
        probe_sentence(report, |text| format!("<strong>{text}</strong>"))
    );
    if !report.leftover_buckets.is_empty() {
        let _ = write!(
            out,
            "<p class=\"bad\">Buckets left on the target: {}</p>",
            escape(&report.leftover_buckets.join(", "))
        );
    }
    let failures = table::unfinished_cases(report);
    if !failures.rows.is_empty() {
        out.push_str("<h2>Cases the probe could not finish</h2>");
        write_table(&mut out, &failures);
    }
    if !s.by_kind.is_empty() {
        out.push_str("<h2>Deviations by kind</h2>");
        write_table(&mut out, &table::kinds(report));
        out.push_str("<h2>Every deviation</h2>");
        write_table(&mut out, &table::deviations(report));
    }
    if let Some(stage) = &report.browser_stage {
        render_stage(&mut out, stage);
    }
    out.push_str("</body></html>\n");
    out
}

fn render_stage(out: &mut String, stage: &BrowserStage) {
    let s = &stage.summary;
    let verdict = if s.disagree == 0 && s.infrastructure_errors == 0 {
        "ok"
    } else {
        "bad"
    };
    let _ = write!(
        out,
        "<h2>Browsers against the target, judged by what it sent</h2>\
         <p class=\"{verdict}\" id=\"browser-stage\">{}.</p>",
        escape(&stage_line(stage))
    );
    let unfinished = table::unfinished_runs(stage);
    if !unfinished.rows.is_empty() {
        out.push_str("<h3>Runs without a verdict</h3>");
        write_table(out, &unfinished);
    }
    if s.disagree == 0 {
        return;
    }
    out.push_str("<h3>Where the browser disagrees with the engine</h3>");
    write_table(out, &table::disagreements(stage));
}

/// A table with a header row; numbers right-aligned, protocol text in `<code>`, every cell
/// escaped.
fn write_table(out: &mut String, table: &Table) {
    out.push_str("<table><tr>");
    for (name, _) in table.columns {
        let _ = write!(out, "<th>{}</th>", escape(name));
    }
    out.push_str("</tr>");
    for row in &table.rows {
        out.push_str("<tr>");
        for ((_, look), text) in table.columns.iter().zip(row) {
            let text = escape(text);
            let _ = match look {
                Look::Text => write!(out, "<td>{text}</td>"),
                Look::Number => write!(out, "<td class=\"num\">{text}</td>"),
                Look::Code => write!(out, "<td><code>{text}</code></td>"),
            };
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use cors_engine::Browser;

    use super::*;
    use crate::target::{CaseProbe, DeviationKind, ServerDeviation, TargetInfo};

    fn report_with(actual: &str) -> TargetReport {
        let target = TargetInfo {
            endpoint: "http://127.0.0.1:1/".to_owned(),
            region: "us-east-1".to_owned(),
            addressing: "path".to_owned(),
        };
        let deviation = ServerDeviation {
            case_id: "s3/origin/a".to_owned(),
            request_index: Some(1),
            exchange: "OPTIONS http://b.s3.amazonaws.com/k".to_owned(),
            kind: DeviationKind::HeaderValue,
            header: Some("Access-Control-Allow-Origin".to_owned()),
            expected: Some("https://app.example.com".to_owned()),
            actual: Some(actual.to_owned()),
        };
        let probe = CaseProbe {
            case_id: "s3/origin/a".to_owned(),
            title: "a".to_owned(),
            browser: Browser::Chrome,
            bucket: "b".to_owned(),
            exchanges: 2,
            deviations: vec![deviation],
            skipped: None,
            error: None,
            cleanup_error: None,
        };
        TargetReport::new(target, vec![probe], Vec::new())
    }

    #[test]
    fn lists_each_deviation_with_both_sides() {
        let html = render_html(&report_with("*"));
        assert!(html.contains("1 cases probed, <strong>0 match S3 exactly</strong>, 1 deviate"));
        assert!(html.contains("<td>header-value</td><td class=\"num\">1</td>"));
        assert!(
            html.contains("<td><code>https://app.example.com</code></td><td><code>*</code></td>")
        );
    }

    #[test]
    fn the_browser_stage_lists_each_disagreement() {
        use crate::target::{BrowserDisagreement, BrowserRun, BrowserVerdict};
        let mut report = report_with("*");
        let run = BrowserRun {
            case_id: "s3/xml/head".to_owned(),
            browser: Browser::Chrome,
            verdict: BrowserVerdict::Disagree,
            bucket: "b".to_owned(),
            attempts: 1,
            exchanges: 2,
            duration_ms: 30,
            disagreements: vec![BrowserDisagreement {
                request_index: 2,
                request: "fetch HEAD http://b.s3.amazonaws.com/<k>".to_owned(),
                field: "status".to_owned(),
                predicted: serde_json::json!(304),
                observed: serde_json::json!(200),
            }],
            recorded: Vec::new(),
            error: None,
            cleanup_error: None,
        };
        report.browser_stage = Some(BrowserStage::new(vec![run], Vec::new()));
        let html = render_html(&report);
        assert!(
            html.contains("<p class=\"bad\" id=\"browser-stage\">1 case-browser runs: 0 agree"),
            "{html}"
        );
        assert!(
            html.contains("<td>s3/xml/head</td><td>chrome</td><td><code>2: fetch HEAD http://b.s3.amazonaws.com/&lt;k&gt;</code></td><td>status</td><td><code>304</code></td><td><code>200</code></td>"),
            "{html}"
        );
    }

    #[test]
    fn a_hostile_header_value_stays_text() {
        let html = render_html(&report_with("<script>alert(1)</script>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
