//! docs/THEME.md lists every variable each template receives: checked here
//! against the real contexts, dumped by overriding every template with Tera's
//! `__tera_context`, so the documented theme API cannot drift from the code.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every key path in `v`: `page.title`, `page.toc[].id`, ...
fn paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                paths(x, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for x in items {
                paths(x, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The documented variables: section name (`site`, `page` or a template's
/// file name) -> the paths in its table rows.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/THEME.md"))
        .expect("docs/THEME.md");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut section = None;
    for line in text.lines() {
        if let Some(heading) = line
            .strip_prefix("## `")
            .or_else(|| line.strip_prefix("### `"))
        {
            section = heading.split('`').next().map(str::to_string);
            out.entry(section.clone().unwrap()).or_default();
        } else if line.starts_with("## ") {
            section = None;
        } else if let (Some(s), Some(row)) = (&section, line.strip_prefix("| `")) {
            let path = row.split('`').next().unwrap().to_string();
            out.get_mut(s).unwrap().insert(path);
        }
    }
    out
}

#[test]
fn theme_md_documents_every_variable_of_every_template() {
    let site = copy_fixture("every-kind");
    let templates = site.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut names = Vec::new();
    for entry in fs::read_dir(&theme).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "macros.html" || name == "base.html" {
            continue;
        }
        fs::write(
            templates.join(&name),
            format!("{{\"template\": \"{name}\", \"context\": {{{{ __tera_context | safe }}}}}}"),
        )
        .unwrap();
        names.push(name);
    }
    let out = build_ok(site.path(), &["--no-search"]);
    let public = out.path().join("public");
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rel in files(&public) {
        let Ok(dump) = serde_json::from_str::<serde_json::Value>(
            &fs::read_to_string(public.join(&rel)).unwrap_or_default(),
        ) else {
            continue;
        };
        let template = dump["template"].as_str().unwrap().to_string();
        let mut found = BTreeSet::new();
        paths(&dump["context"], "", &mut found);
        for p in found {
            let section = if p == "site" || p.starts_with("site.") {
                "site".to_string()
            } else if p == "page" || p.starts_with("page.") {
                "page".to_string()
            } else {
                template.clone()
            };
            actual.entry(section).or_default().insert(p);
        }
        actual.entry(template).or_default();
    }
    for name in &names {
        assert!(
            actual.contains_key(name),
            "no page was rendered with {name}"
        );
    }
    let docs = documented();
    let mut problems = Vec::new();
    for (section, vars) in &actual {
        let doc = docs.get(section);
        for v in vars {
            if !doc.is_some_and(|d| d.contains(v)) {
                problems.push(format!("`{v}` ({section}) is not in docs/THEME.md"));
            }
        }
    }
    // A documented variable must still exist (its top level at least: an
    // empty list in the fixture shows no item keys).
    for (section, vars) in &docs {
        let seen = actual.get(section);
        for v in vars {
            let top = v.split(['.', '[']).next().unwrap();
            if !seen.is_some_and(|s| s.contains(top)) {
                problems.push(format!(
                    "docs/THEME.md names `{v}` ({section}), which no template receives"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
