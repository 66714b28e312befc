//! Link stage: resolve every slug and stakeholder id, build the cross-references
//! and the stakeholder index. Collects every problem rather than stopping.

use crate::config::Config;
use crate::content::{Asset, FrontMatter, Loaded, Page};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
pub(crate) use crate::kind::{Kind, SECTIONS};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub(crate) mod records;

/// URL paths the generator itself produces, which no content page may take.
pub(crate) const GENERATED_PATHS: &[&str] = &[
    "stakeholders/",
    "search/",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Output paths of `assets`, to look a file up at once (pages may link many).
    pub asset_paths: HashSet<String>,
    /// `content/`-relative Markdown path -> page index, for link rewriting.
    pub by_content_path: HashMap<String, usize>,
    /// For each page: related pages by kind (what it names plus what names it), sorted.
    pub related: Vec<BTreeMap<Kind, Vec<usize>>>,
    /// For each section kind: its pages in display order.
    pub sections: BTreeMap<Kind, Vec<usize>>,
    /// Index of each section's `_index.md`, if it has one.
    pub section_index: HashMap<Kind, usize>,
    pub home: Option<usize>,
    pub code_of_conduct: Option<usize>,
    pub glossary_page: Option<usize>,
    /// Stakeholder id -> pages tagged with it, by kind, in display order.
    pub by_stakeholder: BTreeMap<String, BTreeMap<Kind, Vec<usize>>>,
    /// Content paths of Markdown files that failed to load (reported already).
    pub failed: HashSet<String>,
    /// Each content file's last commit date, when the site is a git repository
    /// (set by the build after linking; a site input like site.toml).
    pub git_dates: crate::git_dates::GitDates,
    /// The photos among `assets`, with their resized copies (set by `build::prepare`).
    pub photos: crate::images::Photos,
    /// The data collections of site.toml, with their records.
    pub collections: Vec<crate::collections::Collection>,
    /// Per collection, per record: the pages that mention it (its own `pages`
    /// fields and pages naming it), in display order.
    pub mentions: Vec<Vec<Vec<usize>>>,
    /// Per collection: its `content/<name>/_index.md`, if it has one.
    pub collection_index: Vec<Option<usize>>,
    /// Which language this site is and which others there are (set by
    /// `i18n::prepare`; one language, the main, without `[[languages]]`).
    pub language: crate::language::SiteLanguage,
    /// With `[[languages]]`: the site in each other language, its pages the
    /// translations where they exist and the originals elsewhere (set by
    /// `i18n::prepare`; empty in those sites themselves).
    pub translations: Vec<Site>,
}

impl Site {
    /// Whether `path` (from content/, `/`-separated) is a file the build copies.
    pub fn has_asset(&self, path: &str) -> bool {
        self.asset_paths.contains(path)
    }

    pub fn page_by_slug(&self, kind: Kind, slug: &str) -> Option<usize> {
        let section = kind.section()?;
        self.by_content_path
            .get(&format!("{section}/{slug}.md"))
            .copied()
    }
}

/// Display order within a section: weight, then number, then title.
fn order_key(p: &Page) -> (String, i64, u32, String) {
    (
        p.front.series.clone().unwrap_or_default(),
        p.front.weight.unwrap_or(i64::MAX),
        p.front.number.unwrap_or(u32::MAX),
        p.front.title.to_lowercase(),
    )
}

