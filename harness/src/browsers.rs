//! Real browsers behind WebDriver: where their binaries are, how their drivers start, and the
//! capabilities that send all of their traffic through the harness's origin proxy.
//!
//! One module per browser holds what is specific to it ([`chrome`], [`firefox`]); [`driver`]
//! owns driver processes. A [`Launcher`] turns a [`Browser`] into a ready [`BrowserSession`]:
//! chromedriver is shared by every Chrome session, while geckodriver serves one session per
//! process, so each Firefox session owns its driver.

mod chrome;
mod driver;
mod firefox;
mod locate;

use std::net::SocketAddr;
use std::time::Duration;

use cors_engine::Browser;
use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use url::Url;

pub use chrome::ConsoleEntry;
pub use driver::DriverProcess;
pub use locate::Binaries;

/// How long a driver may take to print its readiness line.
const DRIVER_START_DEADLINE: Duration = Duration::from_secs(20);
/// How long a new WebDriver session may take (Firefox needs about 3 s on an idle machine).
const NEW_SESSION_DEADLINE: Duration = Duration::from_secs(60);
/// The script timeout a session starts with; a case that needs longer raises it first.
pub const DEFAULT_SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const PAGE_LOAD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a session may take to end before its browser is killed.
const SESSION_CLOSE_DEADLINE: Duration = Duration::from_secs(5);

/// Why a browser could not be started or driven. Every variant is an infrastructure problem,
/// never a statement about CORS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    #[error("{browser} {program} not found: {detail}; {hint}")]
    Missing {
        browser: Browser,
        program: &'static str,
        detail: String,
        hint: &'static str,
    },
    #[error("failed to start {driver} ({program})")]
    DriverSpawn {
        driver: &'static str,
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{driver} did not report a listening port{}; its output:\n{output}",
        waited.map(|d| format!(" within {} s", d.as_secs())).unwrap_or_default())]
    DriverNotReady {
        driver: &'static str,
        waited: Option<Duration>,
        output: String,
    },
    #[error("failed to start a {browser} session at {endpoint}: {message}")]
    NewSession {
        browser: Browser,
        endpoint: String,
        message: String,
    },
    #[error("failed to set up the WebDriver client: {0}")]
    Client(#[source] std::io::Error),
    #[error("WebDriver command failed in {browser}: {source}")]
    Command {
        browser: Browser,
        #[source]
        source: fantoccini::error::CmdError,
    },
}

/// Where the browser's traffic goes: the origin proxy, and the key behind its certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxySettings {
    pub address: SocketAddr,
    /// Base64 SHA-256 of the SubjectPublicKeyInfo every proxy certificate uses (Chrome trusts it
    /// by this hash); `None` when the proxy serves no HTTPS.
    pub spki_sha256_base64: Option<String>,
}

impl ProxySettings {
    /// The standard WebDriver `proxy` capability: every http and https request goes to the proxy.
    pub(crate) fn capability(&self) -> serde_json::Value {
        json!({
            "proxyType": "manual",
            "httpProxy": self.address.to_string(),
            "sslProxy": self.address.to_string(),
        })
    }
}

/// Where sessions come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// Spawn drivers locally, finding binaries on `PATH` or through `CORS_HARNESS_*` overrides.
    Local,
    /// An already running WebDriver server (`--webdriver URL`); no process is spawned.
    Remote(Url),
}

/// Starts browser sessions. Owns the shared chromedriver.
#[derive(Debug)]
pub struct Launcher {
    proxy: ProxySettings,
    endpoint: Endpoint,
    chromedriver: tokio::sync::Mutex<Option<DriverProcess>>,
}

impl Launcher {
    pub fn new(proxy: ProxySettings, endpoint: Endpoint) -> Self {
        Self {
            proxy,
            endpoint,
            chromedriver: tokio::sync::Mutex::new(None),
        }
    }

    /// Checks that the programs for `browser` exist (no process is started). Remote endpoints
    /// are not checked here.
    pub fn check_installed(&self, browser: Browser) -> Result<(), BrowserError> {
        match self.endpoint {
            Endpoint::Local => Binaries::find(browser).map(|_| ()),
            Endpoint::Remote(_) => Ok(()),
        }
    }

    /// Starts a new session of `browser`, ready to navigate.
    pub async fn start(&self, browser: Browser) -> Result<BrowserSession, BrowserError> {
        match browser {
            Browser::Chrome => self.start_chrome().await,
            Browser::Firefox => self.start_firefox().await,
        }
    }

