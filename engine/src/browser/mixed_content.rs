//! Mixed content: an `https` page requesting an `http` URL (Mixed Content Level 2, Fetch "main
//! fetch" step 7). This is decided before anything else about the request — before the preflight,
//! the caches and the CORS check — so a blocked request never reaches the network.
//!
//! * `<img>` loads (also the image drawn on a canvas) are *upgradeable*: both browsers rewrite
//!   the URL to `https` and load that instead (Chrome since 86, Firefox since 127 with
//!   `security.mixed_content.upgrade_display_content`). No fallback to `http` if the `https`
//!   load fails.
//! * `fetch()`, XHR, `<script>` and `@font-face` fonts are *blockable*: the request fails as a
//!   network error, logged as mixed content, not as a CORS failure.
//!
//! URLs whose host is potentially trustworthy (`localhost`, `*.localhost`, `127.0.0.0/8`,
//! `[::1]`) are not mixed content even over `http` (Secure Contexts §3.2). Checked in the lab
//! for Chromium 156 (no mixed-content line, the request was sent); Medium for Firefox, which
//! treats loopback as potentially trustworthy since version 84 (source, not observed).
//!
//! Lab, November 2026 (Chromium 156, Firefox 153 ESR, an `https` page served by the harness):
//! both blocked fetch (`cors` and `no-cors`), XHR, `<script>` and `FontFace` loads with nothing
//! on the wire, and both sent `<img>` loads (with and without `crossorigin`) to the `https` URL.

use crate::scenario::RequestKind;

/// What the browser does with a request before its first byte is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MixedContent {
    /// Not mixed content: the request goes ahead as written.
    NotMixed,
    /// An upgradeable load: it goes to this `https` URL instead.
    Upgrade(String),
    /// A blockable request: it fails before anything is sent.
    Block,
}

/// The verdict for a request of `kind` to `url` from a page on `page_origin`.
pub fn check(page_origin: &str, kind: RequestKind, url: &str) -> MixedContent {
    let secure_page = scheme(page_origin).is_some_and(|s| s.eq_ignore_ascii_case("https"));
    let Some(rest) = scheme(url)
        .filter(|s| s.eq_ignore_ascii_case("http"))
        .map(|s| &url[s.len() + 3..])
    else {
        return MixedContent::NotMixed;
    };
    if !secure_page || is_loopback(host(rest)) {
        return MixedContent::NotMixed;
    }
    match kind {
        RequestKind::Img | RequestKind::ImgCanvas => MixedContent::Upgrade(upgraded(rest)),
        RequestKind::Fetch | RequestKind::Xhr | RequestKind::Script | RequestKind::Font => {
            MixedContent::Block
        }
    }
}

/// The scheme of an absolute URL written `scheme://…`.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = crate::http::split_scheme(url)?;
    (!scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+'))
    .then_some(scheme)
}

/// The host of `rest` (the URL after `scheme://`), without user info or port.
fn host(rest: &str) -> &str {
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    authority
        .split_once(':')
        .map_or(authority, |(host, _)| host)
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost")
        || host
            .get(host.len().saturating_sub(".localhost".len())..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"))
        || host == "[::1]"
    {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()))
}

/// `https://` + the rest of the URL, with an explicit port 80 dropped (Mixed Content §4.1:
/// "if request's URL's port is 80, set it to 443", the https default).
fn upgraded(rest: &str) -> String {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.strip_suffix(":80").unwrap_or(authority);
    format!("https://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    const PAGE: &str = "https://app.example.com";

    #[rstest]
    #[case::fetch_blocked(RequestKind::Fetch, "http://api.example.test/a", MixedContent::Block)]
    #[case::xhr_blocked(RequestKind::Xhr, "http://api.example.test/a", MixedContent::Block)]
    #[case::script_blocked(
        RequestKind::Script,
        "http://cdn.example.test/a.js",
        MixedContent::Block
    )]
    #[case::font_blocked(
        RequestKind::Font,
        "http://cdn.example.test/a.woff2",
        MixedContent::Block
    )]
    #[case::img_upgraded(
        RequestKind::Img,
        "http://cdn.example.test/a.png?x#y",
        MixedContent::Upgrade("https://cdn.example.test/a.png?x#y".into())
    )]
    #[case::img_port_80_becomes_443(
        RequestKind::ImgCanvas,
        "HTTP://cdn.example.test:80/a.png",
        MixedContent::Upgrade("https://cdn.example.test/a.png".into())
    )]
    #[case::img_other_port_kept(
        RequestKind::Img,
        "http://cdn.example.test:8080/a.png",
        MixedContent::Upgrade("https://cdn.example.test:8080/a.png".into())
    )]
    #[case::https_url(
        RequestKind::Fetch,
        "https://api.example.test/a",
        MixedContent::NotMixed
    )]
    #[case::localhost(RequestKind::Fetch, "http://localhost:9000/a", MixedContent::NotMixed)]
    #[case::sub_localhost(RequestKind::Fetch, "http://s3.localhost/a", MixedContent::NotMixed)]
    #[case::loopback_v4(
        RequestKind::Script,
        "http://127.0.0.1:9000/a.js",
        MixedContent::NotMixed
    )]
    #[case::loopback_v6(RequestKind::Fetch, "http://[::1]:9000/a", MixedContent::NotMixed)]
    #[case::not_loopback(
        RequestKind::Fetch,
        "http://127.0.0.1.example.test/a",
        MixedContent::Block
    )]
    fn from_an_https_page(
        #[case] kind: RequestKind,
        #[case] url: &str,
        #[case] verdict: MixedContent,
    ) {
        assert_eq!(check(PAGE, kind, url), verdict);
    }

    #[test]
    fn an_http_page_mixes_nothing() {
        assert_eq!(
            check(
                "http://app.example.com",
                RequestKind::Fetch,
                "http://api.example.test/a"
            ),
            MixedContent::NotMixed
        );
    }
}
