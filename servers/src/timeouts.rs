//! Closing slow and idle clients. Every server here (the origin proxy, `serve`) speaks HTTP/1.1
//! through hyper with two limits:
//!
//! * **header read**: once the first byte of a request arrives, the whole request head (request
//!   line and headers) must follow within this time; a client trickling its head (slowloris) is
//!   disconnected;
//! * **idle**: a connection waiting for its next request (after connecting, or after the previous
//!   answer) is closed after this time without one. hyper's own header timer does this: it starts
//!   whenever hyper waits for a request head, so it also bounds a head whose first byte came late.
//!
//! A request whose head has arrived is never cut short by either: bodies and slow handlers have
//! their own limits. Browsers and the AWS CLI reopen a closed idle connection transparently.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioTimer;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// How long a connection may take to send a request head, and may sit idle between requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionTimeouts {
    pub header_read: Duration,
    pub idle: Duration,
}

impl ConnectionTimeouts {
    /// 30 s to send a request head, 90 s idle: well beyond what a browser or the AWS CLI needs
    /// (both send a head in one write and reopen an idle connection the server closed).
    pub const DEFAULT: Self = Self {
        header_read: Duration::from_secs(30),
        idle: Duration::from_secs(90),
    };
}

impl Default for ConnectionTimeouts {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// An HTTP/1.1 connection builder whose idle limit is `timeouts.idle`.
pub(crate) fn http1_builder(timeouts: ConnectionTimeouts) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.idle);
    builder
}

/// When the request head being read started arriving, shared by a connection's I/O and service.
#[derive(Debug, Default)]
pub(crate) struct HeadClock {
    state: Mutex<HeadState>,
}

#[derive(Debug, Default)]
struct HeadState {
    /// A request is being handled: bytes read now are its body, not a head.
    in_request: bool,
    /// First byte of the head being read.
    head_started: Option<Instant>,
}

impl HeadClock {
    fn lock(&self) -> std::sync::MutexGuard<'_, HeadState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bytes_read(&self) {
        let mut state = self.lock();
        if !state.in_request && state.head_started.is_none() {
            state.head_started = Some(Instant::now());
        }
    }

    /// Call when the service receives a request: its head is complete.
    pub(crate) fn head_complete(&self) {
        let mut state = self.lock();
        state.in_request = true;
        state.head_started = None;
    }

    /// Call when the service has answered: the next bytes start the next head.
    pub(crate) fn answered(&self) {
        self.lock().in_request = false;
    }

    fn overdue(&self, limit: Duration) -> bool {
        self.lock()
            .head_started
            .is_some_and(|started| started.elapsed() > limit)
    }
}

/// A connection's I/O that tells its [`HeadClock`] when bytes arrive.
pub(crate) struct TimedIo<T> {
    io: T,
    clock: Arc<HeadClock>,
}

impl<T> TimedIo<T> {
    pub(crate) fn new(io: T, clock: Arc<HeadClock>) -> Self {
        Self { io, clock }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for TimedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.clock.bytes_read();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for TimedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

/// Drives `connection` until it ends, or drops it (closing the socket) once a request head has
/// been arriving for longer than `header_read`.
pub(crate) async fn run_with_header_limit<F: Future>(
    connection: F,
    clock: &HeadClock,
    header_read: Duration,
) {
    tokio::pin!(connection);
    // Checking a few times per limit is precise enough and costs nothing per connection.
    let period = (header_read / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut connection => return,
            _ = ticks.tick() => {
                if clock.overdue(header_read) {
                    return;
                }
            }
        }
    }
}
