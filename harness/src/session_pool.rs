//! A pool of live browser sessions, reused across cases.
//!
//! Each browser gets up to `jobs` sessions, started lazily the first time a case needs one and
//! kept until [`SessionPool::shutdown`]. A case borrows a session through a [`Lease`]; a lease
//! dropped normally puts the session back, while [`Lease::discard`] ends a session that broke
//! (the next checkout starts a fresh one in its place).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cors_engine::Browser;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::browsers::{BrowserError, BrowserSession, Launcher};

/// The number of sessions per browser when `--jobs` is not given: one per core, at least one.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Live sessions of every browser.
#[derive(Debug)]
pub struct SessionPool {
    launcher: Launcher,
    jobs: usize,
    browsers: BTreeMap<Browser, Slots>,
}

#[derive(Debug)]
struct Slots {
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<BrowserSession>>,
    version: Mutex<Option<String>>,
}

impl SessionPool {
    /// A pool of at most `jobs` sessions per browser (at least one). Nothing starts yet.
    pub fn new(launcher: Launcher, jobs: usize) -> Arc<Self> {
        let jobs = jobs.max(1);
        let browsers = Browser::ALL
            .into_iter()
            .map(|browser| {
                let slots = Slots {
                    permits: Arc::new(Semaphore::new(jobs)),
                    idle: Mutex::new(Vec::new()),
                    version: Mutex::new(None),
                };
                (browser, slots)
            })
            .collect();
        Arc::new(Self {
            launcher,
            jobs,
            browsers,
        })
    }

    pub fn jobs(&self) -> usize {
        self.jobs
    }

    pub fn launcher(&self) -> &Launcher {
        &self.launcher
    }

    fn slots(&self, browser: Browser) -> &Slots {
        // Every browser gets its slots in `new`.
        &self.browsers[&browser]
    }

    /// Borrows a session of `browser`, waiting while all `jobs` of them are busy and starting
    /// one when none is idle.
    pub async fn checkout(self: &Arc<Self>, browser: Browser) -> Result<Lease, BrowserError> {
        let slots = self.slots(browser);
        let permit = Arc::clone(&slots.permits)
            .acquire_owned()
            .await
            .expect("the pool never closes its semaphores");
        let idle = slots.idle.lock().ok().and_then(|mut idle| idle.pop());
        let session = match idle {
            Some(session) => session,
            None => {
                let session = self.launcher.start(browser).await?;
                if let Ok(mut version) = slots.version.lock() {
                    *version = Some(session.version().to_string());
                }
                session
            }
        };
        Ok(Lease {
            pool: Arc::clone(self),
            session: Some(session),
            _permit: permit,
        })
    }

    /// The main process ids of `browser`'s idle sessions (for diagnostics, and for tests that
    /// kill a browser to check recovery).
    pub fn idle_browser_pids(&self, browser: Browser) -> Vec<u32> {
        self.slots(browser)
            .idle
            .lock()
            .map(|idle| {
                idle.iter()
                    .filter_map(BrowserSession::browser_pid)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The version of `browser` reported by its last started session.
    pub fn version(&self, browser: Browser) -> Option<String> {
        self.slots(browser).version.lock().ok()?.clone()
    }

    /// Waits (up to `grace`) for borrowed sessions to come back, closes every session, and stops
    /// the drivers. Safe to call more than once.
    pub async fn shutdown(&self, grace: Duration) {
        let jobs = u32::try_from(self.jobs).unwrap_or(u32::MAX);
        for slots in self.browsers.values() {
            // Holding every permit means no lease is out; give up waiting after `grace`.
            let _all = tokio::time::timeout(grace, slots.permits.acquire_many(jobs)).await;
            let sessions: Vec<BrowserSession> = slots
                .idle
                .lock()
                .map(|mut idle| idle.drain(..).collect())
                .unwrap_or_default();
            let mut closing = tokio::task::JoinSet::new();
            for session in sessions {
                closing.spawn(session.close());
            }
            while closing.join_next().await.is_some() {}
        }
        self.launcher.shutdown().await;
    }
}

/// A borrowed session. Dropping it returns the session to the pool.
#[derive(Debug)]
pub struct Lease {
    pool: Arc<SessionPool>,
    session: Option<BrowserSession>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    pub fn session(&mut self) -> &mut BrowserSession {
        self.session
            .as_mut()
            .expect("a lease holds its session until dropped or discarded")
    }

    /// Ends a broken session instead of returning it; its slot is free for a fresh one.
    pub async fn discard(mut self) {
        if let Some(session) = self.session.take() {
            session.close().await;
        }
    }

    /// Kills a session whose browser no longer answers instead of returning it (see
    /// [`BrowserSession::kill`]); its slot is free for a fresh one.
    pub async fn kill(mut self) {
        if let Some(session) = self.session.take() {
            session.kill().await;
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            let slots = self.pool.slots(session.browser());
            if let Ok(mut idle) = slots.idle.lock() {
                idle.push(session);
            }
        }
    }
}
