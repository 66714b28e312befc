//! The search index: built in-process by `fairguide build`, written with the
//! rest of the site, and carrying the filters and metadata the search page uses.

mod common;

use common::*;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// Every indexed page's fragment (url, content, filters, meta), decompressed.
fn fragments(public: &Path) -> Vec<Value> {
    let dir = public.join("pagefind/fragment");
    let mut out: Vec<Value> = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        // Pagefind prefixes each decompressed file with a signature.
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("pagefind signature");
        out.push(serde_json::from_str(json).unwrap());
    }
    out.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
    out
}

fn fragment<'a>(all: &'a [Value], url: &str) -> &'a Value {
    all.iter()
        .find(|f| f["url"] == url)
        .unwrap_or_else(|| panic!("no fragment for {url}; have {:?}", urls(all)))
}

fn urls(all: &[Value]) -> Vec<&str> {
    all.iter().filter_map(|f| f["url"].as_str()).collect()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn build_writes_the_index_and_pagefind_script_into_the_output() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let public = out.path().join("public");
    for f in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en-gb.pagefind",
        "search.js",
    ] {
        assert!(public.join(f).is_file(), "{f} missing");
    }
    // Pagefind's ready-made UIs and its worker are not used by the theme, so not shipped.
    for f in [
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-component-ui.js",
        "pagefind/pagefind-worker.js",
        // English has a stemmer, so the language-neutral search code is never fetched.
        "pagefind/wasm.unknown.pagefind",
    ] {
        assert!(!public.join(f).exists(), "{f} should not be written");
    }
    // Written through the write stage: listed in the manifest like every other file.
    let manifest = std::fs::read_to_string(public.join(".fairguide-manifest")).unwrap();
    assert!(manifest.lines().any(|l| l == "pagefind/pagefind.js"));
    assert!(manifest
        .lines()
        .any(|l| l.starts_with("pagefind/fragment/")));
    let entry: Value =
        serde_json::from_str(&read(out.path(), "pagefind/pagefind-entry.json")).unwrap();
    // Ten content pages and the one record of the `partners` collection.
    assert_eq!(entry["languages"]["en-gb"]["page_count"], 11, "{entry}");
}

#[test]
fn content_pages_are_indexed_with_filters_and_metadata() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let all = fragments(&out.path().join("public"));
    // Content pages only: no home, section, search or stakeholder pages.
    assert_eq!(
        urls(&all),
        [
            "/about/",
            "/about/team/",
            "/barriers/trust-and-control/",
            "/case-studies/camden/",
            "/code-of-conduct/",
            "/glossary/",
            "/partners/north-forum/",
            "/principles/equal-partners/",
            "/recommendations/fund-partnerships/",
            "/recommendations/speak-up/",
            "/tools/health-check/",
        ]
    );
    // A collection's record, with its collection as its kind and its filter field.
    let record = fragment(&all, "/partners/north-forum/");
    assert_eq!(strings(&record["filters"]["kind"]), ["partners"]);
    assert_eq!(strings(&record["filters"]["sector"]), ["voluntary"]);
    assert_eq!(record["meta"]["kind"], "Partners");
    assert_eq!(record["meta"]["title"], "North Forum");
    for u in [
        "/",
        "/search/",
        "/print/",
        "/stakeholders/funders/",
        "/principles/",
    ] {
        assert!(!urls(&all).contains(&u), "{u} should not be indexed");
    }

    let camden = fragment(&all, "/case-studies/camden/");
    assert_eq!(strings(&camden["filters"]["kind"]), ["case-study"]);
    assert_eq!(strings(&camden["filters"]["stakeholder"]), ["bme"]);
    assert_eq!(
        strings(&camden["filters"]["barrier"]),
        ["trust-and-control"]
    );
    assert_eq!(strings(&camden["filters"]["theme"]), ["representation"]);
    assert_eq!(camden["meta"]["kind"], "Case study");
    assert_eq!(
        camden["meta"]["summary"],
        "A borough put BME voices on its boards."
    );
    // The title is kept as text; the search page inserts it as text, never as HTML.
    assert_eq!(
        camden["meta"]["title"],
        "Camden: <script>alert('title')</script> representation"
    );

    let rec = fragment(&all, "/recommendations/fund-partnerships/");
    assert_eq!(strings(&rec["filters"]["kind"]), ["recommendation"]);
    assert_eq!(strings(&rec["filters"]["stakeholder"]), ["funders"]);
    assert!(
        rec["filters"]["barrier"].is_null(),
        "only case studies have the barrier filter"
    );

    // A tool is found by the "tool" kind filter and the stakeholders it names.
    let tool = fragment(&all, "/tools/health-check/");
    assert_eq!(strings(&tool["filters"]["kind"]), ["tool"]);
    assert_eq!(strings(&tool["filters"]["stakeholder"]), ["bme", "funders"]);
    assert_eq!(tool["meta"]["kind"], "Tool");

    // The code of conduct concerns the stakeholders its commitments bind.
    let coc = fragment(&all, "/code-of-conduct/");
    assert_eq!(strings(&coc["filters"]["kind"]), ["code-of-conduct"]);
    assert_eq!(strings(&coc["filters"]["stakeholder"]), ["bme", "funders"]);

    let barrier = fragment(&all, "/barriers/trust-and-control/");
    assert_eq!(barrier["meta"]["title"], "Trust and control");
    // The filter and metadata elements add no words to the page's text.
    let content = barrier["content"].as_str().unwrap();
    assert!(!content.contains("case-study"), "{content}");
}

