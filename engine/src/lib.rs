//! Pure CORS semantics for cors-harness.
//!
//! `cors-engine` is the oracle every browser run is compared with. It models both halves of a
//! cross-origin request to an S3 bucket:
//!
//! * the **S3 half** ([`config`], [`s3`]): parsing and validating a bucket CORS configuration exactly
//!   as Amazon S3 does, matching rules, and building S3's full answer (status, CORS headers in order,
//!   `Vary`, error XML) for a preflight or an actual request, and [`lint`]ing a configuration for
//!   the classic mistakes S3 accepts;
//! * the **browser half** ([`browser`]): the Fetch standard's CORS protocol with a Chrome profile and
//!   a Firefox profile, including their documented deviations, the preflight cache and the HTTP cache.
//!
//! [`predict()`] runs a whole [`Scenario`] (a page origin, a server model and a sequence of requests)
//! through both halves and returns, for every request, the same [`RequestResult`] type a real browser
//! run produces, plus an explanation ([`Trace`]) and the console text each browser would print.
//!
//! The crate does no I/O and has no async code: every function is a deterministic function of its
//! inputs, so it can be tested exhaustively and is cheap to call: a single-request prediction
//! takes about half a microsecond to two microseconds on one core (`cargo bench -p cors-engine
//! --bench predict`; figures in `docs/engine-throughput.md`).

pub mod browser;
pub mod config;
pub mod http;
pub mod lint;
pub mod observation;
pub mod predict;
pub mod reason;
pub mod s3;
pub mod scenario;
mod text;
pub mod trace;
mod xml;

pub use browser::Browser;
pub use config::{CorsConfiguration, CorsRule};
pub use http::HeaderList;
pub use observation::{Outcome, Readable, RequestResult, WireExchange};
pub use predict::{
    Prediction, RequestPrediction, ServerExchange, predict, predict_results, server_exchanges,
};
pub use reason::ReasonCode;
pub use scenario::Scenario;
pub use trace::Trace;
