//! Data collections (issue 14): `[[collections]]` in site.toml, records in
//! data/<name>.yaml or .csv, the listing and record pages, cross-links from
//! case studies' `organisations`, search, and every error with its file and line.

mod common;
use common::*;

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

#[test]
fn yaml_collection_lists_records_with_filters_and_pages() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let listing = read(out.path(), "organisations/index.html");
    let main = main_of(&listing);
    // The intro from content/organisations/_index.md, and its title.
    assert!(
        main.contains("<h1>Organisations in this guide</h1>"),
        "{main}"
    );
    assert!(main.contains("<p>This is not a complete directory of the sector.</p>"));
    // A-Z by title.
    let a = main.find("id=\"record-a-funder\"").unwrap();
    let b = main.find("id=\"record-bteg\"").unwrap();
    let c = main.find("id=\"record-camden-cvs\"").unwrap();
    assert!(a < b && b < c, "records are A to Z");
    // Filter values on each record for the script; the form hidden until it runs.
    assert!(main.contains("<li class=\"record\" id=\"record-camden-cvs\" data-filter-type=\"infrastructure-body\" data-filter-stakeholders=\"infrastructure bme\" data-filter-founded=\"\">"), "{main}");
    assert!(main.contains("<form id=\"collection-filters\" class=\"collection-filters\" action=\"/organisations/\" method=\"get\" data-noun=\"organisations\" hidden>"));
    assert!(main
        .contains("role=\"status\" aria-live=\"polite\" aria-atomic=\"true\">3 organisations</p>"));
    // Without JavaScript: grouped lists by each filter field.
    assert!(main.contains("<h2 id=\"collection-by-type\">By type</h2>\n  <h3>BME organisation</h3>\n  <ul class=\"link-list\">\n    <li><a href=\"/organisations/bteg/\">BTEG</a></li>"), "{main}");
    assert!(main.contains("<h2 id=\"collection-by-founded\">By founded</h2>\n  <h3>1991</h3>"));
    // Markdown is rendered, HTML in it shown as text; URLs linked.
    assert!(main.contains(
        "<dd><p>Ran the <em>programme</em> with &lt;b&gt;partners&lt;/b&gt;. It was “the backbone” – so it’s said.</p>"
    ), "{main}");
    assert!(main.contains(
        "<dd><a href=\"https://www.example.org/bteg\">https://www.example.org/bteg</a></dd>"
    ));
    // The pages that mention a record: its `pages` field and case studies naming it.
    assert!(main.contains("In this guide: <a href=\"/principles/trust/\">Build trust</a>, <a href=\"/case-studies/give-get/\">The give and get exercise</a>"), "{main}");
    assert!(listing.contains("<script src=\"/collection.js\" defer></script>"));
    assert!(out.path().join("public/collection.js").is_file());

    // A page per record, with breadcrumbs.
    let record = read(out.path(), "organisations/bteg/index.html");
    assert!(main_of(&record).contains("<h1>BTEG</h1>"));
    assert!(record.contains("<a href=\"/organisations/\">Organisations in this guide</a>"));
    assert!(main_of(&record).contains("<li><a href=\"/case-studies/give-get/\">The give and get exercise</a> <span class=\"item-kind\">(Case study)</span></li>"));

    // The case study links each organisation it names by id to its record,
    // its type taken from the record when the page gives none.
    let case = read(out.path(), "case-studies/give-get/index.html");
    assert!(case.contains("<li><a href=\"/organisations/bteg/\">BTEG</a> <span class=\"org-type\">(backbone of the programme)</span></li><li><a href=\"/organisations/camden-cvs/\">Camden CVS</a> <span class=\"org-type\">(Infrastructure body)</span></li><li>A group with no record</li>"), "{case}");

    // The sitemap lists the listing and the record pages.
    let sitemap = read(out.path(), "sitemap.xml");
    for url in [
        "https://example.org/organisations/",
        "https://example.org/organisations/bteg/",
        "https://example.org/organisations/camden-cvs/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    // The search page offers the collection as a kind and its filter fields.
    let search = read(out.path(), "search/index.html");
    assert!(
        search.contains("<option value=\"organisations\">Organisations in this guide</option>"),
        "{search}"
    );
    assert!(
        search.contains("<select id=\"search-filter-type\" name=\"type\" data-filter=\"type\">")
    );
    assert!(search.contains("<option value=\"bme-organisation\">BME organisation</option>"));
    assert!(search.contains("<option value=\"infrastructure\">Infrastructure bodies</option>"));
}

