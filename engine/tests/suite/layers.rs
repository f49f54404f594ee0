//! The engine's modules form layers (ARCHITECTURE.md, "Invariants"): a module may use modules of
//! its own layer and of the layers below it, never one above. This reads the engine's sources and
//! fails on any `crate::…` path that points upward. (The engine writes every path to another
//! top-level module as `crate::…`; `super::` stays inside one module.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. Vocabulary at the bottom, the whole-scenario simulation at the top.
const LAYERS: &[&[&str]] = &[
    // Words every other module speaks: header lists, reason codes, sentence building, traces,
    // XML text.
    &["http", "reason", "text", "trace", "xml"],
    // The S3 half (configuration and S3's answers) and the observation format.
    &["config", "observation", "s3"],
    // What a case asks for: the page, the server model, the requests.
    &["scenario"],
    // The browser half.
    &["browser"],
    // Checks built on both halves.
    &["lint"],
    // Runs a scenario through a server model and a browser.
    &["predict"],
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer: add it to LAYERS"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules named by the `crate::` paths of `code`, each with the path as written
/// (up to the next character that cannot be part of a path). `crate::{a, b::c}` names `a` and
/// `b`.
fn crate_paths(code: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            // Split at the group's own commas, not those of nested groups.
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            found.push((name.clone(), format!("crate::{}", item.trim())));
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let module = path.split("::").next().unwrap_or_default().to_owned();
            found.push((module, format!("crate::{path}")));
        }
        rest = after;
    }
    found
}

/// The code of `text` without its comment lines (doc links may point anywhere).
fn code_of(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_module_uses_a_module_of_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();

    let mut upward = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let relative_text = relative.to_string_lossy().replace('\\', "/");
        if relative_text == "lib.rs" {
            continue;
        }
        let first = relative.components().next().expect("a component");
        let module = Path::new(first.as_os_str())
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        modules.insert(module.clone());
        let own = layer_of(&module);
        let text = std::fs::read_to_string(file).expect("read a source file");
        for (target, path) in crate_paths(&code_of(&text)) {
            if target == module || layer_of(&target) <= own {
                continue;
            }
            upward.push(format!(
                "{relative_text}: `{path}` (layer {own} uses layer {})",
                layer_of(&target)
            ));
        }
    }
    assert!(
        modules.len() > 5,
        "the engine's modules were found: {modules:?}"
    );
    assert!(
        upward.is_empty(),
        "upward uses across the engine's layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn crate_paths_are_read_from_plain_and_grouped_uses() {
    let code = "use crate::predict::text::cat;\nuse crate::{http::HeaderList, reason};\nlet x = crate::s3::actual(a);";
    let modules: Vec<String> = crate_paths(code).into_iter().map(|(m, _)| m).collect();
    assert_eq!(modules, ["predict", "http", "reason", "s3"]);
    assert_eq!(
        code_of("// crate::predict\nuse crate::http;"),
        "use crate::http;"
    );
}
