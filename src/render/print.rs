//! `/print/`: the whole guide on one page, in reading order, for printing or
//! saving as a PDF.
//!
//! Each part is the `<main>` of the page readers see on screen, rendered by
//! that page's own template (so a template override, or a kind added later,
//! prints as it shows), then fitted into one document: its headings moved
//! down below the part's place in the contents, every `id` made unique across
//! the page (with everything that refers to it: `#fragment` links, `for`,
//! `aria-labelledby` and the like), and every link to another part turned
//! into a link within the page. `print.html` lays the parts out and holds
//! every word around them.
//!
//! The parts render in parallel, each with reads of its own, and the print
//! page records all of them: an edit to any page it shows re-renders it.

use super::{fill, generated_page, generated_path, page_url, render_output, Dep, Output, Reads};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::html::escape_html;
use crate::link::SECTIONS;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// A chapter of the printed guide: a page of its own (the introduction, the
/// code of conduct, the glossary) or a section's landing page with its pages.
struct Chapter {
    landing: Output,
    groups: Vec<Group>,
}

/// Pages of a chapter under one heading (recommendations: one group per
/// stakeholder type) or none.
struct Group {
    heading: GroupHeading,
    members: Vec<Output>,
}

#[derive(Clone, Copy)]
enum GroupHeading {
    None,
    /// By its place in site.toml.
    Stakeholder(usize),
    /// Recommendations addressed to no stakeholder type.
    Unassigned,
}

/// The guide's reading order: the introduction, the sections (recommendations
/// by stakeholder type, then the code of conduct), the glossary, and the
/// plain pages of the main menu.
fn plan(r: &Reads) -> Vec<Chapter> {
    let single = |landing| Chapter {
        landing,
        groups: Vec::new(),
    };
    let mut chapters = vec![single(r.home().map_or(Output::Home, Output::Page))];
    let mut placed: HashSet<usize> = HashSet::new();
    let mut code_of_conduct = r.code_of_conduct().map(|i| single(Output::Page(i)));
    for &k in SECTIONS {
        let pages = r.section(k);
        let index = r.section_index(k);
        if !pages.is_empty() || index.is_some() {
            let landing = index.map_or(Output::Section(k), Output::Page);
            let groups = if k == Kind::Recommendation {
                recommendation_groups(r, pages, &mut placed)
            } else {
                vec![Group {
                    heading: GroupHeading::None,
                    members: pages.iter().map(|&i| Output::Page(i)).collect(),
                }]
            };
            chapters.push(Chapter { landing, groups });
        }
        if k == Kind::Recommendation {
            chapters.extend(code_of_conduct.take());
        }
    }
    chapters.extend(code_of_conduct);
    let glossary = r.glossary_page();
    if let Some(i) = glossary {
        chapters.push(single(Output::Page(i)));
    } else if !r.config().glossary.is_empty() {
        chapters.push(single(Output::Glossary));
    }
    // The plain pages of the main menu, in its order (about, further reading).
    let mut extra: Vec<(i64, &str, usize)> = (0..r.page_count())
        .filter(|&i| r.place(i).kind == Kind::Page && Some(i) != glossary)
        .filter_map(|i| {
            let f = r.front(i);
            f.nav
                .then(|| (f.weight.unwrap_or(i64::MAX), f.title.as_str(), i))
        })
        .collect();
    extra.sort();
    chapters.extend(extra.into_iter().map(|(_, _, i)| single(Output::Page(i))));
    chapters
}

/// Every recommendation once: under the first stakeholder type (in site.toml
/// order) it names, then those that name none.
fn recommendation_groups(r: &Reads, pages: &[usize], placed: &mut HashSet<usize>) -> Vec<Group> {
    let mut groups = Vec::new();
    for s in 0..r.config().stakeholders.len() {
        let members: Vec<Output> = r
            .by_stakeholder(s, Kind::Recommendation)
            .iter()
            .filter(|&&i| placed.insert(i))
            .map(|&i| Output::Page(i))
            .collect();
        if !members.is_empty() {
            groups.push(Group {
                heading: GroupHeading::Stakeholder(s),
                members,
            });
        }
    }
    let rest: Vec<Output> = pages
        .iter()
        .filter(|&&i| placed.insert(i))
        .map(|&i| Output::Page(i))
        .collect();
    if !rest.is_empty() {
        groups.push(Group {
            heading: GroupHeading::Unassigned,
            members: rest,
        });
    }
    groups
}

/// One printed part: its page's `<main>`, fitted in.
struct Part {
    anchor: String,
    title: String,
    html: String,
}

/// What `print.html` receives beside `site` and `page`.
#[derive(Serialize)]
struct PrintExtra {
    chapters: Vec<ChapterValue>,
    /// The site's title as a CSS string, for `@page` margin boxes.
    page_header: String,
    /// "Page 3 of 40" as a CSS `content` value (strings and page counters),
    /// in the site's language.
    page_footer: String,
}

