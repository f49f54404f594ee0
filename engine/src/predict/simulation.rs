//! One page making its requests in order: the browser half's decisions wired to the server model.
//!
//! For each request: build the effective request (or the TypeError), then by case —
//! same-origin (no CORS), `no-cors` (opaque), or CORS: preflight decision, preflight cache,
//! preflight exchange and checks, HTTP cache or network for the actual request, CORS check,
//! readable headers. Every decision leaves one plain-words step in the trace.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::browser::console::{self, ConsoleContext};
use crate::browser::failure::{Failure, Stage};
use crate::browser::http_cache::{self, Held, HttpCache};
use crate::browser::mixed_content::{self, MixedContent};
use crate::browser::preflight::{self, PreflightNeed};
use crate::browser::preflight_cache::PreflightCache;
use crate::browser::profile::Profile;
use crate::browser::request::{self, EffectiveRequest};
use crate::browser::response_headers::{self, Tainting};
use crate::browser::{body, cors_check, element, request_headers};
use crate::http::{HeaderList, HeaderText};
use crate::observation::{Outcome, Reason, RequestResult, WireExchange};
use crate::predict::RequestPrediction;
use crate::predict::incoming::ServerExchange;
use crate::predict::responder::{Answer, Incoming, Responder};
use crate::scenario::{CredentialsMode, Mode, RequestKind, RequestSpec, Scenario};
use crate::text::{Decimal, cat};
use crate::trace::{Actor, Recorder, Trace};

/// The page: its origin, its caches, its clock, and the server it talks to.
#[derive(Debug, Clone)]
pub struct Page<'s> {
    profile: &'static Profile,
    origin: &'s str,
    server: Responder<'s>,
    preflight_cache: PreflightCache,
    http_cache: HttpCache,
    now_ms: u64,
    /// 1-based number of the request being run.
    number: usize,
    /// How many requests the scenario has: the last one stores nothing in the caches, since no
    /// later request could use it (its explanation still says what would be kept).
    requests: usize,
    /// For a recorded server only: the last 200 answer to a GET of each URL. A real browser
    /// keeps such a response to revalidate it even when it may not reuse it (Last-Modified
    /// equal to Date gives no heuristic freshness), so a recorded `304` refers to it.
    revalidatable: Vec<Revalidatable>,
    /// Every exchange with the server, when [`Page::record_exchanges`] asked for them.
    exchanges: Option<Vec<ServerExchange>>,
}

/// A response a real browser's conditional request may have revalidated.
#[derive(Debug, Clone)]
struct Revalidatable {
    url: String,
    status: u16,
    headers: Rc<HeaderList>,
    body: Rc<[u8]>,
    /// Which request received it (1-based), for the explanation.
    received_by: usize,
}

/// The response the page's fetch got for the actual request.
struct Delivered<'s> {
    status: u16,
    headers: Held<'s, HeaderList>,
    body: Held<'s, [u8]>,
}

impl<'s> Page<'s> {
    pub fn new(scenario: &'s Scenario, profile: &'static Profile) -> Self {
        Self {
            profile,
            origin: &scenario.page_origin,
            server: Responder::new(&scenario.server),
            preflight_cache: PreflightCache::new(),
            http_cache: HttpCache::new(),
            now_ms: 0,
            number: 0,
            requests: scenario.requests.len(),
            revalidatable: Vec::new(),
            exchanges: None,
        }
    }

    /// From now on, keep every exchange with the server (request and whole answer).
    pub(crate) fn record_exchanges(&mut self) {
        self.exchanges = Some(Vec::new());
    }

