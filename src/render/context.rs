//! The theme API: what each template receives, as typed values.
//!
//! Every template gets `site` ([`SiteContext`]) and `page` ([`PageContext`]);
//! some get more, flattened beside them (the `*Extra` structs, named after
//! their templates). docs/THEME.md documents every field, and
//! tests/theme_api.rs checks that document against these types as they
//! serialize, so the two cannot drift.

use crate::config::FieldType;
use crate::content::Source;
use crate::kind::Kind;
use crate::markdown::TocEntry;
use serde::Serialize;

/// What every template receives: `site`, `page`, and the template's own values.
#[derive(Serialize)]
pub(crate) struct TemplateContext<'a, E: Serialize> {
    pub site: &'a SiteContext,
    pub page: PageContext<'a>,
    #[serde(flatten)]
    pub extra: E,
}

/// A title and where it links to: menu items, breadcrumbs, related pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

/// Site-wide values, the same for every output of one build.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct SiteContext {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub nav: Vec<Link>,
    pub stakeholders: Vec<Stakeholder>,
    pub home_url: String,
    pub search_url: String,
    /// Empty when the site has no glossary, so that no page links to one.
    pub glossary_url: String,
    pub feed_url: String,
    /// True when building the offline copy (`build --offline`).
    pub offline: bool,
    /// `/print/`, the whole guide on one page; empty when site.toml says `print = false`.
    pub print_url: String,
    /// The accessibility statement's URL; empty when the site has none.
    pub accessibility_url: String,
    /// `ltr`, or `rtl` for a language written right to left.
    pub dir: &'static str,
    /// With `[[languages]]`: every language, the main one first, each with
    /// its home page; empty for a site in one language.
    pub languages: Vec<LanguageLink>,
}

/// A language of the site, and the page in it (its home page in `site.languages`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LanguageLink {
    /// Its tag, for `lang` and `hreflang`.
    pub code: String,
    /// Its name in itself.
    pub name: String,
    pub dir: &'static str,
    pub url: String,
    /// True for the language being shown.
    pub current: bool,
}

/// A `<link rel="alternate" hreflang>`: the page in another language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Alternate {
    /// A language tag, or `x-default` (the main language's page).
    pub hreflang: String,
    pub url: String,
}

/// A page shown in the main language because it is not translated yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Untranslated {
    /// The language it is written in (the main language).
    pub lang: String,
    pub dir: &'static str,
    /// The page in that language.
    pub url: String,
}

/// A stakeholder type of site.toml, with its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Stakeholder {
    pub id: String,
    pub name: String,
    pub description: String,
    pub url: String,
}

/// A stakeholder type as a page's front matter names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StakeholderRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A page as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ListEntry {
    pub title: String,
    pub url: String,
    /// Empty when the page has none.
    pub summary: String,
    /// The kind's label in English, e.g. "Case study" (the same in every
    /// language, for templates to compare).
    pub kind: &'static str,
    /// The kind's label in the site's language, as readers see it.
    pub kind_label: String,
    /// For a page not yet translated, shown in the main language: that
    /// language's tag and direction, for `lang` and `dir` on its title; empty
    /// otherwise.
    pub lang: String,
    pub dir: &'static str,
    pub number: Option<u32>,
    /// Empty when the page has none.
    pub series: String,
}

/// What a page is: a kind of content page, or one the generator makes.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PageKind {
    Generated,
    #[serde(untagged)]
    Content(Kind),
}

/// The page being rendered: a Markdown page, or a generated one (a section
/// list, the search page...), whose content fields are then empty.
#[derive(Serialize)]
pub(crate) struct PageContext<'a> {
    pub kind: PageKind,
    pub kind_label: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub permalink: String,
    /// The Markdown file, for "edit this page" links; empty for generated pages.
    pub file: String,
    /// The page's HTML.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub source: &'a [Source],
    pub number: Option<u32>,
    pub series: Option<&'a str>,
    pub group: Option<&'a str>,
    pub place: Option<&'a str>,
    pub years: Option<&'a str>,
    pub date: Option<&'a str>,
    pub themes: &'a [String],
    /// Its `organisations`, each linked to its record when it names one by `id`.
    pub organisations: Vec<OrganisationItem>,
    pub breadcrumbs: Vec<Link>,
    pub stakeholders: Vec<StakeholderRef>,
    pub principles: Vec<ListEntry>,
    pub barriers: Vec<ListEntry>,
    pub case_studies: Vec<ListEntry>,
    pub recommendations: Vec<ListEntry>,
    /// Tools whose worksheet names the page.
    pub tools: Vec<ListEntry>,
    /// The code of conduct's commitments, by stakeholder type.
    pub commitments: Vec<CommitmentGroup>,
    /// The pages before and after it in its section's order.
    pub previous: Option<ListEntry>,
    pub next: Option<ListEntry>,
    /// When it last changed: `updated`, `changes` or git.
    pub updated: Option<DateText>,
    /// Its `changes`, newest first.
    pub changes: Vec<ChangeItem>,
    /// Its feedback links, with `feedback` in site.toml.
    pub feedback: Option<FeedbackLinks>,
    /// With `[[languages]]`: this page in every language, for the language switcher.
    pub languages: Vec<LanguageLink>,
    /// With `[[languages]]`: the languages it is written in, for `hreflang` links
    /// (with `x-default`); empty when it is in one language only.
    pub alternates: Vec<Alternate>,
    /// Set when the page is shown in the main language, not yet translated.
    pub untranslated: Option<Untranslated>,
}

