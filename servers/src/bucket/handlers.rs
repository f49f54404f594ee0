//! The S3 operations on buckets, CORS configurations and objects (multipart uploads and POST
//! form uploads live in their own modules). Each takes a [`Call`] whose body is already read,
//! decoded and authenticated, and returns the [`Reply`] or the S3 error to send.

use bytes::Bytes;
use cors_engine::config;
use cors_engine::s3::S3Error;
use cors_engine::s3::object::{self, RangeRequest};
use http::{HeaderMap, StatusCode, header};

use super::Shared;
use super::encoding::QueryParam;
use super::errors;
use super::multipart;
use super::operation::Operation;
use super::post_object;
use super::render::{Reply, http_date, iso_date};
use super::storage::{ListQuery, Object, ObjectAttributes, StorageError};
use super::xml;

/// One request, ready for its operation.
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) host: String,
    pub(crate) bucket: &'a str,
    pub(crate) key: &'a str,
    pub(crate) query: &'a [QueryParam],
    pub(crate) body: Bytes,
}

impl Call<'_> {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|param| param.name == name)
            .map(|param| param.value.as_str())
    }

    /// Maps a storage failure to S3's error for this request's bucket and key.
    pub(crate) fn storage_error(&self, error: StorageError) -> S3Error {
        match error {
            StorageError::NoSuchBucket => S3Error::no_such_bucket(self.bucket),
            StorageError::BucketExists => errors::bucket_already_owned_by_you(self.bucket),
            StorageError::BucketNotEmpty => errors::bucket_not_empty(self.bucket),
            StorageError::NoSuchKey => S3Error::no_such_key(self.key),
            StorageError::NoSuchUpload => {
                S3Error::no_such_upload(self.query("uploadId").unwrap_or(""))
            }
            StorageError::InvalidPart => S3Error::invalid_part(),
            StorageError::InvalidPartOrder => S3Error::invalid_part_order(),
            StorageError::EntityTooSmall { size } => {
                S3Error::entity_too_small(size, super::storage::MIN_PART_SIZE)
            }
            StorageError::Io { .. } | StorageError::Corrupt { .. } => errors::internal_error(),
        }
    }

    fn require_bucket(&self) -> Result<(), S3Error> {
        if self.shared.store.bucket_exists(self.bucket) {
            Ok(())
        } else {
            Err(S3Error::no_such_bucket(self.bucket))
        }
    }
}

pub(crate) fn run(call: &Call<'_>, operation: Operation) -> Result<Reply, S3Error> {
    match operation {
        Operation::ListBuckets => list_buckets(call),
        Operation::CreateBucket => create_bucket(call),
        Operation::HeadBucket => head_bucket(call),
        Operation::DeleteBucket => delete_bucket(call),
        Operation::GetBucketLocation => get_bucket_location(call),
        Operation::ListObjects { version_2 } => list_objects(call, version_2),
        Operation::PutBucketCors => put_bucket_cors(call),
        Operation::GetBucketCors => get_bucket_cors(call),
        Operation::DeleteBucketCors => delete_bucket_cors(call),
        Operation::PostObject => post_object::post_object(call),
        Operation::PutObject => put_object(call),
        Operation::GetObject => get_object(call, true),
        Operation::HeadObject => get_object(call, false),
        Operation::DeleteObject => delete_object(call),
        Operation::DeleteObjects => delete_objects(call),
        Operation::CreateMultipartUpload => multipart::create(call),
        Operation::UploadPart {
            upload_id,
            part_number,
        } => multipart::upload_part(call, &upload_id, &part_number),
        Operation::CompleteMultipartUpload { upload_id } => multipart::complete(call, &upload_id),
        Operation::AbortMultipartUpload { upload_id } => multipart::abort(call, &upload_id),
        Operation::Refused(error) => Err(error),
    }
}

