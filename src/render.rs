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
pub(crate) use crate::output::OutputFile;
use crate::theme::{error_chain, Theme};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

mod context;
mod i18n;
mod reading;
mod refill;
mod statement;
pub(crate) use context::SiteContext;
use context::*;

pub(crate) use reads::{date_fields, entry_fields, ListCache};
use reads::{Inputs, Reads};

mod collection;
mod print;
mod tool;
use tool::ToolExtra;

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
    /// The whole guide on one page, `/print/`.
    Print,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    /// The accessibility statement, with `[accessibility]` in site.toml and
    /// no `content/accessibility.md` of the site's own.
    Accessibility,
    /// A data collection's listing, when it has no `content/<name>/_index.md`.
    Collection(usize),
    /// A record's page: (collection, record).
    Record(usize, usize),
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
    /// A page's dates: see [`DateFields`].
    Dates(usize),
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
    /// The pages that mention each record of a collection.
    Mentions(usize),
}

/// An output and the inputs it read.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub output: Output,
    /// Sorted, without repeats.
    pub deps: Vec<Dep>,
}

pub(crate) fn url(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_path(), path)
}

/// The only access to the linked site that templates' values are made from.
mod reads {
    use super::context::{ListEntry, SiteContext};
    use super::Dep;
    use crate::config::Config;
    use crate::content::{FrontMatter, Kind, Page};
    use crate::link::Site;
    use crate::markdown::Rendered;
    use crate::search::model::Facet;
    use serde_json::Value;
    use std::cell::RefCell;
    use std::path::Path;
    use std::sync::OnceLock;

    /// What a page shows in lists: the fields [`Dep::Entry`] stands for.
    /// `incremental` compares these to decide whether an entry changed.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct EntryFields<'a> {
        pub title: &'a str,
        pub summary: Option<&'a str>,
        pub number: Option<u32>,
        pub series: Option<&'a str>,
    }

    pub(crate) fn entry_fields(p: &Page) -> EntryFields<'_> {
        EntryFields {
            title: &p.front.title,
            summary: p.front.summary.as_deref(),
            number: p.front.number,
            series: p.front.series.as_deref(),
        }
    }

    /// When a page was written and changed: the fields [`Dep::Dates`] stands
    /// for (the sitemap and the news feed read them of every page).
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct DateFields<'a> {
        pub date: Option<&'a str>,
        pub updated: Option<&'a str>,
        pub changes: &'a [crate::content::Change],
    }

    pub(crate) fn date_fields(p: &Page) -> DateFields<'_> {
        DateFields {
            date: p.front.date.as_deref(),
            updated: p.front.updated.as_deref(),
            changes: &p.front.changes,
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

    /// What lists are made of, each part made when first needed and kept
    /// between renders (while serving) until an edit changes it: each page's
    /// list entry, and the search page's filters.
    pub(crate) struct ListCache {
        entries: Vec<OnceLock<ListEntry>>,
        facets: OnceLock<Vec<Facet>>,
    }

    impl ListCache {
        pub(crate) fn new(pages: usize) -> Self {
            ListCache {
                entries: (0..pages).map(|_| OnceLock::new()).collect(),
                facets: OnceLock::new(),
            }
        }

        /// Page `i`'s entry changed: make it again when next needed.
        pub(crate) fn forget(&mut self, i: usize) {
            self.entries[i] = OnceLock::new();
        }

        /// The filters as they are now, if they were made.
        pub(crate) fn take_facets(&mut self) -> Option<Vec<Facet>> {
            self.facets.take()
        }

        /// The filters, made when they were not (with `site` as it is now).
        pub(crate) fn facets(&self, site: &Site) -> &[Facet] {
            self.facets
                .get_or_init(|| crate::search::model::facets(site))
        }

        pub(crate) fn set_facets(&mut self, facets: Vec<Facet>) {
            self.facets = OnceLock::from(facets);
        }
    }

    /// What one render shares between its outputs.
    pub(super) struct Inputs<'a> {
        site: &'a Site,
        rendered: &'a [Rendered],
        site_context: &'a SiteContext,
        cache: &'a ListCache,
    }

    impl<'a> Inputs<'a> {
        pub(super) fn new(
            site: &'a Site,
            rendered: &'a [Rendered],
            site_context: &'a SiteContext,
            cache: &'a ListCache,
        ) -> Self {
            Inputs {
                site,
                rendered,
                site_context,
                cache,
            }
        }

        /// A fresh record of reads, for one output.
        pub(super) fn reads(&self) -> Reads<'_> {
            Reads {
                inputs: self,
                deps: RefCell::new(Vec::new()),
                context: None,
            }
        }

        /// Like [`Inputs::reads`], for an output whose template context is
        /// kept after rendering; `context` is the one of its last render, if
        /// kept, filled again in place (see [`super::refill`]).
        pub(super) fn reads_keeping(&self, context: Option<Value>) -> Reads<'_> {
            Reads {
                inputs: self,
                deps: RefCell::new(Vec::new()),
                context: Some(RefCell::new(context)),
            }
        }
    }

    pub(super) struct Reads<'a> {
        inputs: &'a Inputs<'a>,
        deps: RefCell<Vec<Dep>>,
        /// Some when the output's template context is kept: None in it
        /// until there is one.
        context: Option<RefCell<Option<Value>>>,
    }

    impl<'a> Reads<'a> {
        /// The kept template context, if any: to fill again (see
        /// [`super::fill`]), or once rendered, to keep for the next render.
        pub(super) fn take_context(&self) -> Option<Value> {
            self.context.as_ref().and_then(|c| c.borrow_mut().take())
        }

        /// Whether this output's template context is kept after rendering.
        pub(super) fn keeps_context(&self) -> bool {
            self.context.is_some()
        }

        /// Keeps the template context just rendered, when this output keeps
        /// one; otherwise drops it.
        pub(super) fn keep_context(&self, value: Value) {
            if let Some(c) = &self.context {
                *c.borrow_mut() = Some(value);
            }
        }

        fn record(&self, dep: Dep) {
            self.deps.borrow_mut().push(dep);
        }

        fn site(&self) -> &'a Site {
            self.inputs.site
        }

        /// The inputs this record reads from: an output made of other
        /// outputs renders them in parallel, each with reads of its own,
        /// and [`Reads::absorb`]s what they read.
        pub(super) fn inputs(&self) -> &'a Inputs<'a> {
            self.inputs
        }

        pub(super) fn absorb(&self, deps: Vec<Dep>) {
            self.deps.borrow_mut().extend(deps);
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

        /// Which language the site is (fixed, like site.toml).
        pub(super) fn language(&self) -> &'a crate::language::SiteLanguage {
            &self.site().language
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

        /// The whole site and every page's Markdown, read as every page's
        /// front matter and body (the accessibility statement lints them all).
        pub(super) fn whole_site(&self) -> (&'a Site, &'a [Rendered]) {
            for i in 0..self.page_count() {
                self.record(Dep::Front(i));
                self.record(Dep::Body(i));
            }
            (self.site(), self.inputs.rendered)
        }

        // Recorded.

        pub(super) fn site_context(&self) -> &'a SiteContext {
            self.record(Dep::Site);
            self.inputs.site_context
        }

        pub(super) fn entry_fields(&self, i: usize) -> EntryFields<'a> {
            self.record(Dep::Entry(i));
            entry_fields(&self.site().pages[i])
        }

        /// Page `i`'s entry in lists.
        pub(super) fn entry(&self, i: usize) -> ListEntry {
            self.record(Dep::Entry(i));
            self.inputs.cache.entries[i]
                .get_or_init(|| super::list_entry(self.site(), &self.site().pages[i]))
                .clone()
        }

        pub(super) fn dates(&self, i: usize) -> DateFields<'a> {
            self.record(Dep::Dates(i));
            date_fields(&self.site().pages[i])
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

        /// The data collections (changed only with site.toml or a data file,
        /// which rebuild everything: not recorded).
        pub(super) fn collections(&self) -> &'a [crate::collections::Collection] {
            &self.site().collections
        }

        /// The page rendering collection `n`'s listing (its `_index.md`).
        pub(super) fn collection_index(&self, n: usize) -> Option<usize> {
            self.site().collection_index.get(n).copied().flatten()
        }

        /// The pages that mention record `rec` of collection `n`.
        pub(super) fn mentions(&self, n: usize, rec: usize) -> &'a [usize] {
            self.record(Dep::Mentions(n));
            self.site().mentions[n][rec].as_slice()
        }

        /// Whether page `i` is a collection's `_index.md`, and which.
        pub(super) fn collection_of(&self, i: usize) -> Option<usize> {
            self.site()
                .collection_index
                .iter()
                .position(|&x| x == Some(i))
        }

        pub(super) fn facets(&self) -> &'a [Facet] {
            self.record(Dep::Facets);
            self.inputs.cache.facets(self.site())
        }
    }
}

