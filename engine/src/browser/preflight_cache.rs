//! The preflight cache of one page, in each browser's style (facts §4).
//!
//! Chromium keeps one result per (origin, URL): the methods and headers of the last preflight,
//! honouring `*` (except for `Authorization`) and letting a credentialed entry serve an
//! uncredentialed request. Firefox keeps, per (origin, URL, credentials), literal tokens each
//! with its own expiry, merged across preflights; `*` is just a token that never matches, and
//! HEAD is not safelisted at lookup.

use crate::browser::preflight::{PreflightNeed, PreflightOutcome};
use crate::browser::profile::{PreflightCacheStyle, Profile};
use crate::browser::request::EffectiveRequest;
use crate::http::HeaderText;
use crate::scenario::CacheMode;

/// Why the cache could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// The fetch cache mode bypasses the preflight cache.
    Skipped(CacheMode),
    NoEntry,
    Expired,
    /// The entry was made for an uncredentialed request and this one is credentialed.
    Credentials,
    /// The method is not covered by the entry.
    Method(String),
    /// This header name is not covered by the entry.
    Header(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Skipped(mode) => write!(f, "cache mode {mode:?} bypasses the preflight cache"),
            Miss::NoEntry => f.write_str("no preflight-cache entry for this origin and URL"),
            Miss::Expired => f.write_str("the preflight-cache entry has expired"),
            Miss::Credentials => f.write_str(
                "the preflight-cache entry was made without credentials and this request includes them",
            ),
            Miss::Method(m) => write!(f, "the preflight-cache entry does not cover method {m}"),
            Miss::Header(h) => write!(f, "the preflight-cache entry does not cover header {h}"),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    value: HeaderText,
    expires_ms: u64,
}

#[derive(Debug, Clone)]
struct Entry {
    origin: String,
    url: String,
    /// Made for a credentialed (`include`) request.
    credentials: bool,
    methods: Vec<Token>,
    /// Lower-cased.
    headers: Vec<Token>,
    /// The expiry of the latest preflight stored here.
    expires_ms: u64,
}

/// One page's preflight cache.
#[derive(Debug, Clone, Default)]
pub struct PreflightCache {
    entries: Vec<Entry>,
}

/// Whether the fetch cache mode skips the lookup: Chromium for no-cache, no-store and reload
/// (lab §4.4); Firefox for LOAD_BYPASS_CACHE, which we take to be reload and no-store (Medium).
pub fn lookup_skipped(profile: &Profile, mode: CacheMode) -> bool {
    if !profile.preflight_cache_skipped_for_cache_modes {
        return false;
    }
    match profile.preflight_cache_style {
        PreflightCacheStyle::ReplaceLast => {
            matches!(
                mode,
                CacheMode::NoCache | CacheMode::NoStore | CacheMode::Reload
            )
        }
        PreflightCacheStyle::MergeTokens => matches!(mode, CacheMode::NoStore | CacheMode::Reload),
    }
}