#[test]
fn records_are_in_the_search_index_with_their_filters() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let dir = out.path().join("public/pagefind/filter");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut d = flate2::read::GzDecoder::new(&bytes[..]);
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut raw).unwrap();
        text.push_str(&String::from_utf8_lossy(&raw));
    }
    for word in [
        "organisations",
        "bme-organisation",
        "infrastructure-body",
        "1991",
    ] {
        assert!(text.contains(word), "filter value {word} in the index");
    }
}

#[test]
fn csv_collection_with_bom_quoted_commas_and_lists() {
    let out = build_ok(&fixture("collections-csv"), &[]);
    let listing = read(out.path(), "directory/index.html");
    let main = main_of(&listing);
    assert!(main.contains("<h1>Local directory</h1>"));
    assert!(main.contains("2 records</p>"));
    // The BOM is not part of the `id` column; the quoted comma stays in the name.
    assert!(main.contains("<li class=\"record\" id=\"record-north-forum\" data-filter-area=\"north\" data-filter-stakeholders=\"bme funders\">\n      <h3>North Forum, Leeds</h3>"), "{main}");
    assert!(main.contains("<dt>Staff</dt><dd>12</dd>"));
    assert!(main.contains("In this guide: <a href=\"/case-studies/lunch-club/\">Lunch club</a>"));
    // No record pages unless asked; grouped lists link to entries.
    assert!(!out.path().join("public/directory/north-forum").exists());
    assert!(main.contains("<li><a href=\"/directory/#record-south-trust\">South Trust</a></li>"));
}

#[test]
fn sub_path_build_links_under_the_path() {
    let out = build_ok(
        &fixture("collections-yaml"),
        &["--base-url", "https://example.org/guide/"],
    );
    let listing = read(out.path(), "organisations/index.html");
    assert!(listing.contains("<script src=\"/guide/collection.js\" defer></script>"));
    assert!(listing.contains("action=\"/guide/organisations/\""));
    assert!(listing.contains("<h3><a href=\"/guide/organisations/bteg/\">BTEG</a></h3>"));
    let case = read(out.path(), "case-studies/give-get/index.html");
    assert!(case.contains("<a href=\"/guide/organisations/bteg/\">BTEG</a>"));
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guide/organisations/bteg/</loc>"));
}

#[test]
fn a_site_without_collections_is_unchanged() {
    // No [[collections]]: no data/ needed, and no collection page (the
    // theme's script is copied like every static file, and used by none).
    let out = build_ok(&fixture("minimal"), &[]);
    let files = files(&out.path().join("public"));
    let html: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(files.contains(&"collection.js".to_string()));
    for f in html {
        let text = read(out.path(), f);
        assert!(!text.contains("collection"), "{f} mentions a collection");
    }
}

#[test]
fn every_record_error_names_file_line_and_field() {
    let out = tempfile::tempdir().unwrap();
    let o = build(
        &fixture("collections-errors"),
        &out.path().join("public"),
        &[],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    let expect = [
        // YAML: wrong choice, year, URL; duplicate and bad ids; missing
        // required value; unknown field; undeclared stakeholder; unknown page.
        "error: record `camden-cvs`, field `type`: `Funders` is not one of the values of `type`\n  --> data/organisations.yaml:3:9",
        "hint: did you mean `Funder`?",
        "error: record `camden-cvs`, field `founded`: should be a year (four digits), but here it is `95`\n  --> data/organisations.yaml:4:12",
        "error: record `camden-cvs`, field `website`: should be a web address starting with https:// or http://, but here it is `javascript:alert(1)`\n  --> data/organisations.yaml:5:12",
        "error: record `camden-cvs`, field `id`: the id `camden-cvs` is also used by the record at line 1\n  --> data/organisations.yaml:6",
        "error: record `Bad_Id`, field `id`: `Bad_Id` is not a valid id\n  --> data/organisations.yaml:8:7",
        "hint: use lowercase letters, digits and hyphens, e.g. `bad-id`",
        "error: record `no-name`, field `name`: the field `name` is required, but this record has no value\n  --> data/organisations.yaml:10",
        "error: record `extra`, field `webiste`: unknown field `webiste`\n  --> data/organisations.yaml:14:12",
        "hint: did you mean `website`?",
        "error: record `extra`, field `stakeholders`: stakeholder type `bmee` is not declared in site.toml\n  --> data/organisations.yaml:15:17",
        "error: record `extra`, field `pages`: there is no page `case-studies/lunchh`\n  --> data/organisations.yaml:16:10",
        "hint: did you mean `case-studies/lunch`?",
        // CSV: the row and the column name.
        "error: row 2, column `staff`: should be a number, but here it is `twelve`\n  --> data/groups.csv:2",
        "error: row 3 has 2 cells, but the header row names 4 columns\n  --> data/groups.csv:3",
        "error: row 4, column `stakeholders`: stakeholder type `funders` is not declared in site.toml\n  --> data/groups.csv:4",
        // A case study naming a record that does not exist.
        "error: `organisations` names the record `camden-cvz`, but there is no such organisation\n  --> content/case-studies/lunch.md:4:9",
        "hint: did you mean `camden-cvs`?",
        "Build failed with 13 errors; the previous output was left untouched.",
    ];
    for e in expect {
        assert!(err.contains(e), "missing:\n{e}\n--- in:\n{err}");
    }
}

#[test]
fn a_data_file_that_is_not_a_list_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("collections-not-list"), &out.path().join("p"), &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("error: data/organisations.yaml should be a list of records, but it is a group of `key: value` lines\n  --> data/organisations.yaml:1"), "{err}");
}