    /// The exchanges kept since the last call.
    pub(crate) fn take_exchanges(&mut self) -> Vec<ServerExchange> {
        self.exchanges
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn keep_exchange(&mut self, request: &Incoming<'_>, answer: &Answer<'_>) {
        if let Some(exchanges) = &mut self.exchanges {
            exchanges.push(ServerExchange::new(
                request,
                answer.status,
                &answer.headers,
                &answer.body,
            ));
        }
    }

    /// Whether a request follows the one being run, so that caching its answers matters.
    fn later_requests(&self) -> bool {
        self.number < self.requests
    }

    /// Runs the next request of the page, with its explanation.
    pub fn run(&mut self, spec: &RequestSpec) -> RequestPrediction {
        // Room for a typical request's steps, so the trace grows once.
        let mut trace = Trace(Vec::with_capacity(8));
        let result = self.run_recorded(spec, &mut Recorder::to(&mut trace));
        RequestPrediction { result, trace }
    }

    /// Runs the next request of the page without building its explanation.
    pub fn run_result(&mut self, spec: &RequestSpec) -> RequestResult {
        self.run_recorded(spec, &mut Recorder::off())
    }

    fn run_recorded(&mut self, spec: &RequestSpec, trace: &mut Recorder<'_>) -> RequestResult {
        self.number += 1;
        if !self.later_requests() {
            self.server.last_request_follows();
        }
        self.now_ms = self.now_ms.saturating_add(spec.wait_ms);
        if spec.wait_ms > 0 {
            trace.info_with(Actor::Browser, || {
                format!(
                    "the page waits {} ms (clock at {} ms)",
                    spec.wait_ms, self.now_ms
                )
            });
        }
        let mixed = mixed_content::check(self.origin, spec.kind, &spec.url);
        let upgraded_spec;
        let spec = match &mixed {
            MixedContent::Upgrade(url) => {
                upgraded_spec = RequestSpec {
                    url: url.clone(),
                    ..spec.clone()
                };
                &upgraded_spec
            }
            MixedContent::NotMixed | MixedContent::Block => spec,
        };
        // The script's TypeErrors (bad method, body on GET, ...) come before the fetch starts,
        // so before the mixed-content check. Low for `mode: "same-origin"`, whose order against
        // the mixed-content check was not observed.
        let request = match request::build(self.profile, self.origin, spec) {
            Ok(request) => request,
            Err(failure) => {
                trace.fail(
                    Actor::Browser,
                    "the script's request is rejected with a TypeError before anything is sent",
                );
                return self.blocked(spec, failure, Vec::new(), false);
            }
        };
        match &mixed {
            MixedContent::NotMixed => {}
            MixedContent::Upgrade(url) => trace.info_with(Actor::Browser, || {
                cat(&[
                    "mixed content: an image on an https page is upgraded to ",
                    url,
                    " (the http URL is never requested)",
                ])
            }),
            MixedContent::Block => {
                trace.fail(
                    Actor::Browser,
                    "mixed content: an https page may not fetch an http URL with fetch(), XHR, \
                     <script> or a font; the browser blocks it before anything is sent (no CORS \
                     check happens)",
                );
                let failure = Failure::new(
                    crate::reason::ReasonCode::MixedContent,
                    Stage::Request,
                    "",
                    0,
                );
                return self.blocked(spec, failure, Vec::new(), false);
            }
        }
        describe(&request, trace);
        if request.same_origin {
            self.run_plain(spec, &request, Tainting::Basic, trace)
        } else if request.mode == Mode::NoCors {
            self.run_plain(spec, &request, Tainting::Opaque, trace)
        } else {
            self.run_cors(spec, &request, trace)
        }
    }

    /// A same-origin or `no-cors` request: no preflight, no CORS check.
    fn run_plain(
        &mut self,
        spec: &RequestSpec,
        request: &EffectiveRequest<'_>,
        tainting: Tainting,
        trace: &mut Recorder<'_>,
    ) -> RequestResult {
        if let Some(failure) = self.streaming_upload_failure(request, trace) {
            return self.blocked(spec, failure, Vec::new(), false);
        }
        let mut wire = Vec::new();
        let delivered = self.fetch_actual(request, &mut wire, trace);
        if let Some(failure) = element_failure(request, &delivered, trace) {
            return self.blocked(spec, failure, wire, false);
        }
        let mut result = RequestResult {
            outcome: Outcome::Allowed,
            preflight: false,
            status: if request.is_element() {
                None
            } else {
                Some(delivered.status)
            },
            readable: BTreeMap::new(),
            canvas_tainted: None,
            wire,
            reason: None,
        };
        if tainting == Tainting::Opaque {
            trace.info(
                Actor::Browser,
                "no-cors: the response is opaque (status 0, no headers, no body); no CORS check",
            );
            result.outcome = Outcome::Opaque;
            result.status = Some(0);
            if spec.kind == RequestKind::ImgCanvas {
                trace.fail(
                    Actor::Browser,
                    "the image loaded without CORS, so drawing it taints the canvas and getImageData throws",
                );
                result.canvas_tainted = Some(true);
                let failure = Failure::new(
                    crate::reason::ReasonCode::CanvasTainted,
                    Stage::Canvas,
                    "",
                    0,
                );
                result.reason = Some(self.reason(spec, &failure));
            }
        } else {
            trace.pass(
                Actor::Browser,
                "same-origin request: no CORS protocol applies",
            );
            if spec.kind == RequestKind::ImgCanvas {
                result.canvas_tainted = Some(false);
            }
        }
        self.fill_readable(spec, request, tainting, &delivered, &mut result, trace);
        result
    }

    fn run_cors(
        &mut self,
        spec: &RequestSpec,
        request: &EffectiveRequest<'_>,
        trace: &mut Recorder<'_>,
    ) -> RequestResult {
        let profile = self.profile;
        let need = preflight::need(profile, request);
        let mut wire = Vec::new();
        let mut preflighted = false;
        if need.is_needed() {
            trace.info_with(Actor::Browser, || why_preflight(request, &need));
            match self
                .preflight_cache
                .lookup(profile, self.now_ms, request, &need)
            {
                Ok(()) => trace.pass(
                    Actor::Browser,
                    "a preflight-cache entry covers the request: no preflight is sent",
                ),
                Err(miss) => {
                    trace.info_with(Actor::Browser, || format!("preflight cache: {miss}"));
                    preflighted = true;
                    if let Err(failure) = self.send_preflight(request, &need, &mut wire, trace) {
                        return self.blocked(spec, failure, wire, preflighted);
                    }
                }
            }
        } else if request.unsafe_request {
            trace.info_with(Actor::Browser, || {
                cat(&[
                    "no preflight: ",
                    &request.method,
                    " is a safelisted method and every header is CORS-safelisted",
                ])
            });
        } else {
            trace.info(Actor::Browser, "element loads never preflight");
        }

        if let Some(failure) = self.streaming_upload_failure(request, trace) {
            return self.blocked(spec, failure, wire, preflighted);
        }
        let delivered = self.fetch_actual(request, &mut wire, trace);
        let include = request.credentials_include();
        if let Err(failure) = cors_check::check(
            profile,
            Stage::Actual,
            delivered.status,
            &delivered.headers,
            request.origin,
            include,
        ) {
            trace.fail_with(Actor::Browser, || cors_failure_sentence(&failure));
            if profile.clears_preflight_cache_on_failure {
                self.preflight_cache.clear(request.origin, request.url);
            }
            return self.blocked(spec, failure, wire, preflighted);
        }
        trace.pass(
            Actor::Browser,
            "the response passes the CORS check: the page can read it",
        );
        if let Some(failure) = element_failure(request, &delivered, trace) {
            return self.blocked(spec, failure, wire, preflighted);
        }
        let mut result = RequestResult {
            outcome: Outcome::Allowed,
            preflight: preflighted,
            status: if request.is_element() {
                None
            } else {
                Some(delivered.status)
            },
            readable: BTreeMap::new(),
            canvas_tainted: (spec.kind == RequestKind::ImgCanvas).then_some(false),
            wire,
            reason: None,
        };
        let tainting = Tainting::Cors {
            credentials_include: include,
        };
        self.fill_readable(spec, request, tainting, &delivered, &mut result, trace);
        result
    }

    /// Chromium refuses a `ReadableStream` upload over HTTP/1.1 before sending it (§1.1 lab).
    fn streaming_upload_failure(
        &self,
        request: &EffectiveRequest<'_>,
        trace: &mut Recorder<'_>,
    ) -> Option<Failure> {
        let streaming = request.body.is_some_and(body::is_stream);
        if !streaming || !self.profile.streaming_upload_requires_http2 {
            return None;
        }
        let failure = Failure::new(
            crate::reason::ReasonCode::StreamingUploadRequiresHttp2,
            Stage::Actual,
            request.method.clone(),
            0,
        );
        trace.fail_with(Actor::Browser, || cors_failure_sentence(&failure));
        Some(failure)
    }

    /// Sends the preflight, checks its response and stores the result in the preflight cache.
    fn send_preflight(
        &mut self,
        request: &EffectiveRequest<'_>,
        need: &PreflightNeed,
        wire: &mut Vec<WireExchange>,
        trace: &mut Recorder<'_>,
    ) -> Result<(), Failure> {
        let profile = self.profile;
        let acrh = (!need.unsafe_headers.is_empty())
            .then(|| request_headers::request_headers_value(&need.unsafe_headers));
        let incoming = Incoming {
            method: "OPTIONS",
            url: request.url,
            origin: Some(request.origin),
            access_control_request_method: Some(&request.method),
            access_control_request_headers: acrh.as_deref(),
            content_type: None,
            range: None,
            body: &[],
        };
        let answer = self.server.respond_recorded(&incoming, trace);
        self.keep_exchange(&incoming, &answer);
        let mut sent = HeaderList::new();
        sent.push_named("Access-Control-Request-Method", &*request.method);
        if let Some(acrh) = &acrh {
            sent.push_named("Access-Control-Request-Headers", acrh.as_str());
        }
        sent.push_named("Origin", request.origin);
        wire.push(exchange("OPTIONS", request.url, sent, &answer));
        match preflight::check_response(profile, request, need, answer.status, &answer.headers) {
            Err(failure) => {
                trace.fail_with(Actor::Browser, || cors_failure_sentence(&failure));
                if profile.clears_preflight_cache_on_failure {
                    self.preflight_cache.clear(request.origin, request.url);
                }
                Err(failure)
            }
            Ok(outcome) => {
                trace.pass(Actor::Browser, "the preflight response allows the request");
                if outcome.authorization_via_wildcard {
                    trace.info(
                        Actor::Browser,
                        "Authorization is covered only by Access-Control-Allow-Headers: * \
                         (both browsers allow it; the Fetch standard does not)",
                    );
                }
                let cached_for = if self.later_requests() {
                    Some(
                        self.preflight_cache
                            .store(profile, self.now_ms, request, &outcome),
                    )
                } else if trace.is_on() {
                    // Nothing later can use it: its lifetime only matters to the explanation.
                    Some(PreflightCache::lifetime_s(profile, request, &outcome))
                } else {
                    None
                };
                match cached_for {
                    None => {}
                    Some(Some(seconds)) => trace.info_with(Actor::Browser, || {
                        cat(&[
                            "the preflight result is cached for ",
                            Decimal::new(seconds).as_str(),
                            " s",
                        ])
                    }),
                    Some(None) => trace.info_with(Actor::Browser, || {
                        format!(
                            "the preflight result is not cached (Access-Control-Max-Age: {})",
                            outcome.max_age.as_deref().unwrap_or("absent")
                        )
                    }),
                }
                Ok(())
            }
        }
    }

    /// The actual request: from the HTTP cache when a stored response may be reused, else over
    /// the network (storing the response, or invalidating the URL after an unsafe method).
    fn fetch_actual(
        &mut self,
        request: &EffectiveRequest<'_>,
        wire: &mut Vec<WireExchange>,
        trace: &mut Recorder<'_>,
    ) -> Delivered<'s> {
        let profile = self.profile;
        let origin_sent = request.sends_origin().then_some(request.origin);
        if let Some(cached) = self
            .http_cache
            .lookup(profile, self.now_ms, request, origin_sent)
        {
            trace.info_with(Actor::Browser, || {
                format!(
                    "served from the HTTP cache (stored by request {}); nothing reaches the server",
                    cached.stored_by
                )
            });
            return Delivered {
                status: cached.status,
                headers: Held::Shared(Rc::clone(&cached.headers)),
                body: Held::Shared(Rc::clone(&cached.body)),
            };
        }
        let body_bytes = request
            .body
            .map(|b| body::bytes(profile.browser, b))
            .unwrap_or_default();
        let incoming = Incoming {
            method: &request.method,
            url: request.url,
            origin: origin_sent,
            access_control_request_method: None,
            access_control_request_headers: None,
            content_type: request.headers.get("content-type"),
            range: request.headers.get("range"),
            body: &body_bytes,
        };
        let answer = self.server.respond_recorded(&incoming, trace);
        self.keep_exchange(&incoming, &answer);
        let mut sent = HeaderList(Vec::with_capacity(1));
        if let Some(origin) = origin_sent {
            sent.push_named("Origin", origin);
        }
        wire.push(exchange(&request.method, request.url, sent, &answer));
        // Only a response a later request may reuse from the HTTP cache needs to be shared.
        let shared = self.later_requests();
        let revalidated = if answer.status == 304 && self.server.is_recorded() {
            self.revalidatable.iter().find(|r| r.url == request.url)
        } else {
            None
        };
        let delivered = match revalidated {
            // The real browser sent a conditional request and the server confirmed the response
            // it kept: the page gets that response, with the 304's headers merged in.
            Some(kept) => {
                trace.info_with(Actor::Browser, || {
                    format!(
                        "the server answered 304 to the browser's revalidation: the response \
                         received by request {} is used, updated with the 304's headers",
                        kept.received_by
                    )
                });
                Delivered {
                    status: kept.status,
                    headers: Held::Shared(Rc::new(http_cache::updated_by_not_modified(
                        &kept.headers,
                        &answer.headers,
                    ))),
                    body: Held::Shared(Rc::clone(&kept.body)),
                }
            }
            None => Delivered {
                status: answer.status,
                headers: Held::from_answer(answer.headers, shared),
                body: Held::from_answer(answer.body, shared),
            },
        };
        if self.server.is_recorded()
            && request.method == "GET"
            && delivered.status == 200
            && self.later_requests()
        {
            self.revalidatable.retain(|r| r.url != request.url);
            self.revalidatable.push(Revalidatable {
                url: request.url.to_string(),
                status: delivered.status,
                // Shared with the answer (a later request follows), so no copy is made.
                headers: delivered.headers.to_shared(),
                body: delivered.body.to_shared(),
                received_by: self.number,
            });
        }
        if matches!(&*request.method, "GET" | "HEAD") {
            if request.method == "GET" {
                let stored = if self.later_requests() {
                    Some(self.http_cache.store(
                        profile,
                        self.now_ms,
                        request,
                        origin_sent,
                        delivered.status,
                        &delivered.headers,
                        &delivered.body,
                        self.number,
                    ))
                } else if trace.is_on() {
                    // Nothing later can use it: whether it would be stored only matters to
                    // the explanation.
                    Some(
                        HttpCache::storable(request, delivered.status, &delivered.headers)
                            .map(|_| ()),
                    )
                } else {
                    None
                };
                match stored {
                    Some(Ok(())) => {
                        trace.info(Actor::Browser, "the response is stored in the HTTP cache")
                    }
                    Some(Err(why)) => trace.info_with(Actor::Browser, || {
                        cat(&["not stored in the HTTP cache: ", why])
                    }),
                    None => {}
                }
            }
        } else if delivered.status < 400 {
            self.http_cache.invalidate(request.url);
        }
        delivered
    }

