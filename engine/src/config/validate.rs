//! S3's PutBucketCors validation (`docs/facts/s3.md` §1.2): `Ok` when S3 would store the
//! configuration, otherwise the exact error S3 answers with.
//!
//! S3 reports only the first failing value. Its order of checks is not documented, so this is
//! the order chosen here, and why:
//!
//! 1. **Schema checks over the whole document** (`MalformedXML`), because S3 validates the body
//!    against its XML schema before looking at any value: no rule at all; then, rule by rule, a
//!    rule without `AllowedOrigin`, without `AllowedMethod`, with a `MaxAgeSeconds` that is not
//!    an integer (or does not fit the schema's 32-bit `int` — Low, §11.8), or with an `ID` longer
//!    than 255 characters (the limit is documented, the error is not — Low, §11.8).
//! 2. **The rule count** (`InvalidRequest`, more than 100 rules — Medium, §11.3), a property of
//!    the whole document.
//! 3. **Values, one rule at a time** (`InvalidRequest`), as MinIO documents S3 doing it: in each
//!    rule `AllowedMethod` values, then `AllowedOrigin`, then `AllowedHeader`, then
//!    `ExposeHeader`, each list in document order.

use super::ParseError;
use super::model::{CorsConfiguration, CorsRule, parse_xml_integer};
use super::xml::parse_xml;
use crate::s3::S3Error;

/// The only values S3 accepts in `AllowedMethod`, case-sensitive (§1.2, High).
pub const ALLOWED_METHODS: [&str; 5] = ["GET", "PUT", "HEAD", "POST", "DELETE"];

/// "The number of CORS rules should not exceed allowed limit of 100 rules." (§1.2).
pub const MAX_RULES: usize = 100;

/// "The document is limited to 64 KB in size." (§1.1).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// The longest `ID` S3 documents as allowed.
const MAX_ID_CHARS: usize = 255;

/// S3's PutBucketCors validation: `Ok` when S3 would store the configuration, else the exact
/// error S3 answers with. See the module documentation for the order of checks.
pub fn validate(config: &CorsConfiguration) -> Result<(), S3Error> {
    check_schema(config)?;
    if config.rules.len() > MAX_RULES {
        return Err(S3Error::invalid_request(format!(
            "The number of CORS rules should not exceed allowed limit of {MAX_RULES} rules."
        )));
    }
    config.rules.iter().try_for_each(check_values)
}

/// What S3 answers when a PutBucketCors body is not a CORS configuration at all: every XML
/// syntax or shape problem is `MalformedXML` with the schema message; the position is not
/// revealed.
pub fn malformed_xml_error(_error: &ParseError) -> S3Error {
    S3Error::malformed_xml()
}

/// A PutBucketCors body from the wire to the configuration S3 stores, or S3's error: size limit,
/// UTF-8, XML shape (`MalformedXML`), then [`validate`].
pub fn parse_put_bucket_cors_body(body: &[u8]) -> Result<CorsConfiguration, S3Error> {
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(S3Error::max_message_length_exceeded());
    }
    let text = std::str::from_utf8(body).map_err(|_| S3Error::malformed_xml())?;
    let config = parse_xml(text).map_err(|e| malformed_xml_error(&e))?;
    validate(&config)?;
    Ok(config)
}

fn check_schema(config: &CorsConfiguration) -> Result<(), S3Error> {
    // §1.2, High: a root with no CORSRule.
    if config.rules.is_empty() {
        return Err(S3Error::malformed_xml());
    }
    for rule in &config.rules {
        // §1.2, Medium: AllowedOrigin and AllowedMethod are required (minOccurs 1).
        if rule.allowed_origins.is_empty() || rule.allowed_methods.is_empty() {
            return Err(S3Error::malformed_xml());
        }
        // §1.2, Medium: MaxAgeSeconds is an xs:int.
        if let Some(text) = &rule.max_age_seconds {
            let fits_int = parse_xml_integer(text).is_some_and(|n| i32::try_from(n).is_ok());
            if !fits_int {
                return Err(S3Error::malformed_xml());
            }
        }
        // Low (§11.8): the 255-character ID limit is documented, its error is not.
        if rule
            .id
            .as_ref()
            .is_some_and(|id| id.chars().count() > MAX_ID_CHARS)
        {
            return Err(S3Error::malformed_xml());
        }
    }
    Ok(())
}

fn check_values(rule: &CorsRule) -> Result<(), S3Error> {
    // §1.2, High for the text: the value verbatim, no quotes, no trailing period.
    if let Some(method) = rule
        .allowed_methods
        .iter()
        .find(|m| !ALLOWED_METHODS.contains(&m.as_str()))
    {
        return Err(S3Error::invalid_request(format!(
            "Found unsupported HTTP method in CORS config. Unsupported method is {method}"
        )));
    }
    // §1.2, Medium-High: quoted value, trailing period.
    if let Some(origin) = rule
        .allowed_origins
        .iter()
        .find(|o| o.matches('*').count() > 1)
    {
        return Err(S3Error::invalid_request(format!(
            "AllowedOrigin \"{origin}\" can not have more than one wildcard."
        )));
    }
    // §1.2, Medium.
    if let Some(header) = rule
        .allowed_headers
        .iter()
        .find(|h| h.matches('*').count() > 1)
    {
        return Err(S3Error::invalid_request(format!(
            "AllowedHeader \"{header}\" can not have more than one wildcard."
        )));
    }
    // §1.2, Medium-High.
    if let Some(header) = rule.expose_headers.iter().find(|h| h.contains('*')) {
        return Err(S3Error::invalid_request(format!(
            "ExposeHeader \"{header}\" contains wildcard. We currently do not support wildcard for \
             ExposeHeader."
        )));
    }
    Ok(())
}
