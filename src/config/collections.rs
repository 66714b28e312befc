//! `[[collections]]` in site.toml: data collections (records kept in
//! `data/<name>.yaml` or `data/<name>.csv`), their fields and what readers
//! filter them by. docs/COLLECTIONS.md describes them for editors.

use super::{is_slug, setting, Setting, SettingType, CONFIG_FILE, NOT_BLANK, SLUG_PATTERN};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};

/// The settings of each `[[collections]]` table.
pub const COLLECTION_SETTINGS: &[Setting] = &[
    setting("name", SettingType::Text { pattern: Some(SLUG_PATTERN) }, true,
        "The collection's name: lowercase letters, digits and hyphens. Its records are in data/<name>.yaml (or .yml, or .csv) and its page is at /<name>/.",
        "name = \"organisations\""),
    setting("title", SettingType::Text { pattern: Some(NOT_BLANK) }, false,
        "The listing page's title. When not set: the title of content/<name>/_index.md if there is one, else the name.",
        "title = \"Organisations in this guide\""),
    setting("record_pages", SettingType::Flag, false,
        "true gives every record a page of its own at /<name>/<id>/.",
        "record_pages = true"),
    setting("nav", SettingType::Flag, false,
        "false leaves the listing out of the main menu. When not set, the listing is in the menu after the sections, like a section (ordered by the `weight` of content/<name>/_index.md when there are several).",
        "nav = false"),
    setting("title_field", SettingType::Text { pattern: Some(FIELD_PATTERN) }, false,
        "The field shown as a record's title (\"name\" when not set).",
        "title_field = \"name\""),
    setting("fields", SettingType::Tables(FIELD_SETTINGS), false,
        "The fields each record may have, one [[collections.fields]] table each, in the order they are shown. `id` is always there and is not declared.",
        "[[collections.fields]]\nname = \"name\"\ntype = \"text\"\nrequired = true"),
];

/// A field name: lowercase letters, digits and underscores.
const FIELD_PATTERN: &str = "^[a-z][a-z0-9_]*$";

/// The settings of each `[[collections.fields]]` table.
pub const FIELD_SETTINGS: &[Setting] = &[
    setting("name", SettingType::Text { pattern: Some(FIELD_PATTERN) }, true,
        "The field's name in the data file (a YAML key or a CSV column): lowercase letters, digits and underscores.",
        "name = \"region\""),
    setting("label", SettingType::Text { pattern: Some(NOT_BLANK) }, false,
        "What readers see as the field's name. When not set: the name with _ as spaces and a capital first letter.",
        "label = \"Region\""),
    setting("type", SettingType::Text { pattern: Some("^(text|markdown|number|year|url|choice|pages|stakeholders)$") }, false,
        "What the field holds: text (one line), markdown, number, year (four digits), url (http or https), choice (one of `values`), pages (pages of this guide, by slug or path) or stakeholders (stakeholder ids of site.toml). text when not set.",
        "type = \"choice\""),
    setting("required", SettingType::Flag, false,
        "true makes a record without this field an error.",
        "required = true"),
    setting("values", SettingType::TextList, false,
        "The values a `choice` field may take (required for choice, only for choice).",
        "values = [\"BME organisation\", \"Funder\", \"Infrastructure body\"]"),
    setting("filter", SettingType::Flag, false,
        "true lets readers filter the listing by this field, and makes it a search filter. Only for choice, year and stakeholders fields.",
        "filter = true"),
];

/// One `[[collections]]` table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub record_pages: bool,
    /// Whether the listing is in the main menu (true when not set).
    #[serde(default = "default_nav")]
    pub nav: bool,
    #[serde(default = "default_title_field")]
    pub title_field: String,
    #[serde(default)]
    pub fields: Vec<FieldConfig>,
}

fn default_nav() -> bool {
    true
}

fn default_title_field() -> String {
    "name".into()
}

/// One `[[collections.fields]]` table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldConfig {
    pub name: String,
    #[serde(default)]
    pub label: Option<String>,
    /// As written; [`FieldConfig::field_type`] reads it.
    #[serde(rename = "type", default = "default_type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub filter: bool,
}

