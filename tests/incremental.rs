//! serve = build: long seeded random sequences of edits of every kind, and
//! after each one every output file of the incremental state compared, byte
//! for byte, with what `fairguide build` writes for the same files.
//!
//! FAIRGUIDE_EDITS (default 200) sets how many edits, FAIRGUIDE_SEED (default
//! 1) the sequence; a failure prints both and the edits so far.

use fairguide::incremental::{Bytes, Incremental};
use fairguide::{build, BuildOptions};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn subset<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        items.iter().filter(|_| self.chance(40)).cloned().collect()
    }
}

/// The site's text files, by root-relative path: the model the edits change.
type Files = BTreeMap<String, String>;

const WORDS: &[&str] = &[
    "alpha", "Bravo", "charlie", "Delta", "echo", "foxtrot", "Golf", "hotel", "india", "Juliet",
    "kilo", "Lima", "mike", "November", "oscar", "Papa", "quebec", "Romeo", "sierra", "tango",
];

fn read_site(root: &Path) -> Files {
    let mut files = Files::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            files.insert(rel, text);
        }
    }
    files
}

/// Writes `to` over the site that holds `from`; returns the paths that changed.
fn write_site(root: &Path, from: &Files, to: &Files) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (path, text) in to {
        if from.get(path) != Some(text) {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, text).unwrap();
            changed.push(PathBuf::from(path));
        }
    }
    for path in from.keys() {
        if !to.contains_key(path) {
            std::fs::remove_file(root.join(path)).unwrap();
            changed.push(PathBuf::from(path));
        }
    }
    changed
}

/// What kind of page a content file is, by its path (as `content::place` decides).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Home,
    Section,
    Principle,
    Barrier,
    CaseStudy,
    Recommendation,
    CodeOfConduct,
    Page,
    Tool,
}

fn kind_of(path: &str) -> Option<Kind> {
    let rel = path.strip_prefix("content/")?.strip_suffix(".md")?;
    let parts: Vec<&str> = rel.split('/').collect();
    Some(match (parts.as_slice(), parts.last()) {
        (["_index"], _) => Kind::Home,
        (_, Some(&"_index")) => Kind::Section,
        (["code-of-conduct"], _) => Kind::CodeOfConduct,
        (["principles", ..], _) => Kind::Principle,
        (["barriers", ..], _) => Kind::Barrier,
        (["case-studies", ..], _) => Kind::CaseStudy,
        (["recommendations", ..], _) => Kind::Recommendation,
        (["tools", ..], _) => Kind::Tool,
        _ => Kind::Page,
    })
}

/// The front matter keys beyond the common ones that a kind accepts and these edits set.
fn list_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Principle => &["barriers", "case_studies", "stakeholders"],
        Kind::Barrier => &["principles", "case_studies", "stakeholders"],
        Kind::CaseStudy => &["principles", "barriers", "stakeholders", "themes"],
        Kind::Recommendation => &["stakeholders", "principles", "barriers", "case_studies"],
        Kind::CodeOfConduct => &["principles"],
        Kind::Tool => &["stakeholders"],
        _ => &[],
    }
}

fn split(text: &str) -> (Vec<String>, String) {
    let rest = text.strip_prefix("---\n").unwrap_or(text);
    match rest.find("\n---\n") {
        Some(end) => (
            rest[..end].lines().map(str::to_string).collect(),
            rest[end + 5..].to_string(),
        ),
        None => (vec![], text.to_string()),
    }
}

fn join(front: &[String], body: &str) -> String {
    format!("---\n{}\n---\n{body}", front.join("\n"))
}

/// Sets (or with None removes) a key of a Markdown file's front matter.
fn set_key(text: &str, key: &str, value: Option<&str>) -> String {
    let (front, body) = split(text);
    let mut out: Vec<String> = Vec::new();
    let mut skipping = false;
    for line in front {
        if line.starts_with(&format!("{key}:")) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.starts_with('-')) {
            continue;
        }
        skipping = false;
        out.push(line);
    }
    if let Some(v) = value {
        out.push(format!("{key}: {v}"));
    }
    join(&out, &body)
}

fn get_key(text: &str, key: &str) -> Option<String> {
    split(text).0.iter().find_map(|l| {
        l.strip_prefix(&format!("{key}:"))
            .map(|v| v.trim().to_string())
    })
}

struct Editor {
    rng: Rng,
    counter: usize,
}

