//! Data collections: the records of each `[[collections]]` of site.toml, read
//! from `data/<name>.yaml` (or `.yml`) or `data/<name>.csv` and checked
//! against the collection's fields. Every problem names the file, the line
//! (for CSV, the row and the column) and the field, with a hint; all are
//! collected. References to pages and stakeholder types are resolved by the
//! link stage (`link::records`), which knows the pages.

use crate::config::{CollectionConfig, Config, FieldType};
use crate::diagnostics::{describe_yaml, did_you_mean, Diagnostic, Diagnostics};
use serde_yaml::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The folder of data files, at the site's root.
pub const DATA_DIR: &str = "data";

/// One collection and its records, in the file's order.
#[derive(Debug, Clone)]
pub struct Collection {
    pub config: CollectionConfig,
    /// The data file, as messages show it (`data/organisations.yaml`); empty
    /// when there is none (a collection with no records yet).
    pub file: PathBuf,
    /// The file's text, to show the line of a problem found later.
    pub text: String,
    pub records: Vec<Record>,
    /// Record id -> index in `records`.
    pub by_id: HashMap<String, usize>,
}

/// One record: its id and each declared field's value, in the fields' order.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    /// File line of the record (its `- ` line, or its CSV row).
    pub line: usize,
    pub values: Vec<FieldValue>,
    /// File line and column of each field's value (the record's line when absent).
    pub positions: Vec<(usize, usize)>,
    /// For CSV, the row number (the header is row 1); 0 for YAML.
    pub row: usize,
}

/// A field's value, checked against its type.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Empty,
    One(String),
    List(Vec<String>),
}

impl FieldValue {
    /// The value's items: none, one, or the list's.
    pub fn items(&self) -> &[String] {
        match self {
            FieldValue::Empty => &[],
            FieldValue::One(s) => std::slice::from_ref(s),
            FieldValue::List(l) => l,
        }
    }
}

impl Collection {
    /// The text of record `r`'s title field ("" when it has none).
    pub fn title_of(&self, r: usize) -> &str {
        let rec = &self.records[r];
        self.config
            .field(&self.config.title_field)
            .and_then(|f| rec.values[f].items().first())
            .map_or(rec.id.as_str(), String::as_str)
    }

    /// Where a problem with field `field` (an index, or None for the record)
    /// of record `r` is reported: file, line, column, and the row and column
    /// names for CSV.
    pub fn error_at(&self, r: usize, field: Option<usize>, message: String) -> Diagnostic {
        let rec = &self.records[r];
        let (line, column) = field.map_or((rec.line, 0), |f| rec.positions[f]);
        let name = field.map_or("id", |f| self.config.fields[f].name.as_str());
        let message = if rec.row > 0 {
            format!("row {}, column `{name}`: {message}", rec.row)
        } else {
            format!("record `{}`, field `{name}`: {message}", rec.id)
        };
        Diagnostic::error(message)
            .in_file(&self.file)
            .at(line, column)
            .with_source(&self.text)
    }
}

/// Reads every collection site.toml declares.
pub fn load(root: &Path, config: &Config) -> (Vec<Collection>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut out = Vec::with_capacity(config.collections.len());
    for c in &config.collections {
        let (collection, d) = load_one(root, c, config);
        diags.extend(d);
        out.push(collection);
    }
    (out, diags)
}

/// The data file of a collection, if there is one (two is an error).
fn data_file(root: &Path, name: &str) -> Result<Option<PathBuf>, Diagnostic> {
    let found: Vec<PathBuf> = ["yaml", "yml", "csv"]
        .iter()
        .map(|ext| Path::new(DATA_DIR).join(format!("{name}.{ext}")))
        .filter(|p| root.join(p).is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(Diagnostic::error(format!(
            "collection `{name}` has two data files: {} and {}",
            a.display(),
            b.display()
        ))
        .in_file(b)
        .hint("keep the records in one file: remove or rename the other")),
    }
}

