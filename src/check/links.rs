//! Broken internal links in the built output: every `href`, `src`, `srcset`,
//! `action` and `poster` in every rendered file must name a file the build
//! writes (a page, a theme file, a copied content asset, or the search bundle).
//!
//! Links to `.md` files are resolved (and checked) by the build itself; this
//! catches everything else: links written as URLs in Markdown, images, and
//! links the templates make to pages a site does not have.

use crate::build::Built;
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::markdown;
use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// Attributes whose value is a URL the browser loads or follows.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "poster"];

/// Where an attribute's URL leads, for the purpose of this check.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another host, another scheme (`mailto:`, `https:`), or this same page.
    Skip,
    /// A file inside the output folder, by its output-relative path
    /// (`about/index.html`, `style.css`).
    File(String),
    /// A path on this host that lies outside the site's base path.
    Outside(String),
}

/// Resolves one attribute value as written in the output (HTML entities and
/// all) found on the page whose URL is `page_url` (`/guide/about/`).
/// `base_path` is `/` or `/guide/`; `base_url` is the site's `base_url`, whose
/// absolute form (`https://example.org/guide/`) counts as internal too.
pub(crate) fn resolve(base_path: &str, base_url: &str, page_url: &str, raw: &str) -> Target {
    let decoded = html_escape::decode_html_entities(raw);
    // Browsers strip leading and trailing ASCII whitespace (and drop tabs and
    // newlines) from URLs.
    let value: String = decoded
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let value = match value.strip_prefix(base_url) {
        Some(rest) if base_url.contains("://") => format!("{base_path}{rest}"),
        _ => value.clone(),
    };
    if value.is_empty() || value.starts_with('#') || value.starts_with("//") || has_scheme(&value) {
        return Target::Skip;
    }
    let path = value.split('#').next().unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        // `?q=x` alone: this same page.
        return Target::Skip;
    }
    let absolute = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = match page_url.rfind('/') {
            Some(i) => &page_url[..=i],
            None => "/",
        };
        format!("{dir}{path}")
    };
    let absolute = remove_dot_segments(&absolute);
    let decoded: String = percent_encoding::percent_decode_str(&absolute)
        .decode_utf8_lossy()
        .into_owned();
    match decoded.strip_prefix(base_path) {
        Some(rel) if rel.is_empty() || rel.ends_with('/') => {
            Target::File(format!("{rel}index.html"))
        }
        Some(rel) => Target::File(rel.to_string()),
        // `/guide` for base path `/guide/`: hosts redirect it to the home page.
        None if format!("{decoded}/") == base_path => Target::File("index.html".into()),
        None => Target::Outside(decoded),
    }
}

/// `scheme:` as in RFC 3986: a letter, then letters, digits, `+`, `-` or `.`.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `/a/b/../c/./d/` -> `/a/c/d/` (RFC 3986 5.2.4; `..` above the root stays at the root).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => trailing_slash = i == last,
            ".." => {
                out.pop();
                trailing_slash = i == last;
            }
            s => {
                out.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut result = String::with_capacity(path.len());
    for seg in &out {
        result.push('/');
        result.push_str(seg);
    }
    if trailing_slash || result.is_empty() {
        result.push('/');
    }
    result
}

/// The URL a browser shows for an output file: `about/index.html` -> `/about/`.
fn url_of(base_path: &str, output_path: &str) -> String {
    let path = if output_path == "index.html" {
        ""
    } else {
        output_path
            .strip_suffix("/index.html")
            .map_or(output_path, |dir| &output_path[..dir.len() + 1])
    };
    format!("{base_path}{path}")
}

/// Every URL in attributes that load or follow one, in document order.
fn urls_in(html: &[u8]) -> Vec<String> {
    let found = std::cell::RefCell::new(Vec::new());
    {
        let handler = lol_html::element!("[href], [src], [srcset], [action], [poster]", |el| {
            let mut found = found.borrow_mut();
            for name in URL_ATTRIBUTES {
                if let Some(v) = el.get_attribute(name) {
                    found.push(v);
                }
            }
            if let Some(srcset) = el.get_attribute("srcset") {
                // `a.png 1x, b.png 2x`: the URL is each candidate's first word.
                for candidate in srcset.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        found.push(url.to_string());
                    }
                }
            }
            Ok(())
        });
        let mut rewriter = lol_html::HtmlRewriter::new(
            lol_html::Settings::new().append_element_content_handler(handler),
            |_: &[u8]| {},
        );
        // The output came from our own templates; a tokenizer error still
        // leaves what was found before it.
        let _ = rewriter.write(html).and_then(|()| rewriter.end());
    }
    found.into_inner()
}

