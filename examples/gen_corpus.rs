//! Writes a deterministic benchmark site: N case studies plus principles,
//! barriers, N/10 recommendations and a code of conduct, in fairguide's format
//! (or, with `--hugo`, the same pages and Markdown bodies as a Hugo site).
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR N [--hugo]
//! ```
//!
//! Standard library only. The same N always gives the same bytes: every page
//! draws its words from a small generator seeded by its own index.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// splitmix64: small, fast and good enough to vary prose.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
    /// Between `lo` and `hi` distinct indices below `len`, in ascending order.
    fn some(&mut self, lo: usize, hi: usize, len: usize) -> Vec<usize> {
        let n = self.range(lo, hi);
        self.distinct(n, len)
    }
    /// `n` distinct indices below `len`, in ascending order.
    fn distinct(&mut self, n: usize, len: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(n);
        while out.len() < n.min(len) {
            let i = self.range(0, len - 1);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out.sort_unstable();
        out
    }
}

const WORDS_TEXT: &str = "\
    partnership trust funding community organisation voluntary sector capacity contract \
    commissioning local authority service users representation board meeting equal fair \
    control power decision consortium bid tender budget staff volunteers outreach \
    families young people elders health housing advice training mentoring network forum \
    council borough report evidence research learning share agree plan review deliver \
    support build lead listen credit recognition expertise knowledge culture language \
    faith refugee migrant women carers small large mainstream BME grant trustees \
    governance accountability memorandum agreement terms overheads costs time early late \
    openly together jointly often the the the a a of of and and and to to in in with for \
    for on by from that was were had their its we they it this each every both more less \
    new long-term short-term clear shared written regular named practical real";

/// The word list, split once.
fn word_list() -> &'static [&'static str] {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| WORDS_TEXT.split_whitespace().collect())
}

const PRINCIPLES: &[(&str, &str)] = &[
    ("equal-partners", "Treat each other as equal partners"),
    (
        "agree-roles-early",
        "Agree roles and responsibilities early",
    ),
    ("share-credit", "Share credit and recognition"),
    (
        "fund-the-full-cost",
        "Fund the full cost of partnership work",
    ),
    ("share-decisions", "Share decisions and control"),
    ("build-trust-over-time", "Build trust over time"),
    ("value-community-knowledge", "Value community knowledge"),
    ("be-open-about-money", "Be open about money"),
    ("plan-the-exit", "Plan how the partnership ends"),
    ("learn-together", "Learn together and share the learning"),
];

const BARRIERS: &[(&str, &str)] = &[
    (
        "trust-and-control",
        "Lack of trust and fear of losing control",
    ),
    ("unequal-power", "Unequal power between partners"),
    ("short-term-funding", "Short-term funding"),
    ("competition-for-contracts", "Competition for contracts"),
    (
        "lack-of-capacity",
        "Lack of capacity in small organisations",
    ),
    ("poor-communication", "Poor communication"),
    ("tokenism", "Tokenism and box-ticking"),
    ("hidden-costs", "Hidden costs of working together"),
    ("different-cultures", "Different organisational cultures"),
    ("lack-of-credit", "Lack of credit for BME expertise"),
    (
        "commissioning-rules",
        "Commissioning rules that favour large providers",
    ),
    ("no-written-agreement", "No written agreement"),
    ("late-involvement", "Being involved too late"),
];

const STAKEHOLDERS: &[(&str, &str, &str)] = &[
    ("bme", "BME organisations", "Voluntary and community organisations led by and for Black and minority ethnic communities."),
    ("mainstream", "Mainstream organisations", "Voluntary organisations that serve the general population rather than a particular ethnic community."),
    ("infrastructure", "Infrastructure organisations", "Second-tier bodies that support, represent and connect voluntary organisations."),
    ("funders", "Funders", "Grant-makers and commissioners who fund voluntary sector work."),
    ("statutory", "Statutory bodies", "Public bodies such as local authorities that plan and commission services."),
];

