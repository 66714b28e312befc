//! The pipeline, start to finish: load -> link -> render -> index -> write.

use crate::config::{normalise_base_url, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::{content, i18n, link, offline, render, search, theme, write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` from site.toml (hosts pass their real address here).
    pub base_url: Option<String>,
    /// Build the search index (on unless `--no-search`).
    pub search: bool,
    /// Write the offline copy (`--offline`, or `offline = true` in site.toml).
    pub offline: bool,
    /// Also pack the offline copy into this zip file (implies `offline`).
    pub zip: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            search: true,
            offline: false,
            zip: None,
        }
    }
}

/// What a successful build reports.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Everything up to (not including) writing: what `build`, `check` and `serve` share.
pub struct Built {
    pub site: link::Site,
    pub theme: theme::Theme,
    pub rendered: render::RenderedSite,
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

fn stage<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let out = f();
    timings.push((name, start.elapsed()));
    out
}

/// Loads, links and renders; returns every problem found if anything fails.
pub fn prepare(root: &Path, base_url: Option<&str>) -> Result<Built, Diagnostics> {
    prepare_with(root, base_url, false)
}

/// [`prepare`], for the offline copy when `offline` (or site.toml says so).
pub fn prepare_with(
    root: &Path,
    base_url: Option<&str>,
    offline: bool,
) -> Result<Built, Diagnostics> {
    let Linked {
        site,
        theme,
        mut diags,
        mut timings,
    } = link_site(root, base_url, offline)?;
    let rendered = render_all(&site, &theme, &mut diags, &mut timings);
    diags.sort();
    match rendered {
        Some(rendered) if !diags.has_errors() => Ok(Built {
            site,
            theme,
            rendered,
            warnings: diags,
            timings,
        }),
        _ => Err(diags),
    }
}

/// Every file of the site at once, in every language; problems go to `diags`.
fn render_all(
    site: &link::Site,
    theme: &theme::Theme,
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Option<render::RenderedSite> {
    let (mut rendered, render_diags) = stage(timings, "render", || render::render(site, theme));
    diags.extend(render_diags.0);
    if let Some(rendered) = rendered.as_mut().filter(|_| !site.translations.is_empty()) {
        let (files, language_diags) = stage(timings, "languages", || i18n::render(site, theme));
        rendered.files.extend(files);
        diags.extend(language_diags.0);
    }
    rendered
}

/// The site loaded and linked, with its theme: everything before rendering.
struct Linked {
    site: link::Site,
    theme: theme::Theme,
    /// Warnings so far.
    diags: Diagnostics,
    timings: Vec<(&'static str, Duration)>,
}

fn link_site(root: &Path, base_url: Option<&str>, offline: bool) -> Result<Linked, Diagnostics> {
    let mut timings = Vec::new();
    let mut diags = Diagnostics::default();
    let config = stage(&mut timings, "config", || Config::load(root));
    let codes = config
        .as_ref()
        .map(|c| c.translation_codes())
        .unwrap_or_default();
    let (mut loaded, load_diags) = stage(&mut timings, "load", || content::load_with(root, &codes));
    diags.extend(load_diags.0);
    let translations = std::mem::take(&mut loaded.translations);
    let mut config = match config {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d.0);
            diags.sort();
            return Err(diags);
        }
    };
    if let Some(url) = base_url {
        config.base_url = normalise_base_url(url);
    }
    config.offline |= offline;
    let theme_result = stage(&mut timings, "templates", || {
        theme::load(root, &config.theme)
    });
    let theme = match theme_result {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d.0);
            None
        }
    };
    let photos = stage(&mut timings, "photos", || {
        crate::images::prepare(root, &loaded.assets)
    });
    let (collections, data_diags) = stage(&mut timings, "data", || {
        crate::collections::load(root, &config)
    });
    diags.extend(data_diags.0);
    let (mut site, link_diags) = stage(&mut timings, "link", || {
        link::link(config, loaded, collections)
    });
    site.photos = photos;
    diags.extend(link_diags.0);
    site.git_dates = stage(&mut timings, "git dates", || {
        crate::git_dates::GitDates::read(root)
    });
    diags.extend(i18n::prepare(&mut site, translations, root).0);
    let theme = match theme {
        Some(mut theme) if !diags.has_errors() => {
            i18n::register(&mut theme.tera, &site.language);
            theme
        }
        _ => {
            // Still look for broken links, so one run reports everything.
            let (_, markdown_diags) = render::render_markdown(&site);
            diags.extend(markdown_diags.0);
            diags.sort();
            return Err(diags);
        }
    };
    Ok(Linked {
        site,
        theme,
        diags,
        timings,
    })
}

/// `fairguide build`: the whole pipeline, writing only if every stage succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let total = Instant::now();
    write::check_output_dir(&opts.root, &opts.output).map_err(one)?;
    if let Some(zip) = &opts.zip {
        offline::check_zip_path(zip, &opts.output).map_err(one)?;
    }
    write::remove_stale(&opts.output);
    let Linked {
        mut site,
        mut theme,
        mut diags,
        mut timings,
    } = link_site(
        &opts.root,
        opts.base_url.as_deref(),
        opts.offline || opts.zip.is_some(),
    )?;
    // Read from disk, a copy cannot search: no index (see `offline`).
    let offline = site.config.offline;
    let mut copies: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .map(|a| (a.source.clone(), a.output_path.clone()))
        .collect();
    let Pages {
        folder,
        written,
        files,
    } = if offline || site.language.is_multilingual() {
        // The offline copy rewrites links across every file, and several
        // languages are indexed from the whole site: both need every file at once.
        let rendered = render_all(&site, &theme, &mut diags, &mut timings);
        let mut files = match rendered {
            Some(rendered) if !diags.has_errors() => rendered.files,
            _ => {
                diags.sort();
                return Err(diags);
            }
        };
        if offline {
            stage(&mut timings, "offline", || {
                offline::make_offline(
                    &mut files,
                    &mut theme.static_files,
                    &mut copies,
                    &site.config,
                )
            })
            .map_err(one)?;
        }
        let folder = write::Staging::create(&opts.output).map_err(one)?;
        if opts.search && !offline {
            index_into(&site, files, folder, &mut timings).map_err(one)?
        } else {
            Pages {
                folder,
                written: 0,
                files,
            }
        }
    } else {
        stream_pages(&mut site, &theme, opts, &mut diags, &mut timings)?
    };
    diags.sort();
    // The photos' resized copies, from the cache.
    copies.extend(
        site.photos
            .files()
            .into_iter()
            .map(|(file, path)| (file.to_path_buf(), path.to_string())),
    );
    let job = write::WriteJob {
        files: &files,
        static_files: &theme.static_files,
        copies: &copies,
    };
    stage(&mut timings, "write", || folder.finish(job)).map_err(one)?;
    if let Some(zip) = &opts.zip {
        stage(&mut timings, "zip", || {
            offline::write_zip(&opts.output, zip, &offline::zip_folder_name(zip))
        })
        .map_err(one)?;
    }
    timings.push(("total", total.elapsed()));
    Ok(BuildReport {
        pages: site.pages.len(),
        files: written + files.len() + theme.static_files.len() + copies.len(),
        warnings: diags,
        timings,
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

/// The staging folder, the files already in it, and the files still to write.
struct Pages {
    folder: write::Staging,
    written: usize,
    files: Vec<OutputFile>,
}

/// Writes `files` into `folder` while the search index is built over them;
/// the index's files are left to write.
fn index_into(
    site: &link::Site,
    files: impl IntoIterator<Item = OutputFile, IntoIter: Send>,
    mut folder: write::Staging,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Pages, Diagnostic> {
    let mut written = 0;
    let index = stage(timings, "index", || {
        search::index_and_write(site, files, |batch| {
            written += batch.len();
            folder.write_files(batch)
        })
    })?;
    // The index stage's own steps, shown under it.
    timings.extend(index.timings);
    Ok(Pages {
        folder,
        written,
        files: index.files,
    })
}

/// Files rendered and written at a time without a search index.
const WRITE_CHUNK: usize = 512;

/// The stage that writes the pages as they are rendered, without an index.
const WRITE_PAGES: &str = "write-pages";

/// A site in one language, online: its files are rendered a chunk at a time
/// and each chunk is written (and indexed) and dropped, so the build never
/// holds the whole site's HTML. The same files as [`render_all`] makes.
fn stream_pages(
    site: &mut link::Site,
    theme: &theme::Theme,
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Pages, Diagnostics> {
    let start = Instant::now();
    // Only messages and the generated accessibility statement (which lints
    // every page) read a page's file text, and every message about a page
    // is made once its Markdown is rendered.
    let (markdown, markdown_diags) = if site.config.accessibility.is_none() {
        render::render_markdown_releasing(site)
    } else {
        render::render_markdown(site)
    };
    let markdown_time = start.elapsed();
    diags.extend(markdown_diags.0);
    if diags.has_errors() {
        diags.sort();
        return Err(std::mem::take(diags));
    }
    let site = &*site;
    let mut folder = write::Staging::create(&opts.output).map_err(one)?;
    let mut log = render::StreamLog::default();
    let stream = render::FileStream::new(site, theme, markdown, &mut log);
    let at = timings.len();
    let pages = if opts.search {
        index_into(site, stream, folder, timings)
    } else {
        stage(timings, WRITE_PAGES, move || {
            let mut stream = stream;
            let mut written = 0;
            let mut chunk: Vec<OutputFile> = stream.by_ref().take(WRITE_CHUNK).collect();
            while !chunk.is_empty() {
                // Each chunk is written while the next one is rendered.
                let (next, wrote) = rayon::join(
                    || stream.by_ref().take(WRITE_CHUNK).collect::<Vec<_>>(),
                    || folder.write_files(&chunk),
                );
                wrote?;
                written += chunk.len();
                chunk = next;
            }
            Ok(Pages {
                folder,
                written,
                files: Vec::new(),
            })
        })
    };
    diags.extend(log.diags.0);
    if diags.has_errors() {
        diags.sort();
        return Err(std::mem::take(diags));
    }
    let pages = pages.map_err(one)?;
    // Rendering happened inside the index (or write) stage: shown on its own.
    timings.insert(at, ("render", markdown_time + log.time));
    for (name, time) in &mut timings[at + 1..] {
        if [WRITE_PAGES, "index", search::INDEX_STEPS[0]].contains(name) {
            *time = time.saturating_sub(log.time);
        }
    }
    Ok(pages)
}
