//! Reading request bodies with a size limit, so an oversized upload becomes an S3 error instead
//! of unbounded memory use, and draining the body of a request refused before it was read.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More than the limit arrived (or `Content-Length` announced more).
    TooLarge { announced: Option<u64> },
    /// The connection failed or ended early.
    Incomplete,
}

/// Collects `body`, failing as soon as it exceeds `limit` bytes.
pub(crate) async fn read_limited(
    body: Body,
    announced: Option<u64>,
    limit: u64,
) -> Result<Bytes, BodyError> {
    if announced.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge { announced });
    }
    let mut body = body;
    // Reserving what was announced saves the copies (and the doubled peak) of a growing buffer.
    let mut collected = BytesMut::with_capacity(announced.unwrap_or(0) as usize);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Incomplete)?;
        if let Ok(data) = frame.into_data() {
            if collected.len() as u64 + data.len() as u64 > limit {
                return Err(BodyError::TooLarge { announced });
            }
            collected.extend_from_slice(&data);
        }
    }
    if announced.is_some_and(|length| length != collected.len() as u64) {
        return Err(BodyError::Incomplete);
    }
    Ok(collected.freeze())
}

/// Reads and drops up to `limit` bytes of a body the answer does not need, so a client still
/// sending sees the answer instead of a reset connection; nothing is kept. A body announced
/// longer than `limit` is not read at all (the connection is closed after the answer).
pub(crate) async fn discard(body: Body, announced: Option<u64>, limit: u64) {
    if announced.is_some_and(|length| length > limit) {
        return;
    }
    let mut body = body;
    let mut seen = 0u64;
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            seen += data.len() as u64;
            if seen > limit {
                return;
            }
        }
    }
}

/// Bytes of body the server holds in memory at once across all uploads, in 1 MiB shares: an
/// upload waits (its client held back by TCP flow control) until its announced size fits.
pub(crate) struct UploadBudget {
    shares: tokio::sync::Semaphore,
    total: u32,
}

const SHARE: u64 = 1 << 20;

impl UploadBudget {
    pub(crate) fn new(bytes: u64) -> Self {
        let total = u32::try_from(bytes.div_ceil(SHARE).max(1)).unwrap_or(u32::MAX);
        let total =
            total.min(u32::try_from(tokio::sync::Semaphore::MAX_PERMITS).unwrap_or(u32::MAX));
        UploadBudget {
            shares: tokio::sync::Semaphore::new(total as usize),
            total,
        }
    }

    /// Waits for room for a body of `announced` bytes (`limit` when unannounced); the room is
    /// given back when the permit is dropped. A body larger than the whole budget takes all of it.
    pub(crate) async fn reserve(
        &self,
        announced: Option<u64>,
        limit: u64,
    ) -> tokio::sync::SemaphorePermit<'_> {
        let bytes = announced.unwrap_or(limit).min(limit);
        let shares = u32::try_from(bytes.div_ceil(SHARE))
            .unwrap_or(u32::MAX)
            .min(self.total);
        self.shares
            .acquire_many(shares)
            .await
            .expect("the upload budget is never closed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn uploads_beyond_the_budget_wait_for_room() {
        let budget = UploadBudget::new(10 * SHARE);
        let first = budget.reserve(Some(6 * SHARE), u64::MAX).await;
        let small = budget.reserve(Some(1000), u64::MAX).await;
        let waiting = budget.reserve(Some(6 * SHARE), u64::MAX);
        tokio::pin!(waiting);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), &mut waiting)
                .await
                .is_err(),
            "6 + 1 + 6 MiB do not fit in 10"
        );
        drop(first);
        let second = waiting.await;
        drop(small);
        drop(second);
        // Unannounced: the whole limit, capped at the budget.
        let _all = budget.reserve(None, u64::MAX).await;
        assert_eq!(budget.shares.available_permits(), 0);
    }
}