/// Page `p`'s entry in lists.
fn list_entry(site: &Site, p: &crate::content::Page) -> ListEntry {
    let e = entry_fields(p);
    let fallback = fallback_language(&site.language, &p.url_path);
    ListEntry {
        title: e.title.to_string(),
        url: url(site, &p.url_path),
        summary: e.summary.unwrap_or_default().to_string(),
        kind: p.kind.label(),
        kind_label: site.language.kind_label(p.kind).to_string(),
        lang: fallback.map_or(String::new(), |l| l.code.clone()),
        dir: fallback.map_or("", |l| l.dir()),
        number: e.number,
        series: e.series.unwrap_or_default().to_string(),
    }
}

/// The main language, when the page at `url_path` is not yet translated
/// into `language` and is shown in the main language: lists give its title
/// that language's `lang` and `dir`.
fn fallback_language<'a>(
    language: &'a crate::language::SiteLanguage,
    url_path: &str,
) -> Option<&'a crate::language::Lang> {
    language
        .all
        .as_deref()
        .filter(|_| language.untranslated.contains(url_path))
        .map(|all| &all.langs[0])
}

fn link_list(r: &Reads, pages: &[usize]) -> Vec<ListEntry> {
    pages.iter().map(|&j| r.entry(j)).collect()
}

fn stakeholder(site: &Site, s: &crate::config::Stakeholder) -> Stakeholder {
    Stakeholder {
        id: s.id.clone(),
        name: s.name.clone(),
        description: s.description.clone(),
        url: url(site, &format!("stakeholders/{}/", s.id)),
    }
}

fn link(title: &str, url: String) -> Link {
    Link {
        title: title.to_string(),
        url,
    }
}

