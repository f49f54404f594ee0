//! The servers crate's integration tests, as one binary (one link instead of eight); each
//! module is one area, and `support` holds what they share.

mod awscli;
mod bucket_bodies;
mod bucket_keys;
mod bucket_operations;
mod bucket_persistence;
mod bucket_s3_cors;
mod bucket_sigv4;
mod connection_timeouts;
mod proxy_http;
mod proxy_tls;
mod raw_server;
mod support;
