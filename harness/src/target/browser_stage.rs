//! The browser stage of `run --target`: every bucket case runs in each selected real browser,
//! with the case's bucket origin answered by the target through a [`recording_router`] instead
//! of the project's in-memory bucket server. Afterwards the engine predicts the run *given what
//! the target sent* (a [`RecordedModel`] of the router's exchanges) and the browser's
//! observation is compared with that prediction, exactly as `cors-harness run` compares.
//!
//! Each (case, browser) run — and each retry of it — gets a freshly seeded bucket of its own, so
//! uploads made in one browser are not there for the other. Every bucket is registered before it
//! is created and deleted right after its run; whatever an interruption leaves registered is the
//! caller's to delete.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use cors_engine::Browser;
use cors_engine::http::origin_of;
use cors_engine::scenario::{RecordedModel, ServerModel};
use indicatif::ProgressBar;

use cors_reports::target::{BrowserRun, BrowserStage, BrowserVersion};

use super::browser_verdict::{failed_run, judged_run};
use super::cleanup::{BucketNamer, BucketRegistry};
use super::client::S3Client;
use super::forward::recording_router;
use super::record::Recording;
use super::setup::seed_bucket;
use crate::case::{BucketCase, Case};
use crate::compare::compare_requests;
use crate::runner::{CaseJob, RunEnvironment, RunError, predict_guarded, run_jobs};

/// How the browser stage runs.
#[derive(Debug, Clone, Default)]
pub struct BrowserStageOptions {
    /// Browsers to run; empty = every browser a case allows.
    pub browsers: Vec<Browser>,
    /// Sessions per browser (at least 1).
    pub sessions: usize,
}

/// What one job shares with every other.
struct Shared {
    client: S3Client,
    registry: BucketRegistry,
    namer: BucketNamer,
}

/// Runs every bucket case of `cases` in each selected browser of `environment` against the
/// client's target. `None` when `interrupted` resolves first; every job has stopped by then
/// (buckets they created may still be registered in `registry`).
pub async fn run_browser_stage(
    environment: &Arc<RunEnvironment>,
    client: &S3Client,
    cases: &[Case],
    registry: &BucketRegistry,
    options: &BrowserStageOptions,
    progress: &ProgressBar,
    interrupted: impl Future<Output = ()>,
) -> Option<BrowserStage> {
    let jobs = jobs(cases, &options.browsers);
    progress.set_length(u64::try_from(jobs.len()).unwrap_or(u64::MAX));
    let expected: Vec<(usize, Browser)> = jobs.iter().map(|j| (j.index, j.browser)).collect();
    let shared = Arc::new(Shared {
        client: client.clone(),
        registry: registry.clone(),
        namer: BucketNamer::new(),
    });
    let (mut running, mut finished) = run_jobs(
        Arc::clone(environment),
        jobs,
        options.sessions.max(1),
        move |environment, job| {
            let shared = Arc::clone(&shared);
            async move {
                let (run, version) = run_case(&environment, &shared, &job).await;
                (job.index, run, version)
            }
        },
    );

    let mut runs: BTreeMap<(usize, Browser), BrowserRun> = BTreeMap::new();
    let mut versions: BTreeMap<Browser, String> = BTreeMap::new();
    tokio::pin!(interrupted);
    loop {
        tokio::select! {
            next = finished.recv() => match next {
                None => break,
                Some((index, run, version)) => {
                    if let Some(version) = version {
                        versions.insert(run.browser, version);
                    }
                    runs.insert((index, run.browser), run);
                    progress.inc(1);
                }
            },
            () = &mut interrupted => {
                running.abort_all();
                while running.join_next().await.is_some() {}
                return None;
            }
        }
    }
    // A worker stops early only by panicking; its remaining runs are reported, not lost.
    while running.join_next().await.is_some() {}
    let runs = expected
        .into_iter()
        .map(|(index, browser)| {
            runs.remove(&(index, browser)).unwrap_or_else(|| {
                failed_run(
                    &cases[index].id,
                    browser,
                    String::new(),
                    "the run did not finish (its worker stopped)".to_owned(),
                )
            })
        })
        .collect();
    let browsers = versions
        .into_iter()
        .map(|(browser, version)| BrowserVersion { browser, version })
        .collect();
    Some(BrowserStage::new(runs, browsers))
}