    fn fill_readable(
        &self,
        spec: &RequestSpec,
        request: &EffectiveRequest<'_>,
        tainting: Tainting,
        delivered: &Delivered,
        result: &mut RequestResult,
        trace: &mut Recorder<'_>,
    ) {
        if spec.read_headers.is_empty() {
            return;
        }
        // Elements expose no response headers to the page.
        let tainting = if request.is_element() {
            Tainting::Opaque
        } else {
            tainting
        };
        let exposed = response_headers::exposed_names(&delivered.headers);
        for name in &spec.read_headers {
            let value = response_headers::read(&delivered.headers, name, tainting, &exposed);
            trace.info_with(Actor::Browser, || {
                readable_sentence(name, tainting, &value, delivered)
            });
            result.readable.insert(name.to_ascii_lowercase(), value);
        }
    }

    fn blocked(
        &self,
        spec: &RequestSpec,
        failure: Failure,
        wire: Vec<WireExchange>,
        preflighted: bool,
    ) -> RequestResult {
        RequestResult {
            outcome: Outcome::Blocked,
            preflight: preflighted,
            status: None,
            readable: spec
                .read_headers
                .iter()
                .map(|n| (n.to_ascii_lowercase(), None))
                .collect(),
            canvas_tainted: None,
            wire,
            reason: Some(self.reason(spec, &failure)),
        }
    }

