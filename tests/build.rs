//! `fairguide build` on fixture sites, asserting on the HTML it writes.

mod common;
use common::*;
use std::fs;

#[test]
fn minimal_site_builds_with_default_theme() {
    let out = build_ok(&fixture("minimal"), &[]);
    let home = read(out.path(), "index.html");
    assert!(home.contains("<html lang=\"en\">"), "{home}");
    assert!(home.contains("<title>Minimal guide</title>"));
    assert!(home.contains("<a class=\"skip-link\" href=\"#main-content\">"));
    for f in [
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "style.css",
        "search/index.html",
        "stakeholders/index.html",
    ] {
        assert!(out.path().join("public").join(f).exists(), "{f} missing");
    }
}

#[test]
fn every_kind_of_page_is_generated() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let files = files(&out.path().join("public"));
    for f in [
        "index.html",
        "principles/index.html",
        "principles/equal-partners/index.html",
        "barriers/index.html",
        "barriers/trust-and-control/index.html",
        "case-studies/index.html",
        "case-studies/camden/index.html",
        "case-studies/board.png",
        "recommendations/index.html",
        "recommendations/fund-partnerships/index.html",
        "code-of-conduct/index.html",
        "about/index.html",
        "about/team/index.html",
        "glossary/index.html",
        "stakeholders/index.html",
        "stakeholders/funders/index.html",
        "stakeholders/bme/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} missing from {files:?}");
    }
    let home = read(out.path(), "index.html");
    assert!(home.contains("<html lang=\"en-GB\">"));
    assert!(
        home.contains("href=\"/principles/\""),
        "home links rewritten: {home}"
    );
    assert!(home.contains("href=\"/about/\""));
}

#[test]
fn recommendations_index_groups_by_stakeholder() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let index = read(out.path(), "recommendations/index.html");
    let funders = &index[index.find("id=\"for-funders\"").expect("funders group")..];
    let bme = &index[index.find("id=\"for-bme\"").expect("bme group")..];
    // Listed under every stakeholder type it names, with number, text, link and principles.
    assert!(funders.contains("Recommendation 1 (2012 report): Fund partnerships fairly"));
    assert!(funders.contains("Recommendation 2 (2012 report): Speak up early"));
    assert!(funders.contains("Funders should pay for the time partnership work takes."));
    assert!(funders.contains("href=\"/recommendations/fund-partnerships/\""));
    assert!(funders.contains(
        "Related principles: <a href=\"/principles/equal-partners/\">Treated as equal partners</a>"
    ));
    let bme_only = &bme[..bme.find("</section>").unwrap()];
    assert!(bme_only.contains("Speak up early"));
    assert!(!bme_only.contains("Fund partnerships fairly"));
}

#[test]
fn stakeholder_page_lists_recommendations_case_studies_and_commitments() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let page = read(out.path(), "stakeholders/funders/index.html");
    assert!(
        page.contains("<h1>What this guide asks of funders</h1>"),
        "{page}"
    );
    assert!(page.contains("Fund partnerships fairly"));
    assert!(page.contains("<li>We fund the cost of partnership work. <span class=\"basis\">"));
    assert!(page.contains("<li>We ask who decided. <span class=\"basis\">"));
    assert!(
        !page.contains("We say early what we can bring."),
        "a BME commitment leaked into funders"
    );
    assert!(
        page.contains("Treated as equal partners"),
        "principle tagged funders"
    );
    let bme = read(out.path(), "stakeholders/bme/index.html");
    assert!(bme.contains("href=\"/case-studies/camden/\""));
}

#[test]
fn cross_references_are_built_both_ways() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let principle = read(out.path(), "principles/equal-partners/index.html");
    assert!(principle.contains("Case studies that show it"));
    assert!(
        principle.contains("href=\"/case-studies/camden/\""),
        "back-reference from case study"
    );
    assert!(
        principle.contains("href=\"/recommendations/fund-partnerships/\""),
        "back-reference from recommendation"
    );
    let barrier = read(out.path(), "barriers/trust-and-control/index.html");
    assert!(
        barrier.contains("href=\"/principles/equal-partners/\""),
        "principle that answers it"
    );
    assert!(barrier.contains("href=\"/case-studies/camden/\""));
}

