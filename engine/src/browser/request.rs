//! From what the script asked for to the request the browser actually makes: mode and
//! credentials per API (facts §7.1, §7.2), method normalisation (§1.2), the `Headers` guards
//! (§1.4, §1.6, §1.8), automatic `Content-Type` (§1.3) and the use-CORS-preflight flag (§1.1).

use std::borrow::Cow;

use crate::browser::failure::{Failure, Rejection};
use crate::browser::profile::Profile;
use crate::browser::{body, method, request_headers};
use crate::http::{HeaderList, HeaderText, is_token};
use crate::scenario::{
    BodySpec, CacheMode, CredentialsMode, CrossOrigin, Mode, RequestKind, RequestSpec,
};

/// The request as the browser's fetch machinery sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveRequest<'a> {
    pub kind: RequestKind,
    pub url: &'a str,
    /// The request's origin (the page origin), serialised.
    pub origin: &'a str,
    /// Whether the URL's origin is the page's origin (then no CORS protocol applies).
    pub same_origin: bool,
    /// Normalised method.
    pub method: Cow<'a, str>,
    pub mode: Mode,
    pub credentials: CredentialsMode,
    /// The author headers as sent, one line per name (repeated names combined with `", "`),
    /// including an automatic `Content-Type`.
    pub headers: HeaderList,
    /// Header names the browser dropped silently, with the reason, for the explanation.
    pub dropped_headers: Vec<(String, &'static str)>,
    pub body: Option<&'a BodySpec>,
    /// Set by an XHR upload listener or (where the profile honours it) a ReadableStream body.
    pub use_cors_preflight: bool,
    /// Set by fetch() and XHR; element loads never preflight.
    pub unsafe_request: bool,
    pub cache: CacheMode,
}

impl EffectiveRequest<'_> {
    /// The credentials mode is `include` (what the CORS checks look at).
    pub fn credentials_include(&self) -> bool {
        self.credentials == CredentialsMode::Include
    }

    /// Whether cookies go with the request: `include`, or `same-origin` to the page's origin.
    pub fn sends_credentials(&self) -> bool {
        match self.credentials {
            CredentialsMode::Include => true,
            CredentialsMode::SameOrigin => self.same_origin,
            CredentialsMode::Omit => false,
        }
    }

    /// Whether the CORS protocol applies (a cross-origin request in `cors` mode).
    pub fn is_cors(&self) -> bool {
        !self.same_origin && self.mode == Mode::Cors
    }

    /// Whether an `Origin` header goes with the actual request: always for CORS requests, and
    /// for other requests only when the method is neither GET nor HEAD (Fetch "append a request
    /// Origin header").
    pub fn sends_origin(&self) -> bool {
        self.is_cors() || !matches!(&*self.method, "GET" | "HEAD")
    }

    pub fn is_element(&self) -> bool {
        !matches!(self.kind, RequestKind::Fetch | RequestKind::Xhr)
    }
}

/// Mode and credentials mode of an element load (§7.1): no attribute → `no-cors` with cookies;
/// `anonymous` → `cors`, `same-origin`; `use-credentials` → `cors`, `include`. Fonts are loaded
/// through `@font-face` / `FontFace`, which are always `cors` with `same-origin` credentials (CSS
/// Fonts "font fetching requirements"), whatever the case's `crossorigin` says.
pub fn element_mode(
    kind: RequestKind,
    crossorigin: Option<CrossOrigin>,
) -> (Mode, CredentialsMode) {
    match (kind, crossorigin) {
        (RequestKind::Font, _) | (_, Some(CrossOrigin::Anonymous)) => {
            (Mode::Cors, CredentialsMode::SameOrigin)
        }
        (_, Some(CrossOrigin::UseCredentials)) => (Mode::Cors, CredentialsMode::Include),
        (_, None) => (Mode::NoCors, CredentialsMode::Include),
    }
}