    async fn start_chrome(&self) -> Result<BrowserSession, BrowserError> {
        let profile = tempfile::Builder::new()
            .prefix("cors-harness-chrome-")
            .tempdir()
            .map_err(BrowserError::Client)?;
        let (endpoint, capabilities) = match &self.endpoint {
            Endpoint::Remote(url) => (url.clone(), chrome::capabilities(None, None, &self.proxy)),
            Endpoint::Local => {
                let binaries = Binaries::find(Browser::Chrome)?;
                let url = self.chromedriver_url(&binaries).await?;
                let capabilities = chrome::capabilities(
                    Some(&binaries.browser),
                    Some(profile.path()),
                    &self.proxy,
                );
                (url, capabilities)
            }
        };
        let client = connect(Browser::Chrome, &endpoint, capabilities).await?;
        BrowserSession::ready(Browser::Chrome, client, None, Some(profile)).await
    }

    async fn start_firefox(&self) -> Result<BrowserSession, BrowserError> {
        match &self.endpoint {
            Endpoint::Remote(url) => {
                let capabilities = firefox::capabilities(None, &self.proxy);
                let client = connect(Browser::Firefox, url, capabilities).await?;
                BrowserSession::ready(Browser::Firefox, client, None, None).await
            }
            Endpoint::Local => {
                let binaries = Binaries::find(Browser::Firefox)?;
                let driver = DriverProcess::spawn(
                    "geckodriver",
                    &binaries.driver,
                    &firefox::geckodriver_args(),
                    driver::geckodriver_port,
                    DRIVER_START_DEADLINE,
                )
                .await?;
                let capabilities = firefox::capabilities(Some(&binaries.browser), &self.proxy);
                let client = match connect(Browser::Firefox, driver.url(), capabilities).await {
                    Ok(client) => client,
                    Err(error) => {
                        driver.shutdown().await;
                        return Err(error);
                    }
                };
                BrowserSession::ready(Browser::Firefox, client, Some(driver), None).await
            }
        }
    }

    /// The shared chromedriver's URL, (re)starting it when it is not running.
    async fn chromedriver_url(&self, binaries: &Binaries) -> Result<Url, BrowserError> {
        let mut slot = self.chromedriver.lock().await;
        if let Some(running) = slot.as_mut()
            && running.is_running()
        {
            return Ok(running.url().clone());
        }
        if let Some(dead) = slot.take() {
            dead.shutdown().await;
        }
        let process = DriverProcess::spawn(
            "chromedriver",
            &binaries.driver,
            &["--port=0".to_string()],
            driver::chromedriver_port,
            DRIVER_START_DEADLINE,
        )
        .await?;
        let url = process.url().clone();
        *slot = Some(process);
        Ok(url)
    }

    /// Stops the shared chromedriver (sessions should be closed first).
    pub async fn shutdown(&self) {
        if let Some(process) = self.chromedriver.lock().await.take() {
            process.shutdown().await;
        }
    }
}

async fn connect(
    browser: Browser,
    endpoint: &Url,
    capabilities: Capabilities,
) -> Result<Client, BrowserError> {
    install_crypto_provider();
    let mut builder = ClientBuilder::rustls().map_err(BrowserError::Client)?;
    builder.capabilities(capabilities);
    let new_session = |message: String| BrowserError::NewSession {
        browser,
        endpoint: endpoint.to_string(),
        message,
    };
    match tokio::time::timeout(NEW_SESSION_DEADLINE, builder.connect(endpoint.as_str())).await {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(error)) => Err(new_session(error.to_string())),
        Err(_) => Err(new_session(format!(
            "no answer within {} s",
            NEW_SESSION_DEADLINE.as_secs()
        ))),
    }
}

/// fantoccini's TLS stack (hyper-rustls) needs a process-wide rustls provider; when more than one
/// provider is compiled into the graph rustls cannot pick one and panics on first use
/// (`docs/runner.md`, "One TLS provider"). Installing aws-lc-rs, the one hyper-rustls defaults to, avoids that.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    });
}

/// One live browser session.
#[derive(Debug)]
pub struct BrowserSession {
    browser: Browser,
    client: Client,
    version: String,
    script_timeout: Duration,
    /// Firefox only: the geckodriver serving just this session.
    own_driver: Option<DriverProcess>,
    /// Chrome only: the fresh `--user-data-dir`, removed when the session ends.
    profile: Option<tempfile::TempDir>,
    /// The runner page currently loaded, if any (maintained by the runner).
    pub(crate) page: Option<LoadedPage>,
}

