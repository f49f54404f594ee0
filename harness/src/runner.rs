//! Running one case in one real browser and recording what happened.
//!
//! For every attempt the runner gives the case a fresh, unguessable run id, builds its servers (a seeded
//! in-memory bucket or a literal-header server, plus the runner page) and registers them with the
//! origin proxy under that id, so every URL of the run (`<origin>/__run/<id>/…`) is new to the
//! browser's caches. It then loads the runner page on the case's page origin and runs all of the
//! case's requests, in order, inside the page with a single `execute_async` call. The observation
//! for each request combines the page's report (outcome, status, readable headers, canvas
//! taint), the proxy's wire log (split per request by markers, see [`wire`]) and, in Chrome, the
//! console's "blocked by CORS policy" line mapped to the engine's reason code.
//!
//! A broken session (WebDriver error, crashed browser, a request that never finishes) is an
//! infrastructure error: the session is replaced and the case retried once.
//!
//! [`Runner::observe`] answers the case's server origins with the in-memory servers of
//! [`servers`]; [`Runner::observe_with`] lets the caller supply that router for every attempt
//! instead (a browser run against an external target forwards to it).

mod console;
mod environment;
mod page;
mod schedule;
mod servers;
mod wire;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use cors_engine::observation::{Reason, RequestResult};
use cors_engine::{Browser, ReasonCode, Scenario};
use cors_servers::{ProxyError, ProxyHandle};
use serde::Serialize;

use crate::browsers::{BrowserError, BrowserSession, LoadedPage, PAGE_LOAD_TIMEOUT};
use crate::session_pool::SessionPool;

pub(crate) use environment::predict_guarded;
pub use environment::{EnvironmentOptions, RunEnvironment};
pub use schedule::{CaseJob, FinishedRun, run_all, run_jobs};
pub use servers::server_router;

/// How long one request may take inside the page before the run counts as broken.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How much longer than the browser's own limit for it (the script or page-load timeout) a
/// WebDriver command may take before the browser counts as no longer answering. A page whose
/// script never yields blocks the very timers that enforce those limits, in the page and in the
/// driver alike; only the harness's own clock still runs.
const WEBDRIVER_GRACE: Duration = Duration::from_secs(10);
/// How long a WebDriver command with no limit of its own (setting timeouts, reading the console)
/// may take.
const WEBDRIVER_COMMAND_DEADLINE: Duration = Duration::from_secs(30);
/// How many times a case is tried when its session breaks.
const ATTEMPTS: u32 = 2;
/// How many case runs one loaded runner page serves before it is loaded afresh (bounds whatever
/// the cases' scripts and elements leave behind in the document).
const PAGE_REUSE_LIMIT: u32 = 200;

/// Why a case could not be observed. Never a statement about CORS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    #[error(transparent)]
    Browser(#[from] BrowserError),
    #[error("the origin proxy refused the run: {0}")]
    Proxy(#[from] ProxyError),
    #[error("{message}")]
    Setup { message: String },
    #[error("WebDriver {step} failed: {source}")]
    WebDriver {
        step: &'static str,
        #[source]
        source: fantoccini::error::CmdError,
    },
    #[error("the runner page failed: {message}")]
    Page { message: String },
    #[error("request {index} gave no result within {} s", timeout.as_secs())]
    RequestTimedOut { index: usize, timeout: Duration },
    #[error("the browser stopped answering WebDriver: {step} took more than {} s", waited.as_secs())]
    Unresponsive {
        step: &'static str,
        waited: Duration,
    },
}

impl RunError {
    /// Whether trying again (with a fresh session) can help.
    fn is_transient(&self) -> bool {
        !matches!(
            self,
            RunError::Browser(BrowserError::Missing { .. })
                | RunError::Setup { .. }
                | RunError::Proxy(_)
        )
    }
}

/// A case that could not be observed, after every attempt.
#[derive(Debug, thiserror::Error)]
#[error("{error} (after {attempts} attempt{})", if *attempts == 1 { "" } else { "s" })]
pub struct InfrastructureError {
    pub attempts: u32,
    /// What went wrong on each attempt, oldest first.
    pub earlier: Vec<String>,
    #[source]
    pub error: RunError,
}

/// What the browser did with one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseObservation {
    pub browser: Browser,
    pub browser_version: String,
    pub requests: Vec<ObservedRequest>,
    /// 1, or 2 when the first attempt hit an infrastructure error.
    pub attempts: u32,
    /// What went wrong on the failed attempt, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retried_after: Vec<String>,
    #[serde(with = "duration_ms")]
    pub elapsed: Duration,
}