/// Builds the effective request, or the TypeError the script gets instead.
pub fn build<'a>(
    profile: &Profile,
    page_origin: &'a str,
    spec: &'a RequestSpec,
) -> Result<EffectiveRequest<'a>, Failure> {
    let Some(target) = OriginParts::of(&spec.url) else {
        return Err(Failure::rejected(
            Rejection::UnsupportedUrl,
            spec.url.clone(),
        ));
    };
    let same_origin = OriginParts::of(page_origin).is_some_and(|page| page == target);
    let mut request = EffectiveRequest {
        kind: spec.kind,
        url: &spec.url,
        origin: page_origin,
        same_origin,
        // Set below: GET for elements, the normalised method for scripts.
        method: Cow::Borrowed(""),
        mode: Mode::Cors,
        credentials: CredentialsMode::SameOrigin,
        headers: HeaderList::new(),
        dropped_headers: Vec::new(),
        body: None,
        use_cors_preflight: false,
        unsafe_request: false,
        cache: spec.cache,
    };
    match spec.kind {
        RequestKind::Fetch | RequestKind::Xhr => {}
        _ => {
            // Elements fetch with GET, no author headers and no body.
            let (mode, credentials) = element_mode(spec.kind, spec.crossorigin);
            request.method = Cow::Borrowed("GET");
            request.mode = mode;
            request.credentials = credentials;
            request.cache = CacheMode::Default;
            return Ok(request);
        }
    }

    if !is_token(&spec.method) {
        return Err(Failure::rejected(
            Rejection::InvalidMethod,
            spec.method.clone(),
        ));
    }
    if method::is_forbidden(&spec.method) {
        return Err(Failure::rejected(
            Rejection::ForbiddenMethod,
            spec.method.clone(),
        ));
    }
    request.method = method::normalise(&spec.method);
    request.unsafe_request = true;

    if spec.kind == RequestKind::Xhr {
        // XHR is always `cors`; withCredentials decides include vs same-origin (§7.2).
        request.credentials = match spec.credentials {
            CredentialsMode::Include => CredentialsMode::Include,
            _ => CredentialsMode::SameOrigin,
        };
    } else {
        request.mode = spec.mode;
        request.credentials = spec.credentials;
        if spec.mode == Mode::NoCors && !method::is_cors_safelisted(&request.method) {
            return Err(Failure::rejected(
                Rejection::MethodUnsupportedInNoCors,
                request.method.clone(),
            ));
        }
        if spec.mode == Mode::SameOrigin && !same_origin {
            return Err(Failure::rejected(
                Rejection::SameOriginModeCrossOrigin,
                spec.url.clone(),
            ));
        }
    }

    let get_or_head = matches!(&*request.method, "GET" | "HEAD");
    request.body = match (&spec.body, spec.kind) {
        (Some(_), RequestKind::Fetch) if get_or_head => {
            return Err(Failure::rejected(
                Rejection::BodyWithGetOrHead,
                request.method.clone(),
            ));
        }
        // XHR's send() ignores the body of a GET or HEAD.
        (Some(_), RequestKind::Xhr) if get_or_head => None,
        (body, _) => body.as_ref(),
    };

    if request.mode == Mode::NoCors && request.body.is_some_and(body::is_stream) {
        return Err(Failure::rejected(
            Rejection::StreamInNoCors,
            request.method.clone(),
        ));
    }
    let no_cors_guard = request.mode == Mode::NoCors;
    for (name, value) in spec.headers.iter() {
        let value = request_headers::normalise_value(value);
        if request_headers::is_forbidden(name, value) {
            request
                .dropped_headers
                .push((name.to_string(), "a forbidden request header"));
            continue;
        }
        if profile.drops_script_user_agent && name.eq_ignore_ascii_case("user-agent") {
            request
                .dropped_headers
                .push((name.to_string(), "User-Agent set by script is ignored"));
            continue;
        }
        append_combined(&mut request, profile, no_cors_guard, name, value);
    }
    if let Some(body) = request.body
        && !request.headers.contains("content-type")
        && let Some(content_type) = body::automatic_content_type(profile.browser, body)
    {
        append_combined(
            &mut request,
            profile,
            no_cors_guard,
            "Content-Type",
            content_type,
        );
    }

    request.use_cors_preflight = match (spec.kind, request.body) {
        // §1.1: listeners on xhr.upload before send(); Chromium (like the XHR standard) only
        // when there is a body to upload, Firefox always (seen in the lab with a GET).
        (RequestKind::Xhr, Some(_)) => spec.upload_listener,
        (RequestKind::Xhr, None) => {
            spec.upload_listener && profile.upload_listener_preflights_without_body
        }
        (RequestKind::Fetch, Some(body)) => {
            body::is_stream(body) && profile.readable_stream_preflights
        }
        _ => false,
    };
    Ok(request)
}

