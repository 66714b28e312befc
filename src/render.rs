//! Render stage: Markdown bodies and Tera templates into the site's files.
//!
//! Every output reads the site through [`Reads`], whose accessors record what
//! was read (a page's list entry, its front matter, its Markdown, a related
//! list, a section's order, the site-wide values): the [`Dep`]s kept with
//! each output let `incremental` re-render exactly the outputs an edit
//! affects. Nothing outside `Reads` touches the linked site, so an output
//! cannot read something without it being recorded.

use crate::content::{Commitment, FrontMatter, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::html::escape_html;
use crate::link::{Site, SECTIONS};
use crate::markdown::{self, Rendered};
pub use crate::output::OutputFile;
use crate::theme::{error_chain, Theme};
use rayon::prelude::*;
use serde_json::{json, Value};
use tera::Context;

pub use reads::{entry_fields, Entries, EntryFields};
mod reading;
mod statement;
use reads::{Inputs, Reads};

/// What the render stage hands on: every file, plus what search needs.
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// Per page: its rendered Markdown (search indexing and lints read it).
    pub pages: Vec<Rendered>,
    /// Per file of `files`, in the same order: which output it is and what it read.
    pub outputs: Vec<Recorded>,
}

/// One output of the render stage, by what produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    /// A Markdown page, by index.
    Page(usize),
    /// A section's list when it has no `_index.md`.
    Section(Kind),
    /// The home page when there is no `content/_index.md`.
    Home,
    /// The glossary when there is no `content/glossary.md`.
    Glossary,
    Stakeholders,
    /// One stakeholder type's page, by its place in site.toml.
    Stakeholder(usize),
    Search,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    /// The accessibility statement, with `[accessibility]` in site.toml and
    /// no `content/accessibility.md` of the site's own.
    Accessibility,
}

/// Something an output read while it was rendered. site.toml, the templates,
/// the static files and which content files exist are not recorded: a change
/// to any of them re-renders everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dep {
    /// A page's entry in lists: see [`EntryFields`].
    Entry(usize),
    /// A page's whole front matter.
    Front(usize),
    /// A page's rendered Markdown (its HTML, table of contents, heading ids).
    Body(usize),
    /// A page's first paragraph (a recommendation's text in lists).
    FirstParagraph(usize),
    /// A page's related pages of one kind, in order.
    Related(usize, Kind),
    /// A section's pages, in order.
    Section(Kind),
    /// The pages of one kind tagged with a stakeholder type (by its place in site.toml), in order.
    ByStakeholder(usize, Kind),
    /// The site-wide values every template sees (menu, title, stakeholder types).
    Site,
    /// The search page's filters.
    Facets,
}

/// An output and the inputs it read.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub output: Output,
    /// Sorted, without repeats.
    pub deps: Vec<Dep>,
}

pub fn url(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_path(), path)
}

/// The only access to the linked site that templates' values are made from.
mod reads {
    use super::{Dep, EntryFieldsValue};
    use crate::config::Config;
    use crate::content::{FrontMatter, Kind, Page};
    use crate::link::Site;
    use crate::markdown::Rendered;
    use serde_json::Value;
    use std::cell::RefCell;
    use std::path::Path;
    use std::sync::OnceLock;

