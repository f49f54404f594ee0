//! Whether an element load that CORS let through actually loads: an image must decode, a font
//! must parse, a classic script needs an ok status and a script-compatible MIME type. These are
//! not CORS rules, but they decide the `load`/`error` event the page observes, so predictions of
//! element outcomes must know them.
//!
//! Modelled coarsely (Medium): images and fonts are recognised by their signature bytes (PNG,
//! GIF, JPEG, WebP, BMP, ICO, SVG; WOFF, WOFF2, TrueType, OpenType), not by really decoding
//! them; an image's HTTP status is ignored (browsers render a decodable body of a 404).

use crate::http::HeaderList;
use crate::scenario::RequestKind;

/// Why the element fires `error` although the response reached it, or `None` when it loads.
pub fn load_failure(
    kind: RequestKind,
    status: u16,
    headers: &HeaderList,
    body: &[u8],
) -> Option<&'static str> {
    match kind {
        RequestKind::Img | RequestKind::ImgCanvas => {
            (!is_image(headers, body)).then_some("the body is not a decodable image")
        }
        RequestKind::Font => (!is_font(body)).then_some("the body is not a font"),
        RequestKind::Script => script_failure(status, headers),
        RequestKind::Fetch | RequestKind::Xhr => None,
    }
}

fn is_image(headers: &HeaderList, body: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 7] = [
        b"\x89PNG\r\n\x1a\n",
        b"GIF87a",
        b"GIF89a",
        b"\xff\xd8\xff",
        b"BM",
        b"\x00\x00\x01\x00",
        b"\x00\x00\x02\x00",
    ];
    if SIGNATURES.iter().any(|s| body.starts_with(s)) {
        return true;
    }
    if body.len() >= 12 && &body[..4] == b"RIFF" && &body[8..12] == b"WEBP" {
        return true;
    }
    // SVG is only sniffed from its declared type.
    let svg_type = headers
        .get("content-type")
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("image/svg+xml"));
    svg_type && body.windows(4).any(|w| w == b"<svg")
}

fn is_font(body: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 5] = [b"wOFF", b"wOF2", b"\x00\x01\x00\x00", b"OTTO", b"true"];
    SIGNATURES.iter().any(|s| body.starts_with(s))
}

/// HTML "fetch a classic script" wants an ok status; Fetch blocks script responses whose MIME
/// type is audio/*, image/*, video/* or text/csv, and, with `X-Content-Type-Options: nosniff`,
/// any non-JavaScript type.
fn script_failure(status: u16, headers: &HeaderList) -> Option<&'static str> {
    if !(200..=299).contains(&status) {
        return Some("a script response needs a 2xx status");
    }
    let essence = headers
        .get("content-type")
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let blocked_type = ["audio/", "image/", "video/"]
        .iter()
        .any(|p| essence.starts_with(p))
        || essence == "text/csv";
    if blocked_type {
        return Some("a script response with an audio, image, video or CSV MIME type is blocked");
    }
    let nosniff = headers
        .get("x-content-type-options")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff"));
    let javascript = matches!(
        essence.as_str(),
        "application/javascript"
            | "application/ecmascript"
            | "application/x-javascript"
            | "text/javascript"
            | "text/ecmascript"
            | "text/jscript"
            | "text/livescript"
    );
    (nosniff && !javascript)
        .then_some("nosniff forbids running a script whose MIME type is not JavaScript")
}
