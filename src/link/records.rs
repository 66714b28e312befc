//! The link stage's pass over data collections: each record's `pages` fields
//! must name pages, each case study's `organisations` item with an `id` must
//! name a record of the `organisations` collection, and each record is told
//! the pages that mention it. Collections and pages must not take each
//! other's URLs.

use super::Site;
use crate::config::FieldType;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use std::collections::{BTreeSet, HashMap};

/// The collection that case studies' `organisations` ids name.
pub(crate) const ORGANISATIONS: &str = "organisations";

/// Collection `n`'s title: site.toml's `title`, its `_index.md`'s, or its
/// name with a capital first letter.
pub(crate) fn title(site: &Site, n: usize) -> String {
    let c = &site.collections[n];
    if let Some(t) = c.config.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    if let Some(Some(i)) = site.collection_index.get(n) {
        return site.pages[*i].front.title.clone();
    }
    name_as_title(&c.config.name)
}

/// A collection's name as a title: hyphens as spaces, a capital first letter.
pub(crate) fn name_as_title(name: &str) -> String {
    let name = name.replace('-', " ");
    let mut ch = name.chars();
    ch.next()
        .map(|f| f.to_uppercase().chain(ch).collect())
        .unwrap_or_default()
}

/// The page a `pages` value names: a path in content/ without `.md`, or a
/// page's slug when only one page has it.
pub(crate) fn page_named(site: &Site, slugs: &HashMap<&str, Vec<usize>>, v: &str) -> Option<usize> {
    let v = v.trim().trim_matches('/');
    let v = v.strip_suffix(".md").unwrap_or(v);
    if let Some(&i) = site.by_content_path.get(&format!("{v}.md")) {
        return Some(i);
    }
    if let Some(&i) = site.by_content_path.get(&format!("{v}/_index.md")) {
        return Some(i);
    }
    match slugs.get(v).map(Vec::as_slice) {
        Some([one]) => Some(*one),
        _ => None,
    }
}

/// Resolves every collection's references; fills `site.mentions`.
pub(crate) fn link(site: &mut Site, rank: &[usize], diags: &mut Diagnostics) {
    let mut slugs: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        if !p.content_path.ends_with("_index.md") {
            slugs.entry(p.slug.as_str()).or_default().push(i);
        }
    }
    let mut mentions: Vec<Vec<BTreeSet<usize>>> = site
        .collections
        .iter()
        .map(|c| vec![BTreeSet::new(); c.records.len()])
        .collect();
    let mut known: Option<Vec<&str>> = None;
    for (n, c) in site.collections.iter().enumerate() {
        for (r, rec) in c.records.iter().enumerate() {
            for (f, field) in c.config.fields.iter().enumerate() {
                if field.field_type() != FieldType::Pages {
                    continue;
                }
                for v in rec.values[f].items() {
                    match page_named(site, &slugs, v) {
                        Some(i) => {
                            mentions[n][r].insert(i);
                        }
                        None if site.failed.contains(&format!("{v}.md")) => {}
                        None => {
                            let known = known.get_or_insert_with(|| {
                                let mut k: Vec<&str> = site
                                    .by_content_path
                                    .keys()
                                    .map(|k| k.trim_end_matches(".md"))
                                    .collect();
                                k.sort_unstable();
                                k
                            });
                            diags.push(
                                c.error_at(r, Some(f), format!("there is no page `{v}`"))
                                    .hint(format!(
                                        "{} (write a page's path in content/ without `.md`, e.g. `case-studies/give-get-exercise`)",
                                        did_you_mean(v, known)
                                    )),
                            );
                        }
                    }
                }
            }
        }
    }
    // Case studies (and any page) naming an organisation's record by id.
    let orgs = site
        .collections
        .iter()
        .position(|c| c.config.name == ORGANISATIONS);
    for (i, p) in site.pages.iter().enumerate() {
        for o in &p.front.organisations {
            let Some(id) = o.id.as_deref() else { continue };
            match orgs.and_then(|n| Some((n, *site.collections[n].by_id.get(id)?))) {
                Some((n, r)) => {
                    mentions[n][r].insert(i);
                }
                None => {
                    let hint = match orgs {
                        Some(n) => {
                            let ids: Vec<&str> = site.collections[n]
                                .records
                                .iter()
                                .map(|r| r.id.as_str())
                                .collect();
                            format!(
                                "{} (an id names a record of data/organisations.yaml or .csv)",
                                did_you_mean(id, &ids)
                            )
                        }
                        None => "an organisation's `id` names a record of the `organisations` collection: declare it with a [[collections]] table (name = \"organisations\") in site.toml and list the records in data/organisations.yaml, or remove the `id`".into(),
                    };
                    diags.push(
                        p.error_at(
                            "organisations",
                            Some(id),
                            format!("`organisations` names the record `{id}`, but there is no such organisation"),
                        )
                        .hint(hint),
                    );
                }
            }
        }
    }
    site.mentions = mentions
        .into_iter()
        .map(|records| {
            records
                .into_iter()
                .map(|set| {
                    let mut v: Vec<usize> = set.into_iter().collect();
                    v.sort_by_key(|&j| rank[j]);
                    v
                })
                .collect()
        })
        .collect();
    check_urls(site, diags);
}

/// A collection's listing at /<name>/ (where only content/<name>/_index.md
/// may be), and its record pages, take URLs no page may have.
fn check_urls(site: &mut Site, diags: &mut Diagnostics) {
    let by_url: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url_path.as_str(), i))
        .collect();
    let mut index = vec![None; site.collections.len()];
    for (n, c) in site.collections.iter().enumerate() {
        let listing = format!("{}/", c.config.name);
        if let Some(&i) = by_url.get(listing.as_str()) {
            let p = &site.pages[i];
            if p.content_path == format!("{}/_index.md", c.config.name) {
                index[n] = Some(i);
            } else {
                diags.push(
                    Diagnostic::error(format!(
                        "/{listing} is the page of the collection `{}`; {} cannot take it",
                        c.config.name,
                        p.file.display()
                    ))
                    .in_file(&p.file)
                    .at(1, 0)
                    .hint(format!(
                        "rename the file, or put the listing's introduction in content/{}/_index.md",
                        c.config.name
                    )),
                );
            }
        }
        if c.config.record_pages {
            for (r, rec) in c.records.iter().enumerate() {
                let path = format!("{}/{}/", c.config.name, rec.id);
                if let Some(&i) = by_url.get(path.as_str()) {
                    diags.push(
                        c.error_at(
                            r,
                            None,
                            format!(
                                "the record's page /{path} is also the URL of {}",
                                site.pages[i].file.display()
                            ),
                        )
                        .hint("rename the page, or give the record another id"),
                    );
                }
            }
        }
    }
    site.collection_index = index;
}
