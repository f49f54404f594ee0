//! The GetBucketCors body: `<CORSConfiguration>` in the S3 namespace with only the members that
//! were set.
//!
//! Element order inside `<CORSRule>` on AWS's wire is not captured (`docs/facts/s3.md` §11.6,
//! open). Chosen order: `ID`, then the API reference's alphabetical member order `AllowedHeader`,
//! `AllowedMethod`, `AllowedOrigin`, `ExposeHeader`, then `MaxAgeSeconds`. `ID` goes first, as
//! in Ceph's writer, because it names the rule. SDKs do not depend on the order; a byte-exact
//! comparison with AWS would need a capture.

use super::model::CorsConfiguration;

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
            element(&mut out, "ID", id);
        }
        for value in &rule.allowed_headers {
            element(&mut out, "AllowedHeader", value);
        }
        for value in &rule.allowed_methods {
            element(&mut out, "AllowedMethod", value);
        }
        for value in &rule.allowed_origins {
            element(&mut out, "AllowedOrigin", value);
        }
        for value in &rule.expose_headers {
            element(&mut out, "ExposeHeader", value);
        }
        if let Some(max_age) = &rule.max_age_seconds {
            // A stored configuration passed validation, so this is an integer; S3 stores it as
            // one and writes it back in plain decimal.
            match rule.max_age() {
                Some(n) => element(&mut out, "MaxAgeSeconds", &n.to_string()),
                None => element(&mut out, "MaxAgeSeconds", max_age),
            }
        }
        out.push_str("</CORSRule>");
    }
    out.push_str("</CORSConfiguration>");
    out
}

fn element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, value);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Escapes text content for XML (also used for error bodies).
pub(crate) fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}
