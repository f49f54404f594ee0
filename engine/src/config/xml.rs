//! The `<CORSConfiguration>` XML form, as PutBucketCors receives it and as the S3 user guide
//! prints it.
//!
//! What S3 accepts and this reader therefore accepts: the S3 namespace
//! (`http://s3.amazonaws.com/doc/2006-03-01/`) or none at all, rule members in any order,
//! flattened lists (every `AllowedOrigin` is a direct child of its `CORSRule`). Values are kept
//! verbatim (no trimming). Anything that is not well-formed, or that does not fit the schema's
//! shape (unknown element, text where elements belong, a nested element inside a value, `ID` or
//! `MaxAgeSeconds` twice), is a [`ParseError`] carrying the 1-based line; S3 answers all of those
//! with `MalformedXML` (see [`super::malformed_xml_error`]).

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::model::{CorsConfiguration, CorsRule, ParseError, SourceFormat, line_at};
use super::render::S3_NAMESPACE;

const ROOT: &str = "CORSConfiguration";
const RULE: &str = "CORSRule";

/// The members a `CORSRule` may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    AllowedMethod,
    AllowedOrigin,
    AllowedHeader,
    ExposeHeader,
    MaxAgeSeconds,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Id,
        Field::AllowedMethod,
        Field::AllowedOrigin,
        Field::AllowedHeader,
        Field::ExposeHeader,
        Field::MaxAgeSeconds,
    ];

    fn name(self) -> &'static str {
        match self {
            Field::Id => "ID",
            Field::AllowedMethod => "AllowedMethod",
            Field::AllowedOrigin => "AllowedOrigin",
            Field::AllowedHeader => "AllowedHeader",
            Field::ExposeHeader => "ExposeHeader",
            Field::MaxAgeSeconds => "MaxAgeSeconds",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Where the reader is in the document.
enum State {
    /// Before the root element.
    Prolog,
    /// Inside `<CORSConfiguration>`, between rules.
    Root,
    /// Inside a `<CORSRule>`, between members.
    Rule,
    /// Inside a member, collecting its text.
    Value(Field),
    /// After `</CORSConfiguration>`.
    Epilog,
}

/// Parses `<CORSConfiguration>` XML.
pub fn parse_xml(text: &str) -> Result<CorsConfiguration, ParseError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    XmlParser::new(body).run()
}

struct XmlParser<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    state: State,
    config: CorsConfiguration,
    rule: CorsRule,
    value: String,
    /// Byte offset of the event being handled.
    at: usize,
}

