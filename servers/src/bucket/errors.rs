//! The S3 errors only the server answers with (bucket administration, authentication, integrity
//! checks), with S3's codes, statuses, messages and operation-specific elements in S3's order.
//! Every error the bucket model also answers with is an [`S3Error`] constructor in the engine.

use cors_engine::s3::S3Error;

fn error(status: u16, code: &str, message: &str, extras: &[(&str, &str)]) -> S3Error {
    S3Error {
        status,
        code: code.to_owned(),
        message: message.to_owned(),
        extras: extras
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
    }
}

pub(crate) fn bucket_already_owned_by_you(bucket: &str) -> S3Error {
    error(
        409,
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        &[("BucketName", bucket)],
    )
}

pub(crate) fn bucket_not_empty(bucket: &str) -> S3Error {
    error(
        409,
        "BucketNotEmpty",
        "The bucket you tried to delete is not empty",
        &[("BucketName", bucket)],
    )
}

/// A path whose percent-escapes do not decode to UTF-8: S3 keys are UTF-8 (docs/facts/s3.md §12).
pub(crate) fn invalid_uri() -> S3Error {
    error(400, "InvalidURI", "Couldn't parse the specified URI.", &[])
}

pub(crate) fn invalid_bucket_name(bucket: &str) -> S3Error {
    error(
        400,
        "InvalidBucketName",
        "The specified bucket is not valid.",
        &[("BucketName", bucket)],
    )
}

pub(crate) fn request_expired(expires: &str, server_time: &str) -> S3Error {
    error(
        403,
        "AccessDenied",
        "Request has expired",
        &[("Expires", expires), ("ServerTime", server_time)],
    )
}

pub(crate) fn request_not_yet_valid(
    amz_date_millis: &str,
    expires: &str,
    server_time: &str,
) -> S3Error {
    error(
        403,
        "AccessDenied",
        "Request is not yet valid",
        &[
            ("X-Amz-Date", amz_date_millis),
            ("Expires", expires),
            ("ServerTime", server_time),
        ],
    )
}

pub(crate) fn request_time_too_skewed(
    request_time: &str,
    server_time: &str,
    max_skew_millis: i128,
) -> S3Error {
    error(
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        &[
            ("RequestTime", request_time),
            ("ServerTime", server_time),
            ("MaxAllowedSkewMilliseconds", &max_skew_millis.to_string()),
        ],
    )
}

pub(crate) fn missing_date() -> S3Error {
    error(
        403,
        "AccessDenied",
        "AWS authentication requires a valid Date or x-amz-date header",
        &[],
    )
}

pub(crate) fn headers_not_signed(names: &str) -> S3Error {
    error(
        403,
        "AccessDenied",
        "There were headers present in the request which were not signed",
        &[("HeadersNotSigned", names)],
    )
}

pub(crate) fn invalid_access_key_id(access_key: &str) -> S3Error {
    error(
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        &[("AWSAccessKeyId", access_key)],
    )
}

pub(crate) fn signature_does_not_match(
    access_key: &str,
    string_to_sign: &str,
    signature: &str,
    canonical_request: &str,
) -> S3Error {
    S3Error::signature_does_not_match()
        .with_extra("AWSAccessKeyId", access_key)
        .with_extra("StringToSign", string_to_sign)
        .with_extra("SignatureProvided", signature)
        .with_extra("CanonicalRequest", canonical_request)
}

pub(crate) fn authorization_header_malformed(detail: &str) -> S3Error {
    error(
        400,
        "AuthorizationHeaderMalformed",
        &format!("The authorization header is malformed; {detail}"),
        &[],
    )
}

pub(crate) fn content_sha256_mismatch(claimed: &str, computed: &str) -> S3Error {
    error(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        &[
            ("ClientComputedContentSHA256", claimed),
            ("S3ComputedContentSHA256", computed),
        ],
    )
}

pub(crate) fn internal_error() -> S3Error {
    error(
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
        &[],
    )
}

pub(crate) fn authorization_query_parameters_error(message: &str) -> S3Error {
    error(400, "AuthorizationQueryParametersError", message, &[])
}

pub(crate) fn bad_digest() -> S3Error {
    error(
        400,
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        &[],
    )
}

pub(crate) fn invalid_digest() -> S3Error {
    error(
        400,
        "InvalidDigest",
        "The Content-MD5 you specified was invalid.",
        &[],
    )
}
