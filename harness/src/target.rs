//! External targets: checking a real S3-compatible server's CORS answers against S3's, and real
//! browsers against the engine given that server's answers (`cors-harness run --target URL …`,
//! documented in `docs/external-targets.md`).
//!
//! Two stages, two verdict kinds, never mixed. The *probe* creates a fresh bucket on the target
//! for every bucket case, applies the case's CORS configuration, uploads its objects, sends the
//! exchanges the engine predicts a browser puts on the wire, and records each way the target's
//! answer differs from S3's as a [`ServerDeviation`] ("the server deviates from S3"). The
//! *browser stage* runs each case in real browsers against the target and compares what they did
//! with the engine's prediction from the answers the target really sent ("the browser disagrees
//! with the engine, given what the target sent").
//!
//! * [`endpoint`]: the [`ExternalTarget`] and how its buckets are addressed;
//! * [`client`]: the SigV4-signed S3 client;
//! * [`cleanup`]: unique bucket names and the registry that deletes every created bucket;
//! * [`setup`]: seeding a case's bucket on the target;
//! * [`probe`]: one case's probe; [`deviation`]: comparing answers;
//! * [`forward`]: the router that forwards a browser run's bucket traffic to the target, and
//!   [`record`]: what it answered;
//! * [`browser_stage`]: the browser runs against the target, and `browser_verdict`: their
//!   verdicts;
//! * [`command`]: the command-line entry.
//!
//! The [`TargetReport`] these build, and its renderings, are `cors_reports::target`'s.

pub mod browser_stage;
mod browser_verdict;
pub mod cleanup;
pub mod client;
pub mod command;
pub mod deviation;
pub mod endpoint;
pub mod forward;
pub mod probe;
pub mod record;
pub mod setup;
mod sigv4;

pub use browser_stage::{BrowserStageOptions, run_browser_stage};
pub use cleanup::{BucketNamer, BucketRegistry};
pub use client::{ClientError, S3Client};
pub use command::run_target_command;
pub use endpoint::{Addressing, ExternalTarget, TargetError};
pub use forward::{forwarding_router, recording_router};
pub use record::Recording;
pub use setup::{Seeded, seed_bucket};

use std::sync::Arc;

use cors_engine::Browser;
use cors_reports::target::{TargetInfo, TargetReport};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::case::Case;

/// How many cases are probed at the same time unless told otherwise: enough to hide a server's
/// latency, few enough not to load a small test server.
pub const DEFAULT_PROBE_JOBS: usize = 4;

/// How a probe run goes.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Cases in flight at most (at least 1).
    pub jobs: usize,
    /// Whose predicted wire exchanges to send, in order of preference; a case uses the first
    /// one it runs in, else Chrome, else its first browser.
    pub browsers: Vec<Browser>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            jobs: DEFAULT_PROBE_JOBS,
            browsers: Vec::new(),
        }
    }
}

/// Probes every bucket case (other cases are skipped) against `target`, a few at a time, and
/// deletes every bucket it created. Cases come back in input order.
pub async fn probe_target(
    target: &ExternalTarget,
    cases: &[Case],
) -> Result<TargetReport, ClientError> {
    probe_target_with(
        target,
        cases,
        &BucketRegistry::new(),
        &ProbeOptions::default(),
    )
    .await
}

/// [`probe_target`] with a registry the caller holds, so it can still delete the buckets of an
/// interrupted run (Ctrl-C), and [`ProbeOptions`]. Each case has its own bucket,
/// so cases cannot see each other's objects or configuration.
pub async fn probe_target_with(
    target: &ExternalTarget,
    cases: &[Case],
    registry: &BucketRegistry,
    options: &ProbeOptions,
) -> Result<TargetReport, ClientError> {
    let client = S3Client::new(target.clone())?;
    let namer = Arc::new(BucketNamer::new());
    let slots = Arc::new(Semaphore::new(options.jobs.max(1)));
    // Dropping the set (an interrupted run) aborts the probes still queued or running.
    let mut running = JoinSet::new();
    for (index, case) in cases.iter().enumerate() {
        let (client, registry, namer, slots, case) = (
            client.clone(),
            registry.clone(),
            namer.clone(),
            slots.clone(),
            case.clone(),
        );
        let browser = probe::browser_for(&case, &options.browsers);
        running.spawn(async move {
            let _slot = slots.acquire_owned().await;
            (
                index,
                probe::probe_case(&client, &registry, &namer, &case, browser).await,
            )
        });
    }
    let mut probes = Vec::new();
    while let Some(joined) = running.join_next().await {
        // `probe_case` catches its own panics, so a join error cannot lose a case's bucket.
        if let Ok((index, Some(probe))) = joined {
            probes.push((index, probe));
        }
    }
    probes.sort_by_key(|(index, _)| *index);
    // A second chance for buckets whose deletion failed right after their case.
    registry.delete_all(&client).await;
    Ok(TargetReport::new(
        TargetInfo::from(target),
        probes.into_iter().map(|(_, probe)| probe).collect(),
        registry.live(),
    ))
}
