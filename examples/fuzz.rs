//! A fuzzer on stable Rust: mutates the fixture sites (and the bundled guide)
//! and runs load, link, render and index in-process on each mutant, catching
//! panics and timing every input.
//!
//! ```text
//! cargo run --release --example fuzz -- [--minutes 10] [--seed N] [--out DIR] [--slow SECS]
//! cargo run --release --example fuzz -- --grow     # times 10 KB, 100 KB, 1 MB pathological pages
//! ```
//!
//! Every input that panicked or took longer than `--slow` (1 s) is saved, as
//! the whole mutated site folder, under `--out` (default `target/fuzz-findings/`),
//! with a `FINDING.txt` saying what happened. Build it with
//! `fairguide build --root <that folder>` to reproduce. The same seed always
//! makes the same inputs.

use fairguide::kind::Kind;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Site = BTreeMap<String, Vec<u8>>;

/// Where the last panic happened and what it said (the hook is global).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Stops waiting for one input after this long; it is saved as a hang.
const HANG: Duration = Duration::from_secs(60);

struct Args {
    minutes: f64,
    seed: u64,
    out: PathBuf,
    slow: Duration,
    grow: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        minutes: 10.0,
        seed: 1,
        out: PathBuf::from("target/fuzz-findings"),
        slow: Duration::from_secs(1),
        grow: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--minutes" => {
                args.minutes = value("--minutes")
                    .parse()
                    .unwrap_or_else(|_| die("--minutes takes a number, e.g. 0.5"))
            }
            "--seed" => {
                args.seed = value("--seed")
                    .parse()
                    .unwrap_or_else(|_| die("--seed takes a whole number"))
            }
            "--out" => args.out = PathBuf::from(value("--out")),
            "--slow" => {
                args.slow = Duration::from_secs_f64(
                    value("--slow")
                        .parse()
                        .unwrap_or_else(|_| die("--slow takes seconds, e.g. 1")),
                )
            }
            "--grow" => args.grow = true,
            "-h" | "--help" => {
                println!("usage: fuzz [--minutes M] [--seed N] [--out DIR] [--slow SECS] | --grow");
                std::process::exit(0);
            }
            other => die(&format!("unknown argument `{other}`")),
        }
    }
    args
}

fn die(message: &str) -> ! {
    eprintln!("fuzz: {message}");
    std::process::exit(2)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a site that fairguide reads.
fn read_site(root: &Path) -> Site {
    let mut site = Site::new();
    if let Ok(b) = fs::read(root.join("site.toml")) {
        site.insert("site.toml".into(), b);
    }
    for dir in ["content", "templates", "static", "data"] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy();
            if let Ok(b) = fs::read(e.path()) {
                site.insert(rel.replace('\\', "/"), b);
            }
        }
    }
    site
}

fn base_sites() -> Vec<(String, Site)> {
    let mut sites = Vec::new();
    let fixtures = repo().join("tests/fixtures");
    let mut names: Vec<_> = fs::read_dir(&fixtures)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        if p.join("site.toml").is_file() {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            sites.push((name, read_site(&p)));
        }
    }
    sites.push(("bundled".into(), read_site(&repo())));
    sites
}

fn write_site(site: &Site, root: &Path) {
    let _ = fs::remove_dir_all(root);
    for (rel, bytes) in site {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            let _ = fs::create_dir_all(d);
        }
        let _ = fs::write(p, bytes);
    }
    let _ = fs::create_dir_all(root.join("content"));
}

// ---------------------------------------------------------------- mutation

