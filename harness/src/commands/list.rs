//! `cors-harness list [PATHS…]`: the cases grouped by folder, with titles and tags; broken case
//! files are listed with their error.
//!
//! Exit codes: 0 every listed case loads; 2 a case file is broken (the others are still listed).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::case::{LoadedCase, load_paths};
use crate::cli::ListArgs;
use crate::commands::{EXIT_BAD_INPUT, EXIT_OK, write_stdout};

pub fn execute(args: ListArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        args.paths
    };
    let loaded = load_paths(&paths);
    let shown: Vec<&LoadedCase> = loaded
        .iter()
        .filter(|entry| match entry.case() {
            Some(case) => args.tag.is_empty() || case.tags.iter().any(|t| args.tag.contains(t)),
            // A broken case is always shown: its tags are unknown.
            None => true,
        })
        .collect();
    let mut out = String::new();
    let mut folder: Option<&str> = None;
    let mut broken = 0;
    for entry in &shown {
        let (dir, name) = entry.id.rsplit_once('/').unwrap_or(("", entry.id.as_str()));
        if folder != Some(dir) {
            let _ = writeln!(out, "{}/", if dir.is_empty() { "." } else { dir });
            folder = Some(dir);
        }
        match &entry.result {
            Ok(case) => {
                let tags = if case.tags.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", case.tags.join(", "))
                };
                let _ = writeln!(out, "  {name:<32} {}{tags}", case.title);
            }
            Err(error) => {
                broken += 1;
                let _ = writeln!(out, "  {name:<32} BROKEN: {error}");
            }
        }
    }
    let _ = writeln!(out, "{} case(s), {broken} broken", shown.len());
    write_stdout(&out)?;
    Ok(ExitCode::from(if broken > 0 {
        EXIT_BAD_INPUT
    } else {
        EXIT_OK
    }))
}
