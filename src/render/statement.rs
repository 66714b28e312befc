//! The accessibility statement, generated from site.toml's `[accessibility]`
//! and from what fairguide knows: the standard its theme is tested against,
//! how, and the problems `fairguide check` finds in this site's pages and
//! data records. It follows the structure of the UK model accessibility
//! statement and says
//! nothing it cannot know (no compliance claim, no enforcement body, no
//! contact it was not given). A page `content/accessibility.md` replaces it.

use super::context::{AccessibilityExtra, Contact, PageContext, Statement, StatementIssue};
use super::reading::date_value;
use super::reads::Reads;
use crate::link::Site;

/// Where the statement is, below the base.
pub(super) const STATEMENT_PATH: &str = "accessibility/";

/// The site's own page at the statement's place, if it has one.
const OVERRIDE: &str = "accessibility.md";

/// Whether the generator makes the statement.
pub(super) fn has_statement(r: &Reads) -> bool {
    r.config().accessibility.is_some() && r.page_at(OVERRIDE).is_none()
}

/// The statement's URL for the footer: the generated one or the site's own
/// page; empty without either.
pub(super) fn statement_url(site: &Site) -> String {
    if site.config.accessibility.is_some() || site.by_content_path.contains_key(OVERRIDE) {
        super::url(site, STATEMENT_PATH)
    } else {
        String::new()
    }
}

/// Warnings of `fairguide check` that readers with a disability meet.
fn is_accessibility_problem(message: &str) -> bool {
    [
        "alt text",
        "heading",
        "link text",
        "has no text",
        "reading grade",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// How to reach someone: `{text, url}` (url empty for a phone number or
/// anything that is not an address).
fn contact_value(contact: &str) -> Contact {
    let c = contact.trim();
    let url = if c.starts_with("https://") || c.starts_with("http://") {
        c.to_string()
    } else if c.contains('@') && !c.contains(char::is_whitespace) {
        format!("mailto:{}", c.strip_prefix("mailto:").unwrap_or(c))
    } else {
        String::new()
    };
    Contact {
        text: c.strip_prefix("mailto:").unwrap_or(c).to_string(),
        url,
    }
}

/// The statement's page and its own variables.
pub(super) fn statement<'a>(
    r: &Reads<'a>,
    title: &'a str,
) -> (PageContext<'a>, AccessibilityExtra) {
    let c = r.config();
    let a = c.accessibility.clone().unwrap_or_default();
    let page = super::generated_page(
        r,
        title,
        STATEMENT_PATH,
        r.language().kind_label(crate::kind::Kind::Page),
        r.language().word("accessibility_summary"),
    );
    let (site, rendered) = r.whole_site();
    let lints = crate::lint::page_lints(site, rendered);
    // The problems per page, in the order of the pages.
    let mut by_file: std::collections::HashMap<&std::path::Path, Vec<&str>> = Default::default();
    for d in lints.warnings() {
        if let Some(file) = d.file.as_deref() {
            if is_accessibility_problem(&d.message) {
                by_file.entry(file).or_default().push(&d.message);
            }
        }
    }
    let mut issues: Vec<StatementIssue> = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        let problems = by_file.remove(p.file.as_path()).unwrap_or_default();
        if !problems.is_empty() {
            issues.push(StatementIssue {
                title: p.front.title.clone(),
                url: super::url(site, &site.pages[i].url_path),
                problems: problems.into_iter().map(str::to_string).collect(),
            });
        }
    }
    // Then the problems in the data collections' records.
    for (n, rec, problems) in crate::lint::records::problems(site) {
        let problems: Vec<String> = problems
            .into_iter()
            .filter(|m| is_accessibility_problem(m))
            .collect();
        if !problems.is_empty() {
            let col = &site.collections[n];
            let path = if col.config.record_pages {
                format!("{}/{}/", col.config.name, col.records[rec].id)
            } else {
                format!("{}/#record-{}", col.config.name, col.records[rec].id)
            };
            issues.push(StatementIssue {
                title: col.title_of(rec).to_string(),
                url: super::url(site, &path),
                problems,
            });
        }
    }
    let feedback = match c.feedback() {
        Some(crate::config::Feedback::Email(e)) => Some(contact_value(e)),
        Some(crate::config::Feedback::Form(f)) => Some(contact_value(f)),
        None => None,
    };
    let statement = Statement {
        scope: c.base_url.clone(),
        organisation: a
            .organisation
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string),
        contact: a.contact.as_deref().map(contact_value),
        feedback,
        reviewed: date_value(r, a.reviewed.as_deref()),
        reading_grade: c.reading_grade.to_string(),
        reading_age: (c.reading_grade + 5.0).to_string(),
        issues,
    };
    (page, AccessibilityExtra { statement })
}