const ODD: &[&str] = &[
    "\u{202E}",
    "\u{202B}",
    "\u{200F}",
    "\u{061C}",
    "مرحبا",
    "שלום", // right to left
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{2060}", // zero width
    "\u{0301}",
    "\u{0301}\u{0302}\u{0303}\u{0304}",
    "e\u{0301}",
    "Z\u{0334}\u{0335}\u{0336}", // combining
    "👩🏾‍🤝‍👩🏻",
    "🇬🇧",
    "\u{10FFFF}",
    "\u{FFFD}",
    "\0",
    "\r",
    "\r\n",
    "\t",
    "\u{85}",
    "\u{2028}",
    "ß",
    "İ",
    "ǅ",
    "ﬃ",
    "𝔘",
    "\\",
    "\"",
    "'",
    "`",
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "%",
    "#",
    ":",
    ": ",
    "- ",
    "---",
    "\n---\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "|",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
];

const MARKDOWN: &[&str] = &[
    "*",
    "_",
    "**",
    "__",
    "~~",
    "[",
    "](",
    "[a](",
    "![",
    "<",
    "`",
    "```",
    "> ",
    "- ",
    "1. ",
    "# ",
    "| a | b |\n|---|---|\n",
    "[^1]",
    "[^1]: x\n",
    "\\",
    "<!--",
    "-->",
    "&#x6A;",
];

const LINKS: &[&str] = &[
    "[x](javascript:alert(1))",
    "[x]( JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)\n",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "[x](missing.md)",
    "[x](../../../../etc/passwd.md)",
    "[x](/principles/nowhere.md#a)",
    "[x](#no-such-anchor)",
    "![](kitchen.jpg)",
    "[![](badge.svg)](https://example.org)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "https://example.org/raw-url",
];

const YAML_VALUES: &[&str] = &[
    "",
    "~",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "-1",
    "99999999999999999999",
    "1.5",
    "yes",
    "\"\"",
    "'",
    "\"unclosed",
    "&a x",
    "*a",
    "!!binary aGk=",
    "|",
    ">",
    "2012-13-45",
    "2012-02-30",
    "yesterday",
    "2012-01-0é",
    "2012-01-1\u{301}",
    "\u{3000}\u{3000}x",
    "２０１２-01-01",
    "2012-0é-01",
    "20ü2",
    "é",
    "2012-01-01T25:00",
    "[[[[[[[[",
    "{{{{{",
    "\"javascript:alert(1)\"",
    "[funders, funders, nobody]",
    "- x",
    "NCVO KnowHow",
    "{title: x, url: \"javascript:alert(1)\", year: twenty-twelve}",
    "[{title: é, url: \" JaVaScRiPt:x\", year: \"２０１２\"}, {title: \"\"}]",
    "{title: [a, b], url: {x: 1}, year: 99999999999}",
    "\u{202E}\u{200B}x\u{0301}",
    "[{stakeholder: funders, text: x}, {stakeholder: nobody, text: \"\"}]",
    "[{stakeholder: [a], text: {b: c}}]",
];

const TOML_VALUES: &[&str] = &[
    "\"\"",
    "\"x\"",
    "\"en-GB\"",
    "\"not a language\"",
    "\"ü\"",
    "\"en_GB\"",
    "\"zh-Hant-TW\"",
    "\"123\"",
    "\"\u{202E}en\"",
    "\"javascript:alert(1)\"",
    "\"https://example.org/a b/\"",
    "\"//evil.example\"",
    "\"/\"",
    "\"../..\"",
    "\"é\"",
    "1",
    "-1",
    "1e400",
    "[]",
    "{}",
    "true",
    "\"x\" \"y\"",
    "\"\\u0000\"",
    "\"x\\ny\"",
];

const LANGS: &[&str] = &[
    "makefile", "bash", "rust", "yaml", "html", "js", "c", "python", "", "nope", "latex",
];

struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.0.usize(..n)
        }
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.0.u32(..100) < percent
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Mostly small counts, sometimes huge.
    fn count(&mut self) -> usize {
        match self.below(10) {
            0..=5 => 1 + self.below(20),
            6..=8 => 20 + self.below(2_000),
            _ => 2_000 + self.below(60_000),
        }
    }
}

