//! Types each front matter key from the parsed YAML, with errors that name the
//! key, point at its own line and column, and say what a good value looks like.

use super::{Change, Commitment, FrontMatter, Kind, Organisation, Source};
use crate::diagnostics::{describe_yaml, did_you_mean, Diagnostic, LineIndex};
use serde_yaml::{Mapping, Value};
use std::path::Path;

use super::keys;

/// The names of a group's fields, from the key table.
fn field_names(fields: &[(&'static str, &str, &str)]) -> Vec<&'static str> {
    fields.iter().map(|f| f.0).collect()
}

/// The front matter's lines, to find where a key or value sits in the file.
pub(super) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Index of each top-level `key:` line (the first, for a repeated key),
    /// built once: thousands of errors must not rescan every line each.
    keys: std::collections::HashMap<&'a str, usize>,
    /// File line of the front matter's first line.
    first_line: usize,
}

impl<'a> Locator<'a> {
    pub(super) fn new(front_text: &'a str, first_line: usize) -> Self {
        let lines: Vec<&str> = front_text.split('\n').collect();
        let mut keys = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            if let Some((key, _)) = l.split_once(':') {
                let key = key.trim_end();
                let key = [('"', '"'), ('\'', '\'')]
                    .iter()
                    .find_map(|&(a, b)| key.strip_prefix(a)?.strip_suffix(b))
                    .unwrap_or(key);
                keys.entry(key).or_insert(i);
            }
        }
        Locator {
            lines,
            keys,
            first_line,
        }
    }

    /// Index of the top-level `key:` line.
    fn key_index(&self, key: &str) -> Option<usize> {
        if let Some(&i) = self.keys.get(key) {
            return Some(i);
        }
        // A key with `:` in its quotes, say: look line by line.
        self.lines.iter().position(|l| {
            let l = l
                .strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                .or_else(|| l.strip_prefix(&format!("'{key}'")));
            l.is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    }

    /// Whether `needle` occurs in `key`'s block (the key's line and the indented lines below it).
    pub(super) fn contains_in(&self, key: &str, needle: &str) -> bool {
        let Some(start) = self.key_index(key) else {
            return false;
        };
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .take_while(|(i, l)| {
                *i == start || l.starts_with([' ', '\t', '-']) || l.trim().is_empty()
            })
            .any(|(_, l)| l.contains(needle))
    }

    /// File line and column of `key`'s value, or of `within` inside the key's
    /// block (an item of a list, a nested key); the key's line when not found.
    pub(super) fn locate(&self, key: &str, within: Option<&str>) -> (usize, usize) {
        let Some(start) = self.key_index(key) else {
            return (self.first_line, 1);
        };
        if let Some(needle) = within.filter(|n| !n.is_empty()) {
            for (i, line) in self.lines.iter().enumerate().skip(start) {
                let indented = line.starts_with([' ', '\t', '-']) || line.trim().is_empty();
                if i > start && !indented {
                    break;
                }
                let from = if i == start { key.len() } else { 0 };
                if let Some(at) = line.get(from..).and_then(|rest| rest.find(needle)) {
                    return (self.first_line + i, column(line, from + at));
                }
            }
        }
        let line = self.lines[start];
        let after_colon = line.find(':').map_or(0, |c| c + 1);
        match line[after_colon..].find(|c: char| !c.is_whitespace() && c != '#') {
            Some(v) => (self.first_line + start, column(line, after_colon + v)),
            // The value starts on the next lines (a block list or group): point at it.
            None => self
                .lines
                .iter()
                .enumerate()
                .skip(start + 1)
                .find(|(_, l)| !l.trim().is_empty())
                .filter(|(_, l)| l.starts_with([' ', '\t', '-']))
                .map_or((self.first_line + start, 1), |(i, l)| {
                    let at = l.len() - l.trim_start().len();
                    (self.first_line + i, column(l, at))
                }),
        }
    }
}

/// 1-based column, in characters, of byte offset `at` of `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(0, |s| s.chars().count()) + 1
}

/// Text from a scalar: `year: 2012` and `title: 1984` are text too.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads one page's front matter key by key, collecting every problem.
pub(super) struct Reader<'a> {
    map: &'a Mapping,
    at: &'a Locator<'a>,
    file: &'a Path,
    source: &'a str,
    /// The file's line starts, built at the first error.
    lines: std::cell::OnceCell<LineIndex>,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        map: &'a Mapping,
        at: &'a Locator<'a>,
        file: &'a Path,
        source: &'a str,
    ) -> Self {
        Reader {
            map,
            at,
            file,
            source,
            lines: std::cell::OnceCell::new(),
            diags: Vec::new(),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn error(&mut self, key: &str, within: Option<&str>, message: String, hint: String) {
        let (line, column) = self.at.locate(key, within);
        let lines = self.lines.get_or_init(|| LineIndex::new(self.source));
        self.diags.push(
            Diagnostic::error(message)
                .in_file(self.file)
                .at(line, column)
                .with_source_in(self.source, lines)
                .hint(hint),
        );
    }

    fn wrong_type(&mut self, key: &str, v: &Value, expected: &str, example: &str) {
        self.error(
            key,
            None,
            format!(
                "`{key}` should be {expected}, but here it is {}",
                describe_yaml(v)
            ),
            format!("write it like this: `{example}`"),
        );
    }

    /// Reports every key this kind of page does not know.
    pub(super) fn unknown_keys(&mut self, kind: Kind) {
        let valid: Vec<&str> = keys::for_kind(kind).map(|k| k.name).collect();
        for key in self.map.keys() {
            let Some(key) = key.as_str() else {
                let shown = scalar_text(key).unwrap_or_else(|| describe_yaml(key).to_string());
                self.error(
                    "",
                    Some(&shown),
                    format!("front matter key `{shown}` is not a name"),
                    "each front matter line starts with a name such as `title:`".into(),
                );
                continue;
            };
            if valid.contains(&key) {
                continue;
            }
            let belongs = if keys::spec(key).is_none() {
                String::new()
            } else {
                format!(
                    " (it belongs to other kinds of page, not a {} page)",
                    kind.label().to_lowercase()
                )
            };
            // `translated_from` is only for translations: suggested when it is
            // close, left out of the list of every key.
            let hint = match did_you_mean(key, &valid) {
                close if close.starts_with("did you mean") => close,
                _ => {
                    let listed: Vec<&str> = valid
                        .iter()
                        .copied()
                        .filter(|k| *k != "translated_from")
                        .collect();
                    did_you_mean(key, &listed)
                }
            };
            let (line, _) = self.at.locate(key, None);
            self.diags.push(
                Diagnostic::error(format!("unknown front matter key `{key}`{belongs}"))
                    .in_file(self.file)
                    .at(line, 1)
                    .with_source_in(
                        self.source,
                        self.lines.get_or_init(|| LineIndex::new(self.source)),
                    )
                    .hint(format!(
                        "{hint} (docs/FRONT-MATTER.md lists every kind's keys)"
                    )),
            );
        }
    }

    pub(super) fn text(&mut self, key: &str, example: &str) -> Option<String> {
        let v = self.get(key)?;
        match scalar_text(v) {
            Some(s) => Some(s),
            None => {
                self.wrong_type(key, v, "text on one line", example);
                None
            }
        }
    }

    pub(super) fn integer(&mut self, key: &str, example: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                self.wrong_type(key, v, "a whole number", example);
                None
            }
        }
    }

    /// A number of the kind used to number principles and recommendations: 1, 2, 3 ...
    pub(super) fn number(&mut self, key: &str) -> Option<u32> {
        let v = self.get(key)?;
        match v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n > 0)
        {
            Some(n) => Some(n),
            None => {
                let what = match v.as_i64() {
                    Some(_) => "a whole number from 1 up, but here it is out of range".to_string(),
                    None => format!(
                        "a whole number from 1 up, but here it is {}",
                        describe_yaml(v)
                    ),
                };
                self.error(
                    key,
                    None,
                    format!("`{key}` should be {what}"),
                    format!("write e.g. `{key}: 3`, or leave `{key}` out"),
                );
                None
            }
        }
    }

    pub(super) fn flag(&mut self, key: &str) -> bool {
        let Some(v) = self.get(key) else { return false };
        match v.as_bool() {
            Some(b) => b,
            None => {
                self.wrong_type(key, v, "`true` or `false`", &format!("{key}: true"));
                false
            }
        }
    }

    /// A list of names; a single name is a list of one.
    pub(super) fn names(&mut self, key: &str, example: &str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return vec![];
        };
        if let Some(one) = scalar_text(v) {
            return vec![one];
        }
        let Value::Sequence(items) = v else {
            self.wrong_type(key, v, "a list", example);
            return vec![];
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match scalar_text(item) {
                Some(s) => out.push(s),
                None => {
                    let message = format!(
                        "each item of `{key}` should be a name, but one is {}",
                        describe_yaml(item)
                    );
                    self.error(
                        key,
                        None,
                        message,
                        format!("write it like this: `{example}`"),
                    );
                }
            }
        }
        out
    }

    /// Items of a list key, a single item counting as a list of one.
    fn items(&self, key: &str) -> Vec<&'a Value> {
        match self.get(key) {
            None => vec![],
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(v) => vec![v],
        }
    }

    /// The fields of a `key: value` group inside list `key`, checked against `valid`.
    fn fields(
        &mut self,
        key: &str,
        item: &'a Mapping,
        valid: &[&str],
    ) -> Vec<(&'a str, &'a Value)> {
        let mut out = Vec::new();
        for (k, v) in item {
            let name = k.as_str().unwrap_or("");
            if valid.contains(&name) {
                if !v.is_null() {
                    out.push((name, v));
                }
                continue;
            }
            let shown = scalar_text(k).unwrap_or_default();
            self.error(
                key,
                Some(&format!("{shown}:")),
                format!("unknown key `{shown}` in `{key}`"),
                format!(
                    "{} (`{key}` items may have {})",
                    did_you_mean(&shown, valid),
                    quoted(valid)
                ),
            );
        }
        out
    }

    /// `source`: a title on its own, or `id`, `title`, `publisher`, `year`, `url`, `note`; one or a list.
    pub(super) fn sources(&mut self) -> Vec<Source> {
        let mut out = Vec::new();
        for item in self.items("source") {
            let mut source = Source::default();
            match item {
                Value::Mapping(m) => {
                    for (name, v) in self.fields("source", m, &field_names(keys::SOURCE_FIELDS)) {
                        let Some(text) = scalar_text(v) else {
                            self.error(
                                "source",
                                Some(&format!("{name}:")),
                                format!("`{name}` in `source` should be text on one line, but here it is {}", describe_yaml(v)),
                                format!("write e.g. `{name}: {}`", source_example(name)),
                            );
                            continue;
                        };
                        if text.trim().is_empty() {
                            continue;
                        }
                        match name {
                            "id" => source.id = self.source_id(&text),
                            "title" => source.title = text,
                            "publisher" => source.publisher = Some(text),
                            "year" => source.year = self.year(&text),
                            "url" => source.url = self.url(&text),
                            _ => source.note = Some(text),
                        }
                    }
                    let blank =
                        |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
                    if source.title.trim().is_empty()
                        && [&source.publisher, &source.year, &source.url, &source.note]
                            .into_iter()
                            .all(blank)
                    {
                        // `title: ""` and nothing else: a blank left to fill in (as `new` writes it).
                        continue;
                    }
                    if source.title.trim().is_empty() {
                        self.error(
                            "source",
                            None,
                            "a `source` has no `title`".into(),
                            "add `title: ...` with the report's or article's title".into(),
                        );
                    }
                }
                other => match scalar_text(other) {
                    Some(title) => source.title = title,
                    None => {
                        self.wrong_type(
                            "source",
                            other,
                            "a title, or `title:` and `publisher:` lines",
                            "source: \"Title of the report\"",
                        );
                        continue;
                    }
                },
            }
            if source.id.is_empty() {
                source.id = (out.len() + 1).to_string();
            }
            out.push(source);
        }
        self.unique_source_ids(&out);
        out
    }

    /// A source's `id`: a short name of lower-case letters, digits and
    /// hyphens, with a letter in it (plain numbers are the sources' positions).
    fn source_id(&mut self, text: &str) -> String {
        let id = text.trim();
        let slug_like = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--");
        if slug_like && id.bytes().any(|b| b.is_ascii_lowercase()) {
            return id.to_string();
        }
        let why = if slug_like {
            "a plain number, which is what a source without `id` is called by its place in the list"
        } else {
            "not a short name of lower-case letters, digits and hyphens"
        };
        let suggestion = slug::slugify(id);
        let example = if suggestion.is_empty() || suggestion.bytes().all(|b| b.is_ascii_digit()) {
            "v4ce-2012".to_string()
        } else {
            suggestion
        };
        let needle = format!("id: {text}");
        let within = if self.at.contains_in("source", &needle) {
            needle
        } else {
            text.to_string()
        };
        self.error(
            "source",
            Some(&within),
            format!("`id` in `source` is `{id}`: {why}"),
            format!("write e.g. `id: {example}`; citations then say `[@{example}, p. 14]`"),
        );
        String::new()
    }

    /// No two sources of a page answer to the same id.
    fn unique_source_ids(&mut self, sources: &[Source]) {
        for (i, s) in sources.iter().enumerate() {
            if let Some(first) = sources[..i].iter().position(|t| t.id == s.id) {
                let needle = format!("id: {}", s.id);
                let within = if self.at.contains_in("source", &needle) {
                    needle
                } else {
                    s.id.clone()
                };
                self.error(
                    "source",
                    Some(&within),
                    format!(
                        "sources {} and {} of this page are both called `{}`, so a citation could not tell them apart",
                        first + 1,
                        i + 1,
                        s.id
                    ),
                    "give each source its own `id`, e.g. `id: v4ce-2012` and `id: ecm-2007`".into(),
                );
            }
        }
    }

    fn year(&mut self, text: &str) -> Option<String> {
        let ok = text.len() == 4
            && text.bytes().all(|b| b.is_ascii_digit())
            && text
                .parse::<i16>()
                .is_ok_and(|y| jiff::civil::Date::new(y, 1, 1).is_ok());
        if ok {
            return Some(text.to_string());
        }
        self.error(
            "source",
            Some(text),
            format!("`year` in `source` should be a year such as 2012, but here it is `{text}`"),
            "write the year in four digits, e.g. `year: 2012`, or leave `year` out".into(),
        );
        None
    }

    /// A source's web address: only web and mail addresses, never a script.
    fn url(&mut self, text: &str) -> Option<String> {
        let text = text.trim();
        if crate::html::url_is_safe(text) && !text.is_empty() {
            return Some(text.to_string());
        }
        self.error(
            "source",
            Some(text),
            format!("`url` in `source` is not a web address: `{text}`"),
            "write the full address starting with https://, e.g. `url: https://www.example.org/report.pdf`".into(),
        );
        None
    }

    /// `organisations`: a name on its own, or `name` and `type`.
    pub(super) fn organisations(&mut self) -> Vec<Organisation> {
        let mut out = Vec::new();
        for item in self.items("organisations") {
            if let Some(name) = scalar_text(item) {
                out.push(Organisation {
                    name,
                    kind: None,
                    id: None,
                });
                continue;
            }
            let Value::Mapping(m) = item else {
                self.wrong_type(
                    "organisations",
                    item,
                    "a list of names",
                    "organisations: [\"Camden CVS\"]",
                );
                continue;
            };
            let mut org = Organisation {
                name: String::new(),
                kind: None,
                id: None,
            };
            for (name, v) in
                self.fields("organisations", m, &field_names(keys::ORGANISATION_FIELDS))
            {
                match (name, scalar_text(v)) {
                    ("name", Some(t)) => org.name = t,
                    ("id", Some(t)) => org.id = Some(t.trim().to_string()),
                    (_, Some(t)) => org.kind = Some(t),
                    (_, None) => self.error(
                        "organisations",
                        Some(&format!("{name}:")),
                        format!(
                            "`{name}` in `organisations` should be text, but here it is {}",
                            describe_yaml(v)
                        ),
                        "write e.g. `- name: Camden CVS` and `type: infrastructure organisation`"
                            .into(),
                    ),
                }
            }
            if org.name.trim().is_empty()
                && org.kind.as_deref().is_none_or(|k| k.trim().is_empty())
                && org.id.as_deref().is_none_or(|k| k.is_empty())
            {
                // A blank left to fill in (as `new` writes it).
                continue;
            }
            if org.name.trim().is_empty() && org.id.as_deref().is_none_or(|k| k.is_empty()) {
                self.error(
                    "organisations",
                    None,
                    "an organisation has no `name`".into(),
                    "write e.g. `- name: Camden CVS`, or `- id: camden-cvs` naming its record in data/organisations.yaml".into(),
                );
            } else {
                out.push(org);
            }
        }
        out
    }

    /// `commitments`: `stakeholder` and `text` each.
    pub(super) fn commitments(&mut self) -> Vec<Commitment> {
        let mut out = Vec::new();
        for item in self.items("commitments") {
            let Value::Mapping(m) = item else {
                self.wrong_type(
                    "commitments",
                    item,
                    "a list of `stakeholder:` and `text:` pairs",
                    "- stakeholder: funders",
                );
                continue;
            };
            let (mut stakeholder, mut text, mut basis) = (None, None, Vec::new());
            for (name, v) in self.fields("commitments", m, &field_names(keys::COMMITMENT_FIELDS)) {
                match (name, scalar_text(v)) {
                    ("basis", _) => basis = self.basis(v),
                    ("stakeholder", Some(t)) => stakeholder = Some(t),
                    (_, Some(t)) => text = Some(t),
                    (_, None) => self.error(
                        "commitments",
                        Some(&format!("{name}:")),
                        format!("`{name}` in `commitments` should be text, but here it is {}", describe_yaml(v)),
                        "write e.g. `- stakeholder: funders` and `  text: Fund the time partnership takes.`".into(),
                    ),
                }
            }
            match (stakeholder, text) {
                (Some(stakeholder), Some(text)) => out.push(Commitment {
                    stakeholder,
                    text,
                    basis,
                }),
                (s, _) => {
                    let missing = if s.is_none() { "stakeholder" } else { "text" };
                    self.error(
                        "commitments",
                        None,
                        format!("a commitment has no `{missing}`"),
                        "give each commitment both `stakeholder:` (an id from site.toml) and `text:`".into(),
                    );
                }
            }
        }
        out
    }

    /// A commitment's `basis`: `guide`, or pages by their path in content/
    /// without `.md` (`recommendations/v4ce-2012-05`); one or a list.
    fn basis(&mut self, v: &Value) -> Vec<String> {
        let items: Vec<&Value> = match v {
            Value::Sequence(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in items {
            match scalar_text(item) {
                Some(t) if !t.trim().is_empty() => out.push(t.trim().trim_end_matches(".md").to_string()),
                Some(_) => {}
                None => self.error(
                    "commitments",
                    Some("basis:"),
                    format!("`basis` in `commitments` should be `guide` or a page, but here it is {}", describe_yaml(item)),
                    "write e.g. `basis: recommendations/v4ce-2012-05`, or `basis: guide` for this guide's own advice".into(),
                ),
            }
        }
        out
    }

    /// A calendar date, `YYYY-MM-DD`, checked to exist.
    pub(super) fn date(&mut self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        let text = scalar_text(v).unwrap_or_default();
        match text.trim().parse::<jiff::civil::Date>() {
            Ok(d) if text.trim().len() == 10 => Some(d.to_string()),
            _ => {
                let shown = scalar_text(v)
                    .map_or_else(|| describe_yaml(v).to_string(), |t| format!("`{t}`"));
                self.error(
                    key,
                    None,
                    format!(
                        "`{key}` should be a date written year-month-day, but here it is {shown}"
                    ),
                    format!(
                        "write e.g. `{key}: 2012-03-31` (a date that exists), or leave `{key}` out"
                    ),
                );
                None
            }
        }
    }

    /// `changes`: the page's history, each a `date` and a `note`.
    pub(super) fn changes(&mut self) -> Vec<Change> {
        let mut out = Vec::new();
        for item in self.items("changes") {
            let Value::Mapping(m) = item else {
                self.wrong_type(
                    "changes",
                    item,
                    "a list of `date:` and `note:` pairs",
                    "- date: 2024-03-05",
                );
                continue;
            };
            let (mut date, mut note) = (None, None);
            let mut bad_date = false;
            for (name, v) in self.fields("changes", m, &field_names(keys::CHANGE_FIELDS)) {
                let text = scalar_text(v);
                match (name, text) {
                    ("date", Some(t)) => match t.trim().parse::<jiff::civil::Date>() {
                        Ok(d) if t.trim().len() == 10 => date = Some(d.to_string()),
                        _ => {
                            bad_date = true;
                            self.error(
                                "changes",
                                Some(&t),
                                format!("`date` in `changes` should be a date written year-month-day, but here it is `{t}`"),
                                "write e.g. `date: 2024-03-05` (a date that exists)".into(),
                            );
                        }
                    },
                    ("note", Some(t)) if !t.trim().is_empty() => note = Some(t),
                    ("note", Some(_)) => {}
                    (_, _) => self.error(
                        "changes",
                        Some(&format!("{name}:")),
                        format!("`{name}` in `changes` should be text, but here it is {}", describe_yaml(v)),
                        "write e.g. `- date: 2024-03-05` and `  note: Added the Camden case study.`".into(),
                    ),
                }
            }
            match (date, note) {
                (Some(date), Some(note)) => out.push(Change { date, note }),
                (None, _) if bad_date => {}
                (d, _) => {
                    let missing = if d.is_none() { "date" } else { "note" };
                    self.error(
                        "changes",
                        None,
                        format!("a change has no `{missing}`"),
                        "give each change both `date:` (year-month-day) and `note:` (what changed)"
                            .into(),
                    );
                }
            }
        }
        // Newest first, as readers expect a page's history.
        out.sort_by(|a, b| b.date.cmp(&a.date));
        out
    }

    /// Every key typed into a [`FrontMatter`].
    pub(super) fn read(&mut self, kind: Kind) -> FrontMatter {
        self.unknown_keys(kind);
        FrontMatter {
            title: self
                .text("title", keys::example("title"))
                .unwrap_or_default(),
            summary: self.text("summary", keys::example("summary")),
            weight: self.integer("weight", keys::example("weight")),
            draft: self.flag("draft"),
            source: self.sources(),
            number: self.number("number"),
            series: self.text("series", keys::example("series")),
            group: self.text("group", keys::example("group")),
            stakeholders: self.names("stakeholders", keys::example("stakeholders")),
            principles: self.names("principles", keys::example("principles")),
            barriers: self.names("barriers", keys::example("barriers")),
            case_studies: self.names("case_studies", keys::example("case_studies")),
            organisations: self.organisations(),
            place: self.text("place", keys::example("place")),
            years: self.text("years", keys::example("years")),
            themes: self.names("themes", keys::example("themes")),
            date: self.date("date"),
            updated: self.date("updated"),
            changes: self.changes(),
            commitments: self.commitments(),
            nav: self.flag("nav"),
            translated_from: self.text("translated_from", keys::example("translated_from")),
            worksheet: self.worksheet(kind),
        }
    }

    /// A tool's `scale` and `groups`, read by `worksheet::Reader`.
    fn worksheet(&mut self, kind: Kind) -> Option<super::worksheet::Worksheet> {
        if kind != Kind::Tool {
            return None;
        }
        let mut reader = super::worksheet::Reader::new(
            &self.at.lines,
            self.at.first_line,
            self.file,
            self.source,
        );
        let worksheet = reader.read(self.map);
        self.diags.append(&mut reader.diags);
        worksheet
    }
}

fn source_example(name: &str) -> &'static str {
    keys::SOURCE_FIELDS
        .iter()
        .find(|f| f.0 == name)
        .map_or("\"Title of the report\"", |f| f.2)
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
