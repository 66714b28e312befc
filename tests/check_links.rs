//! `fairguide check` reports every internal `href`/`src` in the built output
//! that leads to no file, naming the page and, for Markdown, the line.

mod common;
use common::*;
use std::fs;

/// The diagnostic block (up to the next blank line) that contains `needle`.
fn block<'a>(text: &'a str, needle: &str) -> &'a str {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{text}"));
    let start = text[..at].rfind("\n\n").map_or(0, |i| i + 2);
    let end = text[at..].find("\n\n").map_or(text.len(), |e| at + e);
    &text[start..end]
}

fn check(root: &std::path::Path) -> (bool, String) {
    let o = fairguide(&["check", "--root", root.to_str().unwrap()]);
    (o.status.success(), stderr(&o))
}

#[test]
fn check_reports_broken_links_from_markdown_with_their_line() {
    let (ok, err) = check(&fixture("broken-links"));
    assert!(!ok, "a broken link is an error: {err}");

    let team = block(
        &err,
        "error: broken link on /about/: `/team/` is not a page of this site",
    );
    assert!(team.contains("--> content/about.md:7:17"), "{team}");
    assert!(
        team.contains("7 | Meet [our team](/team/) and read"),
        "{team}"
    );
    assert!(
        team.contains("about.md"),
        "hint names a Markdown link: {team}"
    );

    // Relative to the page's own URL (/about/), fragment kept as written.
    let old = block(
        &err,
        "error: broken link on /about/: `../old-page/#history` is not a page of this site",
    );
    assert!(old.contains("--> content/about.md:11:16"), "{old}");

    // Relative to the Markdown file's folder, as GitHub reads it: the build
    // publishes the link where the file is, so it is not broken.
    assert!(!err.contains("`report.pdf`"), "{err}");
    let out = build_ok(&fixture("broken-links"), &["--no-search"]);
    let about = read(out.path(), "about/index.html");
    assert!(
        about.contains("<a href=\"/report.pdf\">the report as a PDF</a>"),
        "{about}"
    );
}

#[test]
fn check_reports_broken_links_a_template_makes() {
    let (_, err) = check(&fixture("broken-links"));
    // templates/page.html links to /no-such-page/ from the one page using it.
    let b = block(
        &err,
        "error: broken link on /about/: `/no-such-page/` is not a page of this site",
    );
    assert!(b.contains("--> content/about.md\n"), "no line: {b}");
    assert!(
        b.contains("template probably links to a page this site does not have"),
        "{b}"
    );
}

#[test]
fn check_accepts_links_that_lead_to_files() {
    let (_, err) = check(&fixture("broken-links"));
    // A content asset, a page with a query and entity-escaped `&`, a
    // relative link up to the home page, theme files, the feed, and a link the
    // template makes to a page that exists.
    for fine in [
        "`/report.pdf`",
        "`/search/",
        "`../`",
        "style.css",
        "atom.xml",
        "`/about/`",
        "`/`",
    ] {
        assert!(!err.contains(fine), "{fine} should not be reported:\n{err}");
    }
    assert_eq!(
        err.matches("error: broken link").count(),
        // /team/, ../old-page/ and /no-such-page/.
        3,
        "{err}"
    );
}

#[test]
fn check_resolves_links_under_a_sub_path() {
    let site = copy_fixture("broken-links");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap().replace(
        "base_url = \"/\"",
        "base_url = \"https://example.org/guide/\"",
    );
    fs::write(&toml, text).unwrap();
    let (ok, err) = check(site.path());
    assert!(!ok, "{err}");
    // A root-relative link in Markdown is a path from content/: it gets the base path.
    let team = block(&err, "error: broken link on /guide/about/: `/guide/team/`");
    assert!(team.contains("--> content/about.md:7:17"), "{team}");
    // The template's links follow the base path.
    assert!(
        err.contains("error: broken link on /guide/about/: `/guide/no-such-page/` is not a page of this site"),
        "{err}"
    );
    // Absolute URLs on the site's own base URL (canonical links, the feed)
    // are checked as internal, and these exist.
    assert!(!err.contains("https://example.org/guide/"), "{err}");
    assert!(!err.contains("`/guide/about/`"), "{err}");
}

/// Content nobody here wrote (tests/fixtures/foreign): it must build and check
/// with no error, in particular no broken link (`[the hall leaflet](leaflet.pdf)`
/// in content/notes/faq.md names a file beside the Markdown file).
#[test]
fn foreign_content_checks_without_errors() {
    let (ok, err) = check(&fixture("foreign"));
    assert!(ok, "{err}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn check_shows_twenty_broken_links_a_page_and_counts_the_rest() {
    let mut body = String::from("---\ntitle: Many\n---\n");
    for i in 0..25 {
        body.push_str(&format!("See [page {i}](/gone-{i}/).\n"));
    }
    let s = site(&[
        (
            "site.toml",
            "title = \"T\"\n\n[[glossary]]\nterm = \"T\"\nexpansion = \"T\"\n",
        ),
        ("content/_index.md", &body),
    ]);
    let (ok, err) = check(s.path());
    assert!(!ok);
    assert_eq!(
        err.matches("error: broken link on /: `/gone-").count(),
        20,
        "{err}"
    );
    // Lines 4 to 23, each at its own line.
    assert!(err.contains("--> content/_index.md:4:14"), "{err}");
    assert!(err.contains("--> content/_index.md:23:15"), "{err}");
    let rest = block(&err, "error: 5 more broken links on /");
    assert!(rest.contains("--> content/_index.md"), "{rest}");
}
