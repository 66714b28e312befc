//! Markdown to HTML: heading ids and table of contents, `.md` links rewritten to
//! page URLs, glossary `<abbr>`, code highlighted by CSS class, raw HTML escaped.

use crate::config::GlossaryTerm;
use crate::content::Page;
use crate::diagnostics::{ColumnCursor, Diagnostic};
use crate::html::{escape_html, image_url_is_safe, url_is_safe};
use crate::language::SiteLanguage;
use crate::link::Site;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

pub(crate) mod citations;

/// Ids the theme uses itself; a heading never takes one.
const RESERVED_IDS: &[&str] = &["main-content", "site-nav", "toc", "search", "footer", "top"];

/// CSS class prefix for highlighted code: `hl-keyword`, `hl-string`, ...
pub(crate) const CODE_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// The first paragraph's HTML, used as a recommendation's text in lists.
    pub first_paragraph: String,
    /// Every heading id on the page, for checking `#anchor` links.
    pub ids: Vec<String>,
    /// Where the References section starts in `html` (its length when the
    /// page cites nothing).
    pub references_at: usize,
}

impl Rendered {
    /// Drops the page's HTML and contents list, once nothing else will read
    /// them (other pages' lists read only `first_paragraph`).
    pub(crate) fn release_body(&mut self) {
        self.html = String::new();
        self.toc = Vec::new();
        self.references_at = 0;
    }
}

/// Syntax definitions load once, and only when a page has code.
fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders page `index` of `site`; problems (broken links) are returned, not thrown.
pub(crate) fn render_page(site: &Site, index: usize) -> (Rendered, Vec<Diagnostic>) {
    let page = &site.pages[index];
    let mut r = PageRenderer::new(site, page);
    let events = Parser::new_ext(&page.body, options()).into_offset_iter();
    if page.body.contains("[@") {
        // Text in one run, so that a citation's `[@id, p. 14]` is seen whole.
        for (event, range) in TextMergeWithOffset::new(events) {
            r.event(event, range);
        }
    } else {
        // No citation: the parser's events as they come (no merging to pay for).
        for (event, range) in events {
            r.event(event, range);
        }
    }
    r.finish()
}

/// One page's Markdown events on their way to HTML: each kind of event has a
/// method of its own, and the state they share lives here.
struct PageRenderer<'a> {
    site: &'a Site,
    page: &'a Page,
    base: String,
    /// The page's folder inside content/ (`` for the root).
    dir: &'a str,
    events: Vec<Event<'a>>,
    diags: Vec<Diagnostic>,
    ids: IdAllocator,
    all_ids: Vec<String>,
    toc: Vec<TocEntry>,
    abbr: Abbreviations<'a>,
    /// The open heading: level, explicit id, index of its placeholder event.
    heading: Option<(HeadingLevel, Option<String>, usize)>,
    /// The open code block: language and text.
    code: Option<(String, String)>,
    budget: usize,
    in_code_span_or_link: usize,
    first_paragraph: Option<(usize, Option<usize>)>,
    /// Open links (their start event's index; None when dropped) and images (false when dropped).
    links: Vec<Option<usize>>,
    images: Vec<bool>,
    /// For each open image, the photo it shows (from [`crate::images`]), if it is one.
    open_photos: Vec<Option<OpenPhoto<'a>>>,
    /// How many photos the page has shown so far: all but the first load lazily.
    photos_shown: usize,
    in_comment: bool,
    footnotes: FootnoteNumbers,
    citations: citations::Citations<'a>,
    /// Indexes of the citations' events, left out of the first paragraph as lists show it.
    citation_events: Vec<usize>,
    /// The page's title is its one `<h1>`: a body that uses `#` headings moves down a level.
    demote: bool,
    /// The level of the last heading written (1: the page's title).
    last_level: u8,
    /// Columns counted on from the previous problem's: many problems on one long line stay linear.
    columns: ColumnCursor<'a>,
}

