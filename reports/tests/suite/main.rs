//! Integration tests of every renderer on realistic run reports.

mod baseline;
mod html;
mod json;
mod junit;
mod markdown;
mod sample;
mod terminal;
mod write;
