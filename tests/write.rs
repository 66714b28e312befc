//! The write stage: the output is swapped in whole, and only fairguide's own
//! leftovers from interrupted builds are ever removed.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// PIDs above Linux's largest possible (2^22) never belong to a live process.
const DEAD: [u32; 3] = [99_999_991, 99_999_992, 99_999_993];

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let b = fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn stale_staging_and_old_folders_from_dead_builds_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    // What a build killed mid-way leaves: a staging folder with its manifest,
    // an old site moved aside, and an empty staging folder.
    let staging = dir
        .path()
        .join(format!(".public.fairguide-staging-{}", DEAD[0]));
    fs::create_dir_all(staging.join("principles/x")).unwrap();
    fs::write(staging.join(".fairguide-manifest"), "").unwrap();
    fs::write(staging.join("principles/x/index.html"), "<p>half</p>").unwrap();
    let old = dir
        .path()
        .join(format!(".public.fairguide-old-{}", DEAD[1]));
    fs::create_dir_all(&old).unwrap();
    fs::write(old.join(".fairguide-manifest"), "index.html\n").unwrap();
    fs::write(old.join("index.html"), "old").unwrap();
    fs::create_dir(
        dir.path()
            .join(format!(".public.fairguide-staging-{}", DEAD[2])),
    )
    .unwrap();

    let o = build(&fixture("minimal"), &public, &["--no-search"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(dir.path()), ["public"]);
}

#[test]
fn folders_fairguide_did_not_leave_are_never_removed() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let keep = [
        // Right name, but no manifest: not provably ours.
        format!(".public.fairguide-staging-{}", DEAD[0]),
        // Manifests, but not exactly the pattern.
        format!(".public.fairguide-staging-0{}", DEAD[1]),
        format!(".public.fairguide-old-{}x", DEAD[1]),
        format!(".other.fairguide-staging-{}", DEAD[1]),
        format!("public.fairguide-old-{}", DEAD[1]),
        ".public.fairguide-staging-".to_string(),
        // Ours, but its process is alive (this test).
        format!(".public.fairguide-staging-{}", std::process::id()),
    ];
    for (i, name) in keep.iter().enumerate() {
        let d = dir.path().join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("notes.txt"), "an editor's file").unwrap();
        if i > 0 {
            fs::write(d.join(".fairguide-manifest"), "").unwrap();
        }
    }
    // A file, not a folder, with the exact name.
    let file = dir
        .path()
        .join(format!(".public.fairguide-old-{}", DEAD[2]));
    fs::write(&file, "not a folder").unwrap();

    let o = build(&fixture("minimal"), &public, &["--no-search"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in &keep {
        let kept = dir.path().join(name).join("notes.txt");
        assert_eq!(
            fs::read_to_string(&kept).unwrap(),
            "an editor's file",
            "{name}"
        );
    }
    assert_eq!(fs::read_to_string(file).unwrap(), "not a folder");
}

#[test]
fn rebuild_replaces_output_exactly_and_leaves_no_staging() {
    let site = copy_fixture("every-kind");
    let extra = site.path().join("content/extra.md");
    fs::write(&extra, "---\ntitle: Extra\n---\nOnly in the first build.\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    assert!(build(site.path(), &public, &["--no-search"])
        .status
        .success());
    let first = snapshot(&public);
    assert!(public.join("extra/index.html").exists());
    // The second build drops a page and changes another.
    fs::remove_file(&extra).unwrap();
    let about = site.path().join("content/about/team.md");
    let text = fs::read_to_string(&about).unwrap();
    fs::write(
        &about,
        format!("{text}\nA sentence added for the rebuild.\n"),
    )
    .unwrap();
    let o = build(site.path(), &public, &["--no-search"]);
    assert!(o.status.success(), "{}", stderr(&o));

    assert_eq!(
        names(dir.path()),
        ["public"],
        "no staging or old folder remains"
    );
    let second = snapshot(&public);
    assert_ne!(first, second);
    // Exactly the new build: the same bytes as a build into a fresh folder.
    let fresh = tempfile::tempdir().unwrap();
    assert!(
        build(site.path(), &fresh.path().join("public"), &["--no-search"])
            .status
            .success()
    );
    assert_eq!(second, snapshot(&fresh.path().join("public")));
    assert!(!public.join("extra").exists());
    assert!(read(dir.path(), "about/team/index.html").contains("A sentence added for the rebuild."));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = copy_fixture("minimal");
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    assert!(build(site.path(), &public, &["--no-search"])
        .status
        .success());
    let before = snapshot(&public);
    fs::write(
        site.path().join("content/broken.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    let o = build(site.path(), &public, &["--no-search"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("content/broken.md:"), "{}", stderr(&o));
    assert_eq!(before, snapshot(&public));
    assert_eq!(names(dir.path()), ["public"]);
}
