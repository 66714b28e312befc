//! `fairguide init [DIR]`: a new site that builds at once, with one example
//! page of every kind (from [`Kind::ALL`], so a kind added later gets one
//! too), each key of its front matter explained in a comment (from the one
//! table of keys), a short guide for editors and the editor settings that
//! give help while typing.

use crate::content::keys::{self, KeySpec, KeyType};
use crate::content::{Kind, CONTENT_DIR};
use crate::diagnostics::Diagnostic;
use crate::kind::SECTIONS;
use std::path::{Path, PathBuf};

/// The short guide for editors, at the site's root (not published).
pub const EDITORS_GUIDE: &str = "EDITING.md";
/// VS Code's settings for the site: which schema checks which file.
pub const SETTINGS_FILE: &str = ".vscode/settings.json";

/// Stakeholder types of the new site: (id, name, description).
const STAKEHOLDERS: &[(&str, &str, &str)] = &[
    (
        "bme",
        "BME organisations",
        "Voluntary and community organisations led by and for Black and minority ethnic communities.",
    ),
    (
        "mainstream",
        "Mainstream organisations",
        "Voluntary organisations that serve the general population rather than a particular ethnic community.",
    ),
    (
        "funders",
        "Funders",
        "Grant-makers and commissioners who fund voluntary sector work.",
    ),
];

/// Where the example page of `kind` goes, inside content/.
pub fn example_file(kind: Kind) -> String {
    match kind {
        Kind::Home => "_index.md".into(),
        Kind::Section => format!(
            "{}/_index.md",
            SECTIONS
                .first()
                .and_then(|k| k.section())
                .unwrap_or("pages")
        ),
        Kind::CodeOfConduct => "code-of-conduct.md".into(),
        Kind::Page => "about.md".into(),
        other => match other.section() {
            Some(section) => format!("{section}/example-{}.md", other.value()),
            None => format!("example-{}.md", other.value()),
        },
    }
}

/// The slug of `kind`'s example page.
fn example_slug(kind: Kind) -> String {
    let file = example_file(kind);
    let name = file.rsplit('/').next().unwrap_or(&file);
    name.trim_end_matches(".md").to_string()
}

/// Creates a new site in `dir` (made if missing) and returns the files it
/// wrote, relative to `dir`. Refuses a folder that holds anything.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    refuse_unless_empty(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(format!("cannot create the folder {}: {e}", dir.display()))
            .hint("check that you may write there, or choose another folder")
    })?;
    let mut written = Vec::new();
    for (rel, text) in files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        // create_new: a file that appeared meanwhile is never overwritten.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", path.display())))?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

fn refuse_unless_empty(dir: &Path) -> Result<(), Diagnostic> {
    if dir.is_file() {
        return Err(Diagnostic::error(format!(
            "{} is a file, not a folder; fairguide init never overwrites anything",
            dir.display()
        ))
        .hint("give the name of a new folder, e.g. `fairguide init my-guide`"));
    }
    let not_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty {
        return Err(Diagnostic::error(format!(
            "{} is not empty; fairguide init only starts a site in a new or empty folder, and never overwrites anything",
            dir.display()
        ))
        .hint("give the name of a new folder, e.g. `fairguide init my-guide`"));
    }
    Ok(())
}

/// Every file of the new site: (path relative to the site, text).
fn files() -> Vec<(String, String)> {
    let mut out = vec![
        ("site.toml".to_string(), site_toml()),
        (".gitignore".to_string(), GITIGNORE.to_string()),
        (EDITORS_GUIDE.to_string(), EDITING_MD.to_string()),
        (SETTINGS_FILE.to_string(), vscode_settings()),
        (
            ".vscode/extensions.json".to_string(),
            VSCODE_EXTENSIONS.to_string(),
        ),
    ];
    for kind in Kind::ALL {
        out.push((
            format!("{CONTENT_DIR}/{}", example_file(kind)),
            example_page(kind),
        ));
    }
    for (name, schema) in crate::schema::schemas() {
        out.push((
            format!("{}/{name}", crate::schema::DEFAULT_DIR),
            crate::schema::to_text(&schema),
        ));
    }
    out
}

const GITIGNORE: &str =
    "# What fairguide makes: built again from the files you edit.\npublic/\n.fairguide-cache/\n";

const VSCODE_EXTENSIONS: &str =
    "{\n  \"recommendations\": [\"redhat.vscode-yaml\", \"tamasfe.even-better-toml\"]\n}\n";

fn site_toml() -> String {
    let mut out = format!(
        "#:schema ./{}/site.schema.json\n\
# The guide's settings. Each one is described in the fairguide docs\n\
# (docs/FRONT-MATTER.md, \"site.toml\"); VS Code with the Even Better TOML\n\
# extension shows the description when you point at a setting.\n\
\n\
# The guide's name, shown on every page.\n\
title = \"Working together fairly\"\n\
# One sentence about the guide, for search engines and the news feed.\n\
description = \"A guide for BME and mainstream voluntary organisations on working together fairly.\"\n\
# Where the site will live. \"/\" works anywhere while you write; set the real\n\
# address when you publish, e.g. \"https://www.example.org/guide/\".\n\
base_url = \"/\"\n\
# The language the pages are written in.\n\
language = \"en-GB\"\n\
# `fairguide check` warns about pages harder to read than this school grade.\n\
reading_grade = 9\n\
\n\
# The types of stakeholder the guide speaks to. Pages name them by id.\n",
        crate::schema::DEFAULT_DIR
    );
    for (id, name, description) in STAKEHOLDERS {
        out.push_str(&format!(
            "\n[[stakeholders]]\nid = \"{id}\"\nname = \"{name}\"\ndescription = \"{description}\"\n"
        ));
    }
    out.push_str(
        "\n# Short forms. The first use on each page is explained to readers, and\n\
# every term is listed on the glossary page.\n\
[[glossary]]\n\
term = \"BME\"\n\
expansion = \"Black and minority ethnic\"\n\
definition = \"People and communities who are not White British, or organisations led by and for them.\"\n",
    );
    out
}