const PLACES: &[&str] = &[
    "London Borough of Camden",
    "London Borough of Hackney",
    "Birmingham",
    "Manchester",
    "Leeds",
    "Bradford",
    "Leicester",
    "Bristol",
    "Cardiff",
    "Glasgow",
    "Newcastle",
    "Sheffield",
    "Nottingham",
    "Liverpool",
    "Luton",
    "Coventry",
    "Southampton",
    "Oldham",
];

const THEMES: &[&str] = &[
    "capacity building",
    "representation",
    "commissioning",
    "consortia",
    "health",
    "housing",
    "youth work",
    "advice services",
    "mentoring",
    "governance",
    "faith",
    "refugees and migrants",
];

const ORG_KINDS: &[&str] = &[
    "BME organisation",
    "mainstream charity",
    "local authority",
    "council for voluntary service",
    "housing association",
    "charitable trust",
    "primary care trust",
    "faith group",
];

const ORG_WORDS: &[&str] = &[
    "Community",
    "Action",
    "Voice",
    "Link",
    "Partnership",
    "Forum",
    "Trust",
    "Network",
    "Alliance",
    "Centre",
    "Project",
    "Support",
    "Together",
    "Bridge",
    "Roots",
    "Horizon",
];

const HEADINGS: &[&str] = &[
    "Background",
    "How it started",
    "What the partners did",
    "What went well",
    "What was hard",
    "Money and time",
    "Who decided",
    "What changed",
    "Lessons",
    "What others can learn",
    "Next steps",
    "The people involved",
];