/// Site-wide values every template sees, built once per render. Read as
/// [`Dep::Site`]: `incremental` compares the whole value before and after an edit.
pub(crate) fn site_context(site: &Site) -> SiteContext {
    let c = &site.config;
    // A section with no pages and no landing page of its own is not offered.
    let mut nav: Vec<Link> = SECTIONS
        .iter()
        .filter(|k| !site.sections[k].is_empty() || site.section_index.contains_key(k))
        .map(|k| {
            let section = k.section().unwrap_or_default();
            link(
                site.language.section_title(*k),
                url(site, &format!("{section}/")),
            )
        })
        .collect();
    nav.extend(collection::nav_entries(site));
    nav.push(link(
        site.language.word("by_stakeholder"),
        url(site, "stakeholders/"),
    ));
    if let Some(i) = site.code_of_conduct {
        let p = &site.pages[i];
        nav.push(link(&p.front.title, url(site, &p.url_path)));
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
            .map(|p| link(&p.front.title, url(site, &p.url_path))),
    );
    SiteContext {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.clone(),
        language: c.language.clone(),
        nav,
        stakeholders: c
            .stakeholders
            .iter()
            .map(|s| stakeholder(site, s))
            .collect(),
        home_url: c.base_path().to_string(),
        search_url: url(site, "search/"),
        glossary_url: if site.glossary_page.is_some() || !c.glossary.is_empty() {
            url(site, "glossary/")
        } else {
            String::new()
        },
        feed_url: url(site, "atom.xml"),
        offline: c.offline,
        print_url: if c.writes_print(site.pages.len()) {
            url(site, "print/")
        } else {
            String::new()
        },
        accessibility_url: statement::statement_url(site),
        base_path: site.root_path(),
        dir: if site
            .language
            .lang()
            .map_or_else(|| crate::config::rtl_by_default(&c.language), |l| l.rtl)
        {
            "rtl"
        } else {
            "ltr"
        },
        languages: site
            .language
            .all
            .iter()
            .flat_map(|all| {
                all.langs.iter().enumerate().map(|(j, l)| LanguageLink {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    dir: l.dir(),
                    url: format!("{}{}", all.root_path, l.prefix),
                    current: j == site.language.current,
                })
            })
            .collect(),
    }
}

fn page_url(r: &Reads, path: &str) -> String {
    format!("{}{}", r.config().base_path(), path)
}

fn home_crumb(r: &Reads) -> Link {
    link(
        r.language().word("home"),
        r.config().base_path().to_string(),
    )
}

fn breadcrumbs(r: &Reads, i: usize) -> Vec<Link> {
    let p = r.place(i);
    let mut crumbs = vec![home_crumb(r)];
    if let Some(k) = p.kind.section() {
        crumbs.push(link(
            r.language().section_title(p.kind),
            page_url(r, &format!("{k}/")),
        ));
    } else if p.kind == Kind::Page {
        // Parent folders that have an _index.md become crumbs.
        let parts: Vec<&str> = p.content_path.split('/').collect();
        for depth in 1..parts.len() {
            let parent = format!("{}/_index.md", parts[..depth].join("/"));
            if let Some(j) = r.page_at(&parent) {
                crumbs.push(link(
                    r.entry_fields(j).title,
                    page_url(r, r.place(j).url_path),
                ));
            }
        }
    }
    crumbs
}

fn stakeholder_ref(r: &Reads, s: &crate::config::Stakeholder) -> StakeholderRef {
    StakeholderRef {
        id: s.id.clone(),
        name: s.name.clone(),
        url: page_url(r, &format!("stakeholders/{}/", s.id)),
    }
}

fn stakeholder_refs(r: &Reads, ids: &[String]) -> Vec<StakeholderRef> {
    ids.iter()
        .filter_map(|id| r.config().stakeholder(id))
        .map(|s| stakeholder_ref(r, s))
        .collect()
}

fn related(r: &Reads, i: usize, kind: Kind) -> Vec<ListEntry> {
    link_list(r, r.related(i, kind))
}

/// One commitment: its text and what it rests on (pages, or the guide's own advice).
fn commitment_item(r: &Reads, c: &Commitment) -> CommitmentItem {
    let basis = c
        .basis
        .iter()
        .filter_map(|b| r.page_at(&format!("{b}.md")))
        .map(|i| {
            let e = r.entry_fields(i);
            let title = match (r.place(i).kind, e.number) {
                (Kind::Recommendation, Some(n)) => format!(
                    "{}: {}",
                    r.language()
                        .fill("recommendation_number", &[("number", &n.to_string())]),
                    e.title
                ),
                _ => e.title.to_string(),
            };
            Link {
                title,
                url: page_url(r, r.place(i).url_path),
            }
        })
        .collect();
    CommitmentItem {
        text: c.text.clone(),
        basis,
        guide: c.basis.iter().any(|b| b == crate::content::GUIDE_BASIS),
    }
}

/// Commitments grouped by the stakeholder they bind, numbered within each.
fn commitment_groups(r: &Reads, f: &FrontMatter, only: Option<&str>) -> Vec<CommitmentGroup> {
    r.config()
        .stakeholders
        .iter()
        .filter(|s| only.is_none_or(|o| o == s.id))
        .filter_map(|s| {
            let items: Vec<CommitmentItem> = f
                .commitments
                .iter()
                .filter(|c| c.stakeholder == s.id)
                .map(|c| commitment_item(r, c))
                .collect();
            (!items.is_empty()).then(|| CommitmentGroup {
                stakeholder: stakeholder_ref(r, s),
                items,
            })
        })
        .collect()
}

