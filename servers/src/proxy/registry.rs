//! Who the proxy serves: the host names loaded cases declare, and each registered run's routers
//! by origin.

use std::collections::{HashMap, HashSet};
use std::sync::{PoisonError, RwLock};

use axum::Router;

use super::target::Authority;

/// Declared hosts and per-run routers. Every critical section is one set or map operation, so a
/// poisoned lock still guards consistent data and is used as is.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    declared_hosts: RwLock<HashSet<String>>,
    runs: RwLock<HashMap<String, HashMap<String, Router>>>,
}

/// What the registry knows about one (run, origin) pair.
pub(crate) enum Lookup {
    Found(Router),
    UnknownRun,
    UnknownOrigin,
}

impl Registry {
    pub(crate) fn declare_hosts<I, S>(&self, hosts: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut declared = self
            .declared_hosts
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        declared.extend(hosts.into_iter().map(|h| declared_name(h.as_ref())));
    }

    pub(crate) fn is_declared(&self, host: &str) -> bool {
        self.declared_hosts
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&normalize_host(host))
    }

    /// Adds a run; `false` (and nothing changed) when the id is already registered.
    pub(crate) fn insert_run(&self, run_id: &str, origins: HashMap<String, Router>) -> bool {
        let mut runs = self.runs.write().unwrap_or_else(PoisonError::into_inner);
        if runs.contains_key(run_id) {
            return false;
        }
        runs.insert(run_id.to_string(), origins);
        true
    }

    pub(crate) fn remove_run(&self, run_id: &str) {
        self.runs
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(run_id);
    }

    pub(crate) fn lookup(&self, run_id: &str, origin: &str) -> Lookup {
        let runs = self.runs.read().unwrap_or_else(PoisonError::into_inner);
        match runs.get(run_id) {
            None => Lookup::UnknownRun,
            Some(origins) => match origins.get(origin) {
                Some(router) => Lookup::Found(router.clone()),
                None => Lookup::UnknownOrigin,
            },
        }
    }
}

/// The host a declaration names. Callers pass host names, but an origin
/// (`https://api.example.test:8443`) or `host:port` declares its host too, rather than a name
/// no request could ever match.
fn declared_name(text: &str) -> String {
    let text = text.trim();
    let authority = match text.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => text,
    };
    match Authority::parse(authority) {
        Some(parsed) => normalize_host(parsed.host_name()),
        None => normalize_host(text),
    }
}

/// Host names compare case-insensitively and without a trailing root dot or IPv6 brackets.
pub(crate) fn normalize_host(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_match_host_names_whatever_form_they_came_in() {
        let registry = Registry::default();
        registry.declare_hosts([
            "App.Example.test",
            "https://api.example.test:8443",
            "assets.example.test:8080",
            "http://[::1]:9000/",
        ]);
        for host in [
            "app.example.test",
            "api.example.test",
            "assets.example.test",
            "::1",
            "[::1]",
            "APP.example.test.",
        ] {
            assert!(registry.is_declared(host), "{host}");
        }
        assert!(!registry.is_declared("example.test"));
        assert!(!registry.is_declared("https"));
    }
}
