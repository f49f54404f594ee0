//! What S3 adds to an actual (non-OPTIONS) response (`docs/facts/s3.md` §4, recipe §9).
//!
//! S3 never refuses an actual request because of CORS: the request is served (or fails) on its
//! own merits, and CORS only decides whether the headers are added. They are added when the
//! request has an `Origin`, the bucket has a configuration, and a rule matches with the
//! effective method (`Access-Control-Request-Method` if present, else the HTTP method) and, when
//! `Access-Control-Request-Headers` is present, those names. Real request headers are never
//! checked. Otherwise nothing is added, not even `Vary` (§7). The same headers go on error
//! responses of a matched request (§4, Medium-High); a missing bucket gets none.

use super::matching::{
    MatchInput, MethodSource, cors_response_headers, find_rule_recorded, requested_header_names,
};
use super::{ActualCors, BucketState, S3Request};
use crate::http::HeaderList;
use crate::trace::{Actor, Recorder, Trace};

/// The CORS headers S3 adds to the response to `request`.
pub fn actual(bucket: BucketState<'_>, request: &S3Request<'_>) -> ActualCors {
    let mut trace = Trace::new();
    let mut answer = actual_recorded(bucket, request, &mut Recorder::to(&mut trace));
    answer.trace = trace;
    answer
}

/// [`actual`] with its steps going to `trace` (the answer's own `trace` stays empty).
pub(crate) fn actual_recorded(
    bucket: BucketState<'_>,
    request: &S3Request<'_>,
    trace: &mut Recorder<'_>,
) -> ActualCors {
    let Some(origin) = request.origin else {
        trace.info_with(Actor::S3, || {
            format!(
                "the {} request has no Origin header: S3 does no CORS evaluation and sends no \
                 CORS headers and no Vary",
                request.method
            )
        });
        return nothing();
    };
    let config = match bucket {
        BucketState::Missing => {
            trace.fail(
                Actor::S3,
                "the bucket does not exist, so there are no CORS rules",
            );
            return nothing();
        }
        BucketState::NoCors => {
            trace.fail(
                Actor::S3,
                "the bucket has no CORS configuration: the response carries no CORS headers and \
                 no Vary",
            );
            return nothing();
        }
        BucketState::Configured(config) => config,
    };

    let (method, method_source) = match request.access_control_request_method {
        Some(requested) => (
            requested,
            MethodSource::OverriddenHttpMethod(request.method),
        ),
        None => (request.method, MethodSource::HttpMethod),
    };
    let requested = request
        .access_control_request_headers
        .map(requested_header_names);
    let input = MatchInput {
        origin,
        method,
        method_source,
        requested_headers: requested.as_deref(),
    };
    match find_rule_recorded(config, &input, trace) {
        Some(index) => {
            let headers = cors_response_headers(&config.rules[index], origin, requested.as_deref());
            ActualCors {
                headers,
                matched_rule: Some(index),
                trace: Trace::new(),
            }
        }
        None => {
            trace.info(
                Actor::S3,
                "the request is still served normally; only the CORS headers and Vary are missing",
            );
            nothing()
        }
    }
}

fn nothing() -> ActualCors {
    ActualCors {
        headers: HeaderList::new(),
        matched_rule: None,
        trace: Trace::new(),
    }
}
