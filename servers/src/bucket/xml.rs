//! XML bodies of the non-CORS operations: the listings, the multipart results, and the
//! CompleteMultipartUpload request body.

use serde::Deserialize;
use time::OffsetDateTime;

use super::render::{iso_date, push_element};
use super::storage::Listing;

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";
/// The owner every bucket and object belongs to (one emulated account).
const OWNER_ID: &str = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
const OWNER_NAME: &str = "cors-harness";

fn open(root: &str) -> String {
    format!("{DECLARATION}<{root} xmlns=\"{NAMESPACE}\">")
}

fn owner(xml: &mut String) {
    xml.push_str("<Owner>");
    push_element(xml, "ID", OWNER_ID);
    push_element(xml, "DisplayName", OWNER_NAME);
    xml.push_str("</Owner>");
}

pub(crate) fn list_buckets(buckets: &[(String, OffsetDateTime)]) -> String {
    let mut xml = open("ListAllMyBucketsResult");
    owner(&mut xml);
    xml.push_str("<Buckets>");
    for (name, created) in buckets {
        xml.push_str("<Bucket>");
        push_element(&mut xml, "Name", name);
        push_element(&mut xml, "CreationDate", &iso_date(*created));
        xml.push_str("</Bucket>");
    }
    xml.push_str("</Buckets></ListAllMyBucketsResult>");
    xml
}

/// The parameters echoed back in a listing.
pub(crate) struct ListEcho<'a> {
    pub(crate) bucket: &'a str,
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: Option<&'a str>,
    pub(crate) max_keys: usize,
    /// V2: `ContinuationToken`/`StartAfter` as received; V1: `Marker`.
    pub(crate) continuation_token: Option<&'a str>,
    pub(crate) start_after: Option<&'a str>,
    pub(crate) marker: Option<&'a str>,
    pub(crate) next_token: Option<String>,
    pub(crate) version_2: bool,
}

pub(crate) fn list_objects(echo: &ListEcho<'_>, listing: &Listing) -> String {
    let mut xml = open("ListBucketResult");
    push_element(&mut xml, "Name", echo.bucket);
    push_element(&mut xml, "Prefix", echo.prefix);
    if echo.version_2 {
        if let Some(token) = echo.continuation_token {
            push_element(&mut xml, "ContinuationToken", token);
        }
        if let Some(token) = &echo.next_token {
            push_element(&mut xml, "NextContinuationToken", token);
        }
        if let Some(start_after) = echo.start_after {
            push_element(&mut xml, "StartAfter", start_after);
        }
        let count = listing.objects.len() + listing.common_prefixes.len();
        push_element(&mut xml, "KeyCount", &count.to_string());
    } else {
        push_element(&mut xml, "Marker", echo.marker.unwrap_or(""));
        if echo.delimiter.is_some()
            && let Some(next) = &listing.next_after
        {
            push_element(&mut xml, "NextMarker", next);
        }
    }
    push_element(&mut xml, "MaxKeys", &echo.max_keys.to_string());
    if let Some(delimiter) = echo.delimiter {
        push_element(&mut xml, "Delimiter", delimiter);
    }
    let truncated = listing.next_after.is_some();
    push_element(
        &mut xml,
        "IsTruncated",
        if truncated { "true" } else { "false" },
    );
    for object in &listing.objects {
        xml.push_str("<Contents>");
        push_element(&mut xml, "Key", &object.key);
        push_element(&mut xml, "LastModified", &iso_date(object.last_modified));
        push_element(&mut xml, "ETag", &object.etag);
        push_element(&mut xml, "Size", &object.body.len().to_string());
        if !echo.version_2 {
            owner(&mut xml);
        }
        push_element(&mut xml, "StorageClass", "STANDARD");
        xml.push_str("</Contents>");
    }
    for prefix in &listing.common_prefixes {
        xml.push_str("<CommonPrefixes>");
        push_element(&mut xml, "Prefix", prefix);
        xml.push_str("</CommonPrefixes>");
    }
    xml.push_str("</ListBucketResult>");
    xml
}

