//! Editors' backup, swap and lock files beside the content are never
//! published, and `fairguide check` names each one.

mod common;
use common::*;

/// Every editor file in the `backup-files` fixture that `check` must name.
const REPORTED: &[&str] = &[
    "content/#about.md#",
    "content/.#about.md",
    "content/.about.md.swp",
    "content/4913",
    "content/about.md.BAK",
    "content/about.md.bak",
    "content/about.md.kate-swp",
    "content/about.md.orig",
    "content/about.md.rej",
    "content/about.md.swo",
    "content/about.md.swp",
    "content/about.md.swx",
    "content/about.md.tmp",
    "content/about.md___jb_old___",
    "content/about.md___jb_tmp___",
    "content/about.md~",
    "content/drafts/plan.md.bak",
];

#[test]
fn build_publishes_no_backup_file() {
    let out = build_ok(&fixture("backup-files"), &["--no-search"]);
    let public = out.path().join("public");
    let written = files(&public);
    assert!(
        written.contains(&"about/index.html".to_string()),
        "{written:?}"
    );
    assert!(read(out.path(), "about/index.html").contains("The published text."));
    // The fixture's every editor file, and what is inside `.obsidian/`.
    let sources = files(&fixture("backup-files").join("content"));
    let skipped: Vec<&String> = sources
        .iter()
        .filter(|f| *f != "_index.md" && *f != "about.md")
        .collect();
    assert_eq!(skipped.len(), REPORTED.len() + 2, "{skipped:?}");
    for f in skipped {
        assert!(!public.join(f).exists(), "published a backup file: {f}");
    }
    for f in &written {
        let bytes = std::fs::read(public.join(f)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET DRAFT"),
            "{f} holds a backup file's text"
        );
    }
}

#[test]
fn check_names_each_backup_file() {
    let o = fairguide(&[
        "check",
        "--root",
        fixture("backup-files").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let mut skipped: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("editor backup file skipped")
        })
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            (
                d["file"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    skipped.sort();
    let files: Vec<&str> = skipped.iter().map(|(f, _, _)| f.as_str()).collect();
    // Not `.DS_Store` nor what is inside `.obsidian/`: no editor's draft.
    assert_eq!(files, REPORTED);
    let (_, message, hint) = &skipped[5];
    assert_eq!(
        message,
        "editor backup file skipped: content/about.md.bak; it is not published"
    );
    assert!(hint.contains("delete it"), "{hint}");
    assert!(hint.contains("ignore list"), "{hint}");

    // The plain-text report too.
    let o = fairguide(&["check", "--root", fixture("backup-files").to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "warning: editor backup file skipped: content/about.md.kate-swp; it is not published"
        ),
        "{err}"
    );
}
