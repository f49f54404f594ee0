//! The origin proxy: the one address browsers are pointed at.
//!
//! Browsers send it plain HTTP requests in absolute form and open `CONNECT` tunnels for HTTPS; the
//! proxy answers everything itself, in process, and never connects anywhere. Every URL of a case
//! run carries `/__run/<run-id>/` right after the origin; the proxy strips it and hands the request
//! to the router that run registered for that origin, so several runs can use the same host names
//! at the same time without sharing browser caches. Each exchange that reached a run goes into that
//! run's [wire log](crate::wire_log).
//!
//! Host names must be declared first ([`ProxyHandle::declare_hosts`]): a request or tunnel for any
//! other host is refused, so the proxy is never an open relay.
//!
//! ```no_run
//! use cors_servers::{OriginProxy, PageAssets, ProxyConfig, RunRoutes, page_router};
//!
//! # async fn example() -> Result<(), cors_servers::ProxyError> {
//! let proxy = OriginProxy::start(ProxyConfig::default()).await?;
//! proxy.declare_hosts(["app.example.com"]);
//! // Chrome: --proxy-server=<addr> --ignore-certificate-errors-spki-list=<spki>
//! let (addr, spki) = (proxy.addr(), proxy.spki_sha256_base64());
//! let page = page_router(PageAssets::new().with_file("/page", "text/html", "<p>hi</p>"));
//! let run = proxy.register_run(
//!     "r42",
//!     RunRoutes::new().with_origin("https://app.example.com", page),
//! )?;
//! // The browser opens https://app.example.com/__run/r42/page ...
//! let wire = run.finish(); // ... and this is what crossed the wire.
//! # let _ = (addr, spki, wire);
//! # Ok(())
//! # }
//! ```

mod connection;
mod dispatch;
mod registry;
mod target;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use cors_engine::WireExchange;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use self::dispatch::ProxiedRequest;
use self::registry::Registry;
pub use self::target::{RUN_PREFIX, insert_run_prefix, remove_run_prefix};
use crate::timeouts::ConnectionTimeouts;
use crate::tls::{CertificateAuthority, TlsError};
use crate::wire_log::WireLog;

/// How to start the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// Where to listen; the default is `127.0.0.1:0` (a free loopback port).
    pub bind: SocketAddr,
    /// When slow or idle browser connections are closed (inside HTTPS tunnels too).
    pub timeouts: ConnectionTimeouts,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            timeouts: ConnectionTimeouts::DEFAULT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("cannot set up the proxy's certificates: {0}")]
    Tls(#[from] TlsError),
    #[error(
        "'{0}' is not a usable run id (1 to 128 characters from A-Z a-z 0-9 - _ . ~, not '.' or '..')"
    )]
    InvalidRunId(String),
    #[error("run '{0}' is already registered")]
    RunAlreadyRegistered(String),
    #[error("run '{run_id}' lists {origin} twice")]
    DuplicateOrigin { run_id: String, origin: String },
    #[error("'{origin}' is not an http(s) origin (scheme://host[:port])")]
    InvalidOrigin { origin: String },
}

/// The servers of one case run, by origin (`https://app.example.com`,
/// `http://assets.s3.amazonaws.com:8080`, ...). Each router sees requests with the run prefix
/// removed, a `Host` header naming the addressed host, and a [`ProxiedRequest`] extension.
#[derive(Debug, Clone, Default)]
pub struct RunRoutes {
    pub origins: Vec<(String, Router)>,
}

impl RunRoutes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_origin(mut self, origin: impl Into<String>, router: Router) -> Self {
        self.origins.push((origin.into(), router));
        self
    }
}

/// State shared by the listener, every connection and every handle.
pub(crate) struct Shared {
    pub(crate) registry: Registry,
    pub(crate) wire_log: WireLog,
    pub(crate) authority: CertificateAuthority,
    /// Becomes `true` when the proxy stops; open connections close then.
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) timeouts: ConnectionTimeouts,
}

/// A cheap, cloneable handle to a running proxy: declare hosts, register runs, read wire logs.
/// Holding one does not keep the proxy listening; [`OriginProxy`] owns that.
#[derive(Clone)]
pub struct ProxyHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl fmt::Debug for ProxyHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ProxyHandle {
    /// The address to give browsers as their HTTP and HTTPS proxy.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Allows requests and tunnels for these host names (adds to the ones already declared).
    /// An origin or `host:port` declares its host.
    pub fn declare_hosts<I, S>(&self, hosts: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.shared.registry.declare_hosts(hosts);
    }

    pub fn is_declared(&self, host: &str) -> bool {
        self.shared.registry.is_declared(host)
    }