fn list_buckets(call: &Call<'_>) -> Result<Reply, S3Error> {
    let buckets = call.shared.store.list_buckets();
    let created: Vec<String> = buckets.iter().map(|(_, at)| iso_date(*at)).collect();
    let entries: Vec<object::BucketEntry<'_>> = buckets
        .iter()
        .zip(&created)
        .map(|((name, _), created)| object::BucketEntry { name, created })
        .collect();
    Ok(Reply::new(StatusCode::OK).xml(object::list_buckets(&entries)))
}

/// S3's bucket naming rules: 3–63 characters of lower-case letters, digits, `.` and `-`,
/// starting and ending with a letter or digit, no `..`, not an IPv4 address.
fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

fn create_bucket(call: &Call<'_>) -> Result<Reply, S3Error> {
    if !valid_bucket_name(call.bucket) {
        return Err(errors::invalid_bucket_name(call.bucket));
    }
    call.shared
        .store
        .create_bucket(call.bucket)
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::OK).header(header::LOCATION, format!("/{}", call.bucket)))
}

fn head_bucket(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.require_bucket()?;
    Ok(Reply::new(StatusCode::OK).header(
        http::HeaderName::from_static("x-amz-bucket-region"),
        "us-east-1",
    ))
}

fn delete_bucket(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.shared
        .store
        .delete_bucket(call.bucket)
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::NO_CONTENT))
}

fn get_bucket_location(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.require_bucket()?;
    // us-east-1 is reported as an empty LocationConstraint.
    Ok(Reply::new(StatusCode::OK).xml(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"
            .to_owned(),
    ))
}

fn list_objects(call: &Call<'_>, version_2: bool) -> Result<Reply, S3Error> {
    use base64::Engine as _;
    let max_keys = match call.query("max-keys") {
        None | Some("") => 1000,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                S3Error::invalid_argument(
                    "Provided max-keys not an integer or within integer range",
                    "max-keys",
                    text,
                )
            })?
            .min(1000) as usize,
    };
    let continuation_token = call.query("continuation-token");
    let resume_after = match continuation_token {
        Some(token) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(token)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| {
                    S3Error::invalid_argument(
                        "The continuation token provided is incorrect",
                        "continuation-token",
                        token,
                    )
                })?,
        ),
        None if version_2 => call.query("start-after").map(str::to_owned),
        None => call.query("marker").map(str::to_owned),
    };
    let url_encoded = match call.query("encoding-type") {
        None => false,
        Some(value) if value.eq_ignore_ascii_case("url") => true,
        Some(value) => {
            return Err(S3Error::invalid_argument(
                "Invalid Encoding Method specified in Request",
                "encoding-type",
                value,
            ));
        }
    };
    let prefix = call.query("prefix").unwrap_or("");
    let delimiter = call.query("delimiter").filter(|d| !d.is_empty());
    let listing = call
        .shared
        .store
        .list_objects(
            call.bucket,
            &ListQuery {
                prefix,
                delimiter,
                after: resume_after.as_deref(),
                max_keys,
            },
        )
        .map_err(|error| call.storage_error(error))?;
    let next_token = listing
        .next_after
        .as_ref()
        .map(|last| base64::engine::general_purpose::STANDARD.encode(last));
    let echo = object::ListEcho {
        bucket: call.bucket,
        prefix,
        delimiter,
        max_keys,
        continuation_token,
        start_after: call.query("start-after"),
        marker: call.query("marker"),
        next_token: next_token.as_deref(),
        next_after: listing.next_after.as_deref(),
        version_2,
        url_encoded,
    };
    let dates: Vec<String> = listing
        .objects
        .iter()
        .map(|object| iso_date(object.last_modified))
        .collect();
    let entries: Vec<object::ListEntry<'_>> = listing
        .objects
        .iter()
        .zip(&dates)
        .map(|(object, last_modified)| object::ListEntry {
            key: &object.key,
            last_modified,
            etag: &object.etag,
            size: object.size,
        })
        .collect();
    Ok(Reply::new(StatusCode::OK).xml(object::list_objects(
        &echo,
        &entries,
        &listing.common_prefixes,
    )))
}