fn load_one(root: &Path, c: &CollectionConfig, config: &Config) -> (Collection, Vec<Diagnostic>) {
    let mut collection = Collection {
        config: c.clone(),
        file: PathBuf::new(),
        text: String::new(),
        records: vec![],
        by_id: HashMap::new(),
    };
    let file = match data_file(root, &c.name) {
        Ok(Some(f)) => f,
        Ok(None) => {
            let d = Diagnostic::error(format!(
                "collection `{}` is declared in site.toml, but there is no data/{}.yaml or data/{}.csv",
                c.name, c.name, c.name
            ))
            .in_file(Path::new(DATA_DIR).join(format!("{}.yaml", c.name)))
            .hint(format!(
                "create data/{}.yaml (a list of records, each with an `id`) or data/{}.csv (a header row, then a row per record), or remove the [[collections]] table",
                c.name, c.name
            ));
            return (collection, vec![d]);
        }
        Err(d) => return (collection, vec![d]),
    };
    let text = match std::fs::read(root.join(&file)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                let d = Diagnostic::error(format!("{} is not UTF-8 text", file.display()))
                    .in_file(&file)
                    .hint("save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\")");
                return (collection, vec![d]);
            }
        },
        Err(e) => {
            let d = Diagnostic::error(format!("cannot read {}: {e}", file.display()))
                .in_file(&file)
                .hint("check the file's permissions");
            return (collection, vec![d]);
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text)
        .replace("\r\n", "\n");
    collection.file = file;
    collection.text = text;
    let mut diags = Vec::new();
    let raw = if collection.file.extension().is_some_and(|e| e == "csv") {
        read_csv(&collection, &mut diags)
    } else {
        read_yaml(&collection, &mut diags)
    };
    for raw in raw {
        if let Some(record) = check_record(&collection, raw, config, &mut diags) {
            let r = collection.records.len();
            match collection.by_id.get(&record.id) {
                Some(&other) => {
                    let line = collection.records[other].line;
                    collection.records.push(record);
                    diags.push(
                        collection
                            .error_at(
                                r,
                                None,
                                format!(
                                    "the id `{}` is also used by the record at line {line}",
                                    collection.records[r].id
                                ),
                            )
                            .hint("give each record its own id"),
                    );
                    collection.records.pop();
                }
                None => {
                    collection.by_id.insert(record.id.clone(), r);
                    collection.records.push(record);
                }
            }
        }
    }
    (collection, diags)
}

/// A record as read, before its values are checked: each cell or YAML value
/// by field name, with its position.
struct RawRecord {
    line: usize,
    row: usize,
    id: Option<(RawValue, (usize, usize))>,
    fields: Vec<(String, RawValue, (usize, usize))>,
}

enum RawValue {
    /// A CSV cell (lists split at `;`).
    Cell(String),
    Yaml(Value),
}

fn read_csv(c: &Collection, diags: &mut Vec<Diagnostic>) -> Vec<RawRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(c.text.as_bytes());
    let mut out = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut row = 0;
    for result in reader.records() {
        row += 1;
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(
                    Diagnostic::error(format!(
                        "row {row} cannot be read: {}",
                        match e.kind() {
                            csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_string(),
                            _ => "its quotes do not match".to_string(),
                        }
                    ))
                    .in_file(&c.file)
                    .at(line, 0)
                    .with_source(&c.text)
                    .hint("a cell with a comma or a line break goes in double quotes, and a quote inside it is written twice (\"\")"),
                );
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            // A blank line, or a spreadsheet's empty row.
            if header.is_none() {
                row -= 1;
            }
            continue;
        }
        let Some(names) = &header else {
            let names: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
            let mut seen = std::collections::HashSet::new();
            for name in &names {
                if !seen.insert(name.as_str()) {
                    diags.push(
                        Diagnostic::error(format!(
                            "the header row names the column `{name}` twice"
                        ))
                        .in_file(&c.file)
                        .at(line, 0)
                        .with_source(&c.text)
                        .hint("give each column its own name"),
                    );
                }
            }
            if !names.iter().any(|n| n == "id") {
                diags.push(
                    Diagnostic::error("the header row has no `id` column")
                        .in_file(&c.file)
                        .at(line, 0)
                        .with_source(&c.text)
                        .hint("the first row names the columns: add a column called `id`, holding each record's id (lowercase letters, digits and hyphens)"),
                );
            }
            header = Some(names);
            continue;
        };
        if record.len() != names.len() {
            diags.push(
                Diagnostic::error(format!(
                    "row {row} has {} cells, but the header row names {} columns",
                    record.len(),
                    names.len()
                ))
                .in_file(&c.file)
                .at(line, 0)
                .with_source(&c.text)
                .hint("give every row one cell per column (an empty cell for no value); a cell with a comma goes in double quotes"),
            );
            continue;
        }
        let mut raw = RawRecord {
            line,
            row,
            id: None,
            fields: Vec::new(),
        };
        for (name, cell) in names.iter().zip(record.iter()) {
            let position = (line, 0);
            if name == "id" {
                raw.id = Some((RawValue::Cell(cell.to_string()), position));
            } else if !name.is_empty() || !cell.trim().is_empty() {
                raw.fields
                    .push((name.clone(), RawValue::Cell(cell.to_string()), position));
            }
        }
        out.push(raw);
    }
    out
}

