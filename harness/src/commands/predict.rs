//! `cors-harness predict PATHS…`: what S3 and each browser do for every request of the cases,
//! from the engine alone (no browser). The JSON form is documented in `docs/predict-json.md`.
//!
//! Exit codes: 0 every `expect` holds for the prediction; 1 an expectation fails; 2 a case file
//! is broken (the other cases are still predicted and printed).

use std::fmt::Write as _;
use std::process::ExitCode;

use cors_engine::http::HeaderList;
use cors_engine::observation::{Outcome, RequestResult};
use cors_engine::trace::TraceStep;
use cors_engine::{Browser, predict};
use serde::Serialize;

use crate::case::{
    CaseError, CaseRequest, CaseServer, ConfigExpectationFailure, ExpectationFailure, LoadedCase,
    load_paths,
};
use crate::cli::{OutputFormat, PredictArgs};
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, write_stdout};

/// The version of the `--format json` document; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

pub fn execute(args: PredictArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_paths(&args.paths);
    let cases: Vec<CaseOutput> = loaded
        .iter()
        .map(|entry| predict_entry(entry, &args.browser))
        .collect();
    let summary = Summary::of(&cases);
    match args.format {
        OutputFormat::Human => {
            let mut out = String::new();
            for case in &cases {
                render_case(&mut out, case);
            }
            let _ = writeln!(
                out,
                "{} case(s), {} broken, {} request prediction(s), {} failed expectation(s)",
                summary.cases, summary.broken, summary.requests, summary.expectation_failures
            );
            write_stdout(&out)?;
        }
        OutputFormat::Json => {
            let document = Document {
                schema_version: SCHEMA_VERSION,
                cases: &cases,
                summary: &summary,
            };
            write_stdout(&format!("{}\n", serde_json::to_string_pretty(&document)?))?;
        }
    }
    Ok(ExitCode::from(summary.exit_code()))
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    cases: &'a [CaseOutput],
    summary: &'a Summary,
}

#[derive(Serialize)]
struct Summary {
    cases: usize,
    broken: usize,
    requests: usize,
    expectation_failures: usize,
}

impl Summary {
    fn of(cases: &[CaseOutput]) -> Self {
        let mut summary = Summary {
            cases: cases.len(),
            broken: 0,
            requests: 0,
            expectation_failures: 0,
        };
        for case in cases {
            if case.error.is_some() {
                summary.broken += 1;
            }
            if let Some(config) = &case.config {
                summary.expectation_failures += usize::from(config.expectation_failure.is_some());
            }
            for browser in &case.browsers {
                summary.requests += browser.requests.len();
                summary.expectation_failures += browser
                    .requests
                    .iter()
                    .map(|r| r.expectation_failures.len())
                    .sum::<usize>();
            }
        }
        summary
    }

    fn exit_code(&self) -> u8 {
        if self.broken > 0 {
            EXIT_BAD_INPUT
        } else if self.expectation_failures > 0 {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }
}

#[derive(Serialize)]
struct CaseOutput {
    id: String,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<CaseServerOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<ConfigOutput>,
    browsers: Vec<BrowserOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<CaseError>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum CaseServerOutput {
    Bucket { name: String, endpoint: String },
    Server { origin: String },
}

#[derive(Serialize)]
struct ConfigOutput {
    /// `console-json`, `cli-json` or `xml`; absent when the bucket has no configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<cors_engine::config::SourceFormat>,
    /// Whether the bucket ends up with a CORS configuration.
    present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3_error: Option<cors_engine::s3::S3Error>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect_cors_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expectation_failure: Option<ConfigExpectationFailure>,
}

#[derive(Serialize)]
struct BrowserOutput {
    browser: Browser,
    requests: Vec<RequestOutput>,
}

#[derive(Serialize)]
struct RequestOutput {
    index: usize,
    line: usize,
    kind: cors_engine::scenario::RequestKind,
    method: String,
    url: String,
    predicted: RequestResult,
    trace: Vec<TraceStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<crate::case::ExpectFields>,
    expectation_failures: Vec<ExpectationFailure>,
}

fn predict_entry(entry: &LoadedCase, wanted: &[Browser]) -> CaseOutput {
    let case = match &entry.result {
        Ok(case) => case,
        Err(error) => {
            return CaseOutput {
                id: entry.id.clone(),
                path: entry.path.display().to_string(),
                title: None,
                tags: Vec::new(),
                page: None,
                target: None,
                config: None,
                browsers: Vec::new(),
                error: Some(error.clone()),
            };
        }
    };
    let (target, config) = match &case.server {
        CaseServer::Bucket(bucket) => (
            CaseServerOutput::Bucket {
                name: bucket.name.clone(),
                endpoint: bucket.endpoint.clone(),
            },
            Some(ConfigOutput {
                format: bucket.cors.as_ref().map(|c| c.format),
                present: bucket.cors.as_ref().is_some_and(|c| c.rejected.is_none()),
                s3_error: bucket.cors.as_ref().and_then(|c| c.rejected.clone()),
                expect_cors_error: bucket.expect_cors_error.clone(),
                expectation_failure: case.check_config_expectation(),
            }),
        ),
        CaseServer::Server(raw) => (
            CaseServerOutput::Server {
                origin: raw.origin.clone(),
            },
            None,
        ),
    };
    let scenario = case.to_scenario();
    let browsers = case
        .browsers_among(wanted)
        .into_iter()
        .map(|browser| {
            let prediction = predict(&scenario, browser);
            let requests = case
                .requests
                .iter()
                .zip(prediction.requests)
                .enumerate()
                .map(|(index, (request, predicted))| {
                    request_output(index, request, browser, predicted.result, predicted.trace.0)
                })
                .collect();
            BrowserOutput { browser, requests }
        })
        .collect();
    CaseOutput {
        id: case.id.clone(),
        path: case.path.display().to_string(),
        title: Some(case.title.clone()),
        tags: case.tags.clone(),
        page: Some(case.page.clone()),
        target: Some(target),
        config,
        browsers,
        error: None,
    }
}

fn request_output(
    index: usize,
    request: &CaseRequest,
    browser: Browser,
    predicted: RequestResult,
    trace: Vec<TraceStep>,
) -> RequestOutput {
    let expectation_failures = request
        .expect
        .as_ref()
        .map(|e| e.check(browser, &predicted))
        .unwrap_or_default();
    RequestOutput {
        index,
        line: request.line,
        kind: request.spec.kind,
        method: request.spec.method.clone(),
        url: request.spec.url.clone(),
        expect: request
            .expect
            .as_ref()
            .map(|e| e.for_browser(browser))
            .filter(|fields| !fields.is_empty()),
        predicted,
        trace,
        expectation_failures,
    }
}

fn render_case(out: &mut String, case: &CaseOutput) {
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
    match &case.target {
        Some(CaseServerOutput::Bucket { name, endpoint }) => {
            let _ = writeln!(out, "  page {page} → bucket {name} at {endpoint}");
        }
        Some(CaseServerOutput::Server { origin }) => {
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

fn render_request(out: &mut String, request: &RequestOutput) {
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