fn put_bucket_cors(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.require_bucket()?;
    if !has_integrity_header(call) {
        return Err(S3Error::missing_content_md5());
    }
    let configuration = config::parse_put_bucket_cors_body(&call.body)?;
    call.shared
        .store
        .put_cors(call.bucket, Some(configuration))
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::OK))
}

fn get_bucket_cors(call: &Call<'_>) -> Result<Reply, S3Error> {
    match call.shared.store.cors_state(call.bucket) {
        super::storage::CorsState::Missing => Err(S3Error::no_such_bucket(call.bucket)),
        super::storage::CorsState::NoCors => Err(S3Error::no_such_cors_configuration(call.bucket)),
        super::storage::CorsState::Configured(configuration) => {
            Ok(Reply::new(StatusCode::OK).xml(config::to_xml(&configuration)))
        }
    }
}

fn delete_bucket_cors(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.shared
        .store
        .put_cors(call.bucket, None)
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::NO_CONTENT))
}

/// The attributes an upload's headers give the object.
pub(crate) fn object_attributes(headers: &HeaderMap) -> ObjectAttributes {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or(object::DEFAULT_CONTENT_TYPE)
        .to_owned();
    let mut stored = Vec::new();
    for (name, value) in headers {
        let name = name.as_str();
        let Ok(value) = value.to_str() else { continue };
        if name == "content-encoding" {
            // aws-chunked is transport framing, not the object's encoding.
            let kept: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty() && *v != "aws-chunked")
                .collect();
            if !kept.is_empty() {
                stored.push((name.to_owned(), kept.join(", ")));
            }
        } else if object::STORED_HEADERS.contains(&name) || name.starts_with("x-amz-meta-") {
            stored.push((name.to_owned(), value.to_owned()));
        }
    }
    ObjectAttributes {
        content_type,
        headers: stored,
        last_modified: None,
    }
}

fn put_object(call: &Call<'_>) -> Result<Reply, S3Error> {
    let object = call
        .shared
        .store
        .put_object_with(
            call.bucket,
            call.key,
            object_attributes(call.headers),
            call.body.clone(),
        )
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::OK).header(header::ETAG, object.etag.clone()))
}

fn delete_object(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.shared
        .store
        .delete_object(call.bucket, call.key)
        .map_err(|error| call.storage_error(error))?;
    Ok(Reply::new(StatusCode::NO_CONTENT))
}

/// DeleteObjects (`POST ?delete`): like S3 it needs an integrity header, deletes every listed
/// key (missing keys count as deleted) and lists them unless `Quiet` is set.
fn delete_objects(call: &Call<'_>) -> Result<Reply, S3Error> {
    call.require_bucket()?;
    if !has_integrity_header(call) {
        return Err(S3Error::missing_content_md5());
    }
    let request = xml::parse_delete_objects(&call.body).ok_or_else(S3Error::malformed_xml)?;
    let mut deleted = Vec::new();
    for key in &request.keys {
        call.shared
            .store
            .delete_object(call.bucket, key)
            .map_err(|error| call.storage_error(error))?;
        deleted.push(key.as_str());
    }
    let shown: &[&str] = if request.quiet { &[] } else { &deleted };
    Ok(Reply::new(StatusCode::OK).xml(object::delete_result(shown)))
}

/// Whether the request carries `Content-MD5` or a flexible checksum, as S3 requires for
/// PutBucketCors and DeleteObjects.
fn has_integrity_header(call: &Call<'_>) -> bool {
    call.headers.contains_key("content-md5")
        || call
            .headers
            .keys()
            .any(|name| name.as_str().starts_with("x-amz-checksum-"))
        || call.headers.contains_key("x-amz-sdk-checksum-algorithm")
        || call
            .header("x-amz-trailer")
            .is_some_and(|t| t.starts_with("x-amz-checksum-"))
}

/// What the conditional request headers decide.
enum Precondition {
    Proceed,
    NotModified,
}

