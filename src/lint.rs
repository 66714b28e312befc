//! Lints over a built site's pages: what `fairguide check` reports beyond
//! the build's own errors (alt text, heading order, link text, anchors,
//! orphans, unused glossary terms, front matter gaps, figures without a
//! citation) and a reading grade for every page. They read only the linked
//! site and its rendered Markdown, so the render stage (the accessibility
//! statement) can use them without depending on `check`.

use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::markdown::{self, Rendered};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashSet;

mod claims;
pub(crate) mod records;

/// Link text that says nothing out of context (WCAG 2.4.4).
const VAGUE_LINK_TEXT: &[&str] = &[
    "click here",
    "here",
    "click",
    "read more",
    "more",
    "link",
    "this",
    "this page",
    "go",
];

#[derive(Debug, Serialize)]
pub struct PageReport {
    pub file: String,
    pub url: String,
    pub words: usize,
    pub sentences: usize,
    /// Flesch-Kincaid grade level of the body text.
    pub reading_grade: f64,
}

/// The warnings the page lints of [`check`] give for a built site (not the
/// build's own warnings, nor the link checks of the output): what the
/// accessibility statement lists as known problems.
pub(crate) fn page_lints(site: &Site, rendered: &[Rendered]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    lint(site, rendered, &mut diags);
    diags.sort();
    diags
}

fn warn_at(page: &Page, offset: usize, message: String, hint: &str) -> Diagnostic {
    let line = page.body_line_of(offset);
    let start = page.source_text.line_index().line_start(line).unwrap_or(0);
    Diagnostic::warning(message)
        .in_file(&page.file)
        .at(line, 0)
        .with_source_at(&page.source_text, page.source_text.line_index(), start)
        .hint(hint)
}

pub(crate) fn lint(site: &Site, rendered: &[Rendered], diags: &mut Diagnostics) -> Vec<PageReport> {
    let mut linked: HashSet<usize> = HashSet::new();
    let mut reports = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let mut previous_level = 1u8;
        let mut link: Option<(usize, String, String)> = None; // (offset, dest, text)
        let mut image: Option<(usize, String)> = None;
        let mut in_code = false;
        let mut text = String::new();
        for (event, range) in Parser::new_ext(&page.body, markdown::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let level = level as u8;
                    if level == 1 {
                        diags.push(warn_at(
                            page,
                            range.start,
                            "a level-1 heading in the body: the title is the page's only h1".into(),
                            "use `##` for the page's main headings",
                        ));
                    } else if level > previous_level + 1 {
                        diags.push(warn_at(
                            page,
                            range.start,
                            format!("heading level skips from h{previous_level} to h{level}"),
                            &format!(
                                "use `{}` here, so screen reader users can follow the outline",
                                "#".repeat(previous_level as usize + 1)
                            ),
                        ));
                    }
                    previous_level = level;
                    text.push_str(". ");
                }
                Event::Start(Tag::Image { .. }) => image = Some((range.start, String::new())),
                Event::End(TagEnd::Image) => {
                    if let Some((offset, alt)) = image.take() {
                        if alt.trim().is_empty() {
                            diags.push(warn_at(page, offset, "image without alt text".into(), "describe the image in the brackets: ![A board meeting in Camden](photo.jpg)"));
                        }
                        if let Some((_, _, t)) = link.as_mut() {
                            t.push_str(&alt);
                        }
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    link = Some((range.start, dest_url.to_string(), String::new()))
                }
                Event::End(TagEnd::Link) => {
                    if let Some((offset, dest, label)) = link.take() {
                        let label_lower = label.trim().to_lowercase();
                        if label_lower.is_empty() {
                            diags.push(warn_at(
                                page,
                                offset,
                                format!("link to `{dest}` has no text"),
                                "write words that say where the link goes",
                            ));
                        } else if VAGUE_LINK_TEXT.contains(&label_lower.as_str()) {
                            diags.push(warn_at(page, offset, format!("link text \"{}\" does not say where it goes", label.trim()), "use the destination's name, e.g. [the trust barrier](../barriers/trust-and-control.md)"));
                        }
                        check_anchor(site, rendered, i, offset, &dest, &mut linked, diags);
                    }
                }
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, a)) = image.as_mut() {
                        a.push_str(&t);
                    } else if let Some((_, _, l)) = link.as_mut() {
                        l.push_str(&t);
                    }
                    if !in_code {
                        text.push_str(&t);
                    }
                }
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
                ) => text.push_str(". "),
                _ => {}
            }
        }
        lint_front_matter(page, diags);
        claims::lint(page, diags);
        // Citations show as [1]: their ids and locators are not read as words.
        let (words, sentences, grade) = reading_grade(&claims::without_citations(&text));
        if words >= 30 && grade > site.config.reading_grade {
            diags.push(
                Diagnostic::warning(format!(
                    "reading grade {grade:.1} is above the site's target of {}",
                    site.config.reading_grade
                ))
                .in_file(&page.file)
                .hint("use shorter sentences and everyday words; spell out or cut jargon"),
            );
        }
        reports.push(PageReport {
            file: page.file.to_string_lossy().into_owned(),
            url: format!("{}{}", site.config.base_path(), page.url_path),
            words,
            sentences,
            reading_grade: (grade * 10.0).round() / 10.0,
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        if page.kind == Kind::Page
            && !page.front.nav
            && Some(i) != site.glossary_page
            && !linked.contains(&i)
        {
            diags.push(
                Diagnostic::warning(
                    "page is reachable from no navigation: not in the menu and no page links to it",
                )
                .in_file(&page.file)
                .hint("add `nav: true` to its front matter, or link to it from another page"),
            );
        }
    }
    lint_glossary(site, diags);
    reports
}

