//! Errors and warnings that point at a file, a line and a fix.
//!
//! Every stage collects `Diagnostic`s instead of stopping at the first problem,
//! so one run tells an editor everything that is wrong.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path as shown to the editor, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based; 0 when the problem has no line (a missing file, say).
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    /// The offending source line, shown with a caret under `column`; a long
    /// line is cut to a window around the column, with `…` where text was cut.
    pub source_line: Option<String>,
    /// 1-based column of the caret within `source_line` (differs from
    /// `column` when the line was windowed); 0 for no caret.
    /// (`u32` keeps `Diagnostic` small enough to pass around in `Result`s.)
    #[serde(skip)]
    pub source_column: u32,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            line: 0,
            column: 0,
            source_line: None,
            source_column: 0,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// The same problem, as a warning (a lint that does not stop a build).
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Attaches the text of `self.line` from `source`, the whole file's text.
    ///
    /// Finds the line by scanning `source`; code that reports many problems in
    /// one text should build a [`LineIndex`] once and use [`Self::with_source_at`].
    pub fn with_source(mut self, source: &str) -> Self {
        if self.line > 0 {
            if let Some(line) = source.split('\n').nth(self.line - 1) {
                let line = line.trim_end_matches('\r');
                let byte = if self.column > 0 {
                    line.char_indices()
                        .nth(self.column - 1)
                        .map_or(line.len(), |(i, _)| i)
                } else {
                    0
                };
                self.set_window(line, byte);
            }
        }
        self
    }

    /// Attaches the line holding byte `offset` of `source` (indexed by `index`),
    /// with the caret at that offset. Costs only the shown window, however long
    /// the line: thousands of problems on one long line stay cheap.
    pub fn with_source_at(mut self, source: &str, index: &LineIndex, offset: usize) -> Self {
        let line = index.line_of(offset);
        if let Some(text) = index.line_text(source, line) {
            let start = index.line_start(line).unwrap_or(0);
            let byte = offset.saturating_sub(start).min(text.len());
            self.set_window(text, floor_char_boundary(text, byte));
        }
        self
    }

    /// Like [`Self::with_source`] for `self.line` and `self.column`, finding
    /// the line in `index` (built once for `source`) instead of scanning.
    pub fn with_source_in(self, source: &str, index: &LineIndex) -> Self {
        let (Some(text), Some(start)) = (
            index.line_text(source, self.line),
            index.line_start(self.line),
        ) else {
            return self;
        };
        let byte = match self.column {
            0 => 0,
            c => text
                .char_indices()
                .nth(c - 1)
                .map_or(text.len(), |(i, _)| i),
        };
        self.with_source_at(source, index, start + byte)
    }

    /// Keeps at most [`WINDOW_CHARS`] characters of `line` around byte `byte`.
    fn set_window(&mut self, line: &str, byte: usize) {
        let half = WINDOW_CHARS / 2;
        // Walk out from the caret by characters, never reading the whole line.
        let start = line[..byte]
            .char_indices()
            .rev()
            .take(half)
            .last()
            .map_or(byte, |(i, _)| i);
        let before = line[start..byte].chars().count();
        let room = WINDOW_CHARS - before;
        let end = line[byte..]
            .char_indices()
            .nth(room)
            .map_or(line.len(), |(i, _)| byte + i);
        let mut shown = String::with_capacity(end - start + 8);
        if start > 0 {
            shown.push('…');
        }
        shown.push_str(&line[start..end]);
        if end < line.len() {
            shown.push('…');
        }
        self.source_column = if self.column > 0 {
            (before + 1 + usize::from(start > 0)) as u32
        } else {
            0
        };
        self.source_line = Some(shown);
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders in the one format used everywhere, coloured only when asked.
    pub fn render(&self, colour: bool) -> String {
        let paint = |code: &str, text: &str| {
            if colour {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = format!("{}: {}\n", paint(code, label), paint("1", &self.message));
        if let Some(file) = &self.file {
            let mut location = file.display().to_string();
            if self.line > 0 {
                location.push_str(&format!(":{}", self.line));
                if self.column > 0 {
                    location.push_str(&format!(":{}", self.column));
                }
            }
            out.push_str(&format!("  {} {}\n", paint("1;34", "-->"), location));
        }
        if let Some(text) = &self.source_line {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            out.push_str(&format!("{gutter} {}\n", paint("1;34", "|")));
            out.push_str(&format!(
                "{} {} {}\n",
                paint("1;34", &number),
                paint("1;34", "|"),
                text
            ));
            if self.source_column > 0 {
                let pad: String = text
                    .chars()
                    .take(self.source_column as usize - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!(
                    "{gutter} {} {pad}{}\n",
                    paint("1;34", "|"),
                    paint(code, "^")
                ));
            }
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  {} {}\n", paint("1;36", "= hint:"), hint));
        }
        out
    }

    fn sort_key(&self) -> (Option<&PathBuf>, usize, usize, &str) {
        (self.file.as_ref(), self.line, self.column, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// How many characters of a long source line a diagnostic keeps and shows.
pub const WINDOW_CHARS: usize = 120;

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where each line of a text starts, computed once, so that finding the line
/// of an offset (or the text of a line) is a binary search, not a rescan.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line; line 1 starts at 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line holding byte `offset` (offsets past the end count as the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset.min(self.len))
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// The text of 1-based `line`, without its line ending; `None` past the
    /// last line (as `str::lines` counts them).
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        let start = self.line_start(line)?;
        if start >= text.len() && line > 1 {
            return None;
        }
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |&next| next - 1)
            .min(text.len());
        let s = text.get(start..end)?;
        Some(s.strip_suffix('\r').unwrap_or(s))
    }

    /// 1-based line and character column of byte `offset` of `text`.
    /// Costs the distance from the line's start; see [`ColumnCursor`] for many calls.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        (line, text[start..offset].chars().count() + 1)
    }
}

/// Line and character column of increasing offsets into one text, each found
/// by counting only from the previous one (linear over a whole pass).
#[derive(Debug)]
pub struct ColumnCursor<'a> {
    text: &'a str,
    index: &'a LineIndex,
    /// The last offset asked for, its line and its column.
    last: (usize, usize, usize),
}

