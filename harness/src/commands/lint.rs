//! `cors-harness lint CORS_FILE`: S3's own validation plus the classic mistakes. The checks are
//! `cors_engine::lint`'s; this module reads the file and prints the report.
//!
//! Exit codes: 0 S3 accepts the configuration and nothing was found; 1 S3 refuses it or a
//! finding was reported; 2 the file cannot be read or is not a CORS configuration at all.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use cors_engine::http::origin_of;
use cors_engine::lint::{LintOptions, LintReport, Severity, lint_text};

use crate::cli::{LintArgs, OutputFormat};
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, write_stdout};

pub fn execute(args: LintArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.cors_file)
        .with_context(|| format!("cannot read {}", args.cors_file.display()))?;
    let page = match &args.page {
        Some(page) => Some(origin_of(page).with_context(|| {
            format!("--page must be an origin such as https://app.example.com, not `{page}`")
        })?),
        None => None,
    };
    let options = LintOptions {
        page,
        credentials: args.credentials,
    };
    let report = match lint_text(&text, &options) {
        Ok(report) => report,
        Err(error) => {
            let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
            match args.format {
                OutputFormat::Human => {
                    eprintln!("{}{line}: {}", args.cors_file.display(), error.message);
                }
                OutputFormat::Json => write_stdout(&format!(
                    "{}\n",
                    serde_json::json!({
                        "schema_version": 1,
                        "file": args.cors_file,
                        "parse_error": { "line": error.line, "message": error.message },
                    })
                ))?,
            }
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    match args.format {
        OutputFormat::Human => write_stdout(&render_human(&args, &report))?,
        OutputFormat::Json => {
            let document = serde_json::json!({
                "schema_version": 1,
                "file": args.cors_file,
                "page": options.page,
                "credentials": options.credentials,
                "format": report.format,
                "s3_accepts": report.s3_error.is_none(),
                "s3_error": report.s3_error,
                "findings": report.findings,
            });
            write_stdout(&format!("{}\n", serde_json::to_string_pretty(&document)?))?;
        }
    }
    Ok(ExitCode::from(if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_FAILED
    }))
}

fn render_human(args: &LintArgs, report: &LintReport) -> String {
    let mut out = String::new();
    let file = args.cors_file.display();
    match &report.s3_error {
        None => {
            let _ = writeln!(
                out,
                "{file}: S3 accepts this configuration (PutBucketCors: 200 OK)"
            );
        }
        Some(error) => {
            let _ = writeln!(
                out,
                "{file}: S3 refuses this configuration: {} {}: {}\n  (the bucket keeps no CORS \
             configuration, so every cross-origin request is blocked)",
                error.status, error.code, error.message
            );
        }
    }
    for finding in &report.findings {
        let label = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", finding.code, finding.message);
    }
    if report.is_clean() {
        let _ = writeln!(out, "no problems found");
    } else {
        let errors = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = report.findings.len() - errors;
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}
