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
    /// `encoding-type=url`: keys, prefixes, the delimiter and the markers are written
    /// URL-encoded, and `<EncodingType>url</EncodingType>` says so.
    pub url_encoded: bool,
}

/// How S3 writes a key under `encoding-type=url`: letters, digits and `-_.*/` as they are, a
/// space as `+`, every other byte of the UTF-8 as `%XX` (upper-case hex).
fn url_encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' | b'/' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
    let text = |value: &str| {
        if echo.url_encoded {
            url_encode_key(value)
        } else {
            value.to_owned()
        }
    };
    let mut xml = open("ListBucketResult");
    push_element(&mut xml, "Name", echo.bucket);
    push_element(&mut xml, "Prefix", &text(echo.prefix));
    if echo.version_2 {
        if let Some(token) = echo.continuation_token {
            push_element(&mut xml, "ContinuationToken", token);
        }
        if let Some(token) = echo.next_token {
            push_element(&mut xml, "NextContinuationToken", token);
        }
        if let Some(start_after) = echo.start_after {
            push_element(&mut xml, "StartAfter", &text(start_after));
        }
        let count = objects.len() + common_prefixes.len();
        push_element(&mut xml, "KeyCount", &count.to_string());
    } else {
        push_element(&mut xml, "Marker", &text(echo.marker.unwrap_or("")));
        if echo.delimiter.is_some()
            && let Some(next) = echo.next_after
        {
            push_element(&mut xml, "NextMarker", &text(next));
        }
    }
    push_element(&mut xml, "MaxKeys", &echo.max_keys.to_string());
    if let Some(delimiter) = echo.delimiter {
        push_element(&mut xml, "Delimiter", &text(delimiter));
    }
    if echo.url_encoded {
        push_element(&mut xml, "EncodingType", "url");
    }
    let truncated = echo.next_after.is_some();
    push_element(
        &mut xml,
        "IsTruncated",
        if truncated { "true" } else { "false" },
    );
    for object in objects {
        xml.push_str("<Contents>");
        push_element(&mut xml, "Key", &text(object.key));
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
        push_element(&mut xml, "Prefix", &text(prefix));
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

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("photos/2006/a-b_c.d*e", "photos/2006/a-b_c.d*e")]
    #[case::space_is_plus("a b", "a+b")]
    #[case::reserved("test_file(3).png", "test_file%283%29.png")]
    #[case::plus_and_percent("a+b%", "a%2Bb%25")]
    #[case::control("a\u{1}b", "a%01b")]
    #[case::non_ascii("\u{e9}\u{fffd}", "%C3%A9%EF%BF%BD")]
    fn keys_are_url_encoded_as_s3_writes_them(#[case] key: &str, #[case] encoded: &str) {
        assert_eq!(url_encode_key(key), encoded);
    }

    fn listing(key: &str, url_encoded: bool) -> String {
        let echo = ListEcho {
            bucket: "b",
            prefix: "p\u{1}",
            max_keys: 1000,
            version_2: true,
            url_encoded,
            ..ListEcho::default()
        };
        let entry = ListEntry {
            key,
            last_modified: "2026-01-01T00:00:00.000Z",
            etag: "\"e\"",
            size: 1,
        };
        list_objects(&echo, &[entry], &["c\u{2}/".to_owned()])
    }

    #[rstest]
    #[case::raw(
        false,
        "<Key>p&#x1;a&#xd;b&#x1f;&#x7f;</Key>",
        "<Prefix>c&#x2;/</Prefix>"
    )]
    #[case::url(true, "<Key>p%01a%0Db%1F%7F</Key>", "<Prefix>c%02/</Prefix>")]
    fn listings_never_carry_raw_control_characters(
        #[case] url_encoded: bool,
        #[case] key_element: &str,
        #[case] common_prefix: &str,
    ) {
        let xml = listing("p\u{1}a\rb\u{1f}\u{7f}", url_encoded);
        assert!(xml.contains(key_element), "{xml}");
        assert!(xml.contains(common_prefix), "{xml}");
        assert_eq!(
            xml.contains("<EncodingType>url</EncodingType>"),
            url_encoded
        );
        assert!(
            !xml.chars().any(|c| c.is_ascii_control() && c != '\n'),
            "{xml:?}"
        );
    }
}
