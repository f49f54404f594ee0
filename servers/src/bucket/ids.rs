//! S3's per-response identifiers: `x-amz-request-id` (16 upper-case alphanumerics) and
//! `x-amz-id-2` (base64 text), unique per response and cheap to make.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The pair of identifiers one response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponseIds {
    pub(crate) request_id: String,
    pub(crate) host_id: String,
}

/// Makes identifiers from a per-server seed and a counter, hashed so they look like S3's.
pub(crate) struct RequestIds {
    seed: u128,
    counter: AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        // The address of a fresh allocation differs between servers created in the same instant.
        let local = Box::new(0u8);
        let address = &*local as *const u8 as usize as u128;
        RequestIds {
            seed: nanos ^ (address << 64) ^ u128::from(std::process::id()),
            counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn next(&self) -> ResponseIds {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let digest = Sha256::new()
            .chain_update(self.seed.to_le_bytes())
            .chain_update(n.to_le_bytes())
            .finalize();
        let request_id = digest[..16]
            .iter()
            .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
            .collect();
        let long = Sha256::new().chain_update(digest).finalize();
        let mut host_bytes = digest.to_vec();
        host_bytes.extend_from_slice(&long[..25]);
        let host_id = base64::engine::general_purpose::STANDARD.encode(host_bytes);
        ResponseIds {
            request_id,
            host_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_s3s_and_do_not_repeat() {
        let ids = RequestIds::new();
        let a = ids.next();
        let b = ids.next();
        assert_ne!(a, b);
        assert_eq!(a.request_id.len(), 16);
        assert!(
            a.request_id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(a.host_id.len(), 76);
    }
}
