//! The one XML text writer of the engine: every document it renders (the CORS configuration,
//! S3's error bodies, listings and upload results) escapes its text through here.

/// Escapes text content with all five XML entities (S3 writes `&quot;` inside `<ETag>`, and
/// `&apos;` in its error messages). Control characters other than tab and line feed become
/// character references (`&#x1;`), as S3 writes them in listings: never raw bytes that end the
/// document for any XML parser, and a carriage return survives the parser's line-end folding.
pub(crate) fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if c.is_ascii_control() => {
                out.push_str(&format!("&#x{:x};", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

/// Appends `<name>value</name>` with `value` escaped.
pub(crate) fn push_element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, value);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}
