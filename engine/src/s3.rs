//! The S3 half: how Amazon S3 answers a preflight or an actual request for a bucket with (or
//! without) a CORS configuration.

use serde::{Deserialize, Serialize};

use crate::config::CorsConfiguration;
use crate::http::HeaderList;
use crate::trace::Trace;

/// An S3 error answer: status, `Code`, `Message` and the operation-specific elements that sit
/// between `Message` and `RequestId` (e.g. `Method`, `ResourceType`, `BucketName`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct S3Error {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub extras: Vec<(String, String)>,
}

/// What the bucket looks like to S3 when the request arrives.
#[derive(Debug, Clone, Copy)]
pub enum BucketState<'a> {
    Missing,
    NoCors,
    Configured(&'a CorsConfiguration),
}

/// Whether the URL addresses the bucket itself or an object key in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Addressed {
    Bucket,
    Object,
}

/// The CORS-relevant part of a request reaching S3.
#[derive(Debug, Clone, Copy)]
pub struct S3Request<'a> {
    pub method: &'a str,
    pub origin: Option<&'a str>,
    pub access_control_request_method: Option<&'a str>,
    pub access_control_request_headers: Option<&'a str>,
    pub addressed: Addressed,
}

/// S3's whole answer to an OPTIONS request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightAnswer {
    pub status: u16,
    /// The CORS headers and `Vary`, in S3's order (empty on failure).
    pub headers: HeaderList,
    pub error: Option<S3Error>,
    /// Index of the matched rule.
    pub matched_rule: Option<usize>,
    pub trace: Trace,
}

/// What S3 adds to an actual (non-OPTIONS) response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActualCors {
    /// The CORS headers and `Vary`, in S3's order; empty when nothing matched.
    pub headers: HeaderList,
    pub matched_rule: Option<usize>,
    pub trace: Trace,
}

pub fn preflight(_bucket: BucketState<'_>, _request: &S3Request<'_>) -> PreflightAnswer {
    todo!("s3::preflight")
}

pub fn actual(_bucket: BucketState<'_>, _request: &S3Request<'_>) -> ActualCors {
    todo!("s3::actual")
}
