//! The servers a browser under test talks to.
//!
//! * the **bucket server**: a path-style and virtual-hosted S3 REST subset whose CORS answers are
//!   rendered from `cors-engine` (it never decides a CORS rule itself);
//! * the **raw server**: literal headers for cases that are not about S3;
//! * the **page server**: the runner page on the case's page origin;
//! * the **origin proxy**: the one address browsers are pointed at, routing any host name (HTTP, and
//!   HTTPS through CONNECT with per-host certificates) and recording the wire log.

pub mod bucket;
pub mod page;
pub mod proxy;
pub mod raw;
pub mod sigv4;
pub mod timeouts;
pub mod tls;
pub mod wire_log;

pub use page::{PageAssets, PageFile, page_router};
pub use proxy::{
    OriginProxy, ProxiedRequest, ProxyConfig, ProxyError, ProxyHandle, RunRegistration, RunRoutes,
};
pub use raw::raw_router;
pub use timeouts::ConnectionTimeouts;
