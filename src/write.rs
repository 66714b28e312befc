//! Write stage: everything goes into a staging folder beside the output, which
//! replaces the output only once the whole build has succeeded.

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::theme::StaticFile;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Lists every file fairguide wrote; its presence marks a folder as ours.
pub(crate) const MANIFEST: &str = ".fairguide-manifest";

/// Refuses output folders that would destroy the editor's work.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
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

pub(crate) struct WriteJob<'a> {
    pub files: &'a [OutputFile],
    pub static_files: &'a std::collections::BTreeMap<String, StaticFile>,
    pub copies: &'a [(PathBuf, String)],
}

/// The staging folder beside the output, filled while the build runs: pages
/// can be written as soon as they are rendered (so that the build need not hold
/// them all), and [`Staging::finish`] swaps the folder in once everything has
/// succeeded. Dropped unfinished (a later stage failed), it is removed and the
/// previous output stays as it was.
pub(crate) struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    manifest: Vec<String>,
    // Hashed, not ordered: looked up once per file written (22,000 times at
    // 10,000 pages), on the thread that hands files to the writers.
    dirs: HashSet<PathBuf>,
    done: bool,
}

impl Staging {
    pub(crate) fn create(output: &Path) -> Result<Staging, Diagnostic> {
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
        let dir = parent.join(format!(".{name}{STAGING}{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
        let staging = Staging {
            output,
            parent,
            name,
            dir,
            manifest: Vec::new(),
            dirs: HashSet::new(),
            done: false,
        };
        fs::create_dir_all(&staging.dir).map_err(|e| io_error(&staging.dir, e))?;
        // Marks the folder as fairguide's from the start, so that if this build is
        // killed, the next one knows it may remove it (the full list is written last).
        write_file(&staging.dir.join(MANIFEST), b"")?;
        Ok(staging)
    }

    /// Checks each path stays inside the folder, lists it in the manifest and
    /// creates its parent folders.
    fn add_paths<'a>(&mut self, paths: impl Iterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let unsafe_path = |rel: &str| {
            Diagnostic::error(format!(
                "refusing to write `{rel}`: the path would leave the output folder"
            ))
            .hint("rename the file so its path has no `..` or absolute parts")
        };
        let mut new_dirs = HashSet::new();
        for rel in paths {
            let path = inside(&self.dir, rel).ok_or_else(|| unsafe_path(rel))?;
            if let Some(d) = path.parent() {
                if !self.dirs.contains(d) {
                    new_dirs.insert(d.to_path_buf());
                }
            }
            self.manifest.push(rel.to_string());
        }
        for d in &new_dirs {
            fs::create_dir_all(d).map_err(|e| io_error(d, e))?;
        }
        self.dirs.extend(new_dirs);
        Ok(())
    }

    /// Writes `files` into the folder now (in parallel).
    pub(crate) fn write_files(&mut self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        self.add_paths(files.iter().map(|f| f.path.as_str()))?;
        let dir = &self.dir;
        files
            .par_iter()
            .try_for_each(|f| write_file(&dir.join(&f.path), &f.bytes))
    }

    /// Writes the rest of the site and the manifest, then swaps the folder in.
    pub(crate) fn finish(mut self, job: WriteJob) -> Result<(), Diagnostic> {
        self.fill(&job)?;
        swap(&self.dir, &self.output, &self.parent, &self.name)?;
        self.done = true;
        Ok(())
    }

    fn fill(&mut self, job: &WriteJob) -> Result<(), Diagnostic> {
        self.write_files(job.files)?;
        self.add_paths(
            job.static_files
                .keys()
                .map(String::as_str)
                .chain(job.copies.iter().map(|(_, d)| d.as_str())),
        )?;
        let staging = &self.dir;
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
        self.manifest.sort_unstable();
        self.manifest.dedup();
        write_file(
            &staging.join(MANIFEST),
            (self.manifest.join("\n") + "\n").as_bytes(),
        )
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut f = fs::File::create(path).map_err(|e| io_error(path, e))?;
    f.write_all(bytes).map_err(|e| io_error(path, e))
}

/// Puts `staging` in the place of `output`.
///
/// On Linux the two folders are exchanged in one step (`renameat2` with
/// `RENAME_EXCHANGE`): at every instant `output` holds either the whole old site
/// or the whole new one, whatever kills the process. The old site, now under the
/// staging name, is then removed (and if that is interrupted, the next build's
/// [`remove_stale`] removes it).
///
/// Fallback, on other systems or filesystems that refuse an exchange (some
/// network and FUSE filesystems, kernels before 3.15): rename `output` away to
/// `.<name>.fairguide-old-<pid>`, rename staging in, remove the old folder. A
/// kill between those two renames leaves no `output` until the next build (the
/// previous site is still whole in the `-old-` folder).
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| io_error(output, e));
    }
    if exchange(staging, output).is_ok() {
        // The site is in place; a leftover old tree is cleaned by the next build.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = parent.join(format!(".{name}{OLD}{}", std::process::id()));
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

/// Atomically exchanges two folders. `rustix` (already in the build through
/// `tempfile`) wraps the system call safely, with no `unsafe` or raw `libc` here.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

const STAGING: &str = ".fairguide-staging-";
const OLD: &str = ".fairguide-old-";

/// Removes staging and old folders that an interrupted fairguide left beside
/// `output`, and only those: a folder named exactly `.<name>.fairguide-staging-<pid>`
/// or `.<name>.fairguide-old-<pid>`, holding a `.fairguide-manifest` (every
/// staging folder gets one first thing) or nothing at all, whose process is
/// gone. Anything else is left alone. Returns the folders removed.
///
/// Liveness is read from `/proc/<pid>`; where there is no `/proc` (other
/// systems), nothing is removed.
pub(crate) fn remove_stale(output: &Path) -> Vec<PathBuf> {
    let output = absolute(output);
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Vec::new();
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid_text) = file_name
            .strip_prefix('.')
            .and_then(|f| f.strip_prefix(name.as_ref()))
            .and_then(|f| f.strip_prefix(STAGING).or_else(|| f.strip_prefix(OLD)))
        else {
            continue;
        };
        // Digits only, as fairguide writes them (no sign, no leading zero).
        let Ok(pid) = pid_text.parse::<u32>() else {
            continue;
        };
        if pid.to_string() != pid_text || process_may_be_alive(pid) {
            continue;
        }
        let path = entry.path();
        // Not a symlink: `symlink_metadata` does not follow one.
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir {
            continue;
        }
        let ours = path.join(MANIFEST).is_file()
            || fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if ours && fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

fn process_may_be_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    // Without a /proc to ask, assume it is alive: never guess a folder away.
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {e}", path.display()))
        .hint("check that the output folder's parent exists and is writable")
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;

    #[test]
    fn swap_exchanges_the_folders_in_one_step_on_linux() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, output) = (dir.path().join("new"), dir.path().join("public"));
        for (d, text) in [(&staging, "new"), (&output, "old")] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("index.html"), text).unwrap();
        }
        // The exchange itself (no fallback) works on this filesystem...
        exchange(&staging, &output).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_to_string(staging.join("index.html")).unwrap(),
            "old"
        );
        // ...and swap leaves only the output, holding the staging folder's files.
        swap(&staging, &output, dir.path(), "public").unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }
}
