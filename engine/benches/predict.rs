//! Predictions per second on one core, for single-request scenarios.
//!
//! Run with:
//!
//! ```text
//! cargo bench -p cors-engine --bench predict            # every scenario
//! cargo bench -p cors-engine --bench predict -- bucket  # scenarios whose name contains "bucket"
//! cargo bench -p cors-engine --bench predict -- bucket results chrome  # ... every word must match
//! ```
//!
//! Each scenario is predicted repeatedly for about a second per browser, twice: with
//! `predict_results` (the results only, what a caller comparing outcomes uses) and with
//! `predict` (results plus the step-by-step explanation). The output is one line per (scenario,
//! browser, kind) with predictions per second, per second of CPU time this thread got (read from
//! `/proc/thread-self/schedstat`, so a busy machine does not deflate the number) and, for
//! reference, per wall-clock second, and the heap allocations one prediction makes (counted by
//! this benchmark's allocator; unlike the rates, that number does not depend on the machine).
//! Nothing is asserted: the rates depend on the machine.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use cors_engine::scenario::{
    BucketModel, ObjectSpec, RawModel, RawResponse, RequestSpec, Scenario, ServerModel,
};
use cors_engine::{Browser, predict, predict_results};

#[path = "support/measure.rs"]
mod measure;

use measure::{allocations, thread_cpu_seconds};

const PAGE: &str = "https://app.example.com";

fn raw(request: RequestSpec) -> Scenario {
    Scenario {
        page_origin: PAGE.into(),
        server: ServerModel::Raw(RawModel {
            origin: "https://api.example.com".into(),
            preflight: RawResponse {
                status: 204,
                headers: [
                    ("Access-Control-Allow-Origin", PAGE),
                    ("Access-Control-Allow-Methods", "PUT"),
                    ("Access-Control-Allow-Headers", "x-token"),
                ]
                .into_iter()
                .collect(),
                body: Vec::new(),
            },
            response: RawResponse {
                status: 200,
                headers: [
                    ("Access-Control-Allow-Origin", PAGE),
                    ("Content-Type", "application/json"),
                ]
                .into_iter()
                .collect(),
                body: b"{}".to_vec(),
            },
        }),
        requests: vec![request],
    }
}

fn bucket(request: RequestSpec) -> Scenario {
    let (cors, _) = cors_engine::config::parse(
        r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]}]"#,
    )
    .expect("valid configuration");
    let mut objects = BTreeMap::new();
    objects.insert(
        "cat.jpg".to_string(),
        ObjectSpec {
            content_type: "image/jpeg".into(),
            body: b"meow".to_vec().into(),
        },
    );
    Scenario {
        page_origin: PAGE.into(),
        server: ServerModel::Bucket(BucketModel {
            name: "assets".into(),
            endpoint: "https://assets.s3.amazonaws.com".into(),
            cors: Some(cors),
            objects,
        }),
        requests: vec![request],
    }
}

fn put(url: &str) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.method = "PUT".into();
    r.headers.push("X-Token", "1");
    r
}

fn measure(name: &str, scenario: &Scenario) {
    for browser in Browser::ALL {
        rate(name, browser, "results", || {
            black_box(predict_results(black_box(scenario), browser));
        });
        rate(name, browser, "+ trace", || {
            black_box(predict(black_box(scenario), browser));
        });
    }
}

/// Whether the command line selects this measurement: `cargo bench` passes `--bench`; every
/// other argument must occur in "<scenario> <browser> <kind>" (`-- bucket results` measures
/// the bucket scenarios without traces).
fn selected(label: &str) -> bool {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .all(|filter| label.contains(filter.as_str()))
}

/// Runs `once` in batches for about a second (after a warm-up) and prints the rate.
fn rate(name: &str, browser: Browser, kind: &str, mut once: impl FnMut()) {
    if !selected(&format!("{name} {browser} {kind}")) {
        return;
    }
    for _ in 0..1000 {
        once();
    }
    let allocations_before = allocations();
    once();
    let allocations = allocations() - allocations_before;
    let cpu_start = thread_cpu_seconds().unwrap_or(0.0);
    let start = Instant::now();
    let mut count: u64 = 0;
    while start.elapsed() < Duration::from_secs(1) {
        for _ in 0..1000 {
            once();
        }
        count += 1000;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().map(|end| end - cpu_start);
    let per_cpu_second = cpu.map_or(f64::NAN, |cpu| count as f64 / cpu);
    let per_wall_second = count as f64 / wall;
    println!(
        "{name:<30} {browser:<8} {kind:<8} {per_cpu_second:>10.0} predictions/s of CPU  ({per_wall_second:.0} per wall-clock s, {allocations} allocations each)"
    );
}

fn main() {
    measure(
        "raw GET (simple, allowed)",
        &raw(RequestSpec::fetch("https://api.example.com/a")),
    );
    measure(
        "raw PUT + header (preflight)",
        &raw(put("https://api.example.com/a")),
    );
    measure(
        "bucket GET (simple, allowed)",
        &bucket(RequestSpec::fetch(
            "https://assets.s3.amazonaws.com/cat.jpg",
        )),
    );
    measure(
        "bucket PUT (preflight)",
        &bucket(put("https://assets.s3.amazonaws.com/cat.jpg")),
    );
}
