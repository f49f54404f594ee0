//! AWS Signature Version 4 verification, header (`Authorization: AWS4-HMAC-SHA256 …`) and
//! presigned-query (`X-Amz-Algorithm=AWS4-HMAC-SHA256&…`) forms, following the AWS SigV4 document
//! for S3: canonical URI encoded once, canonical query sorted and strictly encoded, signed headers
//! with trimmed values, and the payload hash taken from `x-amz-content-sha256` (`UNSIGNED-PAYLOAD`,
//! a hex SHA-256, or a `STREAMING-*` marker whose body is aws-chunked).

use http::HeaderMap;
use time::OffsetDateTime;
use time::macros::format_description;

use super::AwsKeys;
use super::encoding::{parse_query, percent_decode};
use super::errors;
use crate::sigv4::{
    ALGORITHM, CanonicalRequest, EMPTY_SHA256, canonical_query, credential_scope, encode_path,
    parse_amz_date, sha256_hex, signature, signing_key, string_to_sign,
};
use cors_engine::s3::S3Error;

/// The request parts a signature covers.
pub(crate) struct SignedRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) raw_path: &'a str,
    pub(crate) raw_query: &'a str,
    pub(crate) headers: &'a HeaderMap,
}

/// What the signer said about the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PayloadClaim {
    /// A hex SHA-256 the body must match.
    Sha256(String),
    Unsigned,
    /// aws-chunked body; `signed` chunks carry chunk signatures.
    Streaming {
        signed: bool,
    },
}

impl PayloadClaim {
    /// Reads `x-amz-content-sha256`; `None` for a value S3 would refuse.
    pub(crate) fn from_header(value: &str) -> Option<Self> {
        match value {
            "UNSIGNED-PAYLOAD" => Some(PayloadClaim::Unsigned),
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => Some(PayloadClaim::Streaming { signed: false }),
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => {
                Some(PayloadClaim::Streaming { signed: true })
            }
            hash if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(PayloadClaim::Sha256(hash.to_ascii_lowercase()))
            }
            _ => None,
        }
    }
}

/// What a verified request lets the body reader check next.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// Present for header-signed requests with signed streaming bodies.
    pub(crate) chunk_signer: Option<ChunkSigner>,
}

/// Checks the chunk signatures of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body.
#[derive(Debug, Clone)]
pub(crate) struct ChunkSigner {
    signing_key: [u8; 32],
    amz_date: String,
    scope: String,
    seed_signature: String,
}

impl ChunkSigner {
    /// Verifies each chunk's signature against the chain started by the request signature.
    pub(crate) fn verify<'a>(
        &self,
        chunks: impl IntoIterator<Item = (&'a [u8], Option<&'a str>)>,
    ) -> bool {
        let mut previous = self.seed_signature.clone();
        for (data, signature) in chunks {
            let string_to_sign = format!(
                "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{}\n{}\n{}",
                self.amz_date,
                self.scope,
                previous,
                EMPTY_SHA256,
                sha256_hex(data)
            );
            let expected = crate::sigv4::signature(&self.signing_key, &string_to_sign);
            match signature {
                Some(given) if constant_time_eq(given.as_bytes(), expected.as_bytes()) => {
                    previous = expected;
                }
                _ => return false,
            }
        }
        true
    }
}

/// The parsed signature parameters, from either form.
struct Authorization {
    access_key: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
    amz_date: String,
    /// `amz_date` read as an instant.
    signed_at: OffsetDateTime,
    presigned: bool,
    /// Presigned URLs only: `X-Amz-Expires`, how long after `signed_at` the URL stays valid.
    lifetime: Option<time::Duration>,
}

/// How far a header-signed request's `x-amz-date` may be from the server's clock, and how far in
/// the future a presigned URL's `X-Amz-Date` may lie (docs/facts/s3.md §13).
const MAX_SKEW: time::Duration = time::Duration::minutes(15);

/// The longest `X-Amz-Expires` S3 accepts: seven days.
const MAX_LIFETIME_SECONDS: i64 = 7 * 24 * 60 * 60;