    /// What a page shows in lists: the fields [`Dep::Entry`] stands for.
    /// `incremental` compares these to decide whether an entry changed.
    #[derive(Debug, Clone, PartialEq)]
    pub struct EntryFields<'a> {
        pub title: &'a str,
        pub summary: Option<&'a str>,
        pub number: Option<u32>,
        pub series: Option<&'a str>,
    }

    pub fn entry_fields(p: &Page) -> EntryFields<'_> {
        EntryFields {
            title: &p.front.title,
            summary: p.front.summary.as_deref(),
            number: p.front.number,
            series: p.front.series.as_deref(),
        }
    }

    /// Where a page sits: fixed as long as the set of content files is.
    pub(super) struct Place<'a> {
        pub kind: Kind,
        pub slug: &'a str,
        pub content_path: &'a str,
        pub url_path: &'a str,
        pub file: &'a Path,
    }

    /// Each page's list entry as JSON, made when first needed and kept
    /// between renders (while serving) until the page's entry changes.
    pub struct Entries(Vec<OnceLock<Value>>);

    impl Entries {
        pub fn new(pages: usize) -> Self {
            Entries((0..pages).map(|_| OnceLock::new()).collect())
        }

        /// Page `i`'s entry changed: make it again when next needed.
        pub fn forget(&mut self, i: usize) {
            self.0[i] = OnceLock::new();
        }
    }

    /// What one render shares between its outputs.
    pub(super) struct Inputs<'a> {
        site: &'a Site,
        rendered: &'a [Rendered],
        site_value: Value,
        entries: &'a Entries,
        facets: OnceLock<Value>,
    }

    impl<'a> Inputs<'a> {
        pub(super) fn new(
            site: &'a Site,
            rendered: &'a [Rendered],
            site_value: Value,
            entries: &'a Entries,
        ) -> Self {
            Inputs {
                site,
                rendered,
                site_value,
                entries,
                facets: OnceLock::new(),
            }
        }

        /// A fresh record of reads, for one output.
        pub(super) fn reads(&self) -> Reads<'_> {
            Reads {
                inputs: self,
                deps: RefCell::new(Vec::new()),
            }
        }
    }

    pub(super) struct Reads<'a> {
        inputs: &'a Inputs<'a>,
        deps: RefCell<Vec<Dep>>,
    }

    impl<'a> Reads<'a> {
        fn record(&self, dep: Dep) {
            self.deps.borrow_mut().push(dep);
        }

        fn site(&self) -> &'a Site {
            self.inputs.site
        }

        /// What was read, sorted and without repeats.
        pub(super) fn finish(self) -> Vec<Dep> {
            let mut deps = self.deps.into_inner();
            deps.sort_unstable();
            deps.dedup();
            deps
        }

        // Not recorded: site.toml, and where pages sit (a change to either rebuilds everything).

        pub(super) fn config(&self) -> &'a Config {
            &self.site().config
        }

        pub(super) fn page_count(&self) -> usize {
            self.site().pages.len()
        }

        pub(super) fn place(&self, i: usize) -> Place<'a> {
            let p = &self.site().pages[i];
            Place {
                kind: p.kind,
                slug: &p.slug,
                content_path: &p.content_path,
                url_path: &p.url_path,
                file: &p.file,
            }
        }

        /// The page of a `content/`-relative path.
        pub(super) fn page_at(&self, content_path: &str) -> Option<usize> {
            self.site().by_content_path.get(content_path).copied()
        }

        pub(super) fn home(&self) -> Option<usize> {
            self.site().home
        }

        pub(super) fn code_of_conduct(&self) -> Option<usize> {
            self.site().code_of_conduct
        }

        pub(super) fn glossary_page(&self) -> Option<usize> {
            self.site().glossary_page
        }

        pub(super) fn section_index(&self, kind: Kind) -> Option<usize> {
            self.site().section_index.get(&kind).copied()
        }

        /// The date of the last commit that touched page `i`'s file (read
        /// once per full build, like site.toml).
        pub(super) fn git_date(&self, i: usize) -> Option<&'a str> {
            let p = &self.site().pages[i];
            self.site().git_dates.get(&p.content_path)
        }

        // Recorded.

        pub(super) fn site_value(&self) -> Value {
            self.record(Dep::Site);
            self.inputs.site_value.clone()
        }

        pub(super) fn entry_fields(&self, i: usize) -> EntryFields<'a> {
            self.record(Dep::Entry(i));
            entry_fields(&self.site().pages[i])
        }

        /// Page `i`'s entry in lists, as JSON.
        pub(super) fn entry(&self, i: usize) -> Value {
            self.record(Dep::Entry(i));
            self.inputs.entries.0[i]
                .get_or_init(|| {
                    let p = &self.site().pages[i];
                    super::entry_value(EntryFieldsValue {
                        fields: entry_fields(p),
                        url: super::url(self.site(), &p.url_path),
                        kind: p.kind,
                    })
                })
                .clone()
        }

        pub(super) fn front(&self, i: usize) -> &'a FrontMatter {
            self.record(Dep::Front(i));
            &self.site().pages[i].front
        }

        pub(super) fn markdown(&self, i: usize) -> &'a Rendered {
            self.record(Dep::Body(i));
            &self.inputs.rendered[i]
        }

        pub(super) fn first_paragraph(&self, i: usize) -> &'a str {
            self.record(Dep::FirstParagraph(i));
            &self.inputs.rendered[i].first_paragraph
        }

        pub(super) fn related(&self, i: usize, kind: Kind) -> &'a [usize] {
            self.record(Dep::Related(i, kind));
            self.site().related[i].get(&kind).map_or(&[], Vec::as_slice)
        }

        pub(super) fn section(&self, kind: Kind) -> &'a [usize] {
            self.record(Dep::Section(kind));
            self.site().sections.get(&kind).map_or(&[], Vec::as_slice)
        }

        /// Pages of `kind` tagged with the `s`th stakeholder type of site.toml.
        pub(super) fn by_stakeholder(&self, s: usize, kind: Kind) -> &'a [usize] {
            self.record(Dep::ByStakeholder(s, kind));
            let id = &self.site().config.stakeholders[s].id;
            self.site()
                .by_stakeholder
                .get(id)
                .and_then(|kinds| kinds.get(&kind))
                .map_or(&[], Vec::as_slice)
        }

        /// The whole site and every page's Markdown, read as every page's
        /// front matter and body (the accessibility statement lints them all).
        pub(super) fn whole_site(&self) -> (&'a Site, &'a [Rendered]) {
            for i in 0..self.page_count() {
                self.record(Dep::Front(i));
                self.record(Dep::Body(i));
            }
            (self.site(), self.inputs.rendered)
        }

        pub(super) fn facets(&self) -> Value {
            self.record(Dep::Facets);
            self.inputs
                .facets
                .get_or_init(|| super::facets_value(self.site()))
                .clone()
        }
    }
}