/// A Markdown page's context.
fn page_context<'a>(r: &Reads<'a>, i: usize) -> PageContext<'a> {
    let p = r.place(i);
    let f = r.front(i);
    let md = r.markdown(i);
    let (previous, next) = reading::previous_next(r, i);
    let permalink = format!("{}{}", r.config().base_url, p.url_path);
    PageContext {
        kind: PageKind::Content(p.kind),
        kind_label: r.language().kind_label(p.kind),
        title: &f.title,
        summary: f.summary.as_deref().unwrap_or_default(),
        url: page_url(r, p.url_path),
        feedback: reading::feedback(r.config(), r.language(), &f.title, &permalink),
        permalink,
        file: p.file.to_string_lossy().into_owned(),
        content: &md.html,
        toc: &md.toc,
        source: &f.source,
        number: f.number,
        series: f.series.as_deref(),
        group: f.group.as_deref(),
        place: f.place.as_deref(),
        years: f.years.as_deref(),
        date: f.date.as_deref(),
        themes: &f.themes,
        organisations: collection::organisations(r, &f.organisations),
        breadcrumbs: breadcrumbs(r, i),
        stakeholders: stakeholder_refs(r, &f.stakeholders),
        principles: related(r, i, Kind::Principle),
        barriers: related(r, i, Kind::Barrier),
        case_studies: related(r, i, Kind::CaseStudy),
        recommendations: related(r, i, Kind::Recommendation),
        tools: related(r, i, Kind::Tool),
        commitments: commitment_groups(r, f, None),
        previous,
        next,
        updated: reading::date_value(r, reading::updated(r, i).as_deref()),
        changes: reading::changes(r, i),
        languages: vec![],
        alternates: vec![],
        untranslated: None,
    }
}

/// A page the generator makes without a Markdown file (a section with no `_index.md`, say).
fn generated_page<'a>(
    r: &Reads,
    title: &'a str,
    path: &str,
    kind_label: &'a str,
    summary: &'a str,
) -> PageContext<'a> {
    PageContext {
        kind: PageKind::Generated,
        kind_label,
        title,
        summary,
        url: page_url(r, path),
        permalink: format!("{}{}", r.config().base_url, path),
        feedback: reading::feedback(
            r.config(),
            r.language(),
            title,
            &format!("{}{}", r.config().base_url, path),
        ),
        file: String::new(),
        content: "",
        toc: &[],
        source: &[],
        number: None,
        series: None,
        group: None,
        place: None,
        years: None,
        date: None,
        themes: &[],
        organisations: vec![],
        breadcrumbs: vec![home_crumb(r)],
        stakeholders: vec![],
        principles: vec![],
        barriers: vec![],
        case_studies: vec![],
        recommendations: vec![],
        tools: vec![],
        commitments: vec![],
        previous: None,
        next: None,
        updated: None,
        changes: vec![],
        languages: vec![],
        alternates: vec![],
        untranslated: None,
    }
}