#[test]
fn markdown_features_render() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let principle = read(out.path(), "principles/equal-partners/index.html");
    assert!(principle.contains("<h2 id=\"in-practice\">In practice</h2>"));
    assert!(
        principle.contains("<h2 id=\"in-practice-1\">In practice</h2>"),
        "unique ids"
    );
    assert!(
        principle.contains("<a href=\"#in-practice-1\">"),
        "table of contents"
    );
    assert!(
        principle.contains("href=\"/barriers/trust-and-control/#what-it-is\""),
        ".md link rewritten with anchor"
    );
    let barrier = read(out.path(), "barriers/trust-and-control/index.html");
    assert!(barrier.contains("<table>"));
    assert!(barrier.contains("class=\"table-wrap\" role=\"region\" tabindex=\"0\""));
    assert!(barrier.contains("footnote-definition"), "footnotes");
    let case = read(out.path(), "case-studies/camden/index.html");
    assert!(
        case.contains("<span class=\"hl-entity"),
        "highlighted by class"
    );
    assert!(!case.contains("style="), "no inline colours");
    assert!(
        case.contains("src=\"/case-studies/board.png\""),
        "co-located image"
    );
    let about = read(out.path(), "about/index.html");
    assert_eq!(
        about
            .matches("<abbr title=\"Black and minority ethnic\">BME</abbr>")
            .count(),
        1,
        "first use only"
    );
}

#[test]
fn front_matter_and_raw_html_cannot_inject_script() {
    let out = build_ok(&fixture("every-kind"), &[]);
    for f in files(&out.path().join("public")) {
        if f.ends_with(".html") || f.ends_with(".xml") {
            let text = read(out.path(), &f);
            assert!(
                !text.contains("<script>alert"),
                "{f} contains injected script"
            );
            assert!(
                !text.contains("<img src=x onerror"),
                "{f} contains injected handler"
            );
        }
    }
    let case = read(out.path(), "case-studies/camden/index.html");
    assert!(case.contains("Camden: &lt;script&gt;"));
}

#[test]
fn trusted_sites_may_allow_raw_html() {
    let s = site(&[
        ("site.toml", "title = \"T\"\nallow_raw_html = true\n"),
        (
            "content/about.md",
            "---\ntitle: About\n---\n<div class=\"callout\">Trusted</div>\n",
        ),
    ]);
    let out = build_ok(s.path(), &[]);
    assert!(read(out.path(), "about/index.html").contains("<div class=\"callout\">Trusted</div>"));
}

