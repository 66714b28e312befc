//! A tool's worksheet: groups of questions, each with a response type, typed
//! from a tool page's `scale` and `groups` keys. Every problem is collected,
//! each at its own line and column; the slugs questions name are checked by
//! the link stage, at the places recorded here.

use crate::diagnostics::{describe_yaml, did_you_mean, nearest, Diagnostic, LineIndex};
use crate::kind::Kind;
use serde::Serialize;
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// The response types a question may have, as written in `type:`.
pub const RESPONSE_TYPES: &[&str] = &["rating", "yes-no", "text"];
/// Named scales `scale:` accepts, besides `1-N` and a list of labels.
pub const SCALE_NAMES: &[&str] = &["red-amber-green", "1-3", "1-4", "1-5"];
const GROUP_KEYS: &[&str] = &[
    "title",
    "intro",
    "questions",
    "principles",
    "barriers",
    "recommendations",
];
const QUESTION_KEYS: &[&str] = &[
    "text",
    "type",
    "scale",
    "guidance",
    "principles",
    "barriers",
    "recommendations",
];
/// The keys that name other pages, and the kind each names.
pub const LINK_KEYS: &[(&str, Kind)] = &[
    ("principles", Kind::Principle),
    ("barriers", Kind::Barrier),
    ("recommendations", Kind::Recommendation),
];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Worksheet {
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// 1, 2, 3 ... in order.
    pub number: usize,
    pub title: String,
    pub intro: Option<String>,
    pub questions: Vec<Question>,
    /// Pages the group as a whole concerns.
    pub links: Vec<SlugRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// `group.question`, e.g. `2.3`: shown on the page and kept in exports.
    pub id: String,
    pub text: String,
    pub response: Response,
    pub guidance: Option<String>,
    pub links: Vec<SlugRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Response {
    /// One of `labels`, worst first.
    Rating {
        labels: Vec<String>,
        /// For a named scale whose labels are words (`red-amber-green`), the
        /// keys of the theme's strings that name them in the page's language
        /// (`labels` holds their English); none for labels the page writes.
        #[serde(skip)]
        words: Option<&'static [&'static str]>,
    },
    /// Yes, no or not sure.
    YesNo,
    Text,
}

/// A slug a group or question names, with where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlugRef {
    pub kind: Kind,
    /// The key it is written under (`principles`, ...).
    #[serde(skip)]
    pub key: &'static str,
    pub slug: String,
    /// File line and 1-based column of the slug.
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub column: usize,
}

impl Worksheet {
    /// Every slug named anywhere in the worksheet, in file order.
    pub fn links(&self) -> impl Iterator<Item = &SlugRef> {
        self.groups.iter().flat_map(|g| {
            g.links
                .iter()
                .chain(g.questions.iter().flat_map(|q| q.links.iter()))
        })
    }
}

/// A rating scale as read: its labels, worst first, and for a named scale
/// of words, the theme's string keys that name them (see [`Response::Rating`]).
#[derive(Debug, Clone, PartialEq)]
struct Scale {
    labels: Vec<String>,
    words: Option<&'static [&'static str]>,
}

impl Scale {
    fn response(&self) -> Response {
        Response::Rating {
            labels: self.labels.clone(),
            words: self.words,
        }
    }
}

/// The theme's string keys for the labels of `red-amber-green`.
const RED_AMBER_GREEN_WORDS: &[&str] = &["scale_red", "scale_amber", "scale_green"];

/// Finds values in the front matter's lines in document order: each search
/// starts where the last one ended, so a repeated value is found at its own
/// place, not at its first.
struct Cursor<'a> {
    lines: &'a [&'a str],
    /// File line of `lines[0]`.
    first_line: usize,
    line: usize,
    byte: usize,
}

impl Cursor<'_> {
    /// File line and column of the next `needle`; the current place if absent.
    fn find(&mut self, needle: &str) -> (usize, usize) {
        let needle = needle.trim();
        // A long or folded value: its first words are on its first line.
        let needle: String = needle
            .split('\n')
            .next()
            .unwrap_or("")
            .chars()
            .take(24)
            .collect();
        if !needle.is_empty() {
            for i in self.line..self.lines.len() {
                let line = self.lines[i];
                let from = if i == self.line { self.byte } else { 0 };
                if let Some(at) = line.get(from..).and_then(|rest| rest.find(&needle)) {
                    self.line = i;
                    self.byte = from + at + needle.len();
                    return (self.first_line + i, column(line, from + at));
                }
            }
        }
        self.here()
    }

    /// File line and column of the next line that starts a list item (`- `).
    fn find_item(&mut self) -> (usize, usize) {
        for i in self.line + 1..self.lines.len() {
            let line = self.lines[i];
            let trimmed = line.trim_start();
            if trimmed == "-" || trimmed.starts_with("- ") {
                let at = line.len() - trimmed.len();
                self.line = i;
                self.byte = at + 1;
                return (self.first_line + i, column(line, at));
            }
        }
        self.here()
    }

    fn here(&self) -> (usize, usize) {
        let line = self.lines.get(self.line).copied().unwrap_or("");
        let at = line.len() - line.trim_start().len();
        (self.first_line + self.line, column(line, at))
    }
}

fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(0, |s| s.chars().count()) + 1
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads `scale` and `groups` into a worksheet, with every problem found.
pub(super) struct Reader<'a> {
    cursor: Cursor<'a>,
    file: &'a Path,
    source: &'a str,
    lines: LineIndex,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        lines: &'a [&'a str],
        first_line: usize,
        file: &'a Path,
        source: &'a str,
    ) -> Self {
        Reader {
            cursor: Cursor {
                lines,
                first_line,
                line: 0,
                byte: 0,
            },
            file,
            source,
            lines: LineIndex::new(source),
            diags: Vec::new(),
        }
    }

    fn error(&mut self, at: (usize, usize), message: String, hint: String) {
        self.diags.push(
            Diagnostic::error(message)
                .in_file(self.file)
                .at(at.0, at.1)
                .with_source_in(self.source, &self.lines)
                .hint(hint),
        );
    }

    /// Moves the cursor to the top-level `key:` line.
    fn seek_key(&mut self, key: &str) {
        if let Some(i) = self.cursor.lines.iter().position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        }) {
            self.cursor.line = i;
            self.cursor.byte = key.len();
        }
    }

    /// The worksheet of a tool page's front matter (None without `groups`).
    pub(super) fn read(&mut self, map: &Mapping) -> Option<Worksheet> {
        let default_scale = match map.get("scale").filter(|v| !v.is_null()) {
            Some(v) => {
                self.seek_key("scale");
                self.scale(v, "scale")
            }
            None => None,
        };
        let groups = map.get("groups").filter(|v| !v.is_null())?;
        self.seek_key("groups");
        let Value::Sequence(items) = groups else {
            let at = match text_of(groups) {
                Some(t) => self.cursor.find(&t),
                None => self.cursor.here(),
            };
            self.error(
                at,
                format!(
                    "`groups` should be a list of groups, but here it is {}",
                    describe_yaml(groups)
                ),
                "write each group as `- title: ...` with `questions:` under it (see docs/FRONT-MATTER.md)".into(),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            if let Some(g) = self.group(n + 1, item, default_scale.as_ref()) {
                out.push(g);
            }
        }
        Some(Worksheet { groups: out })
    }

    /// A scale: a name such as `red-amber-green` or `1-4`, or a list of labels, worst first.
    fn scale(&mut self, v: &Value, key: &str) -> Option<Scale> {
        let hint = format!(
            "write `{key}: red-amber-green`, `{key}: 1-4`, or the labels worst first, e.g. `{key}: [Very low, Low, Medium, High]`"
        );
        match v {
            Value::Sequence(items) => {
                let labels: Vec<String> = items
                    .iter()
                    .filter_map(text_of)
                    .map(|s| s.trim().to_string())
                    .collect();
                let at = self.cursor.find(labels.first().map_or("", String::as_str));
                let mut unique = labels.clone();
                unique.sort();
                unique.dedup();
                if labels.len() != items.len()
                    || labels.len() < 2
                    || unique.len() != labels.len()
                    || labels.iter().any(String::is_empty)
                {
                    self.error(
                        at,
                        format!("`{key}` should list at least two different labels"),
                        hint,
                    );
                    return None;
                }
                Some(Scale {
                    labels,
                    words: None,
                })
            }
            other => {
                let name = text_of(other).unwrap_or_default();
                let at = self.cursor.find(&name);
                match named(name.trim()) {
                    Some(scale) => Some(scale),
                    None => {
                        let shown = if name.is_empty() {
                            describe_yaml(other).to_string()
                        } else {
                            format!("`{name}`")
                        };
                        self.error(
                            at,
                            format!("`{key}` is {shown}, which is not a scale fairguide knows"),
                            format!("{} {hint}", did_you_mean(name.trim(), SCALE_NAMES)),
                        );
                        None
                    }
                }
            }
        }
    }

    /// Reports a key a group or question does not have.
    fn unknown(&mut self, k: &Value, valid: &[&str], what: &str) {
        let shown = text_of(k).unwrap_or_default();
        let at = self.cursor.find(&format!("{shown}:"));
        let list = valid
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match nearest(&shown, valid.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? (a {what} may have {list})"),
            None => format!("a {what} may have {list}"),
        };
        self.error(at, format!("unknown key `{shown}` in a {what}"), hint);
    }

    fn one_line(&mut self, v: &Value, key: &str, what: &str, example: &str) -> Option<String> {
        if v.is_null() {
            return None;
        }
        match text_of(v) {
            Some(t) => {
                self.cursor.find(&t);
                Some(t.trim().to_string()).filter(|t| !t.is_empty())
            }
            None => {
                let at = self.cursor.find(&format!("{key}:"));
                self.error(
                    at,
                    format!(
                        "`{key}` in a {what} should be text, but here it is {}",
                        describe_yaml(v)
                    ),
                    format!("write it like this: `{example}`"),
                );
                None
            }
        }
    }

    /// The slugs of `principles`, `barriers` or `recommendations`, with their places.
    fn links(&mut self, key: &'static str, kind: Kind, v: &Value, out: &mut Vec<SlugRef>) {
        let items: Vec<&Value> = match v {
            Value::Sequence(items) => items.iter().collect(),
            Value::Null => vec![],
            other => vec![other],
        };
        for item in items {
            match text_of(item) {
                Some(slug) if !slug.trim().is_empty() => {
                    let slug = slug.trim().to_string();
                    let (line, column) = self.cursor.find(&slug);
                    out.push(SlugRef {
                        kind,
                        key,
                        slug,
                        line,
                        column,
                    });
                }
                Some(_) => {}
                None => {
                    let at = self.cursor.find(&format!("{key}:"));
                    self.error(
                        at,
                        format!(
                            "each item of `{key}` should be a page's file name, but one is {}",
                            describe_yaml(item)
                        ),
                        format!("write e.g. `{key}: [{}]`", example_slug(kind)),
                    );
                }
            }
        }
    }

    fn group(&mut self, number: usize, item: &Value, scale: Option<&Scale>) -> Option<Group> {
        let Value::Mapping(m) = item else {
            let at = match text_of(item) {
                Some(t) => self.cursor.find(&t),
                None => self.cursor.find("-"),
            };
            self.error(
                at,
                format!(
                    "group {number} of `groups` should be `title:` and `questions:` lines, but here it is {}",
                    describe_yaml(item)
                ),
                "write e.g. `- title: Equal partners` and, under it, `questions:` with `- text: ...` lines".into(),
            );
            return None;
        };
        let start = self.cursor.find_item();
        let mut group = Group {
            number,
            title: String::new(),
            intro: None,
            questions: Vec::new(),
            links: Vec::new(),
        };
        let mut questions_at = None;
        let mut questions: Option<&Value> = None;
        for (k, v) in m {
            let key = k.as_str().unwrap_or("");
            if !GROUP_KEYS.contains(&key) {
                self.unknown(k, GROUP_KEYS, "group");
                continue;
            }
            match key {
                "title" => {
                    group.title = self
                        .one_line(v, key, "group", "title: Equal partners")
                        .unwrap_or_default()
                }
                "intro" => {
                    group.intro = self.one_line(v, key, "group", "intro: One plain sentence.")
                }
                "questions" => {
                    questions_at = Some(self.cursor.find("questions:"));
                    questions = Some(v);
                    self.questions(number, v, scale, &mut group.questions);
                }
                _ => {
                    let kind = link_kind(key);
                    let key = link_key(key);
                    self.links(key, kind, v, &mut group.links);
                }
            }
        }
        let named = if group.title.is_empty() {
            format!("group {number}")
        } else {
            format!("group {number} (`{}`)", group.title)
        };
        if group.title.is_empty() {
            self.error(
                start,
                format!("group {number} has no `title`"),
                "add `title: ...` to the group: it heads the group's questions on the page".into(),
            );
        }
        let empty = match questions {
            None | Some(Value::Null) => true,
            Some(Value::Sequence(items)) => items.is_empty(),
            Some(_) => false,
        };
        if empty {
            self.error(
                questions_at.unwrap_or(start),
                format!("{named} has no questions"),
                "add `questions:` with at least one `- text: ...` line under the group, or remove the group".into(),
            );
        }
        Some(group)
    }

    fn questions(
        &mut self,
        group: usize,
        v: &Value,
        scale: Option<&Scale>,
        out: &mut Vec<Question>,
    ) {
        let items = match v {
            Value::Sequence(items) => items,
            Value::Null => return,
            other => {
                let at = self.cursor.here();
                self.error(
                    at,
                    format!(
                        "`questions` of group {group} should be a list, but here it is {}",
                        describe_yaml(other)
                    ),
                    "write each question as `- text: ...` with `type: rating`, `yes-no` or `text`"
                        .into(),
                );
                return;
            }
        };
        for item in items {
            let n = out.len() + 1;
            if let Some(q) = self.question(group, n, item, scale) {
                out.push(q);
            }
        }
    }

    fn question(
        &mut self,
        group: usize,
        n: usize,
        item: &Value,
        scale: Option<&Scale>,
    ) -> Option<Question> {
        let id = format!("{group}.{n}");
        let m = match item {
            Value::Mapping(m) => m,
            other => {
                // A question on its own: `- Do we share decisions?` is a rating question.
                let text = text_of(other)?;
                self.cursor.find(&text);
                return Some(Question {
                    id,
                    text: text.trim().to_string(),
                    response: scale.map_or_else(default_scale, Scale::clone).response(),
                    guidance: None,
                    links: vec![],
                });
            }
        };
        let start = self.cursor.find_item();
        let mut text = None;
        let mut kind: Option<(String, (usize, usize))> = None;
        let mut own_scale: Option<Option<Scale>> = None;
        let mut guidance = None;
        let mut links = Vec::new();
        for (k, v) in m {
            let key = k.as_str().unwrap_or("");
            if !QUESTION_KEYS.contains(&key) {
                self.unknown(k, QUESTION_KEYS, "question");
                continue;
            }
            match key {
                "text" => text = self.one_line(v, key, "question", "text: Do we share decisions?"),
                "type" => {
                    let name = text_of(v).unwrap_or_default();
                    let at = if name.trim().is_empty() {
                        self.cursor.find("type:")
                    } else {
                        self.cursor.find(&name)
                    };
                    kind = Some((name.trim().to_string(), at));
                }
                "scale" => {
                    self.cursor.find("scale:");
                    own_scale = Some(self.scale(v, "scale"));
                }
                "guidance" => {
                    guidance =
                        self.one_line(v, key, "question", "guidance: What would a partner say?")
                }
                _ => {
                    let kind = link_kind(key);
                    self.links(link_key(key), kind, v, &mut links);
                }
            }
        }
        let Some(text) = text else {
            self.error(
                start,
                format!("question {id} has no `text`"),
                "add `text: ...` with the question as readers should see it".into(),
            );
            return None;
        };
        let has_scale = own_scale.is_some();
        let response = match kind.as_ref().map(|(k, at)| (k.as_str(), *at)) {
            None | Some(("rating", _)) => {
                // A scale that failed has its own error; fall back so the rest is checked.
                match own_scale {
                    Some(Some(own)) => own.response(),
                    _ => scale.map_or_else(default_scale, Scale::clone).response(),
                }
            }
            Some(("yes-no", _)) => Response::YesNo,
            Some(("text", _)) => Response::Text,
            Some((other, at)) => {
                let shown = if other.is_empty() {
                    "empty".to_string()
                } else {
                    format!("`{other}`")
                };
                self.error(
                    at,
                    format!("question {id} has the response type {shown}, which fairguide does not know"),
                    format!(
                        "{} (`type` is `rating` for a scale such as red/amber/green, `yes-no` for yes, no or not sure, `text` for a written answer)",
                        did_you_mean(other, RESPONSE_TYPES)
                    ),
                );
                return None;
            }
        };
        if has_scale && !matches!(response, Response::Rating { .. }) {
            self.error(
                kind.map_or(start, |(_, at)| at),
                format!("question {id} has a `scale`, but only `type: rating` questions use one"),
                "remove `scale:` from this question, or make it `type: rating`".into(),
            );
        }
        Some(Question {
            id,
            text,
            response,
            guidance,
            links,
        })
    }
}

