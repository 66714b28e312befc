//! The JSON Schemas `fairguide schema` writes: every bundled page and
//! site.toml passes them, and, key by key, what the build rejects they
//! reject too (and what the build accepts, they accept).

use fairguide::config::{
    Config, ACCESSIBILITY_SETTINGS, GLOSSARY_SETTINGS, SETTINGS, STAKEHOLDER_SETTINGS,
};
use fairguide::content::keys::KEYS;
use fairguide::content::{self, Kind};
use fairguide::schema;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    assert!(jsonschema::meta::is_valid(schema), "not a valid schema");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("schema compiles")
}

/// The schema of `kind`'s front matter, with `config`'s stakeholder ids.
fn kind_validator(config: &Config, kind: Kind) -> jsonschema::Validator {
    let name = schema::kind_file(kind);
    let (_, s) = schema::schemas_for(Some(config))
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    validator(&s)
}

fn yaml_to_json(front: &str) -> Value {
    if front.trim().is_empty() {
        return Value::Object(Default::default());
    }
    let v: serde_yaml::Value = serde_yaml::from_str(front).expect("YAML");
    serde_json::to_value(v).expect("JSON")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| e.to_string()).collect()
}

#[test]
fn every_bundled_page_and_site_toml_pass_their_schemas() {
    for root in [repo(), repo().join("tests/fixtures/every-kind")] {
        let config = Config::load(&root).unwrap();
        let (loaded, diags) = content::load(&root);
        assert!(!diags.has_errors(), "{diags}");
        assert!(loaded.pages.len() >= 8, "{}", root.display());
        let mut kinds = BTreeSet::new();
        for page in &loaded.pages {
            let v = kind_validator(&config, page.kind);
            let front = yaml_to_json(&page.front_text);
            let problems = errors(&v, &front);
            assert!(problems.is_empty(), "{}: {problems:?}", page.file.display());
            kinds.insert(page.kind);
        }
        assert_eq!(kinds.len(), Kind::ALL.len(), "{}", root.display());
        let site = validator(&schema::site());
        let text = std::fs::read_to_string(root.join("site.toml")).unwrap();
        let toml: toml::Table = toml::from_str(&text).unwrap();
        let problems = errors(&site, &serde_json::to_value(toml).unwrap());
        assert!(problems.is_empty(), "{problems:?}");
    }
}

const SITE: &str = "title = \"T\"\n[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\n[[stakeholders]]\nid = \"bme\"\nname = \"BME organisations\"\n";

/// The kind of a page at `rel` in content/ (as the build places it).
fn kind_of(rel: &str) -> Kind {
    match rel {
        "code-of-conduct.md" => Kind::CodeOfConduct,
        _ => rel
            .split_once('/')
            .and_then(|(d, _)| Kind::from_section(d))
            .unwrap_or(Kind::Page),
    }
}

/// Whether the build accepts this front matter on a page at `rel`, reading
/// the page and linking its stakeholder ids as the build does.
fn build_accepts(config: &Config, rel: &str, front: &str) -> bool {
    let kind = kind_of(rel);
    let text = format!("---\n{front}\n---\nBody.\n");
    let page = content::parse_page(
        kind,
        Path::new("content").join(rel),
        rel,
        "x".into(),
        "x/".into(),
        &text,
    );
    match page {
        Err(_) => false,
        Ok(None) => true,
        Ok(Some(page)) => {
            let ids = config.stakeholder_ids();
            page.front
                .stakeholders
                .iter()
                .all(|s| ids.contains(&s.as_str()))
                && page
                    .front
                    .commitments
                    .iter()
                    .all(|c| ids.contains(&c.stakeholder.as_str()))
        }
    }
}

fn schema_accepts(config: &Config, rel: &str, front: &str) -> bool {
    let kind = kind_of(rel);
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(front) else {
        return false;
    };
    let json = if v.is_null() {
        Value::Object(Default::default())
    } else {
        serde_json::to_value(v).unwrap()
    };
    kind_validator(config, kind).is_valid(&json)
}

