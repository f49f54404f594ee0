//! What `run` and `run --target` share around their browser runs: the arguments read once
//! ([`RunSetup`]), the cases loaded and selected the same way, the runtime, the run environment
//! with its browser checks, and its shutdown. Each command keeps only what is its own.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use cors_engine::Browser;
use url::Url;

use crate::case::{Filter, LoadedCase, load_paths};
use crate::cli::RunArgs;
use crate::runner::{EnvironmentOptions, RunEnvironment};
use crate::session_pool::default_jobs;

/// Where reports go without `--report-dir`, relative to the current directory: beside the build
/// output, so a run in a Cargo project leaves nothing to commit by accident.
pub(crate) const DEFAULT_REPORT_DIR: &str = "target/cors-report";

/// A run's arguments, checked before anything starts.
#[derive(Debug, Clone)]
pub(crate) struct RunSetup {
    /// `PATHS`, or `./cases` when none is given.
    pub paths: Vec<PathBuf>,
    pub filter: Filter,
    /// `--browser`: empty means every browser a case allows.
    pub browsers: Vec<Browser>,
    /// Sessions per browser.
    pub sessions: usize,
    pub webdriver: Option<Url>,
    /// `--report-dir`, else [`DEFAULT_REPORT_DIR`]; `None` with `--no-report`.
    pub report_dir: Option<PathBuf>,
}

impl RunSetup {
    pub(crate) fn from_args(args: &RunArgs) -> anyhow::Result<Self> {
        let webdriver = args
            .webdriver
            .as_deref()
            .map(Url::parse)
            .transpose()
            .context("--webdriver is not a URL")?;
        Ok(RunSetup {
            paths: if args.paths.is_empty() {
                vec![PathBuf::from("cases")]
            } else {
                args.paths.clone()
            },
            filter: Filter::new(args.filter.as_deref(), &args.tag),
            browsers: args.browser.clone(),
            sessions: args.jobs.unwrap_or_else(default_jobs).max(1),
            webdriver,
            report_dir: (!args.no_report).then(|| {
                args.report_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_REPORT_DIR))
            }),
        })
    }

    /// Every case file under the paths that the filter selects, in id order; files that did
    /// not load are kept (they fail alone, in the report).
    pub(crate) fn load(&self) -> anyhow::Result<Vec<LoadedCase>> {
        let loaded = load_paths(&self.paths);
        if loaded.is_empty() {
            anyhow::bail!("no case files (*.toml) under {}", self.display_paths());
        }
        Ok(loaded
            .into_iter()
            .filter(|entry| entry.matches(&self.filter))
            .collect())
    }

    pub(crate) fn display_paths(&self) -> String {
        self.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Starts the origin proxy (browsers start when a case first needs them) and warns about
    /// each of `browsers` that cannot start: its cases become infrastructure errors.
    pub(crate) async fn start_environment(
        &self,
        browsers: &[Browser],
    ) -> anyhow::Result<Arc<RunEnvironment>> {
        let environment = RunEnvironment::start(EnvironmentOptions {
            jobs: self.sessions,
            webdriver: self.webdriver.clone(),
        })
        .await
        .context("failed to start the origin proxy")?;
        for browser in browsers {
            if let Err(error) = environment.check_browser(*browser) {
                eprintln!("warning: {error}; its cases are reported as infrastructure errors");
            }
        }
        Ok(Arc::new(environment))
    }
}

/// The multi-threaded runtime every run command uses.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")
}

/// Closes every browser session and the proxy; the runs holding the environment must have ended.
pub(crate) async fn shut_down(environment: Arc<RunEnvironment>) {
    match Arc::try_unwrap(environment) {
        Ok(environment) => environment.shutdown().await,
        Err(_) => eprintln!("warning: browser sessions could not be closed cleanly"),
    }
}
