//! The reader's end of a page (issue 16): previous and next within a section,
//! the contents list, "Last updated" and the page history (from front matter
//! or git), the dates of the feed and the sitemap, and the feedback links;
//! on `tests/fixtures/reading`.

mod common;
use common::*;
use std::fs;
use std::path::Path;
use std::process::Command;

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_fixture("reading");
    let out = build_ok(site.path(), &["--no-search"]);
    (site, out)
}

/// The `<main>` of a built page.
fn main_of(out: &Path, rel: &str) -> String {
    let html = read(out, rel);
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap();
    html[start..end].to_string()
}

#[test]
fn previous_and_next_follow_the_section_order() {
    let (_site, out) = built();
    // Principles are ordered by number: share (1), listen (2), trust (3).
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(!share.contains("rel=\"prev\""), "{share}");
    assert!(
        share.contains("<a href=\"/guide/principles/listen/\" rel=\"next\">"),
        "{share}"
    );
    let listen = main_of(out.path(), "principles/listen/index.html");
    assert!(
        listen.contains("<a href=\"/guide/principles/share/\" rel=\"prev\">"),
        "{listen}"
    );
    assert!(
        listen.contains("<a href=\"/guide/principles/trust/\" rel=\"next\">"),
        "{listen}"
    );
    assert!(listen.contains("<span class=\"prev-next-title\">Build trust</span>"));
    let trust = main_of(out.path(), "principles/trust/index.html");
    assert!(
        trust.contains("rel=\"prev\"") && !trust.contains("rel=\"next\""),
        "{trust}"
    );
    // Not on pages outside the four sections.
    let code = main_of(out.path(), "code-of-conduct/index.html");
    assert!(!code.contains("prev-next"), "{code}");
}

#[test]
fn a_contents_list_only_with_three_sections_or_more() {
    let (_site, out) = built();
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(
        share.contains("<h2 id=\"fg-toc\">On this page</h2>"),
        "{share}"
    );
    assert!(share.contains("<a href=\"#when\">When</a>"), "{share}");
    let trust = main_of(out.path(), "principles/trust/index.html");
    assert!(
        !trust.contains("fg-toc"),
        "two sections: no contents list\n{trust}"
    );
}

#[test]
fn last_updated_and_history_come_from_front_matter() {
    let (_site, out) = built();
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(
        share.contains("<p>Last updated <time datetime=\"2024-03-05\">5 March 2024</time></p>"),
        "{share}"
    );
    let newest = share
        .find("<li><time datetime=\"2024-03-05\">5 March 2024</time>: Added an example &amp; a note.</li>")
        .expect("the newest change");
    let oldest = share
        .find("<li><time datetime=\"2023-11-20\">20 November 2023</time>: First published.</li>")
        .expect("the first change");
    assert!(newest < oldest, "newest first");
    // No `updated`, no `changes`, not a git repository: no date.
    let listen = main_of(out.path(), "principles/listen/index.html");
    assert!(!listen.contains("Last updated"), "{listen}");
}

#[test]
fn the_feed_and_the_sitemap_use_the_same_dates() {
    let (_site, out) = built();
    let atom = read(out.path(), "atom.xml");
    assert!(
        atom.contains("<updated>2022-07-08T00:00:00Z</updated>"),
        "camden's `updated`\n{atom}"
    );
    assert!(
        atom.contains("<updated>2010-05-01T00:00:00Z</updated>"),
        "leeds' `date`\n{atom}"
    );
    assert!(
        atom.find("/case-studies/camden/").unwrap() < atom.find("/case-studies/leeds/").unwrap(),
        "most recently updated first"
    );
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(
        sitemap.contains("<url><loc>https://example.org/guide/principles/share/</loc><lastmod>2024-03-05</lastmod></url>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<url><loc>https://example.org/guide/principles/listen/</loc></url>"));
}

#[test]
fn dates_that_are_not_dates_are_errors_at_their_line() {
    let site = copy_fixture("reading");
    let listen = site.path().join("content/principles/listen.md");
    let text = fs::read_to_string(&listen).unwrap();
    fs::write(
        &listen,
        text.replace("number: 2\n", "number: 2\nupdated: yesterday\n"),
    )
    .unwrap();
    let share = site.path().join("content/principles/share.md");
    let text = fs::read_to_string(&share).unwrap();
    fs::write(&share, text.replace("2023-11-20", "2012-13-45")).unwrap();
    let o = build(site.path(), &site.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "`updated` should be a date written year-month-day, but here it is `yesterday`"
        ),
        "{err}"
    );
    assert!(err.contains("content/principles/listen.md:4"), "{err}");
    assert!(
        err.contains("`date` in `changes` should be a date written year-month-day, but here it is `2012-13-45`"),
        "{err}"
    );
    assert!(err.contains("content/principles/share.md:7"), "{err}");
}

#[test]
fn feedback_by_email_fills_in_the_page() {
    let (_site, out) = built();
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(share.contains(
        "<a href=\"mailto:guide@example.org?subject=Report%20a%20problem%3A%20Share%20power&amp;body=Page%3A%20https%3A%2F%2Fexample.org%2Fguide%2Fprinciples%2Fshare%2F%0A%0AWhat%20is%20wrong%20with%20this%20page%3F%0A%0A\">Report a problem with this page</a>"
    ), "{share}");
    assert!(share.contains(">Is this page useful?</a>"), "{share}");
}