/// (page, front matter): every one of these the build refuses.
const BAD: &[(&str, &str)] = &[
    ("about.md", "summary: no title"),
    ("about.md", "title: \"\""),
    ("about.md", "title: \"   \""),
    ("about.md", "title: [a, b]"),
    ("about.md", "title: {a: b}"),
    ("about.md", "title: ~"),
    ("about.md", "title: A\nsumary: typo"),
    ("about.md", "title: A\nnumber: 3"),
    ("about.md", "title: A\nsummary: [a, b]"),
    ("about.md", "title: A\nweight: heavy"),
    ("about.md", "title: A\nweight: 1.5"),
    ("about.md", "title: A\ndraft: yes please"),
    ("about.md", "title: A\nnav: 1"),
    ("about.md", "title: A\nsource: [[a]]"),
    ("about.md", "title: A\nsource: {publisher: V4CE}"),
    (
        "about.md",
        "title: A\nsource: {title: T, year: twenty-twelve}",
    ),
    ("about.md", "title: A\nsource: {title: T, year: 212}"),
    ("about.md", "title: A\nsource: {title: T, year: 20120}"),
    (
        "about.md",
        "title: A\nsource: {title: T, url: \"javascript:alert(1)\"}",
    ),
    (
        "about.md",
        "title: A\nsource: {title: T, url: \"JavaScript:alert(1)\"}",
    ),
    ("about.md", "title: A\nsource: {title: T, author: X}"),
    ("about.md", "title: A\nsource: {title: [a]}"),
    ("principles/a.md", "title: A\nnumber: 0"),
    ("principles/a.md", "title: A\nnumber: -2"),
    ("principles/a.md", "title: A\nnumber: three"),
    ("principles/a.md", "title: A\nnumber: 99999999999"),
    ("principles/a.md", "title: A\nprinciples: [b]"),
    ("principles/a.md", "title: A\nbarriers: {a: b}"),
    ("principles/a.md", "title: A\nbarriers: [[a]]"),
    ("principles/a.md", "title: A\nbarriers: [~]"),
    ("principles/a.md", "title: A\nstakeholders: [nobody]"),
    ("principles/a.md", "title: A\nnav: true"),
    ("recommendations/a.md", "title: A\nseries: [a]"),
    ("recommendations/a.md", "title: A\nstakeholder: [funders]"),
    ("case-studies/a.md", "title: A\ndate: yesterday"),
    ("case-studies/a.md", "title: A\ndate: 2012-02-30"),
    ("case-studies/a.md", "title: A\ndate: 2012-13-01"),
    ("case-studies/a.md", "title: A\ndate: 2012-3-1"),
    ("case-studies/a.md", "title: A\ndate: 20120301"),
    (
        "case-studies/a.md",
        "title: A\norganisations: [{name: A, kind: B}]",
    ),
    (
        "case-studies/a.md",
        "title: A\norganisations: [{type: council}]",
    ),
    ("case-studies/a.md", "title: A\norganisations: [[a]]"),
    ("case-studies/a.md", "title: A\nthemes: {a: b}"),
    ("case-studies/a.md", "title: A\nplace: [a, b]"),
    ("case-studies/a.md", "title: A\ngroup: G"),
    ("barriers/a.md", "title: A\nnumber: 1"),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: funders}]",
    ),
    ("code-of-conduct.md", "title: A\ncommitments: [{text: T}]"),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: nobody, text: T}]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: funders, text: T, why: x}]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: funders, text: [a]}]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: funders, text: T, basis: [[a]]}]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: \"We promise.\"",
    ),
    ("code-of-conduct.md", "title: A\ncommitments: [a, b]"),
];

/// And every one of these it accepts.
const GOOD: &[(&str, &str)] = &[
    ("about.md", "title: 1984"),
    ("about.md", "title: A\nsummary:"),
    ("about.md", "title: A\nweight: -3\ndraft: false\nnav: true"),
    ("about.md", "title: A\nsource: NCVO KnowHow"),
    (
        "about.md",
        "title: A\nsource: {title: T, year: 2012, url: \"https://x.org/a:b\"}",
    ),
    (
        "about.md",
        "title: A\nsource: {title: T, year: \"2012\", url: \"../a.pdf\", note: n}",
    ),
    (
        "about.md",
        "title: A\nsource: [T1, {title: T2, publisher: P}]",
    ),
    (
        "about.md",
        "title: A\nsource: {title: \"\", publisher: \"\", year: }",
    ),
    (
        "principles/a.md",
        "title: A\nnumber: 3\nstakeholders: funders\nbarriers: b",
    ),
    (
        "recommendations/a.md",
        "title: A\nnumber: 14\nseries: 2012 report\nstakeholders: [funders, bme]",
    ),
    (
        "case-studies/a.md",
        "title: A\ndate: 2012-02-29\norganisations: [A, {name: B, type: council}]",
    ),
    (
        "case-studies/a.md",
        "title: A\norganisations: [{name: \"\", type: \"\"}]\nthemes: [a, 2]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: [{stakeholder: funders, text: T, basis: guide}]",
    ),
    (
        "code-of-conduct.md",
        "title: A\ncommitments: {stakeholder: bme, text: T, basis: [guide]}",
    ),
];