impl<'a> PageRenderer<'a> {
    fn new(site: &'a Site, page: &'a Page) -> Self {
        PageRenderer {
            site,
            page,
            // Files (images, downloads) are shared by every language: the root.
            base: site.root_path(),
            dir: page
                .content_path
                .rfind('/')
                .map_or("", |i| &page.content_path[..i]),
            events: Vec::new(),
            diags: Vec::new(),
            ids: IdAllocator::default(),
            all_ids: Vec::new(),
            toc: Vec::new(),
            abbr: Abbreviations::new(&site.config.glossary),
            heading: None,
            code: None,
            budget: HIGHLIGHT_PAGE_BYTES,
            in_code_span_or_link: 0,
            first_paragraph: None,
            links: Vec::new(),
            images: Vec::new(),
            open_photos: Vec::new(),
            photos_shown: 0,
            in_comment: false,
            footnotes: FootnoteNumbers::default(),
            citations: citations::Citations::new(&page.front.source, &site.language),
            citation_events: Vec::new(),
            demote: uses_level_one_headings(&page.body),
            last_level: 1,
            columns: ColumnCursor::new(&page.source_text, page.source_text.line_index()),
        }
    }

    /// A problem at byte `offset` of the body, with its file, line, column and source line.
    fn place(&mut self, d: Diagnostic, offset: usize) -> Diagnostic {
        let page = self.page;
        let at = page.source_text.len() - page.body.len() + offset;
        let (_, column) = self.columns.position(at);
        d.in_file(&page.file)
            .at(page.body_line_of(offset), column)
            .with_source_at(&page.source_text, page.source_text.line_index(), at)
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level, id.map(|s| s.to_string()), self.events.len()));
                // Replaced at the heading's end, once its text (and so its id) is known.
                self.events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = self.code.take() {
                    let html = highlight(&lang, &text, &mut self.budget);
                    self.events.push(Event::Html(html.into()));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Link) => {
                self.in_code_span_or_link = self.in_code_span_or_link.saturating_sub(1);
                if let Some(Some(start)) = self.links.pop() {
                    name_image_only_link(&mut self.events, start, &self.site.language);
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.image_start(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Image) => {
                if self.images.pop() == Some(true) {
                    match self.open_photos.pop().flatten() {
                        Some(open) => self.photo_end(open),
                        None => self.events.push(Event::End(TagEnd::Image)),
                    }
                }
            }
            // Footnotes are numbered in order of first mention, as pulldown-cmark
            // does, and get ids of their own (`fn-1`), which no heading takes.
            Event::FootnoteReference(name) => {
                let n = self.footnotes.number(&name);
                self.events.push(Event::Html(
                    format!("<sup class=\"footnote-reference\" data-pagefind-ignore><a href=\"#fn-{n}\">{n}</a></sup>")
                        .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = self.footnotes.number(&name);
                self.events.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>")
                        .into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Table(a)) => {
                // A wide table scrolls inside its own focusable region, so the page reflows at 320 px.
                self.events.push(Event::Html(
                    format!(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                        escape_html(self.site.language.word("table_scrolls"))
                    )
                    .into(),
                ));
                self.events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Paragraph) => {
                if self.first_paragraph.is_none() && self.heading.is_none() {
                    self.first_paragraph = Some((self.events.len(), None));
                }
                self.events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.events.push(Event::End(TagEnd::Paragraph));
                if let Some((start, None)) = self.first_paragraph {
                    self.first_paragraph = Some((start, Some(self.events.len())));
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => self.raw_html(raw),
            Event::Text(text)
                if self.heading.is_none()
                    && self.in_code_span_or_link == 0
                    && self.images.is_empty() =>
            {
                if text.contains("[@") {
                    self.text_with_citations(&text, range);
                } else {
                    self.text(text);
                }
            }
            other => self.events.push(other),
        }
    }

    /// Text, with the page's first use of each glossary term marked, and
    /// `{{ stakeholder_ids }}` filled in from site.toml.
    fn text(&mut self, text: CowStr<'a>) {
        if let Some((before, after)) = split_placeholder(&text) {
            let (before, after) = (before.to_string(), after.to_string());
            if !before.is_empty() {
                self.text(CowStr::from(before));
            }
            let ids: Vec<String> = self
                .site
                .config
                .stakeholders
                .iter()
                .map(|s| format!("<code>{}</code>", escape_html(&s.id)))
                .collect();
            self.events.push(Event::Html(ids.join(", ").into()));
            if !after.is_empty() {
                self.text(CowStr::from(after));
            }
            return;
        }
        match self.abbr.wrap(&text) {
            Some(html) => self.events.push(Event::Html(html.into())),
            None => self.events.push(Event::Text(text)),
        }
    }

    /// Text holding `[@id, locator]` citations: each becomes a numbered
    /// superscript link to the References list (or an error, when the page
    /// has no source of that name). `range` is the text's place in the body.
    fn text_with_citations(&mut self, text: &str, range: Range<usize>) {
        let source = self.page.body.get(range.clone()).unwrap_or("");
        let mut cursor = 0; // in `source`
        let mut pos = 0; // in `text`
        for found in citations::find(text) {
            // Where the citation is in the file: the first `@id` from the cursor on.
            let first = found.cites.first().map_or("", |c| c.id);
            let in_source = source
                .get(cursor..)
                .and_then(|s| s.find(&format!("@{first}")))
                .map(|i| cursor + i);
            if let Some(at) = in_source {
                cursor = at + 1;
                if source[..at].ends_with("\\[") {
                    continue; // `\[@id]`: the editor wants the brackets as text.
                }
            }
            let before = text[pos..found.start].trim_end();
            if !before.is_empty() {
                self.text(CowStr::from(before.to_string()));
            } else if matches!(self.events.last(), Some(Event::SoftBreak)) {
                self.events.pop();
            }
            pos = found.end;
            match self.citations.marker(&found) {
                Ok(html) => {
                    self.citation_events.push(self.events.len());
                    self.events.push(Event::Html(html.into()));
                }
                Err(problems) => {
                    for (at, d) in problems {
                        let offset = in_source
                            .map_or(range.start, |i| range.start + i + (at - found.cites[0].at));
                        let mut offset = offset.min(range.end);
                        while !self.page.body.is_char_boundary(offset) {
                            offset -= 1;
                        }
                        let d = self.place(d, offset);
                        self.diags.push(d);
                    }
                    self.events.push(Event::Text(CowStr::from(
                        text[found.start..found.end].to_string(),
                    )));
                }
            }
        }
        if pos < text.len() {
            self.text(CowStr::from(text[pos..].to_string()));
        }
    }

    /// Gives the heading its id (unique on the page), level and place in the contents.
    fn heading_end(&mut self) {
        let Some((level, explicit, start)) = self.heading.take() else {
            return;
        };
        let title = plain_text(&self.events[start + 1..]);
        let id = self.ids.allocate(explicit.as_deref().unwrap_or(&title));
        self.all_ids.push(id.clone());
        let n = if self.demote {
            (level as u8 + 1).min(6)
        } else {
            level as u8
        };
        // HTML forbids skipping a level on the way down (`##` then `####`):
        // the heading goes one below the last. `fairguide check` still warns.
        let n = n.min(self.last_level + 1);
        self.last_level = n;
        self.events[start] = Event::Html(format!("<h{n} id=\"{}\">", escape_html(&id)).into());
        self.events.push(Event::Html(format!("</h{n}>\n").into()));
        if n == 2 || n == 3 {
            self.toc.push(TocEntry {
                level: n,
                id,
                title,
            });
        }
    }

    /// A link: never a script URL; a `.md` link becomes the page's URL, or an error.
    fn link_start(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
    ) {
        self.in_code_span_or_link += 1;
        if !url_is_safe(&dest_url) {
            // Shown as its text, never as a live link.
            let d = self.place(unsafe_url(&dest_url, "link"), range.start);
            self.diags.push(d);
            self.links.push(None);
            return;
        }
        let dest = match rewrite_link(self.site, self.dir, &self.base, &dest_url) {
            Ok(Some(url)) => CowStr::from(url),
            Ok(None) => dest_url,
            Err(message) => {
                // The URL inside this link's own text, else the link's start.
                let within = self
                    .page
                    .body
                    .get(range.clone())
                    .and_then(|t| t.find(dest_url.as_ref()));
                let problem =
                    Diagnostic::error(message).hint(link_hint(self.site, self.dir, &dest_url));
                let d = self.place(problem, range.start + within.unwrap_or(0));
                self.diags.push(d);
                dest_url
            }
        };
        self.links.push(Some(self.events.len()));
        self.events.push(Event::Start(Tag::Link {
            link_type,
            dest_url: dest,
            title,
            id,
        }));
    }

    /// An image: never a script URL; a relative path must name a file in content/.
    fn image_start(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
    ) {
        if !image_url_is_safe(&dest_url) {
            // Its alt text stays, as text.
            let d = self.place(unsafe_url(&dest_url, "image"), range.start);
            self.diags.push(d);
            self.images.push(false);
            return;
        }
        let (dest, missing) = image_url(self.site, self.dir, &self.base, &dest_url);
        if let Some(file) = missing {
            let d = self.place(missing_image(&dest_url, &file), range.start);
            self.diags.push(d);
        }
        let photo = match self.photo_of(&dest_url) {
            Some(Ok(photo)) => Some(photo),
            Some(Err(reason)) => {
                let d = self.place(unreadable_photo(&dest_url, reason), range.start);
                self.diags.push(d);
                None
            }
            None => None,
        };
        let dest = dest.map_or(dest_url, CowStr::from);
        self.open_photos.push(photo.map(|photo| OpenPhoto {
            start: self.events.len(),
            photo,
            src: dest.to_string(),
            title: title.to_string(),
        }));
        self.images.push(true);
        self.events.push(Event::Start(Tag::Image {
            link_type,
            dest_url: dest,
            title,
            id,
        }));
    }

    /// The photo an image's `dest` names: a file in content/ that `images` read.
    fn photo_of(&self, dest: &str) -> Option<&'a Result<crate::images::Photo, String>> {
        let site: &'a Site = self.site;
        let file = content_file(self.dir, dest)?;
        site.photos.get(&file)
    }

    /// A photo's image ends: its events become one `<picture>`.
    fn photo_end(&mut self, open: OpenPhoto<'a>) {
        let alt = plain_text(&self.events[open.start + 1..]);
        self.events.truncate(open.start);
        let lazy = self.photos_shown > 0;
        self.photos_shown += 1;
        let html =
            crate::images::picture_html(open.photo, &open.src, &self.base, &alt, &open.title, lazy);
        self.events.push(Event::Html(html.into()));
    }

    /// Raw HTML: kept only when the site allows it; comments dropped; else shown as text.
    fn raw_html(&mut self, raw: CowStr<'a>) {
        if self.site.config.allow_raw_html {
            self.events.push(Event::Html(raw));
        } else if self.in_comment || raw.trim_start().starts_with("<!--") {
            // Comments are the author's notes: never shown.
            self.in_comment = !raw.contains("-->");
        } else {
            // Untrusted by default: shown as text, never run.
            self.events.push(Event::Text(raw));
        }
    }

    fn finish(mut self) -> (Rendered, Vec<Diagnostic>) {
        let first_paragraph = match self.first_paragraph {
            Some((start, Some(end))) => {
                let mut out = String::new();
                // Lists show it on other pages, where its citations would lead nowhere.
                let events = (start..end)
                    .filter(|i| !self.citation_events.contains(i))
                    .map(|i| self.events[i].clone());
                pulldown_cmark::html::push_html(&mut out, events);
                out
            }
            _ => String::new(),
        };
        let mut references = String::new();
        if !self.citations.is_empty() {
            let id = self.ids.allocate("References");
            references = self.citations.list(&id);
            self.all_ids.push(id.clone());
            self.all_ids.extend(self.citations.ids());
            self.toc.push(TocEntry {
                level: 2,
                id,
                title: self.site.language.word("references").into(),
            });
        }
        let mut html = String::with_capacity(self.page.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        // The References section ends the text (a listing moves it below its records).
        let references_at = html.len();
        html.push_str(&references);
        // Held for the whole build (search and lints read it): keep no slack.
        html.shrink_to_fit();
        (
            Rendered {
                html,
                toc: self.toc,
                first_paragraph,
                ids: self.all_ids,
                references_at,
            },
            self.diags,
        )
    }
}

/// `{{ stakeholder_ids }}` in a page's text is filled from site.toml: the
/// stakeholder ids, as a list of code words (`bme`, `funders`, ...), so an
/// editors' page listing them cannot drift from the site. Written in code
/// (`` `{{ stakeholder_ids }}` ``) it is shown as typed.
///
/// The text before and after the first placeholder (spaces inside the braces optional).
fn split_placeholder(text: &str) -> Option<(&str, &str)> {
    if !text.contains("{{") {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("{{").map(|i| i + from) {
        let rest = &text[i + 2..];
        let end = rest.find("}}")?;
        if rest[..end].trim() == "stakeholder_ids" {
            return Some((&text[..i], &rest[end + 2..]));
        }
        from = i + 2;
    }
    None
}

fn unsafe_url(url: &str, what: &str) -> Diagnostic {
    let shown: String = url.chars().take(60).collect();
    Diagnostic::warning(format!(
        "this {what}'s address `{shown}` could run a script, so it is shown as plain text"
    ))
    .hint("use a web address starting with https://, or a link to another page's .md file")
}

/// An image whose dest was a photo's: where its `<picture>` starts and what it shows.
struct OpenPhoto<'a> {
    /// Index of the image's start event.
    start: usize,
    photo: &'a crate::images::Photo,
    /// The original's URL, as the page writes it.
    src: String,
    title: String,
}

fn unreadable_photo(dest: &str, reason: &str) -> Diagnostic {
    Diagnostic::error(format!("image `{dest}` cannot be shown: {reason}"))
        .hint("open the file in an image editor and save it again as JPEG or PNG, or replace it with one that opens")
}

/// The file in content/ (from its root, `/`-separated) that a relative
/// image or link `dest` on a page in folder `dir` names.
fn content_file(dir: &str, dest: &str) -> Option<String> {
    if !is_relative(dest) {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or_default();
    let joined = match path.strip_prefix('/') {
        Some(p) => p.to_string(),
        None if dir.is_empty() => path.to_string(),
        None => format!("{dir}/{path}"),
    };
    normalise(&joined)
}

fn missing_image(dest: &str, file: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "image `{dest}` not found: there is no content/{file}"
    ))
    .hint("put the image file in content/ beside the page (or fix the name); paths are relative to the page's file")
}

/// True when the body has a level-one heading (`# Title` or a `===` underline).
fn uses_level_one_headings(body: &str) -> bool {
    // A cheap look first: most pages have none, and parsing twice costs.
    let maybe = body.lines().any(|l| {
        let l = l.trim_start();
        l == "#"
            || l.starts_with("# ")
            || l.starts_with("#\t")
            || (l.starts_with('=') && l.trim_end().bytes().all(|b| b == b'='))
    });
    maybe
        && Parser::new_ext(body, options()).any(|e| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        })
}

/// A link whose only content is images without alt text has no name for a
/// screen reader: it is named after where it goes.
fn name_image_only_link(events: &mut [Event], start: usize, words: &SiteLanguage) {
    let inner = &events[start + 1..];
    let has_text = inner.iter().any(|e| match e {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        // A photo without alt text names nothing either.
        Event::Html(t) => {
            !(t.trim().is_empty() || (t.starts_with("<picture>") && t.contains(" alt=\"\"")))
        }
        _ => false,
    });
    if has_text {
        return;
    }
    let Event::Start(Tag::Link {
        dest_url, title, ..
    }) = &events[start]
    else {
        return;
    };
    let name = if title.trim().is_empty() {
        link_name_from_url(dest_url, words)
    } else {
        title.to_string()
    };
    let title_attr = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    };
    events[start] = Event::Html(
        format!(
            "<a href=\"{}\"{title_attr} aria-label=\"{}\">",
            escape_html(dest_url),
            escape_html(&name)
        )
        .into(),
    );
}

