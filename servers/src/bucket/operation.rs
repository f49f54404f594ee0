//! The S3 operations the bucket server tells apart: what `dispatch` decides a request asks for
//! and `handlers` carries out.

use cors_engine::s3::S3Error;

/// Largest `?cors` body (S3 documents 64 KB for the configuration document).
pub(crate) const CORS_BODY_LIMIT: usize = 64 * 1024;
/// Largest other XML body (CompleteMultipartUpload) and any body an operation ignores.
pub(crate) const XML_BODY_LIMIT: usize = 1024 * 1024;

/// The S3 operation a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Operation {
    ListBuckets,
    CreateBucket,
    HeadBucket,
    DeleteBucket,
    GetBucketLocation,
    ListObjects {
        version_2: bool,
    },
    PutBucketCors,
    GetBucketCors,
    DeleteBucketCors,
    PostObject,
    PutObject,
    GetObject,
    HeadObject,
    DeleteObject,
    DeleteObjects,
    CreateMultipartUpload,
    UploadPart {
        upload_id: String,
        part_number: String,
    },
    CompleteMultipartUpload {
        upload_id: String,
    },
    AbortMultipartUpload {
        upload_id: String,
    },
    /// Answered with this error (unsupported or not allowed).
    Refused(S3Error),
}

/// How much body an operation may carry and which error an excess gets.
pub(crate) enum BodyLimit {
    Xml(usize),
    Object,
}

impl Operation {
    pub(crate) fn body_limit(&self) -> BodyLimit {
        match self {
            Operation::PutBucketCors => BodyLimit::Xml(CORS_BODY_LIMIT),
            Operation::PutObject | Operation::UploadPart { .. } | Operation::PostObject => {
                BodyLimit::Object
            }
            _ => BodyLimit::Xml(XML_BODY_LIMIT),
        }
    }
}