impl PreflightCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a cached result lets `request` skip its preflight. Chromium erases an entry that
    /// cannot answer (it is replaced by the next preflight).
    pub fn lookup(
        &mut self,
        profile: &Profile,
        now_ms: u64,
        request: &EffectiveRequest<'_>,
        need: &PreflightNeed,
    ) -> Result<(), Miss> {
        if lookup_skipped(profile, request.cache) {
            return Err(Miss::Skipped(request.cache));
        }
        let include = request.credentials_include();
        match profile.preflight_cache_style {
            PreflightCacheStyle::ReplaceLast => {
                let index = self
                    .position(request.origin, request.url, None)
                    .ok_or(Miss::NoEntry)?;
                let verdict = chromium_covers(&self.entries[index], now_ms, request, need, include);
                if verdict.is_err() {
                    self.entries.swap_remove(index);
                }
                verdict
            }
            PreflightCacheStyle::MergeTokens => {
                let index = self
                    .position(request.origin, request.url, Some(include))
                    .ok_or(Miss::NoEntry)?;
                firefox_covers(&self.entries[index], now_ms, request, need)
            }
        }
    }

    /// How long a passed preflight's result would be kept, in seconds, or `None` when it is
    /// not cached (Max-Age 0, negative or, for Firefox, not all digits; cache mode no-store; or,
    /// in Chromium, a URL of 1024 characters or more). What [`Self::store`] decides, without
    /// storing.
    pub fn lifetime_s(
        profile: &Profile,
        request: &EffectiveRequest<'_>,
        outcome: &PreflightOutcome,
    ) -> Option<u64> {
        if request.cache == CacheMode::NoStore && profile.preflight_cache_skipped_for_cache_modes {
            return None;
        }
        if profile
            .preflight_cache_max_url_len
            .is_some_and(|max| request.url.len() >= max)
        {
            return None;
        }
        profile.cache_lifetime_s(outcome.max_age.as_deref())
    }

    /// Stores a passed preflight's result. Returns the lifetime in seconds, or `None` when the
    /// result is not cached (see [`Self::lifetime_s`]).
    pub fn store(
        &mut self,
        profile: &Profile,
        now_ms: u64,
        request: &EffectiveRequest<'_>,
        outcome: &PreflightOutcome,
    ) -> Option<u64> {
        let lifetime_s = Self::lifetime_s(profile, request, outcome)?;
        let expires_ms = now_ms.saturating_add(lifetime_s.saturating_mul(1000));
        let include = request.credentials_include();
        let tokens = |list: &[HeaderText]| -> Vec<Token> {
            list.iter()
                .map(|v| Token {
                    value: v.clone(),
                    expires_ms,
                })
                .collect()
        };
        match profile.preflight_cache_style {
            PreflightCacheStyle::ReplaceLast => {
                if let Some(i) = self.position(request.origin, request.url, None) {
                    self.entries.swap_remove(i);
                }
                self.entries.push(Entry {
                    origin: request.origin.to_string(),
                    url: request.url.to_string(),
                    credentials: include,
                    methods: tokens(&outcome.methods),
                    headers: tokens(&outcome.headers),
                    expires_ms,
                });
            }
            PreflightCacheStyle::MergeTokens => {
                let index = match self.position(request.origin, request.url, Some(include)) {
                    Some(i) => i,
                    None => {
                        self.entries.push(Entry {
                            origin: request.origin.to_string(),
                            url: request.url.to_string(),
                            credentials: include,
                            methods: Vec::new(),
                            headers: Vec::new(),
                            expires_ms,
                        });
                        self.entries.len() - 1
                    }
                };
                let entry = &mut self.entries[index];
                entry.expires_ms = expires_ms;
                merge(&mut entry.methods, &outcome.methods, expires_ms, false);
                merge(&mut entry.headers, &outcome.headers, expires_ms, true);
            }
        }
        Some(lifetime_s)
    }

    /// Drops every entry for (origin, URL), as Firefox does when the request fails a CORS check.
    pub fn clear(&mut self, origin: &str, url: &str) {
        self.entries
            .retain(|e| !(e.origin == origin && e.url == url));
    }

    fn position(&self, origin: &str, url: &str, credentials: Option<bool>) -> Option<usize> {
        self.entries.iter().position(|e| {
            e.origin == origin && e.url == url && credentials.is_none_or(|c| c == e.credentials)
        })
    }
}

fn merge(tokens: &mut Vec<Token>, values: &[HeaderText], expires_ms: u64, case_insensitive: bool) {
    for value in values {
        let same = |t: &Token| {
            if case_insensitive {
                t.value.eq_ignore_ascii_case(value)
            } else {
                t.value == *value
            }
        };
        match tokens.iter_mut().find(|t| same(t)) {
            Some(t) => t.expires_ms = expires_ms,
            None => tokens.push(Token {
                value: value.clone(),
                expires_ms,
            }),
        }
    }
}

fn chromium_covers(
    entry: &Entry,
    now_ms: u64,
    request: &EffectiveRequest<'_>,
    need: &PreflightNeed,
    include: bool,
) -> Result<(), Miss> {
    if now_ms >= entry.expires_ms {
        return Err(Miss::Expired);
    }
    if include && !entry.credentials {
        return Err(Miss::Credentials);
    }
    let wildcard = !include;
    if need.unsafe_method
        && !entry
            .methods
            .iter()
            .any(|t| t.value == request.method || (wildcard && t.value == "*"))
    {
        return Err(Miss::Method(request.method.to_string()));
    }
    for name in &need.unsafe_headers {
        // Lookups use the non-wildcard rule for Authorization (§3.4).
        let covered = entry
            .headers
            .iter()
            .any(|t| t.value == *name || (wildcard && t.value == "*" && name != "authorization"));
        if !covered {
            return Err(Miss::Header(name.to_string()));
        }
    }
    Ok(())
}

fn firefox_covers(
    entry: &Entry,
    now_ms: u64,
    request: &EffectiveRequest<'_>,
    need: &PreflightNeed,
) -> Result<(), Miss> {
    let live = |t: &&Token| now_ms < t.expires_ms;
    // Firefox accepts only GET and POST without a method token: HEAD needs one (§4.3).
    let needs_method_token = !matches!(&*request.method, "GET" | "POST");
    if needs_method_token
        && !entry
            .methods
            .iter()
            .filter(live)
            .any(|t| t.value == request.method)
    {
        return Err(if entry.methods.iter().any(|t| t.value == request.method) {
            Miss::Expired
        } else {
            Miss::Method(request.method.to_string())
        });
    }
    for name in &need.unsafe_headers {
        let mut matching = entry
            .headers
            .iter()
            .filter(|t| t.value.eq_ignore_ascii_case(name));
        let Some(first) = matching.next() else {
            return Err(Miss::Header(name.to_string()));
        };
        if !live(&first) {
            return Err(Miss::Expired);
        }
    }
    if !needs_method_token && need.unsafe_headers.is_empty() && now_ms >= entry.expires_ms {
        return Err(Miss::Expired);
    }
    Ok(())
}