/// The file lines on which each top-level `- ` item of a YAML list starts.
fn item_lines(text: &str) -> Vec<usize> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| *l == "-" || l.starts_with("- ") || l.starts_with("-\t"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// File line and column of `key:` between lines `from` and `to` (1-based, `to` excluded).
fn key_position(lines: &[&str], from: usize, to: usize, key: &str) -> Option<(usize, usize)> {
    for n in from..to.min(lines.len() + 1) {
        let line = lines[n - 1];
        let t = line.trim_start_matches(['-', ' ', '\t']);
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| t.strip_prefix(&format!("'{key}'")));
        if let Some(rest) = rest.filter(|r| r.starts_with(':')) {
            let value = rest[1..].trim_start();
            let at = if value.is_empty() || value.starts_with('#') {
                line.len() - t.len()
            } else {
                line.len() - value.len()
            };
            return Some((n, line[..at].chars().count() + 1));
        }
    }
    None
}

fn read_yaml(c: &Collection, diags: &mut Vec<Diagnostic>) -> Vec<RawRecord> {
    let value: Value = if c.text.trim().is_empty() {
        Value::Sequence(vec![])
    } else {
        match serde_yaml::from_str(&c.text) {
            Ok(v) => v,
            Err(e) => {
                let (line, column) = e.location().map_or((1, 0), |l| (l.line(), l.column()));
                let full = e.to_string();
                let message = full.split(" at line ").next().unwrap_or(&full);
                diags.push(
                    Diagnostic::error(format!("{} is not valid YAML: {message}", c.file.display()))
                        .in_file(&c.file)
                        .at(line, column)
                        .with_source(&c.text)
                        .hint("check the indentation and quoting of this line; values with `: ` or `#` need double quotes"),
                );
                return vec![];
            }
        }
    };
    let items = match value {
        Value::Sequence(items) => items,
        Value::Null => vec![],
        other => {
            diags.push(
                Diagnostic::error(format!(
                    "{} should be a list of records, but it is {}",
                    c.file.display(),
                    describe_yaml(&other)
                ))
                .in_file(&c.file)
                .at(1, 0)
                .with_source(&c.text)
                .hint("start each record with `- id: ...` at the start of a line, its other fields indented below it"),
            );
            return vec![];
        }
    };
    let lines: Vec<&str> = c.text.split('\n').collect();
    let starts = item_lines(&c.text);
    let block = starts.len() == items.len();
    let mut out = Vec::with_capacity(items.len());
    for (k, item) in items.into_iter().enumerate() {
        let (from, to) = if block {
            (
                starts[k],
                starts.get(k + 1).copied().unwrap_or(lines.len() + 1),
            )
        } else {
            (1, 1)
        };
        let Value::Mapping(map) = item else {
            diags.push(
                Diagnostic::error(format!(
                    "record {} should be a group of `field: value` lines, but it is {}",
                    k + 1,
                    describe_yaml(&item)
                ))
                .in_file(&c.file)
                .at(from, 0)
                .with_source(&c.text)
                .hint("write each record as `- id: ...` with its fields indented below it, e.g. `  name: \"BTEG\"`"),
            );
            continue;
        };
        let mut raw = RawRecord {
            line: from,
            row: 0,
            id: None,
            fields: Vec::new(),
        };
        for (key, value) in map {
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => String::new(),
            };
            let position = if block {
                key_position(&lines, from, to, &key).unwrap_or((from, 0))
            } else {
                (1, 0)
            };
            if key == "id" {
                raw.id = Some((RawValue::Yaml(value), position));
            } else {
                raw.fields.push((key, RawValue::Yaml(value), position));
            }
        }
        out.push(raw);
    }
    out
}

