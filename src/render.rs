//! Render stage: Markdown bodies and Tera templates into the site's files.

use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::html::escape_html;
use crate::link::{Site, SECTIONS};
use crate::markdown::{self, Rendered};
pub use crate::output::OutputFile;
use crate::theme::{error_chain, Theme};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tera::Context;

/// What the render stage hands on: every file, plus what search needs.
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// Per page: its rendered Markdown (search indexing and lints read it).
    pub pages: Vec<Rendered>,
}

#[derive(Serialize, Clone)]
struct LinkItem {
    title: String,
    url: String,
    summary: String,
    kind: &'static str,
    number: Option<u32>,
    series: String,
}

pub fn url(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_path(), path)
}

fn link_item(site: &Site, i: usize) -> LinkItem {
    let p = &site.pages[i];
    LinkItem {
        title: p.front.title.clone(),
        url: url(site, &p.url_path),
        summary: p.front.summary.clone().unwrap_or_default(),
        kind: p.kind.label(),
        number: p.front.number,
        series: p.front.series.clone().unwrap_or_default(),
    }
}

/// Every page's [`LinkItem`] as JSON, made once: lists clone these rather
/// than building and serializing thousands of items for every page that lists them.
/// Each page's entry in lists, made when first needed: re-rendering one page
/// while serving needs a handful, not one per page of the site.
struct Links<'a> {
    site: &'a Site,
    values: Vec<OnceLock<Value>>,
}

impl<'a> Links<'a> {
    fn new(site: &'a Site) -> Self {
        Links {
            site,
            values: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    fn get(&self, i: usize) -> &Value {
        self.values[i].get_or_init(|| {
            serde_json::to_value(link_item(self.site, i)).expect("a link item is JSON")
        })
    }
}

fn link_list(links: &Links, pages: &[usize]) -> Value {
    Value::Array(pages.iter().map(|&j| links.get(j).clone()).collect())
}

/// An object of values that are JSON already. `json!` serializes a copy of
/// every value it is given (a page's HTML, lists of thousands of links, the
/// feed's every entry); these move in.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Site-wide values every template sees, built once.
fn site_value(site: &Site) -> Value {
    let c = &site.config;
    let mut nav: Vec<Value> = SECTIONS
        .iter()
        .map(|k| {
            let section = k.section().unwrap_or_default();
            json!({"title": k.section_title(), "url": url(site, &format!("{section}/"))})
        })
        .collect();
    nav.push(json!({"title": "By stakeholder", "url": url(site, "stakeholders/")}));
    if let Some(i) = site.code_of_conduct {
        nav.push(
            json!({"title": site.pages[i].front.title, "url": url(site, &site.pages[i].url_path)}),
        );
    }
    let mut extra: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == Kind::Page && p.front.nav)
        .collect();
    extra.sort_by_key(|p| (p.front.weight.unwrap_or(i64::MAX), p.front.title.clone()));
    nav.extend(
        extra
            .iter()
            .map(|p| json!({"title": p.front.title, "url": url(site, &p.url_path)})),
    );
    let stakeholders: Vec<Value> = c
        .stakeholders
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name, "description": s.description, "url": url(site, &format!("stakeholders/{}/", s.id))}))
        .collect();
    json!({
        "title": c.title,
        "description": c.description,
        "base_url": c.base_url,
        "base_path": c.base_path(),
        "language": c.language,
        "nav": nav,
        "stakeholders": stakeholders,
        "home_url": c.base_path(),
        "search_url": url(site, "search/"),
        // Empty when the site has no glossary, so that no page links to one.
        "glossary_url": if site.glossary_page.is_some() || !c.glossary.is_empty() {
            url(site, "glossary/")
        } else {
            String::new()
        },
        "feed_url": url(site, "atom.xml"),
    })
}