#[test]
fn collection_settings_are_checked_at_their_line() {
    let out = tempfile::tempdir().unwrap();
    let o = build(
        &fixture("collections-config-errors"),
        &out.path().join("p"),
        &[],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    for e in [
        "error: site.toml: field `name` has an unknown type `txt`\n  --> site.toml:8:8",
        "hint: did you mean `text`?",
        "error: site.toml: choice field `kind` has no `values`\n  --> site.toml:12:8",
        "error: site.toml: field `website` is a url field, which readers cannot filter by\n  --> site.toml:17:10",
    ] {
        assert!(err.contains(e), "missing:\n{e}\n--- in:\n{err}");
    }
}

#[test]
fn title_field_must_be_a_declared_field() {
    let site = site(&[
        (
            "site.toml",
            "title = \"x\"\n\n[[collections]]\nname = \"orgs\"\ntitle_field = \"nmae\"\n\n[[collections.fields]]\nname = \"name\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(err.contains("error: site.toml: collection `orgs` shows its records by the field `nmae`, but declares no such field\n  --> site.toml:5:15"), "{err}");
    assert!(err.contains("did you mean `name`?"), "{err}");
}

#[test]
fn unknown_collection_setting_names_the_nearest() {
    let site = site(&[
        (
            "site.toml",
            "title = \"x\"\n\n[[collections]]\nname = \"orgs\"\nrecord_page = true\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(
        err.contains("error: site.toml: unknown key `record_page`\n  --> site.toml:5:1"),
        "{err}"
    );
    assert!(err.contains("did you mean `record_pages`?"), "{err}");
    let site2 = self::site(&[
        (
            "site.toml",
            "title = \"x\"\n\n[[collections]]\nname = \"orgs\"\n\n[[collections.fields]]\nname = \"name\"\nrequird = true\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let o = build(site2.path(), &site2.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(
        err.contains("error: site.toml: unknown key `requird`\n  --> site.toml:8:1"),
        "{err}"
    );
    assert!(err.contains("did you mean `required`?"), "{err}");
}

#[test]
fn a_missing_data_file_and_an_unknown_organisation_collection_are_errors() {
    let site = site(&[
        (
            "site.toml",
            "title = \"x\"\n\n[[collections]]\nname = \"orgs\"\n\n[[collections.fields]]\nname = \"name\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/case-studies/a.md",
            "---\ntitle: A\norganisations:\n  - id: bteg\n---\n",
        ),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(err.contains("error: collection `orgs` is declared in site.toml, but there is no data/orgs.yaml or data/orgs.csv"), "{err}");
    assert!(err.contains("error: `organisations` names the record `bteg`, but there is no such organisation\n  --> content/case-studies/a.md:4:9"), "{err}");
    assert!(
        err.contains("declare it with a [[collections]] table (name = \"organisations\")"),
        "{err}"
    );
}

#[test]
fn the_documented_directory_and_its_csv_template_build() {
    // docs/COLLECTIONS.md's site.toml block, with docs/directory-template.csv
    // as data/directory.csv: what an editor copies must build as it is.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(repo.join("docs/COLLECTIONS.md")).unwrap();
    let toml = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let csv = std::fs::read_to_string(repo.join("docs/directory-template.csv")).unwrap();
    let site = site(&[
        (
            "site.toml",
            &format!("title = \"Directory\"\n\n[[stakeholders]]\nid = \"bme\"\nname = \"BME organisations\"\n\n[[stakeholders]]\nid = \"infrastructure\"\nname = \"Infrastructure bodies\"\n\n{toml}"),
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("data/directory.csv", &csv),
    ]);
    let out = build_ok(site.path(), &[]);
    let listing = read(out.path(), "directory/index.html");
    assert!(listing.contains("<h1>Local directory</h1>"), "{listing}");
    assert!(listing.contains("Runs training for local groups, and a funding advice service."));
    let record = read(out.path(), "directory/example-cvs/index.html");
    assert!(record.contains("<h1>Example Council for Voluntary Service</h1>"));
}

/// The `<nav class="site-nav">` of a page: its entries' text, in order.
fn menu(html: &str) -> Vec<String> {
    let start = html.find("<nav class=\"site-nav\"").expect("a menu");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li><a ")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn a_listing_is_in_the_menu_after_the_sections() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let home = read(out.path(), "index.html");
    assert_eq!(
        menu(&home),
        [
            "Principles",
            "Case studies",
            "Organisations in this guide",
            "By stakeholder"
        ]
    );
    assert!(home.contains("<li><a href=\"/organisations/\">Organisations in this guide</a></li>"));
    // The listing is the current page; a record's page is below it.
    let listing = read(out.path(), "organisations/index.html");
    assert!(listing.contains(
        "<li><a href=\"/organisations/\" aria-current=\"page\">Organisations in this guide</a></li>"
    ));
    let record = read(out.path(), "organisations/bteg/index.html");
    assert!(record.contains(
        "<li><a href=\"/organisations/\" aria-current=\"true\">Organisations in this guide</a></li>"
    ));
    // Without an _index.md, the collection's title from site.toml.
    let out = build_ok(&fixture("collections-csv"), &[]);
    let home = read(out.path(), "index.html");
    assert_eq!(
        menu(&home),
        ["Case studies", "Local directory", "By stakeholder"]
    );
}

#[test]
fn the_menu_orders_listings_by_weight_and_leaves_out_nav_false_and_empty_ones() {
    let fields = "[[collections.fields]]\nname = \"name\"\n";
    let toml = format!(
        "title = \"x\"\n\n[[collections]]\nname = \"groups\"\n\n{fields}\n[[collections]]\nname = \"funders\"\n\n{fields}\n[[collections]]\nname = \"hidden\"\nnav = false\n\n{fields}\n[[collections]]\nname = \"empty\"\n\n{fields}"
    );
    let record = "- id: one\n  name: One\n";
    let s = site(&[
        ("site.toml", &toml),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/about.md",
            "---\ntitle: About\nnav: true\nweight: 1\n---\n",
        ),
        (
            "content/funders/_index.md",
            "---\ntitle: Our funders\nweight: 2\n---\n",
        ),
        ("data/groups.yaml", record),
        ("data/funders.yaml", record),
        ("data/hidden.yaml", record),
        ("data/empty.yaml", ""),
    ]);
    let out = build_ok(s.path(), &[]);
    let home = read(out.path(), "index.html");
    assert_eq!(
        menu(&home),
        ["Our funders", "Groups", "By stakeholder", "About"]
    );
    // Left out of the menu, the listings are still made.
    assert!(out.path().join("public/hidden/index.html").is_file());
    assert!(out.path().join("public/empty/index.html").is_file());
}

#[test]
fn stakeholder_pages_list_the_records_tagged_with_them() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let bme = read(out.path(), "stakeholders/bme/index.html");
    assert!(
        main_of(&bme).contains(
            "<section class=\"related\" aria-labelledby=\"fg-records-organisations\">\n  <h2 id=\"fg-records-organisations\"><a href=\"/organisations/\">Organisations in this guide</a></h2>\n  <ul class=\"link-list\">\n    <li><a href=\"/organisations/bteg/\">BTEG</a></li>\n    <li><a href=\"/organisations/camden-cvs/\">Camden CVS</a></li>\n  </ul>\n</section>"
        ),
        "{bme}"
    );
    let infrastructure = read(out.path(), "stakeholders/infrastructure/index.html");
    let main = main_of(&infrastructure);
    assert!(main.contains("<li><a href=\"/organisations/camden-cvs/\">Camden CVS</a></li>"));
    assert!(!main.contains("BTEG"), "{main}");
    // No record pages: each links to its entry on the listing.
    let out = build_ok(&fixture("collections-csv"), &[]);
    let funders = read(out.path(), "stakeholders/funders/index.html");
    assert!(main_of(&funders).contains("<h2 id=\"fg-records-directory\"><a href=\"/directory/\">Local directory</a></h2>\n  <ul class=\"link-list\">\n    <li><a href=\"/directory/#record-north-forum\">North Forum, Leeds</a></li>\n    <li><a href=\"/directory/#record-south-trust\">South Trust</a></li>"), "{funders}");
    let bme = read(out.path(), "stakeholders/bme/index.html");
    assert!(!main_of(&bme).contains("South Trust"));
}

#[test]
fn the_listing_ends_with_its_references() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let listing = read(out.path(), "organisations/index.html");
    let main = main_of(&listing);
    assert!(
        main.contains("<p>The report asks for a directory<sup class=\"citation\""),
        "{main}"
    );
    let intro = main.find("The report asks for a directory").unwrap();
    let filters = main.find("<form id=\"collection-filters\"").unwrap();
    let a_z = main.find("<section id=\"collection-a-z\"").unwrap();
    let last_group = main.rfind("<section class=\"collection-group\"").unwrap();
    let references = main
        .find("<section class=\"references\"")
        .expect("a References section");
    let sources = main
        .find("<section class=\"sources\"")
        .expect("the sources");
    assert!(
        intro < filters
            && filters < a_z
            && a_z < last_group
            && last_group < references
            && references < sources,
        "{main}"
    );
    assert_eq!(main.matches("<section class=\"references\"").count(), 1);
}

#[test]
fn text_fields_get_smart_punctuation_and_stay_escaped() {
    let out = build_ok(&fixture("collections-yaml"), &[]);
    let listing = read(out.path(), "organisations/index.html");
    // Quotes, apostrophes, dashes and dots as in Markdown text; nothing else
    // of Markdown, and HTML shown as text.
    let expected = "<dt>Note</dt><dd>Called the “backbone” of the programme – it’s &lt;b&gt;one&lt;/b&gt; of two &amp; more… [not](a link) *or* `code`</dd>";
    assert!(main_of(&listing).contains(expected), "{listing}");
    let record = read(out.path(), "organisations/bteg/index.html");
    assert!(main_of(&record).contains(expected), "{record}");
    assert!(!listing.contains("<b>one</b>"));
}

#[test]
fn check_lints_records_like_pages_naming_the_data_file_and_line() {
    let dense = "Organisational infrastructure considerations necessitate comprehensive collaborative institutional arrangements notwithstanding considerable administrative complexity, particularly regarding intergovernmental accountability mechanisms and multidimensional evaluation methodologies";
    let s = site(&[
        (
            "site.toml",
            "title = \"x\"\nreading_grade = 9\n\n[[collections]]\nname = \"orgs\"\n\n[[collections.fields]]\nname = \"name\"\n\n[[collections.fields]]\nname = \"about\"\ntype = \"markdown\"\n\n[[collections.fields]]\nname = \"described_as\"\n\n[[collections.fields]]\nname = \"source\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nA plain home page.\n"),
        (
            "data/orgs.yaml",
            &format!("- id: plain\n  name: Plain\n  about: \"We met. We talked. We agreed a plan. It worked well. We met again. We talked more. We made a list. We kept it short. We all said yes. See [the plan](https://example.org/).\"\n  source: \"{dense}\"\n- id: dense\n  name: Dense\n  described_as: \"{dense}; {dense}\"\n  about: \"Read [here](https://example.org/) and ![](https://example.org/a.png).\"\n"),
        ),
    ]);
    let o = fairguide(&["check", "--root", s.path().to_str().unwrap()]);
    let err = stderr(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    for e in [
        "warning: record `dense`: reading grade ",
        "is above the site's target of 9\n  --> data/orgs.yaml:5\n",
        "warning: record `dense`, field `about`: link text \"here\" does not say where it goes\n  --> data/orgs.yaml:8:10",
        "warning: record `dense`, field `about`: image without alt text\n  --> data/orgs.yaml:8:10",
    ] {
        assert!(err.contains(e), "missing:\n{e}\n--- in:\n{err}");
    }
    // A `source` field is a citation, not read for the grade; a plain record passes.
    assert!(!err.contains("record `plain`"), "{err}");
    assert!(out.contains("data/orgs.yaml:5"), "{out}");
}
