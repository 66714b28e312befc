//! `fairguide schema`: JSON Schemas (draft-07, the draft VS Code's YAML
//! extension and TOML extensions handle best) for every kind's front matter
//! and for site.toml, so that an editor can complete keys, describe them on
//! hover and flag mistakes while typing.
//!
//! They are generated from the tables the build validates with: front
//! matter keys from [`crate::content::keys::KEYS`] (which the build's
//! known-key check reads) and settings from [`crate::config::SETTINGS`]
//! (which its unknown-setting hints read). `tests/schema.rs` checks that what
//! the build rejects, the schemas reject too.

use crate::config::{Config, Setting, SettingType, SETTINGS};
use crate::content::keys::{
    self, KeySpec, KeyType, CHANGE_FIELDS, COMMITMENT_FIELDS, ORGANISATION_FIELDS, SOURCE_FIELDS,
};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// Where `fairguide schema` writes, in the site's folder, unless told otherwise.
pub const DEFAULT_DIR: &str = "schemas";

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The file name of `kind`'s front matter schema.
pub fn kind_file(kind: Kind) -> String {
    format!("{}.schema.json", kind.value())
}

/// The file name of site.toml's schema.
pub const SITE_FILE: &str = "site.schema.json";

/// Every schema, by file name: one per kind of page, then site.toml's.
pub fn schemas() -> Vec<(String, Value)> {
    schemas_for(None)
}

/// Like [`schemas`], with the stakeholder ids of `config` (when given)
/// offered as the only values `stakeholders` and a commitment's
/// `stakeholder` take.
pub fn schemas_for(config: Option<&Config>) -> Vec<(String, Value)> {
    let ids: Option<Vec<&str>> = config.map(|c| c.stakeholder_ids());
    let mut out: Vec<(String, Value)> = Kind::ALL
        .iter()
        .map(|&k| (kind_file(k), front_matter(k, ids.as_deref())))
        .collect();
    out.push((SITE_FILE.to_string(), site()));
    out
}

/// Which files each schema is for, as globs from the site's folder (for
/// VS Code's `yaml.schemas`).
pub fn file_patterns() -> Vec<(String, Vec<String>)> {
    Kind::ALL
        .iter()
        .map(|&k| {
            let globs = match k {
                Kind::Home => vec!["content/_index.md".to_string()],
                Kind::Section => vec!["content/*/_index.md".to_string()],
                Kind::CodeOfConduct => vec!["content/code-of-conduct.md".to_string()],
                Kind::Page => vec!["content/*.md".to_string()],
                other => match other.section() {
                    Some(s) => vec![format!("content/{s}/**/*.md")],
                    None => vec![],
                },
            };
            (kind_file(k), globs)
        })
        .collect()
}

/// A schema as the text written to its file.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes every schema into `dir` (made if missing), replacing older copies
/// of the same files; returns the files written.
pub fn write(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    // With a site.toml, its stakeholder ids complete; without one, any id.
    let config = Config::load(root).ok();
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(format!("cannot create {}: {e}", dir.display()))
            .hint("check that you may write there, or pass another folder with --output")
    })?;
    let mut written = Vec::new();
    for (name, schema) in schemas_for(config.as_ref()) {
        let path = dir.join(&name);
        std::fs::write(&path, to_text(&schema))
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

/// Text, a number or true/false: all read as text.
fn scalar() -> Value {
    json!({"type": ["string", "number", "boolean"]})
}

/// Empty (`key:` with nothing after it), which the build reads as absent.
fn nothing() -> Value {
    json!({"type": "null"})
}

/// Only spaces or nothing: a blank left to fill in.
fn blank() -> Value {
    json!({"anyOf": [nothing(), {"type": "string", "pattern": "^\\s*$"}]})
}

fn names_of(ids: Option<&[&str]>) -> Value {
    let item = match ids {
        Some(ids) => json!({"enum": ids}),
        None => scalar(),
    };
    json!({"anyOf": [nothing(), item.clone(), {"type": "array", "items": item}]})
}

/// A group of `key: value` lines with these fields, of which `required`
/// must not be blank unless every field is.
fn group(
    fields: &[(&str, &str, &str)],
    field_schema: impl Fn(&str) -> Value,
    required: &str,
) -> Value {
    let mut properties = Map::new();
    let mut all_blank = Map::new();
    for &(name, description, example) in fields {
        let mut schema = field_schema(name);
        if let Value::Object(m) = &mut schema {
            m.insert("description".into(), json!(description));
            m.insert("examples".into(), json!([yaml_value(example)]));
        }
        properties.insert(name.to_string(), schema);
        all_blank.insert(name.to_string(), blank());
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "anyOf": [
            {"required": [required], "properties": {required: {"type": ["string", "number", "boolean"], "pattern": "\\S"}}},
            {"properties": all_blank},
        ],
    })
}

