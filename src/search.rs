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
    tag(
        "data-pagefind-meta",
        "kind",
        site.language.kind_label(p.kind),
    );
    if let Some(summary) = p.front.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        tag("data-pagefind-meta", "summary", summary);
    }
    out.push_str("</div>\n");
    out
}

/// The page's region to index, followed by its tags.
fn indexer_input(html: &[u8], tags: &str, lang: Option<&str>) -> String {
    let html = String::from_utf8_lossy(html);
    // Pagefind reads a page's language from `<html lang>`: a site in several
    // languages gets an index per language.
    let start = lang.map(|l| format!("<html lang=\"{}\"><body>", escape_html(l)));
    let (before, body, after) = match body_region(&html) {
        // Only the region is parsed: the header, navigation and footer are never indexed.
        Some(region) => (
            start.as_deref().unwrap_or("<html><body>"),
            region,
            "</body></html>",
        ),
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

/// Builds the search index as [`index`] does, but consumes the rendered files
/// (a list, or a stream that renders them as they are taken): each content page's indexed region is cut from its HTML, then the files go
/// to `write` (the staging folder) and are dropped, a few hundred at a time,
/// and the cut regions go to Pagefind as soon as every page before them in the
/// index's order has gone. The whole site's HTML, every page's region and
/// Pagefind's data are therefore never held at once. The index is the one
/// [`index`] builds: the same pages, in the same order.
pub fn index_and_write(
    site: &Site,
    files: impl IntoIterator<Item = OutputFile, IntoIter: Send>,
    mut write: impl FnMut(&[OutputFile]) -> Result<(), Diagnostic> + Send,
) -> Result<Index, Diagnostic> {
    // Several languages' pages are indexed each in its own language: the
    // whole-site path does that.
    if site.language.is_multilingual() {
        let files: Vec<OutputFile> = files.into_iter().collect();
        let built = index(site, &files)?;
        write(&files)?;
        return Ok(built);
    }
    // Each indexed page's place in the index's order (that of `indexed_pages`).
    let pages: Vec<usize> = indexed_pages(site).collect();
    let order: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(n, &i)| (format!("{}index.html", site.pages[i].url_path), n))
        .collect();
    let mut ready: Vec<Option<(String, String)>> = Vec::new();
    ready.resize_with(pages.len(), || None);
    let mut next = 0;
    let mut files = files.into_iter();
    let mut files_done = false;
    let failed: std::sync::Mutex<Option<Diagnostic>> = Default::default();
    let writing = std::sync::atomic::AtomicU64::new(0);
    let next_batch = || -> Option<Vec<(String, String)>> {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            while batch.len() < BATCH && next < ready.len() {
                if let Some(page) = ready[next].take() {
                    batch.push(page);
                } else if !files_done {
                    break;
                }
                // (A page with no rendered file is not indexed, as in `inputs`.)
                next += 1;
            }
            if batch.len() == BATCH || (files_done && next == ready.len()) {
                return (!batch.is_empty()).then_some(batch);
            }
            let start = Instant::now();
            let chunk: Vec<OutputFile> = files.by_ref().take(WRITE_CHUNK).collect();
            if chunk.is_empty() {
                files_done = true;
                continue;
            }
            let cut: Vec<(usize, String, String)> = chunk
                .par_iter()
                .filter_map(|f| {
                    let &n = order.get(f.path.as_str())?;
                    let i = pages[n];
                    let input = indexer_input(&f.bytes, &page_tags(site, i), None);
                    Some((n, format!("/{}", site.pages[i].url_path), input))
                })
                .collect();
            for (n, url, input) in cut {
                ready[n] = Some((url, input));
            }
            let result = write(&chunk);
            drop(chunk);
            writing.fetch_add(
                start.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            if let Err(d) = result {
                *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(d);
                return None;
            }
        }
    };
    let index = index_inputs(
        IndexInputs {
            pages: Pages::Stream(Box::new(next_batch)),
            // The collections' records come after the pages, as in `inputs`.
            records: records::inputs(site, ""),
            multilingual: false,
        },
        &site.config.language,
        None,
    );
    if let Some(d) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(d);
    }
    let mut index = index?;
    let writing = Duration::from_nanos(writing.into_inner());
    // Parsing waited for the pages to be cut and written: count that time once.
    if let Some(parse) = index.timings.iter_mut().find(|(s, _)| *s == INDEX_STEPS[1]) {
        parse.1 = parse.1.saturating_sub(writing);
    }
    index.timings.insert(0, (INDEX_STEPS[0], writing));
    Ok(index)
}