/// Links the loaded pages. The site comes back even when there are errors, so
/// later stages can still look for (and report) their own problems.
pub(crate) fn link(
    config: Config,
    loaded: Loaded,
    collections: Vec<crate::collections::Collection>,
) -> (Site, Diagnostics) {
    let Loaded {
        mut pages,
        assets,
        failed,
        ..
    } = loaded;
    let mut diags = Diagnostics::default();
    // A stable order makes output and messages the same on every run.
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    let by_content_path = index_paths(&pages, &mut diags);

    let ids = config.stakeholder_ids();
    let mut related: Vec<BTreeMap<Kind, BTreeSet<usize>>> = vec![BTreeMap::new(); pages.len()];
    let mut by_stakeholder: BTreeMap<String, BTreeMap<Kind, Vec<usize>>> = ids
        .iter()
        .map(|id| (id.to_string(), BTreeMap::new()))
        .collect();
    let mut numbers: HashMap<(String, u32), usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        resolve_slugs(
            &pages,
            i,
            &by_content_path,
            &failed,
            &mut related,
            &mut diags,
        );
        if p.front.worksheet.is_some() {
            resolve_worksheet(
                &pages,
                i,
                &by_content_path,
                &failed,
                &mut related,
                &mut diags,
            );
        }
        if p.kind == Kind::CodeOfConduct {
            check_commitment_bases(p, &by_content_path, &failed, &mut diags);
        }
        tag_stakeholders(p, i, &ids, &mut by_stakeholder, &mut diags);
        if p.kind == Kind::Recommendation {
            check_number(&pages, i, &mut numbers, &mut diags);
        }
    }

    let rank = display_ranks(&pages);
    let sorted = |set: BTreeSet<usize>| {
        let mut v: Vec<usize> = set.into_iter().collect();
        v.sort_by_key(|&j| rank[j]);
        v
    };
    let related: Vec<BTreeMap<Kind, Vec<usize>>> = related
        .into_iter()
        .map(|m| m.into_iter().map(|(k, set)| (k, sorted(set))).collect())
        .collect();
    for kinds in by_stakeholder.values_mut() {
        for list in kinds.values_mut() {
            list.sort_by_key(|&j| rank[j]);
        }
    }
    let places = Places::of(&pages, &rank);

    let asset_paths = assets.iter().map(|a| a.output_path.clone()).collect();
    let mut site = Site {
        config,
        pages,
        assets,
        asset_paths,
        by_content_path,
        related,
        sections: places.sections,
        section_index: places.section_index,
        home: places.home,
        code_of_conduct: places.code_of_conduct,
        glossary_page: places.glossary_page,
        by_stakeholder,
        failed,
        git_dates: Default::default(),
        photos: Default::default(),
        collections,
        mentions: vec![],
        collection_index: vec![],
        language: Default::default(),
        translations: Vec::new(),
    };
    records::link(&mut site, &rank, &mut diags);
    (site, diags)
}

/// Each page by its path in content/; two pages on one URL, or a page on a
/// URL the generator makes, is an error.
fn index_paths(pages: &[Page], diags: &mut Diagnostics) -> HashMap<String, usize> {
    let mut by_content_path = HashMap::new();
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        by_content_path.insert(p.content_path.clone(), i);
        if let Some(&other) = by_url.get(p.url_path.as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "two pages would be written to the same URL /{}: {} and {}",
                    p.url_path,
                    pages[other].file.display(),
                    p.file.display()
                ))
                .in_file(&p.file)
                .at(1, 0)
                .hint(format!(
                    "rename or remove one of them (the other is {})",
                    pages[other].file.display()
                )),
            );
        } else {
            by_url.insert(&p.url_path, i);
        }
        let reserved = GENERATED_PATHS
            .iter()
            .find(|g| p.url_path == **g || (g.ends_with('/') && p.url_path.starts_with(**g)));
        if let Some(g) = reserved {
            diags.push(
                Diagnostic::error(format!(
                    "/{} is generated by fairguide; a content page cannot take it",
                    p.url_path
                ))
                .in_file(&p.file)
                .at(1, 0)
                .hint(format!(
                    "rename the file so its URL does not start with /{g}"
                )),
            );
        }
    }
    by_content_path
}

