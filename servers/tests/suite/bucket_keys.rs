//! Object keys are UTF-8 text taken byte for byte from the path: a percent-escape that does not
//! decode to UTF-8 is refused with S3's `InvalidURI` (never replaced by U+FFFD, which made
//! `%ff`, `%fe` and `%ef%bf%bd` one object), every other byte value round-trips through PUT, GET
//! and both listings, and listings never carry a raw control character.

use crate::support::bucket as support;

use cors_servers::bucket::BucketServer;

/// Decodes `%XX` escapes and `+` (as `encoding-type=url` writes a space).
fn url_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Every `<Key>` of a listing, URL-decoded.
fn listed_keys(xml: &str) -> Vec<Vec<u8>> {
    xml.split("<Key>")
        .skip(1)
        .map(|rest| url_decode(&rest[..rest.find("</Key>").unwrap()]))
        .collect()
}

async fn put(base: &str, raw_key: &str, body: &str) -> (u16, String) {
    let response = support::client()
        .put(format!("{base}/keys/{raw_key}"))
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get(base: &str, raw_key: &str) -> (u16, String) {
    let response = support::client()
        .get(format!("{base}/keys/{raw_key}"))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn list(base: &str, query: &str) -> String {
    let response = support::client()
        .get(format!("{base}/keys?{query}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn started() -> (BucketServer, support::Running) {
    let server = BucketServer::new();
    server.create_bucket("keys").unwrap();
    let running = support::start(&server).await;
    (server, running)
}

#[tokio::test]
async fn non_utf8_escapes_are_refused_not_merged() {
    let (server, running) = started().await;
    let base = &running.base;
    assert_eq!(put(base, "%ef%bf%bd", "replacement").await.0, 200);
    for raw in ["%ff", "%fe", "%c3", "a%80b"] {
        let (status, body) = put(base, raw, "overwrite?").await;
        assert_eq!(status, 400, "{raw}: {body}");
        assert!(body.contains("<Code>InvalidURI</Code>"), "{raw}: {body}");
        assert_eq!(get(base, raw).await.0, 400, "{raw}");
    }
    assert_eq!(get(base, "%ef%bf%bd").await.1, "replacement");
    assert_eq!(
        server.object_body("keys", "\u{fffd}").as_deref(),
        Some(&b"replacement"[..])
    );
    assert_eq!(listed_keys(&list(base, "list-type=2").await).len(), 1);
}

#[tokio::test]
async fn every_byte_value_round_trips_or_is_refused_as_s3_does() {
    let (_server, running) = started().await;
    let base = &running.base;
    let mut stored = Vec::new();
    for byte in 0..=255u8 {
        let raw = format!("k%{byte:02X}");
        let (status, answer) = put(base, &raw, &format!("body {byte}")).await;
        if byte < 0x80 {
            assert_eq!(status, 200, "byte {byte:#04x}: {answer}");
            assert_eq!(get(base, &raw).await, (200, format!("body {byte}")));
            stored.push(vec![b'k', byte]);
        } else {
            // A lone byte ≥ 0x80 is not UTF-8; its two-byte UTF-8 form is an ordinary key.
            assert_eq!(status, 400, "byte {byte:#04x}: {answer}");
            assert!(answer.contains("<Code>InvalidURI</Code>"), "{answer}");
            let utf8 = format!("k{}", char::from(byte));
            let encoded: String = utf8.bytes().map(|b| format!("%{b:02X}")).collect();
            assert_eq!(put(base, &encoded, &format!("char {byte}")).await.0, 200);
            assert_eq!(get(base, &encoded).await, (200, format!("char {byte}")));
            stored.push(utf8.into_bytes());
        }
    }
    stored.sort();
    for query in ["encoding-type=url", "list-type=2&encoding-type=url"] {
        let xml = list(base, query).await;
        assert!(xml.contains("<EncodingType>url</EncodingType>"), "{xml}");
        assert_eq!(listed_keys(&xml), stored, "{query}");
    }
    for query in ["", "list-type=2"] {
        let xml = list(base, query).await;
        assert_eq!(xml.matches("<Key>").count(), 256, "{query}");
        assert!(
            !xml.bytes().any(|b| b < 0x20 && b != b'\n' && b != b'\t'),
            "{query}: a raw control character"
        );
        assert!(xml.contains("<Key>k&#x1;</Key>"), "{query}");
    }
}

#[tokio::test]
async fn url_encoding_covers_prefixes_delimiters_and_markers() {
    let (_server, running) = started().await;
    let base = &running.base;
    for raw in ["a%01/x", "a%01/y", "a%02/z", "b%20c"] {
        assert_eq!(put(base, raw, "x").await.0, 200);
    }
    let xml = list(base, "encoding-type=url&delimiter=/&prefix=a&max-keys=1").await;
    assert!(xml.contains("<Prefix>a</Prefix>"), "{xml}");
    assert!(xml.contains("<Delimiter>/</Delimiter>"), "{xml}");
    assert!(
        xml.contains("<CommonPrefixes><Prefix>a%01/</Prefix></CommonPrefixes>"),
        "{xml}"
    );
    assert!(xml.contains("<NextMarker>a%01/</NextMarker>"), "{xml}");
    let xml = list(base, "list-type=2&encoding-type=url&start-after=b").await;
    assert!(xml.contains("<Key>b+c</Key>"), "{xml}");
    assert!(xml.contains("<StartAfter>b</StartAfter>"), "{xml}");
    let refused = support::client()
        .get(format!("{base}/keys?encoding-type=base64"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("<ArgumentName>encoding-type</ArgumentName>")
    );
}
