//! `cases/case.schema.json` and the loader describe the same format: every shipped case and
//! the every-key fixtures validate against the schema, and files the loader refuses for a
//! structural reason are refused by the schema too.
//!
//! The validator below is deliberately small: it understands the JSON Schema keywords the
//! case schema uses (`$ref`, `type`, `enum`, `properties`, `additionalProperties`, `required`,
//! `items`, `minItems`, `minLength`, `minimum`, `maximum`, `oneOf`, `not`) and ignores
//! `pattern`, which the loader checks with better messages.

use std::path::Path;

use cors_harness::case::{load_case_file, load_paths};
use serde_json::Value;

use crate::support::repo_root;

fn schema() -> Value {
    let text = std::fs::read_to_string(repo_root().join("cases/case.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn toml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/$defs/")
                .expect("local $defs reference");
            resolve(root, &root["$defs"][name])
        }
        None => schema,
    }
}

fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        let ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            other => panic!("schema uses type {other}"),
        };
        if !ok {
            errors.push(format!("{at}: expected {kind}, got {value}"));
            return;
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array)
        && !choices.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {choices:?}"));
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && value
            .as_str()
            .is_some_and(|s| (s.chars().count() as u64) < min)
    {
        errors.push(format!("{at}: shorter than {min}"));
    }
    if let Some(n) = value.as_i64() {
        if schema
            .get("minimum")
            .and_then(Value::as_i64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{at}: below minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_i64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: above maximum"));
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, item_schema, item, &format!("{at}[{i}]"), errors);
            }
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap();
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required `{name}`"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, member) in object {
            let path = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(member_schema) => validate(root, member_schema, member, &path, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{path}: unknown key"));
                    }
                    Some(extra) if extra.is_object() => {
                        validate(root, extra, member, &path, errors);
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|option| {
                let mut inner = Vec::new();
                validate(root, option, value, at, &mut inner);
                inner.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!(
                "{at}: matches {matching} of the oneOf alternatives"
            ));
        }
    }
    if let Some(forbidden) = schema.get("not") {
        let mut inner = Vec::new();
        validate(root, forbidden, value, at, &mut inner);
        if inner.is_empty() {
            errors.push(format!("{at}: matches a forbidden combination {forbidden}"));
        }
    }
}

fn schema_errors(path: &Path) -> Vec<String> {
    let root = schema();
    let mut errors = Vec::new();
    validate(&root, &root, &toml_as_json(path), "$", &mut errors);
    errors
}

#[test]
fn the_schema_is_draft_2020_12() {
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_shipped_case_validates_against_the_schema() {
    let loaded = load_paths(&[repo_root().join("cases")]);
    assert!(loaded.len() >= 12);
    for entry in loaded {
        let errors = schema_errors(&entry.path);
        assert!(errors.is_empty(), "{}: {errors:#?}", entry.id);
    }
}

#[test]
fn the_every_key_fixtures_load_and_validate() {
    for name in ["every-key.toml", "raw-server.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cases")
            .join(name);
        if let Err(error) = load_case_file(&path) {
            panic!("{error}");
        }
        let errors = schema_errors(&path);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

/// Structural mistakes the loader refuses must be refused by the schema too.
#[test]
fn the_schema_refuses_what_the_loader_refuses_structurally() {
    let dir = tempfile::tempdir().unwrap();
    let good = "title = \"t\"\npage = \"https://a.example.com\"\n[bucket]\nname = \"b\"\n[[request]]\nurl = \"/x\"\n";
    let variants = [
        (
            "unknown-key",
            good.replace("url = \"/x\"", "url = \"/x\"\nmethd = \"GET\""),
        ),
        ("missing-title", good.replace("title = \"t\"\n", "")),
        (
            "both-targets",
            format!("{good}[server]\norigin = \"https://s.example.test\"\n"),
        ),
        ("no-target", good.replace("[bucket]\nname = \"b\"\n", "")),
        (
            "no-request",
            good.replace("[[request]]\nurl = \"/x\"\n", ""),
        ),
        (
            "cors-and-cors-file",
            good.replace(
                "name = \"b\"",
                "name = \"b\"\ncors = \"[]\"\ncors_file = \"x\"",
            ),
        ),
        (
            "bad-outcome",
            good.replace(
                "url = \"/x\"",
                "url = \"/x\"\nexpect = { outcome = \"maybe\" }",
            ),
        ),
        (
            "bad-kind",
            good.replace("url = \"/x\"", "url = \"/x\"\nkind = \"iframe\""),
        ),
        (
            "wait-beyond-a-timer",
            good.replace("url = \"/x\"", "url = \"/x\"\nwait_ms = 2147483648"),
        ),
    ];
    for (name, text) in variants {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, &text).unwrap();
        assert!(
            load_case_file(&path).is_err(),
            "{name}: the loader accepts it"
        );
        assert!(
            !schema_errors(&path).is_empty(),
            "{name}: the schema accepts it"
        );
    }
}

/// Every enum value the schema allows is a value of the engine type the loader reads it into.
#[test]
fn schema_enums_are_engine_values() {
    use cors_engine::ReasonCode;
    use cors_engine::observation::Outcome;
    use cors_engine::scenario::{CacheMode, CredentialsMode, CrossOrigin, Mode, RequestKind};

    fn each(values: &Value, check: impl Fn(Value) -> bool) {
        for value in values["enum"].as_array().expect("an enum") {
            assert!(check(value.clone()), "{value} is not an engine value");
        }
    }
    let root = schema();
    let request = &root["$defs"]["request"]["properties"];
    let expect = &root["$defs"]["expectFields"]["properties"];
    each(&request["kind"], |v| {
        serde_json::from_value::<RequestKind>(v).is_ok()
    });
    each(&request["mode"], |v| {
        serde_json::from_value::<Mode>(v).is_ok()
    });
    each(&request["credentials"], |v| {
        serde_json::from_value::<CredentialsMode>(v).is_ok()
    });
    each(&request["crossorigin"], |v| {
        serde_json::from_value::<CrossOrigin>(v).is_ok()
    });
    each(&request["cache"], |v| {
        serde_json::from_value::<CacheMode>(v).is_ok()
    });
    each(&expect["outcome"], |v| {
        serde_json::from_value::<Outcome>(v).is_ok()
    });
    each(&expect["reason"], |v| {
        serde_json::from_value::<ReasonCode>(v).is_ok()
    });
    assert_eq!(
        root["$defs"]["expect"]["properties"]["reason"], expect["reason"],
        "common and per-browser reasons agree"
    );
}
