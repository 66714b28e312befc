//! Load stage: walk `content/`, split front matter from body, type each page.

mod front_matter;
pub mod keys;
pub mod worksheet;

use crate::config::is_slug;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::ops::{Deref, Range};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};
use walkdir::WalkDir;

pub use crate::kind::Kind;

pub const CONTENT_DIR: &str = "content";

/// Front matter of every kind, typed and checked by `front_matter::Reader`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub source: Vec<Source>,
    pub number: Option<u32>,
    pub series: Option<String>,
    pub group: Option<String>,
    pub stakeholders: Vec<String>,
    pub principles: Vec<String>,
    pub barriers: Vec<String>,
    pub case_studies: Vec<String>,
    pub organisations: Vec<Organisation>,
    pub place: Option<String>,
    pub years: Option<String>,
    pub themes: Vec<String>,
    /// `YYYY-MM-DD`, checked to be a real date.
    pub date: Option<String>,
    /// `updated`: when the page last changed, `YYYY-MM-DD`, checked.
    pub updated: Option<String>,
    /// `changes`: the page's history, newest first.
    pub changes: Vec<Change>,
    pub commitments: Vec<Commitment>,
    pub nav: bool,
    /// `translated_from`: in a translation, the hash of the original it was
    /// translated from (`fairguide check` prints it).
    pub translated_from: Option<String>,
    /// A tool's worksheet, from its `scale` and `groups` keys.
    pub worksheet: Option<worksheet::Worksheet>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Source {
    /// What citations call it (`[@v4ce-2012, p. 14]`): its `id`, or its
    /// position on the page (`1`, `2`, ...) when it has none.
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    /// Four digits, checked.
    pub year: Option<String>,
    /// A web or mail address, never a script URL.
    pub url: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The id of a record of the `organisations` collection.
    pub id: Option<String>,
}

/// One entry of a page's `changes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `YYYY-MM-DD`, checked to be a real date.
    pub date: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub stakeholder: String,
    pub text: String,
    /// What the commitment comes from: [`GUIDE_BASIS`] for the guide's own
    /// advice, or pages by their path in content/ without `.md`.
    pub basis: Vec<String>,
}

/// A commitment `basis` that says the guide itself adds it.
pub const GUIDE_BASIS: &str = "guide";

/// Part of a page's file text: reads as a `&str`, but shares the file's one
/// copy with the page's other parts instead of holding its own (on 10,000
/// pages, a second copy of every body was 78 MB of the build's peak memory).
#[derive(Clone, Default)]
pub struct SourceText {
    text: Arc<str>,
    range: Range<usize>,
    /// Line starts, computed the first time a message needs a line.
    lines: OnceLock<Arc<LineIndex>>,
    /// Front matter keys and items, computed the first time a message needs one.
    keys: OnceLock<Arc<KeyIndex>>,
}

impl SourceText {
    fn new(text: Arc<str>, range: Range<usize>) -> Self {
        SourceText {
            text,
            range,
            lines: OnceLock::new(),
            keys: OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }

    /// This text's line starts, computed once.
    pub fn line_index(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| Arc::new(LineIndex::new(self.as_str())))
    }
}

/// Where each front matter key and each item of its value sit, found in one
/// pass, so that locating thousands of unknown ids costs one scan, not one each.
#[derive(Debug, Default)]
struct KeyIndex {
    /// Front matter line (0-based) of `key:` at the top level, else of the
    /// first indented line starting with `key:`.
    keys: HashMap<String, usize>,
    top_level: std::collections::HashSet<String>,
    /// (key, item) -> (0-based front matter line, byte offset in the front
    /// matter, 1-based character column).
    items: HashMap<(String, String), (usize, usize, usize)>,
}