/// Verifies the request's signature; `Err` is the S3 error to answer with.
pub(crate) fn verify(
    credentials: &AwsKeys,
    request: &SignedRequest<'_>,
    now: OffsetDateTime,
) -> Result<Verified, S3Error> {
    let authorization = parse_authorization(request)?;
    if authorization.access_key != credentials.access_key {
        return Err(errors::invalid_access_key_id(&authorization.access_key));
    }
    check_time(&authorization, now)?;
    if !authorization
        .signed_headers
        .iter()
        .any(|name| name == "host")
    {
        return Err(errors::headers_not_signed("host"));
    }
    let payload_hash = match request.headers.get("x-amz-content-sha256") {
        Some(value) => value.to_str().unwrap_or("").to_owned(),
        None if authorization.presigned => "UNSIGNED-PAYLOAD".to_owned(),
        None => {
            return Err(S3Error::invalid_request(
                "Missing required header for this request: x-amz-content-sha256",
            ));
        }
    };
    let canonical = canonical_request(request, &authorization, &payload_hash);
    let scope = credential_scope(
        &authorization.date,
        &authorization.region,
        &authorization.service,
    );
    let string_to_sign = string_to_sign(&authorization.amz_date, &scope, &canonical);
    let signing_key = signing_key(
        &credentials.secret_key,
        &authorization.date,
        &authorization.region,
        &authorization.service,
    );
    let expected = signature(&signing_key, &string_to_sign);
    if !constant_time_eq(expected.as_bytes(), authorization.signature.as_bytes()) {
        return Err(errors::signature_does_not_match(
            &authorization.access_key,
            &string_to_sign,
            &authorization.signature,
            &canonical,
        ));
    }
    let streaming_signed = matches!(
        PayloadClaim::from_header(&payload_hash),
        Some(PayloadClaim::Streaming { signed: true })
    );
    Ok(Verified {
        chunk_signer: streaming_signed.then(|| ChunkSigner {
            signing_key,
            amz_date: authorization.amz_date.clone(),
            scope,
            seed_signature: authorization.signature.clone(),
        }),
    })
}

fn parse_authorization(request: &SignedRequest<'_>) -> Result<Authorization, S3Error> {
    let query = parse_query(request.raw_query);
    let query_value = |name: &str| {
        query
            .iter()
            .find(|param| param.name == name)
            .map(|param| param.value.clone())
    };
    if let Some(algorithm) = query_value("X-Amz-Algorithm") {
        if algorithm != ALGORITHM {
            return Err(S3Error::invalid_argument(
                "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"",
                "X-Amz-Algorithm",
                &algorithm,
            ));
        }
        let missing = |name: &str| {
            errors::authorization_query_parameters_error(&format!(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters. ({name} is missing)"
            ))
        };
        let credential =
            query_value("X-Amz-Credential").ok_or_else(|| missing("X-Amz-Credential"))?;
        let (access_key, date, region, service) = split_credential(&credential)?;
        let expires = query_value("X-Amz-Expires").ok_or_else(|| missing("X-Amz-Expires"))?;
        let amz_date = query_value("X-Amz-Date").ok_or_else(|| missing("X-Amz-Date"))?;
        let (signed_at, lifetime) = presigned_validity(&amz_date, &expires)?;
        return Ok(Authorization {
            access_key,
            date,
            region,
            service,
            signed_headers: query_value("X-Amz-SignedHeaders")
                .ok_or_else(|| missing("X-Amz-SignedHeaders"))?
                .split(';')
                .map(str::to_owned)
                .collect(),
            signature: query_value("X-Amz-Signature").ok_or_else(|| missing("X-Amz-Signature"))?,
            amz_date,
            signed_at,
            presigned: true,
            lifetime: Some(lifetime),
        });
    }
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(S3Error::access_denied)?;
    let Some(parameters) = header.strip_prefix(ALGORITHM) else {
        // SigV2 (`AWS key:signature`) and anything else.
        return Err(S3Error::invalid_request(
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
        ));
    };
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for item in parameters.split(',') {
        match item.trim().split_once('=') {
            Some(("Credential", value)) => credential = Some(value.trim().to_owned()),
            Some(("SignedHeaders", value)) => signed_headers = Some(value.trim().to_owned()),
            Some(("Signature", value)) => signature = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(errors::authorization_header_malformed(
            "the Credential, SignedHeaders and Signature parameters are required.",
        ));
    };
    let (access_key, date, region, service) = split_credential(&credential)?;
    let amz_date = request
        .headers
        .get("x-amz-date")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(errors::missing_date)?;
    let signed_at = parse_amz_date(&amz_date).ok_or_else(errors::missing_date)?;
    Ok(Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers: signed_headers.split(';').map(str::to_owned).collect(),
        signature,
        amz_date,
        signed_at,
        presigned: false,
        lifetime: None,
    })
}

