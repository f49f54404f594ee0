//! Small HTTP vocabulary shared by both halves: ordered header lists and origin serialisation.

use serde::{Deserialize, Serialize};

/// An ordered list of header lines. Names keep their case; lookups are case-insensitive.
///
/// Order and repetition matter here: S3's answers are compared header by header, and a browser
/// treats two `Access-Control-Allow-Origin` lines differently from one, so this is a list and
/// never a map.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HeaderList(pub Vec<(String, String)>);

impl HeaderList {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
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
        HeaderList(
            self.0
                .iter()
                .filter(|(n, _)| is_cors_header_name(n))
                .cloned()
                .collect(),
        )
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for HeaderList {
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
    let lower = name.to_ascii_lowercase();
    lower.starts_with("access-control-") || lower == "origin" || lower == "vary"
}

/// The origin (`scheme://host[:port]`) of an absolute `http`/`https` URL, serialised as the Fetch
/// standard does: lower-case scheme and host, default port omitted, no trailing slash.
/// Returns `None` for anything that is not an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
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
    fn combined_value_joins_lines_like_fetch() {
        let h: HeaderList = [("ACAO", "a"), ("acao", "b")].into_iter().collect();
        assert_eq!(h.get_combined("AcAo").as_deref(), Some("a, b"));
        assert_eq!(h.get_combined("other"), None);
    }
}
