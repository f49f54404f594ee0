//! The origin proxy's HTTPS side driven like a browser: `CONNECT`, TLS terminated with a
//! generated certificate for the tunnel's host, HTTP/1.1 inside with keep-alive.

use crate::support::proxy as helpers;

use base64::Engine as _;
use cors_servers::RunRoutes;
use helpers::{
    browser_like_client, connect_tunnel, echo_router, proxy_for, three_gets_on_one_connection,
    tls_client_config,
};
use http::StatusCode;
use rstest::rstest;
use rustls_pki_types::ServerName;
use sha2::{Digest as _, Sha256};
use tokio_rustls::TlsConnector;

#[rstest]
#[case::page_origin("https://app.example.test")]
#[case::virtual_hosted_bucket("https://assets.s3.amazonaws.com")]
#[case::path_style_endpoint("https://s3.eu-west-1.amazonaws.com")]
#[case::explicit_port("https://api.example.test:8443")]
#[tokio::test]
async fn https_through_connect_reaches_the_runs_router(#[case] origin: &str) {
    let proxy = proxy_for(&[
        "app.example.test",
        "assets.s3.amazonaws.com",
        "s3.eu-west-1.amazonaws.com",
        "api.example.test",
    ])
    .await;
    let _run = proxy
        .register_run(
            "t1",
            RunRoutes::new().with_origin(origin, echo_router("tls")),
        )
        .unwrap();
    // The client trusts only the proxy's CA and checks the host name, so success means the
    // certificate was issued for exactly this host.
    let client = browser_like_client(&proxy);

    let response = client
        .get(format!("{origin}/__run/t1/photos/cat.jpg"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(
        body.starts_with("tls GET /photos/cat.jpg host=")
            && body.ends_with(&format!("origin={origin}")),
        "{body}"
    );
}

#[tokio::test]
async fn each_host_gets_a_certificate_naming_it_and_all_share_one_key() {
    let proxy = proxy_for(&["app.example.test", "assets.s3.amazonaws.com"]).await;
    let connector = TlsConnector::from(tls_client_config(&proxy));
    let mut spki_hashes = Vec::new();

    for host in ["app.example.test", "assets.s3.amazonaws.com"] {
        let (status, tunnel) = connect_tunnel(proxy.addr(), &format!("{host}:443")).await;
        assert_eq!(status, 200);
        let name = ServerName::try_from(host.to_string()).unwrap();
        let tls = connector
            .connect(name, tunnel)
            .await
            .expect("certificate verifies for the tunnel's host");
        let chain = tls.get_ref().1.peer_certificates().unwrap();
        let spki = subject_public_key_info(chain[0].as_ref());
        spki_hashes.push(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(spki)));
    }

    assert_eq!(spki_hashes[0], proxy.spki_sha256_base64());
    assert_eq!(spki_hashes[1], proxy.spki_sha256_base64());
}

#[tokio::test]
async fn a_certificate_does_not_name_other_hosts() {
    let proxy = proxy_for(&["app.example.test", "other.example.test"]).await;
    let connector = TlsConnector::from(tls_client_config(&proxy));
    let (status, tunnel) = connect_tunnel(proxy.addr(), "app.example.test:443").await;
    assert_eq!(status, 200);

    let wrong_name = ServerName::try_from("other.example.test").unwrap();
    let handshake = connector.connect(wrong_name, tunnel).await;

    let error = handshake
        .expect_err("a certificate for app.example.test must not verify for other.example.test");
    assert!(error.to_string().contains("not valid for name"), "{error}");
}

#[tokio::test]
async fn connect_to_an_undeclared_host_is_refused() {
    let proxy = proxy_for(&["app.example.test"]).await;

    let (status, _) = connect_tunnel(proxy.addr(), "example.com:443").await;
    assert_eq!(status, 403);

    let client = browser_like_client(&proxy);
    let error = client
        .get("https://example.com/__run/r1/")
        .send()
        .await
        .expect_err("no tunnel to an undeclared host");
    assert!(error.is_connect(), "{error:?}");
}

#[tokio::test]
async fn several_requests_share_one_tls_tunnel() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let _run = proxy
        .register_run(
            "k1",
            RunRoutes::new().with_origin("https://app.example.test", echo_router("K")),
        )
        .unwrap();
    let connector = TlsConnector::from(tls_client_config(&proxy));
    let (_, tunnel) = connect_tunnel(proxy.addr(), "app.example.test:443").await;
    let tls = connector
        .connect(ServerName::try_from("app.example.test").unwrap(), tunnel)
        .await
        .unwrap();
    three_gets_on_one_connection(tls, |n| format!("/__run/k1/n{n}"), "K").await;
    let log = proxy.take_wire_log("k1");
    let urls: Vec<_> = log.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://app.example.test/n0",
            "https://app.example.test/n1",
            "https://app.example.test/n2"
        ]
    );
}

