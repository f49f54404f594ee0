//! The S3 half: how Amazon S3 answers a preflight or an actual request for a bucket with (or
//! without) a CORS configuration.
//!
//! The request/answer types live here; the work is split by job: [`error`] (S3's error answers
//! and their XML), [`matching`] (rule matching, `docs/facts/s3.md` §5), `preflight` (OPTIONS, §3),
//! `actual` (every other method, §4) and [`addressing`] (which bucket and key a URL names).

use serde::{Deserialize, Serialize};

use crate::config::CorsConfiguration;
use crate::http::HeaderList;
use crate::trace::Trace;

mod actual;
pub mod addressing;
pub mod error;
pub mod matching;
pub mod object;
mod preflight;

pub use actual::actual;
pub(crate) use actual::actual_recorded;
pub use addressing::{AddressingStyle, ObjectAddress};
pub use error::S3Error;
pub use matching::{VARY_VALUE, cors_response_headers, requested_header_names};
pub use preflight::preflight;
pub(crate) use preflight::preflight_recorded;

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

impl Addressed {
    /// The `ResourceType` S3 writes into CORS errors: `BUCKET` or `OBJECT`.
    pub fn resource_type(self) -> &'static str {
        match self {
            Addressed::Bucket => "BUCKET",
            Addressed::Object => "OBJECT",
        }
    }
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
