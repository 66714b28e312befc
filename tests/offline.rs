//! `fairguide build --offline`: a copy of the site that works opened straight
//! from disk, every link relative and ending in a file, and its zip.

mod common;

use common::*;
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

/// Every URL in attributes that load or follow one, in document order.
fn urls(html: &str) -> Vec<String> {
    let found = RefCell::new(Vec::new());
    {
        let settings = lol_html::Settings::new().append_element_content_handler(
            lol_html::element!("[href], [src], [action], [srcset], [poster]", |el| {
                for attr in ["href", "src", "action", "poster"] {
                    if let Some(v) = el.get_attribute(attr) {
                        found.borrow_mut().push(v);
                    }
                }
                if let Some(v) = el.get_attribute("srcset") {
                    for c in v.split(',') {
                        found
                            .borrow_mut()
                            .extend(c.split_whitespace().next().map(String::from));
                    }
                }
                Ok(())
            }),
        );
        let mut rewriter = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
    }
    found.into_inner()
}

/// `rel` (a relative URL) from file `from`, as a path below `root`, or None if it leaves it.
fn resolve(root: &Path, from: &str, rel: &str) -> Option<PathBuf> {
    let path = rel.split(['?', '#']).next().unwrap();
    let mut out = PathBuf::new();
    let joined = Path::new(from).parent().unwrap().join(path);
    for c in joined.components() {
        match c {
            Component::ParentDir if !out.pop() => return None,
            Component::Normal(s) => out.push(s),
            _ => {}
        }
    }
    Some(root.join(out))
}

fn is_external(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:")
}

#[test]
fn every_link_of_the_offline_copy_is_relative_and_leads_to_a_file() {
    let out = build_ok(&fixture("every-kind"), &["--offline"]);
    let public = out.path().join("public");
    let checked = check_links(&public);
    assert!(checked > 200, "only {checked} links checked");
    // The stylesheet loads its own files relative to itself too.
    let css = read(out.path(), "style.css");
    assert!(!css.contains("url(/") && !css.contains("url(\"/") && !css.contains("url('/"));
    // Deep pages climb to the root.
    let team = read(out.path(), "about/team/index.html");
    assert!(team.contains("href=\"../../style.css\""));
    assert!(team.contains("href=\"../../about/index.html\""));
}

/// Follows every link of every HTML file below `public`: each must be
/// relative (or leave the site), name a file and lead to one. Returns how
/// many it followed.
fn check_links(public: &Path) -> usize {
    let mut checked = 0;
    let mut problems = Vec::new();
    for rel in files(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(public.join(&rel)).unwrap();
        for url in urls(&html) {
            let url = html_escape::decode_html_entities(&url).into_owned();
            if url.starts_with('/') {
                problems.push(format!("{rel}: root-absolute URL {url}"));
            } else if url.starts_with('#') || is_external(&url) {
                continue;
            } else {
                checked += 1;
                match resolve(public, &rel, &url) {
                    Some(p) if p.is_file() => {}
                    _ => problems.push(format!("{rel}: {url} leads to no file")),
                }
                let path = url.split(['?', '#']).next().unwrap();
                if !path.contains('.') {
                    problems.push(format!("{rel}: {url} does not name a file"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    checked
}

#[test]
fn an_offline_copy_in_several_languages_works_from_disk() {
    // tests/fixtures/translations: English at the root, Welsh in cy/, Urdu in ur/.
    let out = build_ok(&fixture("translations"), &["--offline"]);
    let public = out.path().join("public");
    let checked = check_links(&public);
    assert!(checked > 300, "only {checked} links checked");
    // The language switcher and the hreflang alternates lead to the other
    // languages' files, relative to the page (base_url is a full https
    // address: none of it is left).
    let cy = read(out.path(), "cy/principles/trust/index.html");
    assert!(!cy.contains("https://example.org"), "{cy}");
    for link in [
        "<a href=\"../../../principles/trust/index.html\" lang=\"en\" hreflang=\"en\" dir=\"ltr\">English</a>",
        "<a href=\"../../../ur/principles/trust/index.html\" lang=\"ur\" hreflang=\"ur\" dir=\"rtl\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"../../../principles/trust/index.html\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"../../../principles/trust/index.html\">",
        "href=\"../../../style.css\"",
    ] {
        assert!(cy.contains(link), "{link}: {cy}");
    }
    // A home page's switcher leads to each language's home page.
    let ur = read(out.path(), "ur/index.html");
    assert!(
        ur.contains("<a href=\"../cy/index.html\" lang=\"cy\""),
        "{ur}"
    );
    // Each language's search page is the A to Z list with its note, in that language's folder.
    for search in [
        "search/index.html",
        "cy/search/index.html",
        "ur/search/index.html",
    ] {
        let html = read(out.path(), search);
        assert!(html.contains("class=\"search-note\""), "{search}: {html}");
        assert!(!html.contains("search.js"), "{search}: {html}");
    }
    assert!(!public.join("pagefind").exists());
}

#[test]
fn the_offline_search_page_lists_every_page_with_a_note_and_no_index() {
    let out = build_ok(&fixture("every-kind"), &["--offline"]);
    let public = out.path().join("public");
    assert!(!public.join("pagefind").exists());
    let search = read(out.path(), "search/index.html");
    assert!(search.contains("Search does not work in a copy opened from a folder"));
    assert!(
        !search.contains("search.js"),
        "the search script cannot run from disk"
    );
    assert!(search.contains("<a href=\"../about/team/index.html\">The team</a>"));
    assert!(search.contains("<a href=\"../print/index.html\">the whole guide on one page</a>"));
    // The normal build shows neither.
    let normal = build_ok(&fixture("every-kind"), &[]);
    let search = read(normal.path(), "search/index.html");
    assert!(!search.contains("Search does not work"));
    assert!(search.contains("<script type=\"module\" src=\"/search.js\"></script>"));
}

#[test]
fn site_toml_can_make_every_build_offline() {
    let site = copy_fixture("every-kind");
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replacen("language", "offline = true\nlanguage", 1),
    )
    .unwrap();
    let out = build_ok(site.path(), &[]);
    assert!(read(out.path(), "index.html").contains("href=\"style.css\""));
}

#[test]
fn zip_holds_the_offline_copy_in_one_folder() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("offline");
    let zip_path = dir.path().join("fair-guide.zip");
    let o = build(
        &fixture("every-kind"),
        &public,
        &["--zip", zip_path.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    let expected: Vec<String> = files(&public)
        .into_iter()
        .filter(|f| f != ".fairguide-manifest")
        .map(|f| format!("fair-guide/{f}"))
        .collect();
    assert_eq!(names, expected);
    let mut index = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("fair-guide/index.html").unwrap(),
        &mut index,
    )
    .unwrap();
    assert_eq!(
        index,
        std::fs::read_to_string(public.join("index.html")).unwrap()
    );

    // Never inside the output folder.
    let inside = public.join("guide.zip");
    let o = build(
        &fixture("every-kind"),
        &public,
        &["--zip", inside.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("refusing to write the zip file")
            && stderr(&o).contains("inside the output folder"),
        "{}",
        stderr(&o)
    );
}