impl KeyIndex {
    fn new(front: &str) -> Self {
        let mut index = KeyIndex::default();
        let mut current: Option<String> = None;
        let mut line_start = 0;
        for (i, line) in front.split('\n').enumerate() {
            let trimmed = line.trim_start();
            let mut rest = (line_start, line, 0);
            if let Some((key, _)) = trimmed.split_once(':') {
                let top = trimmed.len() == line.len() && !line.starts_with('-');
                if !index.top_level.contains(key) && (top || !index.keys.contains_key(key)) {
                    index.keys.insert(key.to_string(), i);
                    if top {
                        index.top_level.insert(key.to_string());
                    }
                }
            }
            // A key's value runs on while lines are indented, list items or empty
            // (the rule `Page::line_of` has always used).
            if !(line.starts_with(' ') || line.starts_with('-') || line.is_empty()) {
                current = None;
                if let Some((key, _)) = line.split_once(':') {
                    current = Some(key.to_string());
                    let skip = key.len() + 1;
                    rest = (line_start + skip, &line[skip..], key.chars().count() + 1);
                }
            }
            if let Some(key) = &current {
                let (mut at, text, mut column) = rest;
                for piece in text.split([',', '[', ']', '{', '}']) {
                    let (piece_at, piece_column) = (at, column);
                    at += piece.len() + 1;
                    column += piece.chars().count() + 1;
                    let lead = piece.len() - piece.trim_start().len();
                    let item = piece.trim();
                    let item = item.strip_prefix("- ").unwrap_or(item).trim_start();
                    // `- stakeholder: funders` names `funders`.
                    let item = item.rsplit(": ").next().unwrap_or(item);
                    let item = item
                        .strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .or_else(|| item.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                        .unwrap_or(item);
                    if item.is_empty() {
                        continue;
                    }
                    // Byte offset of the item inside this piece.
                    let within = piece[lead..].find(item).map_or(lead, |j| lead + j);
                    let item_column = piece_column + piece[..within].chars().count() + 1;
                    index
                        .items
                        .entry((key.clone(), item.to_string()))
                        .or_insert((i, piece_at + within, item_column));
                }
            }
            line_start += line.len() + 1;
        }
        index
    }
}

impl Deref for SourceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for SourceText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One Markdown file, typed and placed.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: Kind,
    /// Path shown in messages, e.g. `content/principles/trust.md`.
    pub file: PathBuf,
    /// Path inside `content/`, with `/` separators, e.g. `principles/trust.md`.
    pub content_path: String,
    pub slug: String,
    /// URL path relative to the base, e.g. `principles/trust/` (empty for home).
    pub url_path: String,
    pub front: FrontMatter,
    /// The front matter's raw text, for locating keys and values in messages.
    pub front_text: SourceText,
    /// File line on which the front matter's first line sits (after the opening `---`).
    pub front_line: usize,
    pub body: SourceText,
    /// File line on which `body` starts.
    pub body_line: usize,
    /// The whole file, normalised to `\n` line endings.
    pub source_text: SourceText,
}

impl Page {
    /// Lets go of the page's file text, once nothing will read it: in a build,
    /// only messages do, and every message about the file is made by the time
    /// the templates are filled.
    pub(crate) fn release_text(&mut self) {
        self.front_text = SourceText::default();
        self.body = SourceText::default();
        self.source_text = SourceText::default();
    }

    /// File line of `key:` in the front matter, or of its item `value` when given.
    pub fn line_of(&self, key: &str, value: Option<&str>) -> usize {
        self.locate(key, value).0
    }