/// What [`entry_value`] makes a page's list entry from.
struct EntryFieldsValue<'a> {
    fields: EntryFields<'a>,
    url: String,
    kind: Kind,
}

fn entry_value(e: EntryFieldsValue) -> Value {
    json!({
        "title": e.fields.title,
        "url": e.url,
        "summary": e.fields.summary.unwrap_or_default(),
        "kind": e.kind.label(),
        "number": e.fields.number,
        "series": e.fields.series.unwrap_or_default(),
    })
}

/// The search page's filters, as JSON.
pub fn facets_value(site: &Site) -> Value {
    json!(crate::search::model::facets(site))
}

fn link_list(r: &Reads, pages: &[usize]) -> Value {
    Value::Array(pages.iter().map(|&j| r.entry(j)).collect())
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

/// Site-wide values every template sees, built once per render. Read as
/// [`Dep::Site`]: `incremental` compares the whole value before and after an edit.
pub fn site_value(site: &Site) -> Value {
    let c = &site.config;
    // A section with no pages and no landing page of its own is not offered.
    let mut nav: Vec<Value> = SECTIONS
        .iter()
        .filter(|k| !site.sections[k].is_empty() || site.section_index.contains_key(k))
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
    let mut extra: Vec<&crate::content::Page> = site
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
        // Empty when the site has no accessibility statement.
        "accessibility_url": statement::statement_url(site),
    })
}

fn page_url(r: &Reads, path: &str) -> String {
    format!("{}{}", r.config().base_path(), path)
}

fn breadcrumbs(r: &Reads, i: usize) -> Vec<Value> {
    let p = r.place(i);
    let mut crumbs = vec![json!({"title": "Home", "url": r.config().base_path()})];
    if let Some(k) = p.kind.section() {
        crumbs.push(json!({"title": p.kind.section_title(), "url": page_url(r, &format!("{k}/"))}));
    } else if p.kind == Kind::Page {
        // Parent folders that have an _index.md become crumbs.
        let parts: Vec<&str> = p.content_path.split('/').collect();
        for depth in 1..parts.len() {
            let parent = format!("{}/_index.md", parts[..depth].join("/"));
            if let Some(j) = r.page_at(&parent) {
                crumbs.push(json!({"title": r.entry_fields(j).title, "url": page_url(r, r.place(j).url_path)}));
            }
        }
    }
    crumbs
}