    fn reason(&self, spec: &RequestSpec, failure: &Failure) -> Reason {
        let context = ConsoleContext {
            kind: spec.kind,
            url: &spec.url,
            origin: self.origin,
        };
        let text = console::render(self.profile.browser, &context, failure);
        Reason {
            code: failure.code,
            console: (!text.is_empty()).then_some(text),
        }
    }
}

/// Why the page could (or could not) read response header `name`.
fn readable_sentence(
    name: &str,
    tainting: Tainting,
    value: &Option<String>,
    delivered: &Delivered<'_>,
) -> String {
    if let Some(value) = value {
        return format!("the page reads {name}: '{value}'");
    }
    let present = delivered.headers.contains(name);
    let why = match tainting {
        _ if name.eq_ignore_ascii_case("set-cookie")
            || name.eq_ignore_ascii_case("set-cookie2") =>
        {
            "Set-Cookie is never exposed to scripts"
        }
        Tainting::Opaque => "the response is opaque (or an element load) and exposes no headers",
        _ if !present => "the response has no such header",
        Tainting::Basic => "the response has no such header",
        Tainting::Cors {
            credentials_include,
        } => {
            if credentials_include {
                "it is not CORS-safelisted and not listed in Access-Control-Expose-Headers \
                 (a `*` there is literal for credentialed requests)"
            } else {
                "it is not CORS-safelisted and not listed in Access-Control-Expose-Headers"
            }
        }
    };
    format!("the page cannot read {name}: {why}")
}

