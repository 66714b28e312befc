//! What each kind of page is, defined once: its folder, its labels, its
//! template, the front matter keys it accepts, whether search indexes it and
//! its name for `fairguide new`.

use serde::Serialize;

/// What a page is, decided by where its file sits in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Home,
    Section,
    Principle,
    CaseStudy,
    Recommendation,
    Barrier,
    CodeOfConduct,
    Page,
    /// A worksheet readers fill in (`content/tools/`).
    Tool,
}

/// The sections, in navigation order.
pub const SECTIONS: &[Kind] = &[
    Kind::Principle,
    Kind::Barrier,
    Kind::CaseStudy,
    Kind::Recommendation,
    Kind::Tool,
];

/// The kinds of page search indexes (and the A–Z index lists), in display order.
pub const INDEXED_KINDS: [Kind; 7] = [
    Kind::Principle,
    Kind::Barrier,
    Kind::CaseStudy,
    Kind::Recommendation,
    Kind::Tool,
    Kind::CodeOfConduct,
    Kind::Page,
];

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 9] = [
        Kind::Home,
        Kind::Section,
        Kind::Principle,
        Kind::CaseStudy,
        Kind::Recommendation,
        Kind::Barrier,
        Kind::CodeOfConduct,
        Kind::Page,
        Kind::Tool,
    ];

    /// The section folder for kinds that live in one.
    pub fn section(self) -> Option<&'static str> {
        match self {
            Kind::Principle => Some("principles"),
            Kind::CaseStudy => Some("case-studies"),
            Kind::Recommendation => Some("recommendations"),
            Kind::Barrier => Some("barriers"),
            Kind::Tool => Some("tools"),
            _ => None,
        }
    }

    pub fn from_section(folder: &str) -> Option<Kind> {
        SECTIONS
            .iter()
            .copied()
            .find(|k| k.section() == Some(folder))
    }

    /// Human label, as shown to readers and used as a search filter label.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Home => "Home",
            Kind::Section => "Section",
            Kind::Principle => "Principle",
            Kind::CaseStudy => "Case study",
            Kind::Recommendation => "Recommendation",
            Kind::Barrier => "Barrier",
            Kind::CodeOfConduct => "Code of conduct",
            Kind::Page => "Page",
            Kind::Tool => "Tool",
        }
    }

    /// The title of a section's page and menu entry ("" for kinds without a section).
    pub fn section_title(self) -> &'static str {
        match self {
            Kind::Principle => "Principles",
            Kind::Barrier => "Barriers",
            Kind::CaseStudy => "Case studies",
            Kind::Recommendation => "Recommendations",
            Kind::Tool => "Tools",
            _ => "",
        }
    }

    /// The value this kind has in search's `kind` filter (and the URL's `?kind=`),
    /// and its name for `fairguide new`.
    pub fn value(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Section => "section",
            Kind::Principle => "principle",
            Kind::CaseStudy => "case-study",
            Kind::Recommendation => "recommendation",
            Kind::Barrier => "barrier",
            Kind::CodeOfConduct => "code-of-conduct",
            Kind::Page => "page",
            Kind::Tool => "tool",
        }
    }

    /// The kinds `fairguide new` creates, by [`Kind::value`].
    pub const NEW: [Kind; 6] = [
        Kind::CaseStudy,
        Kind::Principle,
        Kind::Recommendation,
        Kind::Barrier,
        Kind::Tool,
        Kind::Page,
    ];

    /// The template a page of this kind is rendered with.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Home => "home.html",
            Kind::Section => "section.html",
            Kind::Principle => "principle.html",
            Kind::Barrier => "barrier.html",
            Kind::CaseStudy => "case-study.html",
            Kind::Recommendation => "recommendation.html",
            Kind::CodeOfConduct => "code-of-conduct.html",
            Kind::Page => "page.html",
            Kind::Tool => "tool.html",
        }
    }

    /// Whether a page of this kind is part of the guide itself, so should name its source.
    pub fn is_guide_content(self) -> bool {
        matches!(
            self,
            Kind::Principle
                | Kind::CaseStudy
                | Kind::Recommendation
                | Kind::Barrier
                | Kind::CodeOfConduct
                | Kind::Tool
        )
    }

    /// Whether the section's list page is made only when it has pages (or a
    /// landing page): a kind added after sites were built must not add a
    /// page to sites that do not use it.
    pub fn section_only_when_used(self) -> bool {
        self == Kind::Tool
    }
}