fn stakeholder_refs(r: &Reads, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .filter_map(|id| r.config().stakeholder(id))
        .map(|s| json!({"id": s.id, "name": s.name, "url": page_url(r, &format!("stakeholders/{}/", s.id))}))
        .collect()
}

fn related(r: &Reads, i: usize, kind: Kind) -> Value {
    link_list(r, r.related(i, kind))
}

/// One commitment: its text and what it rests on (pages, or the guide's own advice).
fn commitment_item(r: &Reads, c: &Commitment) -> Value {
    let basis: Vec<Value> = c
        .basis
        .iter()
        .filter_map(|b| r.page_at(&format!("{b}.md")))
        .map(|i| {
            let e = r.entry_fields(i);
            let title = match (r.place(i).kind, e.number) {
                (Kind::Recommendation, Some(n)) => format!("Recommendation {n}: {}", e.title),
                _ => e.title.to_string(),
            };
            json!({"title": title, "url": page_url(r, r.place(i).url_path)})
        })
        .collect();
    json!({
        "text": c.text,
        "basis": basis,
        "guide": c.basis.iter().any(|b| b == crate::content::GUIDE_BASIS),
    })
}

/// Commitments grouped by the stakeholder they bind, numbered within each.
fn commitment_groups(r: &Reads, f: &FrontMatter, only: Option<&str>) -> Vec<Value> {
    r.config()
        .stakeholders
        .iter()
        .filter(|s| only.is_none_or(|o| o == s.id))
        .filter_map(|s| {
            let items: Vec<Value> = f.commitments.iter().filter(|c| c.stakeholder == s.id).map(|c| commitment_item(r, c)).collect();
            (!items.is_empty()).then(|| json!({"stakeholder": {"id": s.id, "name": s.name, "url": page_url(r, &format!("stakeholders/{}/", s.id))}, "items": items}))
        })
        .collect()
}

fn page_value(r: &Reads, i: usize) -> Value {
    let p = r.place(i);
    let f = r.front(i);
    let md = r.markdown(i);
    let permalink = format!("{}{}", r.config().base_url, p.url_path);
    let (previous, next) = reading::previous_next(r, i);
    let mut page = json!({
        "kind": p.kind,
        "kind_label": p.kind.label(),
        "title": f.title,
        "summary": f.summary.clone().unwrap_or_default(),
        "url": page_url(r, p.url_path),
        "permalink": permalink,
        "file": p.file.to_string_lossy(),
        "toc": md.toc,
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
            ("content", Value::String(md.html.clone())),
            ("breadcrumbs", Value::Array(breadcrumbs(r, i))),
            (
                "stakeholders",
                Value::Array(stakeholder_refs(r, &f.stakeholders)),
            ),
            ("principles", related(r, i, Kind::Principle)),
            ("barriers", related(r, i, Kind::Barrier)),
            ("case_studies", related(r, i, Kind::CaseStudy)),
            ("recommendations", related(r, i, Kind::Recommendation)),
            ("commitments", Value::Array(commitment_groups(r, f, None))),
            ("previous", previous),
            ("next", next),
            (
                "updated",
                reading::date_value(reading::updated(r, i).as_deref()),
            ),
            ("changes", reading::changes(r, i)),
            (
                "feedback",
                reading::feedback(r.config(), &f.title, &permalink),
            ),
        ] {
            map.insert(key.to_string(), value);
        }
    }
    page
}

/// A recommendation as the index and stakeholder pages list it.
fn recommendation_entry(r: &Reads, i: usize) -> Value {
    let e = r.entry_fields(i);
    let first = r.first_paragraph(i);
    let text = if first.is_empty() {
        format!("<p>{}</p>", escape_html(e.summary.unwrap_or("")))
    } else {
        first.to_string()
    };
    object([
        ("title", json!(e.title)),
        ("url", Value::String(page_url(r, r.place(i).url_path))),
        ("number", json!(e.number)),
        ("series", json!(e.series)),
        ("text", Value::String(text)),
        ("principles", related(r, i, Kind::Principle)),
        (
            "stakeholders",
            Value::Array(stakeholder_refs(r, &r.front(i).stakeholders)),
        ),
    ])
}

