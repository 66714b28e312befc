//! `site.toml`: the site's settings and its declared stakeholder types.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod collections;
pub use collections::{CollectionConfig, FieldConfig, FieldType};

pub const CONFIG_FILE: &str = "site.toml";

/// The type of a setting's value, in the terms the build checks it by.
#[derive(Debug, Clone, Copy)]
pub enum SettingType {
    /// Text, optionally matching a pattern (a JSON Schema regular expression
    /// mirroring the check in [`Config::parse`]).
    Text { pattern: Option<&'static str> },
    /// `true` or `false`.
    Flag,
    /// A number within a range.
    Number { min: f64, max: f64 },
    /// `[[name]]` tables, each with these settings.
    Tables(&'static [Setting]),
    /// One `[name]` table with these settings.
    Table(&'static [Setting]),
    /// A list of texts, `["a", "b"]`.
    TextList,
}

/// One setting of site.toml: what the schema, the unknown-key hints and the
/// docs read. Adding a field to [`Config`] without one here fails
/// `schema::tests::every_setting_is_in_the_table`.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub name: &'static str,
    pub ty: SettingType,
    pub required: bool,
    /// What it is for, in plain words.
    pub description: &'static str,
    /// A whole line (or table) of site.toml using it.
    pub example: &'static str,
}

const fn setting(
    name: &'static str,
    ty: SettingType,
    required: bool,
    description: &'static str,
    example: &'static str,
) -> Setting {
    Setting {
        name,
        ty,
        required,
        description,
        example,
    }
}

/// A word of lowercase letters, digits and single hyphens ([`is_slug`]).
const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// Some text that is not only spaces.
const NOT_BLANK: &str = "\\S";

/// Every setting of site.toml, top level first.
pub const SETTINGS: &[Setting] = &[
    setting("title", SettingType::Text { pattern: Some(NOT_BLANK) }, true,
        "The guide's name, shown on every page and in the browser's tab.",
        "title = \"Fair and equitable collaboration\""),
    setting("description", SettingType::Text { pattern: None }, false,
        "One sentence about the guide, for search engines and the news feed.",
        "description = \"A guide to working together fairly.\""),
    setting("base_url", SettingType::Text {
        pattern: Some("^(?!//)([^\\s\"'<>`\\\\:]+|/[^\\s\"'<>`\\\\]*|[hH][tT][tT][pP][sS]?://[^/\\s\"'<>`\\\\][^\\s\"'<>`\\\\]*)$"),
    }, false,
        "The address the site will be published at: a web address such as https://www.example.org/guide/, or a path such as /guide/. Links and stylesheets start with its path. `fairguide build --base-url` overrides it.",
        "base_url = \"https://www.example.org/guide/\""),
    setting("language", SettingType::Text { pattern: Some("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$") }, false,
        "The language the pages are written in, as a language tag such as en-GB, cy (Welsh) or ur (Urdu).",
        "language = \"en-GB\""),
    setting("theme", SettingType::Text { pattern: Some("^[A-Za-z0-9_-]+$") }, false,
        "The name of a folder in themes/ whose templates and styles replace the built-in theme's.",
        "theme = \"default\""),
    setting("allow_raw_html", SettingType::Flag, false,
        "true lets HTML written in pages through as HTML. Only for sites whose every editor is trusted: HTML can run scripts.",
        "allow_raw_html = false"),
    setting("reading_grade", SettingType::Number { min: 1.0, max: 20.0 }, false,
        "The school grade (1 to 20) pages should be easy to read at; `fairguide check` warns about pages above it. 9 is about age 14.",
        "reading_grade = 9"),
    setting("offline", SettingType::Flag, false,
        "true makes every build the offline copy, as `fairguide build --offline` does: a folder that works opened straight from disk (docs/OFFLINE-AND-PRINT.md).",
        "offline = false"),
    setting("print", SettingType::Flag, false,
        "Whether the build writes /print/, the whole guide on one page for printing or saving as a PDF. When not set, it is written for sites of up to 1,000 pages.",
        "print = true"),
    setting("feedback", SettingType::Text { pattern: Some(r#"^\s*(https://[^/\s"'<>`\\][^\s"'<>`\\]*|(mailto:)?[^\s"'<>`\\@:/?#,]+@[^\s"'<>`\\@:/?#,.]+(\.[^\s"'<>`\\@:/?#,.]+)+)\s*$"#) }, false,
        "Where readers send feedback on a page: an email address or an https form address. Each page then offers \"Is this page useful?\" and \"Report a problem with this page\" links.",
        "feedback = \"guide@example.org\""),
    setting("accessibility", SettingType::Table(ACCESSIBILITY_SETTINGS), false,
        "The accessibility statement at /accessibility/: who publishes the site, how to contact them and when it was last reviewed. Without this table there is no generated statement.",
        "[accessibility]\norganisation = \"Example Voluntary Action\"\ncontact = \"access@example.org\"\nreviewed = \"2026-11-30\""),
    setting("stakeholders", SettingType::Tables(STAKEHOLDER_SETTINGS), false,
        "The types of stakeholder the guide speaks to, one [[stakeholders]] table each. Pages name them by id.",
        "[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\ndescription = \"Grant-makers and commissioners.\""),
    setting("languages", SettingType::Tables(LANGUAGE_SETTINGS), false,
        "The languages the guide is translated into, one [[languages]] table each; `language` stays the main language, published at the site's root. A translation of content/x.md is content/x.<code>.md, published under /<code>/ (docs/TRANSLATING.md).",
        "[[languages]]\ncode = \"cy\"\nname = \"Cymraeg\"\n\n[[languages]]\ncode = \"ur\"\nname = \"اردو\"\ndirection = \"rtl\""),
    setting("glossary", SettingType::Tables(GLOSSARY_SETTINGS), false,
        "Short forms such as BME, one [[glossary]] table each: the first use on each page is explained to readers, and /glossary/ lists them all.",
        "[[glossary]]\nterm = \"BME\"\nexpansion = \"Black and minority ethnic\""),
    setting("collections", SettingType::Tables(collections::COLLECTION_SETTINGS), false,
        "Data collections, one [[collections]] table each: records kept in data/<name>.yaml or data/<name>.csv, listed (with filters) at /<name>/. See docs/COLLECTIONS.md.",
        "[[collections]]\nname = \"organisations\"\ntitle = \"Organisations in this guide\"\n\n[[collections.fields]]\nname = \"name\"\nrequired = true"),
];

/// The settings of each `[[stakeholders]]` table.
pub const STAKEHOLDER_SETTINGS: &[Setting] = &[
    setting(
        "id",
        SettingType::Text {
            pattern: Some(SLUG_PATTERN),
        },
        true,
        "The name pages use for this stakeholder type: lowercase letters, digits and hyphens.",
        "id = \"funders\"",
    ),
    setting(
        "name",
        SettingType::Text {
            pattern: Some(NOT_BLANK),
        },
        true,
        "The name readers see.",
        "name = \"Funders\"",
    ),
    setting(
        "description",
        SettingType::Text { pattern: None },
        false,
        "Who belongs to this type, in a sentence.",
        "description = \"Grant-makers and commissioners who fund voluntary sector work.\"",
    ),
];

/// A language code as file names and URLs use it: `cy`, `ur`, `pt-br`.
pub const LANGUAGE_CODE_PATTERN: &str = "^[a-z]{2,3}(-[a-z0-9]{2,8})*$";

/// The settings of each `[[languages]]` table.
pub const LANGUAGE_SETTINGS: &[Setting] = &[
    setting(
        "code",
        SettingType::Text {
            pattern: Some(LANGUAGE_CODE_PATTERN),
        },
        true,
        "The language's tag in lowercase (cy, ur, bn, pl, so): the end of its pages' file names (about.cy.md) and the start of their addresses (/cy/about/). The code of the main `language` may be listed too, to name it.",
        "code = \"cy\"",
    ),
    setting(
        "name",
        SettingType::Text {
            pattern: Some(NOT_BLANK),
        },
        true,
        "The language's name in that language, as the language switcher shows it.",
        "name = \"Cymraeg\"",
    ),
    setting(
        "direction",
        SettingType::Text {
            pattern: Some("^(ltr|rtl)$"),
        },
        false,
        "`rtl` for a language written right to left (Urdu, Arabic), `ltr` otherwise. When not set, `rtl` for ar, dv, fa, he, ks, ps, sd, ug, ur and yi.",
        "direction = \"rtl\"",
    ),
    setting(
        "title",
        SettingType::Text { pattern: None },
        false,
        "The guide's name in this language; the main `title` when not set.",
        "title = \"Cydweithio teg\"",
    ),
    setting(
        "description",
        SettingType::Text { pattern: None },
        false,
        "The guide's one-sentence description in this language; the main `description` when not set.",
        "description = \"Canllaw i gydweithio'n deg.\"",
    ),
    setting(
        "stakeholders",
        SettingType::Tables(STAKEHOLDER_SETTINGS),
        false,
        "The stakeholder types' names (and descriptions) in this language, one [[languages.stakeholders]] table each after its [[languages]] table, by the `id` of a [[stakeholders]] table. A type left out keeps the main language's name.",
        "[[languages.stakeholders]]\nid = \"funders\"\nname = \"Cyllidwyr\"\ndescription = \"Rhoddwyr grantiau a chomisiynwyr.\"",
    ),
    setting(
        "glossary",
        SettingType::Tables(GLOSSARY_SETTINGS),
        false,
        "The glossary in this language, one [[languages.glossary]] table each after its [[languages]] table: an entry with the `term` of a main [[glossary]] entry replaces it, others are added. Terms left out keep the main language's entry.",
        "[[languages.glossary]]\nterm = \"BME\"\nexpansion = \"Du a lleiafrifoedd ethnig\"",
    ),
];

/// The settings of the `[accessibility]` table.
pub const ACCESSIBILITY_SETTINGS: &[Setting] = &[
    setting(
        "organisation",
        SettingType::Text { pattern: None },
        false,
        "Who publishes the site, as the statement names them.",
        "organisation = \"Example Voluntary Action\"",
    ),
    setting(
        "contact",
        SettingType::Text { pattern: None },
        false,
        "How readers report an accessibility problem: an email address, a web address or a phone number.",
        "contact = \"access@example.org\"",
    ),
    setting(
        "reviewed",
        SettingType::Text {
            pattern: Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        },
        false,
        "The date of the last accessibility review, year-month-day.",
        "reviewed = \"2026-11-30\"",
    ),
];

/// The settings of each `[[glossary]]` table.
pub const GLOSSARY_SETTINGS: &[Setting] = &[
    setting(
        "term",
        SettingType::Text {
            pattern: Some(NOT_BLANK),
        },
        true,
        "The short form, as it is written in pages.",
        "term = \"CVS\"",
    ),
    setting(
        "expansion",
        SettingType::Text {
            pattern: Some(NOT_BLANK),
        },
        true,
        "What it stands for.",
        "expansion = \"Council for Voluntary Service\"",
    ),
    setting(
        "definition",
        SettingType::Text { pattern: None },
        false,
        "A longer plain-English explanation, shown on the glossary page.",
        "definition = \"A local body that supports voluntary groups.\"",
    ),
];

fn names(settings: &[Setting]) -> Vec<&'static str> {
    settings.iter().map(|s| s.name).collect()
}

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
    /// Every build writes the offline copy (as `build --offline` does).
    #[serde(default)]
    pub offline: bool,
    /// Writes `/print/`, the whole guide on one page: `true`, `false`, or
    /// when not set, only for a site of at most [`PRINT_AUTO_PAGES`] pages.
    #[serde(default)]
    pub print: Option<bool>,
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    #[serde(default)]
    pub glossary: Vec<GlossaryTerm>,
    /// `[[languages]]`: the translations' languages (the main `language` may
    /// be listed too, to give its name).
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Where readers send feedback on a page: an email address or an https
    /// form address. Without it, pages offer no feedback links.
    #[serde(default)]
    pub feedback: Option<String>,
    /// `[accessibility]`: who publishes the accessibility statement, how to
    /// reach them, and when the site was last reviewed.
    #[serde(default)]
    pub accessibility: Option<Accessibility>,
    /// `[[collections]]`: data collections in `data/` (none when absent).
    #[serde(default)]
    pub collections: Vec<CollectionConfig>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// Who runs the site, as the statement names them.
    #[serde(default)]
    pub organisation: Option<String>,
    /// An email address, a web address or a telephone number.
    #[serde(default)]
    pub contact: Option<String>,
    /// When the site was last reviewed for accessibility, `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed: Option<String>,
}

/// Where `feedback` sends readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback<'a> {
    Email(&'a str),
    Form(&'a str),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One `[[languages]]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// `ltr` or `rtl`; when not set, from the code ([`rtl_by_default`]).
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `[[languages.stakeholders]]`: stakeholder types' names in this language, by id.
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    /// `[[languages.glossary]]`: glossary entries in this language, by term.
    #[serde(default)]
    pub glossary: Vec<GlossaryTerm>,
}

impl Language {
    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        match self.direction.as_deref() {
            Some(d) => d == "rtl",
            None => rtl_by_default(&self.code),
        }
    }
}

/// Languages written right to left, by their primary tag, for a language
/// whose `direction` is not set.
pub fn rtl_by_default(tag: &str) -> bool {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "dv" | "fa" | "he" | "ks" | "ps" | "sd" | "ug" | "ur" | "yi"
    )
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
/// Above this many pages, `/print/` is written only when site.toml asks for
/// it: one page of a whole library would be too long to print or open (at
/// 10,000 pages it is 125 MB of HTML and doubles the build's time and memory).
pub const PRINT_AUTO_PAGES: usize = 1000;

impl Config {
    /// Whether the build writes `/print/` for a site of `pages` pages.
    pub fn writes_print(&self, pages: usize) -> bool {
        self.print.unwrap_or(pages <= PRINT_AUTO_PAGES)
    }

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
        let mut problems = Diagnostics::default();
        config.validate_settings(text, &mut problems);
        config.base_url = normalise_base_url(&config.base_url);
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
        config.validate_languages(text, &mut problems);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    /// Checks every top-level setting's value, so that a bad one is reported
    /// here, at its line, rather than failing (or panicking) in a later stage.
    fn validate_settings(&mut self, text: &str, problems: &mut Diagnostics) {
        let mut bad = |key: &str, message: String, hint: &str| {
            let (line, column) = key_position(text, key).unwrap_or((0, 0));
            problems.push(
                Diagnostic::error(format!("{CONFIG_FILE}: {message}"))
                    .in_file(CONFIG_FILE)
                    .at(line, column)
                    .with_source(text)
                    .hint(hint),
            );
        };
        if self.title.trim().is_empty() {
            bad(
                "title",
                "`title` is empty".into(),
                "write the guide's name, e.g. `title = \"Fair and equitable collaboration\"`",
            );
        }
        if !base_url_is_valid(&self.base_url) {
            bad(
                "base_url",
                format!("`base_url` is not a web address or a path: `{}`", self.base_url),
                "write the address the site will have, e.g. `base_url = \"https://www.example.org/guide/\"`, or `base_url = \"/\"`",
            );
        }
        if language_tags::LanguageTag::parse(&self.language)
            .map_or(true, |tag| tag.primary_language().len() > 3)
        {
            bad(
                "language",
                format!("`language` is not a language tag: `{}`", self.language),
                "write a language tag such as `en-GB`, `cy` (Welsh), `ur` (Urdu), `bn` (Bengali), `pl` (Polish) or `so` (Somali)",
            );
        }
        if self.theme.is_empty()
            || !self
                .theme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            bad(
                "theme",
                format!("`theme` is not a theme folder name: `{}`", self.theme),
                "write the name of a folder in themes/, e.g. `theme = \"default\"` (letters, digits, `-` and `_` only)",
            );
        }
        if !(self.reading_grade.is_finite() && (1.0..=20.0).contains(&self.reading_grade)) {
            bad(
                "reading_grade",
                format!(
                    "`reading_grade` should be a school grade from 1 to 20, but it is {}",
                    self.reading_grade
                ),
                "write e.g. `reading_grade = 9` (about age 14), or leave it out",
            );
            self.reading_grade = default_reading_grade();
        }
        if let Some(f) = &self.feedback {
            if !feedback_is_valid(f) {
                bad(
                    "feedback",
                    format!("`feedback` is not an email address or a web address starting with https://: `{f}`"),
                    "write where readers send feedback, e.g. `feedback = \"guide@example.org\"` or `feedback = \"https://forms.example.org/guide-feedback\"`, or leave it out",
                );
                self.feedback = None;
            }
        }
        for s in &self.stakeholders {
            if s.name.trim().is_empty() {
                let line = line_of(text, &format!("\"{}\"", s.id)).unwrap_or(0);
                problems.push(
                    Diagnostic::error(format!(
                        "{CONFIG_FILE}: stakeholder type `{}` has an empty `name`",
                        s.id
                    ))
                    .in_file(CONFIG_FILE)
                    .at(line, 0)
                    .with_source(text)
                    .hint("write the name readers see, e.g. `name = \"Funders\"`"),
                );
            }
        }
        if let Some(a) = &mut self.accessibility {
            let (line, column) =
                table_key_position(text, "accessibility", "reviewed").unwrap_or((0, 0));
            if let Some(d) = &a.reviewed {
                let ok = d.trim().len() == 10 && d.trim().parse::<jiff::civil::Date>().is_ok();
                if !ok {
                    problems.push(
                        Diagnostic::error(format!("{CONFIG_FILE}: `reviewed` in [accessibility] should be a date written year-month-day, but it is `{d}`"))
                            .in_file(CONFIG_FILE)
                            .at(line, column)
                            .with_source(text)
                            .hint("write the date of the last accessibility review, e.g. `reviewed = \"2024-03-05\"`, or leave it out"),
                    );
                    a.reviewed = None;
                } else {
                    a.reviewed = Some(d.trim().to_string());
                }
            }
            if let Some(c) = &a.contact {
                if c.trim().is_empty()
                    || c.chars().any(|ch| ch.is_control() || "<>\"`".contains(ch))
                    || (c.contains("://") && !crate::html::url_is_safe(c.trim()))
                {
                    let (line, column) =
                        table_key_position(text, "accessibility", "contact").unwrap_or((0, 0));
                    problems.push(
                        Diagnostic::error(format!("{CONFIG_FILE}: `contact` in [accessibility] is not an email address, web address or telephone number: `{c}`"))
                            .in_file(CONFIG_FILE)
                            .at(line, column)
                            .with_source(text)
                            .hint("write e.g. `contact = \"access@example.org\"`, or leave it out"),
                    );
                    a.contact = None;
                }
            }
        }
        collections::validate(&self.collections, text, problems);
        let mut terms = std::collections::HashSet::new();
        for g in &self.glossary {
            let line = line_of(text, &format!("\"{}\"", g.term)).unwrap_or(0);
            let problem = if g.term.trim().is_empty() {
                Some((
                    "a [[glossary]] entry has an empty `term`".to_string(),
                    "write the abbreviation, e.g. `term = \"CVS\"`",
                ))
            } else if g.expansion.trim().is_empty() {
                Some((format!("glossary term `{}` has an empty `expansion`", g.term), "write what it stands for, e.g. `expansion = \"Council for Voluntary Service\"`"))
            } else if !terms.insert(g.term.as_str()) {
                Some((
                    format!("glossary term `{}` is declared twice", g.term),
                    "keep one [[glossary]] table per term",
                ))
            } else {
                None
            };
            if let Some((message, hint)) = problem {
                problems.push(
                    Diagnostic::error(format!("{CONFIG_FILE}: {message}"))
                        .in_file(CONFIG_FILE)
                        .at(line, 0)
                        .with_source(text)
                        .hint(hint),
                );
            }
        }
    }

    /// Checks each `[[languages]]` table: a code usable in file names and
    /// URLs, declared once, a name, a direction.
    fn validate_languages(&self, text: &str, problems: &mut Diagnostics) {
        let mut seen = std::collections::HashSet::new();
        for l in &self.languages {
            let line = line_of(text, &format!("\"{}\"", l.code)).unwrap_or(0);
            let mut bad = |message: String, hint: String| {
                problems.push(
                    Diagnostic::error(format!("{CONFIG_FILE}: {message}"))
                        .in_file(CONFIG_FILE)
                        .at(line, 0)
                        .with_source(text)
                        .hint(hint),
                );
            };
            let code_ok = language_code_is_valid(&l.code);
            if !code_ok {
                bad(
                    format!("`code` in [[languages]] is not a lowercase language tag: `{}`", l.code),
                    format!(
                        "write a tag such as `cy` (Welsh), `ur` (Urdu), `bn` (Bengali), `pl` (Polish) or `so` (Somali){}",
                        if language_code_is_valid(&l.code.to_lowercase()) {
                            format!(": here `{}`", l.code.to_lowercase())
                        } else {
                            String::new()
                        }
                    ),
                );
            } else if !seen.insert(l.code.as_str()) {
                bad(
                    format!("language `{}` is declared twice", l.code),
                    "keep one [[languages]] table per language".into(),
                );
            }
            if l.name.trim().is_empty() {
                bad(
                    format!("language `{}` has an empty `name`", l.code),
                    "write the language's name in that language, e.g. `name = \"Cymraeg\"`".into(),
                );
            }
            if let Some(d) = &l.direction {
                if d != "ltr" && d != "rtl" {
                    bad(
                        format!("`direction` of language `{}` is `{d}`, but it can only be `ltr` or `rtl`", l.code),
                        "write `direction = \"rtl\"` for a language written right to left, or leave it out".into(),
                    );
                }
            }
            for s in &l.stakeholders {
                if !self.stakeholders.iter().any(|m| m.id == s.id) {
                    let known: Vec<&str> =
                        self.stakeholders.iter().map(|m| m.id.as_str()).collect();
                    let line = line_of(text, &format!("\"{}\"", s.id)).unwrap_or(line);
                    problems.push(
                        Diagnostic::error(format!(
                            "{CONFIG_FILE}: [[languages.stakeholders]] of language `{}` names stakeholder type `{}`, which no [[stakeholders]] table declares",
                            l.code, s.id
                        ))
                        .in_file(CONFIG_FILE)
                        .at(line, 0)
                        .with_source(text)
                        .hint(did_you_mean(&s.id, &known)),
                    );
                }
            }
        }
    }

    /// This site's settings in language `code`: its `[[languages]]` table's
    /// stakeholder names and glossary over the main language's (each type or
    /// term it leaves out keeps the main language's).
    pub fn localise(&mut self, code: &str) {
        let Some(l) = self.languages.iter().find(|l| l.code == code).cloned() else {
            return;
        };
        for s in &mut self.stakeholders {
            if let Some(t) = l.stakeholders.iter().find(|t| t.id == s.id) {
                s.name = t.name.clone();
                if !t.description.trim().is_empty() {
                    s.description = t.description.clone();
                }
            }
        }
        for t in l.glossary {
            match self.glossary.iter_mut().find(|g| g.term == t.term) {
                Some(g) => *g = t,
                None => self.glossary.push(t),
            }
        }
    }

    /// The codes of the translations' languages: every `[[languages]]` code
    /// but the main language's.
    pub fn translation_codes(&self) -> Vec<String> {
        self.languages
            .iter()
            .filter(|l| !self.is_main_language(&l.code))
            .map(|l| l.code.clone())
            .collect()
    }

    /// Whether `code` names the main `language`.
    pub fn is_main_language(&self, code: &str) -> bool {
        code.eq_ignore_ascii_case(&self.language)
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

    /// `feedback`, checked at load to be an email address or an https address.
    pub fn feedback(&self) -> Option<Feedback<'_>> {
        let f = self.feedback.as_deref()?.trim();
        if f.is_empty() {
            None
        } else if f.starts_with("https://") {
            Some(Feedback::Form(f))
        } else {
            Some(Feedback::Email(f.strip_prefix("mailto:").unwrap_or(f)))
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

/// A path (`/guide/`) or an http(s) address, with nothing that could break
/// out of an attribute or run script.
fn base_url_is_valid(url: &str) -> bool {
    let url = url.trim();
    let plain = !url.is_empty()
        && url
            .chars()
            .all(|c| !(c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c)));
    let scheme_ok = match url.split_once("://") {
        Some((scheme, rest)) => {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
                && !rest.is_empty()
                && !rest.starts_with('/')
        }
        None => !url.contains(':') || url.starts_with('/'),
    };
    plain && scheme_ok && !url.starts_with("//")
}

/// A lowercase language tag usable as a file name's suffix and a URL's first folder.
pub fn language_code_is_valid(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && language_tags::LanguageTag::parse(code).is_ok()
}

/// An email address (optionally `mailto:`), or an https address, with
/// nothing that could break out of an attribute.
fn feedback_is_valid(f: &str) -> bool {
    let f = f.trim();
    if f.is_empty()
        || f.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c))
    {
        return false;
    }
    if let Some(rest) = f.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    let address = f.strip_prefix("mailto:").unwrap_or(f);
    match address.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address.contains([':', '/', '?', '#', ','])
                && !domain.contains('@')
        }
        None => false,
    }
}

