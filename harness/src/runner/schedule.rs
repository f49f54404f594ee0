//! Which session runs which case, in which order.
//!
//! Each browser gets `workers` tasks (one per pooled session). They take that browser's case
//! runs from one queue ordered by page origin, so a session keeps its loaded runner page for as
//! long as the origin stays the same (loading a page costs more than a typical case run).

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cors_engine::Browser;
use cors_reports::CaseBrowserReport;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::RunEnvironment;
use crate::case::Case;

/// One case to run in one browser; `index` is the caller's own (e.g. the case's position).
#[derive(Debug, Clone)]
pub struct CaseJob {
    pub index: usize,
    pub case: Arc<Case>,
    pub browser: Browser,
}

/// A finished case run.
#[derive(Debug, Clone)]
pub struct FinishedRun {
    pub index: usize,
    pub browser: Browser,
    pub started: Instant,
    pub ended: Instant,
    pub report: CaseBrowserReport,
}

/// Starts the workers. Results arrive on the receiver as runs finish; it closes when every
/// worker is done. Aborting the returned set stops the workers.
pub fn run_all(
    environment: Arc<RunEnvironment>,
    jobs: Vec<CaseJob>,
    workers: usize,
) -> (JoinSet<()>, mpsc::UnboundedReceiver<FinishedRun>) {
    run_jobs(environment, jobs, workers, |environment, job| async move {
        let started = Instant::now();
        let report = environment.run_case(&job.case, job.browser).await;
        FinishedRun {
            index: job.index,
            browser: job.browser,
            started,
            ended: Instant::now(),
            report,
        }
    })
}

/// [`run_all`] with the caller's own way of running one job (e.g. against an external target):
/// same queues, same order, same number of workers per browser; each job's output arrives on
/// the receiver as it finishes.
pub fn run_jobs<T, F, Fut>(
    environment: Arc<RunEnvironment>,
    jobs: Vec<CaseJob>,
    workers: usize,
    run: F,
) -> (JoinSet<()>, mpsc::UnboundedReceiver<T>)
where
    T: Send + 'static,
    F: Fn(Arc<RunEnvironment>, CaseJob) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let run = Arc::new(run);
    let mut queues: BTreeMap<Browser, Vec<CaseJob>> = BTreeMap::new();
    for job in jobs {
        queues.entry(job.browser).or_default().push(job);
    }
    let (sender, receiver) = mpsc::unbounded_channel();
    let mut set = JoinSet::new();
    for (_, mut queue) in queues {
        queue.sort_by(|a, b| a.case.page.cmp(&b.case.page).then(a.index.cmp(&b.index)));
        let queue = Arc::new(Mutex::new(VecDeque::from(queue)));
        for _ in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            let environment = Arc::clone(&environment);
            let sender = sender.clone();
            let run = Arc::clone(&run);
            set.spawn(async move {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some(job) = next else { break };
                    let output = run(Arc::clone(&environment), job).await;
                    if sender.send(output).is_err() {
                        break;
                    }
                }
            });
        }
    }
    (set, receiver)
}