/// One job per bucket case and browser it runs in (among `wanted`, when given).
fn jobs(cases: &[Case], wanted: &[Browser]) -> Vec<CaseJob> {
    let mut jobs = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        if case.bucket().is_none() {
            continue;
        }
        let case = Arc::new(case.clone());
        for browser in case.browsers_among(wanted) {
            jobs.push(CaseJob {
                index,
                case: Arc::clone(&case),
                browser,
            });
        }
    }
    jobs
}

/// The buckets of a run's attempts and the recording of the last one.
#[derive(Default)]
struct Attempts {
    buckets: Vec<String>,
    recording: Option<Recording>,
}

/// Runs one case in one browser against the target and judges it; also returns the browser
/// version the session reported.
async fn run_case(
    environment: &RunEnvironment,
    shared: &Arc<Shared>,
    job: &CaseJob,
) -> (BrowserRun, Option<String>) {
    let case = &job.case;
    let browser = job.browser;
    let Some(bucket_case) = case.bucket() else {
        let error = "not a bucket case".to_owned();
        return (failed_run(&case.id, browser, String::new(), error), None);
    };
    let scenario = case.to_scenario();
    let attempts = Arc::new(Mutex::new(Attempts::default()));
    let observation = environment
        .runner()
        .observe_with(browser, &scenario, || {
            prepare_attempt(
                Arc::clone(shared),
                case.id.clone(),
                bucket_case.clone(),
                Arc::clone(&attempts),
            )
        })
        .await;
    let Attempts { buckets, recording } =
        std::mem::take(&mut *attempts.lock().unwrap_or_else(PoisonError::into_inner));

    let mut cleanup_errors = Vec::new();
    for bucket in &buckets {
        if let Err(error) = shared.registry.delete(&shared.client, bucket).await {
            cleanup_errors.push(format!("{bucket}: {error}"));
        }
    }
    let bucket = buckets.last().cloned().unwrap_or_default();
    let recorded = recording.map(|r| r.exchanges()).unwrap_or_default();

    let mut judged = scenario;
    judged.server = ServerModel::Recorded(RecordedModel {
        origin: origin_of(&bucket_case.endpoint).unwrap_or_else(|| bucket_case.endpoint.clone()),
        exchanges: recorded.clone(),
    });
    let mut run = match predict_guarded(&judged, browser) {
        Ok(prediction) => {
            let specs: Vec<_> = case.requests.iter().map(|r| &r.spec).collect();
            let no_expectations = vec![None; specs.len()];
            let report = compare_requests(
                browser,
                &specs,
                &no_expectations,
                None,
                &prediction,
                observation.as_ref(),
            );
            judged_run(&case.id, &report, bucket, &recorded)
        }
        Err(message) => failed_run(&case.id, browser, bucket, message),
    };
    if !cleanup_errors.is_empty() {
        run.cleanup_error = Some(cleanup_errors.join("; "));
    }
    let version = observation.ok().map(|o| o.browser_version);
    (run, version)
}

/// One attempt's server: a fresh bucket on the target, registered, seeded as the case says,
/// behind a recording forwarding router.
async fn prepare_attempt(
    shared: Arc<Shared>,
    case_id: String,
    bucket_case: BucketCase,
    attempts: Arc<Mutex<Attempts>>,
) -> Result<axum::Router, RunError> {
    let bucket = shared.namer.next_name();
    shared.registry.register(&bucket);
    attempts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .buckets
        .push(bucket.clone());
    // A configuration the target stores differently from S3 is the probe's finding; the
    // browser is judged by whatever the target then answers.
    seed_bucket(&shared.client, &case_id, &bucket_case, &bucket)
        .await
        .map_err(|error| RunError::Setup {
            message: format!("cannot seed bucket {bucket} on the target: {error}"),
        })?;
    let (router, recording) = recording_router(shared.client.clone(), bucket_case, bucket);
    attempts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .recording = Some(recording);
    Ok(router)
}
