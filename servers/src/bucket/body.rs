//! Reading request bodies with a size limit, so an oversized upload becomes an S3 error instead
//! of unbounded memory use.

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
    let mut collected = BytesMut::new();
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