fn template_for(kind: Kind, slug: &str, content_path: &str) -> &'static str {
    match kind {
        Kind::Section if Kind::from_section(slug) == Some(Kind::Recommendation) => {
            "recommendations.html"
        }
        Kind::Page if content_path == "glossary.md" => "glossary.html",
        kind => kind.template(),
    }
}

/// Fills `template` with the site, `page` and `extra`.
fn fill(
    theme: &Theme,
    r: &Reads,
    template: &str,
    page: Value,
    extra: Value,
    file_hint: Option<&std::path::Path>,
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
    map.insert("site".into(), r.site_value());
    map.insert("page".into(), page);
    if let Value::Object(extra) = extra {
        map.extend(extra);
    }
    let ctx = Context::from_value(Value::Object(map)).expect("an object is a context");
    theme
        .tera
        .render_to(template, &ctx, &mut out)
        .map_err(|e| {
            let mut d = Diagnostic::error(format!("template `{template}` failed: {}", error_chain(&e).replace('\n', ": ")))
                .hint("check the variable names the template uses; docs/THEME.md lists every variable each template receives");
            if let Some(file) = file_hint {
                d = d.in_file(file);
            }
            d
        })?;
    // Every rendered file is held until the write stage: keep no slack.
    out.shrink_to_fit();
    Ok(out)
}

