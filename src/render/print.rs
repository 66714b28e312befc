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

/// One printed part: a page's `<main>`, as rendered and then as fitted in.
struct Part {
    output: Output,
    /// How far its headings move down: its `<h1>` becomes `<h{1 + shift}>`.
    shift: u8,
    html: String,
    title: String,
    /// Its element ids, in order.
    ids: Vec<String>,
    anchor: String,
    /// Its ids as they are on the print page.
    /// Each id's elements, in order.
    id_map: HashMap<String, Vec<String>>,
}

/// What `print.html` receives beside `site` and `page`.
#[derive(Serialize)]
struct PrintExtra {
    chapters: Vec<ChapterValue>,
    /// The site's title as a CSS string, for `@page` margin boxes.
    page_header: String,
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
    let inputs = r.inputs();
    let rendered: Vec<Result<(String, Vec<Dep>), Diagnostic>> = order
        .par_iter()
        .map(|&(output, _)| {
            let sub = inputs.reads();
            let bytes = render_output(theme, &sub, output)?;
            Ok((main_of(&String::from_utf8_lossy(&bytes)), sub.finish()))
        })
        .collect();
    let mut parts = Vec::with_capacity(order.len());
    for ((output, shift), result) in order.into_iter().zip(rendered) {
        let (html, deps) = result?;
        r.absorb(deps);
        parts.push(Part {
            output,
            shift,
            html,
            title: String::new(),
            ids: Vec::new(),
            anchor: String::new(),
            id_map: HashMap::new(),
        });
    }
    parts.par_iter_mut().for_each(|p| {
        let (ids, title) = scan(&p.html);
        p.ids = ids;
        p.title = title;
    });

    // Each part's anchor comes from its address: /principles/x/ -> #principles-x.
    let mut ids = Ids::default();
    for id in FRAME_IDS {
        ids.used.insert((*id).to_string());
    }
    for p in &mut parts {
        let path = generated_path(r, p.output);
        let base = path.trim_matches('/').replace('/', "-");
        p.anchor = ids.take(if base.is_empty() { "home" } else { &base });
    }
    // Each recommendation group's heading, by chapter and group.
    let group_ids: Vec<Vec<String>> = {
        let mut n = 0;
        chapters
            .iter()
            .map(|c| {
                let anchor = parts[n].anchor.clone();
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
            .collect()
    };
    // The page around the parts, rendered once without them to learn its own
    // ids (its headings, the site's header), which the parts' ids then avoid.
    let frame = print_page(theme, r, &chapters, &parts, &group_ids, |_| String::new())?;
    for id in scan(&String::from_utf8_lossy(&frame)).0 {
        ids.used.insert(id);
    }
    for p in &mut parts {
        for old in &p.ids {
            let new = ids.take(&format!("{}-{old}", p.anchor));
            // A repeated id: links lead to its first element, and each repeat
            // gets an id of its own.
            p.id_map.entry(old.clone()).or_default().push(new);
        }
    }

    // Where each part is, by its address on the site.
    let by_url: HashMap<String, usize> = parts
        .iter()
        .enumerate()
        .map(|(n, p)| (page_url(r, &generated_path(r, p.output)), n))
        .collect();
    let rewritten: Vec<String> = parts
        .par_iter()
        .map(|p| rewrite(p, &parts, &by_url))
        .collect();
    let mut rewritten = rewritten;
    print_page(theme, r, &chapters, &parts, &group_ids, |n| {
        std::mem::take(&mut rewritten[n])
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
    let page = generated_page(r, &c.title, "print/", "Page", &c.description);
    let extra = PrintExtra {
        chapters: values,
        page_header: css_string(&c.title),
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

/// A part's element ids, in order, and the text of its first `<h1>`.
fn scan(html: &str) -> (Vec<String>, String) {
    let ids = RefCell::new(Vec::new());
    let title = RefCell::new(String::new());
    let h1s = RefCell::new(0usize);
    {
        let settings = lol_html::Settings::new()
            .append_element_content_handler(lol_html::element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.borrow_mut().push(decode(&id));
                }
                Ok(())
            }))
            .append_element_content_handler(lol_html::element!("h1", |_| {
                *h1s.borrow_mut() += 1;
                Ok(())
            }))
            .append_element_content_handler(lol_html::text!("h1", |t| {
                if *h1s.borrow() == 1 {
                    title.borrow_mut().push_str(t.as_str());
                }
                Ok(())
            }));
        let mut rewriter = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
        // Our own templates' output: a tokenizer error keeps what was found.
        let _ = rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end());
    }
    let title = decode(
        title
            .into_inner()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    );
    (ids.into_inner(), title)
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

/// Fits a part into the print page: headings down, ids unique, links in-page.
fn rewrite(p: &Part, parts: &[Part], by_url: &HashMap<String, usize>) -> String {
    let link = |href: &str| -> Option<String> {
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        let target = if path.is_empty() {
            p
        } else {
            &parts[*by_url.get(path)?]
        };
        Some(
            match target.id_map.get(fragment).and_then(|ids| ids.first()) {
                Some(id) => format!("#{id}"),
                None => format!("#{}", target.anchor),
            },
        )
    };
    let mut out = Vec::with_capacity(p.html.len() + p.html.len() / 8);
    let seen: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    {
        let mut handlers = vec![
            lol_html::element!("h1, h2, h3, h4, h5, h6", |el| {
                let level: u8 = el.tag_name()[1..].parse().unwrap_or(6);
                let _ = el.set_tag_name(&format!("h{}", (level + p.shift).min(6)));
                Ok(())
            }),
            lol_html::element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    let id = decode(&id);
                    if let Some(new) = p.id_map.get(&id) {
                        let mut seen = seen.borrow_mut();
                        let k = seen.entry(id).or_insert(0);
                        if let Some(new) = new.get(*k) {
                            el.set_attribute("id", &escape_html(new))?;
                        }
                        *k += 1;
                    }
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
        ];
        for attr in ID_REFERENCES {
            handlers.push(lol_html::element!(format!("[{attr}]"), move |el| {
                if let Some(value) = el.get_attribute(attr) {
                    let new: Vec<String> = decode(&value)
                        .split_whitespace()
                        .map(|id| match p.id_map.get(id).and_then(|ids| ids.first()) {
                            Some(new) => new.clone(),
                            None => id.to_string(),
                        })
                        .collect();
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
            .write(p.html.as_bytes())
            .and_then(|()| rewriter.end())
            .is_err()
        {
            // Never expected of our own templates' output: print it as it was.
            return p.html.clone();
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_string_escapes_everything_that_could_end_the_style() {
        assert_eq!(css_string("A </style>"), "\"A \\3c \\2f style\\3e \"");
    }

    #[test]
    fn main_of_takes_the_inside_of_main() {
        assert_eq!(
            main_of("<body><main id=\"m\" data-x>in <b>it</b></main></body>"),
            "in <b>it</b>"
        );
    }
}