/// Reads `X-Amz-Date` and `X-Amz-Expires` of a presigned URL with S3's refusals: a date in the
/// ISO 8601 basic form, a number of seconds from 0 to seven days (docs/facts/s3.md §13).
fn presigned_validity(
    amz_date: &str,
    expires: &str,
) -> Result<(OffsetDateTime, time::Duration), S3Error> {
    let signed_at = parse_amz_date(amz_date).ok_or_else(|| {
        errors::authorization_query_parameters_error(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        )
    })?;
    let seconds = expires.parse::<i64>().map_err(|_| {
        errors::authorization_query_parameters_error("X-Amz-Expires should be a number")
    })?;
    if seconds < 0 {
        return Err(errors::authorization_query_parameters_error(
            "X-Amz-Expires must be non-negative",
        ));
    }
    if seconds > MAX_LIFETIME_SECONDS {
        return Err(errors::authorization_query_parameters_error(&format!(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than {MAX_LIFETIME_SECONDS} seconds"
        )));
    }
    Ok((signed_at, time::Duration::seconds(seconds)))
}

/// The signing time against the server's clock: a header-signed request within 15 minutes either
/// way, a presigned URL neither dated more than 15 minutes ahead nor past its lifetime. Sums that
/// leave the calendar `time` represents (year ±9999) mean the limit cannot be reached.
fn check_time(authorization: &Authorization, now: OffsetDateTime) -> Result<(), S3Error> {
    let signed_at = authorization.signed_at;
    let too_early = signed_at
        .checked_sub(MAX_SKEW)
        .is_some_and(|earliest| now < earliest);
    match authorization.lifetime {
        None => {
            let too_late = signed_at
                .checked_add(MAX_SKEW)
                .is_some_and(|latest| now > latest);
            if too_early || too_late {
                return Err(errors::request_time_too_skewed(
                    &authorization.amz_date,
                    &iso_seconds(now),
                    MAX_SKEW.whole_milliseconds(),
                ));
            }
        }
        Some(lifetime) => {
            let expires_at = signed_at.checked_add(lifetime);
            if too_early {
                return Err(errors::request_not_yet_valid(
                    &(signed_at.unix_timestamp() * 1000).to_string(),
                    &expires_at.map(iso_seconds).unwrap_or_default(),
                    &iso_seconds(now),
                ));
            }
            if let Some(expires_at) = expires_at
                && now > expires_at
            {
                return Err(errors::request_expired(
                    &iso_seconds(expires_at),
                    &iso_seconds(now),
                ));
            }
        }
    }
    Ok(())
}

/// `AKID/20130524/us-east-1/s3/aws4_request` → its four useful parts.
fn split_credential(credential: &str) -> Result<(String, String, String, String), S3Error> {
    let parts: Vec<&str> = credential.split('/').collect();
    match parts.as_slice() {
        [key, date, region, service, "aws4_request"] => Ok((
            (*key).to_owned(),
            (*date).to_owned(),
            (*region).to_owned(),
            (*service).to_owned(),
        )),
        _ => Err(errors::authorization_header_malformed(&format!(
            "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\". ({credential})"
        ))),
    }
}

