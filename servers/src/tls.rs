//! Certificates for the origin proxy's HTTPS side: a per-proxy certificate authority that issues a
//! leaf certificate for any host name on demand.
//!
//! Every leaf certificate carries the **same** key pair. Chrome can then be told to trust them all
//! with `--ignore-certificate-errors-spki-list=<base64 SHA-256 of that key's SPKI>` without
//! `acceptInsecureCerts`, which would keep HTTPS responses out of its HTTP cache (docs/runner.md).
//! Firefox, which caches normally under `acceptInsecureCerts`, can use that instead, or trust the
//! CA certificate.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData as _, SerialNumber,
};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest as _, Sha256};
use time::{Duration, OffsetDateTime};

/// Why a certificate or TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot generate a key or certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot build the TLS configuration for '{host}': {source}")]
    Config {
        host: String,
        #[source]
        source: rustls::Error,
    },
}

/// Installs rustls' aws-lc-rs provider as the process default, once. Only that provider is
/// compiled into the workspace; installing it explicitly keeps every rustls user (ours, the
/// WebDriver client's, reqwest's) on the same one. An error means another part of the process
/// already installed a provider, which is fine.
pub fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    });
}

/// A local certificate authority plus the one key pair all its leaf certificates share.
pub struct CertificateAuthority {
    issuer: Issuer<'static, KeyPair>,
    ca_certificate: CertificateDer<'static>,
    ca_certificate_pem: String,
    leaf_key: KeyPair,
    leaf_spki_sha256_base64: String,
    /// TLS configurations already built, by lower-cased host name.
    configs: Mutex<HashMap<String, Arc<ServerConfig>>>,
    /// Leaf certificates issued so far; feeds each one's serial number.
    issued: AtomicU64,
}

impl std::fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field("leaf_spki_sha256_base64", &self.leaf_spki_sha256_base64)
            .finish_non_exhaustive()
    }
}

impl CertificateAuthority {
    /// A fresh authority with new keys (ECDSA P-256).
    pub fn generate() -> Result<Self, TlsError> {
        install_crypto_provider();
        let ca_key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, "cors-harness local CA");
        name.push(DnType::OrganizationName, "cors-harness");
        params.distinguished_name = name;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        (params.not_before, params.not_after) = validity();
        let ca_cert = params.self_signed(&ca_key)?;

        let leaf_key = KeyPair::generate()?;
        let spki_hash = Sha256::digest(leaf_key.subject_public_key_info());
        Ok(Self {
            issuer: Issuer::new(params, ca_key),
            ca_certificate_pem: ca_cert.pem(),
            ca_certificate: ca_cert.der().clone(),
            leaf_key,
            leaf_spki_sha256_base64: base64::engine::general_purpose::STANDARD.encode(spki_hash),
            configs: Mutex::new(HashMap::new()),
            issued: AtomicU64::new(0),
        })
    }

    /// Base64 of the SHA-256 of the shared leaf key's SubjectPublicKeyInfo: the value for Chrome's
    /// `--ignore-certificate-errors-spki-list`.
    pub fn spki_sha256_base64(&self) -> &str {
        &self.leaf_spki_sha256_base64
    }

    /// The CA certificate, PEM-encoded, for clients that trust it as a root.
    pub fn ca_certificate_pem(&self) -> &str {
        &self.ca_certificate_pem
    }

    /// The server-side TLS configuration for `host` (a DNS name or an IP address), with a leaf
    /// certificate naming it; built on first use and cached. ALPN offers HTTP/1.1 only, so
    /// browsers never try HTTP/2 inside the tunnel.
    pub fn server_config_for(&self, host: &str) -> Result<Arc<ServerConfig>, TlsError> {
        let host = host.to_ascii_lowercase();
        if let Some(config) = self.lock_configs().get(&host) {
            return Ok(Arc::clone(config));
        }
        // Built outside the lock: signing takes a moment and other hosts need not wait. Two
        // concurrent first uses of one host build twice; either result is valid.
        let config = Arc::new(self.build_server_config(&host)?);
        self.lock_configs()
            .entry(host)
            .or_insert_with(|| Arc::clone(&config));
        Ok(config)
    }

    fn build_server_config(&self, host: &str) -> Result<ServerConfig, TlsError> {
        let leaf = self.issue_leaf(host)?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.leaf_key.serialize_der()));
        let chain = vec![leaf, self.ca_certificate.clone()];
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config_error = |source| TlsError::Config {
            host: host.to_string(),
            source,
        };
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(config_error)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(config_error)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }

    fn issue_leaf(&self, host: &str) -> Result<CertificateDer<'static>, TlsError> {
        // `CertificateParams::new` turns a name that parses as an IP address into an IP SAN and
        // anything else into a DNS SAN.
        let mut params = CertificateParams::new(vec![host.to_string()])?;
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, host);
        params.distinguished_name = name;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        (params.not_before, params.not_after) = validity();
        params.serial_number = Some(self.next_serial(host));
        let cert = params.signed_by(&self.leaf_key, &self.issuer)?;
        Ok(cert.der().clone())
    }

    /// A serial number no other leaf of this (or, with overwhelming probability, any other)
    /// authority carries. rcgen's default derives the serial from the public key, which would give
    /// every leaf here the same one; Firefox (NSS) then rejects the second host's certificate with
    /// a "bad certificate" alert, because an issuer must never reuse a serial number (seen with
    /// Firefox ESR 153 through the proxy).
    fn next_serial(&self, host: &str) -> SerialNumber {
        let count = self.issued.fetch_add(1, Ordering::Relaxed);
        let digest = Sha256::new()
            .chain_update(self.ca_certificate.as_ref())
            .chain_update(host.as_bytes())
            .chain_update(count.to_be_bytes())
            .finalize();
        let mut serial = digest[..16].to_vec();
        // Positive and without a leading zero byte, so its DER encoding is exactly 16 bytes.
        serial[0] = (serial[0] & 0x7F) | 0x40;
        SerialNumber::from_slice(&serial)
    }

    fn lock_configs(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ServerConfig>>> {
        // Every critical section is one map operation, so a poisoned map is still consistent.
        self.configs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// From a day ago (clock skew) to 30 days ahead: far longer than any harness process lives, and
/// well under the 398-day limit browsers apply to server certificates.
fn validity() -> (OffsetDateTime, OffsetDateTime) {
    let now = OffsetDateTime::now_utc();
    (now - Duration::days(1), now + Duration::days(30))
}
