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

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use cors_engine::HeaderList;

use super::client::{RawRequest, S3Client};
use super::probe::{auth_for, map_url};
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
}

/// A router that forwards every request for the case's bucket endpoint to `bucket` on the
/// client's target.
pub fn forwarding_router(client: S3Client, bucket_case: BucketCase, bucket: String) -> Router {
    let forwarding = Arc::new(Forwarding {
        client,
        bucket_case,
        bucket,
    });
    Router::new().fallback(move |request: Request| {
        let forwarding = forwarding.clone();
        async move { forwarding.forward(request).await }
    })
}

impl Forwarding {
    async fn forward(&self, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()))
            .unwrap_or_default();
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let scheme = self
            .bucket_case
            .endpoint
            .split_once("://")
            .map_or("http", |(scheme, _)| scheme);
        let case_url = format!("{scheme}://{host}{path_and_query}");
        let Some(mapped) = map_url(&self.bucket_case, &self.bucket, &case_url) else {
            return plain(
                StatusCode::BAD_GATEWAY,
                format!("{case_url} names no bucket the target could answer for"),
            );
        };
        let body = match to_bytes(body, MAX_FORWARDED_BODY).await {
            Ok(body) => body,
            Err(error) => {
                return plain(
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
            Ok(answer) => {
                let mut response = Response::new(Body::from(answer.body));
                *response.status_mut() =
                    StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
                for (name, value) in answer.headers.iter() {
                    if is_hop_by_hop(name) {
                        continue;
                    }
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(name.as_bytes()),
                        HeaderValue::from_str(value),
                    ) {
                        response.headers_mut().append(name, value);
                    }
                }
                response
            }
            Err(error) => plain(StatusCode::BAD_GATEWAY, error.to_string()),
        }
    }
}

fn plain(status: StatusCode, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response
}