impl<'a> ColumnCursor<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex) -> Self {
        ColumnCursor {
            text,
            index,
            last: (0, 1, 1),
        }
    }

    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let (last_offset, last_line, last_column) = self.last;
        let column = if line == last_line && offset >= last_offset {
            last_column + self.text[last_offset..offset].chars().count()
        } else {
            self.index.position(self.text, offset).1
        };
        self.last = (offset, line, column);
        (line, column)
    }
}

/// All problems found by one run, in a stable order (file, line, column).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
    }

    pub fn render(&self, colour: bool) -> String {
        self.0.iter().map(|d| d.render(colour) + "\n").collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set.
pub fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// The closest candidate to `wrong`, if any is close enough to be a likely typo.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" when a candidate is close, otherwise the list of valid values.
pub fn did_you_mean(wrong: &str, candidates: &[&str]) -> String {
    match nearest(wrong, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => "nothing of that kind exists yet".to_string(),
        None => {
            let shown: Vec<String> = candidates
                .iter()
                .take(12)
                .map(|c| format!("`{c}`"))
                .collect();
            let more = if candidates.len() > 12 { ", ..." } else { "" };
            format!("valid values are {}{more}", shown.join(", "))
        }
    }
}

/// serde's "invalid type: integer `5`, expected a string" as (what was found,
/// what was expected) in an editor's words: ("a number", "text in double quotes").
pub fn plain_type_error(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let found = match found.split([' ', ':']).next().unwrap_or("") {
        "integer" | "floating" => "a number".to_string(),
        "string" | "character" => "text".to_string(),
        "boolean" => "true or false".to_string(),
        "sequence" => "a list".to_string(),
        "map" => "a table of keys".to_string(),
        "unit" | "null" => "empty".to_string(),
        other => other.to_string(),
    };
    let expected = expected.lines().next().unwrap_or(expected);
    let expected = if expected.contains("string") || expected.contains("char") {
        "text in double quotes"
    } else if expected.contains("bool") {
        "true or false"
    } else if expected.contains("sequence") || expected.contains("array") {
        "a list"
    } else if [
        "f32", "f64", "float", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize",
        "integer",
    ]
    .iter()
    .any(|t| expected.contains(t))
    {
        "a number"
    } else if expected.contains("map") || expected.contains("struct") {
        "a table of keys"
    } else {
        expected
    };
    Some((found, expected.to_string()))
}

/// What a YAML value is, in words an editor knows ("a list", "text").
pub(crate) fn describe_yaml(v: &serde_yaml::Value) -> &'static str {
    use serde_yaml::Value;
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a group of `key: value` lines",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_typos_only() {
        assert_eq!(nearest("funder", ["funders", "bme"]), Some("funders"));
        assert_eq!(nearest("zzz", ["funders", "bme"]), None);
    }

    #[test]
    fn renders_location_caret_and_hint() {
        let d = Diagnostic::error("unknown stakeholder `funder`")
            .in_file("content/x.md")
            .at(3, 17)
            .with_source("---\ntitle: x\nstakeholders: [funder]\n")
            .hint("did you mean `funders`?");
        let text = d.render(false);
        assert!(text.contains("--> content/x.md:3:17"), "{text}");
        assert!(text.contains("3 | stakeholders: [funder]"), "{text}");
        assert!(text.contains("                ^"), "{text}");
        assert!(text.contains("hint: did you mean `funders`?"), "{text}");
    }

    #[test]
    fn line_index_finds_lines_and_columns() {
        let text = "ab\r\nçd\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(3), 1);
        assert_eq!(index.line_of(4), 2);
        assert_eq!(index.line_of(8), 3);
        assert_eq!(index.line_of(999), 4);
        assert_eq!(index.line_text(text, 1), Some("ab"));
        assert_eq!(index.line_text(text, 2), Some("çd"));
        assert_eq!(index.line_text(text, 3), Some(""));
        assert_eq!(index.line_text(text, 4), Some("last"));
        assert_eq!(index.line_text(text, 5), None);
        assert_eq!(index.line_text(text, 0), None);
        // `ç` is two bytes, one column.
        assert_eq!(index.position(text, 6), (2, 2));
        let mut cursor = ColumnCursor::new(text, &index);
        assert_eq!(cursor.position(4), (2, 1));
        assert_eq!(cursor.position(6), (2, 2));
        assert_eq!(cursor.position(10), (4, 2));
        assert_eq!(cursor.position(1), (1, 2));
        // A trailing newline ends the last line; it does not start another.
        let index = LineIndex::new("a\n");
        assert_eq!(index.line_text("a\n", 2), None);
    }

    #[test]
    fn long_lines_keep_a_window_with_the_caret_in_place() {
        let id = "funderz";
        let line = format!(
            "stakeholders: [{}{id}, {}]",
            "α, ".repeat(5000),
            "β, ".repeat(5000)
        );
        let byte = line.find(id).unwrap();
        let column = line[..byte].chars().count() + 1;
        let source = format!("---\ntitle: x\n{line}\n---\n");
        let index = LineIndex::new(&source);
        let offset = source.find(id).unwrap();
        for d in [
            Diagnostic::error("unknown")
                .in_file("x.md")
                .at(3, column)
                .with_source(&source),
            Diagnostic::error("unknown")
                .in_file("x.md")
                .at(3, column)
                .with_source_at(&source, &index, offset),
        ] {
            let shown = d.source_line.clone().unwrap();
            assert_eq!(shown.chars().count(), WINDOW_CHARS + 2, "{shown}");
            assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
            let text = d.render(false);
            let caret_line = text.lines().find(|l| l.ends_with('^')).unwrap();
            let shown_line = text.lines().find(|l| l.contains("3 | ")).unwrap();
            // The caret sits under the first letter of the unknown id.
            let caret = caret_line.chars().count() - 1;
            let under: String = shown_line.chars().skip(caret).take(id.len()).collect();
            assert_eq!(under, id, "{text}");
            assert!(text.contains(&format!("--> x.md:3:{column}")), "{text}");
        }
        // Short lines are kept whole, and the caret column is the real one.
        let d = Diagnostic::error("x").at(1, 3).with_source("héllo\n");
        assert_eq!(d.source_line.as_deref(), Some("héllo"));
        assert_eq!(d.source_column, 3);
        // A window starting or ending exactly at the line's ends has no marks.
        let long = "x".repeat(WINDOW_CHARS + 10);
        let d = Diagnostic::error("x").at(1, 1).with_source(&long);
        assert_eq!(
            d.source_line.unwrap(),
            format!("{}…", "x".repeat(WINDOW_CHARS))
        );
    }
}