/// Byte position that is a char boundary when the text is UTF-8.
fn position(rng: &mut Rng, bytes: &[u8]) -> usize {
    let mut i = rng.below(bytes.len() + 1);
    if let Ok(s) = std::str::from_utf8(bytes) {
        while !s.is_char_boundary(i) {
            i -= 1;
        }
    }
    i
}

fn insert(bytes: &mut Vec<u8>, at: usize, text: &str) {
    bytes.splice(at..at, text.bytes());
}

/// Where the front matter ends (after its closing `---` line), or 0.
fn body_start(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    match text.get(4..).and_then(|t| t.find("\n---")) {
        Some(i) => (i + 4 + 4).min(bytes.len()),
        None => 0,
    }
}

fn mutate_file(rng: &mut Rng, path: &str, bytes: &mut Vec<u8>) -> String {
    let is_md = path.ends_with(".md");
    let front_end = if is_md { body_start(bytes) } else { 0 };
    match rng.below(if is_md { 14 } else { 8 }) {
        0 => {
            let n = 1 + rng.below(8);
            for _ in 0..n {
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= 1 << rng.below(8);
                }
            }
            format!("flip {n} bits")
        }
        1 => {
            let at = position(rng, bytes);
            bytes.truncate(at);
            format!("truncate at {at}")
        }
        2 => {
            let n = 1 + rng.below(50);
            for _ in 0..n {
                let at = position(rng, bytes);
                let s = rng.pick(ODD);
                insert(bytes, at, s);
            }
            format!("insert {n} odd characters")
        }
        3 => {
            // Repeat a slice: huge values, huge files.
            if bytes.is_empty() {
                return "nothing to repeat".into();
            }
            let a = position(rng, bytes);
            let b = (a + 1 + rng.below(200)).min(bytes.len());
            let chunk = bytes[a..b].to_vec();
            let n = rng.count();
            let mut rep = Vec::with_capacity(chunk.len() * n);
            for _ in 0..n {
                rep.extend_from_slice(&chunk);
            }
            bytes.splice(b..b, rep);
            format!("repeat {} bytes {n} times", chunk.len())
        }
        4 => {
            // Deep nesting of flow collections at a value.
            let n = rng.count();
            let open = if rng.chance(50) { "[" } else { "{a: " };
            let close = if open == "[" { "]" } else { "}" };
            let v = format!("{}x{}", open.repeat(n), close.repeat(rng.below(n + 1)));
            let at = line_after_colon(rng, bytes);
            insert(bytes, at, &v);
            format!("nest {n} deep")
        }
        5 => {
            // Set one key to an odd value (replacing its line when it has one).
            let toml = path.ends_with(".toml");
            let (key, value) = if toml {
                (
                    rng.pick(&[
                        "title",
                        "base_url",
                        "language",
                        "theme",
                        "description",
                        "reading_grade",
                        "allow_raw_html",
                    ]),
                    rng.pick(TOML_VALUES).to_string(),
                )
            } else {
                // Mostly keys this kind of page accepts, so the value is what is tested.
                let own = match path.split('/').nth(1).unwrap_or("") {
                    "code-of-conduct.md" => Kind::CodeOfConduct,
                    folder => Kind::from_section(folder).unwrap_or(Kind::Page),
                }
                .own_keys();
                let key = if rng.chance(60) {
                    own[rng.below(own.len())]
                } else {
                    rng.pick(&[
                        "title",
                        "summary",
                        "weight",
                        "draft",
                        "source",
                        "date",
                        "commitments",
                        "unknown_key",
                    ])
                };
                (key, rng.pick(YAML_VALUES).to_string())
            };
            let line = if toml {
                format!("{key} = {value}")
            } else {
                format!("{key}: {value}")
            };
            let text = String::from_utf8_lossy(bytes).into_owned();
            let limit = if toml {
                text.find("\n[").unwrap_or(text.len())
            } else {
                front_end
            };
            let prefix = if toml {
                format!("{key} =")
            } else {
                format!("{key}:")
            };
            let mut offset = 0;
            let mut found = None;
            for l in text.split_inclusive('\n') {
                if offset >= limit {
                    break;
                }
                if l.starts_with(&prefix) {
                    found = Some((offset, offset + l.trim_end_matches('\n').len()));
                    break;
                }
                offset += l.len();
            }
            match found {
                Some((a, b)) => {
                    let mut t = text;
                    t.replace_range(a..b, &line);
                    *bytes = t.into_bytes();
                }
                None => {
                    let at = if is_md { 4.min(bytes.len()) } else { 0 };
                    insert(bytes, at, &format!("{line}\n"));
                }
            }
            format!("set `{line}`")
        }
        6 => {
            // Many values under one key (thousands of unknown ids on one line).
            let n = rng.count();
            let mut v = String::from("[");
            for i in 0..n {
                let _ = write!(v, "id{i}{}, ", rng.pick(&["", "é", "\u{202E}", "-x"]));
            }
            v.push(']');
            let key = rng.pick(&["stakeholders", "principles", "barriers", "case_studies"]);
            let line = if path.ends_with(".toml") {
                format!(
                    "\n[[stakeholders]]\nid = \"{}\"\nname = {v}\n",
                    "x".repeat(rng.below(3))
                )
            } else {
                format!("{key}: {v}\n")
            };
            let at = if is_md {
                4.min(bytes.len())
            } else {
                bytes.len()
            };
            insert(bytes, at, &line);
            format!("{n} values under `{key}`")
        }
        7 => {
            // YAML aliases that expand (billion laughs) / TOML arrays of tables.
            let text = if path.ends_with(".toml") {
                "[[stakeholders]]\nid = \"a\"\nname = \"A\"\ndescription = \"\"\n"
                    .repeat(rng.count())
            } else {
                "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n".to_string()
            };
            let at = if is_md {
                4.min(bytes.len())
            } else {
                bytes.len()
            };
            insert(bytes, at, &text);
            "aliases / many tables".into()
        }
        8 => {
            let n = rng.count();
            let s = rng.pick(MARKDOWN).repeat(n);
            let at = front_end + position(rng, &bytes[front_end..]);
            insert(bytes, at, &s);
            format!("{n} unclosed markdown markers")
        }
        9 => {
            let n = rng.count();
            let s = format!("{}x{}", "[".repeat(n), "](y)".repeat(rng.below(n + 1)));
            bytes.extend_from_slice(s.as_bytes());
            format!("{n} nested brackets")
        }
        10 => {
            let n = rng.count();
            let cols = 1 + rng.below(30);
            let mut t = format!("\n|{}\n|{}\n", " h |".repeat(cols), "---|".repeat(cols));
            for i in 0..n {
                let _ = writeln!(t, "|{}", format!(" c{i} |").repeat(cols));
            }
            bytes.extend_from_slice(t.as_bytes());
            format!("table {n} x {cols}")
        }
        11 => {
            let n = rng.count();
            let mut t = String::from("\n");
            for i in 0..n {
                let title = rng.pick(&["Same", "A", "A 1", "Main content", "", "é", "1"]);
                let _ = writeln!(
                    t,
                    "{} {title}{}\n",
                    "#".repeat(1 + i % 6),
                    if rng.chance(10) { " {#x}" } else { "" }
                );
            }
            bytes.extend_from_slice(t.as_bytes());
            format!("{n} headings")
        }
        12 => {
            let n = rng.count();
            let mut t = String::from("\n");
            for _ in 0..n {
                t.push_str(rng.pick(LINKS));
                t.push(if rng.chance(50) { ' ' } else { '\n' });
            }
            bytes.extend_from_slice(t.as_bytes());
            format!("{n} links")
        }
        _ => {
            let lang = rng.pick(LANGS);
            let n = rng.count();
            let line = rng.pick(&[
                "all: a b\n\t$(CC) -o $@ $^\n",
                "x = \"${a}\" # c\n",
                "((((((((",
                "a\\\n",
                "$(shell $(shell $(x)))\n",
            ]);
            let t = format!("\n```{lang}\n{}\n```\n", line.repeat(n));
            bytes.extend_from_slice(t.as_bytes());
            format!("{} bytes of `{lang}` code", t.len())
        }
    }
}

