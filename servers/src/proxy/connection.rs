//! Serving one browser connection: plain HTTP/1.1 requests (absolute-form, or origin-form with a
//! `Host` header), and `CONNECT` tunnels in which the proxy terminates TLS itself with a
//! certificate for the tunnel's host and serves HTTP/1.1 inside.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use http::{Method, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::Shared;
use super::dispatch::{dispatch, proxy_text, undeclared_host};
use super::target::{Authority, Scheme};
use crate::timeouts::{self, HeadClock, TimedIo};

/// Serves a freshly accepted TCP connection until the browser closes it or the proxy stops.
pub(crate) async fn serve_connection(shared: Arc<Shared>, stream: TcpStream) {
    let clock = Arc::new(HeadClock::default());
    let service = {
        let shared = Arc::clone(&shared);
        let clock = Arc::clone(&clock);
        service_fn(move |request: Request<Incoming>| {
            let shared = Arc::clone(&shared);
            let clock = Arc::clone(&clock);
            clock.head_complete();
            async move {
                let response = answer_plain(shared, request).await;
                clock.answered();
                Ok::<_, Infallible>(response)
            }
        })
    };
    let connection = http1_builder(&shared)
        .serve_connection(
            TokioIo::new(TimedIo::new(stream, Arc::clone(&clock))),
            service,
        )
        .with_upgrades();
    run_until_shutdown(&shared, connection, &clock).await;
}

fn http1_builder(shared: &Shared) -> http1::Builder {
    let mut builder = timeouts::http1_builder(shared.timeouts);
    // Header names go out as `Access-Control-Allow-Origin` rather than lower case, like S3's;
    // browsers do not care, people reading a capture do.
    builder.title_case_headers(true);
    builder
}

/// Runs a connection future, dropping it (closing the socket) when the proxy shuts down or a
/// request head takes longer than the header-read limit.
async fn run_until_shutdown<F>(shared: &Shared, connection: F, clock: &HeadClock)
where
    F: Future,
{
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        _ = timeouts::run_with_header_limit(connection, clock, shared.timeouts.header_read) => {}
        _ = shutdown.wait_for(|stopped| *stopped) => {}
    }
}

/// A request on the proxy's plain listener.
async fn answer_plain(shared: Arc<Shared>, request: Request<Incoming>) -> Response<Body> {
    if request.method() == Method::CONNECT {
        return open_tunnel(shared, request);
    }
    let authority = match request.uri().authority() {
        // Absolute-form, as browsers send to a proxy: `GET http://host/path HTTP/1.1`.
        Some(authority) => Authority::parse(authority.as_str()),
        // Origin-form, as a client talking to the proxy port directly sends.
        None => request
            .headers()
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .and_then(Authority::parse),
    };
    let Some(authority) = authority else {
        return proxy_text(
            StatusCode::BAD_REQUEST,
            "cors-harness proxy: the request names no host (absolute URL or Host header)"
                .to_string(),
        );
    };
    let scheme = match request.uri().scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => Scheme::Https,
        _ => Scheme::Http,
    };
    dispatch(&shared, scheme, &authority, request).await
}

/// Answers `CONNECT host:port`: refused for an undeclared host (the proxy never connects
/// anywhere), otherwise accepted, with TLS terminated here once hyper hands over the socket.
fn open_tunnel(shared: Arc<Shared>, request: Request<Incoming>) -> Response<Body> {
    let Some(authority) = request
        .uri()
        .authority()
        .and_then(|a| Authority::parse(a.as_str()))
    else {
        return proxy_text(
            StatusCode::BAD_REQUEST,
            "cors-harness proxy: CONNECT needs a host:port target".to_string(),
        );
    };
    if !shared.registry.is_declared(authority.host_name()) {
        return undeclared_host(authority.host_name());
    }
    let tls_config = match shared.authority.server_config_for(authority.host_name()) {
        Ok(config) => config,
        Err(error) => {
            return proxy_text(
                StatusCode::BAD_GATEWAY,
                format!("cors-harness proxy: no certificate for '{authority}': {error}"),
            );
        }
    };
    tokio::spawn(async move {
        // An upgrade fails only when the browser went away before the tunnel opened.
        let Ok(upgraded) = hyper::upgrade::on(request).await else {
            return;
        };
        let acceptor = TlsAcceptor::from(tls_config);
        // A failed handshake is the browser's decision (for example, an untrusted
        // certificate); it closes the tunnel and there is nobody else to tell. The handshake is
        // the tunnel's first request head: it gets the same time limit.
        let handshake = acceptor.accept(TokioIo::new(upgraded));
        let Ok(Ok(tls)) = tokio::time::timeout(shared.timeouts.header_read, handshake).await else {
            return;
        };
        serve_tunnel(shared, authority, tls).await;
    });
    Response::new(Body::empty())
}

/// HTTP/1.1 inside a TLS tunnel; every request belongs to the tunnel's origin.
async fn serve_tunnel<S>(shared: Arc<Shared>, authority: Authority, stream: S)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let authority = Arc::new(authority);
    let clock = Arc::new(HeadClock::default());
    let service = {
        let shared = Arc::clone(&shared);
        let clock = Arc::clone(&clock);
        service_fn(move |request: Request<Incoming>| {
            let shared = Arc::clone(&shared);
            let authority = Arc::clone(&authority);
            let clock = Arc::clone(&clock);
            clock.head_complete();
            async move {
                let response = dispatch(&shared, Scheme::Https, &authority, request).await;
                clock.answered();
                Ok::<_, Infallible>(response)
            }
        })
    };
    let connection = http1_builder(&shared).serve_connection(
        TokioIo::new(TimedIo::new(stream, Arc::clone(&clock))),
        service,
    );
    run_until_shutdown(&shared, connection, &clock).await;
}
