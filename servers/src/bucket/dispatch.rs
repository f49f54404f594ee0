//! The one entry point: identify the operation from method, host, path and query; answer OPTIONS
//! from the engine's preflight; authenticate, read the body, run the operation; decorate every
//! bucket-addressed answer (errors included) with the engine's actual-request CORS headers.

use std::sync::Arc;

use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use cors_engine::HeaderList;
use cors_engine::s3::{self, Addressed, BucketState, S3Error, S3Request};
use http::{HeaderMap, Method, StatusCode};
use md5::{Digest, Md5};
use sha2::Sha256;
use time::OffsetDateTime;

use super::Shared;
use super::addressing::{self, RequestAddress};
use super::body::{self, BodyError, read_limited};
use super::chunked;
use super::encoding::{QueryParam, decodes_to_utf8, parse_query};
use super::errors;
use super::handlers::{self, Call};
use super::ids::ResponseIds;
use super::operation::{BodyLimit, Operation};
use super::render::{self, Reply, ReplyBody};
use super::sigv4::{self, PayloadClaim, SignedRequest};
use super::storage::CorsState;

/// Query parameters that never select an operation: signatures, SDK hints, response overrides.
fn is_incidental(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("x-amz-") || lower == "x-id" || lower.starts_with("response-")
}

/// S3 subresources this emulator does not implement. A request naming one is refused with
/// NotImplemented instead of being mistaken for the plain operation; any other unknown query
/// parameter (a `?v=2` cache-buster, say) is ignored, as S3 ignores it.
const UNSUPPORTED_SUBRESOURCES: &[&str] = &[
    "accelerate",
    "acl",
    "analytics",
    "attributes",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "legal-hold",
    "lifecycle",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "replication",
    "requestPayment",
    "restore",
    "retention",
    "select",
    "tagging",
    "torrent",
    "versionId",
    "versioning",
    "versions",
    "website",
];

fn is_unsupported_subresource(name: &str) -> bool {
    UNSUPPORTED_SUBRESOURCES.contains(&name)
}

