//! The browser conformance suite: one trial per case and browser, named `<case id>::<browser>`
//! (e.g. `s3/preflight/put-needs-method::firefox`), so `cargo test --test conformance -- firefox`
//! runs only Firefox and `-- --list` lists every trial.
//!
//! Every trial predicts with the engine, runs the case in a real browser and compares; it passes
//! when the verdict is "agree". All trials share one origin proxy and one session pool, started
//! on first use, so only the browsers whose trials survive the filter are started. Sessions are
//! closed before the process exits.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use cors_engine::Browser;
use cors_harness::case::{Case, load_paths};
use cors_harness::runner::{EnvironmentOptions, RunEnvironment};
use cors_harness::session_pool::default_jobs;
use cors_reports::{CaseBrowserReport, Verdict};
use libtest_mimic::{Arguments, Failed, Trial};
use tokio::runtime::Runtime;
use tokio::sync::OnceCell;

/// State shared by every trial.
struct Suite {
    runtime: Runtime,
    jobs: usize,
    environment: OnceCell<Result<RunEnvironment, String>>,
}

impl Suite {
    fn run(&self, case: &Case, browser: Browser) -> Result<(), Failed> {
        self.runtime.block_on(async {
            let environment = self
                .environment
                .get_or_init(|| async {
                    RunEnvironment::start(EnvironmentOptions {
                        jobs: self.jobs,
                        webdriver: None,
                    })
                    .await
                    .map_err(|e| format!("cannot start the run environment: {e}"))
                })
                .await
                .as_ref()
                .map_err(|e| Failed::from(e.as_str()))?;
            let report = environment.run_case(case, browser).await;
            match report.verdict {
                Verdict::Agree => Ok(()),
                _ => Err(Failed::from(describe(&report))),
            }
        })
    }

    fn shutdown(self) {
        let Suite {
            runtime,
            environment,
            ..
        } = self;
        if let Some(Ok(environment)) = environment.into_inner() {
            runtime.block_on(environment.shutdown());
        }
    }
}

/// A failed trial's message: the verdict, each difference with the engine's explanation, and
/// each failed expectation.
fn describe(report: &CaseBrowserReport) -> String {
    let mut text = format!("verdict: {}\n", report.verdict.as_str());
    if let Some(error) = &report.infrastructure_error {
        text.push_str(&format!("infrastructure error: {error}\n"));
    }
    for (index, request) in report.requests.iter().enumerate() {
        if request.differences.is_empty() {
            continue;
        }
        text.push_str(&format!("request {} ({}):\n", index + 1, request.label));
        for difference in &request.differences {
            text.push_str(&format!(
                "  {}: predicted {}, observed {}\n",
                difference.field, difference.predicted, difference.observed
            ));
        }
        text.push_str("  why the engine predicted that:\n");
        for line in request.explanation.to_string().lines() {
            text.push_str(&format!("    {line}\n"));
        }
        if let Some(observed) = &request.observed {
            for exchange in &observed.wire {
                text.push_str(&format!(
                    "  on the wire: {} {} -> {}\n",
                    exchange.method, exchange.url, exchange.status
                ));
            }
            if let Some(console) = observed.reason.as_ref().and_then(|r| r.console.as_ref()) {
                text.push_str(&format!("  browser console: {console}\n"));
            }
        }
    }
    for failure in &report.expectation_failures {
        text.push_str(&format!("expectation failed: {failure}\n"));
    }
    text
}

fn cases_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases")
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let suite = Arc::new(Suite {
        runtime,
        // Each trial holds one session while it runs, so as many sessions as test threads.
        jobs: args.test_threads.unwrap_or_else(default_jobs),
        environment: OnceCell::new(),
    });

    let mut trials = Vec::new();
    for loaded in load_paths(&[cases_root()]) {
        match loaded.result {
            Ok(case) => {
                let case = Arc::new(case);
                for browser in case.browsers.clone() {
                    let suite = Arc::clone(&suite);
                    let case = Arc::clone(&case);
                    let name = format!("{}::{browser}", case.id);
                    trials.push(Trial::test(name, move || suite.run(&case, browser)));
                }
            }
            Err(error) => {
                let message = error.to_string();
                trials.push(Trial::test(format!("{}::load", loaded.id), move || {
                    Err(Failed::from(message.as_str()))
                }));
            }
        }
    }

    let conclusion = libtest_mimic::run(&args, trials);
    // Every trial closure (and its clone of the suite) is gone once `run` returns.
    match Arc::try_unwrap(suite) {
        Ok(suite) => suite.shutdown(),
        Err(_) => eprintln!("warning: browser sessions could not be closed cleanly"),
    }
    conclusion.exit_code()
}