/// A date, as `YYYY-MM-DD` and as readers see it ("5 March 2024").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DateText {
    pub date: String,
    pub text: String,
}

/// One entry of a page's history.
#[derive(Serialize)]
pub(crate) struct ChangeItem {
    pub date: String,
    pub text: String,
    pub note: String,
}

/// "Is this page useful?" and "Report a problem with this page".
#[derive(Serialize)]
pub(crate) struct FeedbackLinks {
    pub useful: String,
    pub problem: String,
}

/// `accessibility.html`.
#[derive(Serialize)]
pub(crate) struct AccessibilityExtra {
    pub statement: Statement,
}

/// What the accessibility statement says.
#[derive(Serialize)]
pub(crate) struct Statement {
    pub scope: String,
    pub organisation: Option<String>,
    pub contact: Option<Contact>,
    pub feedback: Option<Contact>,
    pub reviewed: Option<DateText>,
    pub reading_grade: String,
    pub reading_age: String,
    pub issues: Vec<StatementIssue>,
}

/// How to reach someone: the text as written, and a link (empty for a phone number).
#[derive(Serialize)]
pub(crate) struct Contact {
    pub text: String,
    pub url: String,
}

/// A page with problems `fairguide check` finds.
#[derive(Serialize)]
pub(crate) struct StatementIssue {
    pub title: String,
    pub url: String,
    pub problems: Vec<String>,
}

/// The commitments that bind one stakeholder type.
#[derive(Serialize)]
pub(crate) struct CommitmentGroup {
    pub stakeholder: StakeholderRef,
    pub items: Vec<CommitmentItem>,
}

/// One commitment and what it rests on.
#[derive(Serialize)]
pub(crate) struct CommitmentItem {
    pub text: String,
    /// The pages it comes from (a recommendation's title with its number).
    pub basis: Vec<Link>,
    /// Whether the guide adds it as its own advice.
    pub guide: bool,
}

/// A recommendation as the index and the stakeholder pages list it.
#[derive(Serialize)]
pub(crate) struct RecommendationItem {
    pub title: String,
    /// As [`ListEntry::lang`] and [`ListEntry::dir`]: set for a page shown
    /// in the main language, not yet translated.
    pub lang: String,
    pub dir: &'static str,
    pub url: String,
    pub number: Option<u32>,
    pub series: Option<String>,
    /// Its first paragraph's HTML, or its summary as a paragraph.
    pub text: String,
    pub principles: Vec<ListEntry>,
    pub stakeholders: Vec<StakeholderRef>,
}

/// A template that receives only `site` and `page`.
#[derive(Serialize)]
pub(crate) struct NoExtra {}

/// `home.html`.
#[derive(Serialize)]
pub(crate) struct HomeExtra {
    pub sections: Vec<SectionCard>,
    /// The ways in beside the stakeholder types: the tools and the code of conduct.
    pub ways_in: Vec<WayIn>,
}

/// A page the home page offers as a way in.
#[derive(Serialize)]
pub(crate) struct WayIn {
    pub title: String,
    pub url: String,
    /// Empty when the page has none.
    pub summary: String,
}

/// A section as the home page offers it.
#[derive(Serialize)]
pub(crate) struct SectionCard {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub count: usize,
}

/// `section.html` and `recommendations.html`.
#[derive(Serialize)]
pub(crate) struct SectionExtra {
    pub pages: Vec<ListEntry>,
    /// Recommendations by stakeholder type (recommendations only).
    pub groups: Vec<RecommendationGroup>,
    /// Recommendations addressed to no stakeholder type (recommendations only).
    pub unassigned: Vec<RecommendationItem>,
}

#[derive(Serialize)]
pub(crate) struct RecommendationGroup {
    pub stakeholder: Stakeholder,
    pub recommendations: Vec<RecommendationItem>,
}

/// `glossary.html`.
#[derive(Serialize)]
pub(crate) struct GlossaryExtra<'a> {
    pub terms: &'a [crate::config::GlossaryTerm],
}

/// `stakeholders.html`.
#[derive(Serialize)]
pub(crate) struct StakeholdersExtra {
    pub stakeholder_list: Vec<StakeholderSummary>,
}

/// A stakeholder type with how much of the guide concerns it.
#[derive(Serialize)]
pub(crate) struct StakeholderSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub url: String,
    pub recommendations: usize,
    pub case_studies: usize,
}

