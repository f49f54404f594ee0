//! The S3 errors the server answers with: the engine's constructors where it has them (so both
//! word them identically), the rest here with S3's codes, statuses, messages and
//! operation-specific elements in S3's order.

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

pub(crate) fn no_such_bucket(bucket: &str) -> S3Error {
    S3Error::no_such_bucket(bucket)
}

pub(crate) fn no_such_key(key: &str) -> S3Error {
    S3Error::no_such_key(key)
}

pub(crate) fn no_such_cors_configuration(bucket: &str) -> S3Error {
    S3Error::no_such_cors_configuration(bucket)
}

pub(crate) fn no_such_upload(upload_id: &str) -> S3Error {
    S3Error::no_such_upload(upload_id)
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

pub(crate) fn invalid_bucket_name(bucket: &str) -> S3Error {
    error(
        400,
        "InvalidBucketName",
        "The specified bucket is not valid.",
        &[("BucketName", bucket)],
    )
}

pub(crate) fn malformed_xml() -> S3Error {
    S3Error::malformed_xml()
}

pub(crate) fn max_message_length_exceeded() -> S3Error {
    S3Error::max_message_length_exceeded()
}

pub(crate) fn entity_too_large(proposed: u64, limit: u64) -> S3Error {
    error(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        &[
            ("ProposedSize", &proposed.to_string()),
            ("MaxSizeAllowed", &limit.to_string()),
        ],
    )
}

pub(crate) fn entity_too_small(proposed: u64, minimum: u64) -> S3Error {
    error(
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
        &[
            ("ProposedSize", &proposed.to_string()),
            ("MinSizeAllowed", &minimum.to_string()),
        ],
    )
}

pub(crate) fn incomplete_body() -> S3Error {
    error(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
        &[],
    )
}

pub(crate) fn invalid_range(range: &str, size: u64) -> S3Error {
    error(
        416,
        "InvalidRange",
        "The requested range is not satisfiable",
        &[
            ("RangeRequested", range),
            ("ActualObjectSize", &size.to_string()),
        ],
    )
}

pub(crate) fn invalid_part() -> S3Error {
    error(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        &[],
    )
}

pub(crate) fn invalid_part_order() -> S3Error {
    error(
        400,
        "InvalidPartOrder",
        "The list of parts was not in ascending order. Parts must be ordered by part number.",
        &[],
    )
}

pub(crate) fn invalid_argument(message: &str, name: &str, value: &str) -> S3Error {
    S3Error::invalid_argument(message, name, value)
}

pub(crate) fn invalid_request(message: &str) -> S3Error {
    S3Error::invalid_request(message)
}

pub(crate) fn method_not_allowed(method: &str, resource_type: &str) -> S3Error {
    error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        &[("Method", method), ("ResourceType", resource_type)],
    )
}

pub(crate) fn not_implemented() -> S3Error {
    S3Error::not_implemented()
}

pub(crate) fn precondition_failed(condition: &str) -> S3Error {
    S3Error::precondition_failed(condition)
}

pub(crate) fn access_denied() -> S3Error {
    S3Error::access_denied()
}

pub(crate) fn request_expired(expires: &str, server_time: &str) -> S3Error {
    error(
        403,
        "AccessDenied",
        "Request has expired",
        &[("Expires", expires), ("ServerTime", server_time)],
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

pub(crate) fn missing_integrity_header() -> S3Error {
    S3Error::missing_content_md5()
}

pub(crate) fn post_requires_form() -> S3Error {
    precondition_failed("Bucket POST must be of the enclosure-type multipart/form-data")
}

pub(crate) fn malformed_post_request() -> S3Error {
    S3Error::malformed_post_request()
}
