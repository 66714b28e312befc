//! Citations (`[@v4ce-2012, p. 14]`): numbered references that link both
//! ways, errors for ids a page's sources do not declare, the check that
//! figures and quotations are cited, and search that never shows them.

mod common;

use common::*;
use serde_json::Value;
use std::io::Read;

fn main_of(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("prose");
    let end = html[start..].find("</main>").expect("end of main") + start;
    &html[start..end]
}

#[test]
fn citations_become_numbered_references_that_link_both_ways() {
    let out = build_ok(&fixture("citations"), &["--no-search"]);
    let html = read(out.path(), "report/index.html");
    let prose = main_of(&html);
    // One reference per source and locator, numbered in order of first mention;
    // a second citation of the same passage gets its own id (cite-2-2).
    assert!(prose.contains(
        "<p>The project worked with 40 organisations in London<sup class=\"citation\" data-pagefind-ignore>[<a id=\"cite-1-1\" href=\"#ref-1\" aria-label=\"Reference 1: Voice4Change England 2012, p. 3\">1</a>]</sup>.\n\
         Of those asked, 65% had worked in a partnership<sup class=\"citation\" data-pagefind-ignore>[<a id=\"cite-2-1\" href=\"#ref-2\" aria-label=\"Reference 2: Voice4Change England 2012, p. 14\">2</a>, <a id=\"cite-3-1\" href=\"#ref-3\" aria-label=\"Reference 3: Mapping BAME VCS Engagement in ECM Developments in London, section 4\">3</a>]</sup>.</p>\n\
         <p>The report asks for a code of conduct<sup class=\"citation\" data-pagefind-ignore>[<a id=\"cite-2-2\" href=\"#ref-2\" aria-label=\"Reference 2: Voice4Change England 2012, p. 14\">2</a>]</sup>. It names\n\
         five principles<sup class=\"footnote-reference\" data-pagefind-ignore><a href=\"#fn-1\">1</a></sup><sup class=\"citation\" data-pagefind-ignore>[<a id=\"cite-4-1\" href=\"#ref-4\" aria-label=\"Reference 4: Voice4Change England 2012, p. 5\">4</a>]</sup>.</p>\n"
    ), "{prose}");
    // The list: title (linked when the source has a url), publisher, year, locator; back links.
    let list_start = prose
        .find("<section class=\"references\"")
        .expect("references");
    let list_end = prose.find("</section>\n").expect("end of references") + "</section>\n".len();
    assert_eq!(
        &prose[list_start..list_end],
        "<section class=\"references\" aria-labelledby=\"references\" data-pagefind-ignore>\n\
         <h2 id=\"references\">References</h2>\n\
         <ol class=\"reference-list\">\n\
         <li id=\"ref-1\"><a href=\"https://example.org/barriers.pdf\"><cite>Barriers to collaboration and partnerships between BME and mainstream organisations in London</cite></a>, Voice4Change England, 2012, p. 3. <a class=\"ref-back\" href=\"#cite-1-1\" aria-label=\"Back to reference 1 in the text\">↩\u{fe0e}</a></li>\n\
         <li id=\"ref-2\"><a href=\"https://example.org/barriers.pdf\"><cite>Barriers to collaboration and partnerships between BME and mainstream organisations in London</cite></a>, Voice4Change England, 2012, p. 14. <span class=\"ref-back\">↩\u{fe0e} <a href=\"#cite-2-1\" aria-label=\"Back to reference 2 in the text, place 1 of 2\">a</a> <a href=\"#cite-2-2\" aria-label=\"Back to reference 2 in the text, place 2 of 2\">b</a></span></li>\n\
         <li id=\"ref-3\"><cite>Mapping BAME VCS Engagement in ECM Developments in London</cite>, section 4. <a class=\"ref-back\" href=\"#cite-3-1\" aria-label=\"Back to reference 3 in the text\">↩\u{fe0e}</a></li>\n\
         <li id=\"ref-4\"><a href=\"https://example.org/barriers.pdf\"><cite>Barriers to collaboration and partnerships between BME and mainstream organisations in London</cite></a>, Voice4Change England, 2012, p. 5. <a class=\"ref-back\" href=\"#cite-4-1\" aria-label=\"Back to reference 4 in the text\">↩\u{fe0e}</a></li>\n\
         <li id=\"ref-5\"><a href=\"https://example.org/barriers.pdf\"><cite>Barriers to collaboration and partnerships between BME and mainstream organisations in London</cite></a>, Voice4Change England, 2012, section “Trust and Control”. <a class=\"ref-back\" href=\"#cite-5-1\" aria-label=\"Back to reference 5 in the text\">↩\u{fe0e}</a></li>\n\
         <li id=\"ref-6\"><cite>Mapping BAME VCS Engagement in ECM Developments in London</cite>. <a class=\"ref-back\" href=\"#cite-6-1\" aria-label=\"Back to reference 6 in the text\">↩\u{fe0e}</a></li>\n\
         </ol>\n\
         </section>\n"
    );
    // Listed in the page's contents; citations in code are left as typed.
    assert!(html.contains("<li class=\"toc-2\"><a href=\"#references\">References</a></li>"));
    assert!(prose.contains("<code>[@v4ce-2012, p. 14]</code>"));
    assert!(prose.contains("It says so [@v4ce-2012, p. 14].\n"));
    // Every id on the page once, footnotes' and citations' alike.
    let ids = attr_values(&html, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    // Every citation link leads to an element of the page, and every back link too.
    for href in attr_values(prose, "href")
        .iter()
        .filter(|h| h.starts_with('#'))
    {
        assert!(ids.contains(&href[1..].to_string()), "{href} leads nowhere");
    }
}

#[test]
fn lists_show_a_recommendation_without_its_citations() {
    let out = build_ok(&fixture("citations"), &["--no-search"]);
    let page = read(out.path(), "recommendations/code-of-conduct/index.html");
    assert!(
        page.contains("code of conduct<sup class=\"citation\""),
        "{page}"
    );
    let list = read(out.path(), "recommendations/index.html");
    assert!(
        list.contains("<p>Infrastructure organisations should produce a partnership working code of conduct.</p>"),
        "{list}"
    );
    assert!(!list.contains("cite-1-1"), "{list}");
}

#[test]
fn a_citation_of_an_undeclared_source_is_an_error_at_its_line() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("citation-errors"), &out.path().join("public"), &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    for block in [
        "error: citation `@v4ce-2021` names no source of this page: its sources are called `v4ce-2012`, `2`\n  --> content/typo.md:9:40\n  |\n9 | The report asks for a code of conduct [@v4ce-2021, p. 14].\n  |                                        ^\n  = hint: did you mean `v4ce-2012`? A source is called by its `id`, or by its place in the `source` list (1, 2, ...) when it has none\n",
        "error: citation `@3` names no source of this page: its sources are called `v4ce-2012`, `2`\n  --> content/typo.md:11:34\n",
        "error: citation `@ecm` names no source of this page: its sources are called `v4ce-2012`, `2`\n  --> content/typo.md:11:67\n",
        "error: citation `@v4ce-2012` names a source, but this page has no `source`\n  --> content/no-source.md:5:18\n  |\n5 | Some 65% agreed [@v4ce-2012, p. 14].\n  |                  ^\n  = hint: add the report to the front matter as `source:` with `id: v4ce-2012`, or remove the citation\n",
        "error: `id` in `source` is `V4CE 2012`: not a short name of lower-case letters, digits and hyphens\n  --> content/bad-ids.md:4:5\n  |\n4 |   - id: V4CE 2012\n  |     ^\n  = hint: write e.g. `id: v4ce-2012`; citations then say `[@v4ce-2012, p. 14]`\n",
        "error: `id` in `source` is `2`: a plain number, which is what a source without `id` is called by its place in the list\n  --> content/bad-ids.md:6:5\n",
        "error: sources 3 and 4 of this page are both called `report`, so a citation could not tell them apart\n  --> content/bad-ids.md:8:5\n",
    ] {
        assert!(err.contains(block), "missing:\n{block}\nin:\n{err}");
    }
    assert!(err.contains("Build failed with 7 errors"), "{err}");
}