/// "example.org/docs" from `https://www.example.org/docs/`: a readable name for a link.
fn link_name_from_url(url: &str, words: &SiteLanguage) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        words.word("link_unnamed").into()
    } else {
        words.fill("link_to", &[("address", rest)])
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn is_relative(url: &str) -> bool {
    !(url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with('#')
        || url.starts_with("data:"))
}

/// Resolves `a/../b/./c` inside content/; None when it climbs out.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The page a `.md` link from page `from` points at, with its `#fragment`.
pub(crate) fn resolve_page_link<'a>(
    site: &Site,
    from: usize,
    dest: &'a str,
) -> Option<(usize, &'a str)> {
    let page = &site.pages[from];
    let dir = page
        .content_path
        .rfind('/')
        .map_or("", |i| &page.content_path[..i]);
    let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    if !is_relative(dest) || !path.ends_with(".md") {
        return None;
    }
    let joined = match path.strip_prefix('/') {
        Some(p) => p.to_string(),
        None if dir.is_empty() => path.to_string(),
        None => format!("{dir}/{path}"),
    };
    let target = normalise(&joined)?;
    site.by_content_path.get(&target).map(|&i| (i, fragment))
}

/// `Ok(Some(url))` for a link to a page by its `.md` path, `Ok(None)` for any other link.
fn rewrite_link(site: &Site, dir: &str, base: &str, dest: &str) -> Result<Option<String>, String> {
    if !is_relative(dest) {
        return Ok(None);
    }
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let path = path.split('?').next().unwrap_or(path);
    if !path.ends_with(".md") {
        return Ok(file_link(site, dir, base, dest, path));
    }
    let joined = match path.strip_prefix('/') {
        Some(p) => p.to_string(),
        None if dir.is_empty() => path.to_string(),
        None => format!("{dir}/{path}"),
    };
    let target =
        normalise(&joined).ok_or_else(|| format!("link `{dest}` points outside content/"))?;
    match site.by_content_path.get(&target) {
        // Pages are in the site's own language: its base path.
        Some(&i) => Ok(Some(format!(
            "{}{}{fragment}",
            site.config.base_path(),
            site.pages[i].url_path
        ))),
        // The target failed to load and has its own error; do not report it twice.
        None if site.failed.contains(&target) => Ok(Some(dest.to_string())),
        None => Err(format!(
            "link to a missing page: `{dest}` (there is no content/{target})"
        )),
    }
}

