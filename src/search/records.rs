//! Data collections' records in the search index: each record is indexed as
//! a small page of its own (at its record page, or its entry on the listing),
//! its kind is its collection, and its filter fields are search filters
//! (stakeholders fields join the "Who it concerns" filter).

use super::model::{Facet, FacetOption};
use crate::config::FieldType;
use crate::html::escape_html;
use crate::link::Site;
use pagefind::api::CustomRecord;

/// Filter names the search page already uses.
const TAKEN: &[&str] = &["kind", "stakeholder", "barrier", "theme", "q"];

/// The search filter each field of each collection is (None: not a filter).
fn keys(site: &Site) -> Vec<Vec<Option<String>>> {
    let mut seen: Vec<String> = TAKEN.iter().map(|s| s.to_string()).collect();
    site.collections
        .iter()
        .map(|c| {
            c.config
                .fields
                .iter()
                .map(|f| {
                    if !f.filter {
                        return None;
                    }
                    if f.field_type() == FieldType::Stakeholders {
                        return Some("stakeholder".to_string());
                    }
                    let key = if seen.contains(&f.name) {
                        format!("{}-{}", c.config.name, f.name)
                    } else {
                        f.name.clone()
                    };
                    seen.push(key.clone());
                    Some(key)
                })
                .collect()
        })
        .collect()
}

/// A filter value: the value in lowercase with hyphens (as the listing's filters use).
fn value(v: &str) -> String {
    let s = slug::slugify(v);
    if s.is_empty() {
        v.to_string()
    } else {
        s
    }
}

/// The collection's title, as its listing shows it.
fn title(site: &Site, n: usize) -> String {
    crate::link::records::title(site, n)
}

/// Every record's filters, collection by collection.
pub(crate) fn filters(site: &Site) -> Vec<Vec<(String, String)>> {
    let keys = keys(site);
    let mut out = Vec::new();
    for (n, c) in site.collections.iter().enumerate() {
        for rec in &c.records {
            let mut tags = vec![("kind".to_string(), c.config.name.clone())];
            for (f, key) in keys[n].iter().enumerate() {
                let Some(key) = key else { continue };
                for v in rec.values[f].items() {
                    tags.push((key.clone(), value(v)));
                }
            }
            out.push(tags);
        }
    }
    out
}

/// The collections as kinds of result.
pub(crate) fn kind_options(site: &Site, has: &dyn Fn(&str, &str) -> bool) -> Vec<FacetOption> {
    site.collections
        .iter()
        .enumerate()
        .filter(|(_, c)| has("kind", &c.config.name))
        .map(|(n, c)| FacetOption {
            value: c.config.name.clone(),
            label: title(site, n),
        })
        .collect()
}

/// The collections' own filter fields (but stakeholders, which join "Who it concerns").
pub(crate) fn facets(site: &Site, has: &dyn Fn(&str, &str) -> bool) -> Vec<Facet> {
    let keys = keys(site);
    let mut out = Vec::new();
    for (n, c) in site.collections.iter().enumerate() {
        for (f, field) in c.config.fields.iter().enumerate() {
            let Some(key) = &keys[n][f] else { continue };
            let options: Vec<FacetOption> = match field.field_type() {
                FieldType::Stakeholders => continue,
                FieldType::Choice => field
                    .values
                    .iter()
                    .flatten()
                    .map(|v| FacetOption {
                        value: value(v),
                        label: v.clone(),
                    })
                    .filter(|o| has(key, &o.value))
                    .collect(),
                _ => {
                    let years: std::collections::BTreeSet<&str> = c
                        .records
                        .iter()
                        .flat_map(|r| r.values[f].items())
                        .map(String::as_str)
                        .collect();
                    years
                        .into_iter()
                        .map(|y| FacetOption {
                            value: y.to_string(),
                            label: y.to_string(),
                        })
                        .collect()
                }
            };
            out.push(Facet {
                key: key.clone().into(),
                label: format!("{} ({})", field.label(), title(site, n)).into(),
                any: site.language.word("any").to_string().into(),
                options,
            });
        }
    }
    out
}

