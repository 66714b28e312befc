//! The theme: Tera templates and static assets. The default theme is embedded in
//! the binary; `themes/<name>/` and the site's `templates/` and `static/`
//! override it file by file.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, compiled into the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "home.html",
    "section.html",
    "page.html",
    "principle.html",
    "barrier.html",
    "case-study.html",
    "recommendation.html",
    "recommendations.html",
    "code-of-conduct.html",
    "stakeholders.html",
    "stakeholder.html",
    "collection.html",
    "record.html",
    "glossary.html",
    "accessibility.html",
    "tool.html",
    "search.html",
    "print.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
);

/// The default theme's static files, compiled into the binary.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    (
        "site.js",
        include_bytes!("../themes/default/static/site.js"),
    ),
    (
        "tool.js",
        include_bytes!("../themes/default/static/tool.js"),
    ),
    (
        "collection.js",
        include_bytes!("../themes/default/static/collection.js"),
    ),
];

pub struct Theme {
    pub tera: Tera,
    /// Output path -> bytes, for every static asset (embedded, theme, site).
    pub static_files: BTreeMap<String, StaticFile>,
}

pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Where each template came from, for error messages.
struct TemplateSource {
    text: String,
    file: Option<PathBuf>,
}

pub(crate) fn load(root: &Path, theme_name: &str) -> Result<Theme, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut templates: BTreeMap<String, TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    text: text.to_string(),
                    file: None,
                },
            )
        })
        .collect();
    let mut static_files: BTreeMap<String, StaticFile> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), StaticFile::Embedded(bytes)))
        .collect();

    let themes_dir = root.join("themes");
    let theme_dir = themes_dir.join(theme_name);
    if theme_dir.is_dir() {
        overlay_templates(
            root,
            &theme_dir.join("templates"),
            &mut templates,
            &mut diags,
        );
        overlay_static(&theme_dir.join("static"), &mut static_files, &mut diags);
    } else if theme_name != "default" {
        let available: Vec<String> = std::fs::read_dir(&themes_dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let refs: Vec<&str> = available
            .iter()
            .map(String::as_str)
            .chain(["default"])
            .collect();
        diags.push(
            Diagnostic::error(format!(
                "theme `{theme_name}` not found: there is no folder themes/{theme_name}/"
            ))
            .in_file("site.toml")
            .hint(format!(
                "{} (`default` is built in)",
                did_you_mean(theme_name, &refs)
            )),
        );
    }
    overlay_templates(root, &root.join("templates"), &mut templates, &mut diags);
    overlay_static(&root.join("static"), &mut static_files, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }

    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also rewrites `/`, which makes every URL unreadable.
    tera.set_escape_fn(crate::html::escape_html);
    // Parse each template alone first, so every broken one is reported with its file.
    for (name, source) in &templates {
        let mut probe = Tera::default();
        if let Err(e) = probe.add_raw_template(name, &source.text) {
            if is_parse_error(&e) {
                diags.push(template_diagnostic(name, source, &e));
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let pairs: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(pairs) {
        let name = templates
            .keys()
            .find(|n| e.to_string().contains(n.as_str()))
            .cloned()
            .unwrap_or_default();
        let d = match templates.get(&name) {
            Some(source) => template_diagnostic(&name, source, &e),
            None => Diagnostic::error(format!("template error: {}", error_chain(&e))),
        };
        diags.push(d);
        return Err(diags);
    }
    Ok(Theme { tera, static_files })
}

fn is_parse_error(e: &tera::Error) -> bool {
    // A lone template may legitimately fail only because its parent is missing.
    !error_chain(e).contains("doesn't exist") && !error_chain(e).contains("not found")
}

fn overlay_templates(
    root: &Path,
    dir: &Path,
    templates: &mut BTreeMap<String, TemplateSource>,
    diags: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        // Editors' backup and swap files are never templates.
        if crate::editor_files::in_editor_path(rel) {
            continue;
        }
        let name = rel.to_string_lossy().replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                templates.insert(
                    name,
                    TemplateSource {
                        text,
                        file: Some(shown),
                    },
                );
            }
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read template: {e}")).in_file(shown))
            }
        }
    }
}

fn overlay_static(dir: &Path, files: &mut BTreeMap<String, StaticFile>, diags: &mut Diagnostics) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(dir) {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    // Hidden files and editors' backups are never published.
                    if !crate::editor_files::in_editor_path(rel)
                        && !name.split('/').any(|p| p == "..")
                    {
                        files.insert(name, StaticFile::Disk(e.path().to_path_buf()));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read static file: {e}")).in_file(dir))
            }
        }
    }
}

/// Tera's error and its causes, in one line each.
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        parts.push(c.to_string());
        cause = c.source();
    }
    parts.join("\n")
}

fn template_diagnostic(name: &str, source: &TemplateSource, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    // Tera's parse errors carry "--> line:column".
    let (line, column) = chain
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let mut it = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty());
            Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
        })
        .unwrap_or((0, 0));
    let file = source
        .file
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("themes/default/templates/{name} (built in)")));
    let summary = chain
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string();
    Diagnostic::error(format!("template `{name}` cannot be parsed: {summary}"))
        .in_file(file)
        .at(line, column)
        .with_source(&source.text)
        .hint("check the Tera tags on this line: every {% if %}/{% for %}/{% block %} needs its {% end... %}")
}