/// The value of a YAML example (`2012`, `"Title"`), as JSON.
fn yaml_value(text: &str) -> Value {
    serde_yaml::from_str::<serde_yaml::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Value::Null)
}

/// The value of a key's example line (`stakeholders: [funders, bme]`), as JSON.
fn example_value(key: &KeySpec) -> Value {
    let parsed: serde_yaml::Value = serde_yaml::from_str(key.example).unwrap_or_default();
    parsed
        .get(key.name)
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Value::Null)
}

fn source() -> Value {
    let one = group(
        SOURCE_FIELDS,
        |name| match name {
            "id" => {
                json!({"anyOf": [nothing(), blank(), {"type": "string", "pattern": "^(?=[a-z0-9-]*[a-z])[a-z0-9]+(-[a-z0-9]+)*$"}]})
            }
            "year" => json!({"anyOf": [
                nothing(),
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": "^([0-9]{4}|\\s*)$"},
            ]}),
            // Web, mail and phone addresses and paths: never a script.
            "url" => json!({"anyOf": [nothing(), {
                "type": "string",
                "pattern": "^(\\s*([hH][tT][tT][pP][sS]?|[mM][aA][iI][lL][tT][oO]|[tT][eE][lL]):[\\s\\S]*|[^:/?#]*([/?#][\\s\\S]*)?)$",
            }]}),
            _ => json!({"anyOf": [nothing(), scalar()]}),
        },
        "title",
    );
    json!({"anyOf": [nothing(), scalar(), one.clone(), {"type": "array", "items": {"anyOf": [scalar(), one]}}]})
}

fn organisations() -> Value {
    let one = group(
        ORGANISATION_FIELDS,
        |_| json!({"anyOf": [nothing(), scalar()]}),
        "name",
    );
    json!({"anyOf": [nothing(), scalar(), one.clone(), {"type": "array", "items": {"anyOf": [scalar(), one]}}]})
}

