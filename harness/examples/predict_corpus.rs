//! Benchmark: predictions per second over the real corpus, not a synthetic scenario.
//!
//! ```text
//! cargo run --release -p cors-harness --example predict_corpus -- [CASES_DIR] [SECONDS]
//! ```
//!
//! Loads every case of `CASES_DIR` (default `cases`), keeps the single-request ones, and predicts
//! them round-robin in each browser for about `SECONDS` (default 2) per browser, without
//! traces (what `run` needs to compare) and with them (what `explain` prints). Rates are per
//! second of CPU time this thread got (Linux), so a busy machine does not deflate them; case
//! loading is not timed.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cors_engine::scenario::Scenario;
use cors_engine::{Browser, predict, predict_results};
use cors_harness::case::load_paths;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "cases".into()));
    let seconds: f64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2.0);

    let loaded = load_paths(std::slice::from_ref(&dir));
    let total = loaded.len();
    let scenarios: Vec<Scenario> = loaded
        .into_iter()
        .filter_map(|case| case.result.ok())
        .map(|case| case.to_scenario())
        .filter(|scenario| scenario.requests.len() == 1)
        .collect();
    if scenarios.is_empty() {
        return Err(format!("no single-request case under {}", dir.display()).into());
    }
    println!(
        "{} single-request cases of {total} under {}",
        scenarios.len(),
        dir.display()
    );
    let budget = Duration::from_secs_f64(seconds);
    for browser in Browser::ALL {
        let results = rate(&scenarios, budget, |s| {
            black_box(predict_results(black_box(s), browser));
        });
        let traced = rate(&scenarios, budget, |s| {
            black_box(predict(black_box(s), browser));
        });
        println!(
            "{browser:<8} {results:>10.0} predictions/s of CPU without traces, {traced:>10.0} with traces"
        );
    }
    Ok(())
}

/// Predicts the scenarios round-robin for about `budget` and returns predictions per CPU second.
fn rate(scenarios: &[Scenario], budget: Duration, mut once: impl FnMut(&Scenario)) -> f64 {
    for scenario in scenarios {
        once(scenario);
    }
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let mut count: u64 = 0;
    while start.elapsed() < budget {
        for scenario in scenarios {
            once(scenario);
        }
        count += scenarios.len() as u64;
    }
    let elapsed = match (cpu_start, thread_cpu_seconds()) {
        (Some(begin), Some(end)) => end - begin,
        _ => start.elapsed().as_secs_f64(),
    };
    count as f64 / elapsed
}

/// CPU time this thread has run, in seconds (Linux); `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e9)
}
