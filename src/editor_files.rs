//! The one rule for files that editors, merge tools and operating systems
//! leave beside the real ones: swap, backup, lock and temp files, and hidden
//! files. The build never publishes them, `serve` never rebuilds for them,
//! and `check` says which ones it skipped.

use std::path::{Component, Path};

/// Endings of backup, swap and temp files (compared in lower case).
const SUFFIXES: &[&str] = &[
    "~",            // emacs, vim, gedit, nano backups: about.md~
    ".bak",         // many editors and tools: about.md.bak
    ".orig",        // merge and patch tools
    ".rej",         // rejected patch hunks
    ".tmp",         // atomic saves: about.md.tmp
    ".swp",         // vim swap files (also without a leading dot)
    ".swo",         // vim's second swap file
    ".swn",         // vim's third swap file
    ".swx",         // vim's test file for a swap name
    ".kate-swp",    // Kate and KWrite
    "___jb_old___", // JetBrains safe write
    "___jb_tmp___", // JetBrains safe write
];

/// True for a file name (the last part of a path, not the whole path) that
/// is an editor's swap, backup, lock or temp file or a hidden file, and so is
/// never part of the site.
pub(crate) fn is_editor_file(name: &str) -> bool {
    // Hidden: .DS_Store, vim's .about.md.swp, emacs's .#about.md lock.
    // Emacs auto-save: #about.md#. Microsoft Office lock: ~$notes.docx.
    // 4913: vim's test file, written to check that a folder is writable.
    if name.starts_with('.') || name.starts_with('#') || name.starts_with("~$") || name == "4913" {
        return true;
    }
    let lower = name.to_lowercase();
    SUFFIXES
        .iter()
        .any(|s| lower.ends_with(s) && lower.len() > s.len())
}

/// True when any part of `rel` (a relative path) is an editor file or a
/// hidden folder: `drafts/about.md.bak`, `.obsidian/workspace.json`.
pub(crate) fn in_editor_path(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(part) => is_editor_file(&part.to_string_lossy()),
        _ => false,
    })
}

/// True for a skipped file an editor should hear about from `check`: every
/// editor file except hidden files the system keeps on purpose (`.DS_Store`,
/// `.gitkeep`), which are never published either but are no draft.
pub(crate) fn is_reportable(name: &str) -> bool {
    if !is_editor_file(name) {
        return false;
    }
    match name.strip_prefix('.') {
        // `.#about.md` (emacs lock) and `.about.md.swp` (vim swap) are an
        // editor's; `.DS_Store` and `.gitkeep` are not.
        Some(rest) => rest.starts_with('#') || is_editor_file(rest),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_leftovers_are_editor_files() {
        for name in [
            "about.md.bak",
            "about.md.BAK",
            "about.md.orig",
            "about.md.rej",
            "about.md.tmp",
            "about.md.swp",
            "about.md.swx",
            "about.md.swo",
            ".about.md.swp",
            "about.md.kate-swp",
            "4913",
            "about.md___jb_old___",
            "about.md___jb_tmp___",
            "#about.md#",
            "about.md~",
            ".DS_Store",
            ".#about.md",
            "~$notes.docx",
        ] {
            assert!(is_editor_file(name), "{name}");
        }
    }

    #[test]
    fn site_files_are_not_editor_files() {
        for name in [
            "about.md",
            "_index.md",
            "photo.jpg",
            "report-2012.pdf",
            "swap.md",
            "backup.md",
            "tmp.md",
            "bak",
            "49130.md",
            "orig.md",
            "a.swf",
        ] {
            assert!(!is_editor_file(name), "{name}");
        }
    }

    #[test]
    fn a_path_is_skipped_when_any_part_is() {
        assert!(in_editor_path(Path::new("drafts/about.md.bak")));
        assert!(in_editor_path(Path::new(".obsidian/workspace.json")));
        assert!(in_editor_path(Path::new("case-studies/.#camden.md")));
        assert!(!in_editor_path(Path::new("case-studies/camden.md")));
        assert!(!in_editor_path(Path::new("about.md")));
    }

    #[test]
    fn check_reports_editor_leftovers_but_not_system_hidden_files() {
        assert!(is_reportable("about.md.bak"));
        assert!(is_reportable(".about.md.swp"));
        assert!(is_reportable(".#about.md"));
        assert!(is_reportable("#about.md#"));
        assert!(is_reportable("4913"));
        assert!(!is_reportable(".DS_Store"));
        assert!(!is_reportable(".gitkeep"));
        assert!(!is_reportable("about.md"));
    }
}