pub(crate) fn initiate_multipart_upload(bucket: &str, key: &str, upload_id: &str) -> String {
    let mut xml = open("InitiateMultipartUploadResult");
    push_element(&mut xml, "Bucket", bucket);
    push_element(&mut xml, "Key", key);
    push_element(&mut xml, "UploadId", upload_id);
    xml.push_str("</InitiateMultipartUploadResult>");
    xml
}

pub(crate) fn complete_multipart_upload(
    location: &str,
    bucket: &str,
    key: &str,
    etag: &str,
) -> String {
    let mut xml = open("CompleteMultipartUploadResult");
    push_element(&mut xml, "Location", location);
    push_element(&mut xml, "Bucket", bucket);
    push_element(&mut xml, "Key", key);
    push_element(&mut xml, "ETag", etag);
    xml.push_str("</CompleteMultipartUploadResult>");
    xml
}

#[derive(Debug, Deserialize)]
struct CompleteMultipartUpload {
    #[serde(rename = "Part", default)]
    parts: Vec<CompletedPart>,
}

#[derive(Debug, Deserialize)]
struct CompletedPart {
    #[serde(rename = "PartNumber")]
    part_number: u32,
    #[serde(rename = "ETag")]
    etag: String,
}

/// The `(part number, ETag)` list of a CompleteMultipartUpload body; `None` when it is not one.
pub(crate) fn parse_complete_multipart_upload(body: &[u8]) -> Option<Vec<(u32, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("CompleteMultipartUpload") {
        return None;
    }
    let document: CompleteMultipartUpload = quick_xml::de::from_str(text).ok()?;
    Some(
        document
            .parts
            .into_iter()
            .map(|part| (part.part_number, part.etag))
            .collect(),
    )
}

/// A DeleteObjects request body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DeleteRequest {
    pub(crate) keys: Vec<String>,
    pub(crate) quiet: bool,
}

#[derive(Debug, Deserialize)]
struct Delete {
    #[serde(rename = "Object", default)]
    objects: Vec<ObjectIdentifier>,
    #[serde(rename = "Quiet", default)]
    quiet: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ObjectIdentifier {
    #[serde(rename = "Key")]
    key: String,
}

/// Reads `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`; `None` when the
/// body is not one (S3 allows at most 1000 keys).
pub(crate) fn parse_delete_objects(body: &[u8]) -> Option<DeleteRequest> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("<Delete") {
        return None;
    }
    let document: Delete = quick_xml::de::from_str(text).ok()?;
    if document.objects.is_empty() || document.objects.len() > 1000 {
        return None;
    }
    Some(DeleteRequest {
        keys: document.objects.into_iter().map(|o| o.key).collect(),
        quiet: document.quiet.is_some_and(|q| q.trim() == "true"),
    })
}

pub(crate) fn delete_result(deleted: &[&str]) -> String {
    let mut xml = open("DeleteResult");
    for key in deleted {
        xml.push_str("<Deleted>");
        push_element(&mut xml, "Key", key);
        xml.push_str("</Deleted>");
    }
    xml.push_str("</DeleteResult>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_body_from_botocore_parses() {
        let body = br#"<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"aa"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>x</ChecksumCRC32></Part><Part><ETag>"bb"</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>"#;
        assert_eq!(
            parse_complete_multipart_upload(body),
            Some(vec![(1, "\"aa\"".to_owned()), (2, "\"bb\"".to_owned())])
        );
        assert_eq!(parse_complete_multipart_upload(b"<junk"), None);
        assert_eq!(parse_complete_multipart_upload(b"\xff\xfe"), None);
    }

    #[test]
    fn delete_body_from_botocore_parses() {
        let body = br#"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a b</Key></Object><Object><Key>c</Key></Object><Quiet>true</Quiet></Delete>"#;
        assert_eq!(
            parse_delete_objects(body),
            Some(DeleteRequest {
                keys: vec!["a b".into(), "c".into()],
                quiet: true
            })
        );
        assert_eq!(parse_delete_objects(b"<Delete></Delete>"), None);
        assert_eq!(parse_delete_objects(b"junk"), None);
    }
}
