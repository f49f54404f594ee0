//! Everything a browser run needs, started once: the origin proxy, the browser launcher behind
//! it, the session pool and the runner. Both `cors-harness run` and the `cargo test` suite use
//! it, so a case is run the same way by either.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use cors_engine::{Browser, Prediction};
use cors_reports::CaseBrowserReport;
use cors_servers::{OriginProxy, ProxyConfig};
use url::Url;

use super::{InfrastructureError, RunError, Runner};
use crate::browsers::{BrowserError, Endpoint, Launcher, ProxySettings, install_crypto_provider};
use crate::case::Case;
use crate::compare::compare;
use crate::session_pool::SessionPool;

/// How a run reaches its browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentOptions {
    /// Sessions per browser.
    pub jobs: usize,
    /// An already running WebDriver server to use instead of spawning drivers.
    pub webdriver: Option<Url>,
}

/// The origin proxy plus the sessions that go through it.
#[derive(Debug)]
pub struct RunEnvironment {
    proxy: OriginProxy,
    runner: Runner,
}

impl RunEnvironment {
    /// Starts the origin proxy; browsers start lazily, the first time a case needs one.
    pub async fn start(options: EnvironmentOptions) -> Result<Self, RunError> {
        install_crypto_provider();
        let proxy = OriginProxy::start(ProxyConfig::default()).await?;
        let settings = ProxySettings {
            address: proxy.addr(),
            spki_sha256_base64: Some(proxy.spki_sha256_base64().to_string()),
        };
        let endpoint = match options.webdriver {
            Some(url) => Endpoint::Remote(url),
            None => Endpoint::Local,
        };
        let pool = SessionPool::new(Launcher::new(settings, endpoint), options.jobs);
        let runner = Runner::new(proxy.handle().clone(), pool);
        Ok(Self { proxy, runner })
    }

    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    pub fn pool(&self) -> &Arc<SessionPool> {
        self.runner.pool()
    }

    /// Fails early, with install instructions, when `browser` cannot be started here.
    pub fn check_browser(&self, browser: Browser) -> Result<(), BrowserError> {
        self.pool().launcher().check_installed(browser)
    }

    /// The version of `browser` its last session reported.
    pub fn browser_version(&self, browser: Browser) -> Option<String> {
        self.pool().version(browser)
    }

    /// Predicts, runs and compares `case` in `browser`.
    pub async fn run_case(&self, case: &Case, browser: Browser) -> CaseBrowserReport {
        let scenario = case.to_scenario();
        let prediction = match predict_guarded(&scenario, browser) {
            Ok(prediction) => prediction,
            Err(message) => return engine_failure(browser, message),
        };
        let observation = self.runner.observe(browser, &scenario).await;
        compare(case, browser, &prediction, observation.as_ref())
    }

    /// Closes every session, stops the drivers and the proxy.
    pub async fn shutdown(self) {
        self.pool().shutdown(Duration::from_secs(10)).await;
        self.proxy.shutdown().await;
    }
}

/// The engine is pure and should never panic; if it does, that one case becomes an
/// infrastructure error instead of taking the whole run down.
pub(crate) fn predict_guarded(
    scenario: &cors_engine::Scenario,
    browser: Browser,
) -> Result<Prediction, String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| cors_engine::predict(scenario, browser))).map_err(
        |panic| {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            format!("the engine panicked while predicting: {text}")
        },
    )
}

fn engine_failure(browser: Browser, message: String) -> CaseBrowserReport {
    let error = InfrastructureError {
        attempts: 0,
        earlier: Vec::new(),
        error: RunError::Setup { message },
    };
    CaseBrowserReport {
        browser,
        verdict: cors_reports::Verdict::InfrastructureError,
        duration_ms: 0,
        attempts: 0,
        infrastructure_error: Some(error.to_string()),
        expectation_failures: Vec::new(),
        requests: Vec::new(),
    }
}
