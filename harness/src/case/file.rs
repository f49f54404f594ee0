//! The case file exactly as written: serde types mirroring the TOML (`cases/README.md`,
//! extensions included). Nothing here is checked beyond types and key names; [`super::load`]
//! turns these into the validated [`super::Case`].
//!
//! Every struct denies unknown keys, because a misspelt key silently ignored would make a case
//! test something other than what its author believes. Values whose later checks need a
//! location are wrapped in [`Spanned`].

use std::collections::BTreeMap;

use cors_engine::Browser;
use cors_engine::ReasonCode;
use cors_engine::observation::Outcome;
use cors_engine::scenario::{CacheMode, CredentialsMode, CrossOrigin, Mode, RequestKind};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseFile {
    pub title: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub page: Option<Spanned<String>>,
    pub browsers: Option<Vec<Browser>>,
    pub bucket: Option<Spanned<BucketFile>>,
    pub server: Option<Spanned<ServerFile>>,
    #[serde(default)]
    pub request: Vec<Spanned<RequestFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BucketFile {
    pub name: Spanned<String>,
    pub endpoint: Option<Spanned<String>>,
    pub cors: Option<Spanned<String>>,
    pub cors_file: Option<Spanned<String>>,
    /// Extension: the S3 error code PutBucketCors is expected to answer with.
    pub expect_cors_error: Option<Spanned<String>>,
    #[serde(default)]
    pub objects: BTreeMap<String, Spanned<ObjectFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObjectFile {
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub body_file: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServerFile {
    pub origin: Spanned<String>,
    pub preflight: Option<RawResponseFile>,
    pub response: Option<RawResponseFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResponseFile {
    pub status: Option<u16>,
    #[serde(default)]
    pub headers: HeaderTable,
    pub body: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestFile {
    pub kind: Option<RequestKind>,
    pub url: Spanned<String>,
    pub method: Option<Spanned<String>>,
    pub headers: Option<Spanned<HeaderTable>>,
    pub body: Option<Spanned<BodyFile>>,
    /// Extension: how the page builds the body (`text`, `blob`, `url-search-params`,
    /// `form-data`, `readable-stream`).
    pub body_kind: Option<Spanned<BodyKind>>,
    /// Extension: the Blob's `type` for `body_kind = "blob"`.
    pub body_type: Option<Spanned<String>>,
    pub mode: Option<Spanned<Mode>>,
    pub credentials: Option<Spanned<CredentialsMode>>,
    pub crossorigin: Option<Spanned<CrossOrigin>>,
    /// Extension: fetch()'s `cache` option.
    pub cache: Option<Spanned<CacheMode>>,
    /// Extension: XHR only, register a listener on `xhr.upload` before `send()`.
    pub upload_listener: Option<Spanned<bool>>,
    #[serde(default)]
    pub read_headers: Vec<String>,
    pub wait_ms: Option<Spanned<u64>>,
    pub expect: Option<Spanned<ExpectFile>>,
}

/// `body = "text"` or, for `body_kind = "form-data"`, `body = { field = "value", ... }`.
#[derive(Debug)]
pub(crate) enum BodyFile {
    Text(String),
    Fields(HeaderTable),
}

impl<'de> Deserialize<'de> for BodyFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodyVisitor;

        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = BodyFile;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, or a table of form fields")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BodyFile::Text(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                TableVisitor.visit_map(map).map(BodyFile::Fields)
            }
        }

        // Not `#[serde(untagged)]`: buffering the value would lose the key positions the
        // table needs to keep document order.
        deserializer.deserialize_any(BodyVisitor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum BodyKind {
    Text,
    Blob,
    UrlSearchParams,
    FormData,
    ReadableStream,
}

/// `expect = { ... }`: the common assertions plus per-browser overrides.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectFile {
    pub outcome: Option<Outcome>,
    pub preflight: Option<bool>,
    pub status: Option<u16>,
    pub readable: Option<BTreeMap<String, ReadableExpectFile>>,
    pub canvas_tainted: Option<bool>,
    pub reason: Option<ReasonCode>,
    pub chrome: Option<ExpectFieldsFile>,
    pub firefox: Option<ExpectFieldsFile>,
}

impl ExpectFile {
    pub fn browser(&self, browser: Browser) -> Option<&ExpectFieldsFile> {
        match browser {
            Browser::Chrome => self.chrome.as_ref(),
            Browser::Firefox => self.firefox.as_ref(),
        }
    }
}

/// The assertions one browser override may carry.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectFieldsFile {
    pub outcome: Option<Outcome>,
    pub preflight: Option<bool>,
    pub status: Option<u16>,
    pub readable: Option<BTreeMap<String, ReadableExpectFile>>,
    pub canvas_tainted: Option<bool>,
    pub reason: Option<ReasonCode>,
}

/// `"value"`: the page reads exactly this; `true`: the page reads some value; `false`: hidden.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum ReadableExpectFile {
    Value(String),
    Present(bool),
}

/// A TOML table of header names to a string or an array of strings, kept in document order
/// (the TOML reader sorts table keys, so the order is recovered from the keys' positions).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct HeaderTable(pub Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for HeaderTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TableVisitor)
    }
}

struct TableVisitor;

impl<'de> Visitor<'de> for TableVisitor {
    type Value = HeaderTable;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a table of names to a string or an array of strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(usize, String, Vec<String>)> = Vec::new();
        while let Some(name) = map.next_key::<Spanned<String>>()? {
            let values = map.next_value::<OneOrMany>()?.0;
            let position = name.span().start;
            entries.push((position, name.into_inner(), values));
        }
        entries.sort_by_key(|(position, _, _)| *position);
        Ok(HeaderTable(
            entries
                .into_iter()
                .map(|(_, name, values)| (name, values))
                .collect(),
        ))
    }
}

/// A string, or an array of strings (a header sent several times).
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;

        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(OneOrMany(values))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor)
    }
}
