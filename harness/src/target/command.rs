//! `cors-harness run --target URL`: the probe and the browser stage as a command. Loads and
//! selects the cases with `run`'s own set-up ([`crate::commands::setup`]), probes the bucket
//! cases against the target, then (unless `--probe-only`) runs them in the browsers against the
//! target; prints the report (human or JSON) and writes `target-report.json`, `target-report.md`
//! and `target-report.html` into the report directory (`--report-dir`, default
//! `target/cors-report`, none with `--no-report`). `--jobs` sets how many cases are probed at the same time and how many
//! sessions each browser runs, `--browser` whose predicted exchanges the probe sends and which
//! browsers run.
//!
//! Exit codes (DESIGN.md §5): 0 the target answered exactly as S3 in every probed case and every
//! browser did what the engine predicts from the target's answers; 1 the target deviates or a
//! browser disagrees; 2 bad input, an unreachable target, a case the probe or a browser could
//! not finish, or buckets left behind. Ctrl-C closes the browsers and deletes the buckets
//! created so far, then exits with 2.

use std::process::ExitCode;

use anyhow::Context as _;
use cors_engine::Browser;
use cors_reports::target::{TargetReport, render_json, render_text, write_target_reports};

use super::{
    BrowserStageOptions, BucketRegistry, DEFAULT_PROBE_JOBS, ExternalTarget, ProbeOptions,
    S3Client, probe_target_with, run_browser_stage,
};
use crate::case::Case;
use crate::cli::{OutputFormat, RunArgs};
use crate::commands::setup::{RunSetup, runtime, shut_down};
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, write_stdout};

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
    let setup = RunSetup::from_args(&args)?;

    let mut broken = 0usize;
    let mut cases: Vec<Case> = Vec::new();
    for loaded in setup.load()? {
        match loaded.result {
            Ok(case) if case.bucket().is_some() => cases.push(case),
            // A raw-server case is not about S3: there is nothing to probe.
            Ok(_) => {}
            Err(error) => {
                broken += 1;
                eprintln!("{error}");
            }
        }
    }
    if cases.is_empty() && broken == 0 {
        anyhow::bail!("no bucket case to probe under {}", setup.display_paths());
    }

    let runtime = runtime()?;
    let registry = BucketRegistry::new();
    let client = S3Client::new(target.clone())?;
    let options = ProbeOptions {
        jobs: args.jobs.unwrap_or(DEFAULT_PROBE_JOBS),
        browsers: setup.browsers.clone(),
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
        let browsers: Vec<Browser> = Browser::ALL
            .into_iter()
            .filter(|b| {
                cases
                    .iter()
                    .any(|c| c.browsers_among(&setup.browsers).contains(b))
            })
            .collect();
        let stage = runtime.block_on(async {
            let environment = setup.start_environment(&browsers).await?;
            let progress = crate::progress::case_run_bar(0);
            let stage = run_browser_stage(
                &environment,
                &client,
                &cases,
                &registry,
                &BrowserStageOptions {
                    browsers: setup.browsers.clone(),
                    sessions: setup.sessions,
                },
                &progress,
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
            )
            .await;
            progress.finish_and_clear();
            shut_down(environment).await;
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
    if let Some(dir) = &setup.report_dir {
        write_target_reports(&report, dir)
            .with_context(|| format!("cannot write the reports into {}", dir.display()))?;
        eprintln!("reports written to {}", dir.display());
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
