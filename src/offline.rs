//! The offline copy: the built site made to work opened straight from disk
//! (`file://`), and optionally packed as a zip for hosts to offer as
//! "download the guide".
//!
//! One pass over the finished files, after rendering: in every HTML file each
//! URL that leads into the site (`/guide/principles/x/`, or the full
//! `https://example.org/guide/...`) becomes a relative one ending in
//! `index.html` (`../principles/x/index.html`), because a browser showing a
//! folder from disk neither resolves `/` to the site's folder nor opens a
//! folder's `index.html` by itself. CSS files and `<style>` and `style`
//! attributes get the same treatment for their `url()`s and `@import`s. The
//! templates need to know only one thing (`site.offline`): the search page
//! cannot search from disk (browsers refuse `fetch()` and module scripts on
//! `file://` pages, and Pagefind needs both), so it shows the A–Z list with a
//! note instead, and the build writes no search index.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::theme::StaticFile;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the site lives, to recognise its URLs.
pub(crate) struct Base<'a> {
    /// `base_url`, ending in `/`: `/`, `/guide/` or `https://example.org/guide/`.
    pub url: &'a str,
    /// Its path: `/` or `/guide/`.
    pub path: &'a str,
}

/// Makes the build's files the offline copy: the stylesheets among the
/// theme's static files and the site's copied files move into `files`, and
/// every HTML and CSS file is rewritten.
pub(crate) fn make_offline(
    files: &mut Vec<OutputFile>,
    static_files: &mut BTreeMap<String, StaticFile>,
    copies: &mut Vec<(PathBuf, String)>,
    config: &Config,
) -> Result<(), Diagnostic> {
    let all_paths: HashSet<String> = files
        .iter()
        .map(|f| f.path.clone())
        .chain(static_files.keys().cloned())
        .chain(copies.iter().map(|(_, d)| d.clone()))
        .collect();
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", p.display()))
                .hint("check that the file is still there and readable")
        })
    };
    let css: Vec<String> = static_files
        .keys()
        .filter(|k| k.ends_with(".css"))
        .cloned()
        .collect();
    for path in css {
        let bytes = match static_files.remove(&path) {
            Some(StaticFile::Embedded(b)) => b.to_vec(),
            Some(StaticFile::Disk(p)) => read(&p)?,
            None => continue,
        };
        files.push(OutputFile { path, bytes });
    }
    let mut kept = Vec::with_capacity(copies.len());
    for (source, path) in copies.drain(..) {
        if path.ends_with(".css") {
            let bytes = read(&source)?;
            files.push(OutputFile { path, bytes });
        } else {
            kept.push((source, path));
        }
    }
    *copies = kept;
    let base_path = config.base_path();
    let base = Base {
        url: &config.base_url,
        path: &base_path,
    };
    rewrite_files(files, &all_paths, &base);
    Ok(())
}

/// Refuses a zip file inside the output folder (the build replaces that
/// folder, and the next build would find a file it did not write there).
pub(crate) fn check_zip_path(zip: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (zip_abs, out_abs) = (absolute(zip), absolute(output));
    if zip_abs.starts_with(&out_abs) {
        return Err(Diagnostic::error(format!(
            "refusing to write the zip file {} inside the output folder {}",
            zip.display(),
            output.display()
        ))
        .hint("write it beside the output folder, e.g. `--zip guide-offline.zip`, and upload it with the site"));
    }
    if zip_abs.is_dir() {
        return Err(Diagnostic::error(format!(
            "cannot write the zip file {}: it is a folder",
            zip.display()
        ))
        .hint("give a file name ending in .zip, e.g. `--zip guide-offline.zip`"));
    }
    Ok(())
}

/// The folder a zip unpacks into: the zip's own name without `.zip`.
pub(crate) fn zip_folder_name(zip: &Path) -> String {
    zip.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && !s.starts_with('.'))
        .unwrap_or_else(|| "guide".to_string())
}

/// Rewrites every HTML and CSS file of `files` for reading from disk.
/// `all_paths` is every file the output will hold (to tell `/about` the
/// folder from `/about` a file).
pub(crate) fn rewrite_files(files: &mut [OutputFile], all_paths: &HashSet<String>, base: &Base) {
    files.par_iter_mut().for_each(|f| {
        let new = if f.path.ends_with(".html") {
            rewrite_html(&f.path, &f.bytes, all_paths, base)
        } else if f.path.ends_with(".css") {
            let css = String::from_utf8_lossy(&f.bytes);
            Some(rewrite_css(&css, &f.path, all_paths, base).into_bytes())
        } else {
            None
        };
        if let Some(bytes) = new {
            f.bytes = bytes;
        }
    });
}