fn line_after_colon(rng: &mut Rng, bytes: &[u8]) -> usize {
    let colons: Vec<usize> = bytes
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == b": " || w == b"= ")
        .map(|(i, _)| i + 2)
        .collect();
    if colons.is_empty() {
        position(rng, bytes)
    } else {
        colons[rng.below(colons.len())]
    }
}

fn mutate(rng: &mut Rng, site: &mut Site, bases: &[(String, Site)]) -> Vec<String> {
    let mut log = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let keys: Vec<String> = site
            .keys()
            .filter(|k| k.ends_with(".md") || k.ends_with(".toml") || k.ends_with(".html"))
            .cloned()
            .collect();
        if keys.is_empty() {
            break;
        }
        if rng.chance(5) {
            // A page from another site, or a copy of one under a new name.
            let (_, other) = &bases[rng.below(bases.len())];
            let md: Vec<&String> = other.keys().filter(|k| k.ends_with(".md")).collect();
            if let Some(k) = md.get(rng.below(md.len())) {
                let to = if rng.chance(50) {
                    (*k).clone()
                } else {
                    keys[rng.below(keys.len())].clone()
                };
                site.insert(to.clone(), other[*k].clone());
                log.push(format!("{to}: copied from another site's {k}"));
            }
            continue;
        }
        // site.toml a quarter of the time, pages otherwise.
        let key = if rng.chance(25) && site.contains_key("site.toml") {
            "site.toml".to_string()
        } else {
            keys[rng.below(keys.len())].clone()
        };
        let bytes = site.get_mut(&key).unwrap();
        let what = mutate_file(rng, &key, bytes);
        log.push(format!("{key}: {what}"));
    }
    log
}

