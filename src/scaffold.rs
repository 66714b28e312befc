//! `fairguide init` and `fairguide new`: a whole new site that builds at
//! once, and a correctly named page with complete front matter and short
//! guidance, so editors never start from a blank page.

use crate::config::Config;
use crate::content::{self, Kind};
use crate::diagnostics::{did_you_mean, Diagnostic};
use std::path::{Path, PathBuf};

mod init;
pub use init::{example_file, init, EDITORS_GUIDE, SETTINGS_FILE};

/// Creates the file and returns its path (relative to `root`). Never overwrites.
pub fn new_page(root: &Path, kind: &str, title: &str) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(root).map_err(|d| {
        d.0.into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("cannot read site.toml"))
    })?;
    let Some(kind_enum) = new_kinds().find(|k| k.value() == kind) else {
        let names: Vec<&str> = new_kinds().map(|k| k.value()).collect();
        return Err(
            Diagnostic::error(format!("there is no kind of page called `{kind}`")).hint(format!(
                "{} (one of: {})",
                did_you_mean(kind, &names),
                names.join(", ")
            )),
        );
    };
    let title = title.trim();
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error("the title has no letters or digits to name the file after")
                .hint("give a title such as \"Croydon partnership\""),
        );
    }
    let rel = match kind_enum.section() {
        Some(section) => format!("{section}/{slug}.md"),
        None => format!("{slug}.md"),
    };
    let shown = Path::new(content::CONTENT_DIR).join(&rel);
    let path = root.join(&shown);
    if path.exists() {
        return Err(Diagnostic::error(format!(
            "{} already exists; fairguide never overwrites a page",
            shown.display()
        ))
        .in_file(&shown)
        .hint("edit that file, or choose a different title"));
    }
    let text = front_matter(root, &config, kind_enum, title);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", dir.display())))?;
    }
    // create_new: even a file that appeared a moment ago is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", shown.display())).in_file(&shown)
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", shown.display())))?;
    Ok(shown)
}

/// The kinds `fairguide new` creates: [`Kind::NEW`] first, in its order,
/// then any other kind that lives in a section folder, so a kind added later
/// can be created too.
pub fn new_kinds() -> impl Iterator<Item = Kind> {
    Kind::NEW.into_iter().chain(
        Kind::ALL
            .into_iter()
            .filter(|k| k.section().is_some() && !Kind::NEW.contains(k)),
    )
}

/// `fairguide new`'s help for its KIND argument, listing every kind.
pub fn new_kinds_help() -> String {
    let names: Vec<&str> = new_kinds().map(|k| k.value()).collect();
    format!("The kind of page: {}.", names.join(", "))
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The next free number among existing pages of `kind` (principles, recommendations).
fn next_number(root: &Path, kind: Kind) -> u32 {
    let (loaded, _) = content::load(root);
    loaded
        .pages
        .iter()
        .filter(|p| p.kind == kind && p.front.series.is_none())
        .filter_map(|p| p.front.number)
        .max()
        .unwrap_or(0)
        + 1
}

fn front_matter(root: &Path, config: &Config, kind: Kind, title: &str) -> String {
    let ids = config.stakeholder_ids();
    let id_list = if ids.is_empty() {
        "none declared yet: add [[stakeholders]] to site.toml".to_string()
    } else {
        ids.join(", ")
    };
    let source = "source:                    # where the facts come from; the page shows it\n  title: \"\"\n  publisher: \"\"\n  year: \n";
    let mut out = format!("---\ntitle: {}\nsummary: \"\"                # one or two plain sentences, shown in lists and search\n", yaml_string(title));
    match kind {
        Kind::CaseStudy => out.push_str(&format!(
            "organisations:             # as the source names them\n  - name: \"\"\n    type: \"\"                # e.g. BME organisation, local authority\n\
place: \"\"                  # e.g. London Borough of Croydon\n\
years: \"\"                  # only as the source gives them; delete if unknown\n\
principles: []             # principle file names without .md, e.g. [equal-partners]\n\
barriers: []               # barrier file names without .md, e.g. [trust-and-control]\n\
stakeholders: []           # who it concerns: {id_list}\n\
themes: []                 # free tags, e.g. [capacity building]\n{source}"
        )),
        Kind::Principle => out.push_str(&format!(
            "number: {}\n\
barriers: []               # barriers this principle answers, e.g. [trust-and-control]\n\
case_studies: []           # case study file names without .md\n\
stakeholders: []           # who it mainly concerns: {id_list}\n{source}",
            next_number(root, Kind::Principle)
        )),
        Kind::Recommendation => out.push_str(&format!(
            "number: {}                 # its number in the source report\n\
# series: \"2012 report\"    # which set it belongs to; numbers are unique within a set\n\
stakeholders: [{}]          # who it is addressed to; one or more of: {id_list}\n\
principles: []\n\
barriers: []\n\
case_studies: []\n{source}",
            next_number(root, Kind::Recommendation),
            ids.first().copied().unwrap_or("")
        )),
        Kind::Barrier => out.push_str(&format!(
            "group: \"\"                  # optional heading it is listed under\n\
principles: []             # principles that address it\n\
case_studies: []\n\
stakeholders: []           # optional: {id_list}\n{source}"
        )),
        Kind::Tool => {
            out.push_str(&format!(
                "stakeholders: []           # who it is for: {id_list}\n"
            ));
            for line in [
                "scale: red-amber-green     # the rating scale: red-amber-green, 1-4, or labels worst first, e.g. [Low, Medium, High]",
                "groups:                    # one group of questions per topic, e.g. per principle",
                "  - title: \"First topic\"",
                "    principles: []         # principle file names without .md; also barriers: [] and recommendations: []",
                "    questions:",
                "      - text: \"A question to rate together\"",
                "        type: rating       # rating, yes-no or text",
                "      - text: \"A question to answer in words\"",
                "        type: text",
                "        guidance: \"\"       # optional help shown under the question",
            ] {
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(source);
        }
        Kind::Page => out.push_str("nav: false                 # true lists the page in the main navigation\n"),
        // A kind without its own lines here: each of its keys, from the key table.
        other => {
            for key in crate::content::keys::for_kind(other).filter(|k| k.kinds != crate::content::keys::Kinds::All) {
                out.push_str(&format!("# {}\n", key.description));
                for line in key.example.lines() {
                    out.push_str(&format!("# {line}\n"));
                }
            }
            out.push_str(source);
        }
    }
    out.push_str("---\n\n");
    let body = match kind {
        Kind::CaseStudy => "Say in one short paragraph what this case study is about.\n\n## What happened\n\n## What made it work\n\n## What was hard\n\n## What each stakeholder can learn\n",
        Kind::Principle => "Say in one short paragraph what this principle means.\n\n## Barriers it answers\n\n## In practice\n\n## Questions to ask yourselves\n",
        Kind::Recommendation => "Write the recommendation itself in this first paragraph; the index shows it.\n\n## Why\n",
        Kind::Barrier => "Say in one short paragraph what this barrier is.\n\n## What the research found\n\n## What helps\n",
        Kind::Tool => "Say in one short paragraph what this tool is for and who should fill it in together.\n\n## How to use it\n",
        _ => "Write the page here. Use ## for headings; the title above is the page's only top heading.\n",
    };
    out.push_str(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_quoted_safely() {
        assert_eq!(
            yaml_string("A \"quoted\": title"),
            "\"A \\\"quoted\\\": title\""
        );
    }
}