/// Files cut and written at a time by [`index_and_write`].
const WRITE_CHUNK: usize = 512;

/// A rendered page's HTML, borrowed (`&[u8]`) or shared (the server's buffers).
pub type Html<'a> = Box<dyn AsRef<[u8]> + Send + 'a>;

/// What Pagefind indexes: each content page's URL, HTML and tags, gathered
/// cheaply so that the costly part can run on another thread.
pub struct IndexInputs<'a> {
    pages: Pages<'a>,
    /// The collections' records, indexed after the pages.
    records: Vec<pagefind::api::CustomRecord>,
    /// With `[[languages]]`: each page is indexed in its own language.
    multilingual: bool,
}

enum Pages<'a> {
    /// Each page's URL, HTML, tags, and its language in a site of several,
    /// combined on the indexer's threads.
    Html(Vec<(String, Html<'a>, String, Option<String>)>),
    /// Batches of URLs and indexer inputs, in order, until `None` (one language).
    #[allow(clippy::type_complexity)]
    Stream(Box<dyn FnMut() -> Option<Vec<(String, String)>> + Send + 'a>),
}

/// Gathers the inputs; `html_of` returns the HTML at an output path such as `about/index.html`.
pub fn inputs<'a>(site: &Site, html_of: impl Fn(&str) -> Option<Html<'a>>) -> IndexInputs<'a> {
    let mut inputs = Vec::new();
    let multilingual = site.language.is_multilingual();
    // The main language's pages, then each other language's under its folder.
    for (prefix, site) in std::iter::once((String::new(), site)).chain(
        site.translations
            .iter()
            .map(|s| (format!("{}/", s.config.language), s)),
    ) {
        let lang = multilingual.then(|| site.config.language.to_lowercase());
        for i in indexed_pages(site) {
            let p = &site.pages[i];
            let Some(html) = html_of(&format!("{prefix}{}index.html", p.url_path)) else {
                continue;
            };
            inputs.push((
                format!("/{prefix}{}", p.url_path),
                html,
                page_tags(site, i),
                lang.clone(),
            ));
        }
    }
    IndexInputs {
        pages: Pages::Html(inputs),
        // The collections' records, in the main language.
        records: records::inputs(site, &site.config.language.to_lowercase()),
        multilingual,
    }
}

/// Pages handed to Pagefind at a time: enough to keep every core busy, few
/// enough that the prepared copies of their HTML stay small.
const BATCH: usize = 256;

/// The index stage's steps, as `build --timings` names them.
pub const INDEX_STEPS: [&str; 4] = ["pages", "parse", "merge", "compress"];