/// One request as observed, plus what the page said about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedRequest {
    pub result: RequestResult,
    /// The exception or event text the page saw (e.g. `TypeError: Failed to fetch`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_error: Option<String>,
}

/// A fresh run id: 128 bits from the system's secure random source (through the TLS stack's
/// crypto provider), in hex. The id is the only thing that ties a request reaching the shared
/// loopback proxy to a run: anyone who knows it can add exchanges to the run's wire log or
/// objects to its bucket, so it must be impossible to guess, not merely unique.
fn new_run_id() -> Result<String, RunError> {
    let mut bytes = [0u8; 16];
    rustls::crypto::aws_lc_rs::default_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| RunError::Setup {
            message: "the system's random source gave no bytes for a run id".to_owned(),
        })?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

mod duration_ms {
    pub(super) fn serialize<S: serde::Serializer>(
        duration: &std::time::Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Runs cases in pooled sessions against one origin proxy.
#[derive(Debug)]
pub struct Runner {
    proxy: ProxyHandle,
    pool: Arc<SessionPool>,
}

impl Runner {
    pub fn new(proxy: ProxyHandle, pool: Arc<SessionPool>) -> Self {
        Self { proxy, pool }
    }

    pub fn pool(&self) -> &Arc<SessionPool> {
        &self.pool
    }

    /// Runs `scenario` in `browser`, retrying once in a fresh session when the first attempt
    /// hits an infrastructure problem. The scenario's server is the project's own in-memory
    /// bucket (or literal-header) server, fresh for every attempt.
    pub async fn observe(
        &self,
        browser: Browser,
        scenario: &Scenario,
    ) -> Result<CaseObservation, InfrastructureError> {
        self.observe_with(browser, scenario, || {
            std::future::ready(servers::server_router(scenario))
        })
        .await
    }

    /// [`Self::observe`] with the router that answers the scenario's server origins (every
    /// origin its requests go to besides the page) made by `server`, called once per attempt
    /// before a session is taken, so each attempt can start from a fresh server state. An error
    /// from `server` ends the run as an infrastructure error without a retry.
    pub async fn observe_with<F, Fut>(
        &self,
        browser: Browser,
        scenario: &Scenario,
        mut server: F,
    ) -> Result<CaseObservation, InfrastructureError>
    where
        F: FnMut() -> Fut + Send,
        Fut: Future<Output = Result<Router, RunError>> + Send,
    {
        let started = Instant::now();
        let mut earlier = Vec::new();
        for attempt in 1..=ATTEMPTS {
            let router = match server().await {
                Ok(router) => router,
                Err(error) => {
                    return Err(InfrastructureError {
                        attempts: attempt,
                        earlier,
                        error,
                    });
                }
            };
            let result = match self.pool.checkout(browser).await {
                Ok(mut lease) => match self.attempt(lease.session(), scenario, router).await {
                    Ok(requests) => {
                        let browser_version = lease.session().version().to_string();
                        drop(lease);
                        return Ok(CaseObservation {
                            browser,
                            browser_version,
                            requests,
                            attempts: attempt,
                            retried_after: earlier,
                            elapsed: started.elapsed(),
                        });
                    }
                    Err(error) => {
                        // A session that failed a case is not trusted with the next one; one
                        // that stopped answering is not even asked to close.
                        if matches!(error, RunError::Unresponsive { .. }) {
                            lease.kill().await;
                        } else {
                            lease.discard().await;
                        }
                        error
                    }
                },
                Err(error) => RunError::Browser(error),
            };
            if attempt == ATTEMPTS || !result.is_transient() {
                return Err(InfrastructureError {
                    attempts: attempt,
                    earlier,
                    error: result,
                });
            }
            earlier.push(result.to_string());
        }
        unreachable!("the last attempt always returns")
    }

    /// One attempt in one session.
    async fn attempt(
        &self,
        session: &mut BrowserSession,
        scenario: &Scenario,
        server: Router,
    ) -> Result<Vec<ObservedRequest>, RunError> {
        let run_id = new_run_id()?;
        self.proxy.declare_hosts(servers::hosts(scenario));
        let registration = self
            .proxy
            .register_run(run_id.clone(), servers::run_routes(scenario, server))?;
        let in_run = |url: &str| servers::url_in_run(url, &run_id);
        let page_origin = scenario.page_origin.trim_end_matches('/');

        let plan = page::Plan {
            marker: in_run(&format!("{page_origin}{}", page::MARKER_PATH)),
            timeout_ms: u64::try_from(REQUEST_TIMEOUT.as_millis()).unwrap_or(u64::MAX),
            requests: scenario
                .requests
                .iter()
                .map(|spec| {
                    let mut spec = spec.clone();
                    spec.url = in_run(&spec.url);
                    spec
                })
                .collect(),
        };
        let waits: u64 = scenario.requests.iter().map(|r| r.wait_ms).sum();
        let count = u32::try_from(scenario.requests.len()).unwrap_or(u32::MAX);
        let script_timeout = Duration::from_millis(waits)
            .saturating_add((REQUEST_TIMEOUT + Duration::from_secs(1)).saturating_mul(count))
            .saturating_add(Duration::from_secs(10));
        answered(
            "setting the script timeout",
            WEBDRIVER_COMMAND_DEADLINE,
            async { Ok(session.ensure_script_timeout(script_timeout).await?) },
        )
        .await?;

        // A runner page already loaded on the same origin is reused: the document's origin is
        // all that matters to CORS, and every URL of this run (requests and markers alike) is new
        // to the browser's caches whatever page makes the requests. Loading a page costs more
        // than running a typical case.
        let reuse = session
            .page
            .as_ref()
            .is_some_and(|p| p.origin == page_origin && p.runs < PAGE_REUSE_LIMIT);
        if !reuse {
            session.page = None;
            let page_url = in_run(&format!("{page_origin}{}", page::PAGE_PATH));
            let step = "navigation to the runner page";
            answered(step, PAGE_LOAD_TIMEOUT + WEBDRIVER_GRACE, async {
                session
                    .client()
                    .goto(&page_url)
                    .await
                    .map_err(|source| RunError::WebDriver { step, source })
            })
            .await?;
            session.page = Some(LoadedPage {
                origin: page_origin.to_string(),
                runs: 0,
            });
        }
        if let Some(page) = session.page.as_mut() {
            page.runs += 1;
        }
        let plan_json = serde_json::to_value(&plan).map_err(|e| RunError::Setup {
            message: format!("cannot serialise the page plan: {e}"),
        })?;
        let step = "running the requests in the page";
        let answer = answered(
            step,
            script_timeout.saturating_add(WEBDRIVER_GRACE),
            async {
                session
                    .client()
                    .execute_async(page::RUN_SCRIPT, vec![plan_json])
                    .await
                    .map_err(|source| RunError::WebDriver { step, source })
            },
        )
        .await?;
        let answer: page::PageAnswer =
            serde_json::from_value(answer.clone()).map_err(|e| RunError::Page {
                message: format!("unexpected answer {answer}: {e}"),
            })?;
        if let Some(fatal) = answer.fatal {
            return Err(RunError::Page { message: fatal });
        }
        let results = answer.results.unwrap_or_default();
        if results.len() != scenario.requests.len() {
            return Err(RunError::Page {
                message: format!(
                    "{} results for {} requests",
                    results.len(),
                    scenario.requests.len()
                ),
            });
        }
        if let Some((index, result)) = results
            .iter()
            .enumerate()
            .find(|(_, r)| r.timed_out || r.page_error)
        {
            return Err(if result.timed_out {
                RunError::RequestTimedOut {
                    index,
                    timeout: REQUEST_TIMEOUT,
                }
            } else {
                RunError::Page {
                    message: result.error.clone().unwrap_or_default(),
                }
            });
        }

        // Lines from earlier runs of this session name other run ids and are ignored.
        let run_marker = format!("{}{run_id}/", cors_servers::proxy::RUN_PREFIX);
        let console: Vec<_> = answered("reading the console", WEBDRIVER_COMMAND_DEADLINE, async {
            Ok(session.take_console().await?)
        })
        .await?
        .into_iter()
        .filter(|entry| entry.message.contains(&run_marker))
        .collect();
        let reasons = console::cors_reasons(&console);
        let blocked_urls: Vec<Option<&str>> = plan
            .requests
            .iter()
            .zip(&results)
            .map(|(spec, result)| {
                (result.outcome == cors_engine::Outcome::Blocked).then_some(spec.url.as_str())
            })
            .collect();
        let console_reasons = console::assign(&reasons, &blocked_urls)
            .into_iter()
            .map(|reason| {
                // Reported text names the case's own URLs, like the wire log does.
                reason.map(|mut r| {
                    r.text = r.text.replace(&run_marker, "/");
                    r
                })
            })
            .collect::<Vec<_>>();
        let wire = wire::split_by_request(registration.finish(), page_origin, results.len());

        Ok(results
            .into_iter()
            .zip(wire)
            .zip(console_reasons)
            .map(|((page, wire), console)| observed(page, wire, console))
            .collect())
    }
}

/// Runs one WebDriver command of a case run, giving up after `deadline`: a browser whose page
/// never yields, or that no longer answers at all, would otherwise keep the run waiting forever.
async fn answered<T>(
    step: &'static str,
    deadline: Duration,
    command: impl Future<Output = Result<T, RunError>>,
) -> Result<T, RunError> {
    tokio::time::timeout(deadline, command)
        .await
        .unwrap_or(Err(RunError::Unresponsive {
            step,
            waited: deadline,
        }))
}

/// Combines the three sources of evidence for one request.
fn observed(
    page: page::PageResult,
    wire: Vec<cors_engine::WireExchange>,
    console: Option<console::ConsoleReason>,
) -> ObservedRequest {
    let reason = match console {
        Some(line) => Some(Reason {
            code: line.code,
            console: Some(line.text),
        }),
        None if page.rejected => Some(Reason {
            code: ReasonCode::RequestRejected,
            console: None,
        }),
        None if page.canvas_tainted == Some(true) => Some(Reason {
            code: ReasonCode::CanvasTainted,
            console: None,
        }),
        None => None,
    };
    let status = match page.outcome {
        cors_engine::Outcome::Blocked => None,
        _ => page.status,
    };
    ObservedRequest {
        result: RequestResult {
            outcome: page.outcome,
            preflight: wire.iter().any(cors_engine::WireExchange::is_preflight),
            status,
            readable: page.readable,
            canvas_tainted: page.canvas_tainted,
            wire,
            reason,
        },
        page_error: page.error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_128_random_bits_in_hex() {
        let ids: Vec<String> = (0..64).map(|_| new_run_id().unwrap()).collect();
        for id in &ids {
            assert_eq!(id.len(), 32, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        }
        let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
        // Consecutive ids share no long prefix, as ids counted from a clock would.
        assert_ne!(ids[0][..8], ids[1][..8]);
    }
}
