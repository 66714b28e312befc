//! Index stage: a Pagefind search index over the rendered pages, built in-process.
//!
//! Each content page's rendered HTML goes to Pagefind's Rust API, which indexes
//! the `data-pagefind-body` region (the theme's `<main>`), weighting headings
//! above body text. Filters and metadata come from the typed pages, not from
//! template markup, so a theme that overrides a template cannot lose them: they
//! are handed to Pagefind as extra elements after the page's own HTML (which
//! only the indexer ever sees). The index and Pagefind's browser code come back
//! as [`OutputFile`]s under `pagefind/`, for the write stage to stage and swap
//! in with the rest of the site.
//!
//! Every URL in the index is relative to the site's root (`/barriers/x/`);
//! Pagefind's script resolves them against the folder it was loaded from, so the
//! same index works at a domain root and under a sub-path.

use crate::diagnostics::Diagnostic;
use crate::html::escape_html;
use crate::link::Site;
use crate::output::OutputFile;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The folder inside the output that holds the index and Pagefind's script.
pub const BUNDLE_DIR: &str = "pagefind";

pub mod model;
mod records;

use model::{indexed_pages, page_filters};

/// Files Pagefind emits that the default theme does not use: its ready-made
/// UIs (the search page runs `search.js` over `pagefind.js` instead), and its
/// web worker (`search.js` searches on the main thread: one download fewer,
/// and Pagefind falls back to the main thread by itself if a worker is missing).
const UNUSED_BUNDLE_FILES: [&str; 8] = [
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// What the indexer reads for page `i`: the page's indexed region (the element
/// marked `data-pagefind-body`, normally `<main>`; the whole page if the theme
/// marks none) and one empty element per filter and metadata value, outside
/// that region so they add no words, only filters and metadata.
/// The filters and metadata of page `i`, as the hidden markup Pagefind reads.
fn page_tags(site: &Site, i: usize) -> String {
    let p = &site.pages[i];
    let mut out = String::from("\n<div data-pagefind-ignore>");
    let mut tag = |attr: &str, key: &str, value: &str| {
        // Pagefind splits `key:value` at the first colon, so the value may hold any text.
        out.push_str(&format!(
            "<span {attr}=\"{key}:{}\"></span>",
            escape_html(value)
        ));
    };
    for (key, value) in page_filters(site, i) {
        tag("data-pagefind-filter", key, &value);
    }
    tag("data-pagefind-meta", "title", &p.front.title);
    tag("data-pagefind-meta", "kind", p.kind.label());
    if let Some(summary) = p.front.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        tag("data-pagefind-meta", "summary", summary);
    }
    out.push_str("</div>\n");
    out
}

/// The page's region to index, followed by its tags.
fn indexer_input(html: &[u8], tags: &str) -> String {
    let html = String::from_utf8_lossy(html);
    let (before, body, after) = match body_region(&html) {
        // Only the region is parsed: the header, navigation and footer are never indexed.
        Some(region) => ("<html><body>", region, "</body></html>"),
        None => {
            // Pagefind reads only what is inside <html>: the additions go before </body>.
            let end = html
                .rfind("</body>")
                .or_else(|| html.rfind("</html>"))
                .unwrap_or(html.len());
            ("", &html[..end], &html[end..])
        }
    };
    let mut out = String::with_capacity(before.len() + body.len() + after.len() + tags.len());
    out.push_str(before);
    out.push_str(body);
    out.push_str(tags);
    out.push_str(after);
    out
}

/// The `<main ... data-pagefind-body>...</main>` element of a rendered page, if
/// the theme marks its `<main>` that way (the default theme does) and only once.
fn body_region(html: &str) -> Option<&str> {
    let attr = html.find(" data-pagefind-body")?;
    if html[attr + 1..].contains(" data-pagefind-body") {
        return None;
    }
    let start = html[..attr].rfind('<')?;
    if !html[start..].starts_with("<main") {
        return None;
    }
    let end = html.rfind("</main>")? + "</main>".len();
    (end > attr).then(|| &html[start..end])
}

/// Builds the search index over the rendered site's content pages.
pub fn index(site: &Site, files: &[OutputFile]) -> Result<Index, Diagnostic> {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let html_of = |path: &str| {
        by_path
            .get(path)
            .map(|f| Box::new(f.bytes.as_slice()) as Html)
    };
    index_inputs(inputs(site, html_of), &site.config.language, None)
}

/// A rendered page's HTML, borrowed (`&[u8]`) or shared (the server's buffers).
pub type Html<'a> = Box<dyn AsRef<[u8]> + Send + 'a>;

/// What Pagefind indexes: each content page's URL, HTML and tags, gathered
/// cheaply so that the costly part can run on another thread.
pub struct IndexInputs<'a> {
    pages: Vec<(String, Html<'a>, String)>,
}