pub(crate) fn classify(
    method: &Method,
    target: &RequestAddress,
    query: &[QueryParam],
    headers: &HeaderMap,
) -> Operation {
    let names: Vec<&str> = query
        .iter()
        .map(|param| param.name.as_str())
        .filter(|name| !is_incidental(name))
        .collect();
    let has = |name: &str| names.contains(&name);
    let value = |name: &str| {
        query
            .iter()
            .find(|param| param.name == name)
            .map(|param| param.value.clone())
            .unwrap_or_default()
    };
    let not_allowed = |resource_type: &str| {
        Operation::Refused(S3Error::method_not_allowed_on(
            method.as_str(),
            resource_type,
        ))
    };
    match (target.bucket(), target.key()) {
        (None, _) => match *method {
            Method::GET if names.is_empty() => Operation::ListBuckets,
            Method::GET => Operation::Refused(S3Error::not_implemented()),
            _ => not_allowed("SERVICE"),
        },
        (Some(_), None) => {
            if has("cors") {
                return match *method {
                    Method::PUT => Operation::PutBucketCors,
                    Method::GET => Operation::GetBucketCors,
                    Method::DELETE => Operation::DeleteBucketCors,
                    _ => not_allowed("CORSCONFIGURATION"),
                };
            }
            if has("location") && *method == Method::GET {
                return Operation::GetBucketLocation;
            }
            if has("delete") && *method == Method::POST {
                return Operation::DeleteObjects;
            }
            if names.iter().any(|name| is_unsupported_subresource(name)) {
                return Operation::Refused(S3Error::not_implemented());
            }
            match *method {
                Method::PUT => Operation::CreateBucket,
                Method::HEAD => Operation::HeadBucket,
                Method::DELETE => Operation::DeleteBucket,
                Method::GET => Operation::ListObjects {
                    version_2: value("list-type") == "2",
                },
                Method::POST => Operation::PostObject,
                _ => not_allowed("BUCKET"),
            }
        }
        (Some(_), Some(_)) => {
            if has("uploads") {
                return match *method {
                    Method::POST => Operation::CreateMultipartUpload,
                    _ => not_allowed("OBJECT"),
                };
            }
            if has("uploadId") {
                let upload_id = value("uploadId");
                return match *method {
                    Method::PUT if has("partNumber") => {
                        if headers.contains_key("x-amz-copy-source") {
                            return Operation::Refused(S3Error::not_implemented());
                        }
                        Operation::UploadPart {
                            upload_id,
                            part_number: value("partNumber"),
                        }
                    }
                    Method::POST => Operation::CompleteMultipartUpload { upload_id },
                    Method::DELETE => Operation::AbortMultipartUpload { upload_id },
                    Method::GET => Operation::Refused(S3Error::not_implemented()),
                    _ => not_allowed("OBJECT"),
                };
            }
            if names.iter().any(|name| is_unsupported_subresource(name)) {
                return Operation::Refused(S3Error::not_implemented());
            }
            match *method {
                Method::PUT if headers.contains_key("x-amz-copy-source") => {
                    Operation::Refused(S3Error::not_implemented())
                }
                Method::PUT => Operation::PutObject,
                Method::GET => Operation::GetObject,
                Method::HEAD => Operation::HeadObject,
                Method::DELETE => Operation::DeleteObject,
                _ => not_allowed("OBJECT"),
            }
        }
    }
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// All lines of a request header joined with `", "` (how a list-valued header reads as one).
fn combined_header(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn request_host(request: &Request) -> String {
    header_text(request.headers(), "host")
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default()
}

/// Runs `f` with the engine's view of a bucket.
fn with_bucket_state<T>(state: &CorsState, f: impl FnOnce(BucketState<'_>) -> T) -> T {
    match state {
        CorsState::Missing => f(BucketState::Missing),
        CorsState::NoCors => f(BucketState::NoCors),
        CorsState::Configured(config) => f(BucketState::Configured(config)),
    }
}

fn cors_request<'a>(
    method: &'a str,
    headers: &'a HeaderMap,
    acrh: Option<&'a str>,
    target: &RequestAddress,
) -> S3Request<'a> {
    S3Request {
        method,
        origin: header_text(headers, "origin"),
        access_control_request_method: header_text(headers, "access-control-request-method"),
        access_control_request_headers: acrh,
        addressed: if target.key().is_some() {
            Addressed::Object
        } else {
            Addressed::Bucket
        },
    }
}

pub(crate) async fn handle(shared: Arc<Shared>, request: Request) -> Response {
    let ids = shared.ids.next();
    let host = request_host(&request);
    let target = {
        let hosts = shared
            .virtual_hosts
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        addressing::resolve(&host, request.uri().path(), &hosts)
    };
    if request.method() == Method::OPTIONS {
        return preflight(&shared, request.headers(), &target, &ids);
    }
    let (parts, body) = request.into_parts();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let query = parse_query(&raw_query);
    let operation = if decodes_to_utf8(parts.uri.path()) {
        classify(&parts.method, &target, &query, &parts.headers)
    } else {
        Operation::Refused(errors::invalid_uri())
    };
    // The CORS answer reflects the bucket as the request found it.
    let cors_state = target
        .bucket()
        .filter(|_| !matches!(operation, Operation::CreateBucket))
        .map(|bucket| shared.store.cors_state(bucket));

    let result = run(
        &shared, &parts, body, &target, &query, &raw_query, operation,
    )
    .await;
    let mut reply = result.unwrap_or_else(|error| Reply::error(&error, &ids));
    if parts.method == Method::HEAD && !matches!(reply.body, ReplyBody::Empty) {
        reply.body = ReplyBody::Empty;
        reply.headers.retain(|(name, _)| {
            name != http::header::CONTENT_TYPE && name != http::header::TRANSFER_ENCODING
        });
    }
    let cors = match &cors_state {
        Some(state) => {
            let acrh = combined_header(&parts.headers, "access-control-request-headers");
            let request = cors_request(
                parts.method.as_str(),
                &parts.headers,
                acrh.as_deref(),
                &target,
            );
            with_bucket_state(state, |bucket| s3::actual(bucket, &request).headers)
        }
        None => HeaderList::new(),
    };
    render::finish(reply, &ids, &cors)
}

/// OPTIONS: the engine's preflight answer, rendered as is (never authenticated, the key is never
/// looked up). The service endpoint has no bucket and so no CORS rules: it is answered as a
/// missing bucket (Medium: S3 answers 403 without CORS headers there; its body is not captured).
fn preflight(
    shared: &Shared,
    headers: &HeaderMap,
    target: &RequestAddress,
    ids: &ResponseIds,
) -> Response {
    let state = match target.bucket() {
        Some(bucket) => shared.store.cors_state(bucket),
        None => CorsState::Missing,
    };
    let acrh = combined_header(headers, "access-control-request-headers");
    let request = cors_request("OPTIONS", headers, acrh.as_deref(), target);
    let answer = with_bucket_state(&state, |bucket| s3::preflight(bucket, &request));
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::FORBIDDEN);
    let reply = match &answer.error {
        Some(error) => {
            let mut reply = Reply::error(error, ids);
            reply.status = status;
            reply
        }
        None => Reply::new(status),
    };
    render::finish(reply, ids, &answer.headers)
}

