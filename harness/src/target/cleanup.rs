//! Leaving the target as it was found: every bucket the probe creates is registered here before
//! it is created and removed (objects first) after its case, whether the case passed, failed or
//! panicked. On Ctrl-C the command empties and deletes whatever is still registered.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::client::{ClientError, S3Client};

/// The buckets created on a target and not yet deleted. Clones share the set.
#[derive(Debug, Clone, Default)]
pub struct BucketRegistry {
    live: Arc<Mutex<BTreeSet<String>>>,
}

impl BucketRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `bucket` as to be deleted; call before creating it, so an interruption between
    /// the two still deletes it.
    pub fn register(&self, bucket: &str) {
        self.lock().insert(bucket.to_owned());
    }

    fn forget(&self, bucket: &str) {
        self.lock().remove(bucket);
    }

    /// The buckets still to delete, sorted.
    pub fn live(&self) -> Vec<String> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        // A panic while holding this lock cannot leave the set inconsistent: keep using it.
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Empties and deletes one registered bucket; it stays registered if that fails.
    pub async fn delete(&self, client: &S3Client, bucket: &str) -> Result<(), ClientError> {
        client.empty_and_delete_bucket(bucket).await?;
        self.forget(bucket);
        Ok(())
    }

    /// Empties and deletes every registered bucket; returns the failures.
    pub async fn delete_all(&self, client: &S3Client) -> Vec<(String, ClientError)> {
        let mut failures = Vec::new();
        for bucket in self.live() {
            if let Err(error) = self.delete(client, &bucket).await {
                failures.push((bucket, error));
            }
        }
        failures
    }
}

/// Unique, valid bucket names for one probe run: `cors-harness-<random>-<n>`.
///
/// S3 bucket names are 3–63 characters of lower-case letters, digits and hyphens; this form is
/// at most 13 + 8 + 1 + 20 characters.
#[derive(Debug)]
pub struct BucketNamer {
    run: String,
    next: AtomicU64,
}

impl BucketNamer {
    pub fn new() -> Self {
        BucketNamer {
            run: short_random(),
            next: AtomicU64::new(1),
        }
    }

    pub fn next_name(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("cors-harness-{}-{n}", self.run)
    }
}

impl Default for BucketNamer {
    fn default() -> Self {
        Self::new()
    }
}

/// Eight lower-case hex digits that differ between runs (and between runs in parallel): the
/// clock's nanoseconds mixed with the process id and an address from this process's heap.
fn short_random() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:08x}", hasher.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_are_unique_lower_case_and_short() {
        let namer = BucketNamer::new();
        let a = namer.next_name();
        let b = namer.next_name();
        assert_ne!(a, b);
        assert_ne!(BucketNamer::new().next_name(), a);
        for name in [a, b] {
            assert!(name.len() <= 63 && name.len() >= 3, "{name}");
            assert!(
                name.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
                "{name}"
            );
        }
    }
}
