//! Helpers shared by the test modules: `bucket` starts a bucket server and reads its answers,
//! `proxy` drives the origin proxy.

pub mod bucket;
pub mod proxy;
