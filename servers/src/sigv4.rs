//! The pure building blocks of AWS Signature Version 4 for S3, shared by the side that checks a
//! signature (the bucket server) and the side that makes one (the harness's external-target
//! client): signing-key derivation, HMAC-SHA256, the credential scope, the canonical request, the
//! string to sign, S3's URI encoding and the `X-Amz-Date` format.
//!
//! Nothing here parses a request or decides an error: keeping one copy of the arithmetic means a
//! request the harness signs is checked by exactly the rules the bucket server verifies with.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

/// The only signing algorithm S3 accepts for SigV4.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The SHA-256 of an empty body, in hex.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The payload hash of a request whose body is not signed (always the case for presigned URLs).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        // HMAC accepts keys of any length; this arm is never taken.
        Err(_) => [0; 32],
    }
}

/// The lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The key a signature is made with: the secret chained through date, region, service and the
/// fixed `aws4_request` terminator.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// `20130524/us-east-1/s3/aws4_request`: what a credential is valid for.
pub fn credential_scope(date: &str, region: &str, service: &str) -> String {
    format!("{date}/{region}/{service}/aws4_request")
}

/// The four-line string whose HMAC is the signature.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The hex signature of `string_to_sign` under a key from [`signing_key`].
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// The parts of a canonical request, each already in canonical form except the headers.
#[derive(Debug, Clone)]
pub struct CanonicalRequest<'a> {
    pub method: &'a str,
    /// Already S3-encoded (see [`encode_path`]).
    pub encoded_path: &'a str,
    /// Already canonical (see [`canonical_query`]).
    pub canonical_query: &'a str,
    /// Lower-case names with their (trimmed, comma-joined) values, in signing order: the names
    /// form the signed-headers list in this order.
    pub headers: &'a [(&'a str, String)],
    pub payload_hash: &'a str,
}

impl CanonicalRequest<'_> {
    /// `name;name;…` of the signed headers.
    pub fn signed_headers(&self) -> String {
        self.headers
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The six-part text that [`string_to_sign`] hashes.
    pub fn render(&self) -> String {
        let canonical_headers: String = self
            .headers
            .iter()
            .map(|(name, value)| format!("{name}:{value}\n"))
            .collect();
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.encoded_path,
            self.canonical_query,
            canonical_headers,
            self.signed_headers(),
            self.payload_hash
        )
    }
}

/// Decoded query parameters, each name and value encoded, sorted by name (then value), joined as
/// `name=value&…`.
pub fn canonical_query<N: AsRef<str>, V: AsRef<str>>(
    params: impl IntoIterator<Item = (N, V)>,
) -> String {
    let mut pairs: Vec<(String, String)> = params
        .into_iter()
        .map(|(name, value)| {
            (
                encode_component(name.as_ref()),
                encode_component(value.as_ref()),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// S3's URI encoding of one query name or value: every byte but the unreserved set
/// `A-Z a-z 0-9 - . _ ~` is percent-encoded.
pub fn encode_component(text: &str) -> String {
    uri_encode(text, false)
}

/// S3's URI encoding of a path: like [`encode_component`] but `/` is kept.
pub fn encode_path(path: &str) -> String {
    uri_encode(path, true)
}

fn uri_encode(text: &str, keep_slash: bool) -> String {
    cors_engine::s3::object::uri_encode(text, keep_slash)
}

/// `20130524T000000Z`: the `X-Amz-Date` form of a UTC instant.
pub fn format_amz_date(at: OffsetDateTime) -> String {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// `20130524`: the date of a UTC instant as the credential scope writes it.
pub fn format_scope_date(at: OffsetDateTime) -> String {
    let format = format_description!("[year][month][day]");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Reads an `X-Amz-Date` value; `None` when it is not of the form `20130524T000000Z`.
pub fn parse_amz_date(text: &str) -> Option<OffsetDateTime> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(|at| at.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn example_signature(canonical: &str) -> String {
        let scope = credential_scope("20130524", "us-east-1", "s3");
        let key = signing_key(SECRET, "20130524", "us-east-1", "s3");
        signature(&key, &string_to_sign("20130524T000000Z", &scope, canonical))
    }

    /// The "GET Object" example of the AWS SigV4-for-S3 documentation (header form), whose
    /// published signature is f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41.
    #[test]
    fn header_example_of_the_aws_documentation() {
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com".to_owned()),
            ("range", "bytes=0-9".to_owned()),
            ("x-amz-content-sha256", EMPTY_SHA256.to_owned()),
            ("x-amz-date", "20130524T000000Z".to_owned()),
        ];
        let canonical = CanonicalRequest {
            method: "GET",
            encoded_path: "/test.txt",
            canonical_query: "",
            headers: &headers,
            payload_hash: EMPTY_SHA256,
        };
        assert_eq!(
            canonical.signed_headers(),
            "host;range;x-amz-content-sha256;x-amz-date"
        );
        assert_eq!(
            example_signature(&canonical.render()),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    /// The presigned-URL example of the same documentation (86400 s expiry), whose published
    /// signature is aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404.
    #[test]
    fn presigned_example_of_the_aws_documentation() {
        let query = canonical_query([
            ("X-Amz-Algorithm", ALGORITHM),
            (
                "X-Amz-Credential",
                "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
            ),
            ("X-Amz-Date", "20130524T000000Z"),
            ("X-Amz-Expires", "86400"),
            ("X-Amz-SignedHeaders", "host"),
        ]);
        let headers = [("host", "examplebucket.s3.amazonaws.com".to_owned())];
        let canonical = CanonicalRequest {
            method: "GET",
            encoded_path: "/test.txt",
            canonical_query: &query,
            headers: &headers,
            payload_hash: UNSIGNED_PAYLOAD,
        };
        assert_eq!(
            example_signature(&canonical.render()),
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    #[test]
    fn encoding_keeps_only_unreserved_bytes() {
        assert_eq!(encode_path("/a b/c+d~é*"), "/a%20b/c%2Bd~%C3%A9%2A");
        assert_eq!(encode_component("a/b=c"), "a%2Fb%3Dc");
    }

    #[test]
    fn canonical_query_sorts_by_encoded_name_then_value() {
        assert_eq!(
            canonical_query([("b", "2"), ("a b", ""), ("a", "z"), ("a", "y")]),
            "a=y&a=z&a%20b=&b=2"
        );
    }

    #[test]
    fn amz_dates_format_and_parse_back() {
        // 2000-02-29T01:01:01Z: a leap day, away from midnight.
        let at = time::macros::datetime!(2000-02-29 01:01:01 UTC);
        assert_eq!(format_amz_date(at), "20000229T010101Z");
        assert_eq!(format_scope_date(at), "20000229");
        assert_eq!(parse_amz_date("20000229T010101Z"), Some(at));
        assert_eq!(parse_amz_date("2000-02-29"), None);
    }
}