/// Page `i`'s `principles`, `barriers` and `case_studies`: each slug must name
/// a page, and the two pages then list each other.
fn resolve_slugs(
    pages: &[Page],
    i: usize,
    by_content_path: &HashMap<String, usize>,
    failed: &HashSet<String>,
    related: &mut [BTreeMap<Kind, BTreeSet<usize>>],
    diags: &mut Diagnostics,
) {
    let p = &pages[i];
    for (key, kind, slugs) in [
        ("principles", Kind::Principle, &p.front.principles),
        ("barriers", Kind::Barrier, &p.front.barriers),
        ("case_studies", Kind::CaseStudy, &p.front.case_studies),
    ] {
        let section = kind.section().unwrap_or_default();
        let prefix = format!("{section}/");
        for slug in slugs {
            match by_content_path.get(&format!("{section}/{slug}.md")) {
                Some(&target) if target != i => {
                    related[i].entry(kind).or_default().insert(target);
                    related[target].entry(p.kind).or_default().insert(i);
                }
                Some(_) => {}
                // That page failed to load and has its own error already.
                None if failed.contains(&format!("{section}/{slug}.md")) => {}
                None => {
                    let known: Vec<&str> = pages
                        .iter()
                        .filter(|q| q.kind == kind)
                        .filter_map(|q| q.content_path.strip_prefix(&prefix))
                        .map(|s| s.trim_end_matches(".md"))
                        .collect();
                    diags.push(
                        p.error_at(key, Some(slug), format!("`{key}` names `{slug}`, but there is no content/{section}/{slug}.md"))
                            .hint(did_you_mean(slug, &known)),
                    );
                }
            }
        }
    }
}

/// The slugs a tool's worksheet names, in its groups and questions: each must
/// name a page, and the tool and the page then list each other.
fn resolve_worksheet(
    pages: &[Page],
    i: usize,
    by_content_path: &HashMap<String, usize>,
    failed: &HashSet<String>,
    related: &mut [BTreeMap<Kind, BTreeSet<usize>>],
    diags: &mut Diagnostics,
) {
    let p = &pages[i];
    let Some(worksheet) = &p.front.worksheet else {
        return;
    };
    for link in worksheet.links() {
        let section = link.kind.section().unwrap_or_default();
        let path = format!("{section}/{}.md", link.slug);
        match by_content_path.get(&path) {
            Some(&target) => {
                related[i].entry(link.kind).or_default().insert(target);
                related[target].entry(p.kind).or_default().insert(i);
            }
            None if failed.contains(&path) => {}
            None => {
                let prefix = format!("{section}/");
                let known: Vec<&str> = pages
                    .iter()
                    .filter(|q| q.kind == link.kind)
                    .filter_map(|q| q.content_path.strip_prefix(&prefix))
                    .map(|s| s.trim_end_matches(".md"))
                    .collect();
                let lines = p.source_text.line_index();
                diags.push(
                    Diagnostic::error(format!(
                        "`{}` names `{}`, but there is no content/{path}",
                        link.key, link.slug
                    ))
                    .in_file(&p.file)
                    .at(link.line, link.column)
                    .with_source_in(&p.source_text, lines)
                    .hint(format!(
                        "{} (write the file name of a page in content/{section}/, without `.md`)",
                        did_you_mean(&link.slug, &known)
                    )),
                );
            }
        }
    }
}

/// The stakeholder ids page `p` is filed under (when declared): those it
/// names, then, for the code of conduct, those its commitments bind.
pub(crate) fn stakeholder_tags(p: &Page) -> impl Iterator<Item = &str> {
    let commitments = match p.kind {
        Kind::CodeOfConduct => p.front.commitments.as_slice(),
        _ => &[],
    };
    p.front
        .stakeholders
        .iter()
        .map(String::as_str)
        .chain(commitments.iter().map(|c| c.stakeholder.as_str()))
}

/// Files page `i` under each stakeholder type it names (and, for the code of
/// conduct, each its commitments bind); an undeclared id is an error.
fn tag_stakeholders(
    p: &Page,
    i: usize,
    ids: &[&str],
    by_stakeholder: &mut BTreeMap<String, BTreeMap<Kind, Vec<usize>>>,
    diags: &mut Diagnostics,
) {
    let mut seen = BTreeSet::new();
    for (n, id) in stakeholder_tags(p).enumerate() {
        if !seen.insert(id) {
            continue;
        }
        match by_stakeholder.get_mut(id) {
            Some(kinds) => kinds.entry(p.kind).or_default().push(i),
            None => {
                // `tagged` lists `stakeholders` first (first sightings only, so
                // this is the same test as searching them, without the search).
                let key = if n < p.front.stakeholders.len() {
                    "stakeholders"
                } else {
                    "commitments"
                };
                diags.push(
                    p.error_at(
                        key,
                        Some(id),
                        format!("stakeholder type `{id}` is not declared in site.toml"),
                    )
                    .hint(format!(
                        "{} or add a [[stakeholders]] table with id = \"{id}\" to site.toml",
                        did_you_mean(id, ids)
                    )),
                );
            }
        }
    }
}

