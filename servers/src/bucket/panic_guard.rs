//! The last line of defence: a request handler that panics answers 500 `InternalError` (S3's XML
//! error document) instead of dropping the connection with no answer, and the panic is reported
//! on stderr with the request it happened on.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::Response;
use cors_engine::HeaderList;

use super::Shared;
use super::errors;
use super::render::{self, Reply};

/// Polls the wrapped future, turning a panic in any poll into `Err` with the panic's payload.
struct CatchPanic<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        // State shared with other requests sits behind locks that recover from poisoning, and a
        // panicked future is never polled again, so observing it after the unwind is harmless.
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// Runs `handler`; if it panics, logs `request` (method and target) with the panic message and
/// answers S3's 500 `InternalError`.
pub(crate) async fn answer_or_internal_error<F>(
    shared: &Shared,
    request: &str,
    handler: F,
) -> Response
where
    F: Future<Output = Response>,
{
    match (CatchPanic {
        inner: Box::pin(handler),
    })
    .await
    {
        Ok(response) => response,
        Err(payload) => {
            eprintln!(
                "bucket server: the handler of `{request}` panicked ({}); answered 500 InternalError",
                panic_message(payload.as_ref())
            );
            let ids = shared.ids.next();
            render::finish(
                Reply::error(&errors::internal_error(), &ids),
                &ids,
                &HeaderList::new(),
            )
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "no message"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bucket::BucketServer;

    #[tokio::test]
    async fn a_panicking_handler_answers_internal_error() {
        let server = BucketServer::new();
        let response = answer_or_internal_error(&server.inner, "GET /b/k", async {
            panic!("deliberate");
        })
        .await;
        assert_eq!(response.status(), 500);
        assert!(response.headers().contains_key("x-amz-request-id"));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("<Code>InternalError</Code>"), "{body}");
    }

    #[tokio::test]
    async fn a_handler_that_answers_is_passed_through() {
        let server = BucketServer::new();
        let response = answer_or_internal_error(&server.inner, "GET /", async {
            let mut response = Response::new(axum::body::Body::empty());
            *response.status_mut() = http::StatusCode::IM_A_TEAPOT;
            response
        })
        .await;
        assert_eq!(response.status(), 418);
    }
}