/// What `print.html` receives for each chapter.
#[derive(Serialize)]
struct ChapterValue {
    id: String,
    title: String,
    content: String,
    groups: Vec<GroupValue>,
}

#[derive(Serialize)]
struct GroupValue {
    /// Its heading's id (when it has a heading).
    id: String,
    /// The stakeholder type it is for, or null.
    stakeholder: Option<StakeholderValue>,
    /// True for recommendations addressed to no stakeholder type.
    unassigned: bool,
    parts: Vec<PartValue>,
}

#[derive(Serialize)]
struct StakeholderValue {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct PartValue {
    id: String,
    title: String,
    content: String,
}

/// Ids the theme's page frame uses; no part takes one.
const FRAME_IDS: &[&str] = &["main-content", "site-nav", "top", "toc", "search", "footer"];

/// Renders `/print/`.
pub(super) fn render(theme: &Theme, r: &Reads) -> Result<Vec<u8>, Diagnostic> {
    let chapters = plan(r);
    // Every part, in reading order, with how far its headings move down.
    let mut order: Vec<(Output, u8)> = Vec::new();
    for c in &chapters {
        order.push((c.landing, 1));
        for g in &c.groups {
            let shift = if matches!(g.heading, GroupHeading::None) {
                2
            } else {
                3
            };
            order.extend(g.members.iter().map(|&m| (m, shift)));
        }
    }
    // The page's own ids (the site's header, print.html's headings) first.
    let mut ids = Ids::default();
    for id in FRAME_IDS {
        ids.used.insert((*id).to_string());
    }
    let empty = print_page(theme, r, &[], &[], &[], |_| String::new())?;
    for id in frame_ids(&String::from_utf8_lossy(&empty)) {
        ids.used.insert(id);
    }
    // Each part's anchor comes from its address: /principles/x/ -> #principles-x.
    // Anchors hold no `.`, so the ids inside parts (`principles-x.why`)
    // are unique across the page as long as they are within their part.
    let anchors: Vec<String> = order
        .iter()
        .map(|&(output, _)| {
            let path = generated_path(r, output);
            let base: String = path
                .trim_matches('/')
                .chars()
                .map(|c| {
                    if c == '/' || c == '.' || c.is_whitespace() {
                        '-'
                    } else {
                        c
                    }
                })
                .collect();
            ids.take(if base.is_empty() { "home" } else { &base })
        })
        .collect();
    let by_url: HashMap<String, &str> = order
        .iter()
        .zip(&anchors)
        .map(|(&(output, _), anchor)| (page_url(r, &generated_path(r, output)), anchor.as_str()))
        .collect();
    // Each recommendation group's heading, by chapter and group.
    let mut n = 0;
    let group_ids: Vec<Vec<String>> = chapters
        .iter()
        .map(|c| {
            let anchor = anchors[n].clone();
            n += 1 + c.groups.iter().map(|g| g.members.len()).sum::<usize>();
            c.groups
                .iter()
                .map(|g| match g.heading {
                    GroupHeading::None => String::new(),
                    GroupHeading::Stakeholder(s) => {
                        ids.take(&format!("{anchor}-for-{}", r.config().stakeholders[s].id))
                    }
                    GroupHeading::Unassigned => ids.take(&format!("{anchor}-other")),
                })
                .collect()
        })
        .collect();

    let inputs = r.inputs();
    let rendered: Vec<Result<(Part, Vec<Dep>), Diagnostic>> = order
        .par_iter()
        .zip(&anchors)
        .map(|(&(output, shift), anchor)| {
            let sub = inputs.reads();
            let bytes = render_output(theme, &sub, output)?;
            let main = main_of(&String::from_utf8_lossy(&bytes));
            let url = page_url(&sub, &generated_path(&sub, output));
            let (html, title) = fit(&main, shift, anchor, &url, &by_url);
            let part = Part {
                anchor: anchor.clone(),
                title,
                html,
            };
            Ok((part, sub.finish()))
        })
        .collect();
    let mut parts = Vec::with_capacity(rendered.len());
    for result in rendered {
        let (part, deps) = result?;
        r.absorb(deps);
        parts.push(part);
    }
    let mut html: Vec<String> = parts
        .iter_mut()
        .map(|p| std::mem::take(&mut p.html))
        .collect();
    print_page(theme, r, &chapters, &parts, &group_ids, |n| {
        std::mem::take(&mut html[n])
    })
}

/// Fills `print.html`, with `content(n)` as part `n`'s HTML.
fn print_page(
    theme: &Theme,
    r: &Reads,
    chapters: &[Chapter],
    parts: &[Part],
    group_ids: &[Vec<String>],
    mut content: impl FnMut(usize) -> String,
) -> Result<Vec<u8>, Diagnostic> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        (n - 1, &parts[n - 1])
    };
    let mut values = Vec::with_capacity(chapters.len());
    for (c, group_ids) in chapters.iter().zip(group_ids) {
        let (i, landing) = next();
        let (id, title, content_html) = (landing.anchor.clone(), landing.title.clone(), content(i));
        let mut groups = Vec::new();
        for (g, group_id) in c.groups.iter().zip(group_ids) {
            let stakeholder = match g.heading {
                GroupHeading::Stakeholder(s) => {
                    let s = &r.config().stakeholders[s];
                    Some(StakeholderValue {
                        id: s.id.clone(),
                        name: s.name.clone(),
                    })
                }
                _ => None,
            };
            let members = g
                .members
                .iter()
                .map(|_| {
                    let (i, p) = next();
                    PartValue {
                        id: p.anchor.clone(),
                        title: p.title.clone(),
                        content: content(i),
                    }
                })
                .collect();
            groups.push(GroupValue {
                id: group_id.clone(),
                stakeholder,
                unassigned: matches!(g.heading, GroupHeading::Unassigned),
                parts: members,
            });
        }
        values.push(ChapterValue {
            id,
            title,
            content: content_html,
            groups,
        });
    }
    let c = r.config();
    let page = generated_page(
        r,
        &c.title,
        "print/",
        r.language().kind_label(crate::kind::Kind::Page),
        &c.description,
    );
    let extra = PrintExtra {
        chapters: values,
        page_header: css_string(&c.title),
        page_footer: css_counters(r.language().word("print_page_of")),
    };
    fill(theme, r, "print.html", page, extra, None)
}

