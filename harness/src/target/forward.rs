//! Browser traffic to an external target: an axum [`Router`] that answers a case's bucket origin
//! by forwarding each request to the target, so a browser run can talk to a real S3-compatible
//! server instead of the project's bucket server.
//!
//! The router is mounted like any other run router (the origin proxy routes the case's bucket
//! host to it). Each request's URL, as the browser addressed it on the case's endpoint, is mapped
//! to the target exactly as the wire probe maps it: the case's bucket becomes the run's bucket
//! on the target (seeded with [`super::setup::seed_bucket`]), `Host` becomes the target's. The
//! request keeps its method, headers and body; actual requests are presigned with the target's
//! credentials (preflights and form uploads are not, as S3 never authenticates those by URL).
//! The target's answer goes back unchanged except for hop-by-hop headers.
//!
//! [`recording_router`] also keeps every exchange it answered (the URL as the page addressed
//! it, the status, the headers and body sent back to the browser) in a [`Recording`], so the
//! browser's behaviour can be judged against exactly what the target sent.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use cors_engine::HeaderList;
use cors_engine::scenario::RecordedExchange;
use cors_servers::ProxiedRequest;
use time::OffsetDateTime;
use time::macros::format_description;

use super::client::{RawRequest, S3Client};
use super::probe::{auth_for, map_url};
use super::record::Recording;
use crate::case::BucketCase;

/// Largest request body forwarded (browser uploads in cases are small).
const MAX_FORWARDED_BODY: usize = 64 * 1024 * 1024;

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus `Host`, which
/// the forwarder sets for the target.
fn is_hop_by_hop(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "host"
    )
}

struct Forwarding {
    client: S3Client,
    bucket_case: BucketCase,
    /// The bucket on the target standing in for the case's bucket.
    bucket: String,
    recording: Option<Recording>,
}

/// A router that forwards every request for the case's bucket endpoint to `bucket` on the
/// client's target.
pub fn forwarding_router(client: S3Client, bucket_case: BucketCase, bucket: String) -> Router {
    router(Forwarding {
        client,
        bucket_case,
        bucket,
        recording: None,
    })
}

/// [`forwarding_router`] that also records every exchange it answers.
pub fn recording_router(
    client: S3Client,
    bucket_case: BucketCase,
    bucket: String,
) -> (Router, Recording) {
    let recording = Recording::new();
    let router = router(Forwarding {
        client,
        bucket_case,
        bucket,
        recording: Some(recording.clone()),
    });
    (router, recording)
}

fn router(forwarding: Forwarding) -> Router {
    let forwarding = Arc::new(forwarding);
    Router::new().fallback(move |request: Request| {
        let forwarding = forwarding.clone();
        async move { forwarding.forward(request).await }
    })
}

impl Forwarding {
    async fn forward(&self, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let case_url = self.case_url(&parts);
        let method = parts.method.as_str().to_owned();
        let mut answer = self.answer(&case_url, parts, body).await;
        answer.add_framing(&method);
        if let Some(recording) = &self.recording {
            recording.push(RecordedExchange {
                method,
                url: case_url,
                status: answer.status,
                headers: answer.headers.clone(),
                body: answer.body.clone(),
            });
        }
        answer.into_response()
    }

    /// The request's absolute URL on the case's endpoint, as the page addressed it: behind the
    /// origin proxy the origin it names (the run prefix is already gone), else the `Host`
    /// header on the endpoint's scheme.
    fn case_url(&self, parts: &axum::http::request::Parts) -> String {
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        if let Some(proxied) = parts.extensions.get::<ProxiedRequest>() {
            return format!("{}{path_and_query}", proxied.origin);
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()))
            .unwrap_or_default();
        let scheme = self
            .bucket_case
            .endpoint
            .split_once("://")
            .map_or("http", |(scheme, _)| scheme);
        format!("{scheme}://{host}{path_and_query}")
    }

    /// What goes back to the browser: the target's answer without hop-by-hop headers, or the
    /// forwarder's own 502/413 when the request cannot reach the target.
    async fn answer(
        &self,
        case_url: &str,
        parts: axum::http::request::Parts,
        body: Body,
    ) -> Forwarded {
        let Some(mapped) = map_url(&self.bucket_case, &self.bucket, case_url) else {
            return Forwarded::plain(
                StatusCode::BAD_GATEWAY,
                format!("{case_url} names no bucket the target could answer for"),
            );
        };
        let body = match to_bytes(body, MAX_FORWARDED_BODY).await {
            Ok(body) => body,
            Err(error) => {
                return Forwarded::plain(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("cannot read the request body: {error}"),
                );
            }
        };
        let headers: HeaderList = parts
            .headers
            .iter()
            .filter(|(name, _)| !is_hop_by_hop(name.as_str()) && *name != header::CONTENT_LENGTH)
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let method = parts.method.as_str();
        let answer = self
            .client
            .raw(&RawRequest {
                method,
                bucket: &mapped.bucket,
                encoded_key: &mapped.encoded_key,
                query: &mapped.query,
                headers: &headers,
                body: &body,
                auth: auth_for(method, &mapped),
            })
            .await;
        match answer {
            Ok(answer) => Forwarded {
                // A status HTTP cannot carry reaches the browser as 502, and is recorded so.
                status: StatusCode::from_u16(answer.status)
                    .map_or(StatusCode::BAD_GATEWAY.as_u16(), |s| s.as_u16()),
                headers: answer
                    .headers
                    .iter()
                    .filter(|(name, value)| {
                        !is_hop_by_hop(name)
                            && HeaderName::from_bytes(name.as_bytes()).is_ok()
                            && HeaderValue::from_str(value).is_ok()
                    })
                    .collect(),
                body: answer.body,
            },
            Err(error) => Forwarded::plain(StatusCode::BAD_GATEWAY, error.to_string()),
        }
    }
}

/// One answer as it goes back to the browser (and into the recording).
struct Forwarded {
    status: u16,
    headers: HeaderList,
    body: Vec<u8>,
}

impl Forwarded {
    fn plain(status: StatusCode, text: String) -> Self {
        Forwarded {
            status: status.as_u16(),
            headers: HeaderList::new(),
            body: text.into_bytes(),
        }
    }

    /// Adds what the HTTP server under this router would add on its own — `Content-Length`
    /// for a body sent without one (the target may have used chunked framing, which is
    /// hop-by-hop) and `Date` — so the recording holds every header the browser receives.
    fn add_framing(&mut self, method: &str) {
        let has_body = !matches!(self.status, 100..=199 | 204 | 304);
        if has_body && method != "HEAD" && !self.headers.contains("content-length") {
            self.headers
                .push("Content-Length", self.body.len().to_string());
        }
        if !self.headers.contains("date") {
            self.headers
                .push("Date", http_date(OffsetDateTime::now_utc()));
        }
    }

    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_GATEWAY);
        // Only headers that survive as HTTP headers were kept, so all of them are sent.
        for (name, value) in self.headers.iter() {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

/// `Tue, 24 Nov 2026 17:31:46 GMT` (RFC 9110 IMF-fixdate).
fn http_date(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .unwrap_or_default()
}
