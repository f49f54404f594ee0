//! `cors-harness run [PATHS…]`: predict each case, run it in real browsers, compare, summarise.
//!
//! Cases × browsers run in parallel, `--jobs` sessions per browser. The result is one
//! [`RunReport`] (documented in `docs/run-json.md`): printed as a readable summary or as JSON,
//! written as every report format into `--report-dir` (default `target/cors-report`, none with
//! `--no-report`), and optionally compared with a `--baseline`. Exit codes (`docs/cli.md`): 0
//! everything agreed; 1 a divergence or a failed expectation (with a baseline: a regression); 2 a
//! broken case file or an infrastructure error. Ctrl-C closes every browser, writes the report of
//! the runs that finished (the others are infrastructure errors, and `interrupted` is set) and
//! exits with 2.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use cors_engine::Browser;
use cors_reports::{
    BrowserInfo, CaseBrowserReport, CaseReport, RunReport, SCHEMA_VERSION, Verdict,
};

use super::setup::{RunSetup, runtime, shut_down};
use crate::case::LoadedCase;
use crate::cli::{OutputFormat, RunArgs};
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, write_stdout};
use crate::runner::{CaseJob, FinishedRun, run_all};

pub fn execute(args: RunArgs) -> anyhow::Result<ExitCode> {
    // `--target URL` probes an S3-compatible server instead of running browsers.
    if args.target.is_some() {
        return crate::target::run_target_command(args);
    }
    let setup = RunSetup::from_args(&args)?;
    runtime()?.block_on(run(setup, args))
}

/// When each browser's first case started and last case ended, and how many ran.
#[derive(Default, Clone, Copy)]
struct BrowserClock {
    first_start: Option<Instant>,
    first_end: Option<Instant>,
    last_end: Option<Instant>,
    runs: usize,
}

