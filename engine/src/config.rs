//! Bucket CORS configurations: the model, parsing from the three forms users paste (console JSON
//! array, CLI `{"CORSRules": [...]}`, `<CORSConfiguration>` XML), S3's own validation, and the XML
//! GetBucketCors returns.
//!
//! Everything here is a pure function of its input. The submodules each do one job:
//! `model` holds the types, `parse`/`json`/`xml` read text, `validate` is S3's PutBucketCors
//! check, `render` writes the GetBucketCors body. The mistakes S3 accepts are [`crate::lint`]'s.

mod json;
mod model;
mod parse;
mod render;
mod validate;
mod xml;

pub use model::{CorsConfiguration, CorsRule, ParseError, SourceFormat};
pub use parse::{parse, parse_json, parse_xml};
pub use render::{S3_NAMESPACE, to_xml};
pub use validate::{
    ALLOWED_METHODS, MAX_DOCUMENT_BYTES, MAX_RULES, malformed_xml_error,
    parse_put_bucket_cors_body, validate,
};