#[test]
fn feedback_by_form_adds_the_page_to_its_query() {
    let site = copy_fixture("reading");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replace(
            "\"guide@example.org\"",
            "\"https://forms.example.org/f?id=7\"",
        ),
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(share.contains(
        "<a href=\"https://forms.example.org/f?id=7&amp;page=https%3A%2F%2Fexample.org%2Fguide%2Fprinciples%2Fshare%2F&amp;feedback=useful\">Is this page useful?</a>"
    ), "{share}");
}

#[test]
fn feedback_that_is_neither_is_an_error_at_its_line() {
    let site = copy_fixture("reading");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replace("\"guide@example.org\"", "\"javascript:alert(1)\""),
    )
    .unwrap();
    let o = build(site.path(), &site.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("`feedback` is not an email address or a web address starting with https://: `javascript:alert(1)`"), "{err}");
    assert!(err.contains("site.toml:5"), "{err}");
}

#[test]
fn without_the_new_settings_pages_have_none_of_it() {
    let out = build_ok(&fixture("minimal"), &["--no-search"]);
    let home = main_of(out.path(), "index.html");
    for absent in ["Last updated", "Is this page useful?", "prev-next"] {
        assert!(!home.contains(absent), "{absent}\n{home}");
    }
}

#[test]
fn in_a_git_repository_pages_show_their_last_commit() {
    let site = copy_fixture("reading");
    let git = |args: &[&str], date: &str| {
        let o = Command::new("git")
            .arg("-C")
            .arg(site.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git is installed");
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    git(&["init", "-q"], "2021-06-15T12:00:00Z");
    git(&["add", "-A"], "2021-06-15T12:00:00Z");
    git(
        &["commit", "-q", "--no-gpg-sign", "-m", "first"],
        "2021-06-15T12:00:00Z",
    );
    let trust = site.path().join("content/principles/trust.md");
    fs::write(&trust, fs::read_to_string(&trust).unwrap() + "\nMore.\n").unwrap();
    git(
        &["commit", "-q", "--no-gpg-sign", "-am", "second"],
        "2022-01-09T12:00:00Z",
    );
    let out = build_ok(site.path(), &["--no-search"]);
    let listen = main_of(out.path(), "principles/listen/index.html");
    assert!(
        listen.contains("Last updated <time datetime=\"2021-06-15\">15 June 2021</time>"),
        "{listen}"
    );
    let trust = main_of(out.path(), "principles/trust/index.html");
    assert!(
        trust.contains("Last updated <time datetime=\"2022-01-09\">9 January 2022</time>"),
        "{trust}"
    );
    // A page's own `updated` wins over git.
    let share = main_of(out.path(), "principles/share/index.html");
    assert!(share.contains("datetime=\"2024-03-05\""), "{share}");
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(
        sitemap.contains("principles/trust/</loc><lastmod>2022-01-09</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn the_accessibility_statement_says_what_site_toml_and_check_know() {
    let site = copy_fixture("reading");
    // A heading that skips levels: a problem `fairguide check` finds.
    let listen = site.path().join("content/principles/listen.md");
    fs::write(
        &listen,
        fs::read_to_string(&listen).unwrap() + "\n#### Deep\n\nText.\n",
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let statement = main_of(out.path(), "accessibility/index.html");
    assert!(
        statement.contains("<h1>Accessibility statement for Reading guide</h1>"),
        "{statement}"
    );
    assert!(
        statement.contains("This website is run by Example Network."),
        "{statement}"
    );
    assert!(
        statement.contains("<a href=\"https://example.org/guide/\">https://example.org/guide/</a>")
    );
    // No `contact`: the feedback address, not an invented one.
    assert!(
        statement.contains("tell us through our feedback address: <a href=\"mailto:guide@example.org\">guide@example.org</a>"),
        "{statement}"
    );
    assert!(statement.contains("<time datetime=\"2024-02-01\">1 February 2024</time>"));
    assert!(
        statement.contains("<li><a href=\"/guide/principles/listen/\">Listen first</a>:\n    <ul><li>heading level skips from h1 to h4</li></ul>"),
        "{statement}"
    );
    assert!(statement.contains("WCAG) version 2.2, level AA"));
    // Linked from every page's footer, and in the sitemap.
    let home = read(out.path(), "index.html");
    assert!(home.contains("<li><a href=\"/guide/accessibility/\">Accessibility statement</a></li>"));
    assert!(read(out.path(), "sitemap.xml")
        .contains("<loc>https://example.org/guide/accessibility/</loc>"));
}

#[test]
fn the_accessibility_statement_lists_problems_in_data_records() {
    let site = copy_fixture("reading");
    let toml = site.path().join("site.toml");
    fs::write(
        &toml,
        fs::read_to_string(&toml).unwrap()
            + "\n[[collections]]\nname = \"groups\"\nrecord_pages = true\n\n\
               [[collections.fields]]\nname = \"name\"\nrequired = true\n\n\
               [[collections.fields]]\nname = \"about\"\ntype = \"markdown\"\n\n\
               [[collections]]\nname = \"places\"\n\n\
               [[collections.fields]]\nname = \"name\"\nrequired = true\n\n\
               [[collections.fields]]\nname = \"about\"\ntype = \"markdown\"\n",
    )
    .unwrap();
    let data = site.path().join("data");
    fs::create_dir_all(&data).unwrap();
    fs::write(
        data.join("groups.csv"),
        "id,name,about\n\
         lunch,Lunch Club,\"We meet on Fridays. ![](club.jpg)\"\n\
         fine,Fine Group,\"We share [our plan](https://example.org/plan).\"\n",
    )
    .unwrap();
    fs::write(
        data.join("places.csv"),
        "id,name,about\nhall,Town Hall,\"Read [here](https://example.org/hall).\"\n",
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let statement = main_of(out.path(), "accessibility/index.html");
    // Named and linked as pages are: its own page, or its entry on the listing.
    assert!(
        statement.contains("<li><a href=\"/guide/groups/lunch/\">Lunch Club</a>:\n    <ul><li>image without alt text</li></ul>"),
        "{statement}"
    );
    assert!(
        statement.contains("<li><a href=\"/guide/places/#record-hall\">Town Hall</a>:\n    <ul><li>link text &quot;here&quot; does not say where it goes</li></ul>"),
        "{statement}"
    );
    assert!(!statement.contains("Fine Group"), "{statement}");
}

#[test]
fn the_statement_names_no_contact_it_was_not_given() {
    let site = copy_fixture("reading");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replace("feedback = \"guide@example.org\"\n", ""),
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let statement = main_of(out.path(), "accessibility/index.html");
    assert!(
        statement.contains(
            "This website does not yet give a way to contact Example Network about accessibility."
        ),
        "{statement}"
    );
    assert!(!statement.contains("mailto:"), "{statement}");
    assert!(
        statement.contains("finds none of the problems it looks for"),
        "{statement}"
    );
    // With a phone number as `contact`: shown as it is, not as a link.
    fs::write(
        &toml,
        text.replace(
            "organisation = \"Example Network\"",
            "organisation = \"Example Network\"\ncontact = \"020 7000 0000\"",
        ),
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let statement = main_of(out.path(), "accessibility/index.html");
    assert!(
        statement.contains("contact Example Network: 020 7000 0000."),
        "{statement}"
    );
}

#[test]
fn a_page_of_the_site_s_own_replaces_the_statement() {
    let site = copy_fixture("reading");
    fs::write(
        site.path().join("content/accessibility.md"),
        "---\ntitle: \"Our accessibility statement\"\n---\nWritten by us.\n",
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let statement = main_of(out.path(), "accessibility/index.html");
    assert!(
        statement.contains("<h1>Our accessibility statement</h1>"),
        "{statement}"
    );
    assert!(!statement.contains("fairguide check"), "{statement}");
    assert!(read(out.path(), "index.html")
        .contains("<a href=\"/guide/accessibility/\">Accessibility statement</a>"));
    // Without `[accessibility]` and without such a page, there is none.
    let out = build_ok(&fixture("minimal"), &["--no-search"]);
    assert!(!out.path().join("public/accessibility/index.html").exists());
    assert!(!read(out.path(), "index.html").contains("Accessibility statement"));
}

#[test]
fn the_home_page_offers_a_way_in_for_each_reader() {
    let site = copy_fixture("reading");
    let out = build_ok(site.path(), &["--no-search"]);
    let home = main_of(out.path(), "index.html");
    let who = home
        .find("<h2 id=\"fg-who\">Start with who you are</h2>")
        .expect("the ways in");
    let funders = home
        .find("<li><a href=\"/guide/stakeholders/funders/\">Funders</a></li>")
        .unwrap();
    let bme = home
        .find("<li><a href=\"/guide/stakeholders/bme/\">BME organisations</a></li>")
        .unwrap();
    assert!(
        who < funders && funders < bme,
        "in site.toml's order\n{home}"
    );
    assert!(home.contains("<li class=\"card\"><a href=\"/guide/code-of-conduct/\">Code of conduct</a><span class=\"item-summary\">What partners commit to.</span></li>"), "{home}");
    assert!(
        !home.contains("/guide/tools/"),
        "no tools section, no link to one"
    );
    // With a tools section, the home page offers it, before the code of conduct.
    fs::create_dir_all(site.path().join("content/tools")).unwrap();
    fs::write(
        site.path().join("content/tools/_index.md"),
        "---\ntitle: \"Tools\"\nsummary: \"Worksheets for partners.\"\n---\nTools.\n",
    )
    .unwrap();
    let out = build_ok(site.path(), &["--no-search"]);
    let home = main_of(out.path(), "index.html");
    let tools = home.find("<a href=\"/guide/tools/\">Tools</a><span class=\"item-summary\">Worksheets for partners.</span>").expect(&home);
    assert!(tools < home.find("/guide/code-of-conduct/").unwrap());
}