/// The index's files, and how long its steps took (for `build --timings`).
pub struct Index {
    pub files: Vec<OutputFile>,
    /// Cutting and writing the pages (in a build), parsing them, building the
    /// index, compressing its files.
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
            let options = if inputs.multilingual {
                PagefindServiceConfig::builder().build()
            } else {
                PagefindServiceConfig::builder()
                    .force_language(language)
                    .build()
            };
            let mut index = PagefindIndex::new(Some(options))?;
            let mut timings = Vec::with_capacity(3);
            let start = Instant::now();
            match inputs.pages {
                Pages::Html(pages) => {
                    let mut pages = pages.into_iter().peekable();
                    while pages.peek().is_some() {
                        let batch: Vec<_> = pages.by_ref().take(BATCH).collect();
                        let batch = batch
                            .into_par_iter()
                            .map(|(url, html, tags, lang)| {
                                (url, indexer_input((*html).as_ref(), &tags, lang.as_deref()))
                            })
                            .collect();
                        index.add_html_files(batch).await?;
                    }
                }
                Pages::Stream(mut next_batch) => {
                    while let Some(batch) = next_batch() {
                        index.add_html_files(batch).await?;
                    }
                }
            }
            if !inputs.records.is_empty() {
                index.add_custom_records(inputs.records).await?;
            }
            timings.push((INDEX_STEPS[1], start.elapsed()));
            let start = Instant::now();
            index.build_indexes().await?;
            timings.push((INDEX_STEPS[2], start.elapsed()));
            let start = Instant::now();
            let files = index.get_files().await;
            timings.push((INDEX_STEPS[3], start.elapsed()));
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
    use crate::output::OutputFile;
    use std::collections::HashMap;

