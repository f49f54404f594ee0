//! What differs between Chrome and Firefox, as data.
//!
//! Each field names one behaviour and cites the section of `docs/facts/browser.md` it comes from
//! (its §8.1 lists them side by side). A field on which the two browsers differ also names the
//! case in `cases/` that shows the difference in real browsers, or says `no case yet`. Both
//! profiles describe the versions the facts were measured with: Chromium 156 and Firefox 153 ESR.

use crate::browser::Browser;

/// How a browser reads `Access-Control-Max-Age` (§4.2, §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxAgeSyntax {
    /// Chromium: a (possibly signed) integer; anything else means the 5 s default; negative
    /// values mean "do not cache".
    SignedIntegerOrDefault,
    /// Firefox: ASCII digits only; any other character means "do not cache at all".
    DigitsOnlyOrUncached,
}

/// How the preflight cache stores and looks up results (§4.2, §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreflightCacheStyle {
    /// Chromium: one result per (origin, URL), replaced by the last preflight; `*` entries are
    /// honoured (except for `Authorization`); a credentialed entry serves uncredentialed requests.
    ReplaceLast,
    /// Firefox: per (origin, URL, credentials) a set of literal tokens, each with its own expiry,
    /// merged across preflights; `*` is stored as a literal token and so never matches.
    MergeTokens,
}

/// How the HTTP cache keys responses (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpCacheKeying {
    /// Chromium: by URL only (within one page), so a response cached by a no-cors load is reused
    /// for a later CORS request unless `Vary` says otherwise.
    UrlOnly,
    /// Firefox: anonymous and credentialed loads are stored apart, and cross-origin fetch/XHR
    /// requests get their own key (`network.fetch.cache_partition_cross_origin`).
    SplitByCredentialsAndFetchMode,
}

/// A browser's CORS behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub browser: Browser,
    /// §1.8: client hints (`DPR`, `Save-Data`, …) and `Intervention` count as safelisted.
    /// Case: `cases/browser/differences/client-hint-dpr.toml` (also `client-hint-blocked.toml`,
    /// `intervention-header.toml`).
    pub safelists_client_hints: bool,
    /// §1.8: a script-set `User-Agent` is silently dropped (crbug 571722).
    /// Case: `cases/browser/differences/user-agent-header.toml`.
    pub drops_script_user_agent: bool,
    /// §1.1, §1.8: a `ReadableStream` request body forces a preflight.
    /// Case: `cases/browser/differences/readable-stream-body.toml`.
    pub readable_stream_preflights: bool,
    /// §1.1 lab: a `ReadableStream` upload fails over HTTP/1.1 (Chromium streams uploads over
    /// HTTP/2 or QUIC only; the harness's servers speak HTTP/1.1).
    /// Case: `cases/browser/differences/readable-stream-body.toml`.
    pub streaming_upload_requires_http2: bool,
    /// §3.4: `Access-Control-Allow-Headers: *` lets `Authorization` through in a fresh preflight
    /// (both real browsers; the spec says no).
    /// Case: `cases/browser/allow-headers/star-covers-authorization.toml`.
    pub wildcard_covers_authorization: bool,
    /// §4.2/§4.3: Max-Age used when the header is absent, in seconds.
    /// Case: `cases/browser/preflight-cache/default-expires.toml`.
    pub max_age_default_s: u64,
    /// §4.2/§4.3: the largest Max-Age honoured, in seconds.
    /// No case yet: the caps (2 h, 24 h) only show after waiting that long.
    pub max_age_cap_s: u64,
    /// §4.2/§4.3. Case: `cases/browser/differences/max-age-not-a-number.toml` (also
    /// `max-age-plus-sign.toml`, `max-age-two-lines.toml`).
    pub max_age_syntax: MaxAgeSyntax,
    /// §4.2/§4.3. Case: `cases/browser/differences/star-methods-reuse.toml` (also
    /// `star-headers-reuse.toml`, `include-then-omit.toml`, `head-custom-header-reuse.toml`).
    pub preflight_cache_style: PreflightCacheStyle,
    /// §4.2: results for URLs at least this long are not cached (Chromium: 1024 characters).
    /// No case yet.
    pub preflight_cache_max_url_len: Option<usize>,
    /// §4.4: fetch cache modes that skip the preflight-cache lookup (Chromium: no-cache, no-store
    /// and reload set VALIDATE/BYPASS/DISABLE load flags).
    /// Case: `cases/browser/preflight-cache/no-store-skips-cache.toml` (both browsers); no case
    /// yet for `no-cache`, where they differ (see `preflight_cache::lookup_skipped`).
    pub preflight_cache_skipped_for_cache_modes: bool,
    /// §4.3: entries for the URL are dropped when the request then fails a CORS check.
    /// Case: `cases/browser/differences/cleared-after-failure.toml`.
    pub clears_preflight_cache_on_failure: bool,
    /// §9. Case: `cases/mistakes/img-cache-no-vary-broken.toml` (also
    /// `cases/s3/actual/cache-img-then-canvas.toml`, `cache-star-no-origin.toml`).
    pub http_cache_keying: HttpCacheKeying,
    /// §2.2: whether a comma or space inside a single `Access-Control-Allow-Origin` value is
    /// reported as "multiple values" (Chromium) rather than as a mismatch (Firefox, which only
    /// reports several header lines as multiple).
    /// Case: `cases/browser/differences/acao-list-message.toml` (Firefox's reason is checked
    /// against the prediction only: geckodriver cannot read the console).
    pub acao_list_reported_as_multiple: bool,
    /// §3.3: Chromium parses `Access-Control-Allow-Headers` before checking the method, Firefox
    /// checks the method first (decides which failure is reported when both are wrong).
    /// No case yet: only Chrome's console gives the reason.
    pub parses_allow_headers_before_method_check: bool,
    /// §1.3, §13 (Firefox 153 ESR): an `Accept` value with a byte above 0x7F is not
    /// safelisted, although the Fetch standard only rules out the CORS-unsafe bytes.
    /// Case: `cases/browser/differences/accept-latin1-byte.toml`.
    pub non_ascii_accept_is_unsafe: bool,
    /// §1.1, §13 (Firefox 153 ESR): listeners on `xhr.upload` force a preflight even when
    /// the request has no body (a GET); Chromium, like the XHR standard, only with a body.
    /// Case: `cases/browser/differences/xhr-upload-listener-get.toml`.
    pub upload_listener_preflights_without_body: bool,
}