const SOURCES: &[(&str, &str, u32)] = &[
    ("Barriers to collaboration and partnerships between BME and mainstream organisations in London", "Voice4Change England", 2012),
    ("Partnership working between BME and mainstream voluntary organisations", "Voice4Change England", 2007),
    ("Fair and equitable collaboration: a sector survey", "Benchmark Research Group", 2010),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    let rest: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (out, n) = match rest.as_slice() {
        [out, n] => match n.parse::<usize>() {
            Ok(n) if n >= 2 => (PathBuf::from(out), n),
            _ => usage(),
        },
        _ => usage(),
    };
    // `--records=N`: also a collection of N organisations (issue 14), as CSV.
    let records: usize = args
        .iter()
        .find_map(|a| a.strip_prefix("--records="))
        .map_or(0, |n| n.parse().unwrap_or_else(|_| usage()));
    let corpus = Corpus::new(n);
    let result = if hugo {
        corpus.write_hugo(&out)
    } else {
        corpus
            .write_fairguide(&out)
            .and_then(|()| write_records(&out, records, n))
    };
    if let Err(e) = result {
        eprintln!("gen_corpus: cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
    println!(
        "wrote {} site with {n} case studies, {} recommendations to {}",
        if hugo { "a Hugo" } else { "a fairguide" },
        corpus.recommendations.len(),
        out.display()
    );
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus OUT_DIR N [--hugo] [--records=R]   (N >= 2 case studies; R organisations in a data collection)");
    std::process::exit(2);
}

/// A collection of `records` organisations in data/organisations.csv, each
/// with a page of its own, two filter fields and a link to a case study;
/// every tenth case study names one by `id`.
fn write_records(out: &Path, records: usize, case_studies: usize) -> io::Result<()> {
    if records == 0 {
        return Ok(());
    }
    let mut toml = fs::read_to_string(out.join("site.toml"))?;
    toml.push_str(
        "\n[[collections]]\nname = \"organisations\"\ntitle = \"Organisations in this guide\"\nrecord_pages = true\n\
         \n[[collections.fields]]\nname = \"name\"\nrequired = true\n\
         \n[[collections.fields]]\nname = \"type\"\ntype = \"choice\"\nvalues = [\"BME organisation\", \"Infrastructure body\", \"Funder\", \"Mainstream charity\"]\nfilter = true\n\
         \n[[collections.fields]]\nname = \"stakeholders\"\ntype = \"stakeholders\"\nfilter = true\n\
         \n[[collections.fields]]\nname = \"founded\"\ntype = \"year\"\n\
         \n[[collections.fields]]\nname = \"website\"\ntype = \"url\"\n\
         \n[[collections.fields]]\nname = \"about\"\ntype = \"markdown\"\n\
         \n[[collections.fields]]\nname = \"pages\"\ntype = \"pages\"\n",
    );
    write(&out.join("site.toml"), &toml)?;
    let types = [
        "BME organisation",
        "Infrastructure body",
        "Funder",
        "Mainstream charity",
    ];
    let mut csv = String::from("id,name,type,stakeholders,founded,website,about,pages\n");
    for i in 0..records {
        let (a, _, _) = STAKEHOLDERS[i % STAKEHOLDERS.len()];
        let (b, _, _) = STAKEHOLDERS[(i + 1 + i / 7 % 3) % STAKEHOLDERS.len()];
        let _ = writeln!(
            csv,
            "org-{i:05},\"Organisation {i}, {}\",{},{a};{b},{},https://www.example.org/org-{i},\"Runs *{}* projects with partners.\",case-studies/{}",
            ["North", "South", "East", "West"][i % 4],
            types[i % types.len()],
            1950 + i % 70,
            ["advice", "training", "youth", "health"][i % 4],
            cs_slug(i % case_studies, case_studies),
        );
    }
    write(&out.join("data/organisations.csv"), &csv)?;
    // Every tenth case study names an organisation by id.
    for k in (0..case_studies).step_by(10) {
        let path = out.join(format!(
            "content/case-studies/{}.md",
            cs_slug(k, case_studies)
        ));
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let id = format!("org-{:05}", (k * 7) % records);
        let text = if text.contains("\norganisations:\n") {
            text.replacen(
                "\norganisations:\n",
                &format!("\norganisations:\n  - id: {id}\n"),
                1,
            )
        } else {
            text.replacen("---\n", &format!("---\norganisations:\n  - id: {id}\n"), 1)
        };
        write(&path, &text)?;
    }
    Ok(())
}

/// One generated page: what both output formats share.
struct Doc {
    /// Path below `content/`, e.g. `case-studies/case-study-00001.md`.
    path: String,
    title: String,
    summary: String,
    /// Front matter lines after `title` and `summary`, in fairguide's format.
    front: String,
    stakeholders: Vec<&'static str>,
    body: String,
}

struct Corpus {
    case_studies: Vec<Doc>,
    recommendations: Vec<Doc>,
    fixed: Vec<Doc>,
}

fn cs_slug(i: usize, n: usize) -> String {
    let width = n.to_string().len().max(4);
    format!("case-study-{:0width$}", i + 1)
}

/// A case study's place, and its title naming an organisation, a theme and the place.
fn cs_identity(i: usize) -> (&'static str, String) {
    let mut r = Rng::new(i as u64 ^ 0xC0FFEE);
    let org = format!("{} {}", r.pick(ORG_WORDS), r.pick(ORG_WORDS));
    let theme = r.pick(THEMES);
    let place = *r.pick(PLACES);
    let title = format!(
        "{org} {theme} in {}",
        place.trim_start_matches("London Borough of ")
    );
    (place, title)
}

fn cs_title(i: usize) -> String {
    cs_identity(i).1
}

fn yaml_list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

fn sentence(r: &mut Rng) -> String {
    let len = r.range(8, 18);
    let mut s = String::with_capacity(len * 8);
    for w in 0..len {
        let word = *r.pick(word_list());
        if w == 0 {
            let mut c = word.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(word);
            if w + 1 < len && r.range(0, 11) == 0 {
                s.push(',');
            }
        }
    }
    s.push('.');
    s
}

/// A paragraph of 3-6 sentences; returns it and its word count.
fn paragraph(r: &mut Rng) -> (String, usize) {
    let mut p = String::new();
    for k in 0..r.range(3, 6) {
        if k > 0 {
            p.push(' ');
        }
        p.push_str(&sentence(r));
    }
    let words = p.split_whitespace().count();
    (p, words)
}

fn words_in(s: &str) -> usize {
    s.split_whitespace().count()
}

impl Corpus {
    fn new(n: usize) -> Corpus {
        let case_studies = (0..n).map(|i| case_study(i, n)).collect();
        let recommendations = (0..n / 10).map(|i| recommendation(i, n)).collect();
        let mut fixed = Vec::new();
        fixed.push(Doc {
            path: "_index.md".into(),
            title: "Fair and equitable collaboration".into(),
            summary: "A benchmark guide generated by gen_corpus.".into(),
            front: String::new(),
            stakeholders: vec![],
            body: "How BME and mainstream voluntary organisations can work together fairly.\n"
                .into(),
        });
        for (folder, title) in [
            ("principles", "Principles"),
            ("barriers", "Barriers"),
            ("case-studies", "Case studies"),
            ("recommendations", "Recommendations"),
        ] {
            fixed.push(Doc {
                path: format!("{folder}/_index.md"),
                title: title.into(),
                summary: format!("Every {} in this guide.", title.to_lowercase()),
                front: String::new(),
                stakeholders: vec![],
                body: format!("The {} of the guide.\n", title.to_lowercase()),
            });
        }
        for (k, (slug, title)) in PRINCIPLES.iter().enumerate() {
            let mut r = Rng::new(1_000_000 + k as u64);
            let barriers: Vec<&str> = r
                .distinct(2, BARRIERS.len())
                .into_iter()
                .map(|b| BARRIERS[b].0)
                .collect();
            let stakeholders: Vec<&'static str> = r
                .distinct(2, STAKEHOLDERS.len())
                .into_iter()
                .map(|s| STAKEHOLDERS[s].0)
                .collect();
            let mut body = String::new();
            for _ in 0..4 {
                body.push_str(&paragraph(&mut r).0);
                body.push_str("\n\n");
            }
            fixed.push(Doc {
                path: format!("principles/{slug}.md"),
                title: title.to_string(),
                summary: sentence(&mut r),
                front: format!(
                    "number: {}\nbarriers: {}\nstakeholders: {}\n",
                    k + 1,
                    yaml_list(&barriers),
                    yaml_list(&stakeholders)
                ),
                stakeholders,
                body,
            });
        }
        for (k, (slug, title)) in BARRIERS.iter().enumerate() {
            let mut r = Rng::new(2_000_000 + k as u64);
            let principles: Vec<&str> = r
                .distinct(2, PRINCIPLES.len())
                .into_iter()
                .map(|p| PRINCIPLES[p].0)
                .collect();
            let mut body = String::new();
            for _ in 0..3 {
                body.push_str(&paragraph(&mut r).0);
                body.push_str("\n\n");
            }
            fixed.push(Doc {
                path: format!("barriers/{slug}.md"),
                title: title.to_string(),
                summary: sentence(&mut r),
                front: format!(
                    "group: \"Barriers to collaboration ({})\"\nprinciples: {}\n",
                    if k.is_multiple_of(2) { 2012 } else { 2007 },
                    yaml_list(&principles)
                ),
                stakeholders: vec![],
                body,
            });
        }
        let mut commitments = String::from("commitments:\n");
        let mut r = Rng::new(3_000_000);
        for (id, _, _) in STAKEHOLDERS {
            for _ in 0..3 {
                let _ = writeln!(
                    commitments,
                    "  - stakeholder: {id}\n    text: \"{}\"",
                    sentence(&mut r)
                );
            }
        }
        fixed.push(Doc {
            path: "code-of-conduct.md".into(),
            title: "Code of conduct".into(),
            summary: "What each party to a partnership commits to.".into(),
            front: format!("principles: [equal-partners, share-credit]\n{commitments}"),
            stakeholders: STAKEHOLDERS.iter().map(|s| s.0).collect(),
            body: format!("{}\n", paragraph(&mut r).0),
        });
        Corpus {
            case_studies,
            recommendations,
            fixed,
        }
    }

    fn all(&self) -> impl Iterator<Item = &Doc> {
        self.fixed
            .iter()
            .chain(&self.case_studies)
            .chain(&self.recommendations)
    }

    fn write_fairguide(&self, out: &Path) -> io::Result<()> {
        fs::create_dir_all(out)?;
        let mut toml = String::from(
            "title = \"Fair and equitable collaboration (benchmark)\"\n\
             description = \"A generated corpus for timing fairguide builds.\"\n\
             base_url = \"https://example.org/\"\n\
             language = \"en-GB\"\n",
        );
        for (id, name, description) in STAKEHOLDERS {
            let _ = write!(
                toml,
                "\n[[stakeholders]]\nid = \"{id}\"\nname = \"{name}\"\ndescription = \"{description}\"\n"
            );
        }
        toml.push_str(
            "\n[[glossary]]\nterm = \"BME\"\nexpansion = \"Black and minority ethnic\"\n\
             \n[[glossary]]\nterm = \"CVS\"\nexpansion = \"Council for voluntary service\"\n",
        );
        write(&out.join("site.toml"), &toml)?;
        for d in self.all() {
            let text = format!(
                "---\ntitle: \"{}\"\nsummary: \"{}\"\n{}---\n{}",
                d.title, d.summary, d.front, d.body
            );
            write(&out.join("content").join(&d.path), &text)?;
        }
        Ok(())
    }

    fn write_hugo(&self, out: &Path) -> io::Result<()> {
        fs::create_dir_all(out)?;
        write(
            &out.join("hugo.toml"),
            "baseURL = \"https://example.org/\"\n\
             languageCode = \"en-GB\"\n\
             title = \"Fair and equitable collaboration (benchmark)\"\n\
             disableKinds = [\"RSS\"]\n\
             [taxonomies]\n  stakeholder = \"stakeholders\"\n\
             [markup.highlight]\n  noClasses = false\n\
             [markup.goldmark.renderer]\n  unsafe = false\n",
        )?;
        for (name, text) in HUGO_LAYOUTS {
            write(&out.join("layouts").join(name), text)?;
        }
        for d in self.all() {
            // Hugo reads the same YAML; its own keys are only title, summary and
            // the stakeholders taxonomy, the rest become .Params.
            let text = format!(
                "---\ntitle: \"{}\"\nsummary: \"{}\"\n{}---\n{}",
                d.title,
                d.summary,
                if d.path == "code-of-conduct.md" {
                    // Commitments are fairguide's; Hugo lists the stakeholders.
                    format!("stakeholders: {}\n", yaml_list(&d.stakeholders))
                } else {
                    d.front.clone()
                },
                d.body
            );
            write(&out.join("content").join(&d.path), &text)?;
        }
        Ok(())
    }
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut f = io::BufWriter::new(fs::File::create(path)?);
    f.write_all(text.as_bytes())?;
    f.flush()
}

fn case_study(i: usize, n: usize) -> Doc {
    let mut r = Rng::new(i as u64);
    let slug = cs_slug(i, n);
    let (place, title) = cs_identity(i);
    let start = r.range(2000, 2012);
    let years = if r.range(0, 1) == 0 {
        start.to_string()
    } else {
        format!("{start}-{}", start + r.range(1, 3))
    };
    let principles: Vec<usize> = r.some(1, 3, PRINCIPLES.len());
    let barriers: Vec<usize> = r.some(1, 2, BARRIERS.len());
    let stakeholders: Vec<&'static str> = r
        .some(1, 3, STAKEHOLDERS.len())
        .into_iter()
        .map(|s| STAKEHOLDERS[s].0)
        .collect();
    let themes: Vec<&str> = r
        .some(1, 3, THEMES.len())
        .into_iter()
        .map(|t| THEMES[t])
        .collect();
    let source = r.pick(SOURCES);
    let mut front = String::from("organisations:\n");
    for _ in 0..r.range(2, 3) {
        let _ = writeln!(
            front,
            "  - name: \"{} {} {}\"\n    type: \"{}\"",
            place.trim_start_matches("London Borough of "),
            r.pick(ORG_WORDS),
            r.pick(ORG_WORDS),
            r.pick(ORG_KINDS)
        );
    }
    let _ = write!(
        front,
        "place: \"{place}\"\nyears: \"{years}\"\nprinciples: {}\nbarriers: {}\nstakeholders: {}\nthemes: {}\n\
         date: {}-{:02}-{:02}\nsource:\n  title: \"{}\"\n  publisher: \"{}\"\n  year: {}\n",
        yaml_list(&principles.iter().map(|&p| PRINCIPLES[p].0).collect::<Vec<_>>()),
        yaml_list(&barriers.iter().map(|&b| BARRIERS[b].0).collect::<Vec<_>>()),
        yaml_list(&stakeholders),
        yaml_list(&themes),
        start + 1,
        r.range(1, 12),
        r.range(1, 28),
        source.0,
        source.1,
        source.2
    );

    // Body: 600-1,200 words with headings, a list, a table, a blockquote and links.
    let target = r.range(600, 1200);
    let mut body = String::with_capacity(target * 8);
    let mut words = 0;
    let para = |r: &mut Rng, body: &mut String, words: &mut usize| {
        let (p, w) = paragraph(r);
        body.push_str(&p);
        body.push_str("\n\n");
        *words += w;
    };
    para(&mut r, &mut body, &mut words);
    let headings = r.distinct(5, HEADINGS.len());
    let _ = write!(body, "## {}\n\n", HEADINGS[headings[0]]);
    para(&mut r, &mut body, &mut words);
    // Cross-links: a principle, a barrier, and (usually) another case study.
    let p = PRINCIPLES[principles[0]];
    let b = BARRIERS[barriers[0]];
    let _ = write!(
        body,
        "This case shows [{}](../principles/{}.md) at work, and how the partners met [{}](../barriers/{}.md).",
        p.1.to_lowercase(),
        p.0,
        b.1.to_lowercase(),
        b.0
    );
    words += 12 + words_in(p.1) + words_in(b.1);
    if r.range(0, 2) > 0 {
        let other = (i + r.range(1, n - 1)) % n;
        let _ = write!(
            body,
            " Compare it with [{}]({}.md).",
            cs_title(other),
            cs_slug(other, n)
        );
        words += 3 + words_in(&cs_title(other));
    }
    body.push_str("\n\n");
    let _ = write!(body, "### {}\n\n", HEADINGS[headings[1]]);
    para(&mut r, &mut body, &mut words);
    for _ in 0..r.range(4, 6) {
        let _ = writeln!(body, "- {}", sentence(&mut r));
    }
    body.push('\n');
    words += 40;
    let _ = write!(body, "## {}\n\n", HEADINGS[headings[2]]);
    para(&mut r, &mut body, &mut words);
    body.push_str("| Year | Partner | What happened |\n| --- | --- | --- |\n");
    for row in 0..r.range(3, 5) {
        let _ = writeln!(
            body,
            "| {} | {} {} | {} {} {} |",
            start + row,
            r.pick(ORG_WORDS),
            r.pick(ORG_WORDS),
            r.pick(word_list()),
            r.pick(word_list()),
            r.pick(word_list())
        );
        words += 6;
    }
    body.push('\n');
    let quote = sentence(&mut r);
    words += words_in(&quote);
    let _ = write!(
        body,
        "> {quote}\n>\n> — a partner from {}\n\n",
        place.trim_start_matches("London Borough of ")
    );
    if i.is_multiple_of(20) {
        let _ = write!(
            body,
            "The partners wrote their agreement down:\n\n```yaml\npartnership:\n  lead: \"{}\"\n  partners: {}\n  budget: {}\n  review: quarterly\n  # who decides\n  decisions: shared\n```\n\n",
            r.pick(ORG_WORDS),
            r.range(2, 6),
            r.range(5, 200) * 1000
        );
        words += 12;
    }
    let _ = write!(body, "## {}\n\n", HEADINGS[headings[3]]);
    para(&mut r, &mut body, &mut words);
    let _ = write!(body, "### {}\n\n", HEADINGS[headings[4]]);
    while words < target {
        para(&mut r, &mut body, &mut words);
    }
    Doc {
        path: format!("case-studies/{slug}.md"),
        summary: sentence(&mut r),
        title,
        front,
        stakeholders,
        body,
    }
}

fn recommendation(i: usize, n: usize) -> Doc {
    let mut r = Rng::new(5_000_000 + i as u64);
    let stakeholders: Vec<&'static str> = r
        .some(1, 3, STAKEHOLDERS.len())
        .into_iter()
        .map(|s| STAKEHOLDERS[s].0)
        .collect();
    let principles: Vec<&str> = r
        .some(1, 2, PRINCIPLES.len())
        .into_iter()
        .map(|p| PRINCIPLES[p].0)
        .collect();
    let barriers: Vec<&str> = r
        .distinct(1, BARRIERS.len())
        .into_iter()
        .map(|b| BARRIERS[b].0)
        .collect();
    let case = cs_slug(r.range(0, n - 1), n);
    let first = sentence(&mut r);
    let mut body = format!("{first}\n\n## Why\n\n");
    for _ in 0..2 {
        body.push_str(&paragraph(&mut r).0);
        body.push_str("\n\n");
    }
    let words: Vec<&str> = first.trim_end_matches('.').split(' ').take(6).collect();
    Doc {
        path: format!("recommendations/recommendation-{:0w$}.md", i + 1, w = 4),
        title: words.join(" "),
        summary: sentence(&mut r),
        front: format!(
            "number: {}\nseries: \"{} report\"\nstakeholders: {}\nprinciples: {}\nbarriers: {}\ncase_studies: [{case}]\n",
            i + 1,
            if i.is_multiple_of(2) { 2012 } else { 2007 },
            yaml_list(&stakeholders),
            yaml_list(&principles),
            yaml_list(&barriers)
        ),
        stakeholders,
        body,
    }
}

/// A minimal Hugo layout doing the same jobs as fairguide's theme: a page with
/// its table of contents and stakeholder links, section lists of every page,
/// and stakeholder taxonomy pages.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r##"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Summary }}{{ . | plainify }}{{ end }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><a href="#main-content">Skip to main content</a>
<nav aria-label="Main"><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li><a href="{{ "stakeholders/" | relURL }}">By stakeholder</a></li></ul></nav>
<main id="main-content">{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body></html>
"##,
    ),
    (
        "_default/single.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
{{ with .Params.place }}<p>Place: {{ . }}</p>{{ end }}
{{ with .GetTerms "stakeholders" }}<p>Concerns: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="prose">{{ .Content }}</div>
{{ with .Params.principles }}<h2>Principles</h2><ul>{{ range . }}<li><a href="{{ printf "/principles/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
{{ with .Params.barriers }}<h2>Barriers</h2><ul>{{ range . }}<li><a href="{{ printf "/barriers/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
"##,
    ),
    (
        "_default/list.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ with .Params.summary }}<span>{{ . }}</span>{{ end }}</li>{{ end }}</ul>
{{ end }}
"##,
    ),
    (
        "_default/taxonomy.html",
        r##"{{ define "main" }}<h1>By stakeholder</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"##,
    ),
    (
        "_default/term.html",
        r##"{{ define "main" }}<h1>What this guide asks of {{ .Title }}</h1>
{{ range .Pages.GroupBy "Section" }}<h2>{{ .Key }}</h2>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
"##,
    ),
];
