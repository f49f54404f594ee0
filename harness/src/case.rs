//! Case files (cases/README.md): one TOML file per case, describing a page origin, an S3 bucket or
//! a literal-header server, and the requests the page makes.
//!
//! * [`load_paths`] finds and loads every case under some paths, each independently, so one
//!   broken file fails only itself;
//! * [`Case`] is a checked case with every reference resolved; [`Case::to_scenario`] is the
//!   engine's input and [`Case::hosts`] the names the origin proxy must route;
//! * [`Expectation`] is an author's `expect` and checks a predicted or observed result;
//! * [`Filter`] is `--filter`/`--tag`, asked of each case with [`Case::matches`];
//! * [`CaseError`] says where a file is wrong: file, line, column and key.
//!
//! The format, every key and the extensions are documented in `cases/README.md` and
//! `cases/case.schema.json`.

mod discover;
mod error;
mod expect;
mod file;
mod filter;
mod load;
mod model;

pub use discover::{
    FoundCase, LoadedCase, ROOT_MARKER, case_id, cases_root_for, find_case_files, load_case_file,
    load_paths,
};
pub use error::CaseError;
pub use expect::Expectation;
pub use filter::Filter;
pub use load::{load_case, parse_case};
pub use model::{BucketCase, Case, CaseRequest, CaseServer, CorsSource};