/// Chromium 156.
pub const CHROME: Profile = Profile {
    browser: Browser::Chrome,
    safelists_client_hints: true,
    drops_script_user_agent: true,
    readable_stream_preflights: true,
    streaming_upload_requires_http2: true,
    wildcard_covers_authorization: true,
    max_age_default_s: 5,
    max_age_cap_s: 7200,
    max_age_syntax: MaxAgeSyntax::SignedIntegerOrDefault,
    preflight_cache_style: PreflightCacheStyle::ReplaceLast,
    preflight_cache_max_url_len: Some(1024),
    preflight_cache_skipped_for_cache_modes: true,
    clears_preflight_cache_on_failure: false,
    http_cache_keying: HttpCacheKeying::UrlOnly,
    acao_list_reported_as_multiple: true,
    parses_allow_headers_before_method_check: true,
    non_ascii_accept_is_unsafe: false,
    upload_listener_preflights_without_body: false,
};

/// Firefox 153 ESR.
pub const FIREFOX: Profile = Profile {
    browser: Browser::Firefox,
    safelists_client_hints: false,
    drops_script_user_agent: false,
    readable_stream_preflights: false,
    // Medium: Firefox posted the stream's body in the lab; whether it buffers it was not checked.
    streaming_upload_requires_http2: false,
    wildcard_covers_authorization: true,
    max_age_default_s: 5,
    max_age_cap_s: 86_400,
    max_age_syntax: MaxAgeSyntax::DigitsOnlyOrUncached,
    preflight_cache_style: PreflightCacheStyle::MergeTokens,
    preflight_cache_max_url_len: None,
    // §8.1 (Medium): Firefox skips its preflight cache for LOAD_BYPASS_CACHE; we assume the
    // fetch modes `reload` and `no-store` set it and `no-cache` (VALIDATE_ALWAYS) does not. See
    // `preflight_cache::lookup_skipped`.
    preflight_cache_skipped_for_cache_modes: true,
    clears_preflight_cache_on_failure: true,
    http_cache_keying: HttpCacheKeying::SplitByCredentialsAndFetchMode,
    acao_list_reported_as_multiple: false,
    parses_allow_headers_before_method_check: false,
    non_ascii_accept_is_unsafe: true,
    upload_listener_preflights_without_body: true,
};

impl Profile {
    /// The Max-Age (in seconds) a preflight result is cached for, or `None` when it is not
    /// cached at all. `value` is the combined header value, `None` when absent.
    pub fn cache_lifetime_s(&self, value: Option<&str>) -> Option<u64> {
        let seconds = match (value, self.max_age_syntax) {
            (None, _) => self.max_age_default_s,
            (Some(v), MaxAgeSyntax::SignedIntegerOrDefault) => match v.parse::<i64>() {
                Ok(n) if n <= 0 => return None,
                Ok(n) => n as u64,
                Err(_) => self.max_age_default_s,
            },
            (Some(v), MaxAgeSyntax::DigitsOnlyOrUncached) => {
                // An empty value accumulates no digits: age 0, not cached (Medium: read from
                // the digit loop in nsCORSListenerProxy.cpp, not observed).
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Overlong digit strings saturate at the cap rather than overflowing.
                v.parse::<u64>().unwrap_or(u64::MAX)
            }
        };
        match seconds.min(self.max_age_cap_s) {
            0 => None,
            s => Some(s),
        }
    }
}
