//! Every front matter key, defined once: its name, the type of value it
//! takes, which kinds of page accept it, a plain description and an example.
//!
//! The build's known-key check ([`Kind::own_keys`], the unknown-key error and
//! its hints), the example in a wrong-value error, `fairguide init`'s example
//! pages and `fairguide schema`'s JSON Schemas all read this one table, so
//! they cannot drift apart.
//!
//! To add a key: add a [`KeySpec`] to [`KEYS`] (name, type, kinds,
//! description, example), a field to `FrontMatter` and a line reading it in
//! `front_matter::Reader::read`. To add a kind of page: list it in the
//! `kinds` of the keys it accepts.

use crate::kind::Kind;

/// The type of value a key takes, in the terms the build checks it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// Text on one line (a number or `true` is read as text too).
    Text,
    /// A whole number, which may be negative.
    Integer,
    /// A whole number from 1 up.
    Number,
    /// `true` or `false`.
    Flag,
    /// A list of names (a single name is a list of one).
    Names,
    /// A list of the file names (without `.md`) of pages of this kind.
    Slugs(Kind),
    /// A list of stakeholder ids declared in site.toml.
    Stakeholders,
    /// A calendar date written year-month-day, checked to exist.
    Date,
    /// A title, or `title`, `publisher`, `year`, `url`, `note`; one or a list.
    Source,
    /// A list of names, or of `name` and `type`.
    Organisations,
    /// A list of `stakeholder`, `text` and `basis`.
    Commitments,
    /// A list of `date` and `note`: the page's change history.
    Changes,
    /// A tool's rating scale: a name such as `red-amber-green` or `1-4`, or a list of labels.
    Scale,
    /// A tool's worksheet: groups of questions (checked by `content::worksheet`).
    Groups,
}

/// The kinds of page a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    /// Every kind of page.
    All,
    /// Only these.
    Only(&'static [Kind]),
}

/// One front matter key.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub name: &'static str,
    pub ty: KeyType,
    pub kinds: Kinds,
    /// Whether every page must have it (only `title`).
    pub required: bool,
    /// What it is for, in plain words (shown on hover in an editor).
    pub description: &'static str,
    /// A whole front matter line (or lines) using it.
    pub example: &'static str,
}

impl KeySpec {
    /// Whether a page of `kind` accepts this key.
    pub fn accepted_by(&self, kind: Kind) -> bool {
        match self.kinds {
            Kinds::All => true,
            Kinds::Only(kinds) => kinds.contains(&kind),
        }
    }
}

use Kind::{Barrier, CaseStudy, CodeOfConduct, Page, Principle, Recommendation, Tool};

const fn key(
    name: &'static str,
    ty: KeyType,
    kinds: Kinds,
    description: &'static str,
    example: &'static str,
) -> KeySpec {
    KeySpec {
        name,
        ty,
        kinds,
        required: false,
        description,
        example,
    }
}