/// Allocates ids, each once.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    fn take(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// The inside of a rendered page's `<main>` (the whole page if it has none).
fn main_of(html: &str) -> String {
    let Some(start) = html.find("<main") else {
        return html.to_string();
    };
    let Some(open_end) = html[start..].find('>').map(|e| start + e + 1) else {
        return html.to_string();
    };
    let end = html.rfind("</main>").filter(|&e| e >= open_end);
    html[open_end..end.unwrap_or(html.len())].to_string()
}

/// The element ids of a page.
fn frame_ids(html: &str) -> Vec<String> {
    let ids = RefCell::new(Vec::new());
    {
        let settings = lol_html::Settings::new().append_element_content_handler(
            lol_html::element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.borrow_mut().push(decode(&id));
                }
                Ok(())
            }),
        );
        let mut rewriter = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
        // Our own templates' output: a tokenizer error keeps what was found.
        let _ = rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end());
    }
    ids.into_inner()
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

/// Attributes that hold one id, or several separated by spaces.
const ID_REFERENCES: &[&str] = &[
    "for",
    "form",
    "list",
    "headers",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-errormessage",
    "aria-activedescendant",
    "aria-flowto",
];

/// Fits a part (the HTML of its page's `<main>`) into the print page:
/// headings `shift` levels down, each id `x` made `<anchor>.x` (a repeat
/// within the part `<anchor>.x-2`) with every `#x` link, `for` and `aria-*`
/// reference to it, and links to printed pages (`by_url`: their addresses)
/// made links within the page. Returns the HTML and the text of its first `<h1>`.
fn fit(
    html: &str,
    shift: u8,
    anchor: &str,
    page_url: &str,
    by_url: &HashMap<String, &str>,
) -> (String, String) {
    let local = |id: &str| format!("{anchor}.{id}");
    let link = |href: &str| -> Option<String> {
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        if is_relative_path(path) {
            // Written for the page's own address: made absolute, then seen
            // as any other link (maybe to a printed page).
            let absolute = absolute_url(page_url, href);
            return Some(link_to_part(&absolute, by_url).unwrap_or(absolute));
        }
        let target = if path.is_empty() {
            anchor
        } else {
            by_url.get(path)?
        };
        Some(if fragment.is_empty() {
            format!("#{target}")
        } else {
            format!("#{target}.{fragment}")
        })
    };
    let seen: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    let title = RefCell::new(String::new());
    let h1s = RefCell::new(0usize);
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    {
        let mut handlers = vec![
            lol_html::element!("h1, h2, h3, h4, h5, h6", |el| {
                let level: u8 = el.tag_name()[1..].parse().unwrap_or(6);
                if level == 1 {
                    *h1s.borrow_mut() += 1;
                }
                let _ = el.set_tag_name(&format!("h{}", (level + shift).min(6)));
                Ok(())
            }),
            lol_html::text!("h1", |t| {
                if *h1s.borrow() == 1 {
                    title.borrow_mut().push_str(t.as_str());
                }
                Ok(())
            }),
            lol_html::element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    let mut new = local(&decode(&id));
                    let mut seen = seen.borrow_mut();
                    let mut k = 2;
                    while seen.contains(&new) {
                        new = format!("{}-{k}", local(&decode(&id)));
                        k += 1;
                    }
                    seen.insert(new.clone());
                    el.set_attribute("id", &escape_html(&new))?;
                }
                Ok(())
            }),
            lol_html::element!("a[href], area[href]", |el| {
                if let Some(href) = el.get_attribute("href") {
                    if let Some(new) = link(&decode(&href)) {
                        el.set_attribute("href", &escape_html(&new))?;
                    }
                }
                Ok(())
            }),
            lol_html::element!("img[src], source[src], video[src], audio[src]", |el| {
                if let Some(src) = el.get_attribute("src") {
                    let src = decode(&src);
                    if is_relative_path(src.split(['?', '#']).next().unwrap_or("")) {
                        el.set_attribute("src", &escape_html(&absolute_url(page_url, &src)))?;
                    }
                }
                Ok(())
            }),
        ];
        for attr in ID_REFERENCES {
            handlers.push(lol_html::element!(format!("[{attr}]"), move |el| {
                if let Some(value) = el.get_attribute(attr) {
                    let new: Vec<String> = decode(&value).split_whitespace().map(local).collect();
                    el.set_attribute(attr, &escape_html(&new.join(" ")))?;
                }
                Ok(())
            }));
        }
        let settings = handlers
            .into_iter()
            .fold(lol_html::Settings::new(), |s, h| {
                s.append_element_content_handler(h)
            });
        let mut rewriter =
            lol_html::HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        if rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
            .is_err()
        {
            // Never expected of our own templates' output: print it as it was.
            out = html.as_bytes().to_vec();
        }
    }
    let title = decode(&title.into_inner())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        title,
    )
}

