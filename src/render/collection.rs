//! Data collections' pages: the listing at /<name>/ (`collection.html`: the
//! records A–Z, grouped lists by each filter field, and the filter controls
//! `collection.js` runs), and a page per record when the collection asks
//! (`record.html`). The collections themselves change only with site.toml or
//! a data file, which rebuild everything; what pages mention a record is
//! read as [`super::Dep::Mentions`].

use super::context::*;
use super::reads::Reads;
use super::{fill, generated_page, home_crumb, link, page_context, page_url};
use crate::collections::{Collection, FieldValue};
use crate::config::FieldType;
use crate::diagnostics::Diagnostic;
use crate::html::escape_html;
use crate::theme::Theme;

/// The listing's URL path.
pub(super) fn listing_path(c: &Collection) -> String {
    format!("{}/", c.config.name)
}

/// Record `r`'s page path, or the listing with its anchor.
fn record_url(r: &Reads, c: &Collection, rec: usize) -> String {
    let id = &c.records[rec].id;
    if c.config.record_pages {
        page_url(r, &format!("{}/{id}/", c.config.name))
    } else {
        format!("{}#record-{id}", page_url(r, &listing_path(c)))
    }
}

/// The value a filter matches: the value in lowercase with hyphens.
fn filter_value(v: &str) -> String {
    let s = slug::slugify(v);
    if s.is_empty() {
        v.to_string()
    } else {
        s
    }
}

/// The collection's title: site.toml's `title`, its `_index.md`'s, or its name.
pub(super) fn title(r: &Reads, n: usize) -> String {
    let c = &r.collections()[n];
    if let Some(t) = c.config.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    if let Some(i) = r.collection_index(n) {
        return r.entry_fields(i).title.to_string();
    }
    crate::link::records::name_as_title(&c.config.name)
}

/// The collections' listings in the main menu, after the sections (as a
/// section is there, a listing is when it has records or an `_index.md`),
/// ordered by their `_index.md`'s `weight`, then as site.toml lists them;
/// `nav = false` in a collection's table leaves it out. Part of
/// [`super::site_context`], which `incremental` compares after every edit.
pub(super) fn nav_entries(site: &crate::link::Site) -> Vec<Link> {
    let index = |n: usize| site.collection_index.get(n).copied().flatten();
    let mut shown: Vec<(i64, usize)> = site
        .collections
        .iter()
        .enumerate()
        .filter(|(n, c)| c.config.nav && (!c.records.is_empty() || index(*n).is_some()))
        .map(|(n, _)| {
            let weight = index(n).and_then(|i| site.pages[i].front.weight);
            (weight.unwrap_or(i64::MAX), n)
        })
        .collect();
    shown.sort();
    shown
        .into_iter()
        .map(|(_, n)| {
            link(
                &crate::link::records::title(site, n),
                super::url(site, &listing_path(&site.collections[n])),
            )
        })
        .collect()
}

/// The records of each collection that a `stakeholders` field tags with
/// the `s`th stakeholder type of site.toml, A to Z, one group per
/// collection that has some (the stakeholder's page lists them).
pub(super) fn stakeholder_records(r: &Reads, s: usize) -> Vec<StakeholderRecords> {
    let id = r.config().stakeholders[s].id.as_str();
    let mut groups = Vec::new();
    for (n, c) in r.collections().iter().enumerate() {
        let fields: Vec<usize> = (0..c.config.fields.len())
            .filter(|&f| c.config.fields[f].field_type() == FieldType::Stakeholders)
            .collect();
        if fields.is_empty() {
            continue;
        }
        let mut tagged: Vec<usize> = (0..c.records.len())
            .filter(|&rec| {
                let values = &c.records[rec].values;
                fields
                    .iter()
                    .any(|&f| values[f].items().iter().any(|v| v == id))
            })
            .collect();
        if tagged.is_empty() {
            continue;
        }
        tagged.sort_by_cached_key(|&i| (c.title_of(i).to_lowercase(), c.records[i].id.clone()));
        groups.push(StakeholderRecords {
            name: c.config.name.clone(),
            title: title(r, n),
            url: page_url(r, &listing_path(c)),
            records: tagged
                .into_iter()
                .map(|rec| link(c.title_of(rec), record_url(r, c, rec)))
                .collect(),
        });
    }
    groups
}

