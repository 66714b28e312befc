//! Rebuilding after edits, from what each output recorded it read.
//!
//! [`Incremental`] keeps the last good build: the linked site, each page's
//! rendered Markdown, every output file, and for every output the
//! [`Dep`]s render recorded while making it. After an edit to Markdown files
//! it loads them again, links the site again if their front matter changed,
//! works out which of those inputs changed (by comparing old and new values)
//! and re-renders exactly the outputs that read one of them. Anything it
//! cannot classify (site.toml, a template, a static file, a new, deleted or
//! renamed file, a page turned into a draft, a previous failure) rebuilds
//! everything, so the result is always what `fairguide build` writes for
//! the same files (`tests/incremental.rs` checks this after every edit of
//! long random sequences).

use crate::build::{self, Built};
use crate::content::{self, Loaded, Page};
use crate::diagnostics::Diagnostics;
use crate::link::{self, List, Site, SECTIONS};
use crate::markdown::{self, Rendered};
use crate::render::{self, date_fields, entry_fields, Dep, Output, Recorded, RenderedSite};
use crate::search;
use crate::theme::{StaticFile, Theme};
pub use axum::body::Bytes;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The site as last built, kept up to date edit by edit.
pub struct Incremental {
    root: PathBuf,
    base_url: Option<String>,
    /// None before the first build and after a failed one: the next change rebuilds everything.
    state: Option<State>,
    /// Every output file of the last good build, by its path in the output folder
    /// (not the search index).
    files: HashMap<String, Bytes>,
}

struct State {
    site: Site,
    theme: Theme,
    /// Each page's rendered Markdown.
    markdown: Vec<Rendered>,
    /// Per output (pages first, by index): what it is, what it read, and its file.
    outputs: Vec<Recorded>,
    paths: Vec<String>,
    /// Dep -> the outputs that read it.
    readers: HashMap<Dep, Vec<usize>>,
    site_value: render::SiteContext,
    /// Each page's list entry and the search page's filters, kept while they
    /// do not change.
    cache: render::ListCache,
    /// The template contexts of the outputs re-rendered because of what an
    /// edit changed elsewhere (the lists of thousands of pages, whose
    /// contexts cost as much to make as the page itself), by output: filled
    /// again in place at their next render.
    contexts: HashMap<usize, render::KeptContext>,
}

/// What an update changed in the output.
#[derive(Debug, Default)]
pub struct Update {
    /// Files whose bytes changed (or are new), sorted by path.
    pub changed: Vec<(String, Bytes)>,
    /// Files no longer produced, sorted.
    pub removed: Vec<String>,
    /// True when everything was rebuilt.
    pub full: bool,
    /// How many outputs were rendered again.
    pub rendered: usize,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// What a set of changed paths comes to.
enum Edits {
    /// Markdown pages that exist and existed before: (index, the page as now loaded).
    Pages(Vec<(usize, Page)>),
    /// Anything else.
    Everything,
}

impl Incremental {
    /// Nothing is built until [`Incremental::rebuild_all`] or [`Incremental::apply`].
    pub fn new(root: impl Into<PathBuf>, base_url: Option<&str>) -> Self {
        Incremental {
            root: root.into(),
            base_url: base_url.map(str::to_string),
            state: None,
            files: HashMap::new(),
        }
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every output file of the last good build (the search index aside).
    pub fn files(&self) -> &HashMap<String, Bytes> {
        &self.files
    }

    /// Forgets the last build: the next change rebuilds everything (the
    /// files of the last good build are kept, to compare with).
    pub fn reset(&mut self) {
        self.state = None;
    }

    /// The linked site of the last build, if it succeeded.
    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref().map(|s| &s.site)
    }