/// Every front matter key, the ones every page accepts first.
pub const KEYS: &[KeySpec] = &[
    KeySpec {
        name: "title",
        ty: KeyType::Text,
        kinds: Kinds::All,
        required: true,
        description: "The page's title: its one main heading, its name in lists, menus and search. Every page must have one.",
        example: "title: Trust and control",
    },
    key(
        "summary",
        KeyType::Text,
        Kinds::All,
        "One or two plain sentences saying what the page is about. Lists, search results and the page's description show it.",
        "summary: One or two plain sentences.",
    ),
    key(
        "weight",
        KeyType::Integer,
        Kinds::All,
        "Where the page comes in its list or in the menu: lower numbers come first. Pages with the same weight are listed by title.",
        "weight: 10",
    ),
    key(
        "draft",
        KeyType::Flag,
        Kinds::All,
        "true keeps the page out of the site until you are ready to publish it.",
        "draft: true",
    ),
    key(
        "source",
        KeyType::Source,
        Kinds::All,
        "Where the facts on the page come from: a title on its own, or its title, publisher, year, web address (url) and a note. Give a list for more than one.",
        "source:\n  title: \"Title of the report\"\n  publisher: Voice4Change England\n  year: 2012",
    ),
    key(
        "number",
        KeyType::Number,
        Kinds::Only(&[Principle, Recommendation]),
        "The number shown before the title, and its place in the list: 1, 2, 3 and so on. A recommendation's number is the one in its source report.",
        "number: 3",
    ),
    key(
        "series",
        KeyType::Text,
        Kinds::Only(&[Recommendation]),
        "Which set of recommendations it belongs to, such as the report it comes from. Numbers must be unique within a set.",
        "series: 2012 report",
    ),
    key(
        "group",
        KeyType::Text,
        Kinds::Only(&[Barrier]),
        "A heading the barrier is listed under, with the other barriers of the same group.",
        "group: Barriers to collaboration",
    ),
    key(
        "stakeholders",
        KeyType::Stakeholders,
        Kinds::Only(&[Principle, Barrier, CaseStudy, Recommendation, Tool]),
        "Who the page concerns or is addressed to: ids of stakeholder types declared in site.toml.",
        "stakeholders: [funders, bme]",
    ),
    key(
        "principles",
        KeyType::Slugs(Principle),
        Kinds::Only(&[Barrier, CaseStudy, Recommendation, CodeOfConduct]),
        "Related principles, by file name without .md. The pages link to each other.",
        "principles: [trust-and-respect]",
    ),
    key(
        "barriers",
        KeyType::Slugs(Barrier),
        Kinds::Only(&[Principle, CaseStudy, Recommendation]),
        "Related barriers, by file name without .md. The pages link to each other.",
        "barriers: [funding-competition]",
    ),
    key(
        "case_studies",
        KeyType::Slugs(CaseStudy),
        Kinds::Only(&[Principle, Barrier, Recommendation]),
        "Related case studies, by file name without .md. The pages link to each other.",
        "case_studies: [camden-bame-representation]",
    ),
    key(
        "organisations",
        KeyType::Organisations,
        Kinds::Only(&[CaseStudy]),
        "The organisations involved, as the source names them: a name, or a name and a type such as \"local authority\".",
        "organisations:\n  - name: Camden CVS\n    type: infrastructure organisation",
    ),
    key(
        "place",
        KeyType::Text,
        Kinds::Only(&[CaseStudy]),
        "Where it happened.",
        "place: London Borough of Camden",
    ),
    key(
        "years",
        KeyType::Text,
        Kinds::Only(&[CaseStudy]),
        "When it happened, only as the source gives it.",
        "years: \"2010-2012\"",
    ),
    key(
        "themes",
        KeyType::Names,
        Kinds::Only(&[CaseStudy]),
        "Free tags that readers can filter case studies by in search.",
        "themes: [capacity building]",
    ),
    key(
        "date",
        KeyType::Date,
        Kinds::Only(&[CaseStudy]),
        "A date written year-month-day. It orders the news feed of case studies.",
        "date: 2012-03-31",
    ),
    key(
        "updated",
        KeyType::Date,
        Kinds::All,
        "When the page was last changed in a way readers should know, year-month-day. Shown as \"Last updated\" and used by the news feed and the sitemap. Without it, the date of the last git commit that touched the file is used when the site is a git repository.",
        "updated: 2024-03-05",
    ),
    key(
        "changes",
        KeyType::Changes,
        Kinds::All,
        "The page's change history, shown under \"Last updated\": each change with its date and a short note.",
        "changes:\n  - date: 2024-03-05\n    note: Added the Camden case study.",
    ),
    key(
        "commitments",
        KeyType::Commitments,
        Kinds::Only(&[CodeOfConduct]),
        "The numbered commitments, each with the stakeholder id it binds, its text, and its basis: the pages it comes from, or guide for this guide's own advice.",
        "commitments:\n  - stakeholder: funders\n    text: Fund the time that partnership work takes.\n    basis: guide",
    ),
    key(
        "scale",
        KeyType::Scale,
        Kinds::Only(&[Tool]),
        "The rating scale of the worksheet's questions: red-amber-green, 1-3, 1-4, 1-5, or a list of labels, worst first.",
        "scale: red-amber-green",
    ),
    key(
        "groups",
        KeyType::Groups,
        Kinds::Only(&[Tool]),
        "The worksheet: groups of questions, each with a title, optional intro and related principles, barriers and recommendations, and its questions (text, type: rating, yes-no or text, optional scale and guidance).",
        "groups:\n  - title: Trust\n    questions:\n      - text: Do we share decisions?\n        type: rating",
    ),
    key(
        "nav",
        KeyType::Flag,
        Kinds::Only(&[Page]),
        "true lists the page in the main menu, in the order of its weight.",
        "nav: true",
    ),
];

