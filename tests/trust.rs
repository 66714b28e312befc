//! Input nobody here wrote: the contract's optional keys stay optional, script
//! URLs never reach an output file, and bad values get errors in plain words
//! at the key's own line.

mod common;
use common::*;
use std::fs;
use std::io::Read;

/// The scheme a browser would see in `url` (ASCII whitespace and controls removed).
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !(c.is_ascii_whitespace() || c.is_ascii_control()))
        .take_while(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    cleaned.split_once(':').map(|(s, _)| s.to_ascii_lowercase())
}

/// `&#106;` and `&#x6A;` and the named entities the generator writes, decoded.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let body = &tail[1..e];
            let n = if let Some(hex) = body.strip_prefix("#x").or(body.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = body.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match body {
                    "amp" => Some('&' as u32),
                    "quot" => Some('"' as u32),
                    "lt" => Some('<' as u32),
                    "gt" => Some('>' as u32),
                    "colon" => Some(':' as u32),
                    "Tab" => Some('\t' as u32),
                    _ => None,
                }
            };
            n.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn assert_no_script_url(file: &str, text: &str) {
    for attr in [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
    ] {
        for value in attr_values(text, attr) {
            let url = decode_entities(&value);
            let scheme = scheme(&url);
            let ok = match scheme.as_deref() {
                None | Some("http" | "https" | "mailto" | "tel") => true,
                Some("data") => url.starts_with("data:image/png"),
                Some(_) => false,
            };
            assert!(ok, "{file}: {attr}=\"{value}\" is a script URL");
        }
    }
}

#[test]
fn script_urls_never_reach_any_output_file() {
    let out = build_ok(&fixture("script-urls"), &[]);
    let public = out.path().join("public");
    let mut checked = 0;
    for rel in files(&public) {
        let path = public.join(&rel);
        let text = if rel.ends_with(".pf_fragment") || rel.ends_with(".pf_meta") {
            // Pagefind's fragments and metadata are gzipped JSON.
            let mut raw = Vec::new();
            let bytes = fs::read(&path).unwrap();
            let mut gz = flate2::read::GzDecoder::new(&bytes[..]);
            if gz.read_to_end(&mut raw).is_err() {
                continue;
            }
            String::from_utf8_lossy(&raw).into_owned()
        } else if rel.ends_with(".html") || rel.ends_with(".xml") {
            fs::read_to_string(&path).unwrap()
        } else {
            continue;
        };
        assert_no_script_url(&rel, &text);
        if rel.ends_with(".pf_fragment") {
            // Excerpts are text: a script URL in them is never markup.
            assert!(!text.contains("<a "), "{rel}: {text}");
        }
        checked += 1;
    }
    assert!(checked > 10, "only {checked} files checked");
    // The safe links and image survive, and each unsafe one is told at its line.
    let home = read(out.path(), "index.html");
    assert!(
        home.contains("<a href=\"https://example.org/\">web</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"mailto:someone@example.org\">mail</a>"));
    assert!(home.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""));
    assert!(home.contains("Plain a and b and c."), "{home}");
    let story = read(out.path(), "case-studies/story/index.html");
    assert!(
        story.contains("<a href=\"https://example.org/report.pdf\"><cite>A report</cite></a>"),
        "{story}"
    );
}

#[test]
fn each_script_url_is_a_warning_at_its_line() {
    let o = build(
        &fixture("script-urls"),
        &tempfile::tempdir().unwrap().path().join("p"),
        &["--no-search"],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for (shown, line) in [
        ("javascript:alert(1)", "content/_index.md:5:7"),
        ("JaVaScRiPt:alert(1)", "content/_index.md:5:36"),
        ("javascript:alert(2)", "content/_index.md:9:10"),
        ("vbscript:msgbox(1)", "content/_index.md:9:36"),
        ("VBSCRIPT:alert(3)", "content/_index.md:11:25"),
        ("data:image/svg+xml", "content/_index.md:13:34"),
    ] {
        let found = err
            .split("warning: ")
            .any(|w| w.contains(&format!("`{shown}")) && w.contains(&format!("--> {line}\n")));
        assert!(found, "no warning for `{shown}` at {line} in:\n{err}");
    }
}

#[test]
fn a_script_url_in_front_matter_is_an_error_at_its_line() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        (
            "content/about.md",
            "---\ntitle: About\nsource:\n  - title: Report\n    url: \" JavaScript:alert(1)\"\n---\nText\n",
        ),
    ]);
    let o = build(s.path(), &s.path().join("public"), &["--no-search"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("error: `url` in `source` is not a web address: `JavaScript:alert(1)`\n  --> content/about.md:5:"),
        "{err}"
    );
    assert!(
        err.contains("hint: write the full address starting with https://"),
        "{err}"
    );
    assert!(!s.path().join("public").exists());
}