    /// The build's streamed index (pages cut and written a chunk at a time, in
    /// whatever order the render stage lists them) is byte for byte the index
    /// built over the whole rendered site at once, and every file is written once.
    #[test]
    fn index_and_write_builds_the_same_index_and_writes_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: String| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.toml",
            "title = \"T\"\nlanguage = \"en-GB\"\n\n[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\ndescription = \"Grant-makers.\"\n".into(),
        );
        let words = [
            "trust", "funding", "partner", "board", "equal", "contract", "voice",
        ];
        for b in 0..5 {
            write(
                &format!("content/barriers/barrier-{b}.md"),
                format!("---\ntitle: Barrier {b}\nsummary: About {}.\n---\n## Why {} matters\n\nText on {}.\n", words[b], words[b + 1], words[b + 2]),
            );
        }
        // More pages than one chunk (`WRITE_CHUNK`) and than one batch (`BATCH`).
        for i in 0..700 {
            let w = |k: usize| words[(i * 7 + k * 3) % words.len()];
            write(
                &format!("content/case-studies/case-{i:03}.md"),
                format!(
                    "---\ntitle: Case {i} on {}\nbarriers: [barrier-{}]\nstakeholders: [funders]\nthemes: [{}]\n---\n## {} and {}\n\nThe {} group met the {} board {i} times.\n\n### Next {}\n\nMore {} and {}.\n",
                    w(0), i % 5, w(1), w(2), w(3), w(4), w(5), w(6), w(0), w(1)
                ),
            );
        }
        let built = crate::build::prepare(root, None).unwrap_or_else(|d| panic!("{d:?}"));
        let files = &built.rendered.files;
        let whole = super::index(&built.site, files).unwrap();
        // Reversed, so that pages reach the indexer out of the index's order.
        let copies: Vec<OutputFile> = files
            .iter()
            .rev()
            .map(|f| OutputFile {
                path: f.path.clone(),
                bytes: f.bytes.clone(),
            })
            .collect();
        let mut written: Vec<String> = Vec::new();
        let streamed = super::index_and_write(&built.site, copies, |chunk| {
            written.extend(chunk.iter().map(|f| f.path.clone()));
            Ok(())
        })
        .unwrap();
        let mut expected: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        expected.sort();
        written.sort();
        assert_eq!(written, expected);
        assert!(whole.files.len() > 700);
        // (Pagefind lists its files in no fixed order.)
        let sorted = |files: &[OutputFile]| {
            let mut v: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            v.sort();
            v
        };
        let (whole, streamed) = (sorted(&whole.files), sorted(&streamed.files));
        assert_eq!(whole.len(), streamed.len());
        for (a, b) in whole.iter().zip(&streamed) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1, "{} differs", a.0);
        }
    }

    /// Records are given to Pagefind as their text, not as pages to parse:
    /// the index is byte for byte the one their pages gave (see
    /// `records::tests::html_inputs`), whatever the values hold: entities,
    /// quotes and brackets at the end, runs of spaces, line breaks, letters
    /// and digits of other scripts, and a record page or a listing entry.
    #[test]
    fn records_index_as_the_pages_of_their_values_did() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let fields = |name: &str| {
            format!(
                "[[collections]]\nname = \"{name}\"\nrecord_pages = {}\n\n\
                 [[collections.fields]]\nname = \"name\"\nrequired = true\n\n\
                 [[collections.fields]]\nname = \"area\"\ntype = \"choice\"\nvalues = [\"North & East\", \"South\"]\nfilter = true\n\n\
                 [[collections.fields]]\nname = \"stakeholders\"\ntype = \"stakeholders\"\nfilter = true\n\n\
                 [[collections.fields]]\nname = \"founded\"\ntype = \"year\"\nfilter = true\n\n\
                 [[collections.fields]]\nname = \"about\"\ntype = \"markdown\"\n\n\
                 [[collections.fields]]\nname = \"note\"\nlabel = \"Note (\\\"quoted\\\")\"\n\n",
                name == "places"
            )
        };
        write(
            "site.toml",
            &format!(
                "title = \"T\"\nlanguage = \"en-GB\"\n\n\
                 [[stakeholders]]\nid = \"funders\"\nname = \"Funders & trusts\"\ndescription = \"Grant-makers.\"\n\n\
                 [[stakeholders]]\nid = \"bme\"\nname = \"BME groups\"\ndescription = \"Groups.\"\n\n{}{}",
                fields("places"),
                fields("groups")
            ),
        );
        let rows = "id,name,area,stakeholders,founded,about,note\n\
            a,\"Caf\u{e9} \"\"Unity\"\" & Co's\",North & East,funders;bme,1999,\"Runs *advice* (weekly)\",\"ends with a quote '\"\n\
            b,Plain  two   spaces,South,bme,2001,\"Line one\nline two &amp; more\",x_\n\
            c,<b>Bold</b> $,,,,\"cost: 5$\",\"\u{b2}\"\n\
            d,\u{3a3}\u{3bf}\u{3c6}\u{3af}\u{3b1} \u{661}\u{662},South,funders,1987,\"Tab\there * \",\"  padded  \"\n";
        write("data/places.csv", rows);
        write("data/groups.csv", rows);
        write(
            "content/barriers/b.md",
            "---\ntitle: A barrier\n---\nText about trust.\n",
        );
        let built = crate::build::prepare(root, None).unwrap_or_else(|d| panic!("{d:?}"));
        let site = &built.site;
        assert_eq!(site.collections.len(), 2);
        let files = &built.rendered.files;
        let by_path: HashMap<&str, &OutputFile> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        let html_of = |path: &str| {
            by_path
                .get(path)
                .map(|f| Box::new(f.bytes.as_slice()) as super::Html)
        };
        let mut old = super::inputs(site, html_of);
        let super::Pages::Html(pages) = &mut old.pages else {
            unreachable!()
        };
        for (url, html, tags) in super::records::tests::html_inputs(site) {
            pages.push((url, Box::new(html.into_bytes()) as super::Html, tags, None));
        }
        old.records = Vec::new();
        let old = super::index_inputs(old, &site.config.language, None).unwrap();
        let new = super::index(site, files).unwrap();
        let sorted = |files: &[OutputFile]| {
            let mut v: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            v.sort();
            v
        };
        let (old, new) = (sorted(&old.files), sorted(&new.files));
        // The barrier, its section, the home page and so on, and the 8 records.
        let fragments = new.iter().filter(|f| f.0.contains("/fragment/")).count();
        assert!(fragments > 8, "{fragments} fragments");
        assert_eq!(
            site.collections
                .iter()
                .map(|c| c.records.len())
                .sum::<usize>(),
            8
        );
        assert_eq!(
            old.iter().map(|f| &f.0).collect::<Vec<_>>(),
            new.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (a, b) in old.iter().zip(&new) {
            assert!(a.1 == b.1, "{} differs", a.0);
        }
    }

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