#[test]
fn what_the_build_rejects_the_schema_rejects_too() {
    let config = Config::parse(SITE).unwrap();
    for (rel, front) in BAD {
        assert!(
            !build_accepts(&config, rel, front),
            "the build accepts {rel}: {front}"
        );
        assert!(
            !schema_accepts(&config, rel, front),
            "the schema accepts what the build refuses: {rel}: {front}"
        );
    }
    for (rel, front) in GOOD {
        assert!(
            build_accepts(&config, rel, front),
            "the build refuses {rel}: {front}"
        );
        assert!(
            schema_accepts(&config, rel, front),
            "the schema refuses what the build accepts: {rel}: {front}"
        );
    }
}

#[test]
fn every_key_is_described_and_its_example_passes_build_and_schema() {
    let config = Config::parse(SITE).unwrap();
    for kind in [
        Kind::Principle,
        Kind::Barrier,
        Kind::CaseStudy,
        Kind::Recommendation,
        Kind::CodeOfConduct,
        Kind::Page,
    ] {
        let rel = match kind {
            Kind::CodeOfConduct => "code-of-conduct.md".to_string(),
            Kind::Page => "about.md".to_string(),
            k => format!("{}/a.md", k.section().unwrap()),
        };
        let schema = schema::front_matter(kind, None);
        for key in KEYS.iter() {
            let front = if key.name == "title" {
                key.example.to_string()
            } else {
                format!("title: A\n{}", key.example)
            }
            // Example ids are the bundled guide's: use this site's.
            .replace("[funders, bme]", "[funders]");
            let props = &schema["properties"];
            if key.accepted_by(kind) {
                assert!(
                    props[key.name]["description"]
                        .as_str()
                        .is_some_and(|d| d.len() > 10),
                    "{}",
                    key.name
                );
                assert!(
                    props[key.name]["examples"][0] != Value::Null,
                    "{}",
                    key.name
                );
                assert!(build_accepts(&config, &rel, &front), "{rel}: {front}");
                assert!(schema_accepts(&config, &rel, &front), "{rel}: {front}");
            } else {
                assert!(props.get(key.name).is_none(), "{}", key.name);
                assert!(!build_accepts(&config, &rel, &front), "{rel}: {front}");
                assert!(!schema_accepts(&config, &rel, &front), "{rel}: {front}");
            }
        }
    }
}

fn site_accepts_both(text: &str) -> (bool, bool) {
    let build = Config::parse(text).is_ok();
    let schema = match toml::from_str::<toml::Table>(text) {
        Ok(t) => validator(&schema::site()).is_valid(&serde_json::to_value(t).unwrap()),
        Err(_) => false,
    };
    (build, schema)
}

#[test]
fn what_the_build_rejects_in_site_toml_the_schema_rejects_too() {
    let bad = [
        "description = \"no title\"",
        "title = \"\"",
        "title = \"  \"",
        "title = 3",
        "title = \"T\"\nlangauge = \"en\"",
        "title = \"T\"\nlanguage = \"english please\"",
        "title = \"T\"\nlanguage = \"\"",
        "title = \"T\"\nbase_url = \"javascript:alert(1)\"",
        "title = \"T\"\nbase_url = \"//evil.example/\"",
        "title = \"T\"\nbase_url = \"ftp://x.org/\"",
        "title = \"T\"\nbase_url = \"https://x.org/a b\"",
        "title = \"T\"\nbase_url = \"/a\\\"b\"",
        "title = \"T\"\ntheme = \"../x\"",
        "title = \"T\"\ntheme = \"\"",
        "title = \"T\"\nallow_raw_html = \"yes\"",
        "title = \"T\"\nreading_grade = 0",
        "title = \"T\"\nreading_grade = 21",
        "title = \"T\"\nreading_grade = \"nine\"",
        "title = \"T\"\n[[stakeholders]]\nid = \"Funders!\"\nname = \"F\"",
        "title = \"T\"\n[[stakeholders]]\nid = \"f\"",
        "title = \"T\"\n[[stakeholders]]\nid = \"f\"\nname = \" \"",
        "title = \"T\"\n[[stakeholders]]\nid = \"f\"\nname = \"F\"\ncolour = \"red\"",
        "title = \"T\"\n[[glossary]]\nterm = \"BME\"",
        "title = \"T\"\n[[glossary]]\nterm = \"\"\nexpansion = \"x\"",
        "title = \"T\"\n[[glossary]]\nterm = \"BME\"\nexpansion = \"\"",
    ];
    for text in bad {
        assert_eq!(site_accepts_both(text), (false, false), "{text}");
    }
    let good = [
        "title = \"T\"",
        "title = \"T\"\nbase_url = \"https://Example.org/guide/\"\nlanguage = \"cy\"",
        "title = \"T\"\nbase_url = \"guide\"\nreading_grade = 8.5\ntheme = \"my_theme-2\"",
        "title = \"T\"\nbase_url = \"/guide/\"\nlanguage = \"en-GB\"\nallow_raw_html = true",
        "title = \"T\"\n[[stakeholders]]\nid = \"faith-bodies\"\nname = \"Faith bodies\"\n[[glossary]]\nterm = \"CVS\"\nexpansion = \"Council for Voluntary Service\"",
    ];
    for text in good {
        assert_eq!(site_accepts_both(text), (true, true), "{text}");
    }
}