/// A page the generator makes without a Markdown file (a section with no `_index.md`, say).
fn generated_page(r: &Reads, title: &str, path: &str, kind_label: &str, summary: &str) -> Value {
    json!({
        "kind": "generated",
        "kind_label": kind_label,
        "title": title,
        "summary": summary,
        "url": page_url(r, path),
        "permalink": format!("{}{}", r.config().base_url, path),
        "content": "",
        "toc": [],
        "source": [],
        "breadcrumbs": [{"title": "Home", "url": r.config().base_path()}],
        "stakeholders": [],
        "principles": [], "barriers": [], "case_studies": [], "recommendations": [], "commitments": [],
        "previous": null, "next": null, "updated": null, "changes": [],
        "feedback": reading::feedback(r.config(), title, &format!("{}{}", r.config().base_url, path)),
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
    let (files, outputs, template_diags) = render_templates(site, theme, &rendered);
    diags.extend(template_diags.0);
    if diags.has_errors() {
        return (None, diags);
    }
    (
        Some(RenderedSite {
            files,
            pages: rendered,
            outputs,
        }),
        diags,
    )
}

/// Every output of the site: the Markdown pages in order, then the pages the
/// generator makes itself.
pub fn outputs(site: &Site) -> Vec<Output> {
    let entries = Entries::new(0);
    let inputs = Inputs::new(site, &[], Value::Null, &entries);
    let r = inputs.reads();
    let mut all: Vec<Output> = (0..site.pages.len()).map(Output::Page).collect();
    all.extend(generated_outputs(&r));
    all
}

fn generated_outputs(r: &Reads) -> Vec<Output> {
    let mut out: Vec<Output> = SECTIONS
        .iter()
        .filter(|k| r.section_index(**k).is_none())
        .map(|k| Output::Section(*k))
        .collect();
    if r.home().is_none() {
        out.push(Output::Home);
    }
    if r.glossary_page().is_none() && !r.config().glossary.is_empty() {
        out.push(Output::Glossary);
    }
    if statement::has_statement(r) {
        out.push(Output::Accessibility);
    }
    out.push(Output::Stakeholders);
    out.extend((0..r.config().stakeholders.len()).map(Output::Stakeholder));
    out.extend([
        Output::Search,
        Output::NotFound,
        Output::Sitemap,
        Output::Atom,
        Output::Robots,
    ]);
    out
}

/// Where a generated output is, below the base: its URL path, or its file.
fn generated_path(r: &Reads, output: Output) -> String {
    match output {
        Output::Page(i) => r.place(i).url_path.to_string(),
        Output::Section(k) => format!("{}/", k.section().unwrap_or_default()),
        Output::Home => String::new(),
        Output::Glossary => "glossary/".into(),
        Output::Stakeholders => "stakeholders/".into(),
        Output::Stakeholder(s) => format!("stakeholders/{}/", r.config().stakeholders[s].id),
        Output::Search => "search/".into(),
        Output::NotFound => "404.html".into(),
        Output::Sitemap => "sitemap.xml".into(),
        Output::Atom => "atom.xml".into(),
        Output::Robots => "robots.txt".into(),
        Output::Accessibility => statement::STATEMENT_PATH.into(),
    }
}

/// Whether an output is an HTML page at a folder URL (`.../index.html`).
fn is_folder(output: Output) -> bool {
    !matches!(
        output,
        Output::NotFound | Output::Sitemap | Output::Atom | Output::Robots
    )
}

/// Fills the templates of every output.
pub fn render_templates(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
) -> (Vec<OutputFile>, Vec<Recorded>, Diagnostics) {
    let all = outputs(site);
    let mut diags = Diagnostics::default();
    let mut files = Vec::with_capacity(all.len());
    let mut recorded = Vec::with_capacity(all.len());
    let entries = Entries::new(site.pages.len());
    for r in render_outputs(site, theme, rendered, site_value(site), &entries, &all) {
        match r {
            Ok((file, rec)) => {
                files.push(file);
                recorded.push(rec);
            }
            Err(d) => diags.push(d),
        }
    }
    (files, recorded, diags)
}

/// Renders `which` outputs, in parallel, each with what it read.
/// `site_value` is [`site_value`] of `site`; `entries` caches its pages' list entries.
pub fn render_outputs(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
    site_value: Value,
    entries: &Entries,
    which: &[Output],
) -> Vec<Result<(OutputFile, Recorded), Diagnostic>> {
    let inputs = Inputs::new(site, rendered, site_value, entries);
    let inputs = &inputs;
    // One at a time per thread: the generated pages (stakeholder pages and the
    // A-Z index list thousands of pages) are spread out among the pages.
    which
        .par_iter()
        .with_max_len(1)
        .map(|&output| {
            let r = inputs.reads();
            let bytes = render_output(theme, &r, output)?;
            let path = if is_folder(output) {
                index_path(&generated_path(&r, output))
            } else {
                generated_path(&r, output)
            };
            Ok((
                OutputFile { path, bytes },
                Recorded {
                    output,
                    deps: r.finish(),
                },
            ))
        })
        .collect()
}

fn sections_value(r: &Reads) -> Vec<Value> {
    SECTIONS
        .iter()
        .filter_map(|k| {
            let path = format!("{}/", k.section().unwrap_or_default());
            let index = r.section_index(*k);
            let count = r.section(*k).len();
            // An empty section without a landing page is not offered.
            if count == 0 && index.is_none() {
                return None;
            }
            let summary = index
                .and_then(|i| r.front(i).summary.clone())
                .unwrap_or_default();
            Some(json!({"title": k.section_title(), "url": page_url(r, &path), "summary": summary, "count": count}))
        })
        .collect()
}

fn recommendation_groups(r: &Reads) -> Vec<Value> {
    r.config()
        .stakeholders
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let recs: Vec<Value> = r
                .by_stakeholder(n, Kind::Recommendation)
                .iter()
                .map(|&i| recommendation_entry(r, i))
                .collect();
            object([
                ("stakeholder", json!({"id": s.id, "name": s.name, "description": s.description, "url": page_url(r, &format!("stakeholders/{}/", s.id))})),
                ("recommendations", Value::Array(recs)),
            ])
        })
        .collect()
}

/// Recommendations addressed to no stakeholder type: listed on their own, never lost.
fn unassigned_recommendations(r: &Reads) -> Vec<Value> {
    r.section(Kind::Recommendation)
        .iter()
        .filter(|&&i| r.front(i).stakeholders.is_empty())
        .map(|&i| recommendation_entry(r, i))
        .collect()
}

