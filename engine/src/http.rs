//! Small HTTP vocabulary shared by both halves: ordered header lists and origin serialisation.

use serde::{Deserialize, Serialize};

mod header_text;

pub use header_text::HeaderText;

/// An ordered list of header lines. Names keep their case; lookups are case-insensitive.
///
/// Order and repetition matter here: S3's answers are compared header by header, and a browser
/// treats two `Access-Control-Allow-Origin` lines differently from one, so this is a list and
/// never a map.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HeaderList(pub(crate) Vec<(HeaderText, HeaderText)>);

impl HeaderList {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `lines` lines.
    pub fn with_capacity(lines: usize) -> Self {
        HeaderList(Vec::with_capacity(lines))
    }

    pub fn push(&mut self, name: impl Into<HeaderText>, value: impl Into<HeaderText>) {
        self.0.push((name.into(), value.into()));
    }

    /// [`Self::push`] for a name written in the source: the name is never copied.
    pub fn push_named(&mut self, name: &'static str, value: impl Into<HeaderText>) {
        self.0.push((HeaderText::from_static(name), value.into()));
    }

    /// [`Self::push`] for a line written in the source: nothing is copied.
    pub fn push_static(&mut self, name: &'static str, value: &'static str) {
        self.0.push((
            HeaderText::from_static(name),
            HeaderText::from_static(value),
        ));
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`.
    pub fn get<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.get_all(name).next()
    }

    /// All values of `name` joined with `", "`, as the Fetch standard's "get" does; `None` when
    /// the header is absent.
    pub fn get_combined(&self, name: &str) -> Option<String> {
        let mut values = self.get_all(name).peekable();
        values.peek()?;
        Some(values.collect::<Vec<_>>().join(", "))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Only the lines whose name starts with `Access-Control-` or is `Vary`, in order: the part of
    /// a response (or request) the CORS protocol looks at.
    pub fn cors_only(&self) -> HeaderList {
        // Room for every line, so the list is allocated once (a response has a dozen at most).
        let mut lines = Vec::with_capacity(self.0.len());
        lines.extend(
            self.0
                .iter()
                .filter(|(n, _)| is_cors_header_name(n))
                .cloned(),
        );
        HeaderList(lines)
    }
}

impl<N: Into<HeaderText>, V: Into<HeaderText>> FromIterator<(N, V)> for HeaderList {
    fn from_iter<T: IntoIterator<Item = (N, V)>>(iter: T) -> Self {
        HeaderList(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// Whether a header name belongs to the CORS protocol (request or response side).
pub fn is_cors_header_name(name: &str) -> bool {
    const PREFIX: &[u8] = b"access-control-";
    let bytes = name.as_bytes();
    // Dispatch on the first letter: most lines (Date, ETag, Content-Type, ...) are rejected
    // after one comparison, and this runs for every line of every predicted response.
    match bytes.first().map(u8::to_ascii_lowercase) {
        Some(b'a') => {
            bytes.len() > PREFIX.len() && bytes[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
        }
        Some(b'o') => bytes.eq_ignore_ascii_case(b"origin"),
        Some(b'v') => bytes.eq_ignore_ascii_case(b"vary"),
        _ => false,
    }
}

/// A 256-entry membership table for `members`, built at compile time: the parsers on a
/// prediction's hot path test every byte against a small set, and one load beats comparing
/// against each member.
pub(crate) const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < members.len() {
        table[members[i] as usize] = true;
        i += 1;
    }
    table
}

/// An HTTP token (RFC 9110 `1*tchar`): what a method, a header name or a media type's parts must
/// be. The engine's checks and the case loader's check of a case's method read this one table.
pub fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| TCHAR[b as usize])
}

static TCHAR: [bool; 256] =
    byte_set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+-.^_`|~");

/// `text.split(separator)` for an ASCII separator, without setting up a searcher: header lists
/// and query strings are short, and an ASCII byte is never part of a multi-byte character.
pub(crate) fn split_on(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    debug_assert!(separator.is_ascii());
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == separator) {
            Some(at) => {
                rest = Some(&current[at + 1..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `url.split_once("://")` without setting up a substring search: this runs several times for
/// every predicted request.
pub(crate) fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let bytes = url.as_bytes();
    // Nearly every URL is http(s): look for their colon first.
    for colon in [5, 4] {
        if bytes.get(colon..colon + 3) == Some(b"://") && !bytes[..colon].contains(&b':') {
            return Some((&url[..colon], &url[colon + 3..]));
        }
    }
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(|&b| b == b':') {
        let colon = from + offset;
        if bytes[colon + 1..].starts_with(b"//") {
            return Some((&url[..colon], &url[colon + 3..]));
        }
        from = colon + 1;
    }
    None
}

/// The origin (`scheme://host[:port]`) of an absolute `http`/`https` URL, serialised as the Fetch
/// standard does: lower-case scheme and host, default port omitted, no trailing slash.
/// Returns `None` for anything that is not an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = split_scheme(url)?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or("");
    if authority.is_empty() {
        return None;
    }
    let (host, port) = split_host_port(authority);
    let host = host.to_ascii_lowercase();
    match port {
        Some(p) if p != default_port => Some(format!("{scheme}://{host}:{p}")),
        _ => Some(format!("{scheme}://{host}")),
    }
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        // IPv6 literal: `[::1]:8080`
        match authority.find(']') {
            Some(end) => {
                let host = &authority[..=end];
                let port = authority[end + 1..].strip_prefix(':');
                (host, port)
            }
            None => (authority, None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_serialisation_drops_default_port_and_path() {
        assert_eq!(
            origin_of("https://App.Example.com:443/x?y").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            origin_of("http://localhost:8000/").as_deref(),
            Some("http://localhost:8000")
        );
        assert_eq!(origin_of("ftp://x").as_deref(), None);
        assert_eq!(origin_of("/relative").as_deref(), None);
    }

    #[test]
    fn split_on_splits_like_str_split() {
        for text in ["", ",", "GET", "GET, PUT", ",a,,b,", "é,ü", "  x ,\ty  "] {
            assert_eq!(
                split_on(text, b',').collect::<Vec<_>>(),
                text.split(',').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn scheme_splits_at_the_first_colon_slash_slash() {
        assert_eq!(
            split_scheme("https://a.test/x://y"),
            Some(("https", "a.test/x://y"))
        );
        assert_eq!(split_scheme("a:b://c"), Some(("a:b", "c")));
        assert_eq!(split_scheme("mailto:x@y"), None);
        assert_eq!(split_scheme("https:/"), None);
        assert_eq!(split_scheme(""), None);
        assert_eq!(split_scheme("http://a"), Some(("http", "a")));
        assert_eq!(split_scheme("HTTPS://"), Some(("HTTPS", "")));
        assert_eq!(split_scheme("ws://a"), Some(("ws", "a")));
        assert_eq!(split_scheme("ab:c://d"), Some(("ab:c", "d")));
        assert_eq!(split_scheme("a:bc://d"), Some(("a:bc", "d")));
    }

    #[test]
    fn tokens_are_one_or_more_rfc_9110_tchars() {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
        for b in 0..=255u8 {
            let tchar = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(TCHAR[b as usize], tchar, "byte {b:#04x}");
        }
        assert!(is_token("GET"));
        assert!(is_token("x-custom_1"));
        assert!(!is_token(""));
        assert!(!is_token("GET "));
        assert!(!is_token("a,b"));
        assert!(!is_token("ü"));
    }

    #[test]
    fn combined_value_joins_lines_like_fetch() {
        let h: HeaderList = [("ACAO", "a"), ("acao", "b")].into_iter().collect();
        assert_eq!(h.get_combined("AcAo").as_deref(), Some("a, b"));
        assert_eq!(h.get_combined("other"), None);
    }
}
