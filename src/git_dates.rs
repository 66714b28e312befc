//! When each content file was last changed, from git: the date of the last
//! commit that touched it, for pages without an `updated` date of their own.
//!
//! Only when the site's folder is the top of a git work tree (a site kept in
//! a sub-folder of a larger repository, such as the test fixtures of this
//! one, gets no dates from git), and only when git is installed: otherwise
//! there are no dates, and pages show none. git runs twice per build, for
//! every file at once, never once per file.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// `content/`-relative path (`principles/trust.md`) -> `YYYY-MM-DD` of the
/// last commit that changed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitDates(HashMap<String, String>);

const MARK: &str = "@@fairguide-date:";

impl GitDates {
    /// The dates of the files in `root/content/`; none when `root` is not
    /// the top of a git work tree or git cannot run.
    pub fn read(root: &Path) -> GitDates {
        let Some(prefix) = git(root, &["rev-parse", "--show-prefix"]) else {
            return GitDates::default();
        };
        if !prefix.trim().is_empty() {
            return GitDates::default();
        }
        let format = format!("--format={MARK}%cs");
        let Some(log) = git(
            root,
            &[
                "log",
                &format,
                "--name-only",
                "-z",
                "--no-renames",
                "--",
                crate::content::CONTENT_DIR,
            ],
        ) else {
            return GitDates::default();
        };
        GitDates::parse(&log)
    }

    /// Reads `git log --format=MARK%cs --name-only -z` (newest first).
    fn parse(log: &str) -> GitDates {
        let mut dates = HashMap::new();
        let mut current: Option<&str> = None;
        for token in log.split('\0') {
            let token = token.trim_start_matches('\n');
            if let Some(date) = token.strip_prefix(MARK) {
                current = date.parse::<jiff::civil::Date>().is_ok().then_some(date);
                continue;
            }
            let (Some(date), Some(path)) = (current, token.strip_prefix("content/")) else {
                continue;
            };
            // The newest commit comes first: keep the first date seen.
            dates
                .entry(path.to_string())
                .or_insert_with(|| date.to_string());
        }
        GitDates(dates)
    }

    /// The date of `content_path` (`/`-separated, inside `content/`).
    pub fn get(&self, content_path: &str) -> Option<&str> {
        self.0.get(content_path).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// git's output, or None when it cannot run or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off", "-c", "log.showSignature=false"])
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins_and_only_content_counts() {
        let log = format!(
            "\0{MARK}2024-03-05\0\ncontent/a.md\0content/b c.md\0README.md\0\0{MARK}2023-01-02\0\ncontent/a.md\0content/old.md\0"
        );
        let d = GitDates::parse(&log);
        assert_eq!(d.get("a.md"), Some("2024-03-05"));
        assert_eq!(d.get("b c.md"), Some("2024-03-05"));
        assert_eq!(d.get("old.md"), Some("2023-01-02"));
        assert_eq!(d.get("README.md"), None);
        assert_eq!(d.0.len(), 3);
    }

    #[test]
    fn a_folder_that_is_not_a_repository_has_no_dates() {
        let dir = std::env::temp_dir().join(format!("fairguide-git-dates-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        // (The temporary folder is not inside a git work tree on any sane machine;
        // if it were, it would not be the top of one.)
        assert!(GitDates::read(&dir).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