    /// Builds everything, and says what changed since the last good build.
    pub fn rebuild_all(&mut self) -> Result<Update, Diagnostics> {
        self.state = None;
        let Built {
            site,
            theme,
            rendered,
            ..
        } = build::prepare(&self.root, self.base_url.as_deref())?;
        let RenderedSite {
            files,
            pages: markdown,
            outputs,
        } = rendered;
        let mut map: HashMap<String, Bytes> =
            HashMap::with_capacity(files.len() + theme.static_files.len() + site.assets.len());
        let mut paths = Vec::with_capacity(files.len());
        for f in files {
            paths.push(f.path.clone());
            map.insert(f.path, Bytes::from(f.bytes));
        }
        for (path, file) in &theme.static_files {
            let bytes = match file {
                StaticFile::Embedded(b) => Bytes::from_static(b),
                StaticFile::Disk(p) => Bytes::from(std::fs::read(p).unwrap_or_default()),
            };
            map.insert(path.clone(), bytes);
        }
        for asset in &site.assets {
            map.insert(
                asset.output_path.clone(),
                Bytes::from(std::fs::read(&asset.source).unwrap_or_default()),
            );
        }
        for (file, path) in site.photos.files() {
            map.insert(
                path.to_string(),
                Bytes::from(std::fs::read(file).unwrap_or_default()),
            );
        }
        let mut readers: HashMap<Dep, Vec<usize>> = HashMap::new();
        for (id, rec) in outputs.iter().enumerate() {
            for dep in &rec.deps {
                readers.entry(*dep).or_default().push(id);
            }
        }
        let mut update = Update {
            full: true,
            rendered: outputs.len(),
            ..Update::default()
        };
        for (path, bytes) in &map {
            if self.files.get(path) != Some(bytes) {
                update.changed.push((path.clone(), bytes.clone()));
            }
        }
        update.removed = self
            .files
            .keys()
            .filter(|p| !map.contains_key(*p))
            .cloned()
            .collect();
        update.changed.sort_by(|a, b| a.0.cmp(&b.0));
        update.removed.sort();
        self.files = map;
        self.state = Some(State {
            site_value: render::site_context(&site),
            cache: render::ListCache::new(site.pages.len()),
            contexts: HashMap::new(),
            site,
            theme,
            markdown,
            outputs,
            paths,
            readers,
        });
        Ok(update)
    }

