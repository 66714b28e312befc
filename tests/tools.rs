//! Tools (`content/tools/`): the worksheet's front matter is checked like
//! every other reference, with every problem reported at its own line; a good
//! worksheet renders as a complete form without JavaScript; `fairguide new
//! tool` scaffolds one that builds.

mod common;
use common::*;
use std::fs;

const SITE: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

/// The whole text of each error in `stderr`, from `error:` to the next blank line.
fn errors(stderr: &str) -> Vec<String> {
    stderr
        .split("\n\n")
        .map(str::trim)
        .filter(|e| e.starts_with("error:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_worksheet_error_is_reported_at_its_line_with_a_fix() {
    let out = tempfile::tempdir().unwrap();
    let o = build(
        &fixture("tools-errors"),
        &out.path().join("public"),
        &["--no-search"],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    let found = errors(&err);
    let expected = [
        // Slugs, checked by the link stage at the places the worksheet recorded.
        "error: `principles` names `equal-partner`, but there is no content/principles/equal-partner.md
  --> content/tools/health-check.md:5:18
  |
5 |     principles: [equal-partner]
  |                  ^
  = hint: did you mean `equal-partners`? (write the file name of a page in content/principles/, without `.md`)",
        // The second of two slugs on one line, not the first.
        "error: `recommendations` names `fund-time`, but there is no content/recommendations/fund-time.md
  --> content/tools/health-check.md:8:42
  |
8 |         recommendations: [fund-the-time, fund-time]
  |                                          ^
  = hint: did you mean `fund-the-time`? (write the file name of a page in content/recommendations/, without `.md`)",
        // The same slug again, later: found at its own line.
        "error: `barriers` names `fund-time`, but there is no content/barriers/fund-time.md
  --> content/tools/health-check.md:11:19
   |
11 |         barriers: fund-time
   |                   ^
  = hint: nothing of that kind exists yet (write the file name of a page in content/barriers/, without `.md`)",
        "error: question 1.2 has the response type `ratings`, which fairguide does not know
  --> content/tools/reflection.md:10:15
   |
10 |         type: ratings
   |               ^
  = hint: did you mean `rating`? (`type` is `rating` for a scale such as red/amber/green, `yes-no` for yes, no or not sure, `text` for a written answer)",
        "error: group 2 (`Nothing here yet`) has no questions
  --> content/tools/reflection.md:12:5
   |
12 |     questions: []
   |     ^
  = hint: add `questions:` with at least one `- text: ...` line under the group, or remove the group",
        "error: question 3.1 has a `scale`, but only `type: rating` questions use one
  --> content/tools/reflection.md:16:15
   |
16 |         type: text
   |               ^
  = hint: remove `scale:` from this question, or make it `type: rating`",
        "error: `scale` should list at least two different labels
  --> content/tools/reflection.md:19:17
   |
19 |         scale: [Low, Low]
   |                 ^
  = hint: write `scale: red-amber-green`, `scale: 1-4`, or the labels worst first, e.g. `scale: [Very low, Low, Medium, High]`",
        "error: unknown key `colour` in a question
  --> content/tools/reflection.md:20:9
   |
20 |         colour: red
   |         ^
  = hint: a question may have `text`, `type`, `scale`, `guidance`, `principles`, `barriers`, `recommendations`",
        "error: group 4 has no `title`
  --> content/tools/reflection.md:21:3
   |
21 |   - questions:
   |   ^
  = hint: add `title: ...` to the group: it heads the group's questions on the page",
    ];
    for e in expected {
        assert!(found.iter().any(|f| f == e), "missing:\n{e}\n\nall:\n{err}");
    }
    assert_eq!(found.len(), expected.len(), "{err}");
    assert!(err.contains("Build failed with 9 errors"), "{err}");
}

#[test]
fn an_empty_groups_list_a_wrong_type_and_an_unknown_scale_are_errors() {
    let dir = site(&[
        ("site.toml", SITE),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/tools/a.md",
            "---\ntitle: A\nscale: traffic-lights\ngroups: Equal partners\n---\n",
        ),
        (
            "content/tools/b.md",
            "---\ntitle: B\ngroups:\n  - title: One\n    questions:\n      - text: Q\n        type: rating\n        scale: 1-40\n      - text: R\n        type:\n---\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"), &["--no-search"]);
    let err = stderr(&o);
    let found = errors(&err);
    let heads: Vec<&str> = found
        .iter()
        .map(|e| {
            e.split("\n   |")
                .next()
                .unwrap()
                .split("\n  |")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        heads,
        [
            "error: `scale` is `traffic-lights`, which is not a scale fairguide knows\n  --> content/tools/a.md:3:8",
            "error: `groups` should be a list of groups, but here it is text\n  --> content/tools/a.md:4:9",
            "error: `scale` is `1-40`, which is not a scale fairguide knows\n  --> content/tools/b.md:8:16",
            "error: question 1.2 has the response type empty, which fairguide does not know\n  --> content/tools/b.md:10:9",
        ],
        "{err}"
    );
}

#[test]
fn a_site_without_tools_has_no_tools_page_or_menu_entry() {
    let dir = site(&[
        ("site.toml", SITE),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/principles/a.md",
            "---\ntitle: A principle\n---\nText.\n",
        ),
    ]);
    let out = build_ok(dir.path(), &["--no-search"]);
    assert!(!out.path().join("public/tools").exists());
    let home = read(out.path(), "index.html");
    assert!(!home.contains("/tools/"), "{home}");
    assert!(!read(out.path(), "sitemap.xml").contains("/tools/"));
}

#[test]
fn a_worksheet_is_a_complete_form_without_javascript() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let public = out.path();
    let html = read(public, "tools/health-check/index.html");
    // One fieldset per group with its legend; each choice question a fieldset
    // of radios with a legend; each written answer a labelled textarea.
    assert!(html.contains(r#"<fieldset class="ws-group" id="group-1" data-group="1">
  <legend class="ws-group-title"><span class="ws-number">1.</span> Treated as equal partners</legend>"#), "{html}");
    assert!(html.contains(r#"<legend class="ws-q-text"><span class="ws-number">1.1</span> Do both partners shape the aims?</legend>"#));
    for (value, rank) in [("Red", 0), ("Amber", 1), ("Green", 2)] {
        assert!(html.contains(&format!(r#"<label class="ws-option"><input type="radio" name="q-1-1" value="{value}" data-rank="{rank}"> <span>{value}</span></label>"#)), "{value}");
    }
    for value in ["Yes", "No", "Not sure"] {
        assert!(html.contains(&format!(
            r#"<input type="radio" name="q-1-2" value="{value}">"#
        )));
    }
    // A question's own scale.
    assert!(html.contains(r#"name="q-2-1" value="Very low" data-rank="0""#));
    assert!(html.contains(r#"name="q-2-1" value="High" data-rank="3""#));
    assert!(html.contains(r#"<label class="ws-q-text" for="q-2-2"><span class="ws-number">2.2</span> What one thing would we change first?</label>"#));
    assert!(html
        .contains(r#"<textarea class="ws-answer" id="q-2-2" name="q-2-2" rows="4"></textarea>"#));
    // Guidance is tied to its question.
    assert!(html.contains(r#"<fieldset class="ws-choices" aria-describedby="q-1-1-guidance">"#));
    assert!(html.contains(
        r#"<p class="ws-guidance" id="q-1-1-guidance">Red means one partner sets them alone.</p>"#
    ));
    // What each group concerns, as links.
    assert!(html.contains(r#"<p>Principles: <a href="/principles/equal-partners/" data-link="principle">Treated as equal partners</a>.</p>"#), "{html}");
    assert!(html.contains(r#"data-link="recommendation">Recommendation 1 (2012 report): Fund partnerships fairly</a>"#), "{html}");
    // No <form>: nothing to submit; no button in the page without its script.
    assert!(!html.contains("<form class=\"worksheet"));
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    assert!(!main.contains("<button"), "{main}");
    assert!(html.contains(r#"<script src="/tool.js" defer></script>"#));
    // The tool links back from the pages it concerns, and is listed by stakeholder.
    for page in [
        "principles/equal-partners/index.html",
        "barriers/trust-and-control/index.html",
        "recommendations/fund-partnerships/index.html",
        "stakeholders/bme/index.html",
    ] {
        let text = read(public, page);
        assert!(
            text.contains(r#"aria-labelledby="fg-tools""#)
                && text.contains(r#"<a href="/tools/health-check/">Partnership health check</a>"#),
            "{page}"
        );
    }
    let home = read(public, "index.html");
    assert!(home.contains(r#"<a href="/tools/">Tools</a>"#), "{home}");
    let search = read(public, "search/index.html");
    assert!(search.contains(r#"<option value="tool">Tool</option>"#));
}

#[test]
fn new_tool_scaffolds_a_worksheet_that_builds() {
    let dir = copy_fixture("every-kind");
    let o = fairguide(&[
        "new",
        "tool",
        "Before you partner",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(dir.path().join("content/tools/before-you-partner.md")).unwrap();
    assert!(text.contains("groups:"), "{text}");
    let out = build_ok(dir.path(), &["--no-search"]);
    let html = read(out.path(), "tools/before-you-partner/index.html");
    assert!(html.contains(r#"class="ws-group""#), "{html}");
}
