//! Multipart uploads: CreateMultipartUpload (`POST ?uploads`), UploadPart
//! (`PUT ?partNumber&uploadId`), CompleteMultipartUpload (`POST ?uploadId`) and
//! AbortMultipartUpload (`DELETE ?uploadId`).

use cors_engine::s3::S3Error;
use cors_engine::s3::object;
use http::{StatusCode, header};

use super::handlers::{Call, object_attributes};
use super::render::Reply;
use super::xml;

pub(crate) fn create(call: &Call<'_>) -> Result<Reply, S3Error> {
    let upload_id = call
        .shared
        .store
        .create_upload(call.bucket, call.key, object_attributes(call.headers))
        .map_err(|error| call.storage_error(error))?;
    Ok(
        Reply::new(StatusCode::OK).xml(object::initiate_multipart_upload(
            call.bucket,
            call.key,
            &upload_id,
        )),
    )
}

pub(crate) fn upload_part(
    call: &Call<'_>,
    upload_id: &str,
    part_number: &str,
) -> Result<Reply, S3Error> {
    let number = part_number
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| {
            S3Error::invalid_argument(
                "Part number must be an integer between 1 and 10000, inclusive",
                "partNumber",
                part_number,
            )
        })?;
    let etag = call
        .shared
        .store
        .put_part(call.bucket, call.key, upload_id, number, call.body.clone())
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::OK).header(header::ETAG, etag))
}

pub(crate) fn complete(call: &Call<'_>, upload_id: &str) -> Result<Reply, S3Error> {
    let parts =
        xml::parse_complete_multipart_upload(&call.body).ok_or_else(S3Error::malformed_xml)?;
    let object = call
        .shared
        .store
        .complete_upload(call.bucket, call.key, upload_id, &parts)
        .map_err(|error| call.storage_error(error))?;
    let location = object::location(&call.host, call.bucket, call.key);
    Ok(
        Reply::new(StatusCode::OK).xml(object::complete_multipart_upload(
            &location,
            call.bucket,
            call.key,
            &object.etag,
        )),
    )
}

pub(crate) fn abort(call: &Call<'_>, upload_id: &str) -> Result<Reply, S3Error> {
    call.shared
        .store
        .abort_upload(call.bucket, call.key, upload_id)
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::NO_CONTENT))
}