impl Editor {
    fn word(&mut self) -> String {
        self.counter += 1;
        format!("{} {}", self.rng.pick(WORDS), self.counter)
    }

    fn slugs(files: &Files, folder: &str) -> Vec<String> {
        files
            .keys()
            .filter_map(|p| p.strip_prefix(&format!("content/{folder}/")))
            .filter_map(|p| p.strip_suffix(".md"))
            .filter(|s| *s != "_index" && !s.contains('/'))
            .map(str::to_string)
            .collect()
    }

    fn pages(files: &Files) -> Vec<String> {
        files
            .keys()
            .filter(|p| kind_of(p).is_some())
            .cloned()
            .collect()
    }

    fn body(&mut self, files: &Files) -> String {
        let mut body = format!("{} is the first paragraph.\n", self.word());
        if self.rng.chance(40) {
            let _ = write!(
                body,
                "\n## {}\n\nMore text about BME groups.\n",
                self.word()
            );
        }
        if self.rng.chance(30) {
            let pages = Self::pages(files);
            let target = self.rng.pick(&pages);
            let target = target.strip_prefix("content").unwrap();
            let _ = write!(body, "\nSee [that page]({target}).\n");
        }
        body
    }

    /// An edit of the `organisations` collection's data file, or of a case
    /// study's `organisations` ids naming its records.
    fn collection_edit(&mut self, files: &mut Files, page: &str, kind: Kind) -> String {
        let ids = ["bteg", "camden-cvs", "leeds-forum"];
        if kind == Kind::CaseStudy && self.rng.chance(50) {
            let text = files[page].clone();
            let mut chosen = self.rng.subset(&ids);
            if self.rng.chance(10) {
                chosen.push("no-such-org");
            }
            let list = chosen
                .iter()
                .map(|id| format!("{{id: {id}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            files.insert(
                page.to_string(),
                set_key(&text, "organisations", Some(&format!("[{list}]"))),
            );
            return format!("organisations ids {page}");
        }
        let pages: Vec<String> = Self::pages(files)
            .iter()
            .filter_map(|p| {
                p.strip_prefix("content/")?
                    .strip_suffix(".md")
                    .map(str::to_string)
            })
            .filter(|p| !p.ends_with("_index"))
            .collect();
        let mut yaml = String::new();
        for id in ids {
            if id != "bteg" && self.rng.chance(20) {
                continue;
            }
            let linked = self.rng.subset(&pages);
            // Stakeholder pages list the records tagged with them.
            let stakeholders = self.rng.subset(&["bme", "funders"]);
            let _ = write!(
                yaml,
                "- id: {id}\n  name: \"{}\"\n  type: {}\n  stakeholders: [{}]\n  pages: [{}]\n",
                self.word(),
                self.rng.pick(&["Funder", "Infrastructure body"]),
                stakeholders.join(", "),
                linked.join(", ")
            );
        }
        if self.rng.chance(8) {
            yaml.push_str("- id: broken\n  nmae: typo\n");
        }
        files.insert("data/organisations.yaml".into(), yaml);
        "data/organisations.yaml".into()
    }

    /// One random edit of `files`; returns its description.
    fn edit(&mut self, files: &mut Files) -> String {
        let pages = Self::pages(files);
        let page = self.rng.pick(&pages).clone();
        let kind = kind_of(&page).unwrap();
        let text = files[&page].clone();
        let roll = self.rng.below(100);
        let (what, new) = match roll {
            0..=17 => {
                let (front, _) = split(&text);
                ("body", join(&front, &self.body(files)))
            }
            18..=31 => {
                let title = format!("\"{}\"", self.word());
                ("title", set_key(&text, "title", Some(&title)))
            }
            32..=35 => {
                let summary = self.rng.chance(70).then(|| self.word());
                ("summary", set_key(&text, "summary", summary.as_deref()))
            }
            36..=38 => {
                // `updated` (sometimes not a date: a broken save), or `changes`.
                if self.rng.chance(70) {
                    let date = match self.rng.below(10) {
                        0..=2 => None,
                        3 => Some("2012-13-45".to_string()),
                        n => Some(format!("20{}-0{}-1{}", 10 + n, 1 + self.rng.below(9), n)),
                    };
                    ("updated", set_key(&text, "updated", date.as_deref()))
                } else {
                    let changes = self.rng.chance(70).then(|| {
                        format!(
                            "[{{date: 2019-0{}-01, note: \"{}\"}}]",
                            1 + self.rng.below(9),
                            self.word()
                        )
                    });
                    ("changes", set_key(&text, "changes", changes.as_deref()))
                }
            }
            39..=52 if kind == Kind::Tool && self.rng.chance(70) => {
                // The slugs a worksheet's first group names (its own lines).
                let (key, folder) = *self.rng.pick(&[
                    ("principles", "principles"),
                    ("recommendations", "recommendations"),
                ]);
                let values = self.rng.subset(&Self::slugs(files, folder));
                let line = format!("    {key}: [{}]", values.join(", "));
                let new = if text.contains(&format!("\n    {key}:")) {
                    replace_line(&text, &format!("    {key}:"), &line)
                } else {
                    text.replacen("    questions:", &format!("{line}\n    questions:"), 1)
                };
                ("worksheet references", new)
            }
            39..=52 if !list_keys(kind).is_empty() => {
                let key = *self.rng.pick(list_keys(kind));
                let values = match key {
                    "stakeholders" => self.rng.subset(&["bme".to_string(), "funders".to_string()]),
                    "themes" => self
                        .rng
                        .subset(&["representation".into(), "funding".into()]),
                    "principles" => self.rng.subset(&Self::slugs(files, "principles")),
                    "barriers" => self.rng.subset(&Self::slugs(files, "barriers")),
                    _ => self.rng.subset(&Self::slugs(files, "case-studies")),
                };
                let list = format!("[{}]", values.join(", "));
                ("references", set_key(&text, key, Some(&list)))
            }
            53..=56 => return self.collection_edit(files, &page, kind),
            57..=58 => {
                if (kind == Kind::Recommendation || kind == Kind::Principle) && self.rng.chance(50)
                {
                    // Numbers stay unique: a clash is a broken save of its own kind.
                    self.counter += 1;
                    let n = (100 + self.counter).to_string();
                    ("number", set_key(&text, "number", Some(&n)))
                } else {
                    let w = self.rng.chance(70).then(|| self.rng.below(5).to_string());
                    ("weight", set_key(&text, "weight", w.as_deref()))
                }
            }
            59..=64 => {
                // A section's landing page or a folder of plain pages' _index.md.
                let index = self
                    .rng
                    .pick(&[
                        "content/principles/_index.md",
                        "content/recommendations/_index.md",
                        "content/guides/_index.md",
                        // A collection's listing: its title is in the menu
                        // and on the stakeholder pages.
                        "content/organisations/_index.md",
                    ])
                    .to_string();
                let text = files
                    .get(&index)
                    .cloned()
                    .unwrap_or_else(|| "---\ntitle: Back\n---\n".to_string());
                let new = if self.rng.chance(60) {
                    set_key(&text, "title", Some(&format!("\"{}\"", self.word())))
                } else if self.rng.chance(50) {
                    set_key(&text, "summary", Some(&self.word()))
                } else {
                    join(&split(&text).0, &self.body(files))
                };
                files.insert(index.clone(), new);
                return format!("section index {index}");
            }
            65..=69 => {
                let plain: Vec<String> = pages
                    .iter()
                    .filter(|p| kind_of(p) == Some(Kind::Page))
                    .cloned()
                    .collect();
                let page = self.rng.pick(&plain).clone();
                let text = files[&page].clone();
                let on = get_key(&text, "nav").as_deref() == Some("true");
                let new = set_key(&text, "nav", (!on).then_some("true"));
                files.insert(page.clone(), new);
                return format!("nav toggle {page}");
            }
            70..=74 => {
                let toml = files["site.toml"].clone();
                let new = match self.rng.below(4) {
                    0 => replace_line(&toml, "title = ", &format!("title = \"{}\"", self.word())),
                    1 => replace_line(
                        &toml,
                        "expansion = ",
                        &format!("expansion = \"{}\"", self.word()),
                    ),
                    2 => replace_line(
                        &toml,
                        "name = \"Funders",
                        &format!("name = \"Funders {}\"", self.word()),
                    ),
                    _ => replace_line(
                        &toml,
                        "description = \"Grant",
                        &format!("description = \"Grant-makers {}\"", self.word()),
                    ),
                };
                files.insert("site.toml".into(), new);
                return "site.toml".into();
            }
            75..=79 => {
                let path = "templates/page.html".to_string();
                if files.contains_key(&path) && self.rng.chance(25) {
                    files.remove(&path);
                    return "template override removed".into();
                }
                let marker = self.word();
                files.insert(path, page_template(&marker));
                return format!("template override {marker}");
            }
            80..=85 => {
                let (folder, kind_name) = *self.rng.pick(&[
                    ("case-studies", "case study"),
                    ("principles", "principle"),
                    ("guides", "plain page"),
                    ("barriers", "barrier"),
                    ("tools", "tool"),
                ]);
                self.counter += 1;
                let path = format!("content/{folder}/new-{}.md", self.counter);
                let mut text =
                    format!("---\ntitle: \"{}\"\n---\n{}", self.word(), self.body(files));
                if folder == "case-studies" {
                    let principles = self.rng.subset(&Self::slugs(files, "principles"));
                    text = set_key(
                        &text,
                        "principles",
                        Some(&format!("[{}]", principles.join(", "))),
                    );
                    text = set_key(&text, "stakeholders", Some("[bme]"));
                }
                if folder == "tools" {
                    let principles = self.rng.subset(&Self::slugs(files, "principles"));
                    let worksheet = format!(
                        "groups:\n  - title: Power\n    principles: [{}]\n    questions:\n      - text: Who decides?\n",
                        principles.join(", ")
                    );
                    text = text.replacen("\n---\n", &format!("\n{worksheet}---\n"), 1);
                }
                files.insert(path.clone(), text);
                return format!("new {kind_name} {path}");
            }
            86..=88 => {
                if matches!(kind, Kind::Home | Kind::Section) {
                    return "nothing (no rename of an _index.md)".into();
                }
                self.counter += 1;
                let dir = &page[..page.rfind('/').unwrap()];
                let to = format!("{dir}/renamed-{}.md", self.counter);
                files.remove(&page);
                files.insert(to.clone(), text);
                return format!("rename {page} -> {to}");
            }
            89..=91 => {
                files.remove(&page);
                return format!("delete {page}");
            }
            92..=95 => {
                let (what, new) = match self.rng.below(5) {
                    0 => (
                        "invalid YAML",
                        text.replacen("title:", "title: \"unterminated\n", 1),
                    ),
                    1 if !list_keys(kind).is_empty() && kind != Kind::CodeOfConduct => (
                        "unknown slug",
                        set_key(&text, list_keys(kind)[0], Some("[no-such-page]")),
                    ),
                    2 => (
                        "link to a missing page",
                        format!("{text}\n[gone](/nowhere.md)\n"),
                    ),
                    3 => {
                        files.insert("templates/page.html".into(), "{% block oops %}".into());
                        return "broken template".into();
                    }
                    _ => ("missing title", set_key(&text, "title", None)),
                };
                files.insert(page.clone(), new);
                return format!("broken save ({what}) {page}");
            }
            96..=97 => {
                // Two pages saved at once.
                let other = self.rng.pick(&pages).clone();
                let (front, _) = split(&files[&other]);
                let body = self.body(files);
                files.insert(other.clone(), join(&front, &body));
                let (front, _) = split(&text);
                ("body (two files)", join(&front, &self.body(files)))
            }
            98 => {
                // A draft leaves the site, and comes back when published.
                let on = get_key(&text, "draft").as_deref() == Some("true");
                (
                    "draft toggle",
                    set_key(&text, "draft", (!on).then_some("true")),
                )
            }
            _ => {
                let path = "static/extra.css".to_string();
                files.insert(path, format!("/* {} */\n", self.word()));
                return "static file".into();
            }
        };
        files.insert(page.clone(), new);
        format!("{what} {page}")
    }
}

fn replace_line(text: &str, prefix: &str, with: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                with.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn page_template(marker: &str) -> String {
    let default = include_str!("../themes/default/templates/page.html");
    default.replace(
        "<h1>{{ page.title }}</h1>",
        &format!("<h1>{{{{ page.title }}}}</h1>\n<p class=\"override\">{marker}</p>"),
    )
}

/// every-kind, plus a folder of plain pages with an `_index.md`, more pages
/// of each kind, and a template override.
fn setup(root: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-kind");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let to = root.join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let add = |path: &str, text: &str| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    add(
        "content/guides/_index.md",
        "---\ntitle: Guides\nsummary: How-to guides.\n---\nGuides for partners.\n",
    );
    add(
        "content/recommendations/_index.md",
        "---\ntitle: Recommendations\nsummary: What to do.\n---\nWhat each partner can do.\n",
    );
    add(
        "content/guides/first-steps.md",
        "---\ntitle: First steps\nnav: true\n---\nStart here. Back to [guides](_index.md).\n",
    );
    add(
        "content/guides/funding.md",
        "---\ntitle: Funding\n---\nHow BME groups are funded.\n",
    );
    add("content/principles/shared-power.md", "---\ntitle: Shared power\nnumber: 2\nbarriers: [trust-and-control]\nstakeholders: [funders]\n---\nPower is shared.\n");
    add(
        "content/barriers/short-funding.md",
        "---\ntitle: Short funding\nprinciples: [shared-power]\n---\nGrants are short.\n",
    );
    add("content/case-studies/leeds.md", "---\ntitle: Leeds\ndate: 2010-05-01\norganisations: [{id: bteg}]\nprinciples: [shared-power, equal-partners]\nstakeholders: [funders]\nthemes: [funding]\n---\nA Leeds partnership.\n");
    add("content/recommendations/share-data.md", "---\ntitle: Share data\nnumber: 3\nstakeholders: [bme]\nprinciples: [shared-power]\ncase_studies: [leeds]\n---\n");
    add("content/tools/check-in.md", "---\ntitle: Check-in\nstakeholders: [funders]\ngroups:\n  - title: Sharing\n    principles: [shared-power]\n    recommendations: [share-data]\n    questions:\n      - text: Do we share data?\n        type: yes-no\n        principles: [equal-partners]\n---\nA short check-in.\n");
    add("templates/page.html", &page_template("first"));
    // A collection named by case studies' `organisations` ids (issue 14).
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    add("site.toml", &format!("{toml}\n[[collections]]\nname = \"organisations\"\nrecord_pages = true\n\n[[collections.fields]]\nname = \"name\"\nrequired = true\n\n[[collections.fields]]\nname = \"type\"\ntype = \"choice\"\nvalues = [\"Funder\", \"Infrastructure body\"]\nfilter = true\n\n[[collections.fields]]\nname = \"stakeholders\"\ntype = \"stakeholders\"\n\n[[collections.fields]]\nname = \"pages\"\ntype = \"pages\"\n"));
    add("data/organisations.yaml", "- id: bteg\n  name: BTEG\n  type: Funder\n  stakeholders: [funders]\n  pages: [principles/shared-power]\n- id: camden-cvs\n  name: Camden CVS\n  type: Infrastructure body\n");
    add(
        "content/organisations/_index.md",
        "---\ntitle: Organisations\n---\nThe organisations the sources name.\n",
    );
    // A git repository, when git is installed, so pages show the date of
    // their last commit: serve must keep the dates build reads.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "2021-06-15T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2021-06-15T12:00:00Z")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let _ = git(&["init", "-q"])
        && git(&["add", "-A"])
        && git(&["commit", "-q", "--no-gpg-sign", "-m", "fixture"]);
}

/// Takes away /print/ and the accessibility statement, the outputs that read
/// every page's body: build then lets go of each page's file text once its
/// Markdown is rendered, and of its HTML once its page is made, which the
/// full builds compared against must not show.
fn make_lean(root: &Path) {
    let path = root.join("site.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let (before, after) = toml
        .split_once("[accessibility]")
        .expect("the fixture has one");
    let rest = &after[after.find("\n[").expect("a table after it")..];
    std::fs::write(&path, format!("print = false\n{before}{rest}")).unwrap();
    // Build renders pages 512 outputs at a time and lets go of a chunk's
    // pages when it is done: enough pages, last in order, that the lists
    // come in a later chunk than the pages they show.
    let more = root.join("content/zz-more");
    std::fs::create_dir_all(&more).unwrap();
    for n in 0..520 {
        std::fs::write(
            more.join(format!("note-{n:03}.md")),
            format!("---\ntitle: Note {n}\n---\nA short note, number {n}.\n"),
        )
        .unwrap();
    }
}

/// What `fairguide build` writes for the site, without the search index.
fn full_build(root: &Path, out: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut opts = BuildOptions::new(root);
    opts.output = out.to_path_buf();
    opts.search = false;
    build(&opts).map_err(|d| d.render(false))?;
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        // The write stage's record of what it wrote is not part of the site.
        if entry.file_type().is_file() && entry.file_name() != ".fairguide-manifest" {
            let rel = entry.path().strip_prefix(out).unwrap();
            files.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    Ok(files)
}

/// The first difference between two sets of files, described.
fn first_difference(
    label: &str,
    got: &HashMap<String, Bytes>,
    want: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let paths: BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    for path in paths {
        match (got.get(path), want.get(path)) {
            (Some(g), Some(w)) if g.as_ref() == w.as_slice() => {}
            (Some(g), Some(w)) => {
                let (g, w) = (String::from_utf8_lossy(g), String::from_utf8_lossy(w));
                let line = g
                    .lines()
                    .zip(w.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(g.lines().count().min(w.lines().count()));
                return Some(format!(
                    "{label}: {path} differs at line {}:\n  incremental: {:?}\n  build:       {:?}",
                    line + 1,
                    g.lines().nth(line).unwrap_or(""),
                    w.lines().nth(line).unwrap_or("")
                ));
            }
            (Some(_), None) => return Some(format!("{label}: {path} is not in the build")),
            (None, _) => return Some(format!("{label}: {path} is missing")),
        }
    }
    None
}

/// Applies `edits` random edits from `seed`; panics at the first mismatch.
fn run(seed: u64, edits: usize, lean: bool) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    setup(&root);
    if lean {
        make_lean(&root);
    }
    let mut model = read_site(&root);
    let mut good = model.clone();
    let mut inc = Incremental::new(&root, None);
    let mut mirror: HashMap<String, Bytes> = HashMap::new();
    let first = inc.rebuild_all().expect("the fixture builds");
    mirror.extend(first.changed);
    let mut editor = Editor {
        rng: Rng(seed),
        counter: 0,
    };
    let mut log: Vec<String> = Vec::new();
    let (mut failed_builds, mut incremental_updates) = (0, 0);
    let mut broken = false;
    for n in 0..edits {
        let mut next = model.clone();
        let what = if broken && editor.rng.chance(60) {
            next = good.clone();
            "fix: back to the last good files".to_string()
        } else {
            editor.edit(&mut next)
        };
        let changed = write_site(&root, &model, &next);
        model = next;
        log.push(format!("{n}: {what} ({} file(s))", changed.len()));
        let context = || format!("seed {seed}, edit {n}; edits so far:\n{}", log.join("\n"));
        let result = inc.apply(&changed);
        let want = full_build(&root, &out);
        match (result, want) {
            (Ok(update), Ok(want)) => {
                incremental_updates += usize::from(!update.full);
                for (path, bytes) in update.changed {
                    mirror.insert(path, bytes);
                }
                for path in update.removed {
                    mirror.remove(&path);
                }
                if let Some(diff) = first_difference("incremental state", inc.files(), &want)
                    .or_else(|| first_difference("files served (updates applied)", &mirror, &want))
                {
                    panic!("{diff}\n{}", context());
                }
                // The lists as a fresh link orders them, including those no
                // output shows (an edit may only move a page within them).
                let mut fresh = Incremental::new(&root, None);
                fresh.rebuild_all().expect("built above");
                let (kept, linked) = (inc.site().unwrap(), fresh.site().unwrap());
                assert_eq!(kept.related, linked.related, "related lists\n{}", context());
                assert_eq!(kept.sections, linked.sections, "sections\n{}", context());
                assert_eq!(
                    kept.by_stakeholder,
                    linked.by_stakeholder,
                    "stakeholder lists\n{}",
                    context()
                );
                assert_eq!(kept.mentions, linked.mentions, "mentions\n{}", context());
                good = model.clone();
                broken = false;
            }
            (Err(_), Err(_)) => {
                failed_builds += 1;
                broken = true;
            }
            (Ok(_), Err(e)) => panic!(
                "build failed but the incremental update did not:\n{e}\n{}",
                context()
            ),
            (Err(e), Ok(_)) => panic!(
                "the incremental update failed but build did not:\n{}\n{}",
                e.render(false),
                context()
            ),
        }
    }
    (failed_builds, incremental_updates)
}

#[test]
fn every_edit_leaves_the_incremental_site_equal_to_a_full_build() {
    let edits: usize = std::env::var("FAIRGUIDE_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("FAIRGUIDE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let (failed, incremental) = run(seed, edits, false);
    eprintln!(
        "seed {seed}: {edits} edits, {incremental} applied incrementally, {failed} broken saves, 0 mismatches"
    );
    // The sequence exercises both paths: re-rendering what changed, and failing like build.
    assert!(
        incremental > edits / 3,
        "only {incremental} incremental updates"
    );
    assert!(failed > 0, "no broken save in {edits} edits");
}

/// The same on a site without /print/ or an accessibility statement, whose
/// build holds no page's text or HTML longer than it needs them.
#[test]
fn edits_to_a_site_that_keeps_no_page_bodies_match_a_full_build() {
    let (failed, incremental) = run(2, 60, true);
    assert!(incremental > 20, "only {incremental} incremental updates");
    assert!(failed > 0, "no broken save in 60 edits");
}

/// A translated site (tests/fixtures/translations): editing a translation,
/// an original, adding a translation and removing one leaves `serve`'s files
/// equal to a full build (each edit to such a site rebuilds every language).
#[test]
fn edits_to_translations_and_originals_match_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translations");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let to = root.join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let mut inc = Incremental::new(&root, None);
    let mut mirror: HashMap<String, Bytes> = HashMap::new();
    mirror.extend(inc.rebuild_all().expect("the fixture builds").changed);
    let trust_cy = "content/principles/trust.cy.md";
    let trust = "content/principles/trust.md";
    let about_cy = "content/about.cy.md";
    let edits: Vec<(&str, Option<String>)> = vec![
        (
            trust_cy,
            Some(
                std::fs::read_to_string(root.join(trust_cy))
                    .unwrap()
                    .replace("title: Ymddiriedaeth", "title: Ymddiried"),
            ),
        ),
        (
            trust,
            Some(
                std::fs::read_to_string(root.join(trust))
                    .unwrap()
                    .replace("Trust takes time.", "Trust takes a long time."),
            ),
        ),
        (
            about_cy,
            Some("---\ntitle: Amdanom\n---\nMae'r dudalen hon yn sôn am y canllaw.\n".into()),
        ),
        (about_cy, None),
        // A table, whose name for screen readers is the theme's words.
        (
            trust_cy,
            Some(
                std::fs::read_to_string(root.join(trust_cy))
                    .unwrap()
                    .replace("title: Ymddiriedaeth", "title: Ymddiried")
                    + "\n| Blwyddyn | Grant |\n| --- | --- |\n| 2020 | 5 |\n",
            ),
        ),
        // The theme's Welsh words (the table's name among them), and the
        // Welsh stakeholder names.
        (
            "strings/cy.toml",
            Some(
                std::fs::read_to_string(root.join("strings/cy.toml"))
                    .unwrap()
                    .replace(
                        "kind_principle = \"Egwyddor\"",
                        "kind_principle = \"Yr egwyddor\"\ntable_scrolls = \"Tabl\"",
                    ),
            ),
        ),
        (
            "site.toml",
            Some(
                std::fs::read_to_string(root.join("site.toml"))
                    .unwrap()
                    .replace("name = \"Cyllidwyr\"", "name = \"Arianwyr\""),
            ),
        ),
    ];
    for (n, (path, text)) in edits.into_iter().enumerate() {
        match &text {
            Some(t) => std::fs::write(root.join(path), t).unwrap(),
            None => std::fs::remove_file(root.join(path)).unwrap(),
        }
        let update = inc.apply(&[root.join(path)]).expect("the edit builds");
        for (p, bytes) in update.changed {
            mirror.insert(p, bytes);
        }
        for p in update.removed {
            mirror.remove(&p);
        }
        let want = full_build(&root, &out).expect("the site builds");
        if let Some(diff) = first_difference("incremental state", inc.files(), &want)
            .or_else(|| first_difference("files served", &mirror, &want))
        {
            panic!("edit {n} ({path}): {diff}");
        }
    }
    // The last edits showed and then removed a Welsh about page.
    assert!(
        String::from_utf8_lossy(&mirror["cy/about/index.html"]).contains("class=\"untranslated\"")
    );
    assert!(
        String::from_utf8_lossy(&mirror["cy/principles/trust/index.html"])
            .contains("<h1>Ymddiried</h1>")
    );
    let trust = String::from_utf8_lossy(&mirror["cy/principles/trust/index.html"]).into_owned();
    assert!(
        trust.contains("<p class=\"kind\">Yr egwyddor 1</p>"),
        "{trust}"
    );
    assert!(trust.contains("aria-label=\"Tabl\""), "{trust}");
    assert!(trust.contains(">Arianwyr</a>"), "{trust}");
}