    /// File line, and byte offset in the file when `value` was found on it.
    fn locate(&self, key: &str, value: Option<&str>) -> (usize, Option<(usize, usize)>) {
        let keys = self
            .front_text
            .keys
            .get_or_init(|| Arc::new(KeyIndex::new(&self.front_text)));
        let Some(&start) = keys.keys.get(key) else {
            return (self.front_line.saturating_sub(1).max(1), None);
        };
        let Some(value) = value else {
            return (self.front_line + start, None);
        };
        if let Some(&(line, at, column)) = keys.items.get(&(key.to_string(), value.to_string())) {
            let at = self.front_text.range.start - self.source_text.range.start + at;
            return (self.front_line + line, Some((at, column)));
        }
        // Not a plain item (a value inside quotes with commas, say): look for it
        // as a word on the key's lines, as before.
        let key_prefix = format!("{key}:");
        for (i, line) in self.front_text.lines().enumerate().skip(start) {
            if i > start && !line.starts_with(' ') && !line.starts_with('-') && !line.is_empty() {
                break;
            }
            let text = if i == start {
                line.trim_start()
                    .strip_prefix(key_prefix.as_str())
                    .unwrap_or(line)
            } else {
                line
            };
            if contains_word(text, value) {
                return (self.front_line + i, None);
            }
        }
        (self.front_line + start, None)
    }

    /// Column (1-based) of `value` on file line `line`, or 0.
    pub fn column_of(&self, line: usize, value: &str) -> usize {
        self.source_text
            .line_index()
            .line_text(&self.source_text, line)
            .and_then(|l| l.find(value).map(|i| l[..i].chars().count() + 1))
            .unwrap_or(0)
    }

    /// File line of byte `offset` of the body.
    pub fn body_line_of(&self, offset: usize) -> usize {
        let at = self.body.range.start - self.source_text.range.start + offset;
        self.source_text.line_index().line_of(at)
    }

    /// A diagnostic at `key`/`value` of this page's front matter.
    pub fn error_at(
        &self,
        key: &str,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, at) = self.locate(key, value);
        let lines = self.source_text.line_index();
        let d = Diagnostic::error(message).in_file(&self.file);
        match at {
            Some((at, column)) => d
                .at(line, column)
                .with_source_at(&self.source_text, lines, at),
            None => {
                let column = value.map_or(0, |v| self.column_of(line, v));
                let offset = lines.line_start(line).unwrap_or(0);
                let d = d.at(line, column);
                match self
                    .source_text
                    .line_index()
                    .line_text(&self.source_text, line)
                {
                    Some(text) if column > 0 => {
                        let byte = text.char_indices().nth(column - 1).map_or(0, |(i, _)| i);
                        d.with_source_at(&self.source_text, lines, offset + byte)
                    }
                    _ => d.with_source_at(&self.source_text, lines, offset),
                }
            }
        }
    }
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        boundary(before) && boundary(after)
    })
}

/// A file under `content/` that is not Markdown (an image, a PDF): copied as is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path inside the output folder, `/` separated.
    pub output_path: String,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Content paths of Markdown files that failed to load, so that links to
    /// them are not reported a second time.
    pub failed: std::collections::HashSet<String>,
    /// Translations (`x.cy.md` for a declared language `cy`), each placed
    /// where its original `x.md` is.
    pub translations: Vec<Translation>,
}

/// A translation of a page: `content/x.<code>.md`.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language's code, as declared in `[[languages]]`.
    pub code: String,
    /// The page, with the kind, slug, URL and content path of its original
    /// and the translation's own `file`.
    pub page: Page,
}

/// The original's content path and the language of `rel`, when `rel` is a
/// translation (`about.cy.md` -> `about.md`, `cy`) in one of `codes`.
pub fn translation_of<'a>(rel: &str, codes: &'a [String]) -> Option<(String, &'a str)> {
    let stem = rel.strip_suffix(".md")?;
    let (before, code) = stem.rsplit_once('.')?;
    if before.is_empty() || before.ends_with('/') || code.contains('/') {
        return None;
    }
    let code = codes.iter().find(|c| c.as_str() == code)?;
    Some((format!("{before}.md"), code.as_str()))
}

/// Walks `root/content` and loads every page, collecting every problem.
pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    load_with(root, &[])
}