/// A recommendation as the index and stakeholder pages list it.
fn recommendation_item(r: &Reads, i: usize) -> RecommendationItem {
    let e = r.entry_fields(i);
    let first = r.first_paragraph(i);
    let text = if first.is_empty() {
        format!("<p>{}</p>", escape_html(e.summary.unwrap_or("")))
    } else {
        first.to_string()
    };
    let fallback = fallback_language(r.language(), r.place(i).url_path);
    RecommendationItem {
        title: e.title.to_string(),
        lang: fallback.map_or(String::new(), |l| l.code.clone()),
        dir: fallback.map_or("", |l| l.dir()),
        url: page_url(r, r.place(i).url_path),
        number: e.number,
        series: e.series.map(str::to_string),
        text,
        principles: related(r, i, Kind::Principle),
        stakeholders: stakeholder_refs(r, &r.front(i).stakeholders),
    }
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

/// Fills `template` with the site, `page` and the template's own values.
fn fill<E: Serialize>(
    theme: &Theme,
    r: &Reads,
    template: &str,
    page: PageContext,
    extra: E,
    file_hint: Option<&std::path::Path>,
) -> Result<Vec<u8>, Diagnostic> {
    // Room for the page's HTML plus the theme around it, so the buffer
    // rarely grows (Tera's own starts at 2 kB and doubles).
    let mut out = Vec::with_capacity(page.content.len() + 8192);
    let mut page = page;
    i18n::localise(r, &mut page, template);
    let context = TemplateContext {
        site: r.site_context(),
        page,
        extra,
    };
    let failed = |e: &tera::Error| {
        let mut d = Diagnostic::error(format!("template `{template}` failed: {}", error_chain(e).replace('\n', ": ")))
            .hint("check the variable names the template uses; docs/THEME.md lists every variable each template receives");
        if let Some(file) = file_hint {
            d = d.in_file(file);
        }
        d
    };
    // Filled in place when the output kept its context from its last render.
    let ctx = match r.take_context() {
        Some(mut value) => refill::refill(&mut value, &context)
            .map_err(tera::Error::json)
            .and_then(|()| Context::from_value(value)),
        None => Context::from_serialize(&context),
    }
    .map_err(|e| failed(&e))?;
    theme
        .tera
        .render_to(template, &ctx, &mut out)
        .map_err(|e| failed(&e))?;
    if r.keeps_context() {
        r.keep_context(ctx.into_json());
    }
    // Every rendered file is held until the write stage: keep no slack.
    out.shrink_to_fit();
    Ok(out)
}

fn index_path(url_path: &str) -> String {
    format!("{url_path}index.html")
}

/// Every page's Markdown, in parallel, with every problem found.
pub(crate) fn render_markdown(site: &Site) -> (Vec<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut rendered = Vec::with_capacity(site.pages.len());
    render_markdown_of(site, 0..site.pages.len(), &mut rendered, &mut diags);
    (rendered, diags)
}

/// The Markdown of the pages in `range`, in parallel, added in order to
/// `rendered`, their problems to `diags`.
fn render_markdown_of(
    site: &Site,
    range: std::ops::Range<usize>,
    rendered: &mut Vec<Rendered>,
    diags: &mut Diagnostics,
) {
    let results: Vec<(Rendered, Vec<Diagnostic>)> = range
        .into_par_iter()
        .map(|i| markdown::render_page(site, i))
        .collect();
    for (r, d) in results {
        diags.extend(d);
        rendered.push(r);
    }
}

/// Pages whose Markdown [`render_markdown_releasing`] renders at a time.
const MARKDOWN_CHUNK: usize = 2048;

/// As [`render_markdown`], letting go of each page's file text once its
/// Markdown is rendered, a chunk of pages at a time: the build then never
/// holds every page's text and every page's HTML at once (at 100,000 pages,
/// a gigabyte of each). Only for a build in which nothing reads a page's
/// text afterwards.
pub(crate) fn render_markdown_releasing(site: &mut Site) -> (Vec<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut rendered = Vec::with_capacity(site.pages.len());
    let mut start = 0;
    while start < site.pages.len() {
        let end = (start + MARKDOWN_CHUNK).min(site.pages.len());
        render_markdown_of(site, start..end, &mut rendered, &mut diags);
        for page in &mut site.pages[start..end] {
            page.release_text();
        }
        start = end;
    }
    (rendered, diags)
}

pub(crate) fn render(site: &Site, theme: &Theme) -> (Option<RenderedSite>, Diagnostics) {
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
pub(crate) fn outputs(site: &Site) -> Vec<Output> {
    let cache = ListCache::new(0);
    let site_context = SiteContext::default();
    let inputs = Inputs::new(site, &[], &site_context, &cache);
    let r = inputs.reads();
    let mut all: Vec<Output> = (0..site.pages.len()).map(Output::Page).collect();
    all.extend(generated_outputs(&r));
    all
}

fn generated_outputs(r: &Reads) -> Vec<Output> {
    let mut out: Vec<Output> = SECTIONS
        .iter()
        .filter(|k| r.section_index(**k).is_none())
        .filter(|k| !k.section_only_when_used() || !r.section(**k).is_empty())
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
    out.extend(collection::outputs(r));
    out.push(Output::Search);
    if r.config().writes_print(r.page_count()) {
        out.push(Output::Print);
    }
    out.extend([
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
        Output::Print => "print/".into(),
        Output::NotFound => "404.html".into(),
        Output::Sitemap => "sitemap.xml".into(),
        Output::Atom => "atom.xml".into(),
        Output::Robots => "robots.txt".into(),
        Output::Accessibility => statement::STATEMENT_PATH.into(),
        Output::Collection(n) => collection::listing_path(&r.collections()[n]),
        Output::Record(n, rec) => {
            let c = &r.collections()[n];
            format!("{}/{}/", c.config.name, c.records[rec].id)
        }
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
pub(crate) fn render_templates(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
) -> (Vec<OutputFile>, Vec<Recorded>, Diagnostics) {
    let all = outputs(site);
    let mut diags = Diagnostics::default();
    let mut files = Vec::with_capacity(all.len());
    let mut recorded = Vec::with_capacity(all.len());
    let cache = ListCache::new(site.pages.len());
    for r in render_outputs(site, theme, rendered, &site_context(site), &cache, &all) {
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

/// Outputs rendered at a time by [`FileStream`]: enough to keep every core
/// busy, few enough that a chunk's HTML stays small.
const STREAM_CHUNK: usize = 512;

/// Outputs in a chunk that holds a generated list. Each list renders on one
/// core (a collection's listing of 10,000 records takes half a second), and
/// a chunk ends only when all its outputs are made: with 512, the other cores
/// sat idle behind the list; with this many, its pages keep them busy.
const LIST_CHUNK: usize = 8192;

/// Where the chunk of outputs that starts at `begin` ends.
fn chunk_end(outputs: &[Output], begin: usize) -> usize {
    let end = (begin + STREAM_CHUNK).min(outputs.len());
    let has_list = outputs[begin..end]
        .iter()
        .any(|o| !matches!(o, Output::Page(_) | Output::Record(..)));
    if has_list {
        (begin + LIST_CHUNK).min(outputs.len())
    } else {
        end
    }
}

/// Every output of the site, in [`outputs`] order, rendered a chunk at a time
/// as the files are taken: a build writes (and indexes) each chunk and drops
/// it, so it never holds the whole site's HTML. The files are those of
/// [`render_templates`]; its problems go to `log`, and the time spent
/// rendering is added there too. Once the last file is made, the pages'
/// Markdown and the lists' parts are dropped: the indexer's work that follows
/// needs the memory.
pub(crate) struct FileStream<'a> {
    site: &'a Site,
    theme: &'a Theme,
    rendered: Vec<Rendered>,
    site_context: SiteContext,
    cache: ListCache,
    outputs: Vec<Output>,
    /// Whether an output other than a page's own reads pages' bodies (/print/
    /// and the accessibility statement do). If none does, each page's HTML
    /// is dropped once its page is made: at 100,000 pages that is a
    /// gigabyte the build no longer holds while the search index grows.
    keep_bodies: bool,
    next: usize,
    chunk: std::vec::IntoIter<OutputFile>,
    log: &'a mut StreamLog,
}

/// What a [`FileStream`] reports once it has been read.
#[derive(Default)]
pub(crate) struct StreamLog {
    pub(crate) diags: Diagnostics,
    pub(crate) time: std::time::Duration,
}

impl<'a> FileStream<'a> {
    pub(crate) fn new(
        site: &'a Site,
        theme: &'a Theme,
        rendered: Vec<Rendered>,
        log: &'a mut StreamLog,
    ) -> Self {
        let outputs = outputs(site);
        let keep_bodies = outputs
            .iter()
            .any(|o| matches!(o, Output::Print | Output::Accessibility));
        FileStream {
            site,
            theme,
            rendered,
            site_context: site_context(site),
            cache: ListCache::new(site.pages.len()),
            outputs,
            keep_bodies,
            next: 0,
            chunk: Vec::new().into_iter(),
            log,
        }
    }
}

impl Iterator for FileStream<'_> {
    type Item = OutputFile;

    fn next(&mut self) -> Option<OutputFile> {
        loop {
            if let Some(file) = self.chunk.next() {
                return Some(file);
            }
            if self.next == self.outputs.len() {
                self.rendered = Vec::new();
                self.cache = ListCache::new(0);
                return None;
            }
            let start = std::time::Instant::now();
            let begin = self.next;
            let end = chunk_end(&self.outputs, begin);
            let which = &self.outputs[begin..end];
            self.next = end;
            let mut files = Vec::with_capacity(which.len());
            for r in render_outputs(
                self.site,
                self.theme,
                &self.rendered,
                &self.site_context,
                &self.cache,
                which,
            ) {
                match r {
                    Ok((file, _)) => files.push(file),
                    Err(d) => self.log.diags.push(d),
                }
            }
            if !self.keep_bodies {
                for output in &self.outputs[begin..end] {
                    if let Output::Page(i) = *output {
                        self.rendered[i].release_body();
                    }
                }
            }
            self.chunk = files.into_iter();
            self.log.time += start.elapsed();
        }
    }
}

/// Renders `which` outputs, in parallel, each with what it read.
/// `site_context` is [`site_context`] of `site`; `cache` keeps what lists are made of.
pub(crate) fn render_outputs(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
    site_context: &SiteContext,
    cache: &ListCache,
    which: &[Output],
) -> Vec<Result<(OutputFile, Recorded), Diagnostic>> {
    let inputs = Inputs::new(site, rendered, site_context, cache);
    let jobs: Vec<_> = which.iter().map(|&o| (o, None)).collect();
    render_each(theme, &inputs, jobs)
        .into_iter()
        .map(|r| r.map(|(file, rec, _)| (file, rec)))
        .collect()
}

/// An output's template context, as Tera reads it, kept between renders.
pub(crate) type KeptContext = serde_json::Value;

/// A rendered output, with what it read and its template context if kept.
pub(crate) type RenderedOutput = Result<(OutputFile, Recorded, Option<KeptContext>), Diagnostic>;

/// Like [`render_outputs`], keeping each output's template context: each
/// of `which` comes with the context of its last render if it was kept
/// (filled again in place, much quicker than making it anew for outputs
/// that list thousands of pages), and is returned with its new one.
pub(crate) fn render_outputs_keeping(
    site: &Site,
    theme: &Theme,
    rendered: &[Rendered],
    site_context: &SiteContext,
    cache: &ListCache,
    which: Vec<(Output, Option<KeptContext>)>,
) -> Vec<RenderedOutput> {
    let inputs = Inputs::new(site, rendered, site_context, cache);
    let jobs = which.into_iter().map(|(o, c)| (o, Some(c))).collect();
    render_each(theme, &inputs, jobs)
}

/// Renders each output in parallel; one with `Some` context keeps it.
fn render_each(
    theme: &Theme,
    inputs: &Inputs,
    jobs: Vec<(Output, Option<Option<KeptContext>>)>,
) -> Vec<RenderedOutput> {
    // One at a time per thread: the generated pages (stakeholder pages and the
    // A-Z index list thousands of pages) are spread out among the pages.
    jobs.into_par_iter()
        .with_max_len(1)
        .map(|(output, context)| {
            let r = match context {
                Some(kept) => inputs.reads_keeping(kept),
                None => inputs.reads(),
            };
            let bytes = render_output(theme, &r, output)?;
            let path = if is_folder(output) {
                index_path(&generated_path(&r, output))
            } else {
                generated_path(&r, output)
            };
            let context = r.take_context();
            Ok((
                OutputFile { path, bytes },
                Recorded {
                    output,
                    deps: r.finish(),
                },
                context,
            ))
        })
        .collect()
}

fn sections(r: &Reads) -> Vec<SectionCard> {
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
            Some(SectionCard {
                title: r.language().section_title(*k).to_string(),
                url: page_url(r, &path),
                summary,
                count,
            })
        })
        .collect()
}

fn recommendation_groups(r: &Reads) -> Vec<RecommendationGroup> {
    r.config()
        .stakeholders
        .iter()
        .enumerate()
        .map(|(n, s)| RecommendationGroup {
            stakeholder: Stakeholder {
                id: s.id.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                url: page_url(r, &format!("stakeholders/{}/", s.id)),
            },
            recommendations: r
                .by_stakeholder(n, Kind::Recommendation)
                .iter()
                .map(|&i| recommendation_item(r, i))
                .collect(),
        })
        .collect()
}

/// Recommendations addressed to no stakeholder type: listed on their own, never lost.
fn unassigned_recommendations(r: &Reads) -> Vec<RecommendationItem> {
    r.section(Kind::Recommendation)
        .iter()
        .filter(|&&i| r.front(i).stakeholders.is_empty())
        .map(|&i| recommendation_item(r, i))
        .collect()
}

fn section_extra(r: &Reads, kind: Option<Kind>) -> SectionExtra {
    let pages = link_list(r, kind.map_or(&[], |k| r.section(k)));
    let (groups, unassigned) = if kind == Some(Kind::Recommendation) {
        (recommendation_groups(r), unassigned_recommendations(r))
    } else {
        (vec![], vec![])
    };
    SectionExtra {
        pages,
        groups,
        unassigned,
    }
}

/// Renders one output.
fn render_output(theme: &Theme, r: &Reads, output: Output) -> Result<Vec<u8>, Diagnostic> {
    match output {
        Output::Page(i) => render_page(theme, r, i),
        Output::Section(k) => render_section(theme, r, k),
        Output::Home => render_home(theme, r),
        Output::Glossary => render_glossary(theme, r),
        Output::Stakeholders => render_stakeholders(theme, r),
        Output::Stakeholder(s) => render_stakeholder(theme, r, s),
        Output::Search => render_search(theme, r),
        Output::Print => print::render(theme, r),
        Output::NotFound => render_not_found(theme, r),
        Output::Sitemap => render_sitemap(theme, r),
        Output::Atom => render_atom(theme, r),
        Output::Robots => render_robots(theme, r),
        Output::Accessibility => {
            let title = r
                .language()
                .fill("accessibility_title", &[("site", &r.config().title)]);
            let (page, extra) = statement::statement(r, &title);
            fill(theme, r, "accessibility.html", page, extra, None)
        }
        Output::Collection(n) => collection::render_listing(theme, r, n, None),
        Output::Record(n, rec) => collection::render_record(theme, r, n, rec),
    }
}

/// A Markdown page.
fn render_page(theme: &Theme, r: &Reads, i: usize) -> Result<Vec<u8>, Diagnostic> {
    if let Some(n) = r.collection_of(i) {
        return collection::render_listing(theme, r, n, Some(i));
    }
    let p = r.place(i);
    let template = template_for(p.kind, p.slug, p.content_path);
    let page = page_context(r, i);
    let file = Some(p.file);
    match p.kind {
        Kind::Home => fill(
            theme,
            r,
            template,
            page,
            reading::home_extra(r, sections(r)),
            file,
        ),
        Kind::Section => {
            let extra = section_extra(r, Kind::from_section(p.slug));
            fill(theme, r, template, page, extra, file)
        }
        Kind::Page if template == "glossary.html" => {
            let extra = GlossaryExtra {
                terms: &r.config().glossary,
            };
            fill(theme, r, template, page, extra, file)
        }
        Kind::Tool => {
            let extra = ToolExtra {
                worksheet: tool::worksheet_value(r, i),
            };
            fill(theme, r, template, page, extra, file)
        }
        _ => fill(theme, r, template, page, NoExtra {}, file),
    }
}

/// A section's list, when it has no `_index.md`.
fn render_section(theme: &Theme, r: &Reads, k: Kind) -> Result<Vec<u8>, Diagnostic> {
    let path = generated_path(r, Output::Section(k));
    let template = if k == Kind::Recommendation {
        "recommendations.html"
    } else {
        "section.html"
    };
    let page = generated_page(
        r,
        r.language().section_title(k),
        &path,
        r.language().kind_label(Kind::Section),
        "",
    );
    fill(theme, r, template, page, section_extra(r, Some(k)), None)
}

/// The home page, when there is no `content/_index.md`.
fn render_home(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let c = r.config();
    let page = generated_page(
        r,
        &c.title,
        "",
        r.language().kind_label(Kind::Home),
        &c.description,
    );
    let extra = reading::home_extra(r, sections(r));
    fill(theme, r, "home.html", page, extra, None)
}

/// The glossary, from site.toml, when there is no `content/glossary.md`.
fn render_glossary(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let page = generated_page(
        r,
        r.language().word("glossary"),
        "glossary/",
        r.language().kind_label(Kind::Page),
        r.language().word("glossary_summary"),
    );
    let extra = GlossaryExtra {
        terms: &r.config().glossary,
    };
    fill(theme, r, "glossary.html", page, extra, None)
}

fn render_not_found(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let page = generated_page(
        r,
        r.language().word("not_found_title"),
        "404.html",
        r.language().kind_label(Kind::Page),
        "",
    );
    fill(theme, r, "404.html", page, NoExtra {}, None)
}

fn render_robots(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let page = generated_page(r, "", "", "", "");
    let extra = RobotsExtra {
        sitemap_url: format!("{}sitemap.xml", r.config().base_url),
    };
    fill(theme, r, "robots.txt", page, extra, None)
}

fn render_stakeholders(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let stakeholder_list = r
        .config()
        .stakeholders
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let count = |k: Kind| r.by_stakeholder(n, k).len();
            StakeholderSummary {
                id: s.id.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                url: page_url(r, &format!("stakeholders/{}/", s.id)),
                recommendations: count(Kind::Recommendation),
                case_studies: count(Kind::CaseStudy),
            }
        })
        .collect();
    let page = generated_page(
        r,
        r.language().word("stakeholders_title"),
        "stakeholders/",
        r.language().kind_label(Kind::Section),
        r.language().word("stakeholders_summary"),
    );
    let extra = StakeholdersExtra { stakeholder_list };
    fill(theme, r, "stakeholders.html", page, extra, None)
}

fn render_stakeholder(theme: &Theme, r: &Reads, n: usize) -> Result<Vec<u8>, Diagnostic> {
    let s = &r.config().stakeholders[n];
    let path = format!("stakeholders/{}/", s.id);
    let list = |k: Kind| link_list(r, r.by_stakeholder(n, k));
    let recommendations = r
        .by_stakeholder(n, Kind::Recommendation)
        .iter()
        .map(|&i| recommendation_item(r, i))
        .collect();
    let code_of_conduct = r.code_of_conduct().map(|i| {
        let f = r.front(i);
        StakeholderCommitments {
            url: page_url(r, r.place(i).url_path),
            title: f.title.clone(),
            groups: commitment_groups(r, f, Some(&s.id)),
        }
    });
    let title = r
        .language()
        .fill("stakeholder_title", &[("name", &lowercase_first(&s.name))]);
    let mut page = generated_page(
        r,
        &title,
        &path,
        r.language().word("kind_stakeholder_type"),
        &s.description,
    );
    page.breadcrumbs = vec![
        home_crumb(r),
        link(
            r.language().word("by_stakeholder"),
            page_url(r, "stakeholders/"),
        ),
    ];
    let extra = StakeholderExtra {
        stakeholder: StakeholderName {
            id: s.id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
        },
        recommendations,
        case_studies: list(Kind::CaseStudy),
        principles: list(Kind::Principle),
        barriers: list(Kind::Barrier),
        tools: list(Kind::Tool),
        code_of_conduct,
        collections: collection::stakeholder_records(r, n),
    };
    fill(theme, r, "stakeholder.html", page, extra, None)
}

fn render_search(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let mut index = Vec::new();
    // The A–Z index lists what search indexes, in the same order.
    for k in crate::kind::INDEXED_KINDS {
        let mut items: Vec<usize> = (0..r.page_count())
            .filter(|&i| r.place(i).kind == k)
            .collect();
        items.sort_by_cached_key(|&i| r.entry_fields(i).title.to_lowercase());
        if !items.is_empty() {
            index.push(IndexGroup {
                kind: k.label(),
                label: r.language().kind_label(k).to_string(),
                pages: link_list(r, &items),
            });
        }
    }
    let page = generated_page(
        r,
        r.language().word("search_title"),
        "search/",
        r.language().kind_label(Kind::Page),
        r.language().word("search_summary"),
    );
    let extra = SearchExtra {
        index,
        facets: r.facets(),
    };
    fill(theme, r, "search.html", page, extra, None)
}

fn render_sitemap(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let base_url = &r.config().base_url;
    // Each page with the date it last changed (the one it shows), if any.
    let mut entries: Vec<SitemapEntry> = (0..r.page_count())
        .map(|i| SitemapEntry {
            url: format!("{base_url}{}", r.place(i).url_path),
            lastmod: reading::updated(r, i),
        })
        .collect();
    for output in generated_outputs(r) {
        if is_folder(output) {
            entries.push(SitemapEntry {
                url: format!("{base_url}{}", generated_path(r, output)),
                lastmod: None,
            });
        }
    }
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let urls = entries.iter().map(|e| e.url.clone()).collect();
    let page = generated_page(r, "", "", "", "");
    fill(
        theme,
        r,
        "sitemap.xml",
        page,
        SitemapExtra { urls, entries },
        None,
    )
}

fn render_atom(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let base_url = &r.config().base_url;
    let mut entries: Vec<AtomEntry> = r
        .section(Kind::CaseStudy)
        .iter()
        .map(|&i| {
            let e = r.entry_fields(i);
            AtomEntry {
                title: e.title.to_string(),
                url: format!("{base_url}{}", r.place(i).url_path),
                summary: e.summary.unwrap_or_default().to_string(),
                updated: atom_date(reading::updated(r, i).as_deref().or(r.dates(i).date)),
            }
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.title.cmp(&b.title)));
    let updated = entries
        .first()
        .map_or_else(|| atom_date(None), |e| e.updated.clone());
    let page = generated_page(r, "", "", "", "");
    fill(
        theme,
        r,
        "atom.xml",
        page,
        AtomExtra { entries, updated },
        None,
    )
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
