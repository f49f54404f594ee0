//! The raw server: answers with literal, case-authored headers, for CORS servers that are not S3.
//!
//! `OPTIONS` gets the model's `preflight` answer, every other method its `response`. Header lines
//! go out as written and in order (a repeated name becomes separate lines, kept next to each
//! other because that is how the HTTP stack groups them); nothing CORS-related is added. The
//! HTTP stack adds only what HTTP itself needs (`Content-Length`, `Date`).

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use cors_engine::scenario::{RawModel, RawResponse};
use http::{HeaderName, HeaderValue, Method, StatusCode};

/// A router that answers every path of the raw server's origin from `model`.
pub fn raw_router(model: RawModel) -> Router {
    let preflight = PreparedResponse::new(&model.preflight);
    let response = PreparedResponse::new(&model.response);
    Router::new().fallback(move |request: Request| {
        let chosen = if request.method() == Method::OPTIONS {
            preflight.clone()
        } else {
            response.clone()
        };
        async move { chosen.into_response() }
    })
}

/// A [`RawResponse`] checked once, up front: either ready to send, or the reason it cannot be.
#[derive(Debug, Clone)]
enum PreparedResponse {
    Ready {
        status: StatusCode,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: bytes::Bytes,
    },
    /// The case asked for something HTTP cannot carry; answered with a 500 that says what.
    Invalid(String),
}

impl PreparedResponse {
    fn new(raw: &RawResponse) -> Self {
        let Ok(status) = StatusCode::from_u16(raw.status) else {
            return Self::Invalid(format!("status {} is not a valid HTTP status", raw.status));
        };
        let mut headers = Vec::with_capacity(raw.headers.len());
        for (name, value) in raw.headers.iter() {
            let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
                return Self::Invalid(format!("'{name}' is not a valid header name"));
            };
            let Ok(header_value) = HeaderValue::from_str(value) else {
                return Self::Invalid(format!("the value of '{name}' is not a valid header value"));
            };
            headers.push((header_name, header_value));
        }
        Self::Ready {
            status,
            headers,
            body: bytes::Bytes::from(raw.body.clone()),
        }
    }

    fn into_response(self) -> Response {
        match self {
            Self::Ready {
                status,
                headers,
                body,
            } => {
                let mut response = Response::new(Body::from(body));
                *response.status_mut() = status;
                let map = response.headers_mut();
                for (name, value) in headers {
                    map.append(name, value);
                }
                response
            }
            Self::Invalid(why) => {
                let mut response =
                    Response::new(Body::from(format!("cors-harness raw server: {why}\n")));
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            }
        }
    }
}