async fn run(
    shared: &Shared,
    parts: &http::request::Parts,
    body: axum::body::Body,
    target: &RequestAddress,
    query: &[QueryParam],
    raw_query: &str,
    operation: Operation,
) -> Result<Reply, S3Error> {
    let chunked = header_text(&parts.headers, "x-amz-content-sha256")
        .is_some_and(|value| value.starts_with("STREAMING-"))
        || header_text(&parts.headers, "content-encoding")
            .is_some_and(|value| value.split(',').any(|v| v.trim() == "aws-chunked"));
    let announced =
        header_text(&parts.headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    let limit = operation.body_limit();
    let raw_limit = match limit {
        BodyLimit::Xml(bytes) => bytes as u64,
        // aws-chunked framing adds a line per chunk; leave room for it, check the payload below.
        BodyLimit::Object if chunked => shared
            .max_object_size
            .saturating_mul(2)
            .saturating_add(1 << 20),
        BodyLimit::Object => shared.max_object_size,
    };
    let too_large = |size: Option<u64>| match limit {
        BodyLimit::Xml(_) => S3Error::max_message_length_exceeded(),
        BodyLimit::Object => S3Error::entity_too_large(
            size.unwrap_or(shared.max_object_size.saturating_add(1)),
            shared.max_object_size,
        ),
    };
    // Everything that can refuse the request from its headers alone does so before the body is
    // read: the signature covers the payload hash header, not the body, so an unauthenticated
    // upload costs no memory. The refused body is drained unread, because answering while the
    // client is still sending would reset the connection and a browser would see a network
    // error instead of S3's answer.
    let checked = authenticate(shared, parts, raw_query, operation);
    let (operation, claim, verified) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            body::discard(body, announced, raw_limit).await;
            return Err(error);
        }
    };
    // Bodies that may be large wait for a share of the upload budget, so concurrent uploads
    // hold at most `max_object_size` bytes in memory between them.
    let _budget = match limit {
        BodyLimit::Object => Some(shared.upload_budget.reserve(announced, raw_limit).await),
        BodyLimit::Xml(_) => None,
    };
    let raw = read_limited(body, announced, raw_limit)
        .await
        .map_err(|error| match error {
            BodyError::TooLarge { announced } => too_large(announced),
            BodyError::Incomplete => S3Error::incomplete_body(),
        })?;
    let payload = if chunked {
        let decoded = chunked::decode(&raw).map_err(|_| S3Error::incomplete_body())?;
        if let Some(signer) = verified.as_ref().and_then(|v| v.chunk_signer.as_ref()) {
            let chunks = decoded
                .chunks
                .iter()
                .map(|chunk| (chunk.data.as_ref(), chunk.signature.as_deref()));
            if !signer.verify(chunks) {
                return Err(S3Error::signature_does_not_match());
            }
        }
        let payload = decoded.payload();
        if let Some(declared) = header_text(&parts.headers, "x-amz-decoded-content-length")
            .and_then(|v| v.parse::<u64>().ok())
            && declared != payload.len() as u64
        {
            return Err(S3Error::incomplete_body());
        }
        payload
    } else {
        raw
    };
    if matches!(limit, BodyLimit::Object) && payload.len() as u64 > shared.max_object_size {
        return Err(too_large(Some(payload.len() as u64)));
    }
    if let Some(PayloadClaim::Sha256(claimed)) = &claim {
        let computed = hex::encode(Sha256::digest(&payload));
        if &computed != claimed {
            return Err(errors::content_sha256_mismatch(claimed, &computed));
        }
    }
    check_content_md5(&parts.headers, &payload)?;

    let call = Call {
        shared,
        headers: &parts.headers,
        host: request_host_from_parts(parts),
        bucket: target.bucket().unwrap_or(""),
        key: target.key().unwrap_or(""),
        query,
        body: payload,
    };
    handlers::run(&call, operation)
}

/// The checks that need only the request line and headers: the operation (or its refusal),
/// the payload hash claim, and the signature.
fn authenticate(
    shared: &Shared,
    parts: &http::request::Parts,
    raw_query: &str,
    operation: Operation,
) -> Result<(Operation, Option<PayloadClaim>, Option<sigv4::Verified>), S3Error> {
    if let Operation::Refused(error) = operation {
        return Err(error);
    }
    let claim = match header_text(&parts.headers, "x-amz-content-sha256") {
        Some(value) => Some(PayloadClaim::from_header(value).ok_or_else(|| {
            S3Error::invalid_argument(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.",
                "x-amz-content-sha256",
                value,
            )
        })?),
        None => None,
    };
    // A POST form upload carries its signature in the form (checked by its handler).
    let verified = match &shared.keys {
        Some(_) if operation == Operation::PostObject => None,
        Some(credentials) => Some(sigv4::verify(
            credentials,
            &SignedRequest {
                method: parts.method.as_str(),
                raw_path: parts.uri.path(),
                raw_query,
                headers: &parts.headers,
            },
            OffsetDateTime::now_utc(),
        )?),
        None => None,
    };
    Ok((operation, claim, verified))
}

fn request_host_from_parts(parts: &http::request::Parts) -> String {
    header_text(&parts.headers, "host")
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default()
}

fn check_content_md5(headers: &HeaderMap, payload: &Bytes) -> Result<(), S3Error> {
    use base64::Engine as _;
    let Some(value) = header_text(headers, "content-md5") else {
        return Ok(());
    };
    let claimed = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()
        .filter(|digest| digest.len() == 16)
        .ok_or_else(errors::invalid_digest)?;
    if claimed.as_slice() != Md5::digest(payload).as_slice() {
        return Err(errors::bad_digest());
    }
    Ok(())
}
