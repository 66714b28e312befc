//! Golden output: the exact `<main>` of every page of `tests/fixtures/every-kind`
//! (and its feed and sitemap whole), compared with the files in `tests/golden/`.
//!
//! After a deliberate change to the output, accept the new output with
//!
//!     FAIRGUIDE_ACCEPT_GOLDEN=1 cargo test --release --test golden
//!
//! and review it with `git diff tests/golden/` before committing.

mod common;
use common::*;
use std::fs;
use std::path::Path;

const ACCEPT: &str = "FAIRGUIDE_ACCEPT_GOLDEN";

/// The `<main ...>...</main>` element of a page, or the whole file for XML.
fn golden_part(rel: &str, text: &str) -> Option<String> {
    if rel.ends_with(".xml") {
        return Some(text.to_string());
    }
    if !rel.ends_with(".html") {
        return None;
    }
    let start = text.find("<main")?;
    let end = text[start..].find("</main>")? + start + "</main>".len();
    Some(format!("{}\n", &text[start..end]))
}

#[test]
fn every_kind_main_matches_golden_files() {
    let out = build_ok(&fixture("every-kind"), &["--no-search"]);
    let public = out.path().join("public");
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/every-kind");
    let accept = std::env::var_os(ACCEPT).is_some_and(|v| !v.is_empty());
    let mut expected_files = Vec::new();
    let mut mismatches = Vec::new();
    for rel in files(&public) {
        let text = fs::read_to_string(public.join(&rel)).unwrap_or_default();
        let Some(part) = golden_part(&rel, &text) else {
            continue;
        };
        let golden_rel = format!("{rel}.golden");
        let golden = golden_dir.join(&golden_rel);
        expected_files.push(golden_rel.clone());
        if accept {
            fs::create_dir_all(golden.parent().unwrap()).unwrap();
            fs::write(&golden, &part).unwrap();
            continue;
        }
        match fs::read_to_string(&golden) {
            Ok(want) if want == part => {}
            Ok(want) => {
                let line = want
                    .lines()
                    .zip(part.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| want.lines().count().min(part.lines().count()));
                mismatches.push(format!(
                    "{golden_rel}: first difference at line {}:\n  golden: {:?}\n  now:    {:?}",
                    line + 1,
                    want.lines().nth(line).unwrap_or(""),
                    part.lines().nth(line).unwrap_or("")
                ));
            }
            Err(_) => mismatches.push(format!("{golden_rel}: no golden file")),
        }
    }
    // A golden file for a page the build no longer writes is stale.
    if golden_dir.is_dir() {
        for rel in files(&golden_dir) {
            if !expected_files.contains(&rel) {
                if accept {
                    fs::remove_file(golden_dir.join(&rel)).unwrap();
                } else {
                    mismatches.push(format!("{rel}: the build no longer writes this file"));
                }
            }
        }
    }
    assert!(
        expected_files.len() >= 15,
        "only {} pages",
        expected_files.len()
    );
    assert!(
        mismatches.is_empty(),
        "output differs from tests/golden/every-kind/ ({} files). If the change is intended, run\n  {ACCEPT}=1 cargo test --release --test golden\nand review `git diff tests/golden/`.\n\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