/// An element that received its response but still fires `error` (see [`element`]).
fn element_failure(
    request: &EffectiveRequest<'_>,
    delivered: &Delivered<'_>,
    trace: &mut Recorder<'_>,
) -> Option<Failure> {
    if !request.is_element() {
        return None;
    }
    let why = element::load_failure(
        request.kind,
        delivered.status,
        &delivered.headers,
        &delivered.body,
    )?;
    trace.fail_with(Actor::Browser, || cat(&["the element fires error: ", why]));
    Some(Failure::new(
        crate::reason::ReasonCode::ElementLoadFailed,
        Stage::Actual,
        why,
        delivered.status,
    ))
}

fn exchange(method: &str, url: &str, sent: HeaderList, answer: &Answer<'_>) -> WireExchange {
    WireExchange {
        method: HeaderText::from(method),
        url: url.to_string(),
        request_headers: sent,
        status: answer.status,
        response_headers: answer.headers.cors_only(),
    }
}

fn describe(request: &EffectiveRequest<'_>, trace: &mut Recorder<'_>) {
    for (name, why) in &request.dropped_headers {
        trace.info_with(Actor::Browser, || {
            format!("header {name} is dropped: {why}")
        });
    }
    let mode = match request.mode {
        Mode::Cors => "cors",
        Mode::NoCors => "no-cors",
        Mode::SameOrigin => "same-origin",
    };
    let credentials = match request.credentials {
        CredentialsMode::Omit => "omit",
        CredentialsMode::SameOrigin => "same-origin",
        CredentialsMode::Include => "include",
    };
    trace.info_with(Actor::Browser, || {
        cat(&[
            console::chrome_kind_name(request.kind),
            " ",
            &request.method,
            " ",
            request.url,
            ": mode ",
            mode,
            ", credentials ",
            credentials,
        ])
    });
}