/// One broken URL and where it was seen.
struct Broken {
    /// As written in the output (entities decoded).
    url: String,
    target: Target,
}

/// At most this many broken links are reported one by one per page; the rest
/// are counted (a page of thousands of broken links stays one screen, and
/// cheap: each diagnostic holds its source line).
const MAX_PER_PAGE: usize = 20;

/// What scanning one output file found.
#[derive(Default)]
struct FileFindings {
    /// Broken links written in the page's Markdown: (broken, line, column).
    in_markdown: Vec<(Broken, usize, usize)>,
    /// Broken links the Markdown does not hold (so a template made them).
    elsewhere: Vec<Broken>,
    /// Broken links in the Markdown beyond `MAX_PER_PAGE`.
    not_shown: usize,
}

/// Reports every internal URL in the built output that resolves to no file.
pub(crate) fn lint(built: &Built, diags: &mut Diagnostics) {
    let site = &built.site;
    let base_path = site.config.base_path();
    let base_url = &site.config.base_url;
    let mut present: HashSet<&str> = built
        .rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    present.extend(built.theme.static_files.keys().map(String::as_str));
    present.extend(site.assets.iter().map(|a| a.output_path.as_str()));
    let photos = site.photos.files();
    present.extend(photos.iter().map(|(_, path)| *path));
    let exists = |path: &str| {
        // The search bundle is written by the index stage, which check skips.
        path.starts_with("pagefind/")
            || present.contains(path)
            // `/about` for `/about/`: static hosts redirect it.
            || present.contains(format!("{path}/index.html").as_str())
    };
    let page_of: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{}index.html", p.url_path), i))
        .collect();

    let scanned: Vec<(String, Option<&Page>, FileFindings)> = built
        .rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html") || f.path.ends_with(".xml"))
        // /print/ repeats the other pages' links, each reported where it is written.
        .filter(|f| f.path != "print/index.html")
        .map(|file| {
            let page_url = url_of(&base_path, &file.path);
            let page = page_of.get(&file.path).map(|&i| &site.pages[i]);
            let mut seen = HashSet::new();
            let mut findings = FileFindings::default();
            let mut located: Option<Located> = None;
            for raw in urls_in(&file.bytes) {
                let target = resolve(&base_path, base_url, &page_url, &raw);
                let missing = match &target {
                    Target::Skip => false,
                    Target::File(path) => !exists(path),
                    Target::Outside(_) => true,
                };
                if !missing || !seen.insert(raw.clone()) {
                    continue;
                }
                let url = html_escape::decode_html_entities(&raw).trim().to_string();
                let b = Broken { url, target };
                let position = page.and_then(|p| {
                    located
                        .get_or_insert_with(|| Located::new(site, p, &base_path))
                        .position(&b)
                });
                match position {
                    Some(_) if findings.in_markdown.len() >= MAX_PER_PAGE => {
                        findings.not_shown += 1
                    }
                    Some((line, column)) => findings.in_markdown.push((b, line, column)),
                    None => findings.elsewhere.push(b),
                }
            }
            (page_url, page, findings)
        })
        .collect();

    // URL as written -> pages (by URL) it appears on, for links the templates make.
    #[allow(clippy::type_complexity)]
    let mut from_templates: BTreeMap<String, (Target, Vec<(String, Option<PathBuf>)>)> =
        BTreeMap::new();
    for (page_url, page, findings) in scanned {
        if let Some(page) = page {
            for (b, line, column) in findings.in_markdown {
                let hint = markdown_hint(&b);
                diags.push(
                    Diagnostic::error(format!(
                        "broken link on {page_url}: {}",
                        what_is_missing(&b, &base_path)
                    ))
                    .in_file(&page.file)
                    .at(line, column)
                    .with_source(&page.source_text)
                    .hint(hint),
                );
            }
            if findings.not_shown > 0 {
                diags.push(
                    Diagnostic::error(format!(
                        "{} more broken links on {page_url}",
                        findings.not_shown
                    ))
                    .in_file(&page.file)
                    .hint("fix the broken links listed for this page, then run `fairguide check` again to see these"),
                );
            }
        }
        for b in findings.elsewhere {
            from_templates
                .entry(b.url)
                .or_insert_with(|| (b.target, Vec::new()))
                .1
                .push((page_url.clone(), page.map(|p| p.file.clone())));
        }
    }
    for (url, (target, mut pages)) in from_templates {
        pages.sort();
        let count = pages.len();
        let mut on: Vec<&str> = pages.iter().take(3).map(|(u, _)| u.as_str()).collect();
        let more = format!("{} more", count.saturating_sub(3));
        if count > 3 {
            on.push(&more);
        }
        let on = match on.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => on.join(""),
        };
        let pages_word = if count == 1 { "page's" } else { "pages'" };
        let broken = Broken { url, target };
        let mut d = Diagnostic::error(format!(
            "broken link on {}: {}",
            if count == 1 { on } else { format!("{count} pages ({on})") },
            what_is_missing(&broken, &base_path)
        ))
        .hint(format!(
            "the link is not in the {pages_word} Markdown, so a template makes it: the template probably links to a page this site does not have. Change the template (copy it from the theme into templates/ to override it), or add the page"
        ));
        if let Some(file) = pages.iter().find_map(|(_, f)| f.as_ref()) {
            d = d.in_file(file);
        }
        diags.push(d);
    }
}