/// An item of a list key: an object of exactly `fields`, each described,
/// with `required` among them.
fn list_item(
    fields: &[(&str, &str, &str)],
    field_schema: impl Fn(&str) -> Value,
    required: &[&str],
) -> Value {
    let mut properties = Map::new();
    for &(name, description, example) in fields {
        let mut schema = field_schema(name);
        if let Value::Object(m) = &mut schema {
            m.insert("description".into(), json!(description));
            m.insert("examples".into(), json!([yaml_value(example)]));
        }
        properties.insert(name.to_string(), schema);
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

fn changes() -> Value {
    let one = list_item(
        CHANGE_FIELDS,
        |name| match name {
            "date" => json!({"type": "string", "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$"}),
            _ => scalar(),
        },
        &["date", "note"],
    );
    json!({"anyOf": [nothing(), {"type": "array", "items": one}]})
}

fn commitments(ids: Option<&[&str]>) -> Value {
    let one = list_item(
        COMMITMENT_FIELDS,
        |name| match name {
            "stakeholder" => match ids {
                Some(ids) => json!({"enum": ids}),
                None => scalar(),
            },
            "basis" => {
                json!({"anyOf": [nothing(), scalar(), {"type": "array", "items": scalar()}]})
            }
            _ => scalar(),
        },
        &["stakeholder", "text"],
    );
    json!({"anyOf": [nothing(), one.clone(), {"type": "array", "items": one}]})
}

/// The schema of one key's value, with its description and example.
fn key_schema(key: &KeySpec, ids: Option<&[&str]>) -> Value {
    let mut schema = match key.ty {
        KeyType::Text if key.required => {
            json!({"type": ["string", "number", "boolean"], "pattern": "\\S"})
        }
        KeyType::Text => json!({"type": ["string", "number", "boolean", "null"]}),
        KeyType::Integer => json!({"type": ["integer", "null"]}),
        KeyType::Number => {
            json!({"type": ["integer", "null"], "minimum": 1, "maximum": u32::MAX})
        }
        KeyType::Flag => json!({"type": ["boolean", "null"]}),
        KeyType::Names | KeyType::Slugs(_) => names_of(None),
        KeyType::Stakeholders => names_of(ids),
        KeyType::Date => json!({
            "type": ["string", "null"],
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date",
        }),
        KeyType::Source => source(),
        KeyType::Organisations => organisations(),
        KeyType::Commitments => commitments(ids),
        KeyType::Changes => changes(),
        KeyType::Scale => {
            json!({"anyOf": [nothing(), scalar(), {"type": "array", "items": scalar()}]})
        }
        // Checked in detail by the build (content::worksheet); here its shape.
        KeyType::Groups => {
            json!({"anyOf": [nothing(), {"type": "array", "items": {"type": "object"}}]})
        }
    };
    let description = match key.ty {
        KeyType::Slugs(kind) => format!(
            "{} ({} pages are in content/{}/.)",
            key.description,
            kind.label(),
            kind.section().unwrap_or("")
        ),
        _ => key.description.to_string(),
    };
    if let Value::Object(m) = &mut schema {
        m.insert("description".into(), json!(description));
        m.insert(
            "markdownDescription".into(),
            json!(format!(
                "{description}\n\nExample:\n\n```yaml\n{}\n```",
                key.example
            )),
        );
        m.insert("examples".into(), json!([example_value(key)]));
    }
    schema
}

/// The schema of `kind`'s front matter.
pub fn front_matter(kind: Kind, ids: Option<&[&str]>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in keys::for_kind(kind) {
        properties.insert(key.name.to_string(), key_schema(key, ids));
        if key.required {
            required.push(key.name);
        }
    }
    json!({
        "$schema": DRAFT,
        "title": format!("fairguide: front matter of a {} page", kind.label().to_lowercase()),
        "description": format!(
            "The keys a {} page may have, between the two --- lines at its top. Only title is required.",
            kind.label().to_lowercase()
        ),
        "type": "object",
        "required": required,
        "additionalProperties": false,
        "properties": properties,
    })
}

fn setting_schema(s: &Setting) -> Value {
    let mut schema = match s.ty {
        SettingType::Text { pattern: Some(p) } => json!({"type": "string", "pattern": p}),
        SettingType::Text { pattern: None } => json!({"type": "string"}),
        SettingType::Flag => json!({"type": "boolean"}),
        SettingType::Number { min, max } => {
            json!({"type": "number", "minimum": min, "maximum": max})
        }
        SettingType::Tables(fields) => json!({"type": "array", "items": table(fields)}),
        SettingType::Table(fields) => table(fields),
        SettingType::TextList => json!({"type": "array", "items": {"type": "string"}}),
    };
    if let Value::Object(m) = &mut schema {
        m.insert("description".into(), json!(s.description));
        m.insert(
            "markdownDescription".into(),
            json!(format!(
                "{}\n\nExample:\n\n```toml\n{}\n```",
                s.description, s.example
            )),
        );
        let example: Option<Value> = toml::from_str::<toml::Table>(s.example)
            .ok()
            .and_then(|t| t.get(s.name).cloned())
            .and_then(|v| serde_json::to_value(v).ok());
        if let Some(example) = example {
            m.insert("examples".into(), json!([example]));
        }
    }
    schema
}

fn table(settings: &[Setting]) -> Value {
    let properties: Map<String, Value> = settings
        .iter()
        .map(|s| (s.name.to_string(), setting_schema(s)))
        .collect();
    let required: Vec<&str> = settings
        .iter()
        .filter(|s| s.required)
        .map(|s| s.name)
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// The schema of site.toml.
pub fn site() -> Value {
    let mut schema = table(SETTINGS);
    if let Value::Object(m) = &mut schema {
        m.insert("$schema".into(), json!(DRAFT));
        m.insert("title".into(), json!("fairguide: site.toml"));
        m.insert(
            "description".into(),
            json!("The guide's settings, its stakeholder types and its glossary."),
        );
    }
    schema
}