/// The settings serde knows (from its "expected one of" list) are exactly the table's.
fn serde_fields(text: &str) -> BTreeSet<String> {
    let message = toml::from_str::<Config>(text).unwrap_err().to_string();
    let list = message
        .split("expected one of ")
        .nth(1)
        .or_else(|| message.split("expected ").nth(1))
        .unwrap_or_else(|| panic!("{message}"));
    list.split(['`', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_setting_is_in_the_table() {
    let table = |s: &[fairguide::config::Setting]| -> BTreeSet<String> {
        s.iter().map(|s| s.name.to_string()).collect()
    };
    assert_eq!(serde_fields("title = \"T\"\nzzz = 1\n"), table(SETTINGS));
    assert_eq!(
        serde_fields("title = \"T\"\n[[stakeholders]]\nid = \"a\"\nname = \"A\"\nzzz = 1\n"),
        table(STAKEHOLDER_SETTINGS)
    );
    assert_eq!(
        serde_fields("title = \"T\"\n[[glossary]]\nterm = \"A\"\nexpansion = \"B\"\nzzz = 1\n"),
        table(GLOSSARY_SETTINGS)
    );
    assert_eq!(
        serde_fields("title = \"T\"\n[accessibility]\nzzz = 1\n"),
        table(ACCESSIBILITY_SETTINGS)
    );
}

#[test]
fn schema_command_writes_every_schema_with_the_sites_stakeholders() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fairguide"))
        .args(["schema", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = Kind::ALL.iter().map(|&k| schema::kind_file(k)).collect();
    expected.push(schema::SITE_FILE.to_string());
    expected.sort();
    assert_eq!(names, expected);
    let text = std::fs::read_to_string(dir.path().join("recommendation.schema.json")).unwrap();
    let s: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    let ids = &s["properties"]["stakeholders"]["anyOf"][1]["enum"];
    assert!(
        ids.as_array().unwrap().iter().any(|i| i == "funders"),
        "{ids}"
    );
    assert!(s["properties"]["number"]["description"]
        .as_str()
        .unwrap()
        .contains("number"));
}

#[test]
fn the_front_matter_reference_names_every_key_setting_and_kind() {
    let doc = std::fs::read_to_string(repo().join("docs/FRONT-MATTER.md")).unwrap();
    for key in KEYS {
        assert!(
            doc.contains(&format!("`{}`", key.name)),
            "docs lack key {}",
            key.name
        );
    }
    for (name, _, _) in fairguide::content::keys::SOURCE_FIELDS
        .iter()
        .chain(fairguide::content::keys::ORGANISATION_FIELDS)
        .chain(fairguide::content::keys::COMMITMENT_FIELDS)
        .chain(fairguide::content::keys::CHANGE_FIELDS)
    {
        assert!(
            doc.contains(&format!("`{name}`"))
                || doc.contains(&format!("{name},"))
                || doc.contains(&format!(", {name}}}")),
            "docs lack field {name}"
        );
    }
    let toml_part =
        &doc[doc.find("## site.toml").unwrap()..doc.find("## Fields every page").unwrap()];
    for s in SETTINGS
        .iter()
        .chain(STAKEHOLDER_SETTINGS)
        .chain(GLOSSARY_SETTINGS)
        .chain(ACCESSIBILITY_SETTINGS)
    {
        assert!(
            toml_part.contains(&format!("\n{} = ", s.name))
                || toml_part.contains(&format!("[[{}]]", s.name))
                || toml_part.contains(&format!("\n[{}]", s.name)),
            "docs lack setting {}",
            s.name
        );
    }
    for kind in Kind::ALL {
        if let Some(section) = kind.section() {
            assert!(
                doc.contains(&format!("content/{section}/")),
                "docs lack {section}"
            );
        }
    }
}

#[test]
fn new_offers_every_kind_that_has_a_folder() {
    let kinds: Vec<Kind> = fairguide::scaffold::new_kinds().collect();
    for kind in Kind::ALL {
        if kind.section().is_some() || kind == Kind::Page {
            assert!(kinds.contains(&kind), "{kind:?}");
        }
    }
    let help = fairguide::scaffold::new_kinds_help();
    assert_eq!(
        help,
        "The kind of page: case-study, principle, recommendation, barrier, tool, page."
    );
}