fn check_anchor(
    site: &Site,
    rendered: &[Rendered],
    from: usize,
    offset: usize,
    dest: &str,
    linked: &mut HashSet<usize>,
    diags: &mut Diagnostics,
) {
    let page = &site.pages[from];
    let (target, fragment) = if let Some(fragment) = dest.strip_prefix('#') {
        (from, fragment)
    } else if let Some((target, fragment)) = markdown::resolve_page_link(site, from, dest) {
        if target != from {
            linked.insert(target);
        }
        (target, fragment)
    } else {
        return;
    };
    if !fragment.is_empty() && !rendered[target].ids.iter().any(|id| id == fragment) {
        let known: Vec<&str> = rendered[target].ids.iter().map(String::as_str).collect();
        diags.push(warn_at(
            page,
            offset,
            format!(
                "link to `{dest}`: there is no heading with id `{fragment}` on {}",
                site.pages[target].file.display()
            ),
            &crate::diagnostics::did_you_mean(fragment, &known),
        ));
    }
}

fn lint_front_matter(page: &Page, diags: &mut Diagnostics) {
    // Readers should be able to tell the research from the guide's own advice.
    for c in page.front.commitments.iter().filter(|c| c.basis.is_empty()) {
        let shown = c.text.split(' ').take(6).collect::<Vec<_>>().join(" ");
        diags.push(
            page.error_at("commitments", Some(&shown), format!("commitment \"{shown}...\" does not say what it rests on"))
                .as_warning()
                .hint("add `basis:` with the recommendation or finding it comes from (e.g. `basis: recommendations/v4ce-2012-05`), or `basis: guide` if it is this guide's own advice"),
        );
    }
    if page.kind.is_guide_content() && page.front.source.iter().all(|s| s.title.trim().is_empty()) {
        diags.push(
            Diagnostic::warning("page names no source")
                .in_file(&page.file)
                .at(page.front_line, 0)
                .hint(
                    "add `source:` with the title, publisher and year of the research it draws on",
                ),
        );
    }
    if page.kind.is_guide_content()
        && page
            .front
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        diags.push(
            Diagnostic::warning("page has no summary")
                .in_file(&page.file)
                .at(page.front_line, 0)
                .hint("add `summary:` with one or two plain sentences; lists and search results show it"),
        );
    }
}

fn lint_glossary(site: &Site, diags: &mut Diagnostics) {
    for term in &site.config.glossary {
        let used = site.pages.iter().any(|p| {
            markdown::find_word(&p.body, &term.term).is_some()
                || markdown::find_word(&p.front.title, &term.term).is_some()
        });
        if !used {
            diags.push(
                Diagnostic::warning(format!(
                    "glossary term `{}` is defined but never used",
                    term.term
                ))
                .in_file(crate::config::CONFIG_FILE)
                .hint("remove its [[glossary]] table, or use the term where it belongs"),
            );
        }
    }
}

/// Words, sentences and the Flesch-Kincaid grade level of plain text.
pub fn reading_grade(text: &str) -> (usize, usize, f64) {
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut sentences = 0usize;
    let mut in_sentence = false;
    for token in text.split_whitespace() {
        let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if !word.is_empty() && word.chars().any(char::is_alphabetic) {
            words += 1;
            syllables += count_syllables(&word);
            in_sentence = true;
        }
        if in_sentence && token.ends_with(['.', '!', '?', ':', ';']) {
            sentences += 1;
            in_sentence = false;
        }
    }
    if in_sentence {
        sentences += 1;
    }
    if words == 0 || sentences == 0 {
        return (words, sentences, 0.0);
    }
    let grade =
        0.39 * (words as f64 / sentences as f64) + 11.8 * (syllables as f64 / words as f64) - 15.59;
    (words, sentences, grade.max(0.0))
}

fn count_syllables(word: &str) -> usize {
    let w = word.to_lowercase();
    // Acronyms (BME, NCVO) are read letter by letter, but count them as one unit.
    if word.len() > 1 && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return 1;
    }
    let is_vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for c in w.chars() {
        let v = is_vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_scores_low_and_dense_text_high() {
        let (_, _, easy) = reading_grade("We met. We talked. We agreed a plan. It worked well.");
        let (_, _, hard) = reading_grade(
            "Organisational infrastructure considerations necessitate comprehensive collaborative institutional arrangements notwithstanding considerable administrative complexity.",
        );
        assert!(easy < 4.0, "{easy}");
        assert!(hard > 16.0, "{hard}");
    }

    #[test]
    fn syllables() {
        assert_eq!(count_syllables("trust"), 1);
        assert_eq!(count_syllables("partner"), 2);
        assert_eq!(count_syllables("organisation"), 5);
        assert_eq!(count_syllables("BME"), 1);
    }
}