#[test]
fn feed_sitemap_and_robots() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let sitemap = read(out.path(), "sitemap.xml");
    for u in [
        "https://example.org/",
        "https://example.org/case-studies/camden/",
        "https://example.org/stakeholders/funders/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{u}</loc>")),
            "{u} not in sitemap"
        );
    }
    let feed = read(out.path(), "atom.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("<id>https://example.org/case-studies/camden/</id>"));
    assert!(feed.contains("<updated>2007-10-01T00:00:00Z</updated>"));
    assert!(read(out.path(), "robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn three_errors_in_three_files_are_all_reported() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("three-errors"), &out.path().join("public"), &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("--> content/principles/equal-partners.md:3"),
        "{err}"
    );
    assert!(
        err.contains("--> content/case-studies/camden.md:5:5"),
        "{err}"
    );
    assert!(err.contains("did you mean `funders`?"), "{err}");
    assert!(
        err.contains("--> content/recommendations/fund.md:8"),
        "{err}"
    );
    assert!(err.contains("Build failed with 3 errors"), "{err}");
    assert!(
        !out.path().join("public").exists(),
        "nothing written on failure"
    );
}

#[test]
fn sub_path_build_keeps_every_link_inside_the_sub_path() {
    let out = build_ok(
        &fixture("every-kind"),
        &["--base-url", "https://example.org/guide/"],
    );
    let public = out.path().join("public");
    let mut checked = 0;
    for f in files(&public).iter().filter(|f| f.ends_with(".html")) {
        let html = read(out.path(), f);
        for attr in ["href", "src", "action"] {
            for v in attr_values(&html, attr) {
                if v.starts_with('#') || v.starts_with("mailto:") {
                    continue;
                }
                let path = v.strip_prefix("https://example.org").unwrap_or(&v);
                assert!(
                    !v.contains("://") || v.starts_with("https://example.org/"),
                    "{f}: external {v}"
                );
                assert!(
                    path.starts_with("/guide/"),
                    "{f}: {attr}={v} leaves /guide/"
                );
                // And it resolves to a file in the output.
                let rel = path
                    .trim_start_matches("/guide/")
                    .split('#')
                    .next()
                    .unwrap();
                let target = if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                };
                assert!(
                    public.join(&target).exists(),
                    "{f}: {v} -> {target} does not exist"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    assert!(read(out.path(), "sitemap.xml")
        .contains("<loc>https://example.org/guide/case-studies/camden/</loc>"));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    assert!(build(&fixture("every-kind"), &public, &[]).status.success());
    let before: Vec<(String, Vec<u8>)> = files(&public)
        .into_iter()
        .map(|f| {
            let b = fs::read(public.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    let o = build(&fixture("three-errors"), &public, &[]);
    assert!(!o.status.success());
    let after: Vec<(String, Vec<u8>)> = files(&public)
        .into_iter()
        .map(|f| {
            let b = fs::read(public.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    assert_eq!(before, after);
    // No staging folders left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    // And a good rebuild replaces it.
    assert!(build(&fixture("minimal"), &public, &[]).status.success());
    assert!(!public.join("case-studies/camden").exists());
}

#[test]
fn refuses_dangerous_output_folders() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/_index.md", "---\ntitle: T\n---\n"),
        ("mine/notes.txt", "keep me"),
    ]);
    for (out, why) in [
        (".", "site's own folder"),
        ("content", "inside content/"),
        ("content/x", "inside content/"),
        ("mine", "did not write"),
    ] {
        let o = build(s.path(), &s.path().join(out), &[]);
        assert!(!o.status.success(), "{out} accepted");
        assert!(stderr(&o).contains(why), "{out}: {}", stderr(&o));
    }
    assert_eq!(
        fs::read_to_string(s.path().join("mine/notes.txt")).unwrap(),
        "keep me"
    );
    assert!(s.path().join("content/_index.md").exists());
}

#[test]
fn same_url_twice_names_both_files() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/about.md", "---\ntitle: A\n---\n"),
        ("content/about/_index.md", "---\ntitle: B\n---\n"),
    ]);
    let o = build(s.path(), &s.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("content/about.md") && err.contains("content/about/_index.md"),
        "{err}"
    );
}

#[test]
fn unknown_keys_are_errors_with_suggestions() {
    let s = site(&[
        ("site.toml", "title = \"T\"\nbase_ulr = \"/\"\n"),
        ("content/_index.md", "---\ntitle: T\n---\n"),
    ]);
    let err = stderr(&build(s.path(), &s.path().join("public"), &[]));
    assert!(
        err.contains("unknown key `base_ulr`") && err.contains("did you mean `base_url`?"),
        "{err}"
    );
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        (
            "content/case-studies/x.md",
            "---\ntitle: X\nprinciple: [a]\n---\n",
        ),
    ]);
    let err = stderr(&build(s.path(), &s.path().join("public"), &[]));
    assert!(
        err.contains("unknown front matter key `principle`")
            && err.contains("did you mean `principles`?"),
        "{err}"
    );
    assert!(err.contains("content/case-studies/x.md:3"), "{err}");
}

#[test]
fn crlf_and_bom_are_accepted_and_lines_stay_right() {
    let s = site(&[
        ("site.toml", "\u{feff}title = \"T\"\r\n"),
        (
            "content/about.md",
            "\u{feff}---\r\ntitle: About\r\n---\r\nLine one.\r\n\r\n[x](missing.md)\r\n",
        ),
    ]);
    let err = stderr(&build(s.path(), &s.path().join("public"), &[]));
    assert!(err.contains("--> content/about.md:6"), "{err}");
}

#[test]
fn site_templates_override_the_theme_and_template_errors_name_file_and_line() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/about.md", "---\ntitle: About\n---\nHi\n"),
        ("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{% endblock content %}"),
    ]);
    let out = build_ok(s.path(), &[]);
    assert!(read(out.path(), "about/index.html").contains("<p class=\"custom\">About</p>"));
    fs::write(
        s.path().join("templates/page.html"),
        "line one\n{% if page.title %}\nnever closed\n",
    )
    .unwrap();
    let err = stderr(&build(s.path(), &s.path().join("public2"), &[]));
    assert!(err.contains("templates/page.html:"), "{err}");
}

/// A template that fails only when filled (here, for case studies, rendered
/// after many other pages have been written into the staging folder): every
/// failing page is reported, with search and without, and the previous output
/// stays as it was, with no staging folder left behind.
#[test]
fn template_errors_while_pages_are_written_leave_previous_output_untouched() {
    let s = copy_fixture("every-kind");
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    assert!(build(s.path(), &public, &[]).status.success());
    let before = files(&public)
        .into_iter()
        .map(|f| {
            let b = fs::read(public.join(&f)).unwrap();
            (f, b)
        })
        .collect::<Vec<_>>();
    fs::create_dir_all(s.path().join("templates")).unwrap();
    fs::write(
        s.path().join("templates/case-study.html"),
        "{% extends \"base.html\" %}{% block content %}\n<p>{{ page.title }} {{ no_such_variable }}</p>\n{% endblock content %}",
    )
    .unwrap();
    // More pages than the build renders and writes at a time.
    for i in 0..600 {
        fs::write(
            s.path()
                .join(format!("content/case-studies/more-{i:03}.md")),
            format!("---\ntitle: More {i}\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    let case_studies = fs::read_dir(s.path().join("content/case-studies"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".md") && name != "_index.md"
        })
        .count();
    assert!(case_studies > 600);
    for flags in [&[][..], &["--no-search"][..]] {
        let o = build(s.path(), &public, flags);
        assert!(!o.status.success(), "{flags:?}");
        let err = stderr(&o);
        assert!(err.contains("no_such_variable"), "{err}");
        let reported = err.matches("--> content/case-studies/").count();
        assert_eq!(reported, case_studies, "{flags:?}");
        let after = files(&public)
            .into_iter()
            .map(|f| {
                let b = fs::read(public.join(&f)).unwrap();
                (f, b)
            })
            .collect::<Vec<_>>();
        assert!(before == after, "{flags:?}: the previous output changed");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["public"], "{flags:?}");
    }
}