/// A recommendation's number, when it has one, is its own within its series.
fn check_number(
    pages: &[Page],
    i: usize,
    numbers: &mut HashMap<(String, u32), usize>,
    diags: &mut Diagnostics,
) {
    let p = &pages[i];
    let Some(n) = p.front.number else { return };
    let series = p.front.series.clone().unwrap_or_default();
    if let Some(&other) = numbers.get(&(series.clone(), n)) {
        diags.push(
            p.error_at(
                "number",
                None,
                format!(
                    "recommendation number {n} is also used by {}",
                    pages[other].file.display()
                ),
            )
            .hint(
                "give each recommendation in a series its own number, or set a different `series`",
            ),
        );
    } else {
        numbers.insert((series, n), i);
    }
}

/// Each page's place in display order, worked out once: sorting thousands
/// of related pages by building and comparing their keys was the link
/// stage's main cost. Equal keys share a rank, so ties keep their order.
fn display_ranks(pages: &[Page]) -> Vec<usize> {
    let keys: Vec<_> = pages.iter().map(order_key).collect();
    let mut by_key: Vec<usize> = (0..pages.len()).collect();
    by_key.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut rank = vec![0usize; pages.len()];
    for (pos, &i) in by_key.iter().enumerate() {
        rank[i] = match pos.checked_sub(1).map(|p| by_key[p]) {
            Some(prev) if keys[prev] == keys[i] => rank[prev],
            _ => pos,
        };
    }
    rank
}

/// A list that `link` keeps in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum List {
    /// Page `.0`'s related pages of one kind.
    Related(usize, Kind),
    /// A section's pages.
    Section(Kind),
    /// The pages of one kind tagged with a stakeholder type (by its place in site.toml).
    ByStakeholder(usize, Kind),
    /// The pages that mention the records of a collection (by its place in site.toml).
    Mentions(usize),
}

/// Whether `link` would resolve `new` exactly as it resolved `old`: all it
/// reads from a page besides the display order fields (title, weight) is the
/// same. Then an edit keeps the site's links and [`reorder`] moves the page
/// to its new place, instead of linking the whole site again. A key this does
/// not clear counts as linked, so a key `link` starts to read stays correct.
pub(crate) fn same_links(old: &Page, new: &Page) -> bool {
    fn linked(f: &FrontMatter) -> FrontMatter {
        FrontMatter {
            title: String::new(),
            weight: None,
            summary: None,
            source: Vec::new(),
            group: None,
            place: None,
            years: None,
            themes: Vec::new(),
            date: None,
            updated: None,
            changes: Vec::new(),
            nav: false,
            ..f.clone()
        }
    }
    old.kind == new.kind
        && old.url_path == new.url_path
        && old.content_path == new.content_path
        && linked(&old.front) == linked(&new.front)
}

/// Whether `new` sorts differently from `old` among the other pages.
pub(crate) fn order_changed(old: &Page, new: &Page) -> bool {
    order_key(old) != order_key(new)
}

