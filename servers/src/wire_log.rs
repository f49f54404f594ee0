//! The wire log: every request/response pair the origin proxy dispatched to a run, kept per run
//! until the runner takes it.
//!
//! Only the CORS part of each exchange is kept (the request's `Origin` and
//! `Access-Control-Request-*` lines, the response's `Access-Control-*` and `Vary` lines), in the
//! order they crossed the wire, because that is what a case run is compared on.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use cors_engine::WireExchange;
use cors_engine::http::{HeaderList, is_cors_header_name};
use http::HeaderMap;

/// One logged exchange plus the moment its response left the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRecord {
    pub at: SystemTime,
    pub exchange: WireExchange,
}

/// Per-run wire logs. Entries of a run stay until taken, even after the run is unregistered, so
/// that the order "unregister, then read the log" loses nothing.
#[derive(Debug, Default)]
pub struct WireLog {
    runs: Mutex<HashMap<String, Vec<WireRecord>>>,
}

impl WireLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one exchange to `run_id`'s log.
    pub fn record(&self, run_id: &str, exchange: WireExchange) {
        let record = WireRecord {
            at: SystemTime::now(),
            exchange,
        };
        self.lock()
            .entry(run_id.to_string())
            .or_default()
            .push(record);
    }

    /// Removes and returns `run_id`'s exchanges, oldest first.
    pub fn take(&self, run_id: &str) -> Vec<WireExchange> {
        self.take_records(run_id)
            .into_iter()
            .map(|record| record.exchange)
            .collect()
    }

    /// Removes and returns `run_id`'s records (with timestamps), oldest first.
    pub fn take_records(&self, run_id: &str) -> Vec<WireRecord> {
        self.lock().remove(run_id).unwrap_or_default()
    }

    /// A copy of `run_id`'s exchanges so far, leaving the log in place.
    pub fn peek(&self, run_id: &str) -> Vec<WireExchange> {
        self.lock()
            .get(run_id)
            .map(|records| records.iter().map(|r| r.exchange.clone()).collect())
            .unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<WireRecord>>> {
        // A panic while holding this lock cannot leave the map half-updated (every critical
        // section is a single map operation), so a poisoned lock is still safe to use.
        self.runs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The CORS lines of a header map, in the order the map yields them (which is the order hyper
/// reads them from, and writes them to, the wire: lines of one name stay together).
pub fn cors_headers(headers: &HeaderMap) -> HeaderList {
    headers
        .iter()
        .filter(|(name, _)| is_cors_header_name(name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