/// A record's problem before it has an index: file, line and column.
fn problem(
    c: &Collection,
    raw: &RawRecord,
    field: &str,
    position: (usize, usize),
    message: String,
    hint: String,
) -> Diagnostic {
    let message = if raw.row > 0 {
        format!("row {}, column `{field}`: {message}", raw.row)
    } else {
        let id = match &raw.id {
            Some((RawValue::Yaml(Value::String(s)), _)) => format!("record `{s}`"),
            _ => "a record".to_string(),
        };
        format!("{id}, field `{field}`: {message}")
    };
    Diagnostic::error(message)
        .in_file(&c.file)
        .at(position.0, position.1)
        .with_source(&c.text)
        .hint(hint)
}

/// The text of a scalar (YAML text, number or true/false, or a CSV cell), trimmed.
fn scalar(v: &RawValue) -> Option<String> {
    match v {
        RawValue::Cell(s) => Some(s.trim().to_string()),
        RawValue::Yaml(Value::String(s)) => Some(s.trim().to_string()),
        RawValue::Yaml(Value::Number(n)) => Some(n.to_string()),
        RawValue::Yaml(Value::Bool(b)) => Some(b.to_string()),
        RawValue::Yaml(Value::Null) => Some(String::new()),
        RawValue::Yaml(_) => None,
    }
}

fn what(v: &RawValue) -> &'static str {
    match v {
        RawValue::Cell(_) => "text",
        RawValue::Yaml(v) => describe_yaml(v),
    }
}

/// Checks a record's id and values against the collection's fields.
fn check_record(
    c: &Collection,
    raw: RawRecord,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let fields = &c.config.fields;
    let id = match &raw.id {
        None => {
            diags.push(problem(
                c,
                &raw,
                "id",
                (raw.line, 0),
                "the record has no `id`".into(),
                "give every record an id: lowercase letters, digits and hyphens, e.g. `id: camden-cvs`".into(),
            ));
            None
        }
        Some((v, position)) => match scalar(v) {
            Some(id) if crate::config::is_slug(&id) => Some(id),
            Some(id) if id.is_empty() => {
                diags.push(problem(
                    c,
                    &raw,
                    "id",
                    *position,
                    "the record's `id` is empty".into(),
                    "give every record an id: lowercase letters, digits and hyphens, e.g. `camden-cvs`".into(),
                ));
                None
            }
            Some(id) => {
                diags.push(problem(
                    c,
                    &raw,
                    "id",
                    *position,
                    format!("`{id}` is not a valid id"),
                    format!(
                        "use lowercase letters, digits and hyphens, e.g. `{}`",
                        slug::slugify(&id)
                    ),
                ));
                None
            }
            None => {
                diags.push(problem(
                    c,
                    &raw,
                    "id",
                    *position,
                    format!("the `id` should be text, but here it is {}", what(v)),
                    "write e.g. `id: camden-cvs`".into(),
                ));
                None
            }
        },
    };
    let mut values = vec![FieldValue::Empty; fields.len()];
    let mut positions = vec![(raw.line, 0); fields.len()];
    let known: Vec<&str> = std::iter::once("id")
        .chain(fields.iter().map(|f| f.name.as_str()))
        .collect();
    for (name, v, position) in &raw.fields {
        let Some(f) = c.config.field(name) else {
            let kind = if raw.row > 0 { "column" } else { "field" };
            diags.push(problem(
                c,
                &raw,
                name,
                *position,
                format!("unknown {kind} `{name}`"),
                format!(
                    "{} (every field is declared in site.toml, in a [[collections.fields]] table of collection `{}`)",
                    did_you_mean(name, &known),
                    c.config.name
                ),
            ));
            continue;
        };
        positions[f] = *position;
        match check_value(&fields[f], v, config) {
            Ok(value) => values[f] = value,
            Err((message, hint)) => {
                diags.push(problem(c, &raw, name, *position, message, hint));
            }
        }
    }
    for (f, field) in fields.iter().enumerate() {
        if field.required && values[f] == FieldValue::Empty {
            let (kind, fix) = if raw.row > 0 {
                (
                    "column",
                    format!("fill in the `{}` cell of this row", field.name),
                )
            } else {
                ("field", format!("add `{}: ...` to this record", field.name))
            };
            diags.push(problem(
                c,
                &raw,
                &field.name,
                positions[f],
                format!(
                    "the {kind} `{}` is required, but this record has no value",
                    field.name
                ),
                fix,
            ));
        }
    }
    // Kept with its problems (already reported), so that its id and
    // references are checked too.
    Some(Record {
        id: id?,
        line: raw.line,
        values,
        positions,
        row: raw.row,
    })
}