/// `stakeholder.html`.
#[derive(Serialize)]
pub(crate) struct StakeholderExtra {
    pub stakeholder: StakeholderName,
    pub recommendations: Vec<RecommendationItem>,
    pub case_studies: Vec<ListEntry>,
    pub principles: Vec<ListEntry>,
    pub barriers: Vec<ListEntry>,
    pub tools: Vec<ListEntry>,
    /// The code of conduct's commitments for this stakeholder type, if the site has one.
    pub code_of_conduct: Option<StakeholderCommitments>,
    /// The records of each data collection tagged with it.
    pub collections: Vec<StakeholderRecords>,
}

/// A collection's records tagged with a stakeholder type.
#[derive(Serialize)]
pub(crate) struct StakeholderRecords {
    pub name: String,
    pub title: String,
    /// The collection's listing.
    pub url: String,
    /// Its records, A to Z: each its page or its entry on the listing.
    pub records: Vec<Link>,
}

#[derive(Serialize)]
pub(crate) struct StakeholderName {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Serialize)]
pub(crate) struct StakeholderCommitments {
    pub url: String,
    pub title: String,
    pub groups: Vec<CommitmentGroup>,
}

/// `search.html`.
#[derive(Serialize)]
pub(crate) struct SearchExtra<'a> {
    /// The A–Z index: every indexed page, by kind.
    pub index: Vec<IndexGroup>,
    pub facets: &'a [crate::search::model::Facet],
}

#[derive(Serialize)]
pub(crate) struct IndexGroup {
    /// The kind's label in English (as [`ListEntry::kind`]).
    pub kind: &'static str,
    /// The kind's label in the site's language, as readers see it.
    pub label: String,
    pub pages: Vec<ListEntry>,
}

/// `sitemap.xml`.
#[derive(Serialize)]
pub(crate) struct SitemapExtra {
    pub urls: Vec<String>,
    pub entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
pub(crate) struct SitemapEntry {
    pub url: String,
    /// When the page last changed, `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// `atom.xml`.
#[derive(Serialize)]
pub(crate) struct AtomExtra {
    pub entries: Vec<AtomEntry>,
    /// The newest entry's date.
    pub updated: String,
}

#[derive(Serialize)]
pub(crate) struct AtomEntry {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub updated: String,
}

/// `robots.txt`.
#[derive(Serialize)]
pub(crate) struct RobotsExtra {
    pub sitemap_url: String,
}

/// An organisation a page names: as its front matter gives it, or, with an
/// `id`, completed from its record in the `organisations` collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct OrganisationItem {
    pub name: String,
    pub r#type: Option<String>,
    /// The id of its record, if it names one.
    pub id: Option<String>,
    /// Its record's page (or its entry in the listing); empty without an id.
    pub url: String,
}

/// A data collection, as its listing and record pages describe it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CollectionInfo {
    pub name: String,
    pub title: String,
    /// The listing page.
    pub url: String,
    /// What the records are, for counts: the name with spaces when it is a
    /// plural ("organisations"), else "records".
    pub noun: String,
    pub count: usize,
    pub record_pages: bool,
    pub fields: Vec<FieldInfo>,
}

/// A field of a collection, as site.toml declares it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldInfo {
    pub name: String,
    pub label: String,
    pub r#type: FieldType,
    pub filter: bool,
}

/// A field's value on a record, ready to show.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldShown {
    pub name: String,
    pub label: String,
    pub r#type: FieldType,
    /// Escaped (and, for markdown, rendered) HTML.
    pub html: String,
}

/// A record's values of one filter field, as filter values.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilterValues {
    pub name: String,
    pub values: Vec<String>,
}

/// One record of a collection.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordItem {
    pub id: String,
    pub title: String,
    /// Its page, or its entry on the listing.
    pub url: String,
    /// The `id` of its entry on the listing.
    pub anchor: String,
    /// Its fields with a value, but the title and `pages` fields.
    pub fields: Vec<FieldShown>,
    /// Its values of each filter field.
    pub filters: Vec<FilterValues>,
    /// The pages that mention it: its `pages` fields, and pages naming it.
    pub mentions: Vec<ListEntry>,
}

/// A filter field's values, each with the records that have it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilterGroup {
    pub name: String,
    pub label: String,
    pub options: Vec<FilterOption>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilterOption {
    pub value: String,
    pub label: String,
    pub records: Vec<Link>,
}

/// `collection.html`: a collection's listing.
#[derive(Serialize)]
pub(crate) struct CollectionExtra {
    pub collection: CollectionInfo,
    /// Every record, A to Z.
    pub records: Vec<RecordItem>,
    /// The filter fields, with their values' records.
    pub filters: Vec<FilterGroup>,
    /// The `_index.md`'s References section (HTML), shown after the records.
    pub references: String,
}

/// `record.html`: a record's own page.
#[derive(Serialize)]
pub(crate) struct RecordExtra {
    pub collection: CollectionInfo,
    pub record: RecordItem,
}