    /// Rebuilds after `changed` (paths relative to the root, or absolute below it).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        let mut first = Update::default();
        let rest = self.apply_staged(changed, |u| {
            first.changed = u.changed.clone();
            first.rendered = u.rendered;
        })?;
        if rest.full {
            return Ok(rest);
        }
        let mut changed: HashMap<String, Bytes> = first.changed.into_iter().collect();
        changed.extend(rest.changed);
        let mut changed: Vec<(String, Bytes)> = changed.into_iter().collect();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Update {
            changed,
            removed: rest.removed,
            full: false,
            rendered: first.rendered + rest.rendered,
        })
    }

    /// Like [`Incremental::apply`], in two steps: the edited pages' own
    /// files first, handed to `first` as soon as they are ready (so that the
    /// page being edited reloads without waiting for the pages that list it),
    /// then everything else, returned. A full rebuild does not call `first`.
    pub fn apply_staged(
        &mut self,
        changed: &[PathBuf],
        first: impl FnOnce(&Update),
    ) -> Result<Update, Diagnostics> {
        let Some(state) = self.state.take() else {
            return self.rebuild_all();
        };
        match self.classify(&state.site, changed)? {
            Edits::Everything => {
                drop(state);
                self.rebuild_all()
            }
            // On failure `state` is dropped: the next change rebuilds everything.
            Edits::Pages(edits) => {
                let (state, rest) = self.update(state, edits, first)?;
                self.state = Some(state);
                Ok(rest)
            }
        }
    }

    /// Loads the changed Markdown pages, or says the change needs a full rebuild.
    fn classify(&self, site: &Site, changed: &[PathBuf]) -> Result<Edits, Diagnostics> {
        let mut edits: Vec<(usize, Page)> = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            let Ok(in_content) = rel.strip_prefix(content::CONTENT_DIR) else {
                return Ok(Edits::Everything);
            };
            let Some(rel_str) = slash_path(in_content) else {
                return Ok(Edits::Everything);
            };
            let Some(&i) = site.by_content_path.get(&rel_str) else {
                return Ok(Edits::Everything);
            };
            // Each language's pages read their originals: all are made again.
            if site.language.is_multilingual() {
                return Ok(Edits::Everything);
            }
            let file = self.root.join(content::CONTENT_DIR).join(in_content);
            if !file.is_file() {
                return Ok(Edits::Everything);
            }
            if edits.iter().any(|(j, _)| *j == i) {
                continue;
            }
            match content::load_page(&file, &rel_str) {
                Ok(Some(page)) => edits.push((i, page)),
                // Now a draft: it leaves the site.
                Ok(None) => return Ok(Edits::Everything),
                Err(diags) => return Err(Diagnostics(diags)),
            }
        }
        Ok(Edits::Pages(edits))
    }

    /// Applies loaded edits to `state`: the edited pages' own files first,
    /// then every output that read something the edits changed.
    fn update(
        &mut self,
        mut state: State,
        edits: Vec<(usize, Page)>,
        first: impl FnOnce(&Update),
    ) -> Result<(State, Update), Diagnostics> {
        let mut keys: HashSet<Dep> = HashSet::new();
        let mut edited: Vec<usize> = Vec::new();
        let relink = edits
            .iter()
            .any(|(i, page)| state.site.pages[*i].front_text != page.front_text);
        // Linking a large site again is costly: when the edits change nothing
        // it reads but the pages' order (a new title, say), only move them.
        let links_kept = edits
            .iter()
            .all(|(i, page)| link::same_links(&state.site.pages[*i], page));
        let facets_kept = links_kept
            && edits
                .iter()
                .all(|(i, page)| !search::model::facets_may_change(&state.site.pages[*i], page));
        let moved: Vec<usize> = edits
            .iter()
            .filter(|(i, page)| link::order_changed(&state.site.pages[*i], page))
            .map(|(i, _)| *i)
            .collect();
        for (i, page) in &edits {
            let old = &state.site.pages[*i];
            if old.front_text != page.front_text {
                keys.insert(Dep::Front(*i));
            }
            if entry_fields(old) != entry_fields(page) {
                keys.insert(Dep::Entry(*i));
            }
            if date_fields(old) != date_fields(page) {
                keys.insert(Dep::Dates(*i));
            }
        }
        // The search page's filters are costly to work out on a large site:
        // compare them only when the search page is not re-rendered anyway.
        let facet_readers = state.readers.get(&Dep::Facets).cloned().unwrap_or_default();
        let compare_facets = relink && !facets_kept && {
            let affected = readers_of(&state, &keys);
            !facet_readers.iter().all(|r| affected.contains(r))
        };
        // As they were, to compare with after the edit.
        let old_facets = compare_facets.then(|| {
            let known = state.cache.take_facets();
            known.unwrap_or_else(|| search::model::facets(&state.site))
        });
        for (i, page) in edits {
            if keys.contains(&Dep::Entry(i)) {
                state.cache.forget(i);
            }
            let body_changed = state.site.pages[i].body != page.body;
            state.site.pages[i] = page;
            if body_changed {
                keys.insert(Dep::Body(i));
                let (md, diags) = markdown::render_page(&state.site, i);
                if diags.iter().any(|d| d.is_error()) {
                    return Err(Diagnostics(diags));
                }
                if md.first_paragraph != state.markdown[i].first_paragraph {
                    keys.insert(Dep::FirstParagraph(i));
                }
                state.markdown[i] = md;
            }
            edited.push(i);
        }
        // First the edited pages themselves, in the site as last linked: a
        // page's related lists and the menu can only change by relinking,
        // which the second step does (re-rendering these pages again if so).
        // (Outputs are numbered pages first: page i's own file is output i.)
        let readers = readers_of(&state, &keys);
        let own: Vec<usize> = edited
            .iter()
            .copied()
            .filter(|i| readers.contains(i))
            .collect();
        let first_update = self.render(&mut state, &own, false)?;
        first(&first_update);

        // What the edits changed beyond the pages themselves.
        let mut linked: HashSet<Dep> = HashSet::new();
        if relink && !links_kept {
            // On failure `state` is dropped: the next change rebuilds everything.
            let site = state.site;
            state.site = relink_site(site, &mut linked)?;
        } else if !moved.is_empty() {
            for list in link::reorder(&mut state.site, &moved) {
                linked.insert(match list {
                    List::Related(j, k) => Dep::Related(j, k),
                    List::Section(k) => Dep::Section(k),
                    List::ByStakeholder(n, k) => Dep::ByStakeholder(n, k),
                    List::Mentions(n) => Dep::Mentions(n),
                });
            }
        }
        let new_site_value = render::site_context(&state.site);
        if new_site_value != state.site_value {
            linked.insert(Dep::Site);
            state.site_value = new_site_value;
        }
        let mut affected = readers_of(&state, &keys);
        // Pages rendered in the first step need it again only for what relinking changed.
        for i in &own {
            affected.remove(i);
        }
        affected.extend(readers_of(&state, &linked));
        if let Some(old) = old_facets {
            let new = search::model::facets(&state.site);
            if new != old {
                affected.extend(facet_readers);
            }
            state.cache.set_facets(new);
        } else if relink && !facets_kept {
            // Not compared: work them out again when next needed.
            state.cache.take_facets();
        }
        let rest: Vec<usize> = affected.into_iter().collect();
        let rest_update = self.render(&mut state, &rest, true)?;
        Ok((state, rest_update))
    }

    /// Renders outputs `ids` again, keeping their new files and dependencies
    /// (and their template contexts if `keep`).
    fn render(
        &mut self,
        state: &mut State,
        ids: &[usize],
        keep: bool,
    ) -> Result<Update, Diagnostics> {
        let which: Vec<(Output, Option<render::KeptContext>)> = ids
            .iter()
            .map(|&id| (state.outputs[id].output, state.contexts.remove(&id)))
            .collect();
        let results = render::render_outputs_keeping(
            &state.site,
            &state.theme,
            &state.markdown,
            &state.site_value,
            &state.cache,
            which,
        );
        let mut update = Update {
            rendered: ids.len(),
            ..Update::default()
        };
        let mut diags = Diagnostics::default();
        for (&id, result) in ids.iter().zip(results) {
            let (file, recorded, context) = match result {
                Ok(done) => done,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if let Some(context) = context.filter(|_| keep) {
                state.contexts.insert(id, context);
            }
            let old = std::mem::replace(&mut state.outputs[id], recorded);
            update_readers(&mut state.readers, id, &old.deps, &state.outputs[id].deps);
            let bytes = Bytes::from(file.bytes);
            if self.files.get(&file.path) != Some(&bytes) {
                self.files.insert(file.path.clone(), bytes.clone());
                update.changed.push((file.path.clone(), bytes));
            }
            state.paths[id] = file.path;
        }
        if diags.has_errors() {
            return Err(diags);
        }
        update.changed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(update)
    }
}