fn section_extra(r: &Reads, kind: Option<Kind>) -> Value {
    let pages = link_list(r, kind.map_or(&[], |k| r.section(k)));
    let (groups, unassigned) = if kind == Some(Kind::Recommendation) {
        (recommendation_groups(r), unassigned_recommendations(r))
    } else {
        (vec![], vec![])
    };
    object([
        ("pages", pages),
        ("groups", Value::Array(groups)),
        ("unassigned", Value::Array(unassigned)),
    ])
}

/// Renders one output.
fn render_output(theme: &Theme, r: &Reads, output: Output) -> Result<Vec<u8>, Diagnostic> {
    match output {
        Output::Page(i) => render_page(theme, r, i),
        Output::Section(k) => {
            let path = generated_path(r, output);
            let template = if k == Kind::Recommendation {
                "recommendations.html"
            } else {
                "section.html"
            };
            let page = generated_page(r, k.section_title(), &path, "Section", "");
            fill(theme, r, template, page, section_extra(r, Some(k)), None)
        }
        Output::Home => {
            let c = r.config();
            let page = generated_page(r, &c.title, "", "Home", &c.description);
            let extra = json!({"sections": sections_value(r)});
            fill(theme, r, "home.html", page, extra, None)
        }
        Output::Glossary => {
            let page = generated_page(
                r,
                "Glossary",
                "glossary/",
                "Page",
                "Abbreviations and terms used in this guide.",
            );
            let extra = json!({"terms": r.config().glossary});
            fill(theme, r, "glossary.html", page, extra, None)
        }
        Output::Stakeholders => render_stakeholders(theme, r),
        Output::Stakeholder(s) => render_stakeholder(theme, r, s),
        Output::Search => render_search(theme, r),
        Output::NotFound => {
            let page = generated_page(r, "Page not found", "404.html", "Page", "");
            fill(theme, r, "404.html", page, json!({}), None)
        }
        Output::Sitemap => render_sitemap(theme, r),
        Output::Accessibility => {
            let (page, extra) = statement::statement(r);
            fill(theme, r, "accessibility.html", page, extra, None)
        }
        Output::Atom => render_atom(theme, r),
        Output::Robots => {
            let page = generated_page(r, "", "", "", "");
            let extra = json!({"sitemap_url": format!("{}sitemap.xml", r.config().base_url)});
            fill(theme, r, "robots.txt", page, extra, None)
        }
    }
}

/// A Markdown page.
fn render_page(theme: &Theme, r: &Reads, i: usize) -> Result<Vec<u8>, Diagnostic> {
    let p = r.place(i);
    let template = template_for(p.kind, p.slug, p.content_path);
    let extra = match p.kind {
        Kind::Home => json!({"sections": sections_value(r)}),
        Kind::Section => section_extra(r, Kind::from_section(p.slug)),
        Kind::Page if template == "glossary.html" => json!({"terms": r.config().glossary}),
        _ => json!({}),
    };
    fill(theme, r, template, page_value(r, i), extra, Some(p.file))
}

fn render_stakeholders(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let stakeholder_list: Vec<Value> = r
        .config()
        .stakeholders
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let count = |k: Kind| r.by_stakeholder(n, k).len();
            json!({"id": s.id, "name": s.name, "description": s.description, "url": page_url(r, &format!("stakeholders/{}/", s.id)),
                   "recommendations": count(Kind::Recommendation), "case_studies": count(Kind::CaseStudy)})
        })
        .collect();
    let page = generated_page(r, "What this guide asks of each stakeholder", "stakeholders/", "Section", "Choose the kind of organisation you work for to see the recommendations, case studies and commitments that concern it.");
    fill(
        theme,
        r,
        "stakeholders.html",
        page,
        json!({"stakeholder_list": stakeholder_list}),
        None,
    )
}

