//! Lists the build fills from site.toml (`{{ stakeholder_ids }}`), so an
//! editors' page cannot drift from the site it describes.

mod common;

use common::*;
use std::path::Path;

/// The stakeholder ids `site.toml` at `root` declares, in order.
fn declared_ids(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    config["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_placeholder_lists_the_declared_ids_and_code_shows_it_as_typed() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\n[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\ndescription = \"d\"\n[[stakeholders]]\nid = \"bme\"\nname = \"BME\"\ndescription = \"d\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n\nSee [ids](ids.md).\n"),
        (
            "content/ids.md",
            "---\ntitle: Ids\n---\n\nUse {{ stakeholder_ids }} or {{stakeholder_ids}}; write `{{ stakeholder_ids }}` to show it.\n",
        ),
    ]);
    let out = build_ok(dir.path(), &["--no-search"]);
    let html = read(out.path(), "ids/index.html");
    assert!(
        html.contains("<p>Use <code>funders</code>, <code>bme</code> or <code>funders</code>, <code>bme</code>; write <code>{{ stakeholder_ids }}</code> to show it.</p>"),
        "{html}"
    );
}

#[test]
fn the_editors_page_lists_exactly_the_stakeholder_ids_of_site_toml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ids = declared_ids(root);
    assert!(ids.len() >= 2, "{ids:?}");
    // The page's source uses the placeholder, not a list typed by hand.
    let source = std::fs::read_to_string(root.join("content/for-editors.md")).unwrap();
    assert!(source.contains("{{ stakeholder_ids }}"));
    for line in source.lines() {
        let typed = ids
            .iter()
            .filter(|id| line.contains(&format!("`{id}`")))
            .count();
        assert!(
            typed < 2,
            "content/for-editors.md lists stakeholder ids by hand: {line}"
        );
    }
    let out = build_ok(root, &["--no-search"]);
    let html = read(out.path(), "for-editors/index.html");
    let start = html
        .find("Use the ids in <code>site.toml</code>: ")
        .expect("the stakeholders line");
    let line = &html[start..start + html[start..].find("</li>").unwrap()];
    let listed: Vec<String> = line
        .split("<code>")
        .skip(2)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect();
    assert_eq!(listed, ids);
}
