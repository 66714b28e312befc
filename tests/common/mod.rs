//! Helpers for tests that run the real `fairguide` binary on fixture sites.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fairguide(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairguide"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run fairguide")
}

pub fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    fairguide(&args)
}

/// Builds and panics with the error output if the build fails.
pub fn build_ok(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let o = build(root, &target, extra);
    assert!(
        o.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

pub fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join("public").join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// Writes a small site from (path, text) pairs into a temp folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// Values of every `attr="..."` in `html`.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_string()
        })
        .collect()
}

/// A copy of a fixture site in a temp folder, for tests that edit it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files(&fixture(name)) {
        let to = dir.path().join(&f);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(fixture(name).join(&f), to).unwrap();
    }
    dir
}