async fn run(setup: RunSetup, args: RunArgs) -> anyhow::Result<ExitCode> {
    let started_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let clock = Instant::now();
    let selected = setup.load()?;
    let baseline = match &args.baseline {
        Some(path) if path.exists() || !args.update_baseline => Some(
            cors_reports::baseline::load_baseline(path)
                .with_context(|| format!("cannot read the baseline {}", path.display()))?,
        ),
        _ => None,
    };

    let mut jobs = Vec::new();
    for (case_index, entry) in selected.iter().enumerate() {
        if let Some(case) = entry.case() {
            let case = Arc::new(case.clone());
            for browser in case.browsers_among(&setup.browsers) {
                jobs.push(CaseJob {
                    index: case_index,
                    case: Arc::clone(&case),
                    browser,
                });
            }
        }
    }
    let browsers: Vec<Browser> = Browser::ALL
        .into_iter()
        .filter(|b| jobs.iter().any(|j| j.browser == *b))
        .collect();
    let planned: Vec<(usize, Browser)> = jobs.iter().map(|j| (j.index, j.browser)).collect();

    let environment = setup.start_environment(&browsers).await?;
    let progress = crate::progress::case_run_bar(jobs.len());
    let mut results: BTreeMap<usize, Vec<CaseBrowserReport>> = BTreeMap::new();
    let mut clocks: BTreeMap<Browser, BrowserClock> = BTreeMap::new();
    let (mut running, mut finished) = run_all(Arc::clone(&environment), jobs, setup.sessions);
    let interrupted = loop {
        tokio::select! {
            next = finished.recv() => match next {
                None => break false,
                Some(run) => {
                    record(run, &mut clocks, &mut results);
                    progress.inc(1);
                }
            },
            _ = tokio::signal::ctrl_c() => break true,
        }
    };
    // A worker only stops early by panicking; say so rather than lose it silently.
    while let Some(ended) = running.try_join_next() {
        if let Err(error) = ended
            && error.is_panic()
        {
            progress.suspend(|| eprintln!("error: a case runner failed: {error}"));
        }
    }
    progress.finish_and_clear();
    if interrupted {
        eprintln!("interrupted: closing the browsers");
        running.abort_all();
        while running.join_next().await.is_some() {}
        // Runs that finished while the workers were stopping still count.
        while let Ok(run) = finished.try_recv() {
            record(run, &mut clocks, &mut results);
        }
        for (index, browser) in planned {
            let runs = results.entry(index).or_default();
            if !runs.iter().any(|r| r.browser == browser) {
                runs.push(not_run(browser));
            }
        }
    }
    let versions: BTreeMap<Browser, String> = browsers
        .iter()
        .map(|b| (*b, environment.browser_version(*b).unwrap_or_default()))
        .collect();
    shut_down(environment).await;

    let report = RunReport {
        schema_version: SCHEMA_VERSION,
        started_at,
        duration_ms: millis(clock.elapsed()),
        browsers: browsers
            .iter()
            .map(|b| {
                let clock = clocks.get(b).copied().unwrap_or_default();
                BrowserInfo {
                    browser: *b,
                    version: versions.get(b).cloned().unwrap_or_default(),
                    duration_ms: match (clock.first_start, clock.last_end) {
                        (Some(start), Some(end)) => millis(end - start),
                        _ => 0,
                    },
                }
            })
            .collect(),
        cases: selected
            .iter()
            .enumerate()
            .map(|(index, entry)| case_report(entry, results.remove(&index).unwrap_or_default()))
            .collect(),
        interrupted,
    };

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut exit = report.exit_code();
    match args.format {
        OutputFormat::Human => {
            write_stdout(&cors_reports::terminal::summary(&report, color))?;
            eprint!("{}", throughput(&report, &clocks));
        }
        OutputFormat::Json => write_stdout(&format!("{}\n", cors_reports::to_json(&report)))?,
    }
    if let Some(dir) = &setup.report_dir {
        cors_reports::write_reports(&report, dir)
            .with_context(|| format!("cannot write the reports into {}", dir.display()))?;
        eprintln!("reports written to {}", dir.display());
    }
    if interrupted {
        // Half a run says nothing about what got worse, and must not become the baseline.
        if args.baseline.is_some() {
            eprintln!("interrupted: the baseline was neither compared nor updated");
        }
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    if let Some(baseline) = &baseline {
        let diff = cors_reports::baseline::compare(baseline, &report);
        let text = cors_reports::terminal::baseline(&diff, color);
        match args.format {
            OutputFormat::Human => write_stdout(&text)?,
            OutputFormat::Json => eprint!("{text}"),
        }
        // Known divergences do not fail the run; what got worse (or new failures) does.
        if exit == EXIT_FAILED && !baseline_fails(&diff) {
            exit = EXIT_OK;
        }
    }
    if let (Some(path), true) = (&args.baseline, args.update_baseline) {
        cors_reports::update_baseline(path, &report)
            .with_context(|| format!("cannot update the baseline {}", path.display()))?;
        eprintln!("updated {}", path.display());
    }
    Ok(ExitCode::from(exit))
}

/// Keeps a finished run's report and its times.
fn record(
    run: FinishedRun,
    clocks: &mut BTreeMap<Browser, BrowserClock>,
    results: &mut BTreeMap<usize, Vec<CaseBrowserReport>>,
) {
    let clock = clocks.entry(run.browser).or_default();
    let (start, end) = (run.started, run.ended);
    clock.first_start = Some(clock.first_start.map_or(start, |s| s.min(start)));
    clock.first_end = Some(clock.first_end.map_or(end, |e| e.min(end)));
    clock.last_end = Some(clock.last_end.map_or(end, |e| e.max(end)));
    clock.runs += 1;
    results.entry(run.index).or_default().push(run.report);
}

/// A case-browser run that Ctrl-C stopped before it finished (or started).
fn not_run(browser: Browser) -> CaseBrowserReport {
    CaseBrowserReport {
        browser,
        verdict: Verdict::InfrastructureError,
        duration_ms: 0,
        attempts: 0,
        infrastructure_error: Some("not run: the run was interrupted (Ctrl-C)".to_owned()),
        expectation_failures: Vec::new(),
        requests: Vec::new(),
    }
}

fn case_report(entry: &LoadedCase, mut browsers: Vec<CaseBrowserReport>) -> CaseReport {
    browsers.sort_by_key(|b| b.browser);
    match entry.case() {
        Some(case) => CaseReport {
            id: case.id.clone(),
            title: case.title.clone(),
            tags: case.tags.clone(),
            file: entry.path.display().to_string(),
            load_error: None,
            browsers,
        },
        None => CaseReport {
            id: entry.id.clone(),
            title: String::new(),
            tags: Vec::new(),
            file: entry.path.display().to_string(),
            load_error: entry.error().map(ToString::to_string),
            browsers: Vec::new(),
        },
    }
}

fn baseline_fails(diff: &cors_reports::BaselineDiff) -> bool {
    use cors_reports::baseline::Change;
    diff.has_regressions()
        || diff.with_change(Change::New).any(|e| {
            matches!(
                e.current,
                Some(Verdict::Diverge | Verdict::ExpectationFailed)
            )
        })
}

/// Case-runs per second for each browser: over the whole run (session starts included) and
/// warm (from the first finished case to the last one, when sessions are already up).
fn throughput(report: &RunReport, clocks: &BTreeMap<Browser, BrowserClock>) -> String {
    let mut out = String::new();
    for info in &report.browsers {
        let Some(clock) = clocks.get(&info.browser) else {
            continue;
        };
        if info.version.is_empty() {
            let _ = writeln!(
                out,
                "{}: no session could start; {} case-runs not run",
                info.browser, clock.runs
            );
            continue;
        }
        let total = Duration::from_millis(info.duration_ms).as_secs_f64();
        let mut line = format!(
            "{} {}: {} case-runs in {:.1} s, {:.1} case-runs/s",
            info.browser,
            info.version,
            clock.runs,
            total,
            per_second(clock.runs, total)
        );
        if let (Some(first), Some(last)) = (clock.first_end, clock.last_end)
            && clock.runs > 1
        {
            let warm = (last - first).as_secs_f64();
            let _ = write!(line, " ({:.1}/s warm)", per_second(clock.runs - 1, warm));
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

fn per_second(count: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