// ---------------------------------------------------------------- running

enum Outcome {
    Built,
    Failed,
    Panicked(String),
}

/// Load, link, render, index; and every fifth input `check`'s lints too.
fn run(root: &Path, with_check: bool) -> Outcome {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let outcome = match fairguide::build::prepare(root, None) {
            Ok(built) => match fairguide::search::index(&built.site, &built.rendered.files) {
                Ok(_) => Outcome::Built,
                Err(_) => Outcome::Failed,
            },
            Err(d) => {
                // Render every message as the CLI would.
                let _ = d.render(false);
                Outcome::Failed
            }
        };
        if with_check {
            let report = fairguide::check::check(root);
            for d in &report.diagnostics {
                let _ = d.render(false);
            }
        }
        outcome
    }));
    match result {
        Ok(o) => o,
        Err(_) => Outcome::Panicked(
            LAST_PANIC
                .lock()
                .map(|p| p.clone().unwrap_or_default())
                .unwrap_or_default(),
        ),
    }
}

/// Runs one input on its own thread, giving up after `HANG`.
fn run_timed(root: &Path, with_check: bool) -> (Option<Outcome>, Duration) {
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    let start = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(run(&root, with_check));
    });
    let outcome = rx.recv_timeout(HANG).ok();
    (outcome, start.elapsed())
}

fn save(out: &Path, name: &str, site: &Site, note: &str) -> PathBuf {
    let dir = out.join(name);
    write_site(site, &dir);
    let _ = fs::write(dir.join("FINDING.txt"), note);
    dir
}