fn breadcrumbs(site: &Site, p: &Page) -> Vec<Value> {
    let mut crumbs = vec![json!({"title": "Home", "url": site.config.base_path()})];
    if let Some(k) = p.kind.section() {
        crumbs.push(json!({"title": p.kind.section_title(), "url": url(site, &format!("{k}/"))}));
    } else if p.kind == Kind::Page {
        // Parent folders that have an _index.md become crumbs.
        let parts: Vec<&str> = p.content_path.split('/').collect();
        for depth in 1..parts.len() {
            let parent = format!("{}/_index.md", parts[..depth].join("/"));
            if let Some(&i) = site.by_content_path.get(&parent) {
                crumbs.push(json!({"title": site.pages[i].front.title, "url": url(site, &site.pages[i].url_path)}));
            }
        }
    }
    crumbs
}

fn stakeholder_refs(site: &Site, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .filter_map(|id| site.config.stakeholder(id))
        .map(|s| json!({"id": s.id, "name": s.name, "url": url(site, &format!("stakeholders/{}/", s.id))}))
        .collect()
}

fn related(site: &Site, links: &Links, i: usize, kind: Kind) -> Value {
    link_list(links, site.related[i].get(&kind).map_or(&[], Vec::as_slice))
}

/// One commitment: its text and what it rests on (pages, or the guide's own advice).
fn commitment_item(site: &Site, c: &crate::content::Commitment) -> Value {
    let basis: Vec<Value> = c
        .basis
        .iter()
        .filter_map(|b| site.by_content_path.get(&format!("{b}.md")))
        .map(|&i| {
            let p = &site.pages[i];
            let title = match (p.kind, p.front.number) {
                (Kind::Recommendation, Some(n)) => format!("Recommendation {n}: {}", p.front.title),
                _ => p.front.title.clone(),
            };
            json!({"title": title, "url": url(site, &p.url_path)})
        })
        .collect();
    json!({
        "text": c.text,
        "basis": basis,
        "guide": c.basis.iter().any(|b| b == crate::content::GUIDE_BASIS),
    })
}

/// Commitments grouped by the stakeholder they bind, numbered within each.
fn commitment_groups(site: &Site, p: &Page, only: Option<&str>) -> Vec<Value> {
    site.config
        .stakeholders
        .iter()
        .filter(|s| only.is_none_or(|o| o == s.id))
        .filter_map(|s| {
            let items: Vec<Value> = p.front.commitments.iter().filter(|c| c.stakeholder == s.id).map(|c| commitment_item(site, c)).collect();
            (!items.is_empty()).then(|| json!({"stakeholder": {"id": s.id, "name": s.name, "url": url(site, &format!("stakeholders/{}/", s.id))}, "items": items}))
        })
        .collect()
}

fn page_value(site: &Site, links: &Links, i: usize, r: &Rendered) -> Value {
    let p = &site.pages[i];
    let f = &p.front;
    let permalink = format!("{}{}", site.config.base_url, p.url_path);
    let mut page = json!({
        "kind": p.kind,
        "kind_label": p.kind.label(),
        "title": f.title,
        "summary": f.summary.clone().unwrap_or_default(),
        "url": url(site, &p.url_path),
        "permalink": permalink,
        "file": p.file.to_string_lossy(),
        "toc": r.toc,
        "source": f.source,
        "number": f.number,
        "series": f.series,
        "group": f.group,
        "place": f.place,
        "years": f.years,
        "date": f.date,
        "themes": f.themes,
        "organisations": f.organisations,
    });
    if let Value::Object(map) = &mut page {
        for (key, value) in [
            ("content", Value::String(r.html.clone())),
            ("breadcrumbs", Value::Array(breadcrumbs(site, p))),
            (
                "stakeholders",
                Value::Array(stakeholder_refs(site, &f.stakeholders)),
            ),
            ("principles", related(site, links, i, Kind::Principle)),
            ("barriers", related(site, links, i, Kind::Barrier)),
            ("case_studies", related(site, links, i, Kind::CaseStudy)),
            (
                "recommendations",
                related(site, links, i, Kind::Recommendation),
            ),
            (
                "commitments",
                Value::Array(commitment_groups(site, p, None)),
            ),
        ] {
            map.insert(key.to_string(), value);
        }
    }
    page
}