/// Where an image's `dest` is published: a path relative to the page's file
/// becomes a path from content/ (with the file it names, when that file is not
/// in content/), a path from content/ gets the base path; None keeps `dest`.
fn image_url(site: &Site, dir: &str, base: &str, dest: &str) -> (Option<String>, Option<String>) {
    if is_relative(dest) && !dest.starts_with('/') {
        let joined = if dir.is_empty() {
            dest.to_string()
        } else {
            format!("{dir}/{dest}")
        };
        let path = normalise(&joined).unwrap_or(joined);
        let file = path.split(['?', '#']).next().unwrap_or_default();
        let missing = (!site.has_asset(file)).then(|| file.to_string());
        (Some(format!("{base}{path}")), missing)
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        (Some(format!("{base}{}", &dest[1..])), None)
    } else {
        (None, None)
    }
}

/// The URL the build writes for a link (or image) `dest` on page `page`:
/// what `fairguide check` compares the built output with.
pub(crate) fn written_url(
    site: &Site,
    page: &crate::content::Page,
    dest: &str,
    image: bool,
) -> String {
    let base = site.root_path();
    let dir = page
        .content_path
        .rfind('/')
        .map_or("", |i| &page.content_path[..i]);
    let written = if image {
        image_url(site, dir, &base, dest).0
    } else {
        rewrite_link(site, dir, &base, dest).ok().flatten()
    };
    written.unwrap_or_else(|| dest.to_string())
}