fn fuzz(args: &Args) {
    let bases = base_sites();
    let mut rng = Rng(fastrand::Rng::with_seed(args.seed));
    let work = tempfile::tempdir().expect("temp folder");
    let deadline = Instant::now() + Duration::from_secs_f64(args.minutes * 60.0);
    let (mut tried, mut panics, mut slow, mut built, mut failed) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut slowest: (Duration, String) = (Duration::ZERO, String::new());
    let mut hangs = 0;
    println!(
        "fuzzing {} sites for {} min, seed {}; findings go to {}",
        bases.len(),
        args.minutes,
        args.seed,
        args.out.display()
    );
    while Instant::now() < deadline {
        let (name, base) = &bases[rng.below(bases.len())];
        let mut site = base.clone();
        let log = mutate(&mut rng, &mut site, &bases);
        let root = work.path().join(format!("site-{tried}"));
        write_site(&site, &root);
        let (outcome, mut took) = run_timed(&root, tried % 5 == 0);
        if took > args.slow && matches!(outcome, Some(Outcome::Built | Outcome::Failed)) {
            // Once more, to tell a slow input from a busy machine: keep the faster.
            took = took.min(run_timed(&root, tried % 5 == 0).1);
        }
        let label = format!("{name} #{tried} ({})", log.join("; "));
        if took > slowest.0 {
            slowest = (took, label.clone());
        }
        let note = |what: &str| {
            format!(
                "{what}\nbase site: {name}\nseed {} input {tried}, {:.2} s\nmutations:\n  {}\nreproduce: cargo run --release -- build --root <this folder> --output /tmp/out\n",
                args.seed,
                took.as_secs_f64(),
                log.join("\n  ")
            )
        };
        match outcome {
            Some(Outcome::Panicked(msg)) => {
                panics += 1;
                let dir = save(
                    &args.out,
                    &format!("panic-seed{}-{tried}", args.seed),
                    &site,
                    &note(&format!("PANIC: {msg}")),
                );
                println!("PANIC {label}\n  {msg}\n  saved in {}", dir.display());
            }
            None => {
                hangs += 1;
                let dir = save(
                    &args.out,
                    &format!("hang-seed{}-{tried}", args.seed),
                    &site,
                    &note("no answer after 60 s"),
                );
                println!("HANG {label}\n  saved in {}", dir.display());
                if hangs >= 2 {
                    println!("two inputs hang: stopping (their threads still run)");
                    break;
                }
            }
            Some(o) => {
                match o {
                    Outcome::Built => built += 1,
                    Outcome::Failed => failed += 1,
                    Outcome::Panicked(_) => unreachable!(),
                }
                if took > args.slow {
                    slow += 1;
                    let dir = save(
                        &args.out,
                        &format!("slow-seed{}-{tried}", args.seed),
                        &site,
                        &note("SLOW"),
                    );
                    println!(
                        "SLOW {:.2} s {label}\n  saved in {}",
                        took.as_secs_f64(),
                        dir.display()
                    );
                }
            }
        }
        let _ = fs::remove_dir_all(&root);
        tried += 1;
        if tried % 200 == 0 {
            println!("... {tried} inputs, {panics} panics, {slow} slow");
        }
    }
    println!(
        "\n{tried} inputs tried ({built} built, {failed} failed with errors), {panics} panics, {hangs} hangs, {slow} over {:.1} s",
        args.slow.as_secs_f64()
    );
    let mut shown = slowest.1.clone();
    if shown.len() > 300 {
        let mut cut = 300;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        shown.push('…');
    }
    println!("slowest input: {:.3} s, {shown}", slowest.0.as_secs_f64());
    if panics > 0 || hangs > 0 {
        std::process::exit(1);
    }
}

// ---------------------------------------------------------------- growth