/// Comment lines (`# ...`) holding `text`, wrapped at about 72 columns.
fn comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 72 {
            out.push_str(&format!("{indent}# {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{indent}# {line}\n"));
    }
    out
}

/// A title for the example of `kind`.
fn title(kind: Kind) -> String {
    match kind {
        Kind::Home => "Working together fairly".into(),
        Kind::Section => SECTIONS
            .first()
            .map_or("Pages", |k| k.section_title())
            .to_string(),
        Kind::Page => "About this guide".into(),
        Kind::CodeOfConduct => "Code of conduct".into(),
        other => format!("Example {}", other.label().to_lowercase()),
    }
}

/// The value the example of `kind` gives `key`, or None to show the key's
/// example as a comment.
fn value(kind: Kind, key: &KeySpec) -> Option<String> {
    let name = key.name;
    let label = kind.label().to_lowercase();
    match key.ty {
        _ if name == "title" => Some(format!("title: \"{}\"", title(kind))),
        _ if name == "summary" => Some(format!(
            "summary: \"One or two plain sentences about this {label}. Lists and search results show them.\""
        )),
        KeyType::Source if kind.is_guide_content() => Some(
            "source:\n  title: \"Replace this with the title of the report this page draws on\"\n  # publisher: Who published it\n  # year: 2012\n  # url: https://www.example.org/report.pdf"
                .into(),
        ),
        KeyType::Number => Some(format!("{name}: 1")),
        KeyType::Stakeholders => Some(format!("{name}: [{}]", STAKEHOLDERS[0].0)),
        KeyType::Slugs(target) if target != kind && target.section().is_some() => {
            Some(format!("{name}: [{}]", example_slug(target)))
        }
        KeyType::Commitments => Some(format!(
            "{name}:\n  - stakeholder: {}\n    text: \"Replace this with a commitment, in plain words.\"\n    basis: guide",
            STAKEHOLDERS[2].0
        )),
        KeyType::Flag if name == "nav" => Some(format!("{name}: true")),
        _ => None,
    }
}

fn example_page(kind: Kind) -> String {
    let mut out = String::from(
        "---\n# Front matter: settings for this page, between the two --- lines.\n\
# A line starting with # is a note for you; the site never shows it.\n\
# Remove the # at the start of a line to use that setting.\n",
    );
    for key in keys::for_kind(kind) {
        out.push('\n');
        out.push_str(&comment(key.description, ""));
        match value(kind, key) {
            Some(v) => out.push_str(&v),
            None => out.push_str(
                &key.example
                    .lines()
                    .map(|l| format!("# {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
        out.push('\n');
    }
    out.push_str("---\n\n");
    out.push_str(&body(kind));
    out
}

fn body(kind: Kind) -> String {
    let label = kind.label().to_lowercase();
    match kind {
        Kind::Home => format!(
            "<!-- The home page. Its text comes first on the site, above the list of sections. Notes like this one are never shown. -->\n\n\
This guide is for BME and mainstream voluntary groups who want to work together fairly. Say here who the guide is for and how to use it.\n\n\
To learn how to edit it, read {EDITORS_GUIDE} in the site's folder.\n"
        ),
        Kind::Section => "<!-- A section's own page: this text comes above the list of its pages. -->\n\n\
Each page in this section sets out one idea. Say here what they have in common.\n"
            .to_string(),
        Kind::Page => format!(
            "<!-- A plain page. `nav: true` above puts it in the main menu. -->\n\n\
Say who wrote this guide, and why.\n\n\
## Links to other pages\n\n\
Link to a page by its file, like this link to the [example principle]({}). The site turns it into a web link, and stops with an error if the file is missing.\n",
            example_file(SECTIONS.first().copied().unwrap_or(Kind::Principle))
        ),
        _ => format!(
            "<!-- An example {label}. Change it to your own, or delete this file. Notes like this one are never shown. -->\n\n\
Say in one short paragraph what this {label} is about.\n\n\
## A heading\n\n\
Start a heading with two # signs. The title above is the page's main heading.\n\n\
## Another heading\n\n\
Keep sentences short. Use everyday words. `fairguide check` tells you which pages are hard to read.\n"
        ),
    }
}

fn vscode_settings() -> String {
    let schemas = crate::schema::file_patterns();
    let mut out = String::from("{\n  \"yaml.schemas\": {\n");
    let lines: Vec<String> = schemas
        .iter()
        .map(|(schema, globs)| {
            let globs: Vec<String> = globs.iter().map(|g| format!("\"{g}\"")).collect();
            format!(
                "    \"./{}/{schema}\": [{}]",
                crate::schema::DEFAULT_DIR,
                globs.join(", ")
            )
        })
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push_str("\n  },\n  \"files.associations\": { \"site.toml\": \"toml\" }\n}\n");
    out
}

const EDITING_MD: &str = include_str!("editing.md");