impl<'a> XmlParser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            reader: Reader::from_str(text),
            state: State::Prolog,
            config: CorsConfiguration::default(),
            rule: CorsRule::default(),
            value: String::new(),
            at: 0,
        }
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(
            Some(SourceFormat::Xml),
            Some(line_at(self.text, self.at)),
            message,
        )
    }

    fn run(mut self) -> Result<CorsConfiguration, ParseError> {
        loop {
            self.at = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    self.at = usize::try_from(self.reader.error_position()).unwrap_or(self.at);
                    return Err(self.error(format!("XML is not well-formed: {e}")));
                }
            };
            match event {
                Event::Start(start) => self.open(&start, false)?,
                Event::Empty(start) => self.open(&start, true)?,
                Event::End(end) => {
                    let name = end.local_name();
                    self.close(name.as_ref())?;
                }
                Event::Text(t) => {
                    let content = t.xml10_content();
                    self.text_content(&content)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content();
                    self.cdata_content(&content)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = self.resolve_reference(&r)?;
                    self.text_content(&resolved)?;
                }
                Event::DocType(_) => {
                    return Err(self.error("a DOCTYPE declaration is not allowed"));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => return self.finish(),
            }
        }
    }

    fn open(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<(), ParseError> {
        let local = start.local_name();
        let name = local.as_ref();
        match self.state {
            State::Prolog => {
                if name != ROOT {
                    return Err(
                        self.error(format!("the root element must be <{ROOT}>, found <{name}>"))
                    );
                }
                self.check_namespace(start)?;
                self.state = if empty { State::Epilog } else { State::Root };
            }
            State::Root => {
                if name != RULE {
                    return Err(self.error(format!(
                        "unexpected element <{name}> in <{ROOT}>: only <{RULE}> elements are allowed{}",
                        case_hint(name, &[RULE])
                    )));
                }
                self.rule = CorsRule::default();
                if empty {
                    let rule = std::mem::take(&mut self.rule);
                    self.config.rules.push(rule);
                } else {
                    self.state = State::Rule;
                }
            }
            State::Rule => {
                let Some(field) = Field::from_name(name) else {
                    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                    return Err(self.error(format!(
                        "unknown element <{name}> in <{RULE}> {}: expected one of {}{}",
                        self.config.rules.len() + 1,
                        names.join(", "),
                        case_hint(name, &names)
                    )));
                };
                self.value.clear();
                if empty {
                    self.store(field)?;
                } else {
                    self.state = State::Value(field);
                }
            }
            State::Value(field) => {
                return Err(self.error(format!(
                    "<{}> holds text only, found the element <{name}> inside it",
                    field.name()
                )));
            }
            State::Epilog => {
                return Err(self.error(format!(
                    "unexpected element <{name}> after </{ROOT}>: a document has one root element"
                )));
            }
        }
        Ok(())
    }

    /// The root may declare no default namespace or S3's; anything else is a different schema.
    fn check_namespace(&self, start: &BytesStart<'_>) -> Result<(), ParseError> {
        for attribute in start.attributes() {
            let attribute =
                attribute.map_err(|e| self.error(format!("XML is not well-formed: {e}")))?;
            if attribute.key.as_ref() == "xmlns" && attribute.value != S3_NAMESPACE {
                return Err(self.error(format!(
                    "<{ROOT}> is in the namespace \"{}\"; S3 expects \"{S3_NAMESPACE}\" or no \
                     namespace",
                    attribute.value
                )));
            }
        }
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), ParseError> {
        match self.state {
            State::Value(field) => {
                self.store(field)?;
                self.state = State::Rule;
            }
            State::Rule => {
                let rule = std::mem::take(&mut self.rule);
                self.config.rules.push(rule);
                self.state = State::Root;
            }
            State::Root => self.state = State::Epilog,
            // quick-xml checks that end tags match their start tags, so an end tag here has
            // no start tag at all.
            State::Prolog | State::Epilog => {
                return Err(self.error(format!("unexpected closing tag </{name}>")));
            }
        }
        Ok(())
    }

    fn store(&mut self, field: Field) -> Result<(), ParseError> {
        let value = std::mem::take(&mut self.value);
        let rule_number = self.config.rules.len() + 1;
        match field {
            Field::Id | Field::MaxAgeSeconds => {
                let slot = if field == Field::Id {
                    &mut self.rule.id
                } else {
                    &mut self.rule.max_age_seconds
                };
                if slot.is_some() {
                    return Err(self.error(format!(
                        "<{}> appears more than once in <{RULE}> {rule_number}; it may appear at \
                         most once",
                        field.name()
                    )));
                }
                *slot = Some(value);
            }
            Field::AllowedMethod => self.rule.allowed_methods.push(value),
            Field::AllowedOrigin => self.rule.allowed_origins.push(value),
            Field::AllowedHeader => self.rule.allowed_headers.push(value),
            Field::ExposeHeader => self.rule.expose_headers.push(value),
        }
        Ok(())
    }

    fn text_content(&mut self, content: &str) -> Result<(), ParseError> {
        match self.state {
            State::Value(_) => {
                self.value.push_str(content);
                Ok(())
            }
            _ if content.chars().all(is_xml_whitespace) => Ok(()),
            _ => {
                // Point at the stray text itself, not at the whitespace before it.
                let leading = content.len() - content.trim_start_matches(is_xml_whitespace).len();
                self.at += leading;
                Err(self.error(format!(
                    "unexpected text \"{}\" {}",
                    content.trim(),
                    self.location()
                )))
            }
        }
    }

    fn cdata_content(&mut self, content: &str) -> Result<(), ParseError> {
        match self.state {
            State::Value(_) => {
                self.value.push_str(content);
                Ok(())
            }
            _ => Err(self.error(format!("unexpected CDATA section {}", self.location()))),
        }
    }

    fn location(&self) -> String {
        match self.state {
            State::Prolog => format!("before <{ROOT}>"),
            State::Root => format!("inside <{ROOT}>, where only <{RULE}> elements belong"),
            State::Rule => format!("inside <{RULE}>, where only elements belong"),
            State::Value(field) => format!("inside <{}>", field.name()),
            State::Epilog => format!("after </{ROOT}>"),
        }
    }

    fn resolve_reference(&self, reference: &BytesRef<'_>) -> Result<String, ParseError> {
        match reference.resolve_char_ref() {
            Ok(Some(c)) => return Ok(c.to_string()),
            Ok(None) => {}
            Err(e) => return Err(self.error(format!("invalid character reference: {e}"))),
        }
        let name: &str = reference;
        let resolved = match name {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "apos" => "'",
            "quot" => "\"",
            other => {
                return Err(self.error(format!(
                    "unknown entity &{other}; (only &lt; &gt; &amp; &apos; &quot; are defined)"
                )));
            }
        };
        Ok(resolved.to_owned())
    }

    fn finish(self) -> Result<CorsConfiguration, ParseError> {
        match self.state {
            State::Epilog => Ok(self.config),
            State::Prolog => Err(self.error(format!("no <{ROOT}> element found"))),
            State::Root => Err(self.error(format!("<{ROOT}> is not closed"))),
            State::Rule => Err(self.error(format!("<{RULE}> is not closed"))),
            State::Value(field) => Err(self.error(format!("<{}> is not closed", field.name()))),
        }
    }
}

fn is_xml_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// " (did you mean <X>?)" when `name` differs from an expected name only in letter case, the
/// usual slip (`<CorsRule>`, `<AllowedOrigins>` is caught by the expected-names list).
fn case_hint(name: &str, expected: &[&str]) -> String {
    expected
        .iter()
        .find(|e| {
            e.eq_ignore_ascii_case(name) || e.eq_ignore_ascii_case(name.trim_end_matches('s'))
        })
        .map(|e| format!(" (did you mean <{e}>?)"))
        .unwrap_or_default()
}
