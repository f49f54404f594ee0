//! `cors-harness predict PATHS…`: what S3 and each browser do for every request of the cases,
//! from the engine alone (no browser). The command builds a [`PredictReport`]; `cors-reports`
//! renders it (the JSON form is documented in `docs/predict-json.md`).
//!
//! Exit codes: 0 every `expect` holds for the prediction; 1 an expectation fails; 2 a case file
//! is broken (the other cases are still predicted and printed).

use std::process::ExitCode;

use cors_engine::observation::RequestResult;
use cors_engine::trace::TraceStep;
use cors_engine::{Browser, predict};
use cors_reports::predict::{
    BrowserPrediction, CasePrediction, ConfigPrediction, LoadError, PREDICT_SCHEMA_VERSION,
    PredictReport, PredictSummary, RequestPrediction, ServerPrediction, render_text, to_json,
};

use crate::case::{CaseRequest, CaseServer, LoadedCase, load_paths};
use crate::cli::{OutputFormat, PredictArgs};
use crate::commands::write_stdout;

pub fn execute(args: PredictArgs) -> anyhow::Result<ExitCode> {
    let cases: Vec<CasePrediction> = load_paths(&args.paths)
        .iter()
        .map(|entry| predict_entry(entry, &args.browser))
        .collect();
    let report = PredictReport {
        schema_version: PREDICT_SCHEMA_VERSION,
        summary: PredictSummary::of(&cases),
        cases,
    };
    match args.format {
        OutputFormat::Human => write_stdout(&render_text(&report))?,
        OutputFormat::Json => write_stdout(&to_json(&report))?,
    }
    Ok(ExitCode::from(report.summary.exit_code()))
}

fn predict_entry(entry: &LoadedCase, wanted: &[Browser]) -> CasePrediction {
    let case = match &entry.result {
        Ok(case) => case,
        Err(error) => {
            return CasePrediction {
                id: entry.id.clone(),
                path: entry.path.display().to_string(),
                title: None,
                tags: Vec::new(),
                page: None,
                server: None,
                config: None,
                browsers: Vec::new(),
                error: Some(LoadError::from(error)),
            };
        }
    };
    let (server, config) = match &case.server {
        CaseServer::Bucket(bucket) => (
            ServerPrediction::Bucket {
                name: bucket.name.clone(),
                endpoint: bucket.endpoint.clone(),
            },
            Some(ConfigPrediction {
                format: bucket.cors.as_ref().map(|c| c.format),
                present: bucket.cors.as_ref().is_some_and(|c| c.rejected.is_none()),
                s3_error: bucket.cors.as_ref().and_then(|c| c.rejected.clone()),
                expect_cors_error: bucket.expect_cors_error.clone(),
                expectation_failure: case.check_config_expectation(),
            }),
        ),
        CaseServer::Server(raw) => (
            ServerPrediction::Server {
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
            BrowserPrediction { browser, requests }
        })
        .collect();
    CasePrediction {
        id: case.id.clone(),
        path: case.path.display().to_string(),
        title: Some(case.title.clone()),
        tags: case.tags.clone(),
        page: Some(case.page.clone()),
        server: Some(server),
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
) -> RequestPrediction {
    let expectation_failures = request
        .expect
        .as_ref()
        .map(|e| e.check(browser, &predicted))
        .unwrap_or_default();
    RequestPrediction {
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