/// The fields a `source` may have, with what each is.
pub const SOURCE_FIELDS: &[(&str, &str, &str)] = &[
    (
        "id",
        "A short name that citations in the text use, e.g. [@v4ce-2012, p. 14]: lower-case letters, digits and hyphens, unique on the page.",
        "v4ce-2012",
    ),
    (
        "title",
        "The report's or article's title.",
        "\"Title of the report\"",
    ),
    ("publisher", "Who published it.", "Voice4Change England"),
    ("year", "The year it came out, in four digits.", "2012"),
    (
        "url",
        "Its web address, starting with https://.",
        "https://www.example.org/report.pdf",
    ),
    (
        "note",
        "Anything else a reader should know about it.",
        "Chapter 3",
    ),
];

/// The fields of an item of `organisations`.
pub const ORGANISATION_FIELDS: &[(&str, &str, &str)] = &[
    (
        "name",
        "The organisation's name, as the source gives it.",
        "Camden CVS",
    ),
    (
        "type",
        "What kind of organisation it is.",
        "infrastructure organisation",
    ),
    (
        "id",
        "The id of its record in the `organisations` collection (data/organisations.yaml or .csv): the page then links to the record, and the record lists the page. `name` and `type` are then taken from the record when not given.",
        "bteg",
    ),
];

/// The fields of an item of `changes`.
pub const CHANGE_FIELDS: &[(&str, &str, &str)] = &[
    (
        "date",
        "When the change was made, year-month-day.",
        "2024-03-05",
    ),
    (
        "note",
        "What changed, in a short sentence.",
        "Added the Camden case study.",
    ),
];

/// The fields of an item of `commitments`.
pub const COMMITMENT_FIELDS: &[(&str, &str, &str)] = &[
    (
        "stakeholder",
        "The id of the stakeholder type the commitment binds (from site.toml).",
        "funders",
    ),
    (
        "text",
        "The commitment itself, in plain text.",
        "Fund the time that partnership work takes.",
    ),
    (
        "basis",
        "What it rests on: pages by their path in content/ without .md, or guide for this guide's own advice.",
        "recommendations/v4ce-2012-05",
    ),
];

/// The key called `name`.
pub fn spec(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name == name)
}

/// The keys a page of `kind` accepts, in table order.
pub fn for_kind(kind: Kind) -> impl Iterator<Item = &'static KeySpec> {
    KEYS.iter().filter(move |k| k.accepted_by(kind))
}

/// The example line of key `name` (empty for a key not in the table).
pub fn example(name: &str) -> &'static str {
    spec(name).map_or("", |k| k.example)
}

/// The names of the keys every kind accepts.
pub fn common() -> impl Iterator<Item = &'static str> {
    KEYS.iter()
        .filter(|k| k.kinds == Kinds::All)
        .map(|k| k.name)
}

impl Kind {
    /// Front matter keys this kind accepts, beyond the common ones, from
    /// [`KEYS`] (defined here, beside the table, so that `kind` depends on
    /// nothing).
    pub fn own_keys(self) -> Vec<&'static str> {
        KEYS.iter()
            .filter(|k| k.kinds != Kinds::All && k.accepted_by(self))
            .map(|k| k.name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_examples_use_their_key() {
        for (i, k) in KEYS.iter().enumerate() {
            assert!(
                KEYS[..i].iter().all(|o| o.name != k.name),
                "{} twice",
                k.name
            );
            assert!(k.example.starts_with(&format!("{}:", k.name)), "{}", k.name);
            assert!(!k.description.is_empty());
        }
    }
}
