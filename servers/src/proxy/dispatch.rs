//! Answering one proxied HTTP request whose origin is known: find the run from the path prefix,
//! hand the request (prefix removed) to that run's router for the origin, log the exchange, and
//! keep redirects inside the run.

use axum::body::Body;
use cors_engine::WireExchange;
use cors_engine::http::HeaderList;
use http::header::{self, HeaderValue};
use http::{Request, Response, StatusCode, Uri};
use tower::ServiceExt as _;

use super::Shared;
use super::registry::Lookup;
use super::target::{Authority, RUN_PREFIX, Scheme, add_run_prefix_to_location, split_run_prefix};
use crate::wire_log::cors_headers;

/// Extension put on every request a run's router receives: where the browser sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxiedRequest {
    /// The run the request belongs to.
    pub run_id: String,
    /// The origin the browser addressed, e.g. `https://app.example.com`.
    pub origin: String,
}

/// Headers meant for the proxy itself, never for the origin server.
const PROXY_ONLY_HEADERS: [&str; 2] = ["proxy-connection", "proxy-authorization"];

pub(crate) async fn dispatch<B>(
    shared: &Shared,
    scheme: Scheme,
    authority: &Authority,
    request: Request<B>,
) -> Response<Body>
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if !shared.registry.is_declared(authority.host_name()) {
        return undeclared_host(authority.host_name());
    }
    // Read before anything below edits the header map: a removal there moves lines around.
    let sent = SentRequest {
        method: request.method().as_str().to_string(),
        cors_headers: cors_headers(request.headers()),
    };
    let origin = authority.origin(scheme);
    let Some(run_path) = split_run_prefix(request.uri().path()) else {
        return proxy_text(
            StatusCode::NOT_FOUND,
            format!(
                "cors-harness proxy: '{origin}{}' carries no run prefix ({RUN_PREFIX}<run-id>/)",
                request.uri().path()
            ),
        );
    };
    let run_id = run_path.run_id.to_string();
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{}?{query}", run_path.path),
        None => run_path.path,
    };
    let url = format!("{origin}{path_and_query}");

    let router = match shared.registry.lookup(&run_id, &origin) {
        Lookup::Found(router) => router,
        Lookup::UnknownRun => {
            return proxy_text(
                StatusCode::NOT_FOUND,
                format!("cors-harness proxy: no run '{run_id}' is registered"),
            );
        }
        Lookup::UnknownOrigin => {
            let response = proxy_text(
                StatusCode::NOT_FOUND,
                format!("cors-harness proxy: run '{run_id}' serves nothing on {origin}"),
            );
            // The browser did send this request within the run, so the run's log shows it.
            record(shared, &run_id, &url, sent, &response);
            return response;
        }
    };

    let (mut parts, body) = request.into_parts();
    parts.uri = match Uri::try_from(path_and_query.as_str()) {
        Ok(uri) => uri,
        Err(_) => {
            return proxy_text(
                StatusCode::BAD_REQUEST,
                format!("cors-harness proxy: cannot rebuild the path of '{url}'"),
            );
        }
    };
    for name in PROXY_ONLY_HEADERS {
        parts.headers.remove(name);
    }
    if let Ok(host) = HeaderValue::from_str(&authority.to_string()) {
        parts.headers.insert(header::HOST, host);
    }
    parts.extensions.insert(ProxiedRequest {
        run_id: run_id.clone(),
        origin,
    });
    let inner = Request::from_parts(parts, Body::new(body));

    let Ok(mut response) = router.oneshot(inner).await;
    keep_redirect_in_run(shared, &run_id, &mut response);
    // Logged before the response head is written: by the time the page sees any outcome of
    // this exchange, the run's wire log already holds it.
    record(shared, &run_id, &url, sent, &response);
    response
}

/// The request side of a wire-log entry, taken as the request arrived.
struct SentRequest {
    method: String,
    cors_headers: HeaderList,
}

fn record<B>(shared: &Shared, run_id: &str, url: &str, sent: SentRequest, response: &Response<B>) {
    shared.wire_log.record(
        run_id,
        WireExchange {
            method: sent.method.into(),
            url: url.to_string(),
            request_headers: sent.cors_headers,
            status: response.status().as_u16(),
            response_headers: cors_headers(response.headers()),
        },
    );
}

/// A redirect to another URL of the run's world must keep the run prefix, or the browser would
/// leave the run (and hit the proxy's "no run prefix" answer).
fn keep_redirect_in_run(shared: &Shared, run_id: &str, response: &mut Response<Body>) {
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    let rewritten =
        add_run_prefix_to_location(location, run_id, |host| shared.registry.is_declared(host));
    if let Some(value) = rewritten.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
}

pub(crate) fn undeclared_host(host: &str) -> Response<Body> {
    proxy_text(
        StatusCode::FORBIDDEN,
        format!("cors-harness proxy: host '{host}' is not declared by any loaded case"),
    )
}

/// A plain-text answer from the proxy itself (never cached, so a later run is not shadowed).
pub(crate) fn proxy_text(status: StatusCode, message: String) -> Response<Body> {
    let mut response = Response::new(Body::from(message + "\n"));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