fn what_is_missing(b: &Broken, base_path: &str) -> String {
    match &b.target {
        Target::Outside(path) => format!(
            "`{}` leads to {path}, outside the site, which is published under {base_path}",
            b.url
        ),
        Target::File(path) if path.ends_with("index.html") => {
            format!("`{}` is not a page of this site", b.url)
        }
        Target::File(path) => format!(
            "`{}` is not a file of this site (no `{path}` in the output)",
            b.url
        ),
        Target::Skip => String::new(),
    }
}

fn markdown_hint(b: &Broken) -> String {
    match &b.target {
        Target::File(path) if !path.ends_with("index.html") => {
            "put the file in content/ next to the page, or fix the path".into()
        }
        _ => "link to the page's Markdown file instead (e.g. [About](../about.md)): the build then checks the link and writes the right URL".into(),
    }
}

/// A page's Markdown links and images, with where each is written, to find
/// the line of a broken URL. Built once per page that has a broken link.
struct Located<'a> {
    page: &'a Page,
    /// (destination as written, where the build's output URL leads, offset in the body)
    links: Vec<(String, Target, usize)>,
    body_lines: Vec<usize>,
    source_lines: Option<Vec<usize>>,
}

/// Byte offsets at which each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// 1-based line and column (in characters) of `offset` in `text`.
fn line_column(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let column = text[starts[line - 1]..offset].chars().count() + 1;
    (line, column)
}

