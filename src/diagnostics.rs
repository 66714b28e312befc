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
    /// The offending source line, shown with a caret under `column`.
    pub source_line: Option<String>,
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
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
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
    pub fn with_source(mut self, source: &str) -> Self {
        if self.line > 0 {
            self.source_line = source
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
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
            if self.column > 0 {
                let pad: String = text
                    .chars()
                    .take(self.column - 1)
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
}