fn why_preflight(request: &EffectiveRequest<'_>, need: &PreflightNeed) -> String {
    let mut out = String::with_capacity(128);
    out.push_str("a preflight is needed: ");
    let mut separator = "";
    if need.unsafe_method {
        out.push_str("method ");
        out.push_str(&request.method);
        out.push_str(" is not GET, HEAD or POST");
        separator = "; ";
    }
    if !need.unsafe_headers.is_empty() {
        out.push_str(separator);
        out.push_str("header(s) ");
        for (i, name) in need.unsafe_headers.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(name);
        }
        out.push_str(" are not CORS-safelisted");
        separator = "; ";
    }
    if need.forced {
        out.push_str(separator);
        out.push_str(match request.kind {
            RequestKind::Xhr => "an upload listener forces a preflight",
            _ => "a ReadableStream body forces a preflight",
        });
    }
    out
}

fn cors_failure_sentence(failure: &Failure) -> String {
    use crate::reason::ReasonCode as C;
    let stage = match failure.stage {
        Stage::Preflight => "the preflight response",
        _ => "the response",
    };
    let v = &failure.detail;
    match failure.code {
        C::AllowOriginMissing => format!("{stage} has no Access-Control-Allow-Origin"),
        C::AllowOriginMismatch => {
            format!("{stage} has Access-Control-Allow-Origin '{v}', which is not the page origin")
        }
        C::AllowOriginMultiple => format!(
            "{stage} has several Access-Control-Allow-Origin values ('{v}'); exactly one is allowed"
        ),
        C::AllowOriginInvalid => {
            format!("{stage} has an invalid Access-Control-Allow-Origin '{v}'")
        }
        C::WildcardOriginWithCredentials => format!(
            "{stage} has Access-Control-Allow-Origin '*', which is refused for a credentialed request"
        ),
        C::AllowCredentialsNotTrue => format!(
            "the request is credentialed and {stage} has Access-Control-Allow-Credentials '{v}' instead of 'true'"
        ),
        C::PreflightStatus => format!("the preflight status {v} is not in 200-299"),
        C::PreflightRedirect => {
            "the preflight was answered with a redirect, which is never followed".to_string()
        }
        C::MethodNotAllowed => {
            format!("method {v} is not in Access-Control-Allow-Methods (case-sensitive)")
        }
        C::HeaderNotAllowed => format!("header {v} is not in Access-Control-Allow-Headers"),
        C::AllowMethodsInvalid => format!(
            "Access-Control-Allow-Methods has the invalid token '{v}', so the whole list is refused"
        ),
        C::AllowHeadersInvalid => format!(
            "Access-Control-Allow-Headers has the invalid token '{v}', so the whole list is refused"
        ),
        C::CanvasTainted => "the canvas is tainted".to_string(),
        C::RequestRejected => "the request is rejected".to_string(),
        C::ElementLoadFailed => "the element fails to load".to_string(),
        C::StreamingUploadRequiresHttp2 => {
            "a ReadableStream upload needs HTTP/2 or QUIC; over HTTP/1.1 the request fails"
                .to_string()
        }
        C::MixedContent => "the request is blocked as mixed content".to_string(),
    }
}
