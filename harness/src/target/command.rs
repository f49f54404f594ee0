//! `cors-harness run --target URL`: the probe and the browser stage as a command. Loads the
//! cases like `run` does, probes the bucket cases against the target, then (unless
//! `--probe-only`) runs them in the browsers against the target; prints the report (human or
//! JSON), optionally writes `target-report.json`, `target-report.md` and `target-report.html`
//! into `--report-dir`. `--jobs` sets how many cases are probed at the same time and how many
//! sessions each browser runs, `--browser` whose predicted exchanges the probe sends and which
//! browsers run.
//!
//! Exit codes (DESIGN.md §5): 0 the target answered exactly as S3 in every probed case and every
//! browser did what the engine predicts from the target's answers; 1 the target deviates or a
//! browser disagrees; 2 bad input, an unreachable target, a case the probe or a browser could
//! not finish, or buckets left behind. Ctrl-C closes the browsers and deletes the buckets
//! created so far, then exits with 2.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use cors_reports::target::{TargetReport, render_json, render_text, write_target_reports};

use super::{
    BrowserStageOptions, BucketRegistry, DEFAULT_PROBE_JOBS, ExternalTarget, ProbeOptions,
    S3Client, probe_target_with, run_browser_stage,
};
use crate::case::{Case, load_paths};
use crate::cli::{OutputFormat, RunArgs};
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, write_stdout};
use crate::runner::{EnvironmentOptions, RunEnvironment};
use crate::session_pool::default_jobs;

/// Runs the probe for `run --target`; `args.target` must be set.
pub fn run_target_command(args: RunArgs) -> anyhow::Result<ExitCode> {
    let endpoint = args
        .target
        .as_deref()
        .context("--target URL is required for the target probe")?;
    let (Some(access_key), Some(secret_key)) = (&args.access_key, &args.secret_key) else {
        anyhow::bail!("--target needs --access-key and --secret-key (the target's credentials)");
    };
    let target = ExternalTarget::new(
        endpoint,
        access_key.clone(),
        secret_key.clone(),
        args.region.clone(),
        args.addressing,
    )?;

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        args.paths.clone()
    };
    let mut broken = 0usize;
    let mut cases: Vec<Case> = Vec::new();
    for loaded in load_paths(&paths) {
        match loaded.result {
            Ok(case) => cases.push(case),
            Err(error) => {
                broken += 1;
                eprintln!("{error}");
            }
        }
    }
    cases.retain(|case| case.bucket().is_some() && selected(case, &args));
    if cases.is_empty() && broken == 0 {
        anyhow::bail!("no bucket case to probe under {}", display_paths(&paths));
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    let registry = BucketRegistry::new();
    let client = S3Client::new(target.clone())?;
    let options = ProbeOptions {
        jobs: args.jobs.unwrap_or(DEFAULT_PROBE_JOBS),
        browsers: args.browser.clone(),
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            report = probe_target_with(&target, &cases, &registry, &options) => Some(report),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    let mut report: TargetReport = match outcome {
        Some(report) => report?,
        None => return Ok(interrupted(&runtime, &client, &registry)),
    };
    // When the probe could not finish a single case (unreachable target, wrong credentials),
    // every browser run would fail the same way before a browser starts.
    let target_unusable = report.summary.cases_probed > 0
        && report.summary.cases_failed == report.summary.cases_probed;
    if target_unusable && !args.probe_only {
        eprintln!(
            "the browser stage is skipped: the probe could not finish any case on the target"
        );
    }
    if !args.probe_only && !target_unusable {
        let webdriver = args
            .webdriver
            .as_deref()
            .map(url::Url::parse)
            .transpose()
            .context("--webdriver is not a URL")?;
        let sessions = args.jobs.unwrap_or_else(default_jobs).max(1);
        let stage = runtime.block_on(async {
            let environment = Arc::new(
                RunEnvironment::start(EnvironmentOptions {
                    jobs: sessions,
                    webdriver,
                })
                .await
                .context("failed to start the origin proxy")?,
            );
            for browser in cors_engine::Browser::ALL {
                let used = args.browser.is_empty() || args.browser.contains(&browser);
                if let (true, Err(error)) = (used, environment.check_browser(browser)) {
                    eprintln!("warning: {error}; its runs are reported as infrastructure errors");
                }
            }
            let progress = crate::progress::case_run_bar(0);
            let stage = run_browser_stage(
                &environment,
                &client,
                &cases,
                &registry,
                &BrowserStageOptions {
                    browsers: args.browser.clone(),
                    sessions,
                },
                &progress,
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
            )
            .await;
            progress.finish_and_clear();
            match Arc::try_unwrap(environment) {
                Ok(environment) => environment.shutdown().await,
                Err(_) => eprintln!("warning: browser sessions could not be closed cleanly"),
            }
            anyhow::Ok(stage)
        })?;
        match stage {
            Some(stage) => report.browser_stage = Some(stage),
            None => return Ok(interrupted(&runtime, &client, &registry)),
        }
        // A second chance for buckets whose deletion failed right after their run.
        runtime.block_on(registry.delete_all(&client));
        report.leftover_buckets = registry.live();
    }

    match args.format {
        OutputFormat::Human => write_stdout(&render_text(&report))?,
        OutputFormat::Json => write_stdout(&(render_json(&report) + "\n"))?,
    }
    if let Some(dir) = &args.report_dir {
        write_target_reports(&report, dir)
            .with_context(|| format!("cannot write the reports into {}", dir.display()))?;
    }
    Ok(ExitCode::from(exit_code(&report, broken)))
}

/// After Ctrl-C: deletes what is still registered; the run ends with 2.
fn interrupted(
    runtime: &tokio::runtime::Runtime,
    client: &S3Client,
    registry: &BucketRegistry,
) -> ExitCode {
    eprintln!("interrupted: deleting the buckets created on the target");
    for (bucket, error) in runtime.block_on(registry.delete_all(client)) {
        eprintln!("could not delete bucket {bucket}: {error}");
    }
    ExitCode::from(EXIT_BAD_INPUT)
}

fn exit_code(report: &TargetReport, broken_cases: usize) -> u8 {
    if broken_cases > 0 || report.has_infrastructure_errors() {
        EXIT_BAD_INPUT
    } else if report.has_findings() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// `--filter` (id or title, case-insensitive) and `--tag` (any of them), as `run` applies them.
fn selected(case: &Case, args: &RunArgs) -> bool {
    let text_ok = args.filter.as_ref().is_none_or(|text| {
        let text = text.to_lowercase();
        case.id.to_lowercase().contains(&text) || case.title.to_lowercase().contains(&text)
    });
    let tag_ok = args.tag.is_empty() || args.tag.iter().any(|t| case.tags.contains(t));
    text_ok && tag_ok
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
