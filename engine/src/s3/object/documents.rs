//! The XML documents of S3's object and bucket operations: ListBuckets, ListObjects (V1 and
//! V2), the multipart upload results, DeleteObjects' result and a form upload's
//! `PostResponse`. Dates come in already formatted (ISO 8601 with milliseconds, as S3 writes
//! them in XML): the caller owns the clock.

use crate::config::S3_NAMESPACE;
use crate::xml::push_element;

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
/// The owner every bucket and object belongs to (one emulated account).
const OWNER_ID: &str = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
const OWNER_NAME: &str = "cors-harness";

fn open(root: &str) -> String {
    let mut xml = String::with_capacity(256);
    xml.push_str(DECLARATION);
    xml.push('<');
    xml.push_str(root);
    xml.push_str(" xmlns=\"");
    xml.push_str(S3_NAMESPACE);
    xml.push_str("\">");
    xml
}

fn owner(xml: &mut String) {
    xml.push_str("<Owner>");
    push_element(xml, "ID", OWNER_ID);
    push_element(xml, "DisplayName", OWNER_NAME);
    xml.push_str("</Owner>");
}

/// One bucket of a ListBuckets answer.
#[derive(Debug, Clone, Copy)]
pub struct BucketEntry<'a> {
    pub name: &'a str,
    /// ISO 8601, e.g. `2026-11-24T12:00:00.000Z`.
    pub created: &'a str,
}

pub fn list_buckets(buckets: &[BucketEntry<'_>]) -> String {
    let mut xml = open("ListAllMyBucketsResult");
    owner(&mut xml);
    xml.push_str("<Buckets>");
    for bucket in buckets {
        xml.push_str("<Bucket>");
        push_element(&mut xml, "Name", bucket.name);
        push_element(&mut xml, "CreationDate", bucket.created);
        xml.push_str("</Bucket>");
    }
    xml.push_str("</Buckets></ListAllMyBucketsResult>");
    xml
}

/// The request parameters a listing echoes, and where the page ends.
#[derive(Debug, Clone, Default)]
pub struct ListEcho<'a> {
    pub bucket: &'a str,
    pub prefix: &'a str,
    pub delimiter: Option<&'a str>,
    pub max_keys: usize,
    /// V2: `ContinuationToken` and `StartAfter` as received.
    pub continuation_token: Option<&'a str>,
    pub start_after: Option<&'a str>,
    /// V1: `Marker` as received.
    pub marker: Option<&'a str>,
    /// V2: the token of the next page, when the listing was cut.
    pub next_token: Option<&'a str>,
    /// The last key or common prefix returned when the listing was cut at `max_keys`.
    pub next_after: Option<&'a str>,
    pub version_2: bool,
}

/// One object of a listing.
#[derive(Debug, Clone, Copy)]
pub struct ListEntry<'a> {
    pub key: &'a str,
    /// ISO 8601, e.g. `2026-11-24T12:00:00.000Z`.
    pub last_modified: &'a str,
    /// Quoted, as in the `ETag` header.
    pub etag: &'a str,
    pub size: u64,
}

pub fn list_objects(
    echo: &ListEcho<'_>,
    objects: &[ListEntry<'_>],
    common_prefixes: &[String],
) -> String {
    let mut xml = open("ListBucketResult");
    push_element(&mut xml, "Name", echo.bucket);
    push_element(&mut xml, "Prefix", echo.prefix);
    if echo.version_2 {
        if let Some(token) = echo.continuation_token {
            push_element(&mut xml, "ContinuationToken", token);
        }
        if let Some(token) = echo.next_token {
            push_element(&mut xml, "NextContinuationToken", token);
        }
        if let Some(start_after) = echo.start_after {
            push_element(&mut xml, "StartAfter", start_after);
        }
        let count = objects.len() + common_prefixes.len();
        push_element(&mut xml, "KeyCount", &count.to_string());
    } else {
        push_element(&mut xml, "Marker", echo.marker.unwrap_or(""));
        if echo.delimiter.is_some()
            && let Some(next) = echo.next_after
        {
            push_element(&mut xml, "NextMarker", next);
        }
    }
    push_element(&mut xml, "MaxKeys", &echo.max_keys.to_string());
    if let Some(delimiter) = echo.delimiter {
        push_element(&mut xml, "Delimiter", delimiter);
    }
    let truncated = echo.next_after.is_some();
    push_element(
        &mut xml,
        "IsTruncated",
        if truncated { "true" } else { "false" },
    );
    for object in objects {
        xml.push_str("<Contents>");
        push_element(&mut xml, "Key", object.key);
        push_element(&mut xml, "LastModified", object.last_modified);
        push_element(&mut xml, "ETag", object.etag);
        push_element(&mut xml, "Size", &object.size.to_string());
        if !echo.version_2 {
            owner(&mut xml);
        }
        push_element(&mut xml, "StorageClass", "STANDARD");
        xml.push_str("</Contents>");
    }
    for prefix in common_prefixes {
        xml.push_str("<CommonPrefixes>");
        push_element(&mut xml, "Prefix", prefix);
        xml.push_str("</CommonPrefixes>");
    }
    xml.push_str("</ListBucketResult>");
    xml
}

pub fn initiate_multipart_upload(bucket: &str, key: &str, upload_id: &str) -> String {
    let mut xml = open("InitiateMultipartUploadResult");
    push_element(&mut xml, "Bucket", bucket);
    push_element(&mut xml, "Key", key);
    push_element(&mut xml, "UploadId", upload_id);
    xml.push_str("</InitiateMultipartUploadResult>");
    xml
}

pub fn complete_multipart_upload(location: &str, bucket: &str, key: &str, etag: &str) -> String {
    let xml = open("CompleteMultipartUploadResult");
    stored_object(
        xml,
        "CompleteMultipartUploadResult",
        location,
        bucket,
        key,
        etag,
    )
}

/// The body of a form upload answered 201 (`success_action_status=201`); no namespace.
pub fn post_response(location: &str, bucket: &str, key: &str, etag: &str) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str("<PostResponse>");
    stored_object(xml, "PostResponse", location, bucket, key, etag)
}

/// The elements naming a newly stored object, and the root's end tag.
fn stored_object(
    mut xml: String,
    root: &str,
    location: &str,
    bucket: &str,
    key: &str,
    etag: &str,
) -> String {
    push_element(&mut xml, "Location", location);
    push_element(&mut xml, "Bucket", bucket);
    push_element(&mut xml, "Key", key);
    push_element(&mut xml, "ETag", etag);
    xml.push_str("</");
    xml.push_str(root);
    xml.push('>');
    xml
}

pub fn delete_result(deleted: &[&str]) -> String {
    let mut xml = open("DeleteResult");
    for key in deleted {
        xml.push_str("<Deleted>");
        push_element(&mut xml, "Key", key);
        xml.push_str("</Deleted>");
    }
    xml.push_str("</DeleteResult>");
    xml
}