fn render_stakeholder(theme: &Theme, r: &Reads, n: usize) -> Result<Vec<u8>, Diagnostic> {
    let s = &r.config().stakeholders[n];
    let path = format!("stakeholders/{}/", s.id);
    let list = |k: Kind| link_list(r, r.by_stakeholder(n, k));
    let recs: Vec<Value> = r
        .by_stakeholder(n, Kind::Recommendation)
        .iter()
        .map(|&i| recommendation_entry(r, i))
        .collect();
    let commitments = r.code_of_conduct().map(|i| {
        let f = r.front(i);
        json!({"url": page_url(r, r.place(i).url_path), "title": f.title, "groups": commitment_groups(r, f, Some(&s.id))})
    });
    let mut page = generated_page(
        r,
        &format!("What this guide asks of {}", lowercase_first(&s.name)),
        &path,
        "Stakeholder type",
        &s.description,
    );
    page["breadcrumbs"] = json!([{"title": "Home", "url": r.config().base_path()}, {"title": "By stakeholder", "url": page_url(r, "stakeholders/")}]);
    let extra = object([
        (
            "stakeholder",
            json!({"id": s.id, "name": s.name, "description": s.description}),
        ),
        ("recommendations", Value::Array(recs)),
        ("case_studies", list(Kind::CaseStudy)),
        ("principles", list(Kind::Principle)),
        ("barriers", list(Kind::Barrier)),
        ("code_of_conduct", commitments.unwrap_or(Value::Null)),
    ]);
    fill(theme, r, "stakeholder.html", page, extra, None)
}

fn render_search(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let mut all_by_kind: Vec<Value> = Vec::new();
    // The A–Z index lists what search indexes, in the same order.
    for k in crate::kind::INDEXED_KINDS {
        let mut items: Vec<usize> = (0..r.page_count())
            .filter(|&i| r.place(i).kind == k)
            .collect();
        items.sort_by_cached_key(|&i| r.entry_fields(i).title.to_lowercase());
        if !items.is_empty() {
            all_by_kind.push(object([
                ("kind", json!(k.label())),
                ("pages", link_list(r, &items)),
            ]));
        }
    }
    let page = generated_page(
        r,
        "Search",
        "search/",
        "Page",
        "Search the guide, or browse every page from A to Z.",
    );
    let extra = object([("index", Value::Array(all_by_kind)), ("facets", r.facets())]);
    fill(theme, r, "search.html", page, extra, None)
}

fn render_sitemap(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let base_url = &r.config().base_url;
    // Each page with the date it last changed (the one it shows), if any.
    let mut urls: Vec<(String, Option<String>)> = (0..r.page_count())
        .map(|i| {
            (
                format!("{base_url}{}", r.place(i).url_path),
                reading::updated(r, i),
            )
        })
        .collect();
    for output in generated_outputs(r) {
        if is_folder(output) {
            urls.push((format!("{base_url}{}", generated_path(r, output)), None));
        }
    }
    urls.sort();
    let page = generated_page(r, "", "", "", "");
    let entries: Vec<Value> = urls
        .iter()
        .map(|(url, lastmod)| json!({"url": url, "lastmod": lastmod}))
        .collect();
    let extra = object([
        (
            "urls",
            Value::Array(urls.into_iter().map(|(u, _)| Value::String(u)).collect()),
        ),
        ("entries", Value::Array(entries)),
    ]);
    fill(theme, r, "sitemap.xml", page, extra, None)
}

fn render_atom(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let base_url = &r.config().base_url;
    let mut entries: Vec<Value> = r
        .section(Kind::CaseStudy)
        .iter()
        .map(|&i| {
            let f = r.front(i);
            json!({"title": f.title, "url": format!("{base_url}{}", r.place(i).url_path),
                   "summary": f.summary.clone().unwrap_or_default(),
                   "updated": atom_date(reading::updated(r, i).as_deref().or(f.date.as_deref()))})
        })
        .collect();
    entries.sort_by(|a, b| {
        b["updated"]
            .as_str()
            .cmp(&a["updated"].as_str())
            .then(a["title"].as_str().cmp(&b["title"].as_str()))
    });
    let updated = entries
        .first()
        .map(|e| e["updated"].clone())
        .unwrap_or(json!(atom_date(None)));
    let page = generated_page(r, "", "", "", "");
    let extra = object([("entries", Value::Array(entries)), ("updated", updated)]);
    fill(theme, r, "atom.xml", page, extra, None)
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