/// A link to a file rather than a page: a path from content/ (`/report.pdf`)
/// gets the site's base path; a path relative to the Markdown file that names
/// a file in content/ (`leaflet.pdf` beside `notes/faq.md`) is rewritten to
/// where that file is published, since the page itself is one folder deeper.
fn file_link(site: &Site, dir: &str, base: &str, dest: &str, path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let rest = &dest[dest.find(path).map_or(dest.len(), |i| i + path.len())..];
    if let Some(from_root) = path.strip_prefix('/') {
        return (!from_root.starts_with('/')).then(|| format!("{base}{from_root}{rest}"));
    }
    let joined = if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    let target = normalise(&joined)?;
    site.has_asset(&target)
        .then(|| format!("{base}{target}{rest}"))
}

fn link_hint(site: &Site, dir: &str, dest: &str) -> String {
    let name = dest
        .rsplit('/')
        .next()
        .unwrap_or(dest)
        .split('#')
        .next()
        .unwrap_or("");
    let candidates: Vec<&str> = site.by_content_path.keys().map(String::as_str).collect();
    let close = candidates
        .iter()
        .filter(|c| {
            c.rsplit('/').next() == Some(name)
                || crate::diagnostics::nearest(name, [c.rsplit('/').next().unwrap_or("")]).is_some()
        })
        .min_by_key(|c| c.len());
    match close {
        Some(c) => {
            let depth = if dir.is_empty() {
                0
            } else {
                dir.split('/').count()
            };
            format!(
                "did you mean `{}{c}`? (or `/{c}` from content/)",
                "../".repeat(depth)
            )
        }
        None => "link to a file that exists in content/, e.g. `../barriers/trust-and-control.md`"
            .to_string(),
    }
}

