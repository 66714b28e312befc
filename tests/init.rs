//! `fairguide init`: a new site that builds at once and passes `check`,
//! with an example page of every kind; never overwrites anything.

use fairguide::content::{self, Kind};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn fairguide(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairguide"))
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_new_site_builds_at_once_and_check_finds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-guide");
    let out = fairguide(&["init"], &site);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Created a new site in"),
        "{}",
        text(&out)
    );

    let out = fairguide(&["build", "--root"], &site);
    assert!(out.status.success(), "{}", text(&out));
    let out = fairguide(&["check", "--deny", "warnings", "--root"], &site);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("0 errors, 0 warnings"),
        "{}",
        text(&out)
    );

    // One example of every kind of page, each linked into the site.
    let (loaded, diags) = content::load(&site);
    assert!(!diags.has_errors(), "{diags}");
    let kinds: BTreeSet<Kind> = loaded.pages.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, Kind::ALL.into_iter().collect());
    for kind in Kind::ALL {
        let file = site
            .join("content")
            .join(fairguide::scaffold::example_file(kind));
        let page = std::fs::read_to_string(&file).unwrap();
        // Every key the kind accepts is explained in the example.
        for key in fairguide::content::keys::for_kind(kind) {
            assert!(
                page.contains(&format!("\n{}:", key.name))
                    || page.contains(&format!("\n# {}:", key.name)),
                "{} lacks {}",
                file.display(),
                key.name
            );
        }
    }
    let html = std::fs::read_to_string(site.join("public/principles/example-principle/index.html"))
        .unwrap();
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("example-barrier/"), "related barrier linked");

    // The editor settings map every schema, and the schemas are there.
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join(fairguide::scaffold::SETTINGS_FILE)).unwrap(),
    )
    .unwrap();
    let mapped = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(mapped.len(), Kind::ALL.len());
    for schema in mapped.keys() {
        assert!(site.join(schema).is_file(), "{schema}");
    }
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(toml.starts_with("#:schema ./schemas/site.schema.json\n"));
    assert!(site.join("schemas/site.schema.json").is_file());
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.contains("public/") && ignore.contains(".fairguide-cache/"));
    assert!(site.join(fairguide::scaffold::EDITORS_GUIDE).is_file());
}

#[test]
fn a_folder_with_anything_in_it_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::write(site.join(".notes"), "mine").unwrap();
    let out = fairguide(&["init"], site);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {} is not empty; fairguide init only starts a site in a new or empty folder, and never overwrites anything\n  = hint: give the name of a new folder, e.g. `fairguide init my-guide`\n",
            site.display()
        )
    );
    let left: Vec<_> = std::fs::read_dir(site).unwrap().collect();
    assert_eq!(left.len(), 1);
    assert_eq!(
        std::fs::read_to_string(site.join(".notes")).unwrap(),
        "mine"
    );

    // A file is refused too.
    let file = site.join(".notes");
    let out = fairguide(&["init"], &file);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("is a file, not a folder"),
        "{}",
        text(&out)
    );

    // An empty folder is fine.
    let empty = site.join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(fairguide(&["init"], &empty).status.success());
}
