//! What a forwarding router answered, exchange by exchange: the evidence a browser run against
//! an external target is judged by. The engine replays it as a
//! [`cors_engine::scenario::RecordedModel`], so its prediction is made from exactly the answers
//! the browser received.

use std::sync::{Arc, Mutex, MutexGuard};

use cors_engine::scenario::RecordedExchange;

/// The exchanges one router answered, in the order it answered them. Clones share the list.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    exchanges: Arc<Mutex<Vec<RecordedExchange>>>,
}

impl Recording {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&self, exchange: RecordedExchange) {
        self.lock().push(exchange);
    }

    /// A copy of everything recorded so far.
    pub fn exchanges(&self) -> Vec<RecordedExchange> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<RecordedExchange>> {
        // Pushing cannot leave the list half-changed: a poisoned lock still holds a valid list.
        self.exchanges
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