#[test]
fn recommendations_need_no_number_and_no_stakeholders() {
    let out = build_ok(&fixture("unnumbered"), &["--no-search"]);
    let index = read(out.path(), "recommendations/index.html");
    // Numbered first; unnumbered follow by title, with no empty "Recommendation :".
    let section = index.split("id=\"for-funders\"").nth(1).unwrap();
    let numbered = section.find("Recommendation 2: Numbered one").unwrap();
    let also = section.find(">Also for funders</a>").unwrap();
    let zebra = section.find(">Zebra crossing</a>").unwrap();
    assert!(numbered < also && also < zebra, "{section}");
    assert!(!index.contains("Recommendation :"), "{index}");
    // One addressed to nobody is still listed, not lost.
    let unassigned = index.split("id=\"fg-unassigned\"").nth(1).unwrap();
    assert!(unassigned.contains(">Apple first</a>"), "{index}");
    let funders = read(out.path(), "stakeholders/funders/index.html");
    assert!(funders.contains(">Zebra crossing</a>"));
    assert!(!funders.contains("Apple first"));
    // The plain-string source is shown as the source's title.
    let also = read(out.path(), "recommendations/also/index.html");
    assert!(also.contains("<cite>NCVO KnowHow</cite>"), "{also}");
}

#[test]
fn a_site_without_a_glossary_or_some_sections_links_to_none() {
    let out = build_ok(&fixture("unnumbered"), &["--no-search"]);
    let public = out.path().join("public");
    assert!(!public.join("glossary/index.html").exists());
    for rel in files(&public) {
        if rel.ends_with(".html") {
            let html = fs::read_to_string(public.join(&rel)).unwrap();
            assert!(!html.contains("glossary/\""), "{rel} links to a glossary");
            // Nor to sections it has no page in (it has only recommendations).
            // (An empty section's own page is still written, but nothing leads to it.)
            for empty in ["principles/", "barriers/", "case-studies/"] {
                if rel.starts_with(empty) {
                    continue;
                }
                assert!(
                    !html.contains(&format!("href=\"/{empty}\"")),
                    "{rel} links to /{empty}"
                );
            }
        }
    }
}

/// Builds a one-page site whose page has front matter `front`; returns stderr.
fn front_matter_errors(path: &str, front: &str) -> String {
    let text = format!("---\n{front}---\nBody text.\n");
    let s = site(&[
        (
            "site.toml",
            "title = \"T\"\n[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\n",
        ),
        (path, &text),
    ]);
    let o = build(s.path(), &s.path().join("public"), &["--no-search"]);
    assert!(!o.status.success(), "{front} built");
    stderr(&o)
}