fn check_preconditions(call: &Call<'_>, object: &Object) -> Result<Precondition, S3Error> {
    let etag_matches = |list: &str| {
        list.split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| {
                tag == "*"
                    || tag == object.etag
                    || tag.trim_matches('"') == object.etag.trim_matches('"')
            })
    };
    let parse_date = |text: &str| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc2822)
            .ok()
            .or_else(|| {
                let format = time::macros::format_description!(
                    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
                );
                time::PrimitiveDateTime::parse(text, &format)
                    .ok()
                    .map(|at| at.assume_utc())
            })
    };
    let if_match = call.header("if-match");
    if let Some(list) = if_match
        && !etag_matches(list)
    {
        return Err(S3Error::precondition_failed("If-Match"));
    }
    if if_match.is_none()
        && let Some(since) = call.header("if-unmodified-since").and_then(parse_date)
        && object.last_modified > since
    {
        return Err(S3Error::precondition_failed("If-Unmodified-Since"));
    }
    let if_none_match = call.header("if-none-match");
    if let Some(list) = if_none_match
        && etag_matches(list)
    {
        return Ok(Precondition::NotModified);
    }
    if if_none_match.is_none()
        && let Some(since) = call.header("if-modified-since").and_then(parse_date)
        && object.last_modified <= since
    {
        return Ok(Precondition::NotModified);
    }
    Ok(Precondition::Proceed)
}

fn get_object(call: &Call<'_>, with_body: bool) -> Result<Reply, S3Error> {
    let store = &call.shared.store;
    let (object, body) = if with_body {
        store
            .get_object(call.bucket, call.key)
            .map(|(object, body)| (object, Some(body)))
    } else {
        store
            .head_object(call.bucket, call.key)
            .map(|object| (object, None))
    }
    .map_err(|error| call.storage_error(error))?;
    let last_modified = http_date(object.last_modified);
    if let Precondition::NotModified = check_preconditions(call, &object)? {
        return Ok(Reply::new(StatusCode::NOT_MODIFIED)
            .header(header::LAST_MODIFIED, last_modified)
            .header(header::ETAG, object.etag.clone()));
    }
    let size = object.size;
    let range_header = call.header("range");
    let range = object::resolve_range(range_header, size);
    let mut reply = Reply::new(StatusCode::OK)
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::ETAG, object.etag.clone());
    let override_of = |name: &str| call.query(&format!("response-{name}"));
    for (name, value) in &object.headers {
        if override_of(name).is_some() {
            continue;
        }
        if let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) {
            reply = reply.header(name, value.clone());
        }
    }
    for name in object::RESPONSE_OVERRIDES {
        if let Some(value) = override_of(name) {
            reply = reply.header(http::HeaderName::from_static(name), value);
        }
    }
    reply = reply.header(header::ACCEPT_RANGES, "bytes").header(
        header::CONTENT_TYPE,
        override_of("content-type").unwrap_or(&object.content_type),
    );
    let span = match range {
        RangeRequest::Unsatisfiable => {
            return Err(S3Error::invalid_range(range_header.unwrap_or(""), size));
        }
        RangeRequest::Whole => None,
        RangeRequest::Part(span) => {
            reply.status = StatusCode::PARTIAL_CONTENT;
            reply = reply.header(header::CONTENT_RANGE, object::content_range(&span, size));
            Some(span)
        }
    };
    match body {
        // The metadata and the body are one version (see `Store::get_object`): the span fits.
        Some(body) => Ok(reply.body(match span {
            Some(span) => body.slice(*span.start() as usize..=*span.end() as usize),
            None => body,
        })),
        None => {
            let length = span.map_or(size, |span| span.end() - span.start() + 1);
            Ok(reply.header(header::CONTENT_LENGTH, length.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_s3_rules() {
        for good in ["abc", "my-bucket.assets", "a1b"] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            "Upper",
            "-abc",
            "abc-",
            "a..b",
            "192.168.1.1",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }
}
