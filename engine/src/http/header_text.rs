//! [`HeaderText`]: the string type of header names and values.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The text of a header name or value.
///
/// A prediction builds and copies dozens of header lines, almost all of them either short
/// (`GET, PUT`, an origin, `true`) or one of a handful of long protocol texts
/// (`Access-Control-Allow-Methods`, S3's `Vary` value). Short texts are stored inline, literals
/// and the well-known long texts point at their static copy, and anything else is shared behind
/// a reference count, so building and copying header lines rarely touches the allocator.
#[derive(Clone)]
pub struct HeaderText(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Inline(Inline),
    Shared(Arc<str>),
}

/// Up to [`Inline::CAPACITY`] bytes of UTF-8 and their length, in three aligned words.
///
/// Copying it is three word moves. (A byte array with a separate length byte gets copied
/// piecewise, and reading such a copy back right away stalls the CPU's store forwarding: that
/// made copying header lines the single largest cost of a prediction.)
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Inline {
    /// The text in `bytes[..len]`, zeros after it; `bytes[CAPACITY]` is `len`.
    bytes: [u8; Inline::CAPACITY + 1],
}

impl Inline {
    const CAPACITY: usize = 23;

    fn new(text: &str) -> Option<Self> {
        Self::build(text, |b| b)
    }

    /// `text` with `map` applied to every byte (which must keep the text UTF-8).
    ///
    /// The bytes are gathered into words in registers and stored a word at a time: a byte-wise
    /// copy into the buffer followed by the word-sized reads of moving the value stalls the
    /// CPU's store forwarding, which made building header texts a tenth of a prediction.
    fn build(text: &str, map: impl Fn(u8) -> u8) -> Option<Self> {
        let len = text.len();
        if len > Self::CAPACITY {
            return None;
        }
        let source = text.as_bytes();
        let mut words = [0u64; 3];
        for (i, word) in words.iter_mut().enumerate() {
            let Some(chunk) = source.get(i * 8..len.min(i * 8 + 8)) else {
                break;
            };
            *word = match <[u8; 8]>::try_from(chunk) {
                Ok(full) => u64::from_le_bytes(full.map(&map)),
                Err(_) => chunk
                    .iter()
                    .enumerate()
                    .fold(0, |w, (k, &b)| w | u64::from(map(b)) << (8 * k)),
            };
        }
        // The length goes in the last byte, after the zero padding.
        words[2] |= (len as u64) << 56;
        let mut bytes = [0; Self::CAPACITY + 1];
        for (slot, word) in bytes.chunks_exact_mut(8).zip(words) {
            slot.copy_from_slice(&word.to_le_bytes());
        }
        Some(Inline { bytes })
    }

    fn as_str(&self) -> &str {
        let len = usize::from(self.bytes[Self::CAPACITY]);
        // SAFETY: `bytes[..len]` is a copy of a whole `&str` (see `new`), so it is UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.bytes[..len]) }
    }
}

/// Texts longer than an inline text that predictions push again and again.
const WELL_KNOWN_LONG_TEXTS: &[&str] = &[
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Credentials",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    "Access-Control-Allow-Private-Network",
    "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded;charset=UTF-8",
];

impl HeaderText {
    /// A text that lives for the whole program: never copied.
    pub const fn from_static(text: &'static str) -> Self {
        HeaderText(Repr::Static(text))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            Repr::Inline(inline) => inline.as_str(),
            Repr::Shared(text) => text,
        }
    }

    /// `text` in ASCII lower case; only a long text with an upper-case letter is copied to the
    /// heap.
    pub fn lowercase(text: &str) -> Self {
        if !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return HeaderText::new(text);
        }
        match Inline::build(text, |b| b.to_ascii_lowercase()) {
            Some(inline) => HeaderText(Repr::Inline(inline)),
            None => HeaderText::from(text.to_ascii_lowercase()),
        }
    }

    /// This text in ASCII lower case, reusing it when it has no upper-case letter.
    pub fn into_lowercase(self) -> Self {
        if self.bytes().any(|b| b.is_ascii_uppercase()) {
            HeaderText::lowercase(&self)
        } else {
            self
        }
    }

    /// `parts` joined with `separator`, built without a heap allocation when the result is
    /// short (a method list such as `GET, PUT`).
    pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> Self {
        let mut buffer = [0u8; Inline::CAPACITY];
        let mut len = 0;
        for (i, part) in parts.iter().enumerate() {
            let pieces = if i > 0 {
                [separator, part.as_ref()]
            } else {
                ["", part.as_ref()]
            };
            for piece in pieces {
                let Some(slot) = buffer.get_mut(len..len + piece.len()) else {
                    // Longer than an inline text: join on the heap.
                    let joined: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
                    return HeaderText::from(joined.join(separator));
                };
                slot.copy_from_slice(piece.as_bytes());
                len += piece.len();
            }
        }
        // Whole `&str` pieces were copied, so the bytes are UTF-8.
        HeaderText::new(std::str::from_utf8(&buffer[..len]).unwrap_or_default())
    }

    fn new(text: &str) -> Self {
        if let Some(inline) = Inline::new(text) {
            return HeaderText(Repr::Inline(inline));
        }
        // Most long texts are URLs, dates or ETags; the length alone rules nearly all of them
        // out before any byte is compared.
        let known = WELL_KNOWN_LONG_TEXTS
            .iter()
            .filter(|known| known.len() == text.len())
            .find(|known| **known == text);
        match known {
            Some(known) => HeaderText::from_static(known),
            None => HeaderText(Repr::Shared(Arc::from(text))),
        }
    }
}