/// Each record as the indexer reads it: its URL, its text, its filters and
/// its metadata (`language`: the main language's code, for a site in several).
///
/// The text is what Pagefind's parser reads from a small page of the
/// record's values ([`tests::html_inputs`]: its title as a heading, then a
/// paragraph per field), built here without writing and parsing that page.
/// Values are escaped as in HTML: Pagefind decodes them as it does a page's.
pub(crate) fn inputs(site: &Site, language: &str) -> Vec<CustomRecord> {
    let filters = filters(site);
    let mut out = Vec::new();
    let mut k = 0;
    for (n, c) in site.collections.iter().enumerate() {
        let kind = title(site, n);
        for (r, rec) in c.records.iter().enumerate() {
            let url = if c.config.record_pages {
                format!("/{}/{}/", c.config.name, rec.id)
            } else {
                format!("/{}/#record-{}", c.config.name, rec.id)
            };
            let name = c.title_of(r);
            // The heading, weighted as Pagefind weights an <h1>.
            let mut content = String::from(" ___PAGEFIND_AUTO_WEIGHT___7 ");
            block(&mut content, &escape_html(name));
            content.push_str(" ___END_PAGEFIND_WEIGHT___ ");
            for (f, field) in c.config.fields.iter().enumerate() {
                let items = rec.values[f].items();
                if items.is_empty() || field.name == c.config.title_field {
                    continue;
                }
                let shown: Vec<String> = match field.field_type() {
                    FieldType::Stakeholders => items
                        .iter()
                        .map(|id| {
                            site.config
                                .stakeholder(id)
                                .map_or(id.clone(), |s| s.name.clone())
                        })
                        .collect(),
                    FieldType::Pages => continue,
                    _ => items.to_vec(),
                };
                block(
                    &mut content,
                    &format!(
                        "{}: {}",
                        escape_html(&field.label()),
                        escape_html(&shown.join(", "))
                    ),
                );
            }
            let mut record = CustomRecord {
                url,
                content,
                language: language.to_string(),
                ..Default::default()
            };
            for (key, value) in &filters[k] {
                record
                    .filters
                    .entry(key.clone())
                    .or_default()
                    .push(escape_html(value));
            }
            record.meta.insert("title".into(), escape_html(name));
            record.meta.insert("kind".into(), escape_html(&kind));
            out.push(record);
            k += 1;
        }
    }
    out
}

/// A block of text (a heading or a paragraph) as Pagefind's parser adds it
/// to a page's text: set off by spaces, and ended with a full stop when its
/// last character is one that Pagefind reads as ending a sentence without one.
fn block(out: &mut String, escaped: &str) {
    static ENDS_WITHOUT_STOP: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"[\w'"\)\$\*]"#).expect("a valid pattern"));
    out.push(' ');
    out.push_str(escaped);
    let last = out.chars().next_back().unwrap_or(' ');
    if ENDS_WITHOUT_STOP.is_match(last.encode_utf8(&mut [0; 4])) {
        out.push('.');
    }
    out.push(' ');
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Each record as a small page of its values with its filter and
    /// metadata tags: what the indexer parsed before it was given records'
    /// text directly ([`inputs`] must index as this does).
    pub(crate) fn html_inputs(site: &Site) -> Vec<(String, String, String)> {
        let filters = filters(site);
        let mut out = Vec::new();
        let mut k = 0;
        for (n, c) in site.collections.iter().enumerate() {
            let kind = title(site, n);
            for (r, rec) in c.records.iter().enumerate() {
                let url = if c.config.record_pages {
                    format!("/{}/{}/", c.config.name, rec.id)
                } else {
                    format!("/{}/#record-{}", c.config.name, rec.id)
                };
                let name = c.title_of(r);
                let mut html = format!(
                    "<html><body><main data-pagefind-body><h1>{}</h1>",
                    escape_html(name)
                );
                for (f, field) in c.config.fields.iter().enumerate() {
                    let items = rec.values[f].items();
                    if items.is_empty() || field.name == c.config.title_field {
                        continue;
                    }
                    let shown: Vec<String> = match field.field_type() {
                        FieldType::Stakeholders => items
                            .iter()
                            .map(|id| {
                                site.config
                                    .stakeholder(id)
                                    .map_or(id.clone(), |s| s.name.clone())
                            })
                            .collect(),
                        FieldType::Pages => continue,
                        _ => items.to_vec(),
                    };
                    html.push_str(&format!(
                        "<p>{}: {}</p>",
                        escape_html(&field.label()),
                        escape_html(&shown.join(", "))
                    ));
                }
                html.push_str("</main>");
                let mut tags = String::from("\n<div data-pagefind-ignore>");
                let mut tag = |attr: &str, key: &str, value: &str| {
                    tags.push_str(&format!(
                        "<span {attr}=\"{key}:{}\"></span>",
                        escape_html(value)
                    ));
                };
                for (key, value) in &filters[k] {
                    tag("data-pagefind-filter", key, value);
                }
                tag("data-pagefind-meta", "title", name);
                tag("data-pagefind-meta", "kind", &kind);
                tags.push_str("</div>\n");
                html.push_str("</body></html>");
                out.push((url, html, tags));
                k += 1;
            }
        }
        out
    }
}
