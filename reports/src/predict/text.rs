//! The prediction report for people: each case, its server and configuration, and per browser
//! each request's predicted outcome, readable headers, console message and wire exchanges.

use std::fmt::Write as _;

use cors_engine::http::HeaderList;
use cors_engine::observation::Outcome;

use super::model::{CasePrediction, PredictReport, RequestPrediction, ServerPrediction};

/// Every case, then the counts.
pub fn render_text(report: &PredictReport) -> String {
    let mut out = String::new();
    for case in &report.cases {
        render_case(&mut out, case);
    }
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "{} case(s), {} broken, {} request prediction(s), {} failed expectation(s)",
        summary.cases, summary.broken, summary.requests, summary.expectation_failures
    );
    out
}

fn render_case(out: &mut String, case: &CasePrediction) {
    if let Some(error) = &case.error {
        let _ = writeln!(out, "{} — BROKEN\n  {error}\n", case.id);
        return;
    }
    let _ = writeln!(
        out,
        "{} — {}",
        case.id,
        case.title.as_deref().unwrap_or_default()
    );
    let page = case.page.as_deref().unwrap_or_default();
    match &case.server {
        Some(ServerPrediction::Bucket { name, endpoint }) => {
            let _ = writeln!(out, "  page {page} → bucket {name} at {endpoint}");
        }
        Some(ServerPrediction::Server { origin }) => {
            let _ = writeln!(out, "  page {page} → literal-header server {origin}");
        }
        None => {}
    }
    if let Some(config) = &case.config {
        match (&config.s3_error, config.format) {
            (Some(error), _) => {
                let _ = writeln!(
                    out,
                    "  PutBucketCors refused: {} {}: {} — the bucket has no CORS configuration",
                    error.status, error.code, error.message
                );
            }
            (None, Some(format)) => {
                let format = serde_json::to_value(format)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(out, "  CORS configuration accepted by S3 ({format})");
            }
            (None, None) => {
                let _ = writeln!(out, "  the bucket has no CORS configuration");
            }
        }
        if let Some(failure) = &config.expectation_failure {
            let _ = writeln!(out, "  EXPECTATION FAILED: {}", failure.message);
        }
    }
    for browser in &case.browsers {
        let _ = writeln!(out, "  {}:", browser.browser);
        for request in &browser.requests {
            render_request(out, request);
        }
    }
    out.push('\n');
}

fn render_request(out: &mut String, request: &RequestPrediction) {
    let p = &request.predicted;
    let kind = serde_json::to_value(request.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "    #{} {kind} {} {}",
        request.index + 1,
        request.method,
        request.url
    );
    let outcome = match p.outcome {
        Outcome::Allowed => "allowed",
        Outcome::Blocked => "BLOCKED",
        Outcome::Opaque => "opaque",
    };
    let status = p.status.map_or_else(|| "-".to_owned(), |s| s.to_string());
    let mut line = format!(
        "       {outcome}, preflight: {}, status: {status}",
        if p.preflight { "yes" } else { "no" }
    );
    if let Some(tainted) = p.canvas_tainted {
        let _ = write!(
            line,
            ", canvas tainted: {}",
            if tainted { "yes" } else { "no" }
        );
    }
    if let Some(reason) = &p.reason {
        let _ = write!(line, ", reason: {}", reason.code);
    }
    let _ = writeln!(out, "{line}");
    for (name, value) in &p.readable {
        match value {
            Some(value) => {
                let _ = writeln!(out, "       reads {name}: {value}");
            }
            None => {
                let _ = writeln!(out, "       reads {name}: (hidden)");
            }
        }
    }
    if let Some(console) = p.reason.as_ref().and_then(|r| r.console.as_deref()) {
        let _ = writeln!(out, "       console: {console}");
    }
    for exchange in &p.wire {
        let _ = writeln!(
            out,
            "       wire: {} {} → {}{}",
            exchange.method,
            exchange.url,
            exchange.status,
            headers_inline(&exchange.response_headers)
        );
    }
    if request.expect.is_some() {
        if request.expectation_failures.is_empty() {
            let _ = writeln!(out, "       expect: holds");
        } else {
            for failure in &request.expectation_failures {
                let _ = writeln!(out, "       EXPECTATION FAILED: {failure}");
            }
        }
    }
}

fn headers_inline(headers: &HeaderList) -> String {
    if headers.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    format!(" [{}]", parts.join("; "))
}
