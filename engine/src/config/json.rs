//! The two JSON forms: the S3 console's array of rules and the AWS CLI's
//! `{"CORSRules": [...]}` document. Keys are the CLI/console spellings (`AllowedOrigins`, ...);
//! an unknown key is an error that names it, because a misspelt key silently dropped is exactly
//! the kind of mistake this tool exists to catch.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::model::{CorsConfiguration, CorsRule, ParseError, SourceFormat};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CliDocument {
    #[serde(rename = "CORSRules")]
    cors_rules: Vec<JsonRule>,
}

/// One rule as the console and the CLI write it. Every member is optional here: a rule without
/// origins or methods is S3's `MalformedXML`, reported by validation, not a parse error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRule {
    #[serde(rename = "ID", default)]
    id: Option<String>,
    #[serde(rename = "AllowedHeaders", default)]
    allowed_headers: Vec<String>,
    #[serde(rename = "AllowedMethods", default)]
    allowed_methods: Vec<String>,
    #[serde(rename = "AllowedOrigins", default)]
    allowed_origins: Vec<String>,
    #[serde(rename = "ExposeHeaders", default)]
    expose_headers: Vec<String>,
    #[serde(
        rename = "MaxAgeSeconds",
        default,
        deserialize_with = "max_age_as_text"
    )]
    max_age_seconds: Option<String>,
}

impl From<JsonRule> for CorsRule {
    fn from(rule: JsonRule) -> Self {
        CorsRule {
            id: rule.id,
            allowed_methods: rule.allowed_methods,
            allowed_origins: rule.allowed_origins,
            allowed_headers: rule.allowed_headers,
            expose_headers: rule.expose_headers,
            max_age_seconds: rule.max_age_seconds,
        }
    }
}

/// Accepts a JSON number or string and keeps it as text, so `"3000"`, `3000` and `1.5` all reach
/// validation, which decides (as S3 does) whether the value is an integer.
fn max_age_as_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct MaxAgeVisitor;

    impl Visitor<'_> for MaxAgeVisitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number or a string for MaxAgeSeconds")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(MaxAgeVisitor)
}

/// Parses the console array (`[...]`) or the CLI document (`{"CORSRules": [...]}`).
pub fn parse_json(text: &str) -> Result<(CorsConfiguration, SourceFormat), ParseError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = if body.trim_start().starts_with('[') {
        SourceFormat::ConsoleJson
    } else {
        SourceFormat::CliJson
    };
    let rules: Vec<JsonRule> = match format {
        SourceFormat::ConsoleJson => {
            serde_json::from_str(body).map_err(|e| json_error(format, &e))?
        }
        _ => {
            let doc: CliDocument =
                serde_json::from_str(body).map_err(|e| json_error(format, &e))?;
            doc.cors_rules
        }
    };
    let config = CorsConfiguration {
        rules: rules.into_iter().map(CorsRule::from).collect(),
    };
    Ok((config, format))
}

fn json_error(format: SourceFormat, error: &serde_json::Error) -> ParseError {
    let what = match format {
        SourceFormat::ConsoleJson => "console JSON (array of rules)",
        _ => "CLI JSON ({\"CORSRules\": [...]})",
    };
    // serde_json appends " at line L column C" to its messages; the line is reported separately.
    let raw = error.to_string();
    let detail = raw
        .rsplit_once(" at line ")
        .map_or(raw.as_str(), |(head, _)| head);
    let line = (error.line() > 0).then_some(error.line());
    let mut message = format!("invalid {what}: {detail}");
    message.push_str(&key_hint(format, detail));
    ParseError::new(Some(format), line, message)
}

/// The JSON keys of a rule.
const RULE_KEYS: [&str; 6] = [
    "ID",
    "AllowedHeaders",
    "AllowedMethods",
    "AllowedOrigins",
    "ExposeHeaders",
    "MaxAgeSeconds",
];

/// A hint for the two usual unknown keys: a bare rule pasted where the CLI document belongs,
/// and the XML form's singular names (`AllowedOrigin`) used in JSON, which wants plurals.
fn key_hint(format: SourceFormat, detail: &str) -> String {
    let Some(unknown) = detail
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    else {
        return String::new();
    };
    if format == SourceFormat::CliJson && RULE_KEYS.contains(&unknown) {
        return " (this looks like a single rule: wrap it as [{...}] (console form) or \
                {\"CORSRules\": [{...}]} (CLI form))"
            .to_owned();
    }
    RULE_KEYS
        .iter()
        .find(|key| {
            key.ends_with('s')
                && (key.eq_ignore_ascii_case(&format!("{unknown}s"))
                    || key.eq_ignore_ascii_case(unknown))
        })
        .map(|key| format!(" (did you mean `{key}`? the JSON forms use plural names)"))
        .unwrap_or_default()
}
