//! `fairguide new` and `fairguide check` on fixture sites.

mod common;
use common::*;
use std::fs;

#[test]
fn new_creates_each_kind_with_front_matter_that_builds_and_never_overwrites() {
    let site = copy_fixture("every-kind");
    let root = site.path().to_str().unwrap();
    for (kind, title, path) in [
        (
            "case-study",
            "Croydon partnership",
            "content/case-studies/croydon-partnership.md",
        ),
        (
            "principle",
            "Shared learning",
            "content/principles/shared-learning.md",
        ),
        (
            "recommendation",
            "Share data: openly",
            "content/recommendations/share-data-openly.md",
        ),
        (
            "barrier",
            "Short funding cycles",
            "content/barriers/short-funding-cycles.md",
        ),
        ("page", "Contact us", "content/contact-us.md"),
    ] {
        let o = fairguide(&["new", kind, title, "--root", root]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains(path),
            "says where it is"
        );
        let text = fs::read_to_string(site.path().join(path)).unwrap();
        assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
        assert!(text.contains('#'), "guidance comments");
    }
    let principle =
        fs::read_to_string(site.path().join("content/principles/shared-learning.md")).unwrap();
    assert!(
        principle.contains("number: 2"),
        "next free number: {principle}"
    );
    let case_study = fs::read_to_string(
        site.path()
            .join("content/case-studies/croydon-partnership.md"),
    )
    .unwrap();
    assert!(
        case_study.contains("bme, funders"),
        "lists the declared stakeholder ids"
    );
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "new pages build: {}", stderr(&o));
    assert!(out
        .join("case-studies/croydon-partnership/index.html")
        .exists());

    // Never overwrites.
    fs::write(
        site.path().join("content/contact-us.md"),
        "---\ntitle: Mine\n---\nKeep.\n",
    )
    .unwrap();
    let o = fairguide(&["new", "page", "Contact us", "--root", root]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already exists"));
    assert!(
        fs::read_to_string(site.path().join("content/contact-us.md"))
            .unwrap()
            .contains("Keep.")
    );
    let o = fairguide(&["new", "case-studie", "X", "--root", root]);
    assert!(
        stderr(&o).contains("did you mean `case-study`?"),
        "{}",
        stderr(&o)
    );
}

fn lint_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", "title = \"T\"\nreading_grade = 8\n\n[[glossary]]\nterm = \"BME\"\nexpansion = \"Black and minority ethnic\"\n\n[[glossary]]\nterm = \"ZZQ\"\nexpansion = \"Never used\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nSee [the about page](about.md) and [click here](about.md#no-such-heading).\n"),
        ("content/about.md", "---\ntitle: About\nnav: true\n---\n## Start\n\n#### Skipped\n\n![](photo.svg)\n\nBME groups.\n\n[](about.md)\n"),
        ("content/orphan.md", "---\ntitle: Orphan\n---\nNobody links here.\n"),
        // An image that exists: a missing one is a build error, not a lint.
        ("content/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/principles/dense.md", "---\ntitle: Dense\n---\nOrganisational infrastructure considerations necessitate comprehensive collaborative institutional arrangements notwithstanding considerable administrative complexity, particularly regarding intersectional representational accountability mechanisms. Organisational infrastructure considerations necessitate comprehensive collaborative institutional arrangements notwithstanding considerable administrative complexity, particularly regarding intersectional representational accountability mechanisms. Organisational infrastructure considerations necessitate comprehensive collaborative institutional arrangements.\n"),
    ])
}

#[test]
fn check_reports_lints_with_file_and_line() {
    let s = lint_site();
    let o = fairguide(&["check", "--root", s.path().to_str().unwrap()]);
    let err = stderr(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "warnings alone do not fail: {err}");
    for (needle, location) in [
        ("heading level skips from h2 to h4", "content/about.md:7"),
        ("image without alt text", "content/about.md:9"),
        ("has no text", "content/about.md:13"),
        ("link text \"click here\"", "content/_index.md:4"),
        (
            "no heading with id `no-such-heading`",
            "content/_index.md:4",
        ),
        ("reachable from no navigation", "content/orphan.md"),
        ("glossary term `ZZQ` is defined but never used", "site.toml"),
        ("reading grade", "content/principles/dense.md"),
        ("page names no source", "content/principles/dense.md"),
    ] {
        let at = err
            .find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{err}"));
        let block = &err[at..err[at..].find("\n\n").map_or(err.len(), |e| at + e)];
        assert!(
            block.contains(location),
            "`{needle}` should point at {location}:\n{block}"
        );
    }
    assert!(!err.contains("`BME` is defined but never used"));
    assert!(out.contains("Reading grade by page"));
    assert!(
        out.contains("content/principles/dense.md  above target"),
        "{out}"
    );
    let denied = fairguide(&[
        "check",
        "--root",
        s.path().to_str().unwrap(),
        "--deny",
        "warnings",
    ]);
    assert!(!denied.status.success());
}

#[test]
fn check_json_output_for_tools() {
    let s = lint_site();
    let o = fairguide(&[
        "check",
        "--root",
        s.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(report["errors"], 0);
    assert!(report["warnings"].as_u64().unwrap() >= 9);
    let diags = report["diagnostics"].as_array().unwrap();
    let skip = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("skips"))
        .unwrap();
    assert_eq!(skip["severity"], "warning");
    assert_eq!(skip["file"], "content/about.md");
    assert_eq!(skip["line"], 7);
    assert!(skip["hint"].as_str().unwrap().contains("###"));
    let dense = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "content/principles/dense.md")
        .unwrap();
    assert!(dense["reading_grade"].as_f64().unwrap() > 16.0);
}

#[test]
fn check_fails_on_build_errors_and_reports_all() {
    let o = fairguide(&[
        "check",
        "--root",
        fixture("three-errors").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(!o.status.success());
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["errors"], 3);
}

#[test]
fn bundled_guide_checks_without_errors() {
    let o = fairguide(&[
        "check",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["errors"],
        0,
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // `check --deny warnings` passes: no lint, and every page at or below the
    // site's reading grade.
    assert_eq!(
        report["warnings"],
        0,
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let denied = fairguide(&[
        "check",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--deny",
        "warnings",
    ]);
    assert!(denied.status.success(), "{}", stderr(&denied));
}