/// File line and column of `key = ...` inside `[table]`.
fn table_key_position(text: &str, table: &str, key: &str) -> Option<(usize, usize)> {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.trim_end() == format!("[{table}]");
            continue;
        }
        if inside {
            if let Some(rest) = trimmed
                .strip_prefix(key)
                .filter(|r| r.trim_start().starts_with('='))
            {
                let value_at = line.len() - rest.trim_start()[1..].trim_start().len();
                return Some((i + 1, line[..value_at].chars().count() + 1));
            }
        }
    }
    None
}

/// File line and column of top-level `key = ...` (before any `[table]`).
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if let Some(rest) = rest.filter(|r| r.trim_start().starts_with('=')) {
            let value_at = line.len() - rest.trim_start()[1..].trim_start().len();
            return Some((i + 1, line[..value_at].chars().count() + 1));
        }
    }
    None
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = e
        .span()
        .map(|span| {
            let before = text.get(..span.start.min(text.len())).unwrap_or(text);
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
        let valid = if table.contains("collections.fields") {
            names(collections::FIELD_SETTINGS)
        } else if table.contains("collections") {
            names(collections::COLLECTION_SETTINGS)
        } else if table.contains("stakeholders") {
            names(STAKEHOLDER_SETTINGS)
        } else if table.contains("glossary") {
            names(GLOSSARY_SETTINGS)
        } else if table.contains("accessibility") {
            names(ACCESSIBILITY_SETTINGS)
        } else if table.contains("languages") {
            names(LANGUAGE_SETTINGS)
        } else {
            names(SETTINGS)
        };
        d.message = format!("{CONFIG_FILE}: unknown key `{key}`");
        d = d.hint(did_you_mean(key, &valid));
    } else if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or("");
        let table = if line == 0 || field == "title" {
            "site.toml".to_string()
        } else {
            format!("this [[{}]] table", table_name_before(text, line))
        };
        d.message = format!("{CONFIG_FILE}: {table} has no `{field}`");
        d = d.hint(format!("add `{field} = \"...\"` to {table}"));
    } else if let Some((found, expected)) = crate::diagnostics::plain_type_error(&message) {
        let key = text
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        d.message = format!("{CONFIG_FILE}: `{key}` should be {expected}, but here it is {found}");
        d = d.hint(format!(
            "see docs/FRONT-MATTER.md (site.toml) for what `{key}` takes"
        ));
    } else {
        d = d.hint("check the quoting of this line: text goes in double quotes, e.g. `title = \"My guide\"`");
    }
    d
}