    /// Routes `/__run/<run_id>/...` on each of `routes`' origins to its router until the returned
    /// registration is dropped (or [`RunRegistration::unregister`]ed).
    pub fn register_run(
        &self,
        run_id: impl Into<String>,
        routes: RunRoutes,
    ) -> Result<RunRegistration, ProxyError> {
        let run_id = run_id.into();
        if !target::is_valid_run_id(&run_id) {
            return Err(ProxyError::InvalidRunId(run_id));
        }
        let mut origins = HashMap::new();
        for (origin, router) in routes.origins {
            let normalized =
                cors_engine::http::origin_of(&origin).ok_or_else(|| ProxyError::InvalidOrigin {
                    origin: origin.clone(),
                })?;
            if origins.insert(normalized.clone(), router).is_some() {
                return Err(ProxyError::DuplicateOrigin {
                    run_id,
                    origin: normalized,
                });
            }
        }
        if !self.shared.registry.insert_run(&run_id, origins) {
            return Err(ProxyError::RunAlreadyRegistered(run_id));
        }
        Ok(RunRegistration {
            shared: Arc::clone(&self.shared),
            run_id,
            active: true,
        })
    }

    /// Removes and returns the exchanges logged for `run_id` so far, oldest first. The log
    /// outlives the run's registration, so it can be read after unregistering too.
    pub fn take_wire_log(&self, run_id: &str) -> Vec<WireExchange> {
        self.shared.wire_log.take(run_id)
    }

    /// A copy of the exchanges logged for `run_id` so far; the log stays.
    pub fn peek_wire_log(&self, run_id: &str) -> Vec<WireExchange> {
        self.shared.wire_log.peek(run_id)
    }

    /// Base64 SHA-256 of the key every generated certificate carries, for Chrome's
    /// `--ignore-certificate-errors-spki-list`.
    pub fn spki_sha256_base64(&self) -> &str {
        self.shared.authority.spki_sha256_base64()
    }

    /// The PEM certificate of the authority that signs every generated certificate.
    pub fn ca_certificate_pem(&self) -> &str {
        self.shared.authority.ca_certificate_pem()
    }
}

/// A run's routes, live while this value is. The run's wire log is kept after it goes (until
/// taken), so the order of unregistering and reading the log does not matter.
#[derive(Debug)]
#[must_use = "dropping the registration unregisters the run at once"]
pub struct RunRegistration {
    shared: Arc<Shared>,
    run_id: String,
    active: bool,
}

impl RunRegistration {
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    pub fn unregister(mut self) {
        self.remove();
    }

    /// Unregisters the run and returns its whole wire log.
    pub fn finish(mut self) -> Vec<WireExchange> {
        self.remove();
        self.shared.wire_log.take(&self.run_id)
    }

    fn remove(&mut self) {
        if self.active {
            self.shared.registry.remove_run(&self.run_id);
            self.active = false;
        }
    }
}

impl Drop for RunRegistration {
    fn drop(&mut self) {
        self.remove();
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

/// The running proxy. Dropping it stops listening and closes every open connection.
#[derive(Debug)]
pub struct OriginProxy {
    handle: ProxyHandle,
    stop: watch::Sender<bool>,
    accept_loop: JoinHandle<()>,
}

impl OriginProxy {
    /// Generates the proxy's certificate authority, binds `config.bind` and starts serving on
    /// the current Tokio runtime.
    pub async fn start(config: ProxyConfig) -> Result<Self, ProxyError> {
        let authority = CertificateAuthority::generate()?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| ProxyError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ProxyError::Bind {
            addr: config.bind,
            source,
        })?;
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            registry: Registry::default(),
            wire_log: WireLog::new(),
            authority,
            shutdown,
            timeouts: config.timeouts,
        });
        let accept_loop = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self {
            handle: ProxyHandle { shared, addr },
            stop,
            accept_loop,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle.addr
    }

    /// A cloneable handle for declaring hosts, registering runs and reading wire logs.
    pub fn handle(&self) -> &ProxyHandle {
        &self.handle
    }

    pub fn declare_hosts<I, S>(&self, hosts: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.handle.declare_hosts(hosts);
    }

    pub fn register_run(
        &self,
        run_id: impl Into<String>,
        routes: RunRoutes,
    ) -> Result<RunRegistration, ProxyError> {
        self.handle.register_run(run_id, routes)
    }

    pub fn take_wire_log(&self, run_id: &str) -> Vec<WireExchange> {
        self.handle.take_wire_log(run_id)
    }

    pub fn peek_wire_log(&self, run_id: &str) -> Vec<WireExchange> {
        self.handle.peek_wire_log(run_id)
    }

    pub fn spki_sha256_base64(&self) -> &str {
        self.handle.spki_sha256_base64()
    }

    pub fn ca_certificate_pem(&self) -> &str {
        self.handle.ca_certificate_pem()
    }

    /// Stops listening, closes open connections and waits for the listener task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        self.accept_loop.abort();
        // Either finished or cancelled just now; both mean the listener is closed.
        let _ = (&mut self.accept_loop).await;
    }
}

impl Drop for OriginProxy {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.accept_loop.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection::serve_connection(Arc::clone(&shared), stream));
            }
            // Running out of file descriptors and similar are transient; back off briefly
            // rather than spin or give up on every browser at once.
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
        }
    }
}