fn canonical_request(
    request: &SignedRequest<'_>,
    authorization: &Authorization,
    payload_hash: &str,
) -> String {
    let path = if request.raw_path.is_empty() {
        "/"
    } else {
        request.raw_path
    };
    let encoded_path = encode_path(&percent_decode(path));
    let canonical_query = canonical_query(
        parse_query(request.raw_query)
            .into_iter()
            .filter(|param| !(authorization.presigned && param.name == "X-Amz-Signature"))
            .map(|param| (param.name, param.value)),
    );
    let headers: Vec<(&str, String)> = authorization
        .signed_headers
        .iter()
        .map(|name| {
            let values: Vec<String> = request
                .headers
                .get_all(name.as_str())
                .iter()
                .map(|value| collapse_whitespace(&String::from_utf8_lossy(value.as_bytes())))
                .collect();
            (name.as_str(), values.join(","))
        })
        .collect();
    CanonicalRequest {
        method: request.method,
        encoded_path: &encoded_path,
        canonical_query: &canonical_query,
        headers: &headers,
        payload_hash,
    }
    .render()
}

fn collapse_whitespace(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn iso_seconds(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "GET Object" example of the AWS SigV4 documentation for S3 (header form).
    #[test]
    fn aws_documentation_get_object_example_verifies() {
        let credentials = AwsKeys {
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let mut headers = HeaderMap::new();
        headers.insert("host", "examplebucket.s3.amazonaws.com".parse().unwrap());
        headers.insert("range", "bytes=0-9".parse().unwrap());
        headers.insert("x-amz-content-sha256", EMPTY_SHA256.parse().unwrap());
        headers.insert("x-amz-date", "20130524T000000Z".parse().unwrap());
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
                .parse()
                .unwrap(),
        );
        let request = SignedRequest {
            method: "GET",
            raw_path: "/test.txt",
            raw_query: "",
            headers: &headers,
        };
        let now = time::macros::datetime!(2013-05-24 00:14:59 UTC);
        assert!(verify(&credentials, &request, now).is_ok());
        for skewed in [
            time::macros::datetime!(2013-05-24 00:15:01 UTC),
            time::macros::datetime!(2013-05-23 23:44:59 UTC),
        ] {
            let error = verify(&credentials, &request, skewed).unwrap_err();
            assert_eq!(error.code, "RequestTimeTooSkewed");
            assert_eq!(
                error.extras,
                [
                    ("RequestTime".to_owned(), "20130524T000000Z".to_owned()),
                    ("ServerTime".to_owned(), iso_seconds(skewed)),
                    ("MaxAllowedSkewMilliseconds".to_owned(), "900000".to_owned()),
                ]
            );
        }

        let wrong = AwsKeys {
            secret_key: "other".into(),
            ..credentials.clone()
        };
        let error = verify(&wrong, &request, now).unwrap_err();
        assert_eq!(error.code, "SignatureDoesNotMatch");
        let stranger = AwsKeys {
            access_key: "AKIDOTHER".into(),
            ..credentials
        };
        assert_eq!(
            verify(&stranger, &request, now).unwrap_err().code,
            "InvalidAccessKeyId"
        );
    }

    /// The presigned-URL example of the same document (expires after 86400 s).
    #[test]
    fn aws_documentation_presigned_example_verifies() {
        let credentials = AwsKeys {
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let mut headers = HeaderMap::new();
        headers.insert("host", "examplebucket.s3.amazonaws.com".parse().unwrap());
        let request = SignedRequest {
            method: "GET",
            raw_path: "/test.txt",
            raw_query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            headers: &headers,
        };
        let during = time::macros::datetime!(2013-05-24 12:00 UTC);
        assert!(verify(&credentials, &request, during).is_ok());
        let slightly_early = time::macros::datetime!(2013-05-23 23:46 UTC);
        assert!(verify(&credentials, &request, slightly_early).is_ok());
        let early = time::macros::datetime!(2013-05-23 23:44 UTC);
        let error = verify(&credentials, &request, early).unwrap_err();
        assert_eq!(
            (error.code.as_str(), error.message.as_str()),
            ("AccessDenied", "Request is not yet valid")
        );
        let after = time::macros::datetime!(2013-05-26 00:00 UTC);
        assert_eq!(
            verify(&credentials, &request, after).unwrap_err().message,
            "Request has expired"
        );
    }
}