#[test]
fn search_page_has_filter_controls_results_region_and_script() {
    let out = build_ok(&fixture("every-kind"), &[]);
    let html = read(out.path(), "search/index.html");
    assert!(html.contains(r#"<script type="module" src="/search.js"></script>"#));
    assert!(html.contains(r#"<select id="search-filter-stakeholder" name="stakeholder""#));
    assert!(html.contains(r#"<option value="funders">Funders</option>"#));
    assert!(html.contains(r#"<option value="case-study">Case study</option>"#));
    assert!(html.contains(r#"<option value="trust-and-control">Trust and control</option>"#));
    assert!(html.contains(r#"<option value="representation">Representation</option>"#));
    assert!(html.contains(r#"role="status" aria-live="polite""#));
    // Without JavaScript: the A–Z list of every content page.
    assert!(html.contains(r#"<a href="/case-studies/camden/">"#));
    assert!(html.contains(r#"<a href="/code-of-conduct/">"#));
    // Only the search page loads the script.
    assert!(!read(out.path(), "index.html").contains("search.js"));
}

#[test]
fn sub_path_build_keeps_index_urls_relative_to_the_bundle() {
    let out = build_ok(
        &fixture("every-kind"),
        &["--base-url", "https://example.org/guide/"],
    );
    let html = read(out.path(), "search/index.html");
    assert!(html.contains(r#"src="/guide/search.js""#), "{html}");
    assert!(html.contains(r#"action="/guide/search/""#));
    // Pagefind resolves result URLs against the folder its script is in (/guide/pagefind/).
    let all = fragments(&out.path().join("public"));
    assert!(
        urls(&all).contains(&"/case-studies/camden/"),
        "{:?}",
        urls(&all)
    );
}

#[test]
fn no_search_flag_skips_the_index_but_keeps_the_a_to_z_list() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let public = out.path().join("public");
    assert!(!public.join("pagefind").exists());
    assert!(read(out.path(), "search/index.html").contains(r#"<a href="/case-studies/camden/">"#));
}

#[test]
fn timings_name_the_index_stage() {
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &fixture("every-kind"),
        &dir.path().join("p"),
        &["--timings"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("index:"), "{err}");
    // The index stage's own steps, in order.
    let steps = err.lines().find(|l| l.contains("parse")).unwrap_or("");
    let at = |s: &str| steps.find(s).unwrap_or(usize::MAX);
    assert!(
        at("parse") < at("merge") && at("merge") < at("compress") && at("compress") < steps.len(),
        "{err}"
    );
    let o = build(
        &fixture("every-kind"),
        &dir.path().join("q"),
        &["--timings", "--no-search"],
    );
    assert!(!stderr(&o).contains("index:"), "{}", stderr(&o));
}

#[test]
fn a_language_without_a_stemmer_keeps_the_generic_search_code() {
    let s = site(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"cy\"\n",
        ),
        (
            "content/page.md",
            "---\ntitle: Croeso\n---\nCroeso i'r canllaw.\n",
        ),
    ]);
    let out = build_ok(s.path(), &[]);
    let public = out.path().join("public");
    assert!(public.join("pagefind/wasm.unknown.pagefind").is_file());
    let entry: Value =
        serde_json::from_str(&read(out.path(), "pagefind/pagefind-entry.json")).unwrap();
    assert!(entry["languages"]["cy"]["wasm"].is_null(), "{entry}");
}