/// Whether a link's path part is relative to its page (`../x/`, `x.pdf`),
/// not empty, site-absolute or another scheme's.
fn is_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split_once(':')
            .is_none_or(|(scheme, _)| scheme.contains(['/', '?', '#']))
}

/// `href`, relative to `page_url` (`/guide/about/`), as a site-absolute URL.
fn absolute_url(page_url: &str, href: &str) -> String {
    let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (path, suffix) = href.split_at(split);
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." | "" if i + 1 < parts.len() => {}
            "." => segments.push(""),
            ".." => {
                segments.pop();
                if i + 1 == parts.len() {
                    segments.push("");
                }
            }
            s => segments.push(s),
        }
    }
    format!("/{}{suffix}", segments.join("/"))
}

/// The in-page link for a site-absolute URL that leads to a printed part.
fn link_to_part(url: &str, by_url: &HashMap<String, &str>) -> Option<String> {
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    let target = by_url.get(path)?;
    Some(if fragment.is_empty() {
        format!("#{target}")
    } else {
        format!("#{target}.{fragment}")
    })
}

/// `s` as a CSS string, every character but letters, digits and spaces
/// escaped: safe inside `<style>` whatever the site's title holds.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// Words with `{page}` and `{pages}` parts ("Page {page} of {pages}") as a
/// CSS `content` value: `"Page " counter(page) " of " counter(pages)`.
fn css_counters(words: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = words;
    while !rest.is_empty() {
        let next = [("{page}", "counter(page)"), ("{pages}", "counter(pages)")]
            .into_iter()
            .filter_map(|(p, c)| rest.find(p).map(|at| (at, p, c)))
            .min_by_key(|(at, p, _)| (*at, std::cmp::Reverse(p.len())));
        match next {
            Some((at, p, counter)) => {
                if at > 0 {
                    parts.push(css_string(&rest[..at]));
                }
                parts.push(counter.to_string());
                rest = &rest[at + p.len()..];
            }
            None => {
                parts.push(css_string(rest));
                rest = "";
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_string_escapes_everything_that_could_end_the_style() {
        assert_eq!(css_string("A </style>"), "\"A \\3c \\2f style\\3e \"");
    }

    #[test]
    fn relative_links_are_resolved_against_their_page() {
        assert_eq!(
            absolute_url("/guide/about/", "../old-page/#history"),
            "/guide/old-page/#history"
        );
        assert_eq!(absolute_url("/about/", "team/"), "/about/team/");
        assert_eq!(absolute_url("/about/", "./x.pdf?a=1"), "/about/x.pdf?a=1");
        assert_eq!(absolute_url("/a/b/", "../../.."), "/");
        assert!(is_relative_path("../x/"));
        for not in ["", "/x/", "https://e.org/", "mailto:a@b.c"] {
            assert!(!is_relative_path(not), "{not}");
        }
    }

    #[test]
    fn main_of_takes_the_inside_of_main() {
        assert_eq!(
            main_of("<body><main id=\"m\" data-x>in <b>it</b></main></body>"),
            "in <b>it</b>"
        );
    }
}