/// Footnote numbers by name, in order of first mention.
#[derive(Default)]
struct FootnoteNumbers(HashMap<String, usize>);

impl FootnoteNumbers {
    fn number(&mut self, name: &str) -> usize {
        let next = self.0.len() + 1;
        *self.0.entry(name.to_string()).or_insert(next)
    }
}

/// Gives each heading an id no other element of the page has.
#[derive(Default)]
struct IdAllocator {
    used: HashSet<String>,
    /// For each base id, the next suffix to try (keeps many equal headings linear).
    next: HashMap<String, usize>,
}

impl IdAllocator {
    fn allocate(&mut self, text: &str) -> String {
        let mut base = slug::slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        // `fn-N` are the footnotes' ids; `ref-N` and `cite-N-K` the citations'.
        if RESERVED_IDS.contains(&base.as_str())
            || ["fn-", "ref-", "cite-"].iter().any(|p| base.starts_with(p))
        {
            base.push_str("-heading");
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Wraps the first use of each glossary term on a page in `<abbr>`.
struct Abbreviations<'a> {
    terms: &'a [GlossaryTerm],
    /// Terms not yet wrapped on this page: the first copy of each term only,
    /// so a glossary that lists a term thousands of times costs what one does.
    pending: Vec<usize>,
}

impl<'a> Abbreviations<'a> {
    fn new(terms: &'a [GlossaryTerm]) -> Self {
        let mut seen = HashSet::new();
        let pending = terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.term.is_empty() && seen.insert(t.term.as_str()))
            .map(|(i, _)| i)
            .collect();
        Abbreviations { terms, pending }
    }

    fn wrap(&mut self, text: &str) -> Option<String> {
        if self.pending.is_empty() {
            return None;
        }
        let mut hits: Vec<(usize, usize)> = Vec::new(); // (byte offset, term index)
        for &t in &self.pending {
            if let Some(at) = find_word(text, &self.terms[t].term) {
                hits.push((at, t));
            }
        }
        if hits.is_empty() {
            return None;
        }
        hits.sort();
        let mut wrapped = HashSet::new();
        let mut out = String::with_capacity(text.len() + 64);
        let mut pos = 0;
        for (at, t) in hits {
            if at < pos {
                continue;
            }
            let term = &self.terms[t];
            out.push_str(&escape_html(&text[pos..at]));
            out.push_str(&format!(
                "<abbr title=\"{}\">{}</abbr>",
                escape_html(&term.expansion),
                escape_html(&term.term)
            ));
            pos = at + term.term.len();
            wrapped.insert(t);
        }
        self.pending.retain(|t| !wrapped.contains(t));
        out.push_str(&escape_html(&text[pos..]));
        Some(out)
    }
}

/// Byte offset of `word` standing alone (or as a plural: "PCTs") in `text`.
pub(crate) fn find_word(text: &str, word: &str) -> Option<usize> {
    // Most text holds no glossary term: a memchr for its first byte is much
    // cheaper than setting up a substring search for every text run.
    let first = *word.as_bytes().first()?;
    if !text.as_bytes().contains(&first) {
        return None;
    }
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let rest = &text[i + word.len()..];
        let rest = rest
            .strip_prefix('s')
            .filter(|r| r.chars().next().is_none_or(|c| !c.is_alphanumeric()))
            .unwrap_or(rest);
        let after = rest.chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Highlighting budget. Syntax highlighting costs up to ~15 µs a byte on some
/// grammars (make, with backtracking regexes) and more on very long lines, so
/// a block over `HIGHLIGHT_BLOCK_BYTES`, a block with a line over
/// `HIGHLIGHT_LINE_BYTES`, and any code past `HIGHLIGHT_PAGE_BYTES` on one page
/// are shown as escaped plain text: no page costs more than about 0.3 s to
/// highlight, and build time stays linear in the input.
pub(crate) const HIGHLIGHT_BLOCK_BYTES: usize = 16 * 1024;
pub(crate) const HIGHLIGHT_LINE_BYTES: usize = 500;
pub(crate) const HIGHLIGHT_PAGE_BYTES: usize = 24 * 1024;

/// Highlighted code by CSS class; unknown languages, and code past the budget
/// (`budget`: bytes this page may still highlight), are escaped plain text.
fn highlight(lang: &str, code: &str, budget: &mut usize) -> String {
    let affordable = code.len() <= HIGHLIGHT_BLOCK_BYTES
        && code.len() <= *budget
        && code.split('\n').all(|l| l.len() <= HIGHLIGHT_LINE_BYTES);
    if affordable && !lang.is_empty() {
        *budget -= code.len();
    }
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(lang))
    };
    let body = if lang.is_empty() || !affordable {
        escape_html(code)
    } else {
        let ss = syntax_set();
        match ss.find_syntax_by_token(lang) {
            Some(syntax) => {
                let mut gen =
                    ClassedHTMLGenerator::new_with_class_style(syntax, ss, CODE_CLASS_STYLE);
                let ok = LinesWithEndings::from(code)
                    .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
                if ok {
                    gen.finalize()
                } else {
                    escape_html(code)
                }
            }
            None => escape_html(code),
        }
    };
    format!("<pre class=\"code\" tabindex=\"0\"><code{label}>{body}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stakeholder_placeholder_is_found_with_or_without_spaces() {
        assert_eq!(
            split_placeholder("Use {{ stakeholder_ids }}."),
            Some(("Use ", "."))
        );
        assert_eq!(split_placeholder("{{stakeholder_ids}}"), Some(("", "")));
        assert_eq!(split_placeholder("{{ other }} and {{ x"), None);
        assert_eq!(split_placeholder("no braces"), None);
    }

