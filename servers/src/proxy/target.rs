//! Reading where a proxied request was addressed: the origin (from an absolute-form target, a
//! `Host` header or a `CONNECT` authority) and the run it belongs to (from the `/__run/<id>/`
//! path prefix every URL of a case run carries).

use std::fmt;

/// The path segment that introduces a run id: `/__run/<run-id>/...`.
pub const RUN_PREFIX: &str = "/__run/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A host and optional port as a request named them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Authority {
    /// Lower-case host; an IPv6 literal keeps its brackets.
    host: String,
    port: Option<u16>,
}

impl Authority {
    /// Parses `host`, `host:port` or `[v6]:port`; `None` for anything else (user info, empty
    /// host, a port that is not a number).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if text.is_empty() || text.contains(['@', '/', '?', '#', ' ']) {
            return None;
        }
        let (host, port) = if text.starts_with('[') {
            let end = text.find(']')?;
            let port = match &text[end + 1..] {
                "" => None,
                rest => Some(rest.strip_prefix(':')?),
            };
            (&text[..=end], port)
        } else {
            match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        let port = match port {
            Some(port) => Some(port.parse::<u16>().ok()?),
            None => None,
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() || host == "[]" {
            return None;
        }
        Some(Self { host, port })
    }

    /// The host as a name to compare with declared hosts and to put in a certificate (IPv6
    /// brackets removed).
    pub(crate) fn host_name(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }

    /// The origin this authority has under `scheme`, serialised as the Fetch standard does
    /// (default port omitted).
    pub(crate) fn origin(&self, scheme: Scheme) -> String {
        match self.port {
            Some(port) if port != scheme.default_port() => {
                format!("{}://{}:{port}", scheme.as_str(), self.host)
            }
            _ => format!("{}://{}", scheme.as_str(), self.host),
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// A path with its run prefix removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunPath<'a> {
    pub(crate) run_id: &'a str,
    /// The rest of the path, always starting with `/`.
    pub(crate) path: String,
}

/// Splits `/__run/<id>/rest` into the run id and `/rest` (`/__run/<id>` alone gives `/`).
/// `None` when the path does not start with a well-formed run prefix.
pub(crate) fn split_run_prefix(path: &str) -> Option<RunPath<'_>> {
    let after = path.strip_prefix(RUN_PREFIX)?;
    let (run_id, rest) = match after.find('/') {
        Some(slash) => (&after[..slash], &after[slash..]),
        None => (after, "/"),
    };
    if !is_valid_run_id(run_id) {
        return None;
    }
    Some(RunPath {
        run_id,
        path: rest.to_string(),
    })
}

/// Run ids appear verbatim in URLs, so they are limited to URL-safe characters that need no
/// escaping anywhere in a path.
pub(crate) fn is_valid_run_id(run_id: &str) -> bool {
    !run_id.is_empty()
        && run_id.len() <= 128
        && run_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        && run_id != "."
        && run_id != ".."
}

/// The parts of an absolute `http(s)` URL around its path: (`scheme://authority`, the authority
/// parsed, the rest starting at the path, query or fragment).
fn split_absolute_url(url: &str) -> Option<(&str, Authority, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = Authority::parse(&rest[..authority_end])?;
    let origin_end = scheme.len() + "://".len() + authority_end;
    Some((&url[..origin_end], authority, &url[origin_end..]))
}

/// `url` (an absolute `http`/`https` URL) as a case run addresses it: `/__run/<run_id>` inserted
/// right after the origin (`https://app.example.com/page` → `https://app.example.com/__run/r42/page`).
/// `None` when `url` is not an absolute http(s) URL.
pub fn insert_run_prefix(url: &str, run_id: &str) -> Option<String> {
    let (origin, _, tail) = split_absolute_url(url)?;
    let separator = if tail.starts_with('/') { "" } else { "/" };
    Some(format!("{origin}{RUN_PREFIX}{run_id}{separator}{tail}"))
}

/// The run id and the URL without its run prefix, for an absolute URL that carries one
/// (`https://app.example.com/__run/r42/page` → (`r42`, `https://app.example.com/page`)).
pub fn remove_run_prefix(url: &str) -> Option<(String, String)> {
    let (origin, _, tail) = split_absolute_url(url)?;
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let run_path = split_run_prefix(&tail[..path_end])?;
    Some((
        run_path.run_id.to_string(),
        format!("{origin}{}{}", run_path.path, &tail[path_end..]),
    ))
}

/// Puts `/__run/<run_id>` back into a `Location` value that points into the run's world: a
/// path-absolute reference, or an absolute `http(s)` URL whose host `is_declared`. Anything else
/// (another scheme, an undeclared host, a relative path that already resolves under the prefix)
/// gives `None`: the value stays as it is.
pub(crate) fn add_run_prefix_to_location(
    location: &str,
    run_id: &str,
    is_declared: impl Fn(&str) -> bool,
) -> Option<String> {
    if location.starts_with('/') && !location.starts_with("//") {
        return Some(format!("{RUN_PREFIX}{run_id}{location}"));
    }
    let (_, authority, _) = split_absolute_url(location)?;
    if !is_declared(authority.host_name()) {
        return None;
    }
    insert_run_prefix(location, run_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_parses_names_ports_and_ipv6() {
        let a = Authority::parse("App.Example.com:8443").unwrap();
        assert_eq!(a.host_name(), "app.example.com");
        assert_eq!(a.origin(Scheme::Https), "https://app.example.com:8443");
        assert_eq!(a.to_string(), "app.example.com:8443");

        let default_port = Authority::parse("assets.s3.amazonaws.com:443").unwrap();
        assert_eq!(
            default_port.origin(Scheme::Https),
            "https://assets.s3.amazonaws.com"
        );
        assert_eq!(
            default_port.origin(Scheme::Http),
            "http://assets.s3.amazonaws.com:443"
        );

        let v6 = Authority::parse("[::1]:8080").unwrap();
        assert_eq!(v6.host_name(), "::1");
        assert_eq!(v6.origin(Scheme::Http), "http://[::1]:8080");

        for bad in [
            "",
            "user@host",
            "host:port",
            "host:99999",
            "[::1",
            "[::1]x",
            ":80",
        ] {
            assert_eq!(Authority::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn run_prefix_is_split_off() {
        let split = split_run_prefix("/__run/r42/photos/cat.jpg").unwrap();
        assert_eq!(split.run_id, "r42");
        assert_eq!(split.path, "/photos/cat.jpg");
        assert_eq!(split_run_prefix("/__run/r42").unwrap().path, "/");
        assert_eq!(split_run_prefix("/__run/r42/").unwrap().path, "/");
        assert_eq!(split_run_prefix("/favicon.ico"), None);
        assert_eq!(split_run_prefix("/__run//x"), None);
        assert_eq!(split_run_prefix("/__run/a%20b/x"), None);
        assert_eq!(split_run_prefix("/__run/../x"), None);
    }

    #[test]
    fn location_gets_the_run_prefix_only_inside_the_run() {
        let declared = |host: &str| host == "assets.example.test";
        assert_eq!(
            add_run_prefix_to_location("/next", "r1", declared).as_deref(),
            Some("/__run/r1/next")
        );
        assert_eq!(
            add_run_prefix_to_location("https://assets.example.test/a?b", "r1", declared)
                .as_deref(),
            Some("https://assets.example.test/__run/r1/a?b")
        );
        assert_eq!(
            add_run_prefix_to_location("http://assets.example.test:8080?q", "r1", declared)
                .as_deref(),
            Some("http://assets.example.test:8080/__run/r1/?q")
        );
        assert_eq!(
            add_run_prefix_to_location("https://elsewhere.test/a", "r1", declared),
            None
        );
        assert_eq!(
            add_run_prefix_to_location("//assets.example.test/a", "r1", declared),
            None
        );
        assert_eq!(add_run_prefix_to_location("next", "r1", declared), None);
    }

    #[test]
    fn run_prefix_round_trips_through_absolute_urls() {
        for (plain, prefixed) in [
            (
                "https://app.example.com/page",
                "https://app.example.com/__run/r42/page",
            ),
            (
                "http://assets.s3.amazonaws.com:8080/photos/cat.jpg?v=1#top",
                "http://assets.s3.amazonaws.com:8080/__run/r42/photos/cat.jpg?v=1#top",
            ),
            (
                "https://app.example.com/",
                "https://app.example.com/__run/r42/",
            ),
        ] {
            assert_eq!(insert_run_prefix(plain, "r42").as_deref(), Some(prefixed));
            assert_eq!(
                remove_run_prefix(prefixed),
                Some(("r42".to_string(), plain.to_string()))
            );
        }
        assert_eq!(
            insert_run_prefix("https://app.example.com", "r42").as_deref(),
            Some("https://app.example.com/__run/r42/")
        );
        assert_eq!(insert_run_prefix("/relative", "r42"), None);
        assert_eq!(insert_run_prefix("data:text/plain,x", "r42"), None);
        assert_eq!(remove_run_prefix("https://app.example.com/page"), None);
    }
}
