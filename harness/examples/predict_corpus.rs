//! Benchmark: predictions per second over the real corpus, not a synthetic scenario.
//!
//! ```text
//! cargo run --release -p cors-harness --example predict_corpus -- [CASES_DIR] [SECONDS] [SLOWEST]
//! ```
//!
//! Loads every case of `CASES_DIR` (default `cases`), keeps the single-request ones, and predicts
//! them round-robin in each browser for about `SECONDS` (default 2) per browser, without
//! traces (what `run` needs to compare) and with them (what `explain` prints). Rates are per
//! second of CPU time this thread got (Linux), so a busy machine does not deflate them; case
//! loading is not timed. The heap allocations of one round are counted by this example's
//! allocator and reported per prediction. With `SLOWEST` (a number), it then lists that many
//! cases with the highest cost per prediction without traces, in Chrome: where to look next.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cors_engine::scenario::Scenario;
use cors_engine::{Browser, predict, predict_results};
use cors_harness::case::load_paths;

#[path = "../../engine/benches/support/measure.rs"]
mod measure;

use measure::{allocations, thread_cpu_seconds};

struct Named {
    name: String,
    scenario: Scenario,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "cases".into()));
    let seconds: f64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2.0);
    let slowest: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(0);

    let loaded = load_paths(std::slice::from_ref(&dir));
    let total = loaded.len();
    let cases: Vec<Named> = loaded
        .into_iter()
        .filter_map(|case| case.result.ok())
        .map(|case| Named {
            name: case.id.clone(),
            scenario: case.to_scenario(),
        })
        .filter(|case| case.scenario.requests.len() == 1)
        .collect();
    if cases.is_empty() {
        return Err(format!("no single-request case under {}", dir.display()).into());
    }
    println!(
        "{} single-request cases of {total} under {}",
        cases.len(),
        dir.display()
    );
    let scenarios: Vec<&Scenario> = cases.iter().map(|case| &case.scenario).collect();
    let budget = Duration::from_secs_f64(seconds);
    for browser in Browser::ALL {
        let results = rate(&scenarios, budget, |s| {
            black_box(predict_results(black_box(s), browser));
        });
        let traced = rate(&scenarios, budget, |s| {
            black_box(predict(black_box(s), browser));
        });
        println!(
            "{browser:<8} {:>10.0} predictions/s of CPU without traces ({:.1} allocations each), {:>10.0} with traces ({:.1})",
            results.per_second, results.allocations, traced.per_second, traced.allocations
        );
    }
    if slowest > 0 {
        let per_case = Duration::from_secs_f64(seconds / cases.len() as f64);
        let mut costs: Vec<(f64, f64, &str)> = cases
            .iter()
            .map(|case| {
                let measured = rate(&[&case.scenario], per_case, |s| {
                    black_box(predict_results(black_box(s), Browser::Chrome));
                });
                (
                    1e9 / measured.per_second,
                    measured.allocations,
                    case.name.as_str(),
                )
            })
            .collect();
        costs.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("slowest cases without traces, Chrome:");
        for (nanos, allocations, name) in costs.into_iter().take(slowest) {
            println!("  {nanos:>7.0} ns {allocations:>4.0} allocations  {name}");
        }
    }
    Ok(())
}

struct Rate {
    per_second: f64,
    allocations: f64,
}

/// Predicts the scenarios round-robin for about `budget`: predictions per CPU second, and the
/// allocations of one prediction on average.
fn rate(scenarios: &[&Scenario], budget: Duration, mut once: impl FnMut(&Scenario)) -> Rate {
    let allocations_before = allocations();
    for scenario in scenarios {
        once(scenario);
    }
    let allocations = (allocations() - allocations_before) as f64 / scenarios.len() as f64;
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
    Rate {
        per_second: count as f64 / elapsed,
        allocations,
    }
}