#[tokio::test]
async fn https_preflights_are_logged_with_the_https_origin() {
    let proxy = proxy_for(&["app.example.test", "assets.s3.amazonaws.com"]).await;
    let _run = proxy
        .register_run(
            "w1",
            RunRoutes::new().with_origin("https://assets.s3.amazonaws.com", echo_router("B")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    client
        .request(
            http::Method::OPTIONS,
            "https://assets.s3.amazonaws.com/__run/w1/k",
        )
        .header("Origin", "https://app.example.test")
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .await
        .unwrap();

    let log = proxy.take_wire_log("w1");
    assert_eq!(log.len(), 1);
    assert!(log[0].is_preflight());
    assert_eq!(log[0].url, "https://assets.s3.amazonaws.com/k");
    assert_eq!(
        log[0].response_headers.get("access-control-allow-origin"),
        Some("https://app.example.test")
    );
}

#[tokio::test]
async fn every_certificate_has_its_own_serial_number() {
    // An issuer that reuses a serial number gets the second certificate rejected by Firefox
    // (NSS); all leaves share one key, so the serial must not be derived from the key alone.
    let hosts = [
        "app.example.test",
        "assets.example.test",
        "api.example.test",
    ];
    let proxy = proxy_for(&hosts).await;
    let connector = TlsConnector::from(tls_client_config(&proxy));
    let mut serials = Vec::new();

    for host in hosts {
        let (_, tunnel) = connect_tunnel(proxy.addr(), &format!("{host}:443")).await;
        let tls = connector
            .connect(ServerName::try_from(host.to_string()).unwrap(), tunnel)
            .await
            .unwrap();
        let chain = tls.get_ref().1.peer_certificates().unwrap();
        serials.push(serial_number(chain[0].as_ref()).to_vec());
        serials.push(serial_number(chain[1].as_ref()).to_vec());
    }

    let leaf_serials = [&serials[0], &serials[2], &serials[4]];
    let ca_serial = &serials[1];
    let mut distinct = leaf_serials.to_vec();
    distinct.push(ca_serial);
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "serials: {serials:02x?}");
}

/// The contents of a certificate's serialNumber INTEGER.
fn serial_number(certificate: &[u8]) -> &[u8] {
    let (_, certificate_body, _) = der_element(certificate);
    let (_, mut tbs, _) = der_element(certificate_body);
    if tbs[0] == 0xA0 {
        tbs = der_element(tbs).2;
    }
    der_element(tbs).1
}

/// The DER bytes of a certificate's SubjectPublicKeyInfo (a minimal walk of the X.509 layout:
/// Certificate → TBSCertificate → [version], serial, signature, issuer, validity, subject, SPKI).
fn subject_public_key_info(certificate: &[u8]) -> &[u8] {
    let (_, certificate_body, _) = der_element(certificate);
    let (_, mut tbs, _) = der_element(certificate_body);
    if tbs[0] == 0xA0 {
        tbs = der_element(tbs).2;
    }
    for _ in 0..5 {
        tbs = der_element(tbs).2;
    }
    let (whole, _, _) = der_element(tbs);
    whole
}

/// Splits one DER element off `input`: (the whole element, its contents, what follows).
fn der_element(input: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let first_length_byte = input[1];
    let (length, header) = if first_length_byte < 0x80 {
        (usize::from(first_length_byte), 2)
    } else {
        let count = usize::from(first_length_byte & 0x7F);
        let length = input[2..2 + count]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (length, 2 + count)
    };
    let end = header + length;
    (&input[..end], &input[header..end], &input[end..])
}
