//! S3's error answers: the type, the XML body (`docs/facts/s3.md` §8) and constructors for every
//! error the emulated bucket sends, so the engine and the bucket server word them identically.

use serde::{Deserialize, Serialize};

use super::Addressed;
use crate::xml::push_element;

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

/// The schema message S3 sends with every `MalformedXML`.
pub const MALFORMED_XML_MESSAGE: &str =
    "The XML you provided was not well-formed or did not validate against our published schema";

/// The "no rule matched" preflight message, with AWS's own misspelling "evalution" (§3.1 step 5,
/// High: LocalStack's 2023–2025 AWS recordings).
pub const CORS_NOT_ALLOWED_MESSAGE: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

impl S3Error {
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            extras: Vec::new(),
        }
    }

    /// Appends an operation-specific element (written after `Message`, in call order).
    pub fn with_extra(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.push((name.into(), value.into()));
        self
    }

    /// The value of an operation-specific element such as `Method` or `BucketName`.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether S3 sends `Connection: close` with this error: observed on 400 answers (preflight
    /// 400s in LocalStack's AWS recordings, a 400 `InvalidRequest` capture), not on the 403s
    /// (§3.3 High, §8 Medium).
    pub fn closes_connection(&self) -> bool {
        self.status == 400
    }

    /// The error body (§8): `<?xml version="1.0" encoding="UTF-8"?>`, a newline, then a single-line
    /// `<Error>` with `Code`, `Message`, the extras in order, `RequestId`, `HostId`; no namespace.
    ///
    /// Text is escaped with all five XML entities, so the "not allowed" message carries
    /// `resource&apos;s`. Low: no raw AWS body with an apostrophe was found; an S3-compatible
    /// service's documented body and an S3 emulator's test suite both show `&apos;`.
    pub fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        push_element(&mut out, "Code", &self.code);
        push_element(&mut out, "Message", &self.message);
        for (name, value) in &self.extras {
            push_element(&mut out, name, value);
        }
        push_element(&mut out, "RequestId", request_id);
        push_element(&mut out, "HostId", host_id);
        out.push_str("</Error>");
        out
    }

    // ---- preflight (§3.1) ----

    /// OPTIONS without `Origin` (§3.1 step 1, High).
    pub fn preflight_without_origin() -> Self {
        Self::bad_request("Insufficient information. Origin request header needed.")
    }

    /// OPTIONS on a configured bucket without `Access-Control-Request-Method` (§3.1 step 4):
    /// the 400 is Medium (ceph s3-tests), the message text Low-Medium (only from AWS-compatible
    /// implementations and an AWS-oriented test suite, never captured from AWS itself).
    pub fn preflight_without_request_method() -> Self {
        Self::bad_request("Invalid Access-Control-Request-Method: null")
    }

    /// OPTIONS on a bucket that does not exist (§3.1 step 2, High). No trailing period.
    pub fn cors_bucket_not_found(method: &str) -> Self {
        Self::access_forbidden("CORSResponse: Bucket not found", method, Addressed::Bucket)
    }

    /// OPTIONS on a bucket without a CORS configuration (§3.1 step 3, High). `ResourceType` is
    /// `BUCKET` even when the URL names an object.
    pub fn cors_not_enabled(method: &str) -> Self {
        Self::access_forbidden(
            "CORSResponse: CORS is not enabled for this bucket.",
            method,
            Addressed::Bucket,
        )
    }

    /// OPTIONS that no rule matched (§3.1 step 5, High).
    pub fn cors_not_allowed(method: &str, addressed: Addressed) -> Self {
        Self::access_forbidden(CORS_NOT_ALLOWED_MESSAGE, method, addressed)
    }

    /// 403 `AccessForbidden` with `Method` and `ResourceType` (§3.3 element order).
    pub fn access_forbidden(message: &str, method: &str, resource: Addressed) -> Self {
        Self::new(403, "AccessForbidden", message)
            .with_extra("Method", method)
            .with_extra("ResourceType", resource.resource_type())
    }

    // ---- bucket CORS subresource (§1, §2) ----

    /// 400 `MalformedXML` with the schema message (§1.2).
    pub fn malformed_xml() -> Self {
        Self::new(400, "MalformedXML", MALFORMED_XML_MESSAGE)
    }

    /// 400 `InvalidRequest` with a validation message (§1.2).
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequest", message)
    }

    /// GetBucketCors without a configuration (§2, High).
    pub fn no_such_cors_configuration(bucket: &str) -> Self {
        Self::new(
            404,
            "NoSuchCORSConfiguration",
            "The CORS configuration does not exist",
        )
        .with_extra("BucketName", bucket)
    }

    /// PutBucketCors with neither `Content-MD5` nor a flexible checksum (§1.1, Medium: the
    /// 2013/2021 captured text; the current wording is unverified).
    pub fn missing_content_md5() -> Self {
        Self::invalid_request("Missing required header for this request: Content-MD5")
    }

    /// A body above S3's size limit (§11.8: the code for the 64 KB CORS limit is not captured;
    /// this is the error S3 uses for other oversize XML bodies — Low).
    pub fn max_message_length_exceeded() -> Self {
        Self::new(400, "MaxMessageLengthExceeded", "Your request was too big.")
    }

    // ---- general S3 errors the bucket server reuses ----

    /// 400 `BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 404 `NoSuchBucket` with `BucketName`.
    pub fn no_such_bucket(bucket: &str) -> Self {
        Self::new(404, "NoSuchBucket", "The specified bucket does not exist")
            .with_extra("BucketName", bucket)
    }

    /// 404 `NoSuchKey` with `Key`.
    pub fn no_such_key(key: &str) -> Self {
        Self::new(404, "NoSuchKey", "The specified key does not exist.").with_extra("Key", key)
    }

    /// 403 `AccessDenied`.
    pub fn access_denied() -> Self {
        Self::new(403, "AccessDenied", "Access Denied")
    }

    /// 403 `SignatureDoesNotMatch`. S3 adds `AWSAccessKeyId`, `StringToSign`, ... as extras;
    /// callers that know them append them with [`S3Error::with_extra`].
    pub fn signature_does_not_match() -> Self {
        Self::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
        )
    }

    /// 405 `MethodNotAllowed` with `Method` and `ResourceType`.
    pub fn method_not_allowed(method: &str, resource: Addressed) -> Self {
        Self::method_not_allowed_on(method, resource.resource_type())
    }

    /// [`Self::method_not_allowed`] on a resource that is neither a bucket nor an object
    /// (`SERVICE`, `CORSCONFIGURATION`).
    pub fn method_not_allowed_on(method: &str, resource_type: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        )
        .with_extra("Method", method)
        .with_extra("ResourceType", resource_type)
    }

    /// 501 `NotImplemented`, for operations the emulator does not offer.
    pub fn not_implemented() -> Self {
        Self::new(
            501,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
        )
    }

    /// 404 `NoSuchUpload`: UploadPart, CompleteMultipartUpload or AbortMultipartUpload naming an
    /// upload id that was never created (or is finished).
    pub fn no_such_upload(upload_id: &str) -> Self {
        Self::new(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        )
        .with_extra("UploadId", upload_id)
    }

    /// 400 `InvalidArgument` naming the offending argument and its value.
    pub fn invalid_argument(message: &str, name: &str, value: &str) -> Self {
        Self::new(400, "InvalidArgument", message)
            .with_extra("ArgumentName", name)
            .with_extra("ArgumentValue", value)
    }

    /// 400 `MalformedPOSTRequest`: a browser form upload whose body is not multipart/form-data.
    pub fn malformed_post_request() -> Self {
        Self::new(
            400,
            "MalformedPOSTRequest",
            "The body of your POST request is not well-formed multipart/form-data.",
        )
    }

    // ---- object operations ----

    /// 416 `InvalidRange`: a single `bytes=` range that starts past the object's end, echoing the
    /// header as sent.
    pub fn invalid_range(range: &str, size: u64) -> Self {
        Self::new(
            416,
            "InvalidRange",
            "The requested range is not satisfiable",
        )
        .with_extra("RangeRequested", range)
        .with_extra("ActualObjectSize", size.to_string())
    }

    /// 400 `EntityTooLarge`: an upload body above the size limit.
    pub fn entity_too_large(proposed: u64, limit: u64) -> Self {
        Self::new(
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        )
        .with_extra("ProposedSize", proposed.to_string())
        .with_extra("MaxSizeAllowed", limit.to_string())
    }

    /// 400 `EntityTooSmall`: a multipart part other than the last below the minimum size.
    pub fn entity_too_small(proposed: u64, minimum: u64) -> Self {
        Self::new(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
        )
        .with_extra("ProposedSize", proposed.to_string())
        .with_extra("MinSizeAllowed", minimum.to_string())
    }

    /// 400 `IncompleteBody`: fewer bytes than `Content-Length` announced.
    pub fn incomplete_body() -> Self {
        Self::new(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header",
        )
    }

    /// 400 `InvalidPart`: CompleteMultipartUpload lists a part that was not uploaded (or whose
    /// ETag differs).
    pub fn invalid_part() -> Self {
        Self::new(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        )
    }

    /// 400 `InvalidPartOrder`: CompleteMultipartUpload lists its parts out of order.
    pub fn invalid_part_order() -> Self {
        Self::new(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts must be ordered by part number.",
        )
    }

    /// A POST to the bucket that is not a form upload (412).
    pub fn post_requires_form() -> Self {
        Self::precondition_failed("Bucket POST must be of the enclosure-type multipart/form-data")
    }

    /// A form upload without a `file` field.
    pub fn post_without_file() -> Self {
        Self::invalid_argument(
            "POST requires exactly one file upload per request.",
            "file",
            "0",
        )
    }

    /// A form upload without a `key` field.
    pub fn post_without_key() -> Self {
        Self::invalid_argument(
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
            "key",
            "",
        )
    }

    /// A form upload whose key is empty (after `${filename}` is replaced).
    pub fn post_empty_key() -> Self {
        Self::invalid_argument("User key must have a length greater than 0.", "key", "")
    }

    /// 412 `PreconditionFailed` naming the condition that did not hold.
    pub fn precondition_failed(condition: &str) -> Self {
        Self::new(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
        .with_extra("Condition", condition)
    }
}