/// `stakeholders` for a line inside a `[[stakeholders]]` table.
fn table_name_before(text: &str, line: usize) -> String {
    text.lines()
        .take(line)
        .filter(|l| l.trim_start().starts_with('['))
        .last()
        .map(|l| l.trim().trim_matches(['[', ']']).to_string())
        .unwrap_or_default()
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
    fn feedback_is_an_email_or_an_https_address() {
        for ok in [
            "guide@example.org",
            "mailto:guide@example.org",
            "https://forms.example.org/f?id=3",
        ] {
            let c = Config::parse(&format!("title = \"x\"\nfeedback = \"{ok}\"\n")).unwrap();
            assert!(c.feedback().is_some(), "{ok}");
        }
        for bad in [
            "http://example.org/form",
            "javascript:alert(1)",
            "guide",
            "a@b",
            "x@y.org?cc=z@w.org",
            "https://",
        ] {
            let err = Config::parse(&format!("title = \"x\"\nfeedback = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("`feedback` is not an email address or a web address starting with https://: `{bad}`")), "{bad}: {err}");
            assert!(err.contains("site.toml:2"), "{err}");
        }
    }

    #[test]
    fn accessibility_review_date_is_checked() {
        let err = Config::parse("title = \"x\"\n\n[accessibility]\nreviewed = \"2012-13-45\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`reviewed` in [accessibility] should be a date written year-month-day, but it is `2012-13-45`"), "{err}");
        assert!(err.contains("site.toml:4"), "{err}");
        let err = Config::parse("title = \"x\"\n\n[accessibility]\norganisaton = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `organisation`?"), "{err}");
    }

    #[test]
    fn base_path_of_sub_path_url() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://example.org/guide\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/guide/");
        assert_eq!(c.base_path(), "/guide/");
    }
}
