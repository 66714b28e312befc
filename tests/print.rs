//! `/print/`: the whole guide on one page, in reading order, with links
//! between its parts turned into links within the page and every id unique.

mod common;

use common::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// What the tests read from a page: each element's id, each link's href (in
/// order), the ids of the parts, and the text of each heading with its level.
#[derive(Default)]
struct Facts {
    ids: Vec<String>,
    hrefs: Vec<String>,
    parts: Vec<String>,
    headings: Vec<(u8, String)>,
}

fn facts(html: &str) -> Facts {
    let f = RefCell::new(Facts::default());
    {
        let settings = lol_html::Settings::new()
            .append_element_content_handler(lol_html::element!("[id]", |el| {
                let id = el.get_attribute("id").unwrap();
                let class = el.get_attribute("class").unwrap_or_default();
                let mut f = f.borrow_mut();
                if class.split(' ').any(|c| c == "print-part") {
                    f.parts.push(id.clone());
                }
                f.ids.push(id);
                Ok(())
            }))
            .append_element_content_handler(lol_html::element!("a[href]", |el| {
                f.borrow_mut().hrefs.push(el.get_attribute("href").unwrap());
                Ok(())
            }))
            .append_element_content_handler(lol_html::element!("h1,h2,h3,h4,h5,h6", |el| {
                let level = el.tag_name()[1..].parse().unwrap();
                f.borrow_mut().headings.push((level, String::new()));
                Ok(())
            }))
            .append_element_content_handler(lol_html::text!("h1,h2,h3,h4,h5,h6", |t| {
                if let Some(h) = f.borrow_mut().headings.last_mut() {
                    h.1.push_str(t.as_str());
                }
                Ok(())
            }));
        let mut rewriter = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
    }
    f.into_inner()
}

#[test]
fn the_print_page_holds_every_part_in_reading_order() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let f = facts(&read(out.path(), "print/index.html"));
    assert_eq!(
        f.parts,
        [
            "home",
            "principles",
            "principles-equal-partners",
            "barriers",
            "barriers-trust-and-control",
            "case-studies",
            "case-studies-camden",
            "recommendations",
            // By stakeholder type: BME organisations first, as in site.toml.
            "recommendations-speak-up",
            "recommendations-fund-partnerships",
            "code-of-conduct",
            // Tools, as blank worksheets.
            "tools",
            "tools-health-check",
            "glossary",
            // Plain pages of the main menu; about/team.md is not in it.
            "about",
        ]
    );
    // One <h1>, the guide's; each part's own title moved down below it.
    let h1: Vec<&(u8, String)> = f.headings.iter().filter(|h| h.0 == 1).collect();
    assert_eq!(h1, [&(1, "Every kind guide".to_string())]);
    for (level, title) in [
        (2, "Principles"),
        (3, "Treated as equal partners"),
        (4, "What it means"),
        (3, "Recommendations for BME organisations"),
        (4, "Speak up early"),
        (2, "Code of conduct"),
    ] {
        assert!(
            f.headings.iter().any(|h| h.0 == level && h.1 == title),
            "no h{level} {title:?} in {:?}",
            f.headings
        );
    }
}

#[test]
fn every_id_is_unique_and_every_in_page_link_has_its_target() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let f = facts(&read(out.path(), "print/index.html"));
    let mut seen: HashSet<&str> = HashSet::new();
    let repeated: Vec<&String> = f
        .ids
        .iter()
        .filter(|id| !seen.insert(id.as_str()))
        .collect();
    assert!(repeated.is_empty(), "ids used twice: {repeated:?}");
    let missing: Vec<&String> = f
        .hrefs
        .iter()
        .filter(|h| h.strip_prefix('#').is_some_and(|id| !seen.contains(id)))
        .collect();
    assert!(
        missing.is_empty(),
        "in-page links without a target: {missing:?}"
    );
    // Each page's headings and footnotes keep ids of their own.
    for id in [
        "principles-equal-partners.what-it-means",
        "barriers-trust-and-control.what-it-is",
        "barriers-trust-and-control.fn-1",
    ] {
        assert!(seen.contains(id), "no id {id}");
    }
}

#[test]
fn links_between_parts_become_links_within_the_page() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let html = read(out.path(), "print/index.html");
    let f = facts(&html);
    // The principle's Markdown link to `../barriers/trust-and-control.md#what-it-is`.
    assert!(f
        .hrefs
        .contains(&"#barriers-trust-and-control.what-it-is".to_string()));
    // The footnote reference points at its own part's footnote.
    assert!(f
        .hrefs
        .contains(&"#barriers-trust-and-control.fn-1".to_string()));
    // Inside the guide (between the site's header and footer), no link leads to a page that
    // is printed here; links to pages that are not (stakeholder pages, the
    // team page) stay links to the site.
    let guide = &html[html.find("class=\"print-guide\"").unwrap()..html.find("</main>").unwrap()];
    let guide_links = facts(guide).hrefs;
    let printed: HashMap<&str, &str> = [
        ("/", "home"),
        ("/principles/", "principles"),
        ("/principles/equal-partners/", "principles-equal-partners"),
        ("/barriers/trust-and-control/", "barriers-trust-and-control"),
        ("/recommendations/speak-up/", "recommendations-speak-up"),
        ("/code-of-conduct/", "code-of-conduct"),
        ("/glossary/", "glossary"),
        ("/about/", "about"),
    ]
    .into();
    for href in &guide_links {
        let path = href.split('#').next().unwrap();
        assert!(
            !printed.contains_key(path),
            "{href} should be a link within the page to #{}",
            printed[path]
        );
    }
    assert!(guide_links.contains(&"/stakeholders/funders/".to_string()));
}

#[test]
fn every_page_links_to_the_print_page_and_search_does_not_index_it() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let public = out.path().join("public");
    for rel in files(&public) {
        if rel.ends_with(".html") && !rel.starts_with("pagefind/") {
            let html = std::fs::read_to_string(public.join(&rel)).unwrap();
            assert!(
                html.contains("<a href=\"/print/\">Print or save the whole guide as a PDF</a>"),
                "{rel} has no link to the print page"
            );
        }
    }
    // Search results never lead to it: tests/search.rs checks that it is not
    // indexed. It is in the sitemap, as a page of the site.
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/print/</loc>"));
}

#[test]
fn print_false_in_site_toml_leaves_the_page_and_its_links_out() {
    let site = copy_fixture("every-kind");
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replacen("language", "print = false\nlanguage", 1),
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let public = out.path().join("public");
    assert!(!public.join("print").exists());
    assert!(!read(out.path(), "index.html").contains("/print/"));
    assert!(!read(out.path(), "sitemap.xml").contains("/print/"));
}

/// A site of more than 1,000 pages is a library, not a guide: `/print/` is
/// written only when site.toml asks for it.
#[test]
fn a_site_of_over_a_thousand_pages_gets_the_print_page_only_when_asked() {
    let site = copy_fixture("minimal");
    let dir = site.path().join("content/case-studies");
    std::fs::create_dir_all(&dir).unwrap();
    for n in 0..1001 {
        std::fs::write(
            dir.join(format!("case-{n:04}.md")),
            format!("---\ntitle: \"Case {n}\"\n---\n\nText.\n"),
        )
        .unwrap();
    }
    let out = build_ok(site.path(), &["--no-search"]);
    assert!(!out.path().join("public/print").exists());
    assert!(!read(out.path(), "index.html").contains("/print/"));

    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("print = true\n{text}")).unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    assert!(read(out.path(), "print/index.html").contains("Case 1000"));
    assert!(read(out.path(), "index.html").contains("/print/"));
}