fn default_type() -> String {
    "text".into()
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Markdown,
    Number,
    Year,
    Url,
    Choice,
    Pages,
    Stakeholders,
}

/// Every field type, by the name site.toml gives it.
pub const FIELD_TYPES: &[(&str, FieldType)] = &[
    ("text", FieldType::Text),
    ("markdown", FieldType::Markdown),
    ("number", FieldType::Number),
    ("year", FieldType::Year),
    ("url", FieldType::Url),
    ("choice", FieldType::Choice),
    ("pages", FieldType::Pages),
    ("stakeholders", FieldType::Stakeholders),
];

impl FieldType {
    /// Whether readers can filter a listing by a field of this type.
    pub fn filterable(self) -> bool {
        matches!(
            self,
            FieldType::Choice | FieldType::Year | FieldType::Stakeholders
        )
    }

    /// Whether a value is a list (`;`-separated in a CSV cell).
    pub fn is_list(self) -> bool {
        matches!(self, FieldType::Pages | FieldType::Stakeholders)
    }
}

impl FieldConfig {
    /// The field's type (text when site.toml names an unknown one: reported at load).
    pub fn field_type(&self) -> FieldType {
        FIELD_TYPES
            .iter()
            .find(|(n, _)| *n == self.ty)
            .map_or(FieldType::Text, |(_, t)| *t)
    }

    /// What readers see as its name.
    pub fn label(&self) -> String {
        match &self.label {
            Some(l) if !l.trim().is_empty() => l.trim().to_string(),
            _ => {
                let spaced = self.name.replace('_', " ");
                let mut c = spaced.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }
        }
    }
}

impl CollectionConfig {
    /// The index of the field called `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// URL paths (first parts) a collection cannot take: the generator's own
/// pages and the sections.
fn reserved(name: &str) -> bool {
    matches!(
        name,
        "stakeholders" | "search" | "print" | "glossary" | "pagefind" | "accessibility"
    ) || crate::kind::Kind::from_section(name).is_some()
}

/// File line and column of `key = ...` in the `c`th `[[collections]]` table
/// (0-based), or in its `f`th `[[collections.fields]]` table when `f` is given;
/// the table's own line when the key is not there.
pub(super) fn position(text: &str, c: usize, f: Option<usize>, key: &str) -> (usize, usize) {
    let (mut ci, mut fi): (Option<usize>, Option<usize>) = (None, None);
    let mut table_line = 0;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            let header: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            if header.starts_with("[[collections]]") {
                ci = Some(ci.map_or(0, |x| x + 1));
                fi = None;
            } else if header.starts_with("[[collections.fields]]") {
                fi = Some(fi.map_or(0, |x| x + 1));
            } else {
                // Another table: no longer inside a collection.
                if ci == Some(c) && fi == f {
                    break;
                }
                ci = ci.map(|x| x + 1000);
                continue;
            }
            if ci == Some(c) && fi == f {
                table_line = n + 1;
            }
            continue;
        }
        if ci == Some(c) && fi == f {
            if let Some(rest) = t
                .strip_prefix(key)
                .filter(|r| r.trim_start().starts_with('='))
            {
                let value = rest.trim_start()[1..].trim_start();
                let at = line.len() - value.len();
                return (n + 1, line[..at].chars().count() + 1);
            }
        }
    }
    (table_line, 0)
}