impl Default for HeaderText {
    fn default() -> Self {
        HeaderText::from_static("")
    }
}

impl Deref for HeaderText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for HeaderText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for HeaderText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HeaderText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for HeaderText {
    fn from(text: &str) -> Self {
        HeaderText::new(text)
    }
}

impl From<&String> for HeaderText {
    fn from(text: &String) -> Self {
        HeaderText::new(text)
    }
}

impl From<String> for HeaderText {
    fn from(text: String) -> Self {
        HeaderText::new(&text)
    }
}

impl From<&HeaderText> for HeaderText {
    fn from(text: &HeaderText) -> Self {
        text.clone()
    }
}

impl From<Cow<'_, str>> for HeaderText {
    fn from(text: Cow<'_, str>) -> Self {
        HeaderText::new(&text)
    }
}

impl From<HeaderText> for String {
    fn from(text: HeaderText) -> Self {
        text.as_str().to_owned()
    }
}

// Equality, order and hashing are those of the text, whatever its representation.

impl PartialEq for HeaderText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for HeaderText {}

impl PartialOrd for HeaderText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HeaderText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for HeaderText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for HeaderText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HeaderText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for HeaderText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Cow<'_, str>> for HeaderText {
    fn eq(&self, other: &Cow<'_, str>) -> bool {
        self.as_str() == other
    }
}

impl Serialize for HeaderText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HeaderText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Cow::<'de, str>::deserialize(deserializer).map(HeaderText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::HeaderText;

    #[test]
    fn every_representation_reads_back_its_text() {
        let long = "x".repeat(40);
        for text in ["", "GET", "https://app.example.com", long.as_str()] {
            assert_eq!(HeaderText::from(text).as_str(), text);
            assert_eq!(HeaderText::from(text.to_string()).clone().as_str(), text);
        }
        assert_eq!(
            HeaderText::from_static("Access-Control-Allow-Origin"),
            HeaderText::from("Access-Control-Allow-Origin")
        );
    }

    #[test]
    fn inline_texts_of_every_length_read_back() {
        let source = "AbCdEfGhIjKlMnOpQrStUvWxYz";
        for len in 0..=source.len() {
            let text = &source[..len];
            assert_eq!(HeaderText::from(text).as_str(), text, "length {len}");
            assert_eq!(
                HeaderText::lowercase(text).as_str(),
                text.to_ascii_lowercase(),
                "length {len}"
            );
        }
        // Multi-byte characters cross the word boundaries intact; only ASCII is lower-cased.
        for text in ["àéîõü-Ä", "https://bücher.example", "ÉÉÉÉÉÉÉÉÉÉÉ", "ÀB"] {
            assert_eq!(HeaderText::from(text).as_str(), text);
            assert_eq!(
                HeaderText::lowercase(text).as_str(),
                text.to_ascii_lowercase()
            );
        }
    }

    #[test]
    fn lowercase_and_join_stay_inline_or_spill() {
        assert_eq!(HeaderText::lowercase("X-Token").as_str(), "x-token");
        let long = "X-".repeat(20);
        assert_eq!(HeaderText::lowercase(&long).as_str(), long.to_lowercase());
        assert_eq!(HeaderText::join(&["GET", "PUT"], ", ").as_str(), "GET, PUT");
        let many = ["DELETE", "GET", "HEAD", "POST", "PUT"];
        assert_eq!(
            HeaderText::join(&many, ", ").as_str(),
            "DELETE, GET, HEAD, POST, PUT"
        );
    }

    #[test]
    fn serialises_as_a_plain_string() {
        let text = HeaderText::from("GET, PUT");
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, "\"GET, PUT\"");
        let back: HeaderText = serde_json::from_str(&json).unwrap();
        assert_eq!(back, text);
    }
}
