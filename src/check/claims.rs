//! Figures and quotations without a citation: a paragraph (or list item) that
//! states a number, a percentage or a quotation of some length should cite
//! the source passage it comes from (`[@v4ce-2012, p. 14]`), and so should a
//! quotation set apart with `>` (or the paragraph that leads into it, as
//! should a table's lead-in for a table with figures).
//!
//! Not figures: years (1900 to 2099), numbers after a label that makes them a
//! name (recommendation 5, section 4, page 14, aim 2), dates (10 May),
//! ordinals and decades (21st, 1990s), digits inside a word (V4CE), and
//! anything in code, link text or a citation. Not quotations: quoted words
//! under five (scare quotes such as "hard to reach").

use super::warn_at;
use crate::content::Page;
use crate::diagnostics::Diagnostics;
use crate::markdown::{self, citations};
use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeWithOffset};

/// Words that make the number after them a name, not a figure.
const LABELS: &[&str] = &[
    "recommendation",
    "recommendations",
    "principle",
    "principles",
    "section",
    "sections",
    "page",
    "pages",
    "p.",
    "pp.",
    "aim",
    "aims",
    "appendix",
    "table",
    "tables",
    "chapter",
    "chapters",
    "part",
    "parts",
    "step",
    "steps",
    "strand",
    "strands",
    "objective",
    "objectives",
    "no.",
    "number",
    "question",
    "questions",
    "item",
    "items",
    "stage",
    "stages",
    "phase",
    "version",
    "figure",
    "commitment",
    "annex",
    "paragraph",
    "grade",
    "level",
    "levels",
    "wcag",
    "vol",
    "vol.",
    "p",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words a quotation must have before it needs a citation.
const QUOTE_WORDS: usize = 5;

#[derive(Clone, Copy, PartialEq)]
enum What {
    Paragraph,
    Item,
    Table,
    Quote,
}

/// A block being read: where it starts, its text for figures (no code, no
/// link text), all its text, and whether it cites anything.
struct Block {
    what: What,
    start: usize,
    figures: String,
    all: String,
}

impl Block {
    fn new(what: What, start: usize) -> Self {
        Block {
            what,
            start,
            figures: String::new(),
            all: String::new(),
        }
    }
}

/// Warns on each uncited figure or quotation of `page`.
pub(super) fn lint(page: &Page, diags: &mut Diagnostics) {
    let events = TextMergeWithOffset::new(
        Parser::new_ext(&page.body, markdown::options()).into_offset_iter(),
    );
    // Blocks open at once: a quotation holds paragraphs, an item may hold a paragraph.
    let mut quote: Option<Block> = None;
    let mut quote_depth = 0usize;
    let mut block: Option<Block> = None;
    let mut in_link = 0usize;
    let mut in_heading = false;
    let mut in_code = false;
    let mut items = 0usize;
    let mut previous_cited = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                if quote_depth == 0 {
                    finish(page, block.take(), &mut previous_cited, diags);
                    quote = Some(Block::new(What::Quote, range.start));
                }
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth = quote_depth.saturating_sub(1);
                if quote_depth == 0 {
                    let q = quote.take();
                    let cited = q.as_ref().is_some_and(|q| cites(&q.all)) || previous_cited;
                    if let Some(q) = q.filter(|q| !cited && !q.all.trim().is_empty()) {
                        diags.push(warn_at(
                            page,
                            q.start,
                            "a quotation (a `>` block) cites no source passage".into(),
                            &hint(page),
                        ));
                    }
                    previous_cited = false;
                }
            }
            _ if quote_depth > 0 => {
                if let Event::Text(t) = &event {
                    if let Some(q) = quote.as_mut() {
                        q.all.push_str(t);
                        q.all.push(' ');
                    }
                }
            }
            Event::Start(Tag::Paragraph)
                if block.as_ref().is_none_or(|b| b.what != What::Table) =>
            {
                finish(page, block.take(), &mut previous_cited, diags);
                block = Some(Block::new(What::Paragraph, range.start));
            }
            Event::End(TagEnd::Paragraph)
                if block.as_ref().is_some_and(|b| b.what == What::Paragraph) =>
            {
                finish(page, block.take(), &mut previous_cited, diags);
            }
            Event::Start(Tag::Table(_)) => {
                finish(page, block.take(), &mut previous_cited, diags);
                block = Some(Block::new(What::Table, range.start));
            }
            Event::End(TagEnd::Table) => {
                if let Some(mut b) = block.take() {
                    // A table counts as cited when its lead-in paragraph cites.
                    if previous_cited {
                        b.all.push_str(" [@lead-in]");
                    }
                    finish(page, Some(b), &mut previous_cited, diags);
                }
            }
            Event::Start(Tag::Item) => {
                finish(page, block.take(), &mut previous_cited, diags);
                items += 1;
            }
            Event::End(TagEnd::Item) | Event::Start(Tag::List(_)) => {
                if block.as_ref().is_some_and(|b| b.what == What::Item) {
                    finish(page, block.take(), &mut previous_cited, diags);
                }
                if matches!(event, Event::End(TagEnd::Item)) {
                    items = items.saturating_sub(1);
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                finish(page, block.take(), &mut previous_cited, diags);
                in_heading = true;
                previous_cited = false;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if !in_heading && !in_code => {
                if block.is_none() && items > 0 {
                    // An item of a tight list: its text is not in a paragraph.
                    block = Some(Block::new(What::Item, range.start));
                }
                if let Some(b) = block.as_mut() {
                    b.all.push_str(&t);
                    if in_link == 0 {
                        b.figures.push_str(&t);
                    } else {
                        b.figures.push(' ');
                    }
                }
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::Code(_)
            | Event::End(TagEnd::TableCell) => {
                if let Some(b) = block.as_mut() {
                    b.all.push(' ');
                    b.figures.push(' ');
                }
            }
            _ => {}
        }
    }
    finish(page, block, &mut previous_cited, diags);
}

/// Warns when the block states a figure or a quotation and cites nothing.
fn finish(page: &Page, block: Option<Block>, previous_cited: &mut bool, diags: &mut Diagnostics) {
    let Some(b) = block else { return };
    let cited = cites(&b.all);
    // Only a paragraph leads into a quotation or a table.
    *previous_cited = cited && b.what == What::Paragraph;
    if cited {
        return;
    }
    let what = match b.what {
        What::Table => "this table",
        What::Item => "this list item",
        _ => "this paragraph",
    };
    let message = if let Some(figure) = first_figure(&b.figures) {
        format!("{what} states a figure ({figure}) but cites no source passage")
    } else if let Some(quoted) = long_quotation(&b.all, &titles(page)) {
        format!("{what} quotes “{quoted}” but cites no source passage")
    } else {
        return;
    };
    diags.push(warn_at(page, b.start, message, &hint(page)));
}

/// The page's source titles, as quotations of them are no quotations.
fn titles(page: &Page) -> Vec<String> {
    page.front
        .source
        .iter()
        .map(|s| normalised(&s.title))
        .collect()
}

fn normalised(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn cites(text: &str) -> bool {
    !citations::find(text).is_empty()
}

fn hint(page: &Page) -> String {
    match page.front.source.first() {
        Some(s) => format!(
            "cite the passage at the end of the sentence, e.g. `[@{}, p. 14]` or `[@{}, section \"Trust and Control\"]` (a source's `id`, then the page, section or table)",
            s.id, s.id
        ),
        None => "add the report as `source:` in the front matter (with `id: v4ce-2012`), then cite the passage at the end of the sentence: `[@v4ce-2012, p. 14]`".into(),
    }
}

/// `text` without its citations (their locators hold numbers that are no figures).
pub(super) fn without_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in citations::find(text) {
        out.push_str(&text[pos..f.start]);
        out.push(' ');
        pos = f.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The first figure the text states: `65%`, `40`, `3.5`, `1,200`.
pub(super) fn first_figure(text: &str) -> Option<String> {
    let text = without_citations(text);
    let b = text.as_bytes();
    let mut i = 0;
    // After a label (`recommendations 3 and 4`), the numbers that follow are names too.
    let mut label_run_end: Option<usize> = None;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (matches!(b[i], b',' | b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let number = &text[start..i];
        let before = &text[..start];
        let after = &text[i..];
        if before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || after.chars().next().is_some_and(char::is_alphabetic)
        {
            continue; // V4CE, 21st, 1990s
        }
        let rest = after.trim_start();
        // Enough of what follows to recognise `per cent` or a month.
        let lower_rest: String = rest.chars().take(12).collect::<String>().to_lowercase();
        if rest.starts_with('%')
            || lower_rest.starts_with("per cent")
            || lower_rest.starts_with("percent")
        {
            return Some(format!("{number}%"));
        }
        let connected = label_run_end.is_some_and(|end| {
            let between = text[end..start].trim().to_lowercase();
            between.is_empty()
                || ["and", "or", "to", ",", "-", "–", "&"]
                    .iter()
                    .any(|w| between == *w || between.trim_matches(',').trim() == *w)
        });
        let previous_word = before
            .trim_end()
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let label = LABELS.contains(&previous_word.as_str());
        let date = MONTHS.iter().any(|m| lower_rest.starts_with(m))
            || MONTHS.contains(&previous_word.as_str());
        if label || connected {
            label_run_end = Some(i);
            continue;
        }
        if is_year(number) || date {
            continue;
        }
        return Some(number.to_string());
    }
    None
}

fn is_year(number: &str) -> bool {
    number.len() == 4
        && number
            .parse::<u16>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

/// The first words of the first quotation of `QUOTE_WORDS` words or more;
/// not a title: one of `titles`, or one after a date in brackets, as a
/// reading list gives it (`Needham, J. (2004) "Infrastructure for ..."`).
pub(super) fn long_quotation(text: &str, titles: &[String]) -> Option<String> {
    let text = without_citations(text);
    let mut rest = text.as_str();
    while let Some(open) = rest.find(['“', '"']) {
        let quote_char = if rest[open..].starts_with('“') {
            '”'
        } else {
            '"'
        };
        let inner_start = open + rest[open..].chars().next().map_or(1, char::len_utf8);
        let len = rest[inner_start..].find(quote_char)?;
        let inner = &rest[inner_start..inner_start + len];
        let words: Vec<&str> = inner.split_whitespace().collect();
        let listed = rest[..open]
            .trim_end()
            .strip_suffix(')')
            .and_then(|r| r.rsplit_once('('))
            .is_some_and(|(_, date)| date.split_whitespace().any(is_year));
        let title = titles.contains(&normalised(inner));
        if words.len() >= QUOTE_WORDS && !listed && !title {
            let mut shown = words[..4].join(" ");
            shown.push('…');
            return Some(shown);
        }
        rest = &rest[inner_start + len + quote_char.len_utf8()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_found_and_names_dates_and_years_are_not() {
        for (text, want) in [
            ("The project worked with 40 organisations.", Some("40")),
            ("Of those, 65% agreed.", Some("65%")),
            ("Some 12 per cent did.", Some("12%")),
            ("It cost £1,200 in all.", Some("1,200")),
            ("A rise of 3.5 points.", Some("3.5")),
            ("The 2012 report, from V4CE.", None),
            ("See recommendation 5 and recommendations 3, 4 and 6.", None),
            ("Section 4 and pages 14 to 16 say so.", None),
            (
                "Published on 10 May 2017, in the 1990s style of the 21st century.",
                None,
            ),
            ("It says so [@v4ce-2012, p. 14].", None),
            ("Review Aim 2 and Appendix 1.", None),
            ("Recommendation 5 asks for 3 things.", Some("3")),
        ] {
            assert_eq!(first_figure(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn quotations_of_five_words_or_more() {
        assert_eq!(
            long_quotation(
                "One said “it fills them with confidence that we can deliver”.",
                &[]
            ),
            Some("it fills them with…".into())
        );
        assert_eq!(
            long_quotation("Groups seen as “hard to reach” or “likes it”.", &[]),
            None
        );
        assert_eq!(
            long_quotation("An “unclosed quotation mark with many words", &[]),
            None
        );
        // Titles are not quotations.
        let titles = [normalised("Barriers to collaboration in London")];
        assert_eq!(
            long_quotation(
                "V4CE published “Barriers to collaboration in London”.",
                &titles
            ),
            None
        );
        assert_eq!(
            long_quotation(
                "Needham, J. (September 2004) “Infrastructure for BME organisations in London”.",
                &[]
            ),
            None
        );
    }
}