/// [`load`], taking `x.<code>.md` for each of `codes` as a translation of `x.md`.
pub fn load_with(root: &Path, codes: &[String]) -> (Loaded, Diagnostics) {
    let content_dir = root.join(CONTENT_DIR);
    let mut diags = Diagnostics::default();
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error("there is no content/ folder")
                .in_file(CONTENT_DIR)
                .hint("create content/_index.md (the home page) or run fairguide in the site's folder"),
        );
        return (Loaded::default(), diags);
    }
    for entry in WalkDir::new(&content_dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read {e}")).in_file(CONTENT_DIR));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&content_dir) else {
            continue;
        };
        // Editors' swap, backup and hidden files never become pages.
        if crate::editor_files::in_editor_path(rel) {
            continue;
        }
        let Some(rel_str) = safe_relative(rel) else {
            diags.push(
                Diagnostic::error(format!("unusable file name {}", rel.display()))
                    .in_file(entry.path())
                    .hint("use plain UTF-8 names without `..`"),
            );
            continue;
        };
        if rel_str.ends_with(".md") {
            markdown.push((entry.path().to_path_buf(), rel_str));
        } else {
            assets.push(Asset {
                source: entry.path().to_path_buf(),
                output_path: rel_str,
            });
        }
    }

    let results: Vec<Result<Option<Page>, Vec<Diagnostic>>> = markdown
        .par_iter()
        .map(|(path, rel)| match translation_of(rel, codes) {
            Some((original, _)) => load_page_at(path, rel, &original),
            None => load_page(path, rel),
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut translations = Vec::new();
    let mut failed = std::collections::HashSet::new();
    for (r, (_, rel)) in results.into_iter().zip(&markdown) {
        match r {
            Ok(Some(page)) => match translation_of(rel, codes) {
                Some((_, code)) => translations.push(Translation {
                    code: code.to_string(),
                    page,
                }),
                None => pages.push(page),
            },
            Ok(None) => {}
            Err(ds) => {
                diags.extend(ds);
                if translation_of(rel, codes).is_none() {
                    failed.insert(rel.clone());
                }
            }
        }
    }
    (
        Loaded {
            pages,
            assets,
            failed,
            translations,
        },
        diags,
    )
}

/// `/`-joined path with only normal components, or None.
fn safe_relative(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Where a file in `content/` goes: its kind, slug and URL path.
fn place(rel: &str) -> Result<(Kind, String, String), (String, String)> {
    let stem_path = rel.trim_end_matches(".md");
    let parts: Vec<&str> = stem_path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if !(is_slug(part) || (last && *part == "_index")) {
            let fixed = slug::slugify(part);
            return Err((
                format!("`{part}` cannot be part of a URL"),
                format!(
                    "rename it to `{}`: lowercase letters, digits and hyphens only",
                    if last { format!("{fixed}.md") } else { fixed }
                ),
            ));
        }
    }
    let (dirs, last) = parts.split_at(parts.len() - 1);
    let last = last[0];
    let url_dirs = dirs.join("/");
    if last == "_index" {
        let kind = if dirs.is_empty() {
            Kind::Home
        } else {
            Kind::Section
        };
        let url = if url_dirs.is_empty() {
            String::new()
        } else {
            format!("{url_dirs}/")
        };
        let slug = dirs.last().copied().unwrap_or("").to_string();
        return Ok((kind, slug, url));
    }
    let kind = if dirs.is_empty() && last == "code-of-conduct" {
        Kind::CodeOfConduct
    } else {
        dirs.first()
            .and_then(|d| Kind::from_section(d))
            .unwrap_or(Kind::Page)
    };
    let url = if url_dirs.is_empty() {
        format!("{last}/")
    } else {
        format!("{url_dirs}/{last}/")
    };
    Ok((kind, last.to_string(), url))
}

/// Loads one Markdown file; `rel` is its path inside `content/`.
pub fn load_page(path: &Path, rel: &str) -> Result<Option<Page>, Vec<Diagnostic>> {
    load_page_at(path, rel, rel)
}

/// Loads the Markdown file `rel` (inside `content/`) as the page at `place_as`:
/// a translation takes its original's place.
pub fn load_page_at(
    path: &Path,
    rel: &str,
    place_as: &str,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let file = Path::new(CONTENT_DIR).join(rel);
    let (kind, slug, url_path) = place(place_as)
        .map_err(|(msg, hint)| vec![Diagnostic::error(msg).in_file(&file).hint(hint)])?;
    let rel = place_as;
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read file: {e}")).in_file(&file)])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::error(format!(
            "file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
        .in_file(&file)
        .hint("save the file as UTF-8 in your editor")]
    })?;
    parse_page(kind, file, rel, slug, url_path, &text)
}