impl<'a> Located<'a> {
    fn new(site: &Site, page: &'a Page, base_path: &str) -> Self {
        let page_url = format!("{base_path}{}", page.url_path);
        let mut links = Vec::new();
        for (event, range) in Parser::new_ext(&page.body, markdown::options()).into_offset_iter() {
            let (dest, image) = match &event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => continue,
            };
            let written = markdown::written_url(site, page, dest, image);
            // Point at the URL itself, not at the link's opening bracket.
            let offset = page.body[range.clone()]
                .find(dest.as_ref())
                .map_or(range.start, |i| range.start + i);
            let target = resolve(base_path, "", &page_url, &written);
            links.push((dest.to_string(), target, offset));
        }
        Located {
            page,
            links,
            body_lines: line_starts(&page.body),
            source_lines: None,
        }
    }

    /// The line and column in the page's file where the broken URL is
    /// written: a Markdown link or image whose destination gives the same URL
    /// or file, else the first place the URL appears in the file's text (raw HTML).
    fn position(&mut self, b: &Broken) -> Option<(usize, usize)> {
        let found = self.links.iter().find(|(dest, target, _)| {
            *dest == b.url || (*target == b.target && !matches!(b.target, Target::Skip))
        });
        if let Some((_, _, offset)) = found {
            let (line, column) = line_column(&self.page.body, &self.body_lines, *offset);
            return Some((self.page.body_line + line - 1, column));
        }
        let source = self.page.source_text.as_str();
        let offset = source.find(&b.url)?;
        let starts = self.source_lines.get_or_insert_with(|| line_starts(source));
        let (line, column) = line_column(source, starts, offset);
        Some((line, column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(s: &str) -> Target {
        Target::File(s.into())
    }

    #[test]
    fn relative_urls_resolve_against_the_page() {
        let r = |page: &str, url: &str| resolve("/", "/", page, url);
        assert_eq!(
            r("/barriers/trust/", "../x/"),
            file("barriers/x/index.html")
        );
        assert_eq!(
            r("/barriers/trust/", "./"),
            file("barriers/trust/index.html")
        );
        assert_eq!(
            r("/barriers/trust/", "."),
            file("barriers/trust/index.html")
        );
        assert_eq!(
            r("/barriers/trust/", "photo.png"),
            file("barriers/trust/photo.png")
        );
        assert_eq!(r("/barriers/trust/", "../../../../x.css"), file("x.css"));
        assert_eq!(r("/", "about/"), file("about/index.html"));
        assert_eq!(r("/404.html", "about/"), file("about/index.html"));
        assert_eq!(r("/", "/"), file("index.html"));
        assert_eq!(r("/a/", "/glossary/"), file("glossary/index.html"));
    }

    #[test]
    fn sub_path_base() {
        let r = |page: &str, url: &str| resolve("/guide/", "/guide/", page, url);
        assert_eq!(r("/guide/about/", "../style.css"), file("style.css"));
        assert_eq!(r("/guide/about/", "/guide/"), file("index.html"));
        assert_eq!(r("/guide/about/", "/guide"), file("index.html"));
        assert_eq!(
            r("/guide/about/", "/glossary/"),
            Target::Outside("/glossary/".into())
        );
        assert_eq!(
            r("/guide/about/", "../../x/"),
            Target::Outside("/x/".into())
        );
        // The absolute base URL is this site too.
        let a = |url: &str| resolve("/guide/", "https://example.org/guide/", "/guide/", url);
        assert_eq!(a("https://example.org/guide/atom.xml"), file("atom.xml"));
        assert_eq!(a("https://example.org/other/"), Target::Skip);
    }

    #[test]
    fn query_and_fragment_are_stripped() {
        let r = |url: &str| resolve("/", "/", "/a/", url);
        assert_eq!(r("/search/?q=trust#results"), file("search/index.html"));
        assert_eq!(r("b/#part-2"), file("a/b/index.html"));
        assert_eq!(r("x.png?v=3"), file("a/x.png"));
        assert_eq!(r("?q=1"), Target::Skip);
        assert_eq!(r("#top"), Target::Skip);
    }

    #[test]
    fn entities_and_percent_escapes_are_decoded() {
        let r = |url: &str| resolve("/", "/", "/a/", url);
        // Tera escapes `/` as `&#x2F;`.
        assert_eq!(r("&#x2F;glossary&#x2F;"), file("glossary/index.html"));
        assert_eq!(r("/search/?a=1&amp;b=2"), file("search/index.html"));
        assert_eq!(r("caf%C3%A9%20menu.png"), file("a/café menu.png"));
        assert_eq!(r("&#47;x&#47;"), file("x/index.html"));
        assert_eq!(r("  /x/\n"), file("x/index.html"));
    }

    #[test]
    fn other_schemes_and_hosts_are_skipped() {
        let r = |url: &str| resolve("/", "/", "/a/", url);
        for url in [
            "https://example.org/x",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+441234",
            "//cdn.example.org/x.js",
            "&#x2F;&#x2F;cdn.example.org/x.js",
            "data:image/png;base64,AAAA",
            "",
        ] {
            assert_eq!(r(url), Target::Skip, "{url}");
        }
        // A colon after a slash is part of a path, not a scheme.
        assert_eq!(r("./a:b"), file("a/a:b"));
    }

    #[test]
    fn output_files_have_the_urls_a_browser_shows() {
        assert_eq!(url_of("/", "index.html"), "/");
        assert_eq!(url_of("/guide/", "about/index.html"), "/guide/about/");
        assert_eq!(url_of("/", "404.html"), "/404.html");
        assert_eq!(url_of("/", "a/b/index.html"), "/a/b/");
    }

    #[test]
    fn attribute_values_are_found_in_tags_only() {
        let html = br#"<a href="/a/">x</a> <p>href="/not-a-link/"</p><!-- <a href="/comment/"> -->
<img src='b.png' srcset="c.png 1x, d.png 2x"><script>var s = '<a href="/in-script/">';</script>
<form action="/search/"></form><link href=/unquoted/>"#;
        assert_eq!(
            urls_in(html),
            ["/a/", "b.png", "c.png", "d.png", "/search/", "/unquoted/"]
        );
    }
}