#[test]
fn odd_input_never_panics() {
    let cases: &[&str] = &[
        "",
        "---",
        "---\n---\n",
        "---\n- a\n- b\n---\n",
        "---\ntitle: [1, 2]\n---\n",
        "---\ntitle: x\nweight: lots\n---\n",
        "\u{0}\u{1}binary",
        "---\ntitle: x\n---\n[a](../../../../etc/passwd.md)",
    ];
    for (i, text) in cases.iter().enumerate() {
        let s = site(&[("site.toml", "title = \"T\"\n"), ("content/page.md", text)]);
        let o = build(s.path(), &s.path().join("public"), &[]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "case {i}: {err}");
        assert!(!o.status.success(), "case {i} should fail");
        assert!(err.contains("content/page.md"), "case {i}: {err}");
    }
}

#[test]
fn parallel_build_is_byte_identical_to_single_threaded() {
    let root = fixture("every-kind");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let single = std::process::Command::new(env!("CARGO_BIN_EXE_fairguide"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            a.path().join("p").to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(single.status.success());
    assert!(build(&root, &b.path().join("p"), &[]).status.success());
    let fa = files(&a.path().join("p"));
    assert_eq!(fa, files(&b.path().join("p")));
    for f in fa {
        assert_eq!(
            fs::read(a.path().join("p").join(&f)).unwrap(),
            fs::read(b.path().join("p").join(&f)).unwrap(),
            "{f} differs"
        );
    }
}

/// HTML forbids a heading that skips a level on the way down (the Nu Html
/// Checker's error in tests/browser/html.test.mjs): `##` then `####` is
/// written as h2 then h3; going back up may jump any number of levels.
#[test]
fn headings_never_skip_a_level_on_the_way_down() {
    let dir = site(&[
        ("site.toml", "title = \"Levels\"\n"),
        (
            "content/levels.md",
            "---\ntitle: Levels\n---\n#### Starts deep\n\n## Two\n\n#### Four\n\n###### Six\n\n## Two again\n",
        ),
    ]);
    let out = build_ok(dir.path(), &[]);
    let page = read(out.path(), "levels/index.html");
    for heading in [
        "<h2 id=\"starts-deep\">Starts deep</h2>",
        "<h2 id=\"two\">Two</h2>",
        "<h3 id=\"four\">Four</h3>",
        "<h4 id=\"six\">Six</h4>",
        "<h2 id=\"two-again\">Two again</h2>",
    ] {
        assert!(page.contains(heading), "no {heading} in:\n{page}");
    }
}

/// A letter and a combining accent typed as two characters become the one
/// character that looks the same (Unicode Normalization Form C), in the
/// title, the text, the ids and strings that YAML escapes decode to, as the
/// W3C character model asks.
#[test]
fn page_text_is_written_in_normalization_form_c() {
    let dir = site(&[
        ("site.toml", "title = \"Accents\"\n"),
        (
            "content/cafe.md",
            "---\ntitle: \"Cafe\u{301} rota\"\nsummary: \"The cafe\\u0301 rota\"\n---\n## The cafe\u{301}\n\nThe cafe\u{301} opens on Tuesdays.\n",
        ),
    ]);
    let out = build_ok(dir.path(), &[]);
    let page = read(out.path(), "cafe/index.html");
    assert!(
        !page.contains('\u{301}'),
        "a combining accent is left:\n{page}"
    );
    assert!(
        page.contains("<title>Café rota – Accents</title>"),
        "{page}"
    );
    assert!(page.contains("<h1>Café rota</h1>"), "{page}");
    assert!(page.contains("The café opens on Tuesdays."), "{page}");
    // Written as a YAML escape, decoded after the text was normalised.
    assert!(
        page.contains("<meta name=\"description\" content=\"The café rota\">"),
        "{page}"
    );
}