/// A value checked against its field's type, or (message, hint).
fn check_value(
    field: &crate::config::FieldConfig,
    v: &RawValue,
    config: &Config,
) -> Result<FieldValue, (String, String)> {
    let ty = field.field_type();
    if ty.is_list() {
        let items: Vec<String> = match v {
            RawValue::Cell(s) => s
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            RawValue::Yaml(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match scalar(&RawValue::Yaml(item.clone())) {
                        Some(s) if !s.is_empty() => out.push(s),
                        Some(_) => {}
                        None => {
                            return Err((
                                format!(
                                    "the list should hold text, but an item is {}",
                                    describe_yaml(item)
                                ),
                                "write e.g. `[bme, funders]`".into(),
                            ))
                        }
                    }
                }
                out
            }
            RawValue::Yaml(Value::Null) => vec![],
            RawValue::Yaml(Value::String(s)) => vec![s.trim().to_string()],
            RawValue::Yaml(other) => {
                return Err((
                    format!("should be a list, but here it is {}", describe_yaml(other)),
                    "write e.g. `[bme, funders]`".into(),
                ))
            }
        };
        if ty == FieldType::Stakeholders {
            let ids = config.stakeholder_ids();
            for s in &items {
                if !ids.contains(&s.as_str()) {
                    return Err((
                        format!("stakeholder type `{s}` is not declared in site.toml"),
                        format!(
                            "{} or add a [[stakeholders]] table with id = \"{s}\" to site.toml",
                            did_you_mean(s, &ids)
                        ),
                    ));
                }
            }
        }
        return Ok(if items.is_empty() {
            FieldValue::Empty
        } else {
            FieldValue::List(items)
        });
    }
    let Some(text) = scalar(v) else {
        return Err((
            format!("should be {}, but here it is {}", expected(ty), what(v)),
            example(field),
        ));
    };
    if text.is_empty() {
        return Ok(FieldValue::Empty);
    }
    let bad = |what: String| Err((what, example(field)));
    match ty {
        FieldType::Text => {
            if text.contains('\n') {
                return bad("should be one line of text, but here it has line breaks".into());
            }
        }
        FieldType::Number => {
            if text.parse::<f64>().map_or(true, |n| !n.is_finite()) {
                return bad(format!("should be a number, but here it is `{text}`"));
            }
        }
        FieldType::Year => {
            if !(text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())) {
                return bad(format!(
                    "should be a year (four digits), but here it is `{text}`"
                ));
            }
        }
        FieldType::Url => {
            let lower = text.to_ascii_lowercase();
            let scheme = lower.starts_with("https://") || lower.starts_with("http://");
            if !scheme
                || !crate::html::url_is_safe(&text)
                || text
                    .chars()
                    .any(|c| c.is_whitespace() || "\"<>`".contains(c))
            {
                return bad(format!(
                    "should be a web address starting with https:// or http://, but here it is `{text}`"
                ));
            }
        }
        FieldType::Choice => {
            let values: Vec<&str> = field.values.iter().flatten().map(String::as_str).collect();
            if !values.contains(&text.as_str()) {
                return Err((
                    format!("`{text}` is not one of the values of `{}`", field.name),
                    format!(
                        "{} (the values are listed in site.toml, in `values` of the field)",
                        did_you_mean(&text, &values)
                    ),
                ));
            }
        }
        FieldType::Markdown | FieldType::Pages | FieldType::Stakeholders => {}
    }
    Ok(FieldValue::One(text))
}

fn expected(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Number => "a number",
        FieldType::Year => "a year",
        FieldType::Url => "a web address",
        _ => "text",
    }
}

fn example(field: &crate::config::FieldConfig) -> String {
    let n = &field.name;
    match field.field_type() {
        FieldType::Text => format!("write one line of text, e.g. `{n}: \"Camden CVS\"`"),
        FieldType::Markdown => {
            format!("write text, e.g. `{n}: \"Ran the *give and get* exercise.\"`")
        }
        FieldType::Number => format!("write a number, e.g. `{n}: 12`"),
        FieldType::Year => format!("write four digits, e.g. `{n}: 2007`"),
        FieldType::Url => format!("write the full address, e.g. `{n}: https://www.example.org/`"),
        FieldType::Choice => format!(
            "write one of: {}",
            field
                .values
                .iter()
                .flatten()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FieldType::Pages => {
            format!("write pages by path, e.g. `{n}: [case-studies/give-get-exercise]`")
        }
        FieldType::Stakeholders => format!("write stakeholder ids, e.g. `{n}: [funders]`"),
    }
}