/// Appends a header the way both browsers' network stacks hold them: one line per name, a
/// repeated name's values joined with `", "` (Medium: matches the lab rows of §1.3, where two
/// `Content-Type` entries behave as their combination). The `request-no-cors` guard checks the
/// combined value and drops the header when it is not no-CORS-safelisted.
fn append_combined(
    request: &mut EffectiveRequest<'_>,
    profile: &Profile,
    no_cors_guard: bool,
    name: &str,
    value: &str,
) {
    let existing = request
        .headers
        .0
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(name));
    let combined = match existing {
        Some(i) => HeaderText::from(format!("{}, {value}", request.headers.0[i].1)),
        None => HeaderText::from(value),
    };
    if no_cors_guard && !request_headers::is_no_cors_safelisted(profile, name, &combined) {
        request
            .dropped_headers
            .push((name.to_string(), "not allowed in a no-cors request"));
        return;
    }
    match existing {
        Some(i) => request.headers.0[i].1 = combined,
        None => request.headers.push(name, combined),
    }
}

/// The (scheme, host, port) of an absolute http(s) URL, borrowed from it: comparing two origins
/// this way needs no allocation (the hot path of every prediction).
#[derive(Debug, Clone, Copy)]
struct OriginParts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: &'a str,
}

impl<'a> OriginParts<'a> {
    fn of(url: &'a str) -> Option<Self> {
        let (scheme, rest) = crate::http::split_scheme(url)?;
        let default_port = if scheme.eq_ignore_ascii_case("http") {
            "80"
        } else if scheme.eq_ignore_ascii_case("https") {
            "443"
        } else {
            return None;
        };
        // One pass over the authority: where it ends, its last `@` (userinfo ends there) and
        // the last `:` not inside an IPv6 literal's brackets (the port starts after it). Every
        // prediction parses two origins, so ordinary bytes are skipped by a table lookup.
        let bytes = rest.as_bytes();
        let mut end = bytes.len();
        let mut host_start = 0;
        let mut port_colon = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if AUTHORITY_DELIMITERS[usize::from(b)] {
                match b {
                    b'@' => {
                        host_start = i + 1;
                        port_colon = None;
                    }
                    b':' => port_colon = Some(i),
                    b']' => port_colon = None,
                    // `/`, `?` or `#`: the path, query or fragment starts.
                    _ => {
                        end = i;
                        break;
                    }
                }
            }
            i += 1;
        }
        let (host, port) = match port_colon {
            Some(i) => (&rest[host_start..i], &rest[i + 1..end]),
            None => (&rest[host_start..end], ""),
        };
        if host.is_empty() {
            return None;
        }
        let port = if port.is_empty() { default_port } else { port };
        Some(Self { scheme, host, port })
    }
}

/// The bytes [`OriginParts::of`] stops at in an authority: `@ : ] / ? #`.
static AUTHORITY_DELIMITERS: [bool; 256] = crate::http::byte_set(b"@:]/?#");

impl PartialEq for OriginParts<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.scheme.eq_ignore_ascii_case(other.scheme)
            && self.host.eq_ignore_ascii_case(other.host)
            && self.port == other.port
    }
}

#[cfg(test)]
mod tests {
    use super::OriginParts;

    fn same(a: &str, b: &str) -> bool {
        OriginParts::of(a)
            .zip(OriginParts::of(b))
            .is_some_and(|(a, b)| a == b)
    }

    #[test]
    fn origin_comparison() {
        assert!(same(
            "https://App.Example.com:443/x?y",
            "https://app.example.com"
        ));
        assert!(same("http://user@127.0.0.1:8001/", "http://127.0.0.1:8001"));
        assert!(same("http://[::1]:8080/a", "http://[::1]:8080"));
        assert!(!same("http://[::1]/a", "http://[::1]:8080"));
        assert!(!same("http://a.test:8001", "http://a.test:8002"));
        assert!(!same("https://a.test", "http://a.test"));
        assert!(OriginParts::of("ftp://a.test").is_none());
        assert!(OriginParts::of("/relative").is_none());
        assert!(OriginParts::of("http:///path").is_none());
        assert!(same("http://u:p@a.test/", "http://a.test:80"));
        assert!(same("http://u:p@[::1]:81/", "http://[::1]:81"));
        assert!(!same("http://a.test:81@b.test/", "http://a.test:81"));
    }
}