/// After the display order fields of `moved` pages changed (and nothing else
/// `link` reads: see [`same_links`]), puts each where `link` would: in its
/// section, its stakeholder lists, its related pages' lists and the lists of
/// pages that mention a record. Returns the
/// lists whose order changed.
pub(crate) fn reorder(site: &mut Site, moved: &[usize]) -> Vec<List> {
    let mut lists: BTreeSet<List> = BTreeSet::new();
    for &m in moved {
        let kind = site.pages[m].kind;
        if site.sections.contains_key(&kind) {
            lists.insert(List::Section(kind));
        }
        for (n, s) in site.config.stakeholders.iter().enumerate() {
            if stakeholder_tags(&site.pages[m]).any(|t| t == s.id) {
                lists.insert(List::ByStakeholder(n, kind));
            }
        }
        for &j in site.related[m].values().flatten() {
            lists.insert(List::Related(j, kind));
        }
    }
    // Any record's mentions may hold a moved page.
    lists.extend((0..site.mentions.len()).map(List::Mentions));
    let mut changed = Vec::new();
    for id in lists {
        let moved_here = match id {
            List::Section(kind) => site
                .sections
                .get_mut(&kind)
                .is_some_and(|list| place(list, moved, &site.pages)),
            List::ByStakeholder(n, kind) => site
                .by_stakeholder
                .get_mut(&site.config.stakeholders[n].id)
                .and_then(|k| k.get_mut(&kind))
                .is_some_and(|list| place(list, moved, &site.pages)),
            List::Related(j, kind) => site.related[j]
                .get_mut(&kind)
                .is_some_and(|list| place(list, moved, &site.pages)),
            List::Mentions(n) => site.mentions[n]
                .iter_mut()
                .fold(false, |any, list| place(list, moved, &site.pages) | any),
        };
        if moved_here {
            changed.push(id);
        }
    }
    changed
}

/// Takes the `moved` pages out of sorted `list` and puts each back in its
/// place by display order (ties by page index, as `link` leaves them).
/// Returns whether the order changed.
fn place(list: &mut Vec<usize>, moved: &[usize], pages: &[Page]) -> bool {
    if !list.iter().any(|x| moved.contains(x)) {
        return false;
    }
    let before = list.clone();
    list.retain(|x| !moved.contains(x));
    for &m in moved.iter().filter(|m| before.contains(m)) {
        let key = (order_key(&pages[m]), m);
        let at = list.partition_point(|&x| (order_key(&pages[x]), x) < key);
        list.insert(at, m);
    }
    *list != before
}

/// Where the pages with a role sit: each section's pages in display order,
/// its landing page, the home page, the code of conduct and the glossary.
struct Places {
    sections: BTreeMap<Kind, Vec<usize>>,
    section_index: HashMap<Kind, usize>,
    home: Option<usize>,
    code_of_conduct: Option<usize>,
    glossary_page: Option<usize>,
}

impl Places {
    fn of(pages: &[Page], rank: &[usize]) -> Places {
        let mut places = Places {
            sections: SECTIONS.iter().map(|k| (*k, vec![])).collect(),
            section_index: HashMap::new(),
            home: None,
            code_of_conduct: None,
            glossary_page: None,
        };
        for (i, p) in pages.iter().enumerate() {
            match p.kind {
                Kind::Home => places.home = Some(i),
                Kind::CodeOfConduct => places.code_of_conduct = Some(i),
                Kind::Section => {
                    if let Some(k) = Kind::from_section(&p.slug) {
                        places.section_index.insert(k, i);
                    }
                }
                Kind::Page if p.content_path == "glossary.md" => places.glossary_page = Some(i),
                k => {
                    if let Some(list) = places.sections.get_mut(&k) {
                        list.push(i);
                    }
                }
            }
        }
        for list in places.sections.values_mut() {
            list.sort_by_key(|&j| rank[j]);
        }
        places
    }
}

/// Each commitment's `basis` names `guide` or a page that exists.
fn check_commitment_bases(
    p: &Page,
    by_content_path: &HashMap<String, usize>,
    failed: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    for basis in p.front.commitments.iter().flat_map(|c| &c.basis) {
        let path = format!("{basis}.md");
        if basis == crate::content::GUIDE_BASIS
            || by_content_path.contains_key(&path)
            || failed.contains(&path)
        {
            continue;
        }
        let known: Vec<&str> = by_content_path
            .keys()
            .filter(|k| k.contains('/'))
            .map(|k| k.trim_end_matches(".md"))
            .collect();
        diags.push(
            p.error_at(
                "commitments",
                Some(basis),
                format!("a commitment's `basis` names `{basis}`, but there is no content/{basis}.md"),
            )
            .hint(format!(
                "{} Write a page's path in content/ without `.md` (e.g. `recommendations/v4ce-2012-05`), or `guide` for this guide's own advice",
                did_you_mean(basis, &known)
            )),
        );
    }
}
