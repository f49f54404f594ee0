//! Helpers the harness's test binaries share. Each binary includes this module with `#[path]`;
//! not every binary uses every item.
#![allow(dead_code)]

pub mod external_server;