/// The text in Unicode Normalization Form C: a letter and a combining accent
/// typed as two characters (`e` + U+0301) become the one character (`é`)
/// that looks the same. Pages are then what the W3C character model asks
/// for, and search, ids and links see one spelling of each word.
fn to_nfc(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        text.nfc().collect::<String>().into()
    }
}

/// Every string in front matter in Normalization Form C, as [`to_nfc`].
fn nfc_strings(value: &mut serde_yaml::Value) {
    use serde_yaml::Value;
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(n) = to_nfc(std::borrow::Cow::Borrowed(s.as_str())) {
                *s = n;
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(nfc_strings),
        Value::Mapping(map) => map.values_mut().for_each(nfc_strings),
        Value::Tagged(tagged) => nfc_strings(&mut tagged.value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Splits and types one page's text. Public for tests and for `serve`.
pub fn parse_page(
    kind: Kind,
    file: PathBuf,
    rel: &str,
    slug: String,
    url_path: String,
    text: &str,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source_text: std::borrow::Cow<str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    let source_text = to_nfc(source_text);
    let lines: Vec<&str> = source_text.split('\n').collect();
    let missing = || {
        vec![Diagnostic::error("the page has no front matter")
            .in_file(&file)
            .at(1, 1)
            .with_source(&source_text)
            .hint("start the file with a `---` line, then `title: Your title`, then another `---` line")]
    };
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(missing());
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
    else {
        return Err(vec![Diagnostic::error("the front matter is never closed")
            .in_file(&file)
            .at(1, 1)
            .with_source(&source_text)
            .hint(
                "add a line with only `---` after the last front matter line",
            )]);
    };
    // Both parts are ranges of the one file text (exactly what joining their
    // lines back together would give).
    let offset = |line: &str| line.as_ptr() as usize - source_text.as_ptr() as usize;
    let front_start = offset(lines[1]);
    let front_end = if close > 1 {
        offset(lines[close - 1]) + lines[close - 1].len()
    } else {
        front_start
    };
    let body_start = lines
        .get(close + 1)
        .map_or(source_text.len(), |l| offset(l));
    let shared: Arc<str> = Arc::from(source_text.as_ref());
    let front_text = SourceText::new(shared.clone(), front_start..front_end);
    let body = SourceText::new(shared.clone(), body_start..source_text.len());
    let source_text = SourceText::new(shared, 0..source_text.len());
    let front_line = 2;
    let body_line = close + 2;

    let mut value: serde_yaml::Value = if front_text.trim().is_empty() {
        serde_yaml::Value::Mapping(Default::default())
    } else if let Some(d) = nesting_error(&front_text, &file, &source_text, front_line) {
        return Err(vec![d]);
    } else {
        serde_yaml::from_str(&front_text)
            .map_err(|e| vec![yaml_error(&e, &file, &source_text, front_line)])?
    };
    // A quoted string's escapes (`"cafe\u0301"`) can undo the text's NFC.
    nfc_strings(&mut value);
    let serde_yaml::Value::Mapping(map) = &value else {
        return Err(vec![Diagnostic::error(
            "front matter must be `key: value` lines",
        )
        .in_file(&file)
        .at(front_line, 1)
        .with_source(&source_text)
        .hint("write e.g. `title: Trust and control` between the `---` lines")]);
    };
    let locator = front_matter::Locator::new(&front_text, front_line);
    let mut reader = front_matter::Reader::new(map, &locator, &file, &source_text);
    let front = reader.read(kind);
    let mut diags = reader.diags;
    let title_is_text = map
        .get("title")
        .is_none_or(|t| t.is_string() || t.is_null());
    if front.title.trim().is_empty() && title_is_text {
        let (line, column) = locator.locate("title", None);
        diags.push(
            Diagnostic::error("the page has no `title`")
                .in_file(&file)
                .at(line, column)
                .with_source(&source_text)
                .hint("add `title: Your page title` to the front matter"),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if front.draft {
        return Ok(None);
    }
    Ok(Some(Page {
        kind,
        file,
        content_path: rel.to_string(),
        slug,
        url_path,
        front,
        front_text,
        front_line,
        body,
        body_line,
        source_text,
    }))
}

/// Deepest nesting of `[...]` and `{...}` allowed in front matter. Real front
/// matter uses two or three levels; the YAML parser takes superlinear time on
/// thousands, so deeper input is refused before it reaches the parser.
pub const MAX_NESTING: usize = 64;

/// An error at the first `[` or `{` nested deeper than [`MAX_NESTING`].
/// A cheap scan: brackets inside quoted values and comments do not count, nor,
/// outside brackets, ones in the middle of a plain value.
fn nesting_error(front: &str, file: &Path, source: &str, front_line: usize) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // The last character that was not a space, and the last character.
    let (mut prev, mut last) = ('\n', '\n');
    let (mut line, mut column) = (0usize, 0usize);
    let mut chars = front.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        if let Some(q) = quote {
            if q == '"' && c == '\\' {
                if chars.next() == Some('\n') {
                    line += 1;
                    column = 0;
                } else {
                    column += 1;
                }
            } else if c == q {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    column += 1;
                } else {
                    quote = None;
                    prev = c;
                }
            }
            last = c;
            continue;
        }
        // Where a value may start: after `[`, `{`, `,` or `:` inside brackets;
        // outside them, at a line's start or after `: `, `- ` or `? `.
        let value_start = if depth > 0 {
            matches!(prev, '\n' | ':' | ',' | '[' | '{')
        } else {
            prev == '\n' || (matches!(prev, ':' | '-' | '?') && last.is_whitespace())
        };
        match c {
            '#' if last.is_whitespace() => while chars.next_if(|&c| c != '\n').is_some() {},
            '"' | '\'' if value_start => quote = Some(c),
            '[' | '{' if depth > 0 || value_start => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::error(format!(
                            "the front matter nests lists or maps more than {MAX_NESTING} levels deep"
                        ))
                        .in_file(file)
                        .at(front_line + line, column)
                        .with_source(source)
                        .hint("front matter needs only a level or two of `[` and `{`: look for brackets that are never closed or repeated by mistake"),
                    );
                }
            }
            ']' | '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        if c == '\n' && depth == 0 {
            prev = '\n';
        } else if depth == 0 && !value_start && matches!(c, '[' | '{') {
            // Part of a plain value, such as `a [note]`.
            prev = 'a';
        } else if !c.is_whitespace() {
            prev = c;
        }
        last = c;
    }
    None
}

