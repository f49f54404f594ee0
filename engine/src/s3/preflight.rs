//! S3's answer to an OPTIONS request (`docs/facts/s3.md` §3, recipe §9), step by step in the order
//! AWS was observed to evaluate them:
//!
//! 1. no `Origin` → 400 `BadRequest` (High);
//! 2. bucket missing → 403 `AccessForbidden` "Bucket not found", `ResourceType` BUCKET (High);
//! 3. no CORS configuration → 403 `AccessForbidden` "CORS is not enabled", `ResourceType` BUCKET
//!    even for an object URL; checked before `Access-Control-Request-Method` (High);
//! 4. no `Access-Control-Request-Method` → 400 `BadRequest` (Medium for the status, Low-Medium
//!    for the message, §11.1);
//! 5. first matching rule → 200 with the CORS headers and `Vary`; none → 403 `AccessForbidden`
//!    "…not allowed…", `Method` = the requested method, `ResourceType` OBJECT or BUCKET (High).
//!
//! S3 never authenticates a preflight and never looks the key up (§3.1), so neither appears
//! here. An unknown or lower-case requested method (`BLAH`, `get`) simply matches no rule and
//! gets the 403; one AWS-oriented test suite expects a 400 instead, never seen from AWS (Low,
//! §11.2).

use super::matching::{
    MatchInput, MethodSource, cors_response_headers, find_rule_recorded, requested_header_names,
};
use super::{BucketState, PreflightAnswer, S3Error, S3Request};
use crate::http::HeaderList;
use crate::trace::{Actor, Recorder, Trace};

/// S3's whole answer to an OPTIONS request for `bucket`.
pub fn preflight(bucket: BucketState<'_>, request: &S3Request<'_>) -> PreflightAnswer {
    let mut trace = Trace::new();
    let mut answer = preflight_recorded(bucket, request, &mut Recorder::to(&mut trace));
    answer.trace = trace;
    answer
}

/// [`preflight`] with its steps going to `trace` (the answer's own `trace` stays empty).
pub(crate) fn preflight_recorded(
    bucket: BucketState<'_>,
    request: &S3Request<'_>,
    trace: &mut Recorder<'_>,
) -> PreflightAnswer {
    let Some(origin) = request.origin else {
        trace.fail(
            Actor::S3,
            "the OPTIONS request has no Origin header: S3 answers 400 BadRequest before looking \
             at the bucket",
        );
        return refuse(S3Error::preflight_without_origin());
    };
    // Until a configuration is found, S3 names the requested method, or OPTIONS without one.
    let method_named = request.access_control_request_method.unwrap_or("OPTIONS");

    let config = match bucket {
        BucketState::Missing => {
            trace.fail(
                Actor::S3,
                "the bucket does not exist: S3 answers 403 AccessForbidden",
            );
            return refuse(S3Error::cors_bucket_not_found(method_named));
        }
        BucketState::NoCors => {
            trace.fail(
                Actor::S3,
                "the bucket has no CORS configuration: every preflight gets 403 AccessForbidden \
                 (CORS is not enabled)",
            );
            return refuse(S3Error::cors_not_enabled(method_named));
        }
        BucketState::Configured(config) => config,
    };
    trace.info_with(Actor::S3, || {
        format!(
            "preflight from origin '{origin}' to a bucket with {} CORS rule(s)",
            config.rules.len()
        )
    });

    let Some(method) = request.access_control_request_method else {
        trace.fail(
            Actor::S3,
            "the OPTIONS request has no Access-Control-Request-Method: S3 answers 400 BadRequest",
        );
        return refuse(S3Error::preflight_without_request_method());
    };

    let requested = request
        .access_control_request_headers
        .map(requested_header_names);
    let input = MatchInput {
        origin,
        method,
        method_source: MethodSource::PreflightRequestMethod,
        requested_headers: requested.as_deref(),
    };
    match find_rule_recorded(config, &input, trace) {
        Some(index) => {
            let headers = cors_response_headers(&config.rules[index], origin, requested.as_deref());
            trace.pass(
                Actor::S3,
                "S3 answers 200 with the matched rule's CORS headers and Vary",
            );
            PreflightAnswer {
                status: 200,
                headers,
                error: None,
                matched_rule: Some(index),
                trace: Trace::new(),
            }
        }
        None => {
            trace.fail_with(Actor::S3, || {
                format!(
                    "S3 answers 403 AccessForbidden (Method {method}, ResourceType {}) without \
                     CORS headers",
                    request.addressed.resource_type()
                )
            });
            refuse(S3Error::cors_not_allowed(method, request.addressed))
        }
    }
}

/// A failed preflight: S3's error, no CORS headers and no `Vary` (§3.1, High).
fn refuse(error: S3Error) -> PreflightAnswer {
    PreflightAnswer {
        status: error.status,
        headers: HeaderList::new(),
        error: Some(error),
        matched_rule: None,
        trace: Trace::new(),
    }
}