/// Checks every `[[collections]]` table; a bad one is reported at its line.
pub(super) fn validate(collections: &[CollectionConfig], text: &str, problems: &mut Diagnostics) {
    let mut bad = |c: usize, f: Option<usize>, key: &str, message: String, hint: String| {
        let (line, column) = position(text, c, f, key);
        problems.push(
            Diagnostic::error(format!("{CONFIG_FILE}: {message}"))
                .in_file(CONFIG_FILE)
                .at(line, column)
                .with_source(text)
                .hint(hint),
        );
    };
    let mut names = std::collections::HashSet::new();
    for (c, coll) in collections.iter().enumerate() {
        if !is_slug(&coll.name) {
            bad(
                c,
                None,
                "name",
                format!("collection name `{}` is not a valid name", coll.name),
                format!(
                    "use lowercase letters, digits and hyphens, e.g. `name = \"{}\"`",
                    slug::slugify(&coll.name)
                ),
            );
        } else if reserved(&coll.name) {
            bad(
                c,
                None,
                "name",
                format!(
                    "collection name `{}` is a page fairguide makes already",
                    coll.name
                ),
                "choose another name, e.g. `name = \"organisations\"`".into(),
            );
        } else if !names.insert(coll.name.as_str()) {
            bad(
                c,
                None,
                "name",
                format!("collection `{}` is declared twice", coll.name),
                "give each [[collections]] table its own name".into(),
            );
        }
        if coll.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
            bad(
                c,
                None,
                "title",
                format!("collection `{}` has an empty `title`", coll.name),
                "write the listing page's title, e.g. `title = \"Organisations in this guide\"`, or leave it out".into(),
            );
        }
        let mut fields = std::collections::HashSet::new();
        for (f, field) in coll.fields.iter().enumerate() {
            let valid_name = !field.name.is_empty()
                && field.name.starts_with(|c: char| c.is_ascii_lowercase())
                && field
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid_name {
                bad(
                    c,
                    Some(f),
                    "name",
                    format!("field name `{}` is not a valid name", field.name),
                    "use lowercase letters, digits and underscores, starting with a letter, e.g. `name = \"region\"`".into(),
                );
            } else if field.name == "id" {
                bad(
                    c,
                    Some(f),
                    "name",
                    "`id` is every record's own field and is not declared".into(),
                    "remove this [[collections.fields]] table: every record has an `id` already"
                        .into(),
                );
            } else if !fields.insert(field.name.as_str()) {
                bad(
                    c,
                    Some(f),
                    "name",
                    format!(
                        "field `{}` is declared twice in collection `{}`",
                        field.name, coll.name
                    ),
                    "give each [[collections.fields]] table its own name".into(),
                );
            }
            if !FIELD_TYPES.iter().any(|(n, _)| *n == field.ty) {
                let types: Vec<&str> = FIELD_TYPES.iter().map(|(n, _)| *n).collect();
                bad(
                    c,
                    Some(f),
                    "type",
                    format!("field `{}` has an unknown type `{}`", field.name, field.ty),
                    format!(
                        "{} The types are: {}.",
                        did_you_mean(&field.ty, &types),
                        types.join(", ")
                    ),
                );
                continue;
            }
            let ty = field.field_type();
            match (&field.values, ty) {
                (None, FieldType::Choice) => bad(
                    c,
                    Some(f),
                    "type",
                    format!("choice field `{}` has no `values`", field.name),
                    "list the values it may take, e.g. `values = [\"Funder\", \"Infrastructure body\"]`".into(),
                ),
                (Some(v), FieldType::Choice) if v.iter().all(|v| v.trim().is_empty()) => bad(
                    c,
                    Some(f),
                    "values",
                    format!("choice field `{}` has no `values`", field.name),
                    "list the values it may take, e.g. `values = [\"Funder\", \"Infrastructure body\"]`".into(),
                ),
                (Some(_), t) if t != FieldType::Choice => bad(
                    c,
                    Some(f),
                    "values",
                    format!("field `{}` has `values`, but only a choice field takes them", field.name),
                    "write `type = \"choice\"`, or remove `values`".into(),
                ),
                _ => {}
            }
            if field.filter && !ty.filterable() {
                bad(
                    c,
                    Some(f),
                    "filter",
                    format!("field `{}` is a {} field, which readers cannot filter by", field.name, field.ty),
                    "only choice, year and stakeholders fields can be filters: remove `filter = true`, or change the type".into(),
                );
            }
        }
        if coll.field(&coll.title_field).is_none() {
            let known: Vec<&str> = coll.fields.iter().map(|f| f.name.as_str()).collect();
            bad(
                c,
                None,
                "title_field",
                format!(
                    "collection `{}` shows its records by the field `{}`, but declares no such field",
                    coll.name, coll.title_field
                ),
                format!(
                    "{} Declare it in a [[collections.fields]] table (e.g. `name = \"{}\"`), or set `title_field` to one of the collection's fields",
                    did_you_mean(&coll.title_field, &known),
                    coll.title_field
                ),
            );
        }
    }
}
