//! `fairguide check`: everything the build validates, plus lints that do not
//! stop a build (alt text, heading order, link text, anchors, orphans, unused
//! glossary terms, front matter gaps) and a reading grade for every page.

use crate::build;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lint::lint;
pub use crate::lint::{reading_grade, PageReport};
use serde::Serialize;
use std::path::Path;

mod links;

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub errors: usize,
    pub warnings: usize,
    pub target_grade: Option<f64>,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: Vec<PageReport>,
}

pub fn check(root: &Path) -> CheckReport {
    let (mut diags, pages, target_grade) = match build::prepare(root, None) {
        Err(diags) => (diags, vec![], None),
        Ok(mut built) => {
            let mut diags = std::mem::take(&mut built.warnings);
            let mut pages = lint(&built.site, &built.rendered.pages, &mut diags);
            pages.extend(crate::lint::records::lint(&built.site, &mut diags));
            links::lint(&built, &mut diags);
            crate::i18n::lint(&built.site, &mut diags);
            (diags, pages, Some(built.site.config.reading_grade))
        }
    };
    report_editor_files(root, &mut diags);
    diags.sort();
    CheckReport {
        errors: diags.errors().count(),
        warnings: diags.warnings().count(),
        target_grade,
        diagnostics: diags.0,
        pages,
    }
}

/// Warns about each editor's backup, swap or lock file in content/: the
/// build skips them, so a draft kept only there is not published.
fn report_editor_files(root: &Path, diags: &mut Diagnostics) {
    let content_dir = root.join(crate::content::CONTENT_DIR);
    for entry in walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let Ok(rel) = entry.path().strip_prefix(&content_dir) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        // Files inside hidden folders (.git/, .obsidian/) are skipped quietly.
        let in_hidden_folder = rel
            .parent()
            .is_some_and(crate::editor_files::in_editor_path);
        if entry.file_type().is_file()
            && !in_hidden_folder
            && crate::editor_files::is_reportable(&name)
        {
            let shown = Path::new(crate::content::CONTENT_DIR).join(rel);
            diags.push(
                Diagnostic::warning(format!(
                    "editor backup file skipped: {}; it is not published",
                    shown.display()
                ))
                .in_file(&shown)
                .hint("delete it once you no longer need it, or add this kind of file to your editor's ignore list"),
            );
        }
    }
}