/// The URL `url`, written in file `from`, as a relative URL that works from
/// disk; `None` when it does not lead into the site (another host, `#top`,
/// `mailto:`) or is relative already.
pub(crate) fn relative_url(
    url: &str,
    from: &str,
    all_paths: &HashSet<String>,
    base: &Base,
) -> Option<String> {
    let url = url.trim();
    let rest = if let Some(rest) = url
        .strip_prefix(base.url)
        .filter(|_| base.url.contains("://"))
    {
        rest
    } else if url.starts_with("//") {
        return None;
    } else if let Some(rest) = url.strip_prefix(base.path) {
        rest
    } else if url.starts_with('/') {
        // The same host, outside the site: only reachable online.
        let origin = base.url.strip_suffix(base.path)?;
        return origin.contains("://").then(|| format!("{origin}{url}"));
    } else {
        return None;
    };
    let split = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, suffix) = rest.split_at(split);
    let mut target = path.to_string();
    if target.is_empty() || target.ends_with('/') {
        target.push_str("index.html");
    } else if !all_paths.contains(&target) && all_paths.contains(&format!("{target}/index.html")) {
        target.push_str("/index.html");
    }
    let depth = from.matches('/').count();
    Some(format!("{}{target}{suffix}", "../".repeat(depth)))
}