/// Pathological pages of about `size` bytes, each (name, path, text).
fn pathological(size: usize) -> Vec<(&'static str, &'static str, String)> {
    let fill = |unit: &str| unit.repeat(size / unit.len().max(1) + 1);
    let mut ids = String::new();
    let mut i = 0;
    while ids.len() < size {
        let _ = write!(ids, "nobody{i}, ");
        i += 1;
    }
    vec![
        (
            "unknown ids on one line",
            "content/principles/big.md",
            format!("---\ntitle: Big\nstakeholders: [{ids}]\n---\nText.\n"),
        ),
        (
            "broken links on one line",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("[a](missing.md) ")),
        ),
        (
            "missing images on one line",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("![](missing.png) ")),
        ),
        (
            "script links on one line",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("[x](javascript:alert(1)) ")),
        ),
        (
            "broken links, one a line",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("[a](missing.md)\n")),
        ),
        (
            "nested flow sequences",
            "content/big.md",
            format!("---\ntitle: {}\n---\n", "[".repeat(size)),
        ),
        (
            "plain prose",
            "content/big.md",
            format!(
                "---\ntitle: Big\n---\n{}",
                fill("Some mainstream BME partners had not delivered as quickly as hoped; they knew why.\n\n")
            ),
        ),
        (
            "prose on one line",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("Some BME partners said *so* and `so`. ")),
        ),
        (
            "nested block lists",
            "content/big.md",
            format!("---\ntitle: Big\nthemes: {}x\n---\n", "- ".repeat(size / 2)),
        ),
        ("nested indented maps", "content/big.md", {
            let mut t = String::from("---\ntitle: Big\nnav:\n");
            let mut depth = 1;
            while t.len() < size {
                let _ = writeln!(t, "{}a:", " ".repeat(depth));
                depth += 1;
            }
            t + "---\n"
        }),
        (
            "makefile code block",
            "content/big.md",
            format!(
                "---\ntitle: Big\n---\n```makefile\n{}```\n",
                fill("all: a b\n\t$(CC) -o $@ $^ # x\n")
            ),
        ),
        (
            "makefile code on one line",
            "content/big.md",
            format!(
                "---\ntitle: Big\n---\n```makefile\n{}\n```\n",
                fill("$(a) ")
            ),
        ),
        (
            "unclosed emphasis",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("*a _b ")),
        ),
        (
            "nested brackets",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}\n", fill("[")),
        ),
        (
            "equal headings",
            "content/big.md",
            format!("---\ntitle: Big\n---\n{}", fill("## Same\n\n")),
        ),
        (
            "long table",
            "content/big.md",
            format!(
                "---\ntitle: Big\n---\n| a | b |\n|---|---|\n{}",
                fill("| x | y |\n")
            ),
        ),
    ]
}

fn grow() {
    let base = read_site(&repo().join("tests/fixtures/every-kind"));
    let work = tempfile::tempdir().expect("temp folder");
    let sizes = [10_000, 100_000, 1_000_000];
    println!(
        "{:<28} {:>10} {:>10} {:>10}   (load+link+render+index, seconds)",
        "page", "10 KB", "100 KB", "1 MB"
    );
    for k in 0..pathological(10).len() {
        let mut row = String::new();
        let mut name = "";
        for &size in &sizes {
            let (n, path, text) = pathological(size).swap_remove(k);
            name = n;
            let mut site = base.clone();
            site.insert(path.to_string(), text.into_bytes());
            let root = work.path().join(format!("grow-{k}-{size}"));
            write_site(&site, &root);
            let (outcome, took) = run_timed(&root, false);
            let mark = match outcome {
                Some(Outcome::Built) => "",
                Some(Outcome::Failed) => " e",
                Some(Outcome::Panicked(_)) => " PANIC",
                None => " HANG",
            };
            let _ = write!(row, " {:>8.3}{mark:<2}", took.as_secs_f64());
        }
        println!("{name:<28}{row}");
    }
    println!("(e: the page has errors, reported as it should)");
}

fn main() {
    let args = parse_args();
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        // Keep the frames in fairguide's own code: they say where to look.
        let ours: Vec<&str> = backtrace
            .lines()
            .filter(|l| l.contains("/src/") && !l.contains("/rustc/") && !l.contains(".cargo"))
            .take(8)
            .collect();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message} at {location}\n  {}", ours.join("\n  ")));
        }
    }));
    if args.grow {
        grow();
    } else {
        fuzz(&args);
    }
}
