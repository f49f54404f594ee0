//! `cors-harness explain CASE`: for each request, the engine's reasoning step by step (which
//! rule S3 tried, which condition failed, which header the browser refused), then the exact
//! console line each browser would print.
//!
//! Exit codes: 0 explained and every `expect` holds; 1 an expectation fails; 2 the case file is
//! broken.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::anyhow;
use cors_engine::observation::Outcome;
use cors_engine::predict::Prediction;
use cors_engine::{Browser, predict};

use crate::case::{Case, CaseServer, load_case_file};
use crate::cli::ExplainArgs;
use crate::commands::{EXIT_FAILED, EXIT_OK, write_stdout};

pub fn execute(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let case = load_case_file(&args.case).map_err(|error| anyhow!("{error}"))?;
    let browsers = case.browsers_among(&args.browser);
    if browsers.is_empty() {
        anyhow::bail!(
            "{} does not run in the requested browser(s) (its browsers: {})",
            case.id,
            names(&case.browsers)
        );
    }
    let scenario = case.to_scenario();
    let predictions: Vec<Prediction> = browsers.iter().map(|&b| predict(&scenario, b)).collect();
    let mut out = String::new();
    let failed = explain(&mut out, &case, &predictions);
    write_stdout(&out)?;
    Ok(ExitCode::from(if failed { EXIT_FAILED } else { EXIT_OK }))
}

fn names(browsers: &[Browser]) -> String {
    browsers
        .iter()
        .map(|b| b.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the explanation; returns whether an expectation failed.
fn explain(out: &mut String, case: &Case, predictions: &[Prediction]) -> bool {
    let mut failed = false;
    let _ = writeln!(out, "{} — {}", case.id, case.title);
    let _ = writeln!(out, "page origin: {}", case.page);
    match &case.server {
        CaseServer::Bucket(bucket) => {
            let _ = writeln!(out, "bucket: {} at {}", bucket.name, bucket.endpoint);
            match &bucket.cors {
                None => {
                    let _ = writeln!(out, "CORS configuration: none");
                }
                Some(cors) => {
                    if let Some(error) = &cors.rejected {
                        let _ = writeln!(
                            out,
                            "PutBucketCors: S3 refuses the configuration with {} {}: {}\n  so the \
                             bucket has no CORS configuration and S3 answers as for a bucket \
                             without one",
                            error.status, error.code, error.message
                        );
                    }
                    let _ = writeln!(out, "CORS rules (S3 uses the first that matches):");
                    for (index, rule) in cors.config.rules.iter().enumerate() {
                        let mut line = format!(
                            "  rule {}: origins {:?}, methods {:?}",
                            index + 1,
                            rule.allowed_origins,
                            rule.allowed_methods
                        );
                        if !rule.allowed_headers.is_empty() {
                            let _ = write!(line, ", headers {:?}", rule.allowed_headers);
                        }
                        if !rule.expose_headers.is_empty() {
                            let _ = write!(line, ", expose {:?}", rule.expose_headers);
                        }
                        if let Some(max_age) = &rule.max_age_seconds {
                            let _ = write!(line, ", max-age {max_age}");
                        }
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
            if let Some(failure) = case.check_config_expectation() {
                failed = true;
                let _ = writeln!(out, "EXPECTATION FAILED: {}", failure.message);
            }
        }
        CaseServer::Server(raw) => {
            let _ = writeln!(out, "literal-header server: {}", raw.origin);
            for (what, response) in [
                ("OPTIONS", &raw.preflight),
                ("other methods", &raw.response),
            ] {
                let _ = writeln!(out, "  {what} → {}", response.status);
                for (name, value) in response.headers.iter() {
                    let _ = writeln!(out, "    {name}: {value}");
                }
            }
        }
    }
    for (index, request) in case.requests.iter().enumerate() {
        let spec = &request.spec;
        let kind = serde_json::to_value(spec.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\nrequest #{} (line {}): {kind} {} {}",
            index + 1,
            request.line,
            spec.method,
            spec.url
        );
        // Print one trace for browsers that reason identically, so differences stand out.
        let mut groups: Vec<(Vec<Browser>, &cors_engine::Trace)> = Vec::new();
        for prediction in predictions {
            let Some(step) = prediction.requests.get(index) else {
                continue;
            };
            match groups.iter_mut().find(|(_, trace)| **trace == step.trace) {
                Some((browsers, _)) => browsers.push(prediction.browser),
                None => groups.push((vec![prediction.browser], &step.trace)),
            }
        }
        for (browsers, trace) in groups {
            let _ = writeln!(out, "  {}:", names(&browsers));
            for line in trace.to_string().lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        for prediction in predictions {
            let Some(step) = prediction.requests.get(index) else {
                continue;
            };
            let result = &step.result;
            let verdict = match result.outcome {
                Outcome::Allowed => "allowed".to_owned(),
                Outcome::Opaque => "opaque (the page gets no status, headers or body)".to_owned(),
                Outcome::Blocked => match &result.reason {
                    Some(reason) => format!("BLOCKED ({})", reason.code),
                    None => "BLOCKED".to_owned(),
                },
            };
            let browser = prediction.browser;
            let _ = writeln!(out, "  {browser}: {verdict}");
            match result.reason.as_ref().and_then(|r| r.console.as_deref()) {
                Some(console) => {
                    let _ = writeln!(out, "    {browser} logs: {console}");
                }
                None if result.outcome != Outcome::Allowed => {
                    let _ = writeln!(out, "    {browser} logs nothing specific");
                }
                None => {}
            }
            if let Some(expect) = &request.expect {
                for failure in expect.check(browser, result) {
                    failed = true;
                    let _ = writeln!(out, "    EXPECTATION FAILED: {failure}");
                }
            }
        }
    }
    failed
}
