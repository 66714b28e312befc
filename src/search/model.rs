//! What readers filter search results by: the kinds indexed and each page's
//! filter values. The render stage reads this (the search page's form, the
//! A–Z list); the indexer in the parent module writes it into the index.

use crate::content::Page;
use crate::kind::{Kind, INDEXED_KINDS};
use crate::link::Site;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// One filter the search page offers: a form control named `key`.
#[derive(Debug, PartialEq, Serialize)]
pub struct Facet {
    /// The filter's name in the index, and the URL parameter.
    pub key: Cow<'static, str>,
    /// The form control's label.
    pub label: Cow<'static, str>,
    /// The label of the "no filter" choice.
    pub any: Cow<'static, str>,
    pub options: Vec<FacetOption>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct FacetOption {
    pub value: String,
    pub label: String,
}

/// The filters the search page offers, each with only the values some page has.
pub fn facets(site: &Site) -> Vec<Facet> {
    let mut used: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for i in indexed_pages(site) {
        for (key, value) in page_filters(site, i) {
            used.entry(key).or_default().insert(value);
        }
    }
    let records = super::records::filters(site);
    for (key, value) in records.iter().flat_map(|r| r.iter()) {
        used.entry(key.as_str()).or_default().insert(value.clone());
    }
    let has = |key: &str, value: &str| used.get(key).is_some_and(|s| s.contains(value));
    let mut kinds: Vec<FacetOption> = INDEXED_KINDS
        .iter()
        .filter(|k| has("kind", Kind::value(**k)))
        .map(|k| FacetOption {
            value: Kind::value(*k).into(),
            label: site.language.kind_label(*k).into(),
        })
        .collect();
    kinds.extend(super::records::kind_options(site, &has));
    let stakeholders = site
        .config
        .stakeholders
        .iter()
        .filter(|s| has("stakeholder", &s.id))
        .map(|s| FacetOption {
            value: s.id.clone(),
            label: s.name.clone(),
        })
        .collect();
    let mut barriers: Vec<FacetOption> = site.sections[&Kind::Barrier]
        .iter()
        .map(|&i| &site.pages[i])
        .filter(|p| has("barrier", &p.slug))
        .map(|p| FacetOption {
            value: p.slug.clone(),
            label: p.front.title.clone(),
        })
        .collect();
    // Ties by value: the filters do not depend on the order of the pages,
    // so an edit that only moves a page keeps them (see `facets_may_change`).
    barriers.sort_by(|a, b| {
        (a.label.to_lowercase(), &a.value).cmp(&(b.label.to_lowercase(), &b.value))
    });
    // One option per theme value; of the ways pages spell it, the first in
    // alphabetical order names it.
    let mut themes: BTreeMap<String, String> = BTreeMap::new();
    for &i in &site.sections[&Kind::CaseStudy] {
        for t in &site.pages[i].front.themes {
            let label = upper_first(t.trim());
            match themes.entry(theme_value(t)) {
                Entry::Vacant(e) => {
                    e.insert(label);
                }
                Entry::Occupied(mut e) if label < *e.get() => {
                    e.insert(label);
                }
                Entry::Occupied(_) => {}
            }
        }
    }
    let mut themes: Vec<FacetOption> = themes
        .into_iter()
        .map(|(value, label)| FacetOption { value, label })
        .collect();
    themes.sort_by_key(|o| o.label.to_lowercase());
    let words = |key: &str| -> Cow<'static, str> { site.language.word(key).to_string().into() };
    let mut out = vec![
        Facet {
            key: "kind".into(),
            label: words("filter_kind"),
            any: words("filter_kind_any"),
            options: kinds,
        },
        Facet {
            key: "stakeholder".into(),
            label: words("filter_stakeholder"),
            any: words("filter_stakeholder_any"),
            options: stakeholders,
        },
        Facet {
            key: "barrier".into(),
            label: words("filter_barrier"),
            any: words("filter_barrier_any"),
            options: barriers,
        },
        Facet {
            key: "theme".into(),
            label: words("filter_theme"),
            any: words("filter_theme_any"),
            options: themes,
        },
    ];
    out.extend(super::records::facets(site, &has));
    out.retain(|f| !f.options.is_empty());
    out
}

/// Whether editing a page from `old` to `new` can change [`facets`], when
/// the edit keeps the site's links (`link::same_links`: same kind, same
/// stakeholder types, same related barriers). The filters read besides those
/// only the themes, the barriers' titles and those of landing pages (a
/// collection's `_index.md` names its kind), and not the order of the pages.
pub(crate) fn facets_may_change(old: &Page, new: &Page) -> bool {
    old.front.themes != new.front.themes
        || (matches!(new.kind, Kind::Barrier | Kind::Section) && old.front.title != new.front.title)
}

fn theme_value(theme: &str) -> String {
    slug::slugify(theme)
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Indices of the pages the index holds.
pub(crate) fn indexed_pages(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| INDEXED_KINDS.contains(&p.kind))
        .map(|(i, _)| i)
}

/// A page's filter values: its kind; the stakeholder types it concerns (as the
/// stakeholder pages list them); for case studies, the barriers and themes.
pub fn page_filters(site: &Site, i: usize) -> Vec<(&'static str, String)> {
    let p = &site.pages[i];
    let mut out = vec![("kind", Kind::value(p.kind).to_string())];
    // In id order, each once, only those declared (as link files them).
    let tags: BTreeSet<&str> = crate::link::stakeholder_tags(p).collect();
    for id in tags {
        if site.by_stakeholder.contains_key(id) {
            out.push(("stakeholder", id.to_string()));
        }
    }
    if p.kind == Kind::CaseStudy {
        if let Some(barriers) = site.related[i].get(&Kind::Barrier) {
            for &b in barriers {
                out.push(("barrier", site.pages[b].slug.clone()));
            }
        }
        let themes: BTreeSet<String> = p.front.themes.iter().map(|t| theme_value(t)).collect();
        out.extend(themes.into_iter().map(|t| ("theme", t)));
    }
    out
}