#[test]
fn check_warns_on_figures_and_quotations_without_a_citation() {
    let o = fairguide(&[
        "check",
        "--root",
        fixture("citations").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&o.stdout).expect("json report");
    let got: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (
            12,
            "this paragraph states a figure (40) but cites no source passage",
        ),
        (
            14,
            "this paragraph states a figure (65%) but cites no source passage",
        ),
        (
            16,
            "this paragraph quotes “it fills them with…” but cites no source passage",
        ),
        (18, "a quotation (a `>` block) cites no source passage"),
        (
            20,
            "this list item states a figure (12) but cites no source passage",
        ),
        (
            23,
            "this table states a figure (30%) but cites no source passage",
        ),
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(line, m)| ("content/claims.md".to_string(), *line, m.to_string()))
        .collect();
    // Nothing else: not years, recommendation numbers, dates, code, scare quotes,
    // or what is cited (a paragraph, an item, a quotation or table led in by a citing paragraph).
    assert_eq!(got, want);
    assert_eq!(report["diagnostics"][0]["hint"], "cite the passage at the end of the sentence, e.g. `[@v4ce-2012, p. 14]` or `[@v4ce-2012, section \"Trust and Control\"]` (a source's `id`, then the page, section or table)");
}

#[test]
fn citations_stay_out_of_the_search_index() {
    let out = build_ok(&fixture("citations"), &[]);
    let dir = out.path().join("public/pagefind/fragment");
    let mut report = None;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let fragment: Value =
            serde_json::from_str(text.strip_prefix("pagefind_dcd").unwrap()).unwrap();
        if fragment["url"] == "/report/" {
            report = Some(fragment);
        }
    }
    let content = report.expect("report page indexed")["content"]
        .as_str()
        .unwrap()
        .to_string();
    // The words are indexed, the markers, footnote numbers and the list are not.
    assert!(
        content.contains("The project worked with 40 organisations in London. Of those asked, 65% had worked in a partnership. The report asks for a code of conduct. It names five principles."),
        "{content}"
    );
    for absent in ["[1]", "[2, 3]", "References", "p. 3", "Back to"] {
        assert!(!content.contains(absent), "{absent} in {content}");
    }
}