/// The runner page a session has loaded, and how many case runs it has served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoadedPage {
    pub origin: String,
    pub runs: u32,
}

impl BrowserSession {
    async fn ready(
        browser: Browser,
        client: Client,
        own_driver: Option<DriverProcess>,
        profile: Option<tempfile::TempDir>,
    ) -> Result<Self, BrowserError> {
        let version = client
            .capabilities()
            .and_then(|c| c.get("browserVersion"))
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string();
        let session = Self {
            browser,
            client,
            version,
            script_timeout: Duration::ZERO,
            own_driver,
            profile,
            page: None,
        };
        let timeouts = TimeoutConfiguration::new(
            Some(DEFAULT_SCRIPT_TIMEOUT),
            Some(PAGE_LOAD_TIMEOUT),
            Some(Duration::ZERO),
        );
        let mut session = session;
        if let Err(source) = session.client.update_timeouts(timeouts).await {
            session.close().await;
            return Err(BrowserError::Command { browser, source });
        }
        session.script_timeout = DEFAULT_SCRIPT_TIMEOUT;
        Ok(session)
    }

    pub fn browser(&self) -> Browser {
        self.browser
    }

    /// `browserVersion` as the driver reported it, e.g. `156.0.8078.79`.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Makes sure scripts may run for at least `needed`.
    pub async fn ensure_script_timeout(&mut self, needed: Duration) -> Result<(), BrowserError> {
        if needed <= self.script_timeout {
            return Ok(());
        }
        let timeouts = TimeoutConfiguration::new(Some(needed), None, None);
        self.client
            .update_timeouts(timeouts)
            .await
            .map_err(|source| BrowserError::Command {
                browser: self.browser,
                source,
            })?;
        self.script_timeout = needed;
        Ok(())
    }

    /// The console entries logged since the last call (Chrome); Firefox has no log endpoint and
    /// always yields none.
    pub async fn take_console(&self) -> Result<Vec<ConsoleEntry>, BrowserError> {
        if self.browser != Browser::Chrome {
            return Ok(Vec::new());
        }
        let value = self
            .client
            .issue_cmd(chrome::ReadConsoleLog)
            .await
            .map_err(|source| BrowserError::Command {
                browser: self.browser,
                source,
            })?;
        Ok(chrome::parse_console_log(&value))
    }

    /// The browser's main process id, when it can be found (Firefox reports it in its
    /// capabilities; Chrome's is found through its unique profile directory).
    pub fn browser_pid(&self) -> Option<u32> {
        match self.browser {
            Browser::Firefox => self
                .client
                .capabilities()
                .and_then(|c| c.get("moz:processID"))
                .and_then(|v| v.as_u64())
                .and_then(|v| u32::try_from(v).ok()),
            Browser::Chrome => {
                let marker = format!(
                    "--user-data-dir={}",
                    self.profile.as_ref()?.path().display()
                );
                find_process(|args| {
                    args.iter().any(|a| a == &marker)
                        && !args.iter().any(|a| a.starts_with("--type="))
                })
            }
        }
    }

    /// Ends the session (the browser quits) and stops its own driver, if any. Never fails: a
    /// session that is already dead is simply cleaned up. A browser that does not quit in time
    /// (e.g. still busy with an interrupted script) is killed, so no browser outlives its driver.
    pub async fn close(self) {
        let pid = self.browser_pid();
        let closed = matches!(
            tokio::time::timeout(SESSION_CLOSE_DEADLINE, self.client.close()).await,
            Ok(Ok(()))
        );
        if !closed && let Some(pid) = pid {
            driver::kill_process(pid);
        }
        if let Some(driver) = self.own_driver {
            driver.shutdown().await;
        }
        drop(self.profile);
    }

    /// Ends the session without asking the browser: for a browser that no longer answers
    /// WebDriver (a page stuck in a script), where a polite close would only wait. The browser and
    /// every process under it are killed, then its own driver, if any, is stopped.
    pub async fn kill(self) {
        if let Some(pid) = self.browser_pid() {
            driver::kill_descendants(pid);
            driver::kill_process(pid);
        }
        if let Some(driver) = self.own_driver {
            driver.shutdown().await;
        }
        drop(self.profile);
    }
}

/// The first process (by pid) whose command line satisfies `matches`.
fn find_process(matches: impl Fn(&[String]) -> bool) -> Option<u32> {
    let entries = std::fs::read_dir("/proc").ok()?;
    entries.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let raw = std::fs::read(entry.path().join("cmdline")).ok()?;
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        matches(&args).then_some(pid)
    })
}