fn info(r: &Reads, n: usize) -> CollectionInfo {
    let c = &r.collections()[n];
    CollectionInfo {
        name: c.config.name.clone(),
        title: title(r, n),
        url: page_url(r, &listing_path(c)),
        noun: if c.config.name.ends_with('s') {
            c.config.name.replace('-', " ")
        } else {
            "records".into()
        },
        count: c.records.len(),
        record_pages: c.config.record_pages,
        fields: c
            .config
            .fields
            .iter()
            .map(|f| FieldInfo {
                name: f.name.clone(),
                label: f.label(),
                r#type: f.field_type(),
                filter: f.filter,
            })
            .collect(),
    }
}

/// Markdown of a record's field as HTML, with the safety of pages without
/// raw HTML: HTML is shown as text, and script URLs are dropped.
fn markdown_html(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let events = Parser::new_ext(text, crate::markdown::options()).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !crate::html::url_is_safe(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: "".into(),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !crate::html::image_url_is_safe(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: "".into(),
            title,
            id,
        }),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// One line of plain text as HTML: escaped, with the smart punctuation
/// Markdown gives a page's text (curly quotes and apostrophes, en and em
/// dashes, ellipses) and nothing else of Markdown.
pub(crate) fn text_html(text: &str) -> String {
    if !(text.contains(['\'', '"']) || text.contains("--") || text.contains("...")) {
        return escape_html(text);
    }
    // A line of dashes alone would be a rule: it is shown as written.
    if text.chars().all(|c| c == '-' || c.is_whitespace()) {
        return escape_html(text);
    }
    // Every other ASCII punctuation mark is escaped with a backslash, so the
    // parser reads no emphasis, link, code, HTML or entity in it; so are the
    // `-` of a leading `- ` and the dot of a leading `1.` (lists).
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let list_dash = text.starts_with("- ") || text.starts_with("-\t");
    let mut md = String::with_capacity(text.len() + 16);
    for (k, ch) in text.char_indices() {
        let leading = (k == 0 && list_dash) || (k == digits && k > 0 && ch == '.');
        if leading || (ch.is_ascii_punctuation() && !matches!(ch, '\'' | '"' | '-' | '.')) {
            md.push('\\');
        }
        md.push(ch);
    }
    let mut html = String::with_capacity(text.len() + 16);
    let events = pulldown_cmark::Parser::new_ext(&md, crate::markdown::options()).filter(|e| {
        matches!(
            e,
            pulldown_cmark::Event::Text(_) | pulldown_cmark::Event::SoftBreak
        )
    });
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn field_html(r: &Reads, ty: FieldType, v: &FieldValue) -> String {
    match ty {
        FieldType::Text => v.items().first().map_or(String::new(), |t| text_html(t)),
        FieldType::Markdown => v
            .items()
            .first()
            .map_or(String::new(), |t| markdown_html(t)),
        FieldType::Url => v.items().first().map_or(String::new(), |u| {
            let u = escape_html(u);
            format!("<a href=\"{u}\">{u}</a>")
        }),
        FieldType::Stakeholders => v
            .items()
            .iter()
            .filter_map(|id| r.config().stakeholder(id))
            .map(|s| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    escape_html(&page_url(r, &format!("stakeholders/{}/", s.id))),
                    escape_html(&s.name)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => escape_html(&v.items().join(", ")),
    }
}

/// Record `rec` of collection `n`, as the listing and its page show it.
fn record_item(r: &Reads, n: usize, rec: usize) -> RecordItem {
    let c = &r.collections()[n];
    let record = &c.records[rec];
    let mut fields = Vec::new();
    let mut filters = Vec::new();
    for (f, field) in c.config.fields.iter().enumerate() {
        let ty = field.field_type();
        let v = &record.values[f];
        if field.filter {
            filters.push(FilterValues {
                name: field.name.clone(),
                values: v.items().iter().map(|x| filter_value(x)).collect(),
            });
        }
        // The title is the heading; pages are listed with the mentions.
        if field.name == c.config.title_field || ty == FieldType::Pages || v == &FieldValue::Empty {
            continue;
        }
        fields.push(FieldShown {
            name: field.name.clone(),
            label: field.label(),
            r#type: ty,
            html: field_html(r, ty, v),
        });
    }
    RecordItem {
        id: record.id.clone(),
        title: c.title_of(rec).to_string(),
        url: record_url(r, c, rec),
        anchor: format!("record-{}", record.id),
        fields,
        filters,
        mentions: super::link_list(r, r.mentions(n, rec)),
    }
}

/// The records, A–Z by title.
fn sorted_records(r: &Reads, n: usize) -> Vec<usize> {
    let c = &r.collections()[n];
    let mut order: Vec<usize> = (0..c.records.len()).collect();
    order.sort_by_cached_key(|&i| (c.title_of(i).to_lowercase(), c.records[i].id.clone()));
    order
}

/// For each filter field, its values, each with the records that have it.
fn filter_groups(r: &Reads, n: usize, items: &[RecordItem]) -> Vec<FilterGroup> {
    let c = &r.collections()[n];
    c.config
        .fields
        .iter()
        .filter(|f| f.filter)
        .map(|field| {
            let options: Vec<(String, String)> = match field.field_type() {
                FieldType::Choice => field
                    .values
                    .iter()
                    .flatten()
                    .map(|v| (filter_value(v), v.clone()))
                    .collect(),
                FieldType::Stakeholders => r
                    .config()
                    .stakeholders
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect(),
                _ => {
                    let f = c.config.field(&field.name).unwrap_or(0);
                    let years: std::collections::BTreeSet<&str> = c
                        .records
                        .iter()
                        .flat_map(|rec| rec.values[f].items())
                        .map(String::as_str)
                        .collect();
                    years
                        .into_iter()
                        .map(|y| (y.to_string(), y.to_string()))
                        .collect()
                }
            };
            let options = options
                .into_iter()
                .filter_map(|(value, label)| {
                    let records: Vec<Link> = items
                        .iter()
                        .filter(|it| {
                            it.filters
                                .iter()
                                .any(|fv| fv.name == field.name && fv.values.contains(&value))
                        })
                        .map(|it| link(&it.title, it.url.clone()))
                        .collect();
                    (!records.is_empty()).then_some(FilterOption {
                        value,
                        label,
                        records,
                    })
                })
                .collect();
            FilterGroup {
                name: field.name.clone(),
                label: field.label(),
                options,
            }
        })
        .collect()
}

/// The listing of collection `n`: from its `_index.md` (page `index`) when it has one.
pub(super) fn render_listing(
    theme: &Theme,
    r: &Reads,
    n: usize,
    index: Option<usize>,
) -> Result<Vec<u8>, Diagnostic> {
    let c = &r.collections()[n];
    let path = listing_path(c);
    let title = title(r, n);
    let records: Vec<RecordItem> = sorted_records(r, n)
        .into_iter()
        .map(|rec| record_item(r, n, rec))
        .collect();
    let filters = filter_groups(r, n, &records);
    let mut extra = CollectionExtra {
        collection: info(r, n),
        records,
        filters,
        references: String::new(),
    };
    match index {
        Some(i) => {
            let mut page = page_context(r, i);
            page.title = &title;
            page.breadcrumbs = vec![home_crumb(r)];
            // The References section goes below the records, at the end of
            // the content as on other pages.
            let md = r.markdown(i);
            page.content = &md.html[..md.references_at];
            extra.references = md.html[md.references_at..].to_string();
            let file = r.place(i).file;
            fill(theme, r, "collection.html", page, extra, Some(file))
        }
        None => {
            let page = generated_page(r, &title, &path, r.language().word("kind_collection"), "");
            fill(theme, r, "collection.html", page, extra, None)
        }
    }
}

/// Record `rec`'s own page.
pub(super) fn render_record(
    theme: &Theme,
    r: &Reads,
    n: usize,
    rec: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let c = &r.collections()[n];
    let item = record_item(r, n, rec);
    let path = format!("{}/{}/", c.config.name, item.id);
    let collection = info(r, n);
    let title = item.title.clone();
    let mut page = generated_page(r, &title, &path, r.language().word("kind_record"), "");
    page.breadcrumbs = vec![
        home_crumb(r),
        link(&collection.title, collection.url.clone()),
    ];
    let extra = RecordExtra {
        collection,
        record: item,
    };
    fill(theme, r, "record.html", page, extra, None)
}

/// A page's `organisations`, each linked to its record when it names one.
pub(super) fn organisations(
    r: &Reads,
    list: &[crate::content::Organisation],
) -> Vec<OrganisationItem> {
    let orgs = r
        .collections()
        .iter()
        .position(|c| c.config.name == crate::link::records::ORGANISATIONS);
    list.iter()
        .map(|o| {
            let found = o.id.as_deref().and_then(|id| {
                let n = orgs?;
                let c = &r.collections()[n];
                Some((c, *c.by_id.get(id)?))
            });
            let (name, url, kind) = match found {
                Some((c, rec)) => {
                    let name = if o.name.trim().is_empty() {
                        c.title_of(rec).to_string()
                    } else {
                        o.name.clone()
                    };
                    let kind = o.kind.clone().or_else(|| {
                        let f = c.config.field("type")?;
                        c.records[rec].values[f].items().first().cloned()
                    });
                    (name, record_url(r, c, rec), kind)
                }
                None => (o.name.clone(), String::new(), o.kind.clone()),
            };
            OrganisationItem {
                name,
                r#type: kind,
                id: o.id.clone(),
                url,
            }
        })
        .collect()
}

/// Every output of the collections: the listing (unless an `_index.md`
/// renders it) and the record pages.
pub(super) fn outputs(r: &Reads) -> Vec<super::Output> {
    let mut out = Vec::new();
    for (n, c) in r.collections().iter().enumerate() {
        if r.collection_index(n).is_none() {
            out.push(super::Output::Collection(n));
        }
        if c.config.record_pages {
            out.extend((0..c.records.len()).map(|rec| super::Output::Record(n, rec)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text_html;

    #[test]
    fn text_gets_smart_punctuation_and_nothing_else_of_markdown() {
        assert_eq!(
            text_html("The \"backbone\" -- it's 2012... or 'so' --- they say"),
            "The “backbone” – it’s 2012… or ‘so’ — they say"
        );
        // What would be a list, a rule, a heading, a quotation, code,
        // emphasis, a link, HTML or an entity stays as written, escaped.
        for (text, html) in [
            ("1. It's first", "1. It’s first"),
            ("- it's a list", "- it’s a list"),
            ("---", "---"),
            ("-- so", "– so"),
            ("# not 'a heading'", "# not ‘a heading’"),
            ("> it's quoted", "&gt; it’s quoted"),
            ("`code` *em* [a](b) 'x'", "`code` *em* [a](b) ‘x’"),
            (
                "<b>it's</b> &amp; \\ 'x'",
                "&lt;b&gt;it’s&lt;/b&gt; &amp;amp; \\ ‘x’",
            ),
            ("Plain text & <b>", "Plain text &amp; &lt;b&gt;"),
        ] {
            assert_eq!(text_html(text), html, "{text}");
        }
    }
}
