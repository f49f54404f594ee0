//! The preflight: whether one is needed (facts §1.1–§1.3, §1.8) and whether its response lets
//! the actual request through (§3).

use crate::browser::cors_check;
use crate::browser::failure::{Failure, Stage};
use crate::browser::profile::Profile;
use crate::browser::request::EffectiveRequest;
use crate::browser::{method, request_headers};
use crate::http::{HeaderList, HeaderText, is_token, split_on};
use crate::reason::ReasonCode;

pub const ALLOW_METHODS: &str = "access-control-allow-methods";
pub const ALLOW_HEADERS: &str = "access-control-allow-headers";
pub const MAX_AGE: &str = "access-control-max-age";

/// Why a request needs a preflight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflightNeed {
    /// The method is not GET, HEAD or POST.
    pub unsafe_method: bool,
    /// The CORS-unsafe request-header names (sorted, lower-cased): the
    /// `Access-Control-Request-Headers` value.
    pub unsafe_headers: Vec<HeaderText>,
    /// The use-CORS-preflight flag (XHR upload listener, ReadableStream body).
    pub forced: bool,
}

impl PreflightNeed {
    pub fn is_needed(&self) -> bool {
        self.forced || self.unsafe_method || !self.unsafe_headers.is_empty()
    }
}

/// What would make this request preflight, ignoring the preflight cache. Only CORS requests made
/// by fetch() or XHR (the unsafe-request flag) can need one.
pub fn need(profile: &Profile, request: &EffectiveRequest<'_>) -> PreflightNeed {
    if !request.is_cors() || !request.unsafe_request {
        return PreflightNeed::default();
    }
    PreflightNeed {
        unsafe_method: !method::is_cors_safelisted(&request.method),
        unsafe_headers: request_headers::unsafe_names(profile, &request.headers),
        forced: request.use_cors_preflight,
    }
}

/// A preflight response that passed, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightOutcome {
    /// `Access-Control-Allow-Methods` tokens as sent (case-sensitive).
    pub methods: Vec<HeaderText>,
    /// `Access-Control-Allow-Headers` tokens, lower-cased.
    pub headers: Vec<HeaderText>,
    /// The combined `Access-Control-Max-Age` value, `None` when absent.
    pub max_age: Option<String>,
    /// `Authorization` was let through by `*` only (Firefox logs a deprecation warning).
    pub authorization_via_wildcard: bool,
}

/// Checks a preflight response in the order Chromium's `preflight_controller.cc` uses (§3.3):
/// redirect, CORS check, ok status, list parsing, method, headers.
pub fn check_response(
    profile: &Profile,
    request: &EffectiveRequest<'_>,
    need: &PreflightNeed,
    status: u16,
    headers: &HeaderList,
) -> Result<PreflightOutcome, Failure> {
    let stage = Stage::Preflight;
    let fail = |code, detail: &str| Err(Failure::new(code, stage, detail, status));
    // §3.1/§6: a preflight never follows a redirect.
    if matches!(status, 301 | 302 | 303 | 307 | 308) && headers.contains("location") {
        return fail(ReasonCode::PreflightRedirect, "");
    }
    let include = request.credentials_include();
    cors_check::check(profile, stage, status, headers, request.origin, include)?;
    if !(200..=299).contains(&status) {
        return fail(ReasonCode::PreflightStatus, &status.to_string());
    }

    let methods = parse_tokens(headers, ALLOW_METHODS)
        .map_err(|bad| Failure::new(ReasonCode::AllowMethodsInvalid, stage, bad, status))?;
    // §3.3: Chromium parses both lists before checking either; Firefox checks the method before
    // it reads Access-Control-Allow-Headers.
    let parsed_headers = parse_tokens(headers, ALLOW_HEADERS);
    if profile.parses_allow_headers_before_method_check
        && let Err(bad) = &parsed_headers
    {
        return fail(ReasonCode::AllowHeadersInvalid, bad);
    }
    // §3.1 step 3 of the standard lets a preflight forced by the use-CORS-preflight flag allow
    // its own method without Access-Control-Allow-Methods. Neither Chromium 156 nor Firefox 153
    // does: an XHR PUT with upload listeners and no ACAM is refused with "Method PUT is not
    // allowed" in both (lab), so the method must be listed like any other.
    let wildcard_allowed = !include;
    if need.unsafe_method
        && !methods.iter().any(|m| *m == request.method)
        && !(wildcard_allowed && methods.iter().any(|m| m == "*"))
    {
        return fail(ReasonCode::MethodNotAllowed, &request.method);
    }

    let allowed_headers: Vec<HeaderText> = match parsed_headers {
        Ok(list) => list.into_iter().map(HeaderText::into_lowercase).collect(),
        Err(bad) => return fail(ReasonCode::AllowHeadersInvalid, &bad),
    };
    let header_wildcard = wildcard_allowed && allowed_headers.iter().any(|h| h == "*");
    let mut authorization_via_wildcard = false;
    for name in &need.unsafe_headers {
        if allowed_headers.contains(name) {
            continue;
        }
        let is_authorization = name == "authorization";
        if header_wildcard && (!is_authorization || profile.wildcard_covers_authorization) {
            authorization_via_wildcard |= is_authorization;
            continue;
        }
        return fail(ReasonCode::HeaderNotAllowed, name);
    }
    Ok(PreflightOutcome {
        methods,
        headers: allowed_headers,
        max_age: cors_check::combined(headers, MAX_AGE),
        authorization_via_wildcard,
    })
}

/// Parses every line of `name` as a `#token` list: empty elements are skipped, and any element
/// that is not a token fails the whole list (`Err` carries it). Absent = empty list.
pub fn parse_tokens(headers: &HeaderList, name: &str) -> Result<Vec<HeaderText>, String> {
    let mut out = Vec::new();
    for line in headers.get_all(name) {
        for item in split_on(line, b',') {
            let item = item.trim_matches([' ', '\t']);
            if item.is_empty() {
                continue;
            }
            if !is_token(item) {
                return Err(item.to_string());
            }
            out.push(HeaderText::from(item));
        }
    }
    Ok(out)
}