#[test]
fn wrong_values_name_the_key_at_its_own_line_in_plain_words() {
    for (path, front, expected) in [
        (
            "content/about.md",
            "summary: A page\ntitle: [a, b]\n",
            "error: `title` should be text on one line, but here it is a list\n  --> content/about.md:3:8\n  |\n3 | title: [a, b]\n  |        ^\n  = hint: write it like this: `title: Trust and control`\n",
        ),
        (
            "content/about.md",
            "title: About\nweight: heavy\n",
            "error: `weight` should be a whole number, but here it is text\n  --> content/about.md:3:9\n",
        ),
        (
            "content/about.md",
            "title: About\nnav: {a: 1}\n",
            "error: `nav` should be `true` or `false`, but here it is a group of `key: value` lines\n  --> content/about.md:3:6\n",
        ),
        (
            "content/recommendations/r.md",
            "title: R\nnumber: 0\n",
            "error: `number` should be a whole number from 1 up, but here it is out of range\n  --> content/recommendations/r.md:3:9\n",
        ),
        (
            "content/case-studies/c.md",
            "title: C\ndate: yesterday\n",
            "error: `date` should be a date written year-month-day, but here it is `yesterday`\n  --> content/case-studies/c.md:3:7\n",
        ),
        (
            "content/case-studies/c.md",
            "title: C\ndate: 2012-13-45\n",
            "error: `date` should be a date written year-month-day, but here it is `2012-13-45`\n  --> content/case-studies/c.md:3:7\n",
        ),
        (
            "content/case-studies/c.md",
            "title: C\nsource:\n  - title: R\n    year: twenty-twelve\n",
            "error: `year` in `source` should be a year such as 2012, but here it is `twenty-twelve`\n  --> content/case-studies/c.md:5:11\n",
        ),
        (
            "content/case-studies/c.md",
            "title: C\nsource:\n  title: R\n  auther: Me\n",
            "error: unknown key `auther` in `source`\n  --> content/case-studies/c.md:5:3\n",
        ),
        (
            "content/case-studies/c.md",
            "title: C\nstakeholders:\n  - {id: funders}\n",
            "error: each item of `stakeholders` should be a name, but one is a group of `key: value` lines\n  --> content/case-studies/c.md:4:3\n",
        ),
        (
            "content/case-studies/c.md",
            "title: Ünïcödé ✓ عربى\nstakeholders: [fünders]\n",
            "error: stakeholder type `fünders` is not declared in site.toml\n  --> content/case-studies/c.md:3:16\n",
        ),
    ] {
        let err = front_matter_errors(path, front);
        assert!(err.contains(expected), "expected:\n{expected}\ngot:\n{err}");
        for internal in ["untagged enum", "invalid type", "OneOrMany", "expected a string", "Value::"] {
            assert!(!err.contains(internal), "parser internals in:\n{err}");
        }
    }
}

#[test]
fn every_error_on_a_page_is_reported_in_one_run() {
    let err = front_matter_errors(
        "content/case-studies/c.md",
        "title: C\ndate: 2012-02-30\nweight: x\norganisations:\n  - name: A\n    typ: b\n",
    );
    for needle in ["`date`", "`weight`", "unknown key `typ` in `organisations`"] {
        assert!(err.contains(needle), "{needle} missing in:\n{err}");
    }
    assert!(err.contains("did you mean `type`?"), "{err}");
}

#[test]
fn site_toml_values_are_checked_at_load_with_line_and_fix() {
    for (toml, expected) in [
        (
            "title = \"T\"\nlanguage = \"not a language\"\n",
            "error: site.toml: `language` is not a language tag: `not a language`\n  --> site.toml:2:12\n",
        ),
        (
            "title = \"T\"\nbase_url = \"javascript:alert(1)\"\n",
            "error: site.toml: `base_url` is not a web address or a path: `javascript:alert(1)`\n  --> site.toml:2:12\n",
        ),
        (
            "title = \"T\"\ntheme = \"../../etc\"\n",
            "error: site.toml: `theme` is not a theme folder name: `../../etc`\n  --> site.toml:2:9\n",
        ),
        (
            "title = \"T\"\nreading_grade = nan\n",
            "error: site.toml: `reading_grade` should be a school grade from 1 to 20, but it is NaN\n  --> site.toml:2:17\n",
        ),
        (
            "title = \"T\"\nallow_raw_html = \"yes\"\n",
            "error: site.toml: `allow_raw_html` should be true or false, but here it is text\n  --> site.toml:2:18\n",
        ),
        (
            "description = \"no title\"\n",
            "error: site.toml: site.toml has no `title`\n",
        ),
        (
            "title = \"T\"\n[[stakeholders]]\nid = \"funders\"\n",
            "error: site.toml: this [[stakeholders]] table has no `name`\n",
        ),
    ] {
        let s = site(&[("site.toml", toml), ("content/_index.md", "---\ntitle: Home\n---\n")]);
        let o = build(s.path(), &s.path().join("public"), &["--no-search"]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{toml} built");
        assert!(err.contains(expected), "expected:\n{expected}\ngot:\n{err}");
        assert!(err.contains("hint: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn headings_never_share_an_id_and_a_readme_title_is_not_a_second_h1() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/readme.md", "---\ntitle: Readme\n---\n# Project\n\n### Skipped\n\n## A 1\n\n## A\n\n## A\n\n<!-- a note -->\n\n## Note\n\n## 1\n\nSee this[^note] and that[^1].\n\n[^note]: A footnote.\n[^1]: Another.\n"),
    ]);
    let out = build_ok(s.path(), &["--no-search"]);
    let html = read(out.path(), "readme/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(html.contains("<h2 id=\"project\">Project</h2>"), "{html}");
    // `###` after `#` (demoted to h2) would skip h3, which HTML forbids.
    assert!(html.contains("<h3 id=\"skipped\">Skipped</h3>"), "{html}");
    let ids = attr_values(&html, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "repeated ids: {ids:?}");
    assert!(!html.contains("a note"), "{html}");
    // Footnotes keep ids of their own, and their links lead to them.
    assert!(html.contains("<a href=\"#fn-1\">1</a>"), "{html}");
    assert!(html.contains("id=\"fn-1\""), "{html}");
    assert!(html.contains("<h3 id=\"note\">Note</h3>"), "{html}");
}

