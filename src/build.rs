//! The pipeline, start to finish: load -> link -> render -> index -> write.

use crate::config::{normalise_base_url, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::{content, link, offline, render, search, theme, write};
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
    let mut timings = Vec::new();
    let mut diags = Diagnostics::default();
    let config = stage(&mut timings, "config", || Config::load(root));
    let (loaded, load_diags) = stage(&mut timings, "load", || content::load(root));
    diags.extend(load_diags.0);
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
    let theme = match theme {
        Some(theme) if !diags.has_errors() => theme,
        _ => {
            // Still look for broken links, so one run reports everything.
            let (_, markdown_diags) = render::render_markdown(&site);
            diags.extend(markdown_diags.0);
            diags.sort();
            return Err(diags);
        }
    };
    let (rendered, render_diags) = stage(&mut timings, "render", || render::render(&site, &theme));
    diags.extend(render_diags.0);
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

/// `fairguide build`: the whole pipeline, writing only if every stage succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let total = Instant::now();
    write::check_output_dir(&opts.root, &opts.output).map_err(|d| Diagnostics(vec![d]))?;
    if let Some(zip) = &opts.zip {
        offline::check_zip_path(zip, &opts.output).map_err(|d| Diagnostics(vec![d]))?;
    }
    write::remove_stale(&opts.output);
    let Built {
        site,
        mut theme,
        mut rendered,
        warnings,
        mut timings,
    } = prepare_with(
        &opts.root,
        opts.base_url.as_deref(),
        opts.offline || opts.zip.is_some(),
    )?;
    // Read from disk, a copy cannot search: no index (see `offline`).
    let offline = site.config.offline;
    // Only `serve` and `check` need each page's Markdown HTML after rendering.
    drop(std::mem::take(&mut rendered.pages));
    drop(std::mem::take(&mut rendered.outputs));
    if opts.search && !offline {
        let index = stage(&mut timings, "index", || {
            search::index(&site, &rendered.files)
        })
        .map_err(|d| Diagnostics(vec![d]))?;
        rendered.files.extend(index.files);
        // The index stage's own steps, shown under it.
        timings.extend(index.timings);
    }
    let mut copies: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .map(|a| (a.source.clone(), a.output_path.clone()))
        .collect();
    if offline {
        stage(&mut timings, "offline", || {
            offline::make_offline(
                &mut rendered.files,
                &mut theme.static_files,
                &mut copies,
                &site.config,
            )
        })
        .map_err(|d| Diagnostics(vec![d]))?;
    }
    // The photos' resized copies, from the cache.
    copies.extend(
        site.photos
            .files()
            .into_iter()
            .map(|(file, path)| (file.to_path_buf(), path.to_string())),
    );
    let job = write::WriteJob {
        files: &rendered.files,
        static_files: &theme.static_files,
        copies: &copies,
    };
    stage(&mut timings, "write", || {
        write::write_site(&opts.output, job)
    })
    .map_err(|d: Diagnostic| Diagnostics(vec![d]))?;
    if let Some(zip) = &opts.zip {
        stage(&mut timings, "zip", || {
            offline::write_zip(&opts.output, zip, &offline::zip_folder_name(zip))
        })
        .map_err(|d| Diagnostics(vec![d]))?;
    }
    timings.push(("total", total.elapsed()));
    Ok(BuildReport {
        pages: site.pages.len(),
        files: rendered.files.len() + theme.static_files.len() + copies.len(),
        warnings,
        timings,
    })
}