fn link_kind(key: &str) -> Kind {
    LINK_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(Kind::Principle, |(_, kind)| *kind)
}

fn link_key(key: &str) -> &'static str {
    LINK_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("principles", |(k, _)| k)
}

fn example_slug(kind: Kind) -> &'static str {
    match kind {
        Kind::Barrier => "trust-and-control",
        Kind::Recommendation => "v4ce-2012-01",
        _ => "equal-partners",
    }
}

fn default_scale() -> Scale {
    named("red-amber-green").unwrap_or(Scale {
        labels: Vec::new(),
        words: None,
    })
}

/// A named scale, with the string keys of its labels when they are words.
fn named(name: &str) -> Option<Scale> {
    let words = name
        .eq_ignore_ascii_case("red-amber-green")
        .then_some(RED_AMBER_GREEN_WORDS);
    named_scale(name).map(|labels| Scale { labels, words })
}

/// The labels of a named scale: `red-amber-green`, or `1-N` for N from 2 to 10.
pub fn named_scale(name: &str) -> Option<Vec<String>> {
    if name.eq_ignore_ascii_case("red-amber-green") {
        return Some(vec!["Red".into(), "Amber".into(), "Green".into()]);
    }
    let top: usize = name.strip_prefix("1-")?.parse().ok()?;
    (2..=10)
        .contains(&top)
        .then(|| (1..=top).map(|n| n.to_string()).collect())
}
