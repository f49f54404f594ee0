//! The GetBucketCors body: `<CORSConfiguration>` in the S3 namespace with only the members that
//! were set.
//!
//! Element order inside `<CORSRule>` on AWS's wire is not captured (`docs/facts/s3.md` §11.6,
//! open). Chosen order: `ID`, then the API reference's alphabetical member order `AllowedHeader`,
//! `AllowedMethod`, `AllowedOrigin`, `ExposeHeader`, then `MaxAgeSeconds`. `ID` goes first, as
//! in Ceph's writer, because it names the rule. SDKs do not depend on the order; a byte-exact
//! comparison with AWS would need a capture.

use super::model::CorsConfiguration;
use crate::xml::push_element;

/// The namespace of every S3 REST XML document.
pub const S3_NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Renders the configuration as GetBucketCors returns it: the XML declaration, a newline, then
/// the document on one line.
pub fn to_xml(config: &CorsConfiguration) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<CORSConfiguration xmlns=\"");
    out.push_str(S3_NAMESPACE);
    out.push_str("\">");
    for rule in &config.rules {
        out.push_str("<CORSRule>");
        if let Some(id) = &rule.id {
            push_element(&mut out, "ID", id);
        }
        for value in &rule.allowed_headers {
            push_element(&mut out, "AllowedHeader", value);
        }
        for value in &rule.allowed_methods {
            push_element(&mut out, "AllowedMethod", value);
        }
        for value in &rule.allowed_origins {
            push_element(&mut out, "AllowedOrigin", value);
        }
        for value in &rule.expose_headers {
            push_element(&mut out, "ExposeHeader", value);
        }
        if let Some(max_age) = &rule.max_age_seconds {
            // A stored configuration passed validation, so this is an integer; S3 stores it as
            // one and writes it back in plain decimal.
            match rule.max_age() {
                Some(n) => push_element(&mut out, "MaxAgeSeconds", &n.to_string()),
                None => push_element(&mut out, "MaxAgeSeconds", max_age),
            }
        }
        out.push_str("</CORSRule>");
    }
    out.push_str("</CORSConfiguration>");
    out
}
