//! Lints over data collections' records, as over pages' text: each record's
//! reading grade (its `text` and `markdown` fields, read as a page's body
//! is), and in `markdown` fields, images without alt text and links whose
//! text is empty or says nothing. Each warning names the data file, the
//! record's line (or its field's) and the record.

use super::{reading_grade, PageReport, VAGUE_LINK_TEXT};
use crate::collections::Collection;
use crate::config::FieldType;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Fields that cite where a record comes from, as a page's `source` does:
/// like a page's sources, they are not read for the reading grade.
const CITATION_FIELDS: &[&str] = &["source", "sources"];

/// A warning about record `r` (at field `f`'s value, or at the record).
fn warning(c: &Collection, r: usize, field: Option<usize>, message: String) -> Diagnostic {
    if field.is_some() {
        return c.error_at(r, field, message).as_warning();
    }
    let rec = &c.records[r];
    let message = if rec.row > 0 {
        format!("row {}: {message}", rec.row)
    } else {
        format!("record `{}`: {message}", rec.id)
    };
    Diagnostic::warning(message)
        .in_file(&c.file)
        .at(rec.line, 0)
        .with_source(&c.text)
}

/// The words of a `markdown` field, as the reading grade reads a page's
/// body, and the warnings about its images and links.
fn markdown_field(
    c: &Collection,
    r: usize,
    f: usize,
    value: &str,
    text: &mut String,
    diags: &mut Diagnostics,
) {
    let mut link: Option<(String, String)> = None; // (dest, text)
    let mut image: Option<String> = None;
    let mut in_code = false;
    for event in Parser::new_ext(value, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Image { .. }) => image = Some(String::new()),
            Event::End(TagEnd::Image) => {
                if let Some(alt) = image.take() {
                    if alt.trim().is_empty() {
                        diags.push(
                            warning(c, r, Some(f), "image without alt text".into())
                                .hint("describe the image in the brackets: ![A board meeting in Camden](photo.jpg)"),
                        );
                    }
                    if let Some((_, t)) = link.as_mut() {
                        t.push_str(&alt);
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, label)) = link.take() {
                    let lower = label.trim().to_lowercase();
                    if lower.is_empty() {
                        diags.push(
                            warning(c, r, Some(f), format!("link to `{dest}` has no text"))
                                .hint("write words that say where the link goes"),
                        );
                    } else if VAGUE_LINK_TEXT.contains(&lower.as_str()) {
                        diags.push(
                            warning(
                                c,
                                r,
                                Some(f),
                                format!("link text \"{}\" does not say where it goes", label.trim()),
                            )
                            .hint("use the destination's name, e.g. [the trust barrier](../barriers/trust-and-control.md)"),
                        );
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some(a) = image.as_mut() {
                    a.push_str(&t);
                } else if let Some((_, l)) = link.as_mut() {
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
    text.push_str(". ");
}

/// Lints every record of every collection; returns a reading report for
/// each record with words (`file` is the data file and the record's line).
pub(crate) fn lint(site: &Site, diags: &mut Diagnostics) -> Vec<PageReport> {
    let mut reports = Vec::new();
    for c in &site.collections {
        for r in 0..c.records.len() {
            reports.extend(lint_record(site, c, r, diags));
        }
    }
    reports
}

/// The problems [`lint`] finds in each record, without the file's row or
/// field: `(collection, record, problems)` for each record that has some,
/// in the order of the collections and their records.
pub(crate) fn problems(site: &Site) -> Vec<(usize, usize, Vec<String>)> {
    let mut out = Vec::new();
    for (n, c) in site.collections.iter().enumerate() {
        for r in 0..c.records.len() {
            let mut diags = Diagnostics::default();
            lint_record(site, c, r, &mut diags);
            // Each message starts with where the record is ("row 3: ",
            // "row 3, column `about`: ", "record `id`: "): readers need only the problem.
            let found: Vec<String> = diags
                .warnings()
                .map(|d| match d.message.split_once(": ") {
                    Some((_, problem)) => problem.to_string(),
                    None => d.message.clone(),
                })
                .collect();
            if !found.is_empty() {
                out.push((n, r, found));
            }
        }
    }
    out
}

/// Lints record `r` of `c`; its reading report, if it has words.
fn lint_record(
    site: &Site,
    c: &Collection,
    r: usize,
    diags: &mut Diagnostics,
) -> Option<PageReport> {
    let rec = &c.records[r];
    let mut text = String::new();
    for (f, field) in c.config.fields.iter().enumerate() {
        if field.name == c.config.title_field || CITATION_FIELDS.contains(&field.name.as_str()) {
            continue;
        }
        let Some(value) = rec.values[f].items().first() else {
            continue;
        };
        match field.field_type() {
            FieldType::Text => {
                text.push_str(value);
                text.push_str(". ");
            }
            FieldType::Markdown => markdown_field(c, r, f, value, &mut text, diags),
            _ => {}
        }
    }
    let (words, sentences, grade) = reading_grade(&text);
    if words == 0 {
        return None;
    }
    if words >= 30 && grade > site.config.reading_grade {
        diags.push(
            warning(
                c,
                r,
                None,
                format!(
                    "reading grade {grade:.1} is above the site's target of {}",
                    site.config.reading_grade
                ),
            )
            .hint("use shorter sentences and everyday words; spell out or cut jargon"),
        );
    }
    let path = if c.config.record_pages {
        format!("{}/{}/", c.config.name, rec.id)
    } else {
        format!("{}/#record-{}", c.config.name, rec.id)
    };
    Some(PageReport {
        file: format!("{}:{}", c.file.display(), rec.line),
        url: format!("{}{path}", site.config.base_path()),
        words,
        sentences,
        reading_grade: (grade * 10.0).round() / 10.0,
    })
}