fn yaml_error(e: &serde_yaml::Error, file: &Path, source: &str, front_line: usize) -> Diagnostic {
    // YAML lines count from the front matter's first line; shift them to file lines.
    let (mut line, mut column) = e
        .location()
        .map(|l| (l.line() + front_line - 1, l.column()))
        .unwrap_or((front_line, 0));
    let full = e.to_string();
    let message = full.split(" at line ").next().unwrap_or(&full).to_string();
    let hint = if let Some(start) = full.split("while scanning a quoted scalar at line ").nth(1) {
        // An unclosed quote: point at where it opened, not where the file ran out.
        let mut numbers = start
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty());
        if let (Some(l), Some(c)) = (numbers.next(), numbers.next()) {
            line = l.parse::<usize>().unwrap_or(1) + front_line - 1;
            column = c.parse().unwrap_or(0);
        }
        "this quoted value is never closed: add the closing quote at the end of the value"
    } else if message.contains("mapping values are not allowed") {
        "a value contains `: `; put the whole value in double quotes"
    } else if message.contains("found character that cannot start any token") {
        "a value starts with a special character (`@`, `` ` ``, `%`); put it in double quotes"
    } else {
        "check the indentation and quoting of this line; values with `:` or `#` need double quotes"
    };
    Diagnostic::error(format!("front matter is not valid YAML: {message}"))
        .in_file(file)
        .at(line, column)
        .with_source(source)
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rel: &str, text: &str) -> Result<Option<Page>, Vec<Diagnostic>> {
        let (kind, slug, url) = place(rel).unwrap();
        parse_page(kind, Path::new("content").join(rel), rel, slug, url, text)
    }

    #[test]
    fn places_files_by_folder() {
        assert_eq!(
            place("_index.md").unwrap(),
            (Kind::Home, "".into(), "".into())
        );
        assert_eq!(place("principles/_index.md").unwrap().0, Kind::Section);
        assert_eq!(
            place("case-studies/x.md").unwrap(),
            (Kind::CaseStudy, "x".into(), "case-studies/x/".into())
        );
        assert_eq!(place("code-of-conduct.md").unwrap().0, Kind::CodeOfConduct);
        assert_eq!(
            place("about/team.md").unwrap(),
            (Kind::Page, "team".into(), "about/team/".into())
        );
        assert!(place("Bad Name.md").is_err());
    }

    #[test]
    fn accepts_crlf_and_bom_and_keeps_lines() {
        let p = parse("about.md", "\u{feff}---\r\ntitle: About\r\n---\r\nBody\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.front.title, "About");
        assert_eq!(p.body_line, 4);
        assert_eq!(p.body.trim(), "Body");
    }

    #[test]
    fn front_matter_and_body_are_exactly_the_lines_between_and_after() {
        for text in [
            "---\ntitle: A\n---\nBody\n",
            "---\ntitle: A\nsummary: B\n---\n\nBody\n\nMore",
            "---\ntitle: A\n---",
            "---\ntitle: A\n---\n",
            "---\n---\nBody",
            "---  \ntitle: A\n---  \nBody\n",
            "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n",
        ] {
            let Ok(Some(p)) = parse("about.md", text) else {
                // An empty front matter has no title: checked elsewhere.
                continue;
            };
            let normal = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
            let lines: Vec<&str> = normal.split('\n').collect();
            let close = 1 + lines[1..]
                .iter()
                .position(|l| l.trim_end() == "---")
                .unwrap();
            assert_eq!(
                p.front_text,
                lines[1..close].join("\n").as_str(),
                "{text:?}"
            );
            assert_eq!(p.body, lines[close + 1..].join("\n").as_str(), "{text:?}");
            assert_eq!(p.source_text, normal.as_str(), "{text:?}");
        }
    }

    #[test]
    fn yaml_error_line_counts_from_file_start() {
        let err = parse("about.md", "---\ntitle: A\nsummary: a: b\n---\n").unwrap_err();
        assert_eq!(err[0].line, 3, "{}", err[0]);
        let err = parse("about.md", "---\ntitle: \"open\nnav: true\n---\n").unwrap_err();
        assert_eq!((err[0].line, err[0].column), (2, 8), "{}", err[0]);
        assert!(err[0].hint.as_deref().unwrap().contains("never closed"));
    }

    #[test]
    fn deep_nesting_is_refused_at_its_line_before_parsing() {
        let deep = format!(
            "---\ntitle: x\nprinciples: {}a{}\n---\n",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let err = parse("principles/a.md", &deep).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            err[0].message,
            "the front matter nests lists or maps more than 64 levels deep"
        );
        assert_eq!((err[0].line, err[0].column), (3, 13 + 64), "{}", err[0]);
        assert!(err[0].source_line.as_ref().unwrap().chars().count() <= 122);
        let text = err[0].render(false);
        assert!(text.contains("--> content/principles/a.md:3:77"), "{text}");
        // Brackets in quotes, comments and plain text do not count; 64 levels parse.
        let fine = format!(
            "---\ntitle: \"{0}\"\nsummary: a {0}\nweight: 1 # {0}\nprinciples: {1}a{2}\n---\n",
            "[".repeat(100),
            "[".repeat(64),
            "]".repeat(64)
        );
        let err = parse("principles/a.md", &fine).unwrap_err();
        assert!(
            err.iter().all(|d| !d.message.contains("levels deep")),
            "{err:?}"
        );
        let mixed = format!("---\ntitle: x\nsource: {}\n---\n", "{a: [".repeat(40));
        let err = parse("principles/a.md", &mixed).unwrap_err();
        assert_eq!(err[0].line, 3, "{}", err[0]);
        assert!(err[0].message.contains("64 levels deep"), "{}", err[0]);
    }

    #[test]
    fn error_at_finds_each_of_many_values_on_one_long_line() {
        let ids: Vec<String> = (0..3000).map(|i| format!("id{i}")).collect();
        let text = format!(
            "---\ntitle: x\nstakeholders: [{}]\nprinciples:\n  - a\n  - \"trust, control\"\nnumber: 1\n---\n",
            ids.join(", ")
        );
        let page = parse("recommendations/a.md", &text).unwrap().unwrap();
        let line = text.lines().nth(2).unwrap();
        for id in ["id0", "id1", "id10", "id2999"] {
            let d = page.error_at("stakeholders", Some(id), "unknown");
            let k: usize = id[2..].parse().unwrap();
            let byte =
                "stakeholders: [".len() + ids[..k].iter().map(|i| i.len() + 2).sum::<usize>();
            assert!(line[byte..].starts_with(id));
            assert_eq!((d.line, d.column), (3, byte + 1), "{id}");
            let shown = d.source_line.unwrap();
            assert!(shown.chars().count() <= 122, "{shown}");
            let caret: String = shown
                .chars()
                .skip(d.source_column as usize - 1)
                .take(id.len())
                .collect();
            assert_eq!(caret, id);
        }
        assert_eq!(page.error_at("principles", Some("a"), "x").line, 5);
        // A value with a comma is found by the word search.
        let d = page.error_at("principles", Some("trust, control"), "x");
        assert_eq!((d.line, d.column), (6, 6));
        assert_eq!(page.error_at("principles", None, "x").line, 4);
    }

    #[test]
    fn multibyte_indentation_never_splits_a_character() {
        // A folded value's line that reads like the key, indented by two
        // spaces and four ideographic spaces (3 bytes each), comes first.
        let text = "---\ntitle: x\nsummary: >\n  \u{3000}\u{3000}\u{3000}\u{3000}stakeholders: [é]\nstakeholders: [nobody, é]\nnumber: 1\n---\n";
        let page = parse("recommendations/a.md", text).unwrap().unwrap();
        let d = page.error_at("stakeholders", Some("nobody"), "unknown");
        assert_eq!((d.line, d.column), (5, 16), "{d}");
        let d = page.error_at("stakeholders", Some("é"), "unknown");
        assert_eq!((d.line, d.column), (5, 24), "{d}");
        assert!(d.render(false).contains("5 | stakeholders: [nobody, é]"));
        // The key's own line, not the folded text that reads like it.
        let d = page.error_at("stakeholders", Some("missing"), "unknown");
        assert_eq!(d.line, 5, "{d}");
    }

    #[test]
    fn unknown_key_is_an_error_with_suggestion() {
        let err = parse(
            "case-studies/x.md",
            "---\ntitle: A\nstakeholder: [bme]\n---\n",
        )
        .unwrap_err();
        assert_eq!(err[0].line, 3);
        assert!(err[0].hint.as_deref().unwrap().contains("stakeholders"));
    }
}
