//! Write stage: everything goes into a staging folder beside the output, which
//! replaces the output only once the whole build has succeeded.

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::theme::StaticFile;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Lists every file fairguide wrote; its presence marks a folder as ours.
pub const MANIFEST: &str = ".fairguide-manifest";

/// Refuses output folders that would destroy the editor's work.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let content = root.join(crate::content::CONTENT_DIR);
    let refuse = |why: &str| {
        Diagnostic::error(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        ))
        .hint("choose a separate folder with --output, e.g. `--output public`")
    };
    if out == root {
        return Err(refuse("it is the site's own folder"));
    }
    if root.starts_with(&out) {
        return Err(refuse("it contains the site's source"));
    }
    if out.starts_with(&content) {
        return Err(refuse("it is inside content/"));
    }
    for special in ["templates", "themes", "static"] {
        if out.starts_with(root.join(special)) {
            return Err(refuse(&format!("it is inside {special}/")));
        }
    }
    if out.exists() && !out.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    if out.is_dir() {
        let foreign = foreign_files(&out);
        if let Some(first) = foreign.first() {
            let more = if foreign.len() > 1 {
                format!(" and {} more", foreign.len() - 1)
            } else {
                String::new()
            };
            return Err(Diagnostic::error(format!(
                "refusing to replace {}: it holds files fairguide did not write ({}{more})",
                output.display(),
                first
            ))
            .hint("move those files into static/ (fairguide copies them), or choose another --output folder"));
        }
    }
    Ok(())
}

/// Files in an existing output folder that the last build's manifest does not list.
fn foreign_files(out: &Path) -> Vec<String> {
    let manifest: BTreeSet<String> = match fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => BTreeSet::new(),
    };
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel != MANIFEST && !manifest.contains(&rel) {
            foreign.push(rel);
        }
    }
    foreign.sort();
    foreign
}

fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Resolve `.`/`..` lexically; the folder may not exist yet.
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    fs::canonicalize(&out).unwrap_or(out)
}

/// A path inside the output folder: only plain components, never `..` or absolute.
fn inside(base: &Path, rel: &str) -> Option<PathBuf> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(base.join(rel_path))
}

pub struct WriteJob<'a> {
    pub files: &'a [OutputFile],
    pub static_files: &'a std::collections::BTreeMap<String, StaticFile>,
    pub copies: &'a [(PathBuf, String)],
}

/// Writes the site into a staging folder beside `output`, then swaps it in.
pub fn write_site(output: &Path, job: WriteJob) -> Result<(), Diagnostic> {
    let output = absolute(output);
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
    let staging = parent.join(format!(".{name}.fairguide-staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
    }
    let result = fill(&staging, &job).and_then(|_| swap(&staging, &output, &parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, job: &WriteJob) -> Result<(), Diagnostic> {
    fs::create_dir_all(staging).map_err(|e| io_error(staging, e))?;
    let mut manifest: Vec<&str> = Vec::new();
    let mut dirs = BTreeSet::new();
    let unsafe_path = |rel: &str| {
        Diagnostic::error(format!(
            "refusing to write `{rel}`: the path would leave the output folder"
        ))
        .hint("rename the file so its path has no `..` or absolute parts")
    };
    let all_paths = job
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(job.static_files.keys().map(String::as_str))
        .chain(job.copies.iter().map(|(_, d)| d.as_str()));
    for rel in all_paths {
        let path = inside(staging, rel).ok_or_else(|| unsafe_path(rel))?;
        if let Some(d) = path.parent() {
            dirs.insert(d.to_path_buf());
        }
        manifest.push(rel);
    }
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| io_error(d, e))?;
    }
    job.files
        .par_iter()
        .try_for_each(|f| write_file(&staging.join(&f.path), &f.bytes))?;
    job.static_files
        .par_iter()
        .try_for_each(|(rel, file)| match file {
            StaticFile::Embedded(bytes) => write_file(&staging.join(rel), bytes),
            StaticFile::Disk(src) => fs::copy(src, staging.join(rel))
                .map(|_| ())
                .map_err(|e| io_error(src, e)),
        })?;
    job.copies.par_iter().try_for_each(|(src, rel)| {
        fs::copy(src, staging.join(rel))
            .map(|_| ())
            .map_err(|e| io_error(src, e))
    })?;
    manifest.sort_unstable();
    manifest.dedup();
    write_file(
        &staging.join(MANIFEST),
        (manifest.join("\n") + "\n").as_bytes(),
    )
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut f = fs::File::create(path).map_err(|e| io_error(path, e))?;
    f.write_all(bytes).map_err(|e| io_error(path, e))
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| io_error(output, e));
    }
    let old = parent.join(format!(".{name}.fairguide-old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    fs::rename(output, &old).map_err(|e| io_error(output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        // Put the previous site back: a failed build never leaves the output half-written.
        let _ = fs::rename(&old, output);
        return Err(io_error(output, e));
    }
    fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {e}", path.display()))
        .hint("check that the output folder's parent exists and is writable")
}