/// A recommendation as the index and stakeholder pages list it.
fn recommendation_entry(site: &Site, links: &Links, i: usize, rendered: &[Rendered]) -> Value {
    let p = &site.pages[i];
    let text = if rendered[i].first_paragraph.is_empty() {
        format!(
            "<p>{}</p>",
            escape_html(p.front.summary.as_deref().unwrap_or(""))
        )
    } else {
        rendered[i].first_paragraph.clone()
    };
    object([
        ("title", json!(p.front.title)),
        ("url", Value::String(url(site, &p.url_path))),
        ("number", json!(p.front.number)),
        ("series", json!(p.front.series)),
        ("text", Value::String(text)),
        ("principles", related(site, links, i, Kind::Principle)),
        (
            "stakeholders",
            Value::Array(stakeholder_refs(site, &p.front.stakeholders)),
        ),
    ])
}

fn template_for(p: &Page) -> &'static str {
    match p.kind {
        Kind::Section if Kind::from_section(&p.slug) == Some(Kind::Recommendation) => {
            "recommendations.html"
        }
        Kind::Page if p.content_path == "glossary.md" => "glossary.html",
        kind => kind.template(),
    }
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    site_value: Value,
}

impl Renderer<'_> {
    fn render(
        &self,
        template: &str,
        page: Value,
        extra: Value,
        file_hint: Option<&Page>,
    ) -> Result<Vec<u8>, Diagnostic> {
        // Room for the page's HTML plus the theme around it, so the buffer
        // rarely grows (Tera's own starts at 2 kB and doubles).
        let content_len = page
            .get("content")
            .and_then(Value::as_str)
            .map_or(0, str::len);
        let mut out = Vec::with_capacity(content_len + 8192);
        // Values move into the context: `Context::insert` would serialize a
        // second copy of each (a page's whole HTML, a section's every link).
        let mut map = serde_json::Map::new();
        map.insert("site".into(), self.site_value.clone());
        map.insert("page".into(), page);
        if let Value::Object(extra) = extra {
            map.extend(extra);
        }
        let ctx = Context::from_value(Value::Object(map)).expect("an object is a context");
        self.theme
            .tera
            .render_to(template, &ctx, &mut out)
            .map_err(|e| {
            let mut d = Diagnostic::error(format!("template `{template}` failed: {}", error_chain(&e).replace('\n', ": ")))
                .hint("check the variable names the template uses; see README for the context each template receives");
            if let Some(p) = file_hint {
                d = d.in_file(&p.file);
            }
            d
        })?;
        // Every rendered file is held until the write stage: keep no slack.
        out.shrink_to_fit();
        Ok(out)
    }
}

/// A page the generator makes without a Markdown file (a section with no `_index.md`, say).
fn generated_page(site: &Site, title: &str, path: &str, kind_label: &str, summary: &str) -> Value {
    json!({
        "kind": "generated",
        "kind_label": kind_label,
        "title": title,
        "summary": summary,
        "url": url(site, path),
        "permalink": format!("{}{}", site.config.base_url, path),
        "content": "",
        "toc": [],
        "source": [],
        "breadcrumbs": [{"title": "Home", "url": site.config.base_path()}],
        "stakeholders": [],
        "principles": [], "barriers": [], "case_studies": [], "recommendations": [], "commitments": [],
    })
}

fn index_path(url_path: &str) -> String {
    format!("{url_path}index.html")
}

/// Every page's Markdown, in parallel, with every problem found.
pub fn render_markdown(site: &Site) -> (Vec<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| markdown::render_page(site, i))
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    for (r, d) in results {
        diags.extend(d);
        rendered.push(r);
    }
    (rendered, diags)
}