/// Links the site again after front matter changed, adding to `keys` every
/// list that came out different: related pages, sections, stakeholder lists.
fn relink_site(site: Site, keys: &mut HashSet<Dep>) -> Result<Site, Diagnostics> {
    let Site {
        config,
        pages,
        assets,
        failed,
        related: old_related,
        sections: old_sections,
        by_stakeholder: old_by_stakeholder,
        git_dates,
        photos,
        collections,
        mentions: old_mentions,
        language,
        ..
    } = site;
    let count = pages.len();
    let (mut site, diags) = link::link(
        config,
        Loaded {
            pages,
            assets,
            failed,
            translations: Vec::new(),
        },
        collections,
    );
    site.photos = photos;
    site.language = language;
    if diags.has_errors() {
        return Err(diags);
    }
    // Read once per full build, like site.toml: an edit keeps them.
    let mut site = site;
    site.git_dates = git_dates;
    debug_assert_eq!(site.pages.len(), count);
    for (j, (old, new)) in old_related.iter().zip(&site.related).enumerate() {
        if old != new {
            for k in old.keys().chain(new.keys()) {
                if old.get(k) != new.get(k) {
                    keys.insert(Dep::Related(j, *k));
                }
            }
        }
    }
    for (n, (old, new)) in old_mentions.iter().zip(&site.mentions).enumerate() {
        if old != new {
            keys.insert(Dep::Mentions(n));
        }
    }
    for k in SECTIONS {
        if old_sections.get(k) != site.sections.get(k) {
            keys.insert(Dep::Section(*k));
        }
    }
    for (n, s) in site.config.stakeholders.iter().enumerate() {
        let (old, new) = (
            old_by_stakeholder.get(&s.id),
            site.by_stakeholder.get(&s.id),
        );
        let kinds: BTreeSet<_> = old
            .into_iter()
            .chain(new)
            .flat_map(|m| m.keys().copied())
            .collect();
        for k in kinds {
            if old.and_then(|m| m.get(&k)) != new.and_then(|m| m.get(&k)) {
                keys.insert(Dep::ByStakeholder(n, k));
            }
        }
    }
    Ok(site)
}

/// The outputs that read any of `keys`.
fn readers_of(state: &State, keys: &HashSet<Dep>) -> BTreeSet<usize> {
    keys.iter()
        .filter_map(|k| state.readers.get(k))
        .flatten()
        .copied()
        .collect()
}

/// Moves output `id` from the readers of `old` deps to those of `new` (both sorted).
fn update_readers(readers: &mut HashMap<Dep, Vec<usize>>, id: usize, old: &[Dep], new: &[Dep]) {
    // The usual case, and quick to see even for a list of thousands of pages.
    if old == new {
        return;
    }
    for dep in old {
        if new.binary_search(dep).is_err() {
            if let Some(ids) = readers.get_mut(dep) {
                ids.retain(|&x| x != id);
            }
        }
    }
    for dep in new {
        if old.binary_search(dep).is_err() {
            readers.entry(*dep).or_default().push(id);
        }
    }
}

/// A `content/`-relative path with `/` separators, if it is plain.
fn slash_path(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(s) => parts.push(s.to_str()?),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}