#[test]
fn a_missing_image_is_an_error_at_its_line() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        (
            "content/case-studies/visit.md",
            "---\ntitle: Visit\n---\nText.\n\n![The kitchen](kitchen.jpg)\n",
        ),
        // An SVG is used as it is (a JPEG or PNG must also be a readable photo: tests/photos.rs).
        ("content/case-studies/found.svg", "x"),
        (
            "content/case-studies/other.md",
            "---\ntitle: Other\n---\n![Found](found.svg)\n",
        ),
    ]);
    let o = build(s.path(), &s.path().join("public"), &["--no-search"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("error: image `kitchen.jpg` not found: there is no content/case-studies/kitchen.jpg\n  --> content/case-studies/visit.md:6:1\n"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn an_image_only_link_gets_an_accessible_name() {
    let s = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/logo.svg", "x"),
        ("content/readme.md", "---\ntitle: Readme\n---\n[![](logo.svg)](https://ci.example.org/build/) [![Build status](logo.svg)](https://example.org/)\n"),
    ]);
    let out = build_ok(s.path(), &["--no-search"]);
    let html = read(out.path(), "readme/index.html");
    assert!(
        html.contains("<a href=\"https://ci.example.org/build/\" aria-label=\"Link to ci.example.org/build\"><img src=\"/logo.svg\" alt=\"\" /></a>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<a href=\"https://example.org/\"><img src=\"/logo.svg\" alt=\"Build status\" /></a>"
        ),
        "{html}"
    );
}

#[test]
fn a_commitment_names_its_basis_or_the_build_says_which_page_is_missing() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let coc = read(out.path(), "code-of-conduct/index.html");
    assert!(
        coc.contains("We fund the cost of partnership work. <span class=\"basis\">(Basis: <a href=\"/recommendations/fund-partnerships/\">Recommendation"),
        "{coc}"
    );
    assert!(coc.contains("We ask who decided. <span class=\"basis\">(Basis: <a href=\"/principles/equal-partners/\">"), "{coc}");
    assert!(coc.contains("</a>; added by this guide.)</span>"), "{coc}");
    // One without a basis shows none, and check asks for it.
    assert!(
        coc.contains("<li>We say early what we can bring.</li>"),
        "{coc}"
    );
    let o = fairguide(&["check", "--root", fixture("every-kind").to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("warning: commitment \"We say early what we can...\" does not say what it rests on\n  --> content/code-of-conduct.md:10:11\n"),
        "{err}"
    );

    let s = copy_fixture("every-kind");
    let path = s.path().join("content/code-of-conduct.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "basis: recommendations/fund-partnerships",
            "basis: recommendations/fund-partnership",
        ),
    )
    .unwrap();
    let o = build(s.path(), &s.path().join("public"), &["--no-search"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("error: a commitment's `basis` names `recommendations/fund-partnership`, but there is no content/recommendations/fund-partnership.md\n  --> content/code-of-conduct.md:8:12\n"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `recommendations/fund-partnerships`?"),
        "{err}"
    );
}
