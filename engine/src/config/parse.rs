//! Entry point for reading a pasted configuration: detects which of the three forms the text is
//! and hands it to the JSON or XML reader.

use super::model::{CorsConfiguration, ParseError, SourceFormat, line_at};

pub use super::json::parse_json;
pub use super::xml::parse_xml;

/// Parses any of the three forms, detected from the first non-blank character: `[` is the
/// console's JSON array, `{` the CLI document `{"CORSRules": [...]}`, `<` XML.
pub fn parse(text: &str) -> Result<(CorsConfiguration, SourceFormat), ParseError> {
    // A byte-order mark is invisible in editors, so people paste it without knowing.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((offset, first)) = body.char_indices().find(|(_, c)| !c.is_whitespace()) else {
        return Err(ParseError::new(
            None,
            Some(1),
            "the CORS configuration is empty: expected a JSON array of rules, a \
             {\"CORSRules\": [...]} document or <CORSConfiguration> XML",
        ));
    };
    match first {
        '[' | '{' => parse_json(text),
        '<' => parse_xml(text).map(|config| (config, SourceFormat::Xml)),
        other => Err(ParseError::new(
            None,
            Some(line_at(body, offset)),
            format!(
                "unexpected character '{other}' at the start of the CORS configuration: expected \
                 '[' (console JSON), '{{' (CLI JSON) or '<' (XML)"
            ),
        )),
    }
}
