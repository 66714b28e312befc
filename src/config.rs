//! `site.toml`: the site's settings and its declared stakeholder types.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const CONFIG_FILE: &str = "site.toml";

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "allow_raw_html",
    "reading_grade",
    "stakeholders",
    "glossary",
];
const STAKEHOLDER_KEYS: &[&str] = &["id", "name", "description"];
const GLOSSARY_KEYS: &[&str] = &["term", "expansion", "definition"];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Lets raw HTML in Markdown through unescaped. Only for trusted sites.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Plain-English target (school grade) that `fairguide check` compares pages with.
    #[serde(default = "default_reading_grade")]
    pub reading_grade: f64,
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    #[serde(default)]
    pub glossary: Vec<GlossaryTerm>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    pub term: String,
    pub expansion: String,
    #[serde(default)]
    pub definition: String,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_reading_grade() -> f64 {
    9.0
}

impl Config {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                .in_file(CONFIG_FILE)
                .hint(format!(
                    "run fairguide in a site folder, or pass --root DIR pointing at the folder that holds {CONFIG_FILE}"
                ))])
        })?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config =
            toml::from_str(text).map_err(|e| Diagnostics(vec![toml_error(text, &e)]))?;
        config.base_url = normalise_base_url(&config.base_url);
        let mut problems = Diagnostics::default();
        let mut seen = std::collections::HashSet::new();
        for s in &config.stakeholders {
            let line = line_of(text, &format!("\"{}\"", s.id)).unwrap_or(0);
            if !is_slug(&s.id) {
                problems.push(
                    Diagnostic::error(format!("stakeholder id `{}` is not a valid id", s.id))
                        .in_file(CONFIG_FILE)
                        .at(line, 0)
                        .with_source(text)
                        .hint(format!(
                            "use lowercase letters, digits and hyphens, e.g. `{}`",
                            slug::slugify(&s.id)
                        )),
                );
            }
            if !seen.insert(s.id.as_str()) {
                problems.push(
                    Diagnostic::error(format!("stakeholder id `{}` is declared twice", s.id))
                        .in_file(CONFIG_FILE)
                        .at(line, 0)
                        .with_source(text)
                        .hint("give each [[stakeholders]] table its own id"),
                );
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// `/` at a domain root, `/guide/` under a sub-path.
    pub fn base_path(&self) -> String {
        let url = &self.base_url;
        let after_scheme = match url.find("://") {
            Some(i) => &url[i + 3..],
            None => return url.clone(),
        };
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".into(),
        }
    }

    pub fn stakeholder(&self, id: &str) -> Option<&Stakeholder> {
        self.stakeholders.iter().find(|s| s.id == id)
    }

    pub fn stakeholder_ids(&self) -> Vec<&str> {
        self.stakeholders.iter().map(|s| s.id.as_str()).collect()
    }
}

/// `https://x.org/guide` -> `https://x.org/guide/`; `guide` -> `/guide/`.
pub fn normalise_base_url(url: &str) -> String {
    let mut url = url.trim().to_string();
    if !url.contains("://") && !url.starts_with('/') {
        url.insert(0, '/');
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// Lowercase ASCII letters, digits and single hyphens: safe in a URL and a file name.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = e
        .span()
        .map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        })
        .unwrap_or((0, 0));
    let message = e.message().to_string();
    let mut d = Diagnostic::error(format!("{CONFIG_FILE}: {}", first_line(&message)))
        .in_file(CONFIG_FILE)
        .at(line, column)
        .with_source(text);
    if let Some(key) = unknown_field(&message) {
        // Which table the key sits in decides the valid keys.
        let table = text
            .lines()
            .take(line.saturating_sub(1))
            .filter(|l| l.trim_start().starts_with('['))
            .last()
            .unwrap_or("");
        let valid = if table.contains("stakeholders") {
            STAKEHOLDER_KEYS
        } else if table.contains("glossary") {
            GLOSSARY_KEYS
        } else {
            TOP_KEYS
        };
        d.message = format!("{CONFIG_FILE}: unknown key `{key}`");
        d = d.hint(did_you_mean(key, valid));
    } else if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or("");
        d = d.hint(format!("add `{field} = \"...\"` to this table"));
    }
    d
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Extracts `key` from serde's "unknown field `key`, expected ...".
pub fn unknown_field(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_nearest_valid_key() {
        let err = Config::parse("title = \"x\"\nlangauge = \"en\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("unknown key `langauge`"), "{text}");
        assert!(text.contains("did you mean `language`?"), "{text}");
        assert!(text.contains("site.toml:2"), "{text}");
    }

    #[test]
    fn base_path_of_sub_path_url() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://example.org/guide\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/guide/");
        assert_eq!(c.base_path(), "/guide/");
    }
}