fn rewrite_html(
    path: &str,
    html: &[u8],
    all_paths: &HashSet<String>,
    base: &Base,
) -> Option<Vec<u8>> {
    let fix = |v: &str| -> Option<String> {
        let v = html_escape::decode_html_entities(v);
        relative_url(&v, path, all_paths, base).map(|u| crate::html::escape_html(&u))
    };
    let style = RefCell::new(String::new());
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    {
        let settings = lol_html::Settings::new()
            .append_element_content_handler(lol_html::element!(
                "[href], [src], [action], [poster], [formaction], object[data]",
                |el| {
                    for attr in ["href", "src", "action", "poster", "formaction", "data"] {
                        if attr == "data" && el.tag_name() != "object" {
                            continue;
                        }
                        if let Some(new) = el.get_attribute(attr).and_then(|v| fix(&v)) {
                            el.set_attribute(attr, &new)?;
                        }
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(lol_html::element!("[srcset]", |el| {
                if let Some(v) = el.get_attribute("srcset") {
                    let v = html_escape::decode_html_entities(&v).into_owned();
                    let candidates: Vec<String> = v
                        .split(',')
                        .map(|c| {
                            let c = c.trim();
                            let (url, rest) = c.split_once(char::is_whitespace).unwrap_or((c, ""));
                            let url =
                                relative_url(url, path, all_paths, base).unwrap_or(url.to_string());
                            if rest.is_empty() {
                                url
                            } else {
                                format!("{url} {}", rest.trim())
                            }
                        })
                        .collect();
                    el.set_attribute("srcset", &crate::html::escape_html(&candidates.join(", ")))?;
                }
                Ok(())
            }))
            .append_element_content_handler(lol_html::element!("[style]", |el| {
                if let Some(v) = el.get_attribute("style") {
                    let v = html_escape::decode_html_entities(&v);
                    let new = rewrite_css(&v, path, all_paths, base);
                    el.set_attribute("style", &crate::html::escape_html(&new))?;
                }
                Ok(())
            }))
            .append_element_content_handler(lol_html::text!("style", |t| {
                // A stylesheet's text comes in chunks: gathered, and written
                // (rewritten) in place of the last.
                style.borrow_mut().push_str(t.as_str());
                if t.last_in_text_node() {
                    let css = std::mem::take(&mut *style.borrow_mut());
                    let new = rewrite_css(&css, path, all_paths, base);
                    t.replace(&new, lol_html::html_content::ContentType::Html);
                } else {
                    t.remove();
                }
                Ok(())
            }));
        let mut rewriter =
            lol_html::HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        rewriter.write(html).and_then(|()| rewriter.end()).ok()?;
    }
    Some(out)
}

/// Rewrites the `url(...)`s and `@import "..."`s of a stylesheet written in file `from`.
pub(crate) fn rewrite_css(
    css: &str,
    from: &str,
    all_paths: &HashSet<String>,
    base: &Base,
) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    loop {
        let url_at = find_ascii_ci(rest, "url(");
        let import_at = find_ascii_ci(rest, "@import");
        let Some(at) = [url_at, import_at].into_iter().flatten().min() else {
            break;
        };
        let is_import = Some(at) == import_at && Some(at) != url_at;
        let head = if is_import {
            "@import".len()
        } else {
            "url(".len()
        };
        out.push_str(&rest[..at + head]);
        rest = &rest[at + head..];
        let trimmed = rest.trim_start();
        out.push_str(&rest[..rest.len() - trimmed.len()]);
        rest = trimmed;
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        if is_import && quote.is_none() {
            // `@import url(...)`: the url( is handled on the next turn.
            continue;
        }
        let (open, end_char) = match quote {
            Some(q) => (1, q),
            None => (0, ')'),
        };
        let Some(len) = rest[open..].find(end_char) else {
            break;
        };
        let url = &rest[open..open + len];
        out.push_str(&rest[..open]);
        match relative_url(url, from, all_paths, base) {
            Some(new) => out.push_str(&new),
            None => out.push_str(url),
        }
        rest = &rest[open + len..];
    }
    out.push_str(rest);
    out
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Packs the folder `dir` into the zip file `zip`, every file under one
/// folder named `top` (so that unpacking it makes one folder). Written
/// beside `zip` first and renamed into place: never a half-written zip.
pub(crate) fn write_zip(dir: &Path, zip: &Path, top: &str) -> Result<(), Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("cannot write the zip file {}: {e}", zip.display()))
            .hint("check that its folder exists and is writable, or choose another path with --zip")
    };
    let mut paths: Vec<(String, std::path::PathBuf)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (rel != crate::write::MANIFEST).then(|| (rel, e.path().to_path_buf()))
        })
        .collect();
    paths.sort();
    let tmp = zip.with_file_name(format!(
        ".{}.fairguide-{}",
        zip.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| -> Result<(), Diagnostic> {
        let file = std::fs::File::create(&tmp).map_err(|e| fail(&e))?;
        let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(file));
        // A fixed date: the same site gives the same zip, byte for byte.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (rel, full) in &paths {
            let bytes = std::fs::read(full).map_err(|e| fail(&e))?;
            writer
                .start_file(format!("{top}/{rel}"), options)
                .map_err(|e| fail(&e))?;
            writer.write_all(&bytes).map_err(|e| fail(&e))?;
        }
        let mut inner = writer.finish().map_err(|e| fail(&e))?;
        inner.flush().map_err(|e| fail(&e))?;
        drop(inner);
        std::fs::rename(&tmp, zip).map_err(|e| fail(&e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> HashSet<String> {
        ["index.html", "about/index.html", "style.css", "a/b.png"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn site_urls_become_relative_and_end_in_index_html() {
        let base = Base {
            url: "https://example.org/guide/",
            path: "/guide/",
        };
        let p = paths();
        let rel = |u: &str, from: &str| relative_url(u, from, &p, &base);
        assert_eq!(rel("/guide/", "index.html").as_deref(), Some("index.html"));
        assert_eq!(
            rel("/guide/about/#team", "x/y/index.html").as_deref(),
            Some("../../about/index.html#team")
        );
        assert_eq!(
            rel("https://example.org/guide/search/?q=a", "about/index.html").as_deref(),
            Some("../search/index.html?q=a")
        );
        assert_eq!(
            rel("/guide/about", "index.html").as_deref(),
            Some("about/index.html")
        );
        assert_eq!(
            rel("/guide/style.css", "about/index.html").as_deref(),
            Some("../style.css")
        );
        assert_eq!(
            rel("/elsewhere/", "index.html").as_deref(),
            Some("https://example.org/elsewhere/")
        );
        for unchanged in [
            "#top",
            "https://other.org/",
            "//cdn.example/x",
            "mailto:a@b.c",
            "a/b.png",
        ] {
            assert_eq!(rel(unchanged, "index.html"), None, "{unchanged}");
        }
    }

    #[test]
    fn css_urls_and_imports_are_rewritten() {
        let base = Base {
            url: "/",
            path: "/",
        };
        let css = "@import \"/style.css\"; a { background: URL( '/a/b.png' ) } b { background: url(/a/b.png) } @import url(/x.css);";
        assert_eq!(
            rewrite_css(css, "about/index.html", &paths(), &base),
            "@import \"../style.css\"; a { background: URL( '../a/b.png' ) } b { background: url(../a/b.png) } @import url(../x.css);"
        );
    }
}
