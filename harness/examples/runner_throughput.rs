//! Benchmark: how many case-runs per second each browser sustains once its sessions are warm.
//!
//! ```text
//! cargo run --release -p cors-harness --example runner_throughput -- [CASES_DIR] [ROUNDS] [JOBS] [skip-waits]
//! ```
//!
//! Runs every case of `CASES_DIR` (default `cases`) `ROUNDS` times (default 5) in each browser,
//! `JOBS` sessions per browser (default: one per core), one browser after the other so they do
//! not compete for the CPU. The first round starts the sessions and is reported apart; the
//! warm figure covers the remaining rounds. With `skip-waits`, cases whose requests pause
//! (`wait_ms`, e.g. to let a preflight-cache entry expire) are left out: their pauses measure the
//! case, not the harness.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use cors_engine::Browser;
use cors_harness::case::load_paths;
use cors_harness::runner::{CaseJob, EnvironmentOptions, RunEnvironment, run_all};
use cors_harness::session_pool::default_jobs;
use cors_reports::Verdict;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "cases".into()));
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);
    let jobs_per_browser: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or_else(default_jobs);
    let skip_waits = args.next().as_deref() == Some("skip-waits");
    let cases: Vec<_> = load_paths(&[dir])
        .into_iter()
        .filter_map(|c| c.result.ok())
        .filter(|c| !skip_waits || c.requests.iter().all(|r| r.spec.wait_ms == 0))
        .map(Arc::new)
        .collect();
    println!(
        "{} cases, {rounds} rounds, {jobs_per_browser} sessions per browser",
        cases.len()
    );
    for browser in Browser::ALL {
        let environment = Arc::new(
            RunEnvironment::start(EnvironmentOptions {
                jobs: jobs_per_browser,
                webdriver: None,
            })
            .await?,
        );
        let mut warm_runs = 0;
        let mut warm_seconds = 0.0;
        for round in 0..rounds {
            let start = Instant::now();
            let jobs = cases
                .iter()
                .filter(|c| c.runs_in(browser))
                .enumerate()
                .map(|(index, case)| CaseJob {
                    index,
                    case: Arc::clone(case),
                    browser,
                })
                .collect();
            // The scheduler `cors-harness run` uses: sessions walk the cases by page origin.
            let (_workers, mut finished) =
                run_all(Arc::clone(&environment), jobs, jobs_per_browser);
            let mut runs = 0;
            let mut infrastructure = 0;
            while let Some(run) = finished.recv().await {
                runs += 1;
                if run.report.verdict == Verdict::InfrastructureError {
                    infrastructure += 1;
                }
            }
            let seconds = start.elapsed().as_secs_f64();
            let label = if round == 0 { "cold" } else { "warm" };
            println!(
                "{browser} round {} ({label}): {runs} case-runs in {seconds:.2} s = {:.1}/s, {infrastructure} infrastructure errors",
                round + 1,
                runs as f64 / seconds
            );
            if round > 0 {
                warm_runs += runs;
                warm_seconds += seconds;
            }
        }
        if warm_seconds > 0.0 {
            println!(
                "{browser} {}: {:.1} case-runs/s warm",
                environment.browser_version(browser).unwrap_or_default(),
                warm_runs as f64 / warm_seconds
            );
        }
        if let Ok(environment) = Arc::try_unwrap(environment) {
            environment.shutdown().await;
        }
    }
    Ok(())
}
