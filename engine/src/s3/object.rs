//! S3's object operations, as pure functions both the prediction's bucket model and the bucket
//! server call: how a `Range` header is read, how a browser form upload is read, the `ETag` of a
//! stored body, and the XML documents of the listings and upload results. Nothing here stores
//! anything or reads a clock: callers pass the bytes they hold and the dates they stamp.
//!
//! The object-level error answers are [`crate::s3::S3Error`] constructors.

mod documents;
mod form;
mod range;

use md5::{Digest, Md5};

use crate::http::HeaderText;

pub use documents::{
    BucketEntry, ListEcho, ListEntry, complete_multipart_upload, delete_result,
    initiate_multipart_upload, list_buckets, list_objects, post_response,
};
pub use form::{FormField, PostForm, parse_form, read_post_form};
pub use range::{RangeRequest, content_range, resolve_range};

/// The `Content-Type` S3 gives an object uploaded without one.
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";

/// Request headers S3 stores with an uploaded object and sends back on GET/HEAD (besides
/// `x-amz-meta-*`). A form upload stores the fields of these names, except
/// `Content-Language` and the redirect location, which S3 takes only from headers.
pub const STORED_HEADERS: &[&str] = &[
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "x-amz-website-redirect-location",
];

/// The `Location` S3 gives an object created by a form upload or a completed multipart upload:
/// path-style on the host the request was sent to, the key URI-encoded.
pub fn location(host: &str, bucket: &str, key: &str) -> String {
    format!("http://{host}/{bucket}/{}", uri_encode(key, true))
}

/// S3's URI encoding: every byte but the unreserved set `A-Z a-z 0-9 - . _ ~` (and `/` when
/// `keep_slash`) is percent-encoded, in upper-case hex.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// The response headers a GetObject may override with a `response-<name>` query parameter
/// (besides `response-content-type`), in the order S3 writes them; an override replaces the
/// header stored with the object.
pub const RESPONSE_OVERRIDES: [&str; 5] = [
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
];

/// [`etag`] of an empty body: the MD5 of no bytes.
const EMPTY_BODY_ETAG: &str = "\"d41d8cd98f00b204e9800998ecf8427e\"";

/// The quoted MD5 hex S3 uses as the `ETag` of a single-part upload.
pub fn etag(body: &[u8]) -> String {
    etag_text(body).into()
}

/// [`etag`] written straight into a header text.
pub(crate) fn etag_text(body: &[u8]) -> HeaderText {
    // Uploads without a body (a bare PUT, a multipart part placeholder) are common enough in
    // scenarios to skip hashing nothing.
    if body.is_empty() {
        return HeaderText::from_static(EMPTY_BODY_ETAG);
    }
    let digest: [u8; 16] = Md5::digest(body).into();
    // Built on the stack: the header text is the one allocation.
    let mut quoted = [b'"'; 34];
    for (i, byte) in digest.iter().enumerate() {
        quoted[1 + 2 * i] = HEX[usize::from(byte >> 4)];
        quoted[2 + 2 * i] = HEX[usize::from(byte & 0x0f)];
    }
    // Quotes and hex digits only: always ASCII.
    HeaderText::from(std::str::from_utf8(&quoted).unwrap_or_default())
}

/// The `ETag` of an object completed from multipart parts: the MD5 of the parts' MD5 digests
/// (in part order), then `-` and the number of parts.
pub fn multipart_etag(part_digests: &[[u8; 16]]) -> String {
    let mut digests = Md5::new();
    for digest in part_digests {
        digests.update(digest);
    }
    let mut out = String::with_capacity(40);
    out.push('"');
    for byte in digests.finalize() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out.push('-');
    out.push_str(&part_digests.len().to_string());
    out.push('"');
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_quoted_md5_hex() {
        assert_eq!(etag(b""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
        assert_eq!(etag(b"hello"), "\"5d41402abc4b2a76b9719d911017c592\"");
        let part: [u8; 16] = Md5::digest(b"hello").into();
        assert!(multipart_etag(&[part, part]).ends_with("-2\""));
    }
}