/// Gathers the inputs; `html_of` returns the HTML at an output path such as `about/index.html`.
pub fn inputs<'a>(site: &Site, html_of: impl Fn(&str) -> Option<Html<'a>>) -> IndexInputs<'a> {
    let mut inputs = Vec::new();
    for i in indexed_pages(site) {
        let p = &site.pages[i];
        let Some(html) = html_of(&format!("{}index.html", p.url_path)) else {
            continue;
        };
        inputs.push((format!("/{}", p.url_path), html, page_tags(site, i)));
    }
    for (url, html, tags) in records::inputs(site) {
        inputs.push((url, Box::new(html.into_bytes()) as Html, tags));
    }
    IndexInputs { pages: inputs }
}

/// Pages handed to Pagefind at a time: enough to keep every core busy, few
/// enough that the prepared copies of their HTML stay small.
const BATCH: usize = 256;

/// The index stage's steps, as `build --timings` names them.
pub const INDEX_STEPS: [&str; 3] = ["parse", "merge", "compress"];

/// The index's files, and how long its steps took (for `build --timings`).
pub struct Index {
    pub files: Vec<OutputFile>,
    /// Parsing the pages, building the index, compressing its files.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs Pagefind over prepared inputs, on any thread. The pages are parsed in
/// parallel: on rayon's global pool, or with `threads`, on a pool of their own
/// (so that the server's renders never queue behind the indexer's work).
pub fn index_inputs(
    inputs: IndexInputs,
    language: &str,
    threads: Option<usize>,
) -> Result<Index, Diagnostic> {
    let language = language.to_lowercase();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&e.to_string()))?;
    let run = || {
        runtime.block_on(async move {
            let options = PagefindServiceConfig::builder()
                .force_language(language)
                .build();
            let mut index = PagefindIndex::new(Some(options))?;
            let mut timings = Vec::with_capacity(3);
            let start = Instant::now();
            let mut pages = inputs.pages.into_iter().peekable();
            while pages.peek().is_some() {
                let batch: Vec<_> = pages.by_ref().take(BATCH).collect();
                let batch = batch
                    .into_par_iter()
                    .map(|(url, html, tags)| (url, indexer_input((*html).as_ref(), &tags)))
                    .collect();
                index.add_html_files(batch).await?;
            }
            timings.push((INDEX_STEPS[0], start.elapsed()));
            let start = Instant::now();
            index.build_indexes().await?;
            timings.push((INDEX_STEPS[1], start.elapsed()));
            let start = Instant::now();
            let files = index.get_files().await;
            timings.push((INDEX_STEPS[2], start.elapsed()));
            files.map(|files| (files, timings))
        })
    };
    let generated = match threads {
        None => run(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("search-index-{i}"))
            .build()
            .map_err(|e| failed(&e.to_string()))?
            .install(run),
    };
    let (generated, timings) = generated.map_err(|e| failed(&format!("{e:#}")))?;
    let name_of = |f: &pagefind::api::SyntheticFile| {
        f.filename
            .to_string_lossy()
            .replace('\\', "/")
            .trim_start_matches('/')
            .to_string()
    };
    // The language-neutral search code is only fetched for a language that
    // Pagefind has no stemmer for (the entry then names no wasm for it).
    let needs_generic_wasm = generated
        .iter()
        .find(|f| name_of(f) == "pagefind-entry.json")
        .and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.contents).ok())
        .and_then(|entry| {
            let languages = entry.get("languages")?.as_object()?;
            Some(languages.values().any(|l| l["wasm"].is_null()))
        })
        .unwrap_or(true);
    let mut out = Vec::with_capacity(generated.len());
    for f in generated {
        let name = name_of(&f);
        if UNUSED_BUNDLE_FILES.contains(&name.as_str())
            || (name == "wasm.unknown.pagefind" && !needs_generic_wasm)
        {
            continue;
        }
        out.push(OutputFile {
            path: format!("{BUNDLE_DIR}/{name}"),
            bytes: f.contents,
        });
    }
    Ok(Index {
        files: out,
        timings,
    })
}

fn failed(why: &str) -> Diagnostic {
    Diagnostic::error(format!("the search index could not be built: {why}"))
        .hint("this is a bug in fairguide or Pagefind; build with --no-search to publish without search meanwhile")
}

#[cfg(test)]
mod tests {
    use super::body_region;

    #[test]
    fn body_region_is_the_marked_main_or_nothing() {
        let page = "<html><body><header>nav</header><main id=\"m\" data-pagefind-body><h1>T</h1></main><footer>f</footer></body></html>";
        assert_eq!(
            body_region(page),
            Some("<main id=\"m\" data-pagefind-body><h1>T</h1></main>")
        );
        // Unmarked, marked twice, or marked on another element: the whole page is indexed.
        assert_eq!(
            body_region("<html><body><main>x</main></body></html>"),
            None
        );
        assert_eq!(
            body_region("<main data-pagefind-body>a</main><div data-pagefind-body>b</div>"),
            None
        );
        assert_eq!(body_region("<article data-pagefind-body>a</article>"), None);
    }
}