    #[test]
    fn ids_are_unique_and_avoid_reserved() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("Trust"), "trust");
        assert_eq!(ids.allocate("Trust"), "trust-1");
        assert_eq!(ids.allocate("Main content"), "main-content-heading");
    }

    #[test]
    fn ids_never_repeat_even_when_a_heading_looks_like_a_suffix() {
        let mut ids = IdAllocator::default();
        let got: Vec<String> = ["A 1", "A", "A", "A 1"]
            .iter()
            .map(|t| ids.allocate(t))
            .collect();
        assert_eq!(got, ["a-1", "a", "a-2", "a-1-1"]);
    }

    #[test]
    fn normalise_refuses_to_climb_out() {
        assert_eq!(normalise("a/../b/./c.md").as_deref(), Some("b/c.md"));
        assert_eq!(normalise("../x.md"), None);
    }

    #[test]
    fn highlight_uses_classes_not_colours() {
        let html = highlight("yaml", "title: x\n", &mut HIGHLIGHT_PAGE_BYTES.clone());
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn a_term_listed_many_times_is_wrapped_once_and_scanned_once() {
        let term = GlossaryTerm {
            term: "BME".into(),
            expansion: "Black and minority ethnic".into(),
            definition: String::new(),
        };
        let empty = GlossaryTerm {
            term: String::new(),
            ..term.clone()
        };
        let mut terms = vec![term; 10_000];
        terms.insert(0, empty);
        let mut abbr = Abbreviations::new(&terms);
        assert_eq!(abbr.pending, [1]);
        assert_eq!(abbr.wrap("no term here"), None);
        assert_eq!(
            abbr.wrap("BME & BME").as_deref(),
            Some("<abbr title=\"Black and minority ethnic\">BME</abbr> &amp; BME")
        );
        assert!(abbr.pending.is_empty());
        assert_eq!(abbr.wrap("BME"), None);
    }

    #[test]
    fn code_past_the_highlighting_budget_is_escaped_plain_text() {
        let plain = |code: &str| {
            format!(
                "<pre class=\"code\" tabindex=\"0\"><code class=\"language-makefile\">{}</code></pre>\n",
                escape_html(code)
            )
        };
        let mut budget = HIGHLIGHT_PAGE_BYTES;
        let small = "all: <a>\n\t$(CC) -o $@ $^\n";
        assert!(highlight("makefile", small, &mut budget).contains("hl-"));
        assert_eq!(budget, HIGHLIGHT_PAGE_BYTES - small.len());
        // One block too big, one line too long: plain, and the budget is kept.
        let big = small.repeat(HIGHLIGHT_BLOCK_BYTES / small.len() + 1);
        assert_eq!(highlight("makefile", &big, &mut budget), plain(&big));
        let wide = format!("all: {}\n", "a".repeat(HIGHLIGHT_LINE_BYTES));
        assert_eq!(highlight("makefile", &wide, &mut budget), plain(&wide));
        assert_eq!(budget, HIGHLIGHT_PAGE_BYTES - small.len());
        // Blocks that fit highlight until the page's budget is spent.
        let block = small.repeat(HIGHLIGHT_BLOCK_BYTES / small.len());
        let mut highlighted = 0;
        while highlight("makefile", &block, &mut budget).contains("hl-") {
            highlighted += 1;
        }
        assert_eq!(highlighted, 1);
        assert_eq!(highlight("makefile", &block, &mut budget), plain(&block));
        assert!(highlight("makefile", small, &mut budget).contains("hl-"));
    }
}