pub fn render(site: &Site, theme: &Theme) -> (Option<RenderedSite>, Diagnostics) {
    let (rendered, mut diags) = render_markdown(site);
    if diags.has_errors() {
        return (None, diags);
    }
    let (files, template_diags) = render_templates(site, theme, &rendered, None);
    diags.extend(template_diags.0);
    if diags.has_errors() {
        return (None, diags);
    }
    (
        Some(RenderedSite {
            files,
            pages: rendered,
        }),
        diags,
    )
}

/// Which pages a quick rebuild while serving re-renders.
pub struct Subset {
    /// Markdown pages, by index.
    pub pages: std::collections::HashSet<usize>,
    /// Whether the generated pages (indexes, stakeholder pages, feeds) are needed too.
    pub generated: bool,
}

/// Fills the templates: every Markdown page (or only those in `only`, for a
/// quick rebuild while serving) plus the pages the generator makes itself.
pub fn render_templates(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
    only: Option<&Subset>,
) -> (Vec<OutputFile>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let renderer = Renderer {
        site,
        theme,
        site_value: site_value(site),
    };
    let links = Links::new(site);
    let links = &links;

    let sections_value = |r: &Renderer| -> Vec<Value> {
        SECTIONS
            .iter()
            .map(|k| {
                let path = format!("{}/", k.section().unwrap_or_default());
                let summary = site.section_index.get(k).and_then(|&i| site.pages[i].front.summary.clone()).unwrap_or_default();
                json!({"title": k.section_title(), "url": url(r.site, &path), "summary": summary, "count": site.sections[k].len()})
            })
            .collect()
    };
    let recommendation_groups = || -> Vec<Value> {
        site.config
            .stakeholders
            .iter()
            .map(|s| {
                let recs: Vec<Value> = site.by_stakeholder[&s.id]
                    .get(&Kind::Recommendation)
                    .map(|v| v.iter().map(|&i| recommendation_entry(site, links, i, rendered)).collect())
                    .unwrap_or_default();
                object([
                    ("stakeholder", json!({"id": s.id, "name": s.name, "description": s.description, "url": url(site, &format!("stakeholders/{}/", s.id))})),
                    ("recommendations", Value::Array(recs)),
                ])
            })
            .collect()
    };
    // Recommendations addressed to no stakeholder type: listed on their own, never lost.
    let unassigned_recommendations = || -> Vec<Value> {
        site.sections[&Kind::Recommendation]
            .iter()
            .filter(|&&i| site.pages[i].front.stakeholders.is_empty())
            .map(|&i| recommendation_entry(site, links, i, rendered))
            .collect()
    };

    // Every Markdown page, in parallel.
    let render_pages = || -> Vec<Result<OutputFile, Diagnostic>> {
        (0..site.pages.len())
            .into_par_iter()
            .filter(|i| only.is_none_or(|subset| subset.pages.contains(i)))
            .map(|i| {
                let p = &site.pages[i];
                let template = template_for(p);
                let mut extra = json!({});
                match p.kind {
                    Kind::Home => extra = json!({"sections": sections_value(&renderer)}),
                    Kind::Section => {
                        let pages = link_list(
                            links,
                            Kind::from_section(&p.slug)
                                .and_then(|k| site.sections.get(&k))
                                .map_or(&[], Vec::as_slice),
                        );
                        let (groups, unassigned) = if template == "recommendations.html" {
                            (recommendation_groups(), unassigned_recommendations())
                        } else {
                            (vec![], vec![])
                        };
                        extra = object([
                            ("pages", pages),
                            ("groups", Value::Array(groups)),
                            ("unassigned", Value::Array(unassigned)),
                        ]);
                    }
                    Kind::Page if template == "glossary.html" => {
                        extra = json!({"terms": site.config.glossary})
                    }
                    _ => {}
                }
                let html = renderer.render(
                    template,
                    page_value(site, links, i, &rendered[i]),
                    extra,
                    Some(p),
                )?;
                Ok(OutputFile {
                    path: index_path(&p.url_path),
                    bytes: html,
                })
            })
            .collect()
    };

    // Pages the generator makes itself, in parallel too.
    let render_generated = || -> Vec<Result<OutputFile, Diagnostic>> {
        if only.is_some_and(|subset| !subset.generated) {
            return vec![];
        }
        let mut generated: Vec<(String, &str, Value, Value)> = Vec::new();
        for k in SECTIONS {
            if !site.section_index.contains_key(k) {
                let section = k.section().unwrap_or_default();
                let path = format!("{section}/");
                let pages = link_list(links, &site.sections[k]);
                let template = if *k == Kind::Recommendation {
                    "recommendations.html"
                } else {
                    "section.html"
                };
                let (groups, unassigned) = if *k == Kind::Recommendation {
                    (recommendation_groups(), unassigned_recommendations())
                } else {
                    (vec![], vec![])
                };
                generated.push((
                    index_path(&path),
                    template,
                    generated_page(site, k.section_title(), &path, "Section", ""),
                    object([
                        ("pages", pages),
                        ("groups", Value::Array(groups)),
                        ("unassigned", Value::Array(unassigned)),
                    ]),
                ));
            }
        }
        if site.home.is_none() {
            generated.push((
                "index.html".into(),
                "home.html",
                generated_page(
                    site,
                    &site.config.title,
                    "",
                    "Home",
                    &site.config.description,
                ),
                json!({"sections": sections_value(&renderer)}),
            ));
        }
        if site.glossary_page.is_none() && !site.config.glossary.is_empty() {
            generated.push((
                index_path("glossary/"),
                "glossary.html",
                generated_page(
                    site,
                    "Glossary",
                    "glossary/",
                    "Page",
                    "Abbreviations and terms used in this guide.",
                ),
                json!({"terms": site.config.glossary}),
            ));
        }
        let stakeholder_list: Vec<Value> = site
            .config
            .stakeholders
            .iter()
            .map(|s| {
                let kinds = &site.by_stakeholder[&s.id];
                let count = |k: Kind| kinds.get(&k).map_or(0, Vec::len);
                json!({"id": s.id, "name": s.name, "description": s.description, "url": url(site, &format!("stakeholders/{}/", s.id)),
                       "recommendations": count(Kind::Recommendation), "case_studies": count(Kind::CaseStudy)})
            })
            .collect();
        generated.push((
            index_path("stakeholders/"),
            "stakeholders.html",
            generated_page(site, "What this guide asks of each stakeholder", "stakeholders/", "Section", "Choose the kind of organisation you work for to see the recommendations, case studies and commitments that concern it."),
            json!({"stakeholder_list": stakeholder_list}),
        ));
        for s in &site.config.stakeholders {
            let path = format!("stakeholders/{}/", s.id);
            let kinds = &site.by_stakeholder[&s.id];
            let list = |k: Kind| link_list(links, kinds.get(&k).map_or(&[], Vec::as_slice));
            let recs: Vec<Value> = kinds
                .get(&Kind::Recommendation)
                .map(|v| {
                    v.iter()
                        .map(|&i| recommendation_entry(site, links, i, rendered))
                        .collect()
                })
                .unwrap_or_default();
            let commitments = site
                .code_of_conduct
                .map(|i| json!({"url": url(site, &site.pages[i].url_path), "title": site.pages[i].front.title, "groups": commitment_groups(site, &site.pages[i], Some(&s.id))}));
            let mut page = generated_page(
                site,
                &format!("What this guide asks of {}", lowercase_first(&s.name)),
                &path,
                "Stakeholder type",
                &s.description,
            );
            page["breadcrumbs"] = json!([{"title": "Home", "url": site.config.base_path()}, {"title": "By stakeholder", "url": url(site, "stakeholders/")}]);
            generated.push((
                index_path(&path),
                "stakeholder.html",
                page,
                object([
                    (
                        "stakeholder",
                        json!({"id": s.id, "name": s.name, "description": s.description}),
                    ),
                    ("recommendations", Value::Array(recs)),
                    ("case_studies", list(Kind::CaseStudy)),
                    ("principles", list(Kind::Principle)),
                    ("barriers", list(Kind::Barrier)),
                    ("code_of_conduct", commitments.unwrap_or(Value::Null)),
                ]),
            ));
        }
        let mut all_by_kind: Vec<Value> = Vec::new();
        // The A–Z index lists what search indexes, in the same order.
        for k in crate::kind::INDEXED_KINDS {
            let mut items: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].kind == k)
                .collect();
            items.sort_by_cached_key(|&i| site.pages[i].front.title.to_lowercase());
            if !items.is_empty() {
                all_by_kind.push(object([
                    ("kind", json!(k.label())),
                    ("pages", link_list(links, &items)),
                ]));
            }
        }
        generated.push((
            index_path("search/"),
            "search.html",
            generated_page(
                site,
                "Search",
                "search/",
                "Page",
                "Search the guide, or browse every page from A to Z.",
            ),
            object([
                ("index", Value::Array(all_by_kind)),
                ("facets", json!(crate::search::model::facets(site))),
            ]),
        ));
        generated.push((
            "404.html".into(),
            "404.html",
            generated_page(site, "Page not found", "404.html", "Page", ""),
            json!({}),
        ));

        let mut sitemap_urls: Vec<String> = site
            .pages
            .iter()
            .map(|p| format!("{}{}", site.config.base_url, p.url_path))
            .collect();
        for (path, _, page, _) in &generated {
            if path.ends_with("index.html") {
                if let Some(permalink) = page["permalink"].as_str() {
                    sitemap_urls.push(permalink.to_string());
                }
            }
        }
        sitemap_urls.sort();
        let mut feed_entries: Vec<Value> = site.sections[&Kind::CaseStudy]
            .iter()
            .map(|&i| {
                let p = &site.pages[i];
                json!({"title": p.front.title, "url": format!("{}{}", site.config.base_url, p.url_path),
                       "summary": p.front.summary.clone().unwrap_or_default(),
                       "updated": atom_date(p.front.date.as_deref())})
            })
            .collect();
        feed_entries.sort_by(|a, b| {
            b["updated"]
                .as_str()
                .cmp(&a["updated"].as_str())
                .then(a["title"].as_str().cmp(&b["title"].as_str()))
        });
        let feed_updated = feed_entries
            .first()
            .map(|e| e["updated"].clone())
            .unwrap_or(json!(atom_date(None)));
        let empty = generated_page(site, "", "", "", "");
        generated.push((
            "sitemap.xml".into(),
            "sitemap.xml",
            empty.clone(),
            object([(
                "urls",
                Value::Array(sitemap_urls.into_iter().map(Value::String).collect()),
            )]),
        ));
        generated.push((
            "atom.xml".into(),
            "atom.xml",
            empty.clone(),
            object([
                ("entries", Value::Array(feed_entries)),
                ("updated", feed_updated),
            ]),
        ));
        generated.push((
            "robots.txt".into(),
            "robots.txt",
            empty,
            json!({"sitemap_url": format!("{}sitemap.xml", site.config.base_url)}),
        ));
        generated
            .into_par_iter()
            .map(|(path, template, page, extra)| {
                let bytes = renderer.render(template, page, extra, None)?;
                Ok(OutputFile { path, bytes })
            })
            .collect()
    };

    // Both at once: the generated pages (stakeholder pages and the A-Z index list
    // thousands of pages) would otherwise be a long tail on one core after the pages.
    let (page_results, generated_results) = rayon::join(render_pages, render_generated);
    let mut files = Vec::with_capacity(page_results.len() + 16);
    for r in page_results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    for r in generated_results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

fn lowercase_first(s: &str) -> String {
    // "Funders" -> "funders", but keep acronyms such as "BME organisations".
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

/// RFC 3339 timestamp for a `date` (checked to be `YYYY-MM-DD` at load); pages
/// without one sort last.
fn atom_date(date: Option<&str>) -> String {
    match date {
        Some(d) => format!("{d}T00:00:00Z"),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}
