//! Translations: tests/fixtures/translations has Welsh (cy) and Urdu (ur)
//! translations of some pages. Each language is published under /<code>/,
//! untranslated pages fall back to English with a notice, and hreflang
//! alternates pair up.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

fn built() -> tempfile::TempDir {
    build_ok(&fixture("translations"), &["--no-search"])
}

/// The `<html ...>` start tag.
fn html_tag(page: &str) -> &str {
    let start = page.find("<html").unwrap();
    &page[start..start + page[start..].find('>').unwrap() + 1]
}

/// Each `<link rel="alternate" hreflang="x" href="y">` as (x, y).
fn alternates(page: &str) -> Vec<(String, String)> {
    page.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, _)| {
            let tag = &page[i..i + page[i..].find('>').unwrap()];
            let lang = attr_values(tag, "hreflang").remove(0);
            let href = attr_values(tag, "href").remove(0);
            (lang, href)
        })
        .collect()
}

#[test]
fn each_language_has_its_own_urls_lang_and_dir() {
    let out = built();
    let en = read(out.path(), "principles/trust/index.html");
    let cy = read(out.path(), "cy/principles/trust/index.html");
    let ur = read(out.path(), "ur/index.html");
    assert_eq!(html_tag(&en), "<html lang=\"en\" dir=\"ltr\">");
    assert_eq!(html_tag(&cy), "<html lang=\"cy\" dir=\"ltr\">");
    assert_eq!(html_tag(&ur), "<html lang=\"ur\" dir=\"rtl\">");
    assert!(cy.contains("<h1>Ymddiriedaeth</h1>"), "{cy}");
    assert!(ur.contains("<h1>مل کر کام کرنا</h1>"), "{ur}");
    // Links between pages stay in the language; the stylesheet is shared.
    assert!(cy.contains("href=\"/cy/case-studies/library/\""), "{cy}");
    assert!(cy.contains("href=\"/style.css\""), "{cy}");
    // The site's title in Welsh, from [[languages]].
    assert!(cy.contains("Canllaw cyfieithiadau"), "{cy}");
    // Every generated page exists in every language.
    for lang in ["", "cy/", "ur/"] {
        for page in [
            "index.html",
            "search/index.html",
            "stakeholders/index.html",
            "stakeholders/funders/index.html",
            "principles/index.html",
            "case-studies/index.html",
            "about/index.html",
            "sitemap.xml",
            "atom.xml",
        ] {
            assert!(
                out.path().join("public").join(lang).join(page).is_file(),
                "{lang}{page}"
            );
        }
    }
    assert!(out.path().join("public/robots.txt").is_file());
    assert!(!out.path().join("public/cy/robots.txt").exists());
    // The Welsh sitemap lists Welsh addresses.
    let sitemap = read(out.path(), "cy/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/cy/principles/trust/</loc>"),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains("<loc>https://example.org/principles/"),
        "{sitemap}"
    );
}

#[test]
fn untranslated_pages_fall_back_to_english_with_a_notice() {
    let out = built();
    let ur = read(out.path(), "ur/principles/trust/index.html");
    assert!(ur.contains("<h1>Trust</h1>"), "{ur}");
    assert!(
        ur.contains("<p class=\"untranslated\" data-pagefind-ignore>اس صفحے کا ابھی ترجمہ نہیں ہوا، اس لیے یہ اپنی اصل زبان میں ہے۔ <a href=\"/principles/trust/\">اصل زبان میں پڑھیں</a></p>\n<div lang=\"en\" dir=\"ltr\">"),
        "{ur}"
    );
    // Its chrome is in Urdu, right to left.
    assert_eq!(html_tag(&ur), "<html lang=\"ur\" dir=\"rtl\">");
    assert!(ur.contains(">تلاش</a>"), "{ur}");
    let cy = read(out.path(), "cy/about/index.html");
    assert!(
        cy.contains("<p class=\"untranslated\" data-pagefind-ignore>Nid yw&#39;r dudalen hon wedi&#39;i chyfieithu eto"),
        "{cy}"
    );
    // A translated page has no notice.
    let cy = read(out.path(), "cy/principles/trust/index.html");
    assert!(!cy.contains("class=\"untranslated\""), "{cy}");
    // A string a language does not translate stays in English.
    assert!(cy.contains(">All pages A to Z</a>"), "{cy}");
    // Lists in Welsh show the Welsh titles and the English ones not yet translated.
    let principles = read(out.path(), "cy/principles/index.html");
    assert!(principles.contains(">1. Ymddiriedaeth</a>"), "{principles}");
    assert!(principles.contains("<h1>Egwyddorion</h1>"), "{principles}");
    let library = read(out.path(), "cy/case-studies/index.html");
    assert!(library.contains(">A shared library</a>"), "{library}");
}

#[test]
fn language_switcher_names_each_language_in_itself() {
    let out = built();
    let cy = read(out.path(), "cy/principles/trust/index.html");
    let start = cy.find("<nav class=\"language-switcher\"").unwrap();
    let nav = &cy[start..start + cy[start..].find("</nav>").unwrap()];
    assert!(nav.contains("aria-label=\"Ieithoedd\""), "{nav}");
    assert!(
        nav.contains(
            "<a href=\"/principles/trust/\" lang=\"en\" hreflang=\"en\" dir=\"ltr\">English</a>"
        ),
        "{nav}"
    );
    assert!(nav.contains("<a href=\"/cy/principles/trust/\" lang=\"cy\" hreflang=\"cy\" dir=\"ltr\" aria-current=\"true\">Cymraeg</a>"), "{nav}");
    assert!(
        nav.contains(
            "<a href=\"/ur/principles/trust/\" lang=\"ur\" hreflang=\"ur\" dir=\"rtl\">اردو</a>"
        ),
        "{nav}"
    );
}

#[test]
fn hreflang_alternates_point_to_pages_that_link_back() {
    let out = built();
    let public = out.path().join("public");
    let mut pages: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for rel in files(&public) {
        if !rel.ends_with("index.html") {
            continue;
        }
        let html = std::fs::read_to_string(public.join(&rel)).unwrap();
        let url = format!("https://example.org/{}", rel.trim_end_matches("index.html"));
        pages.insert(url, alternates(&html));
    }
    let mut checked = 0;
    for (url, alts) in &pages {
        if alts.is_empty() {
            continue;
        }
        let langs: BTreeSet<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs.len(), alts.len(), "{url}: a language twice");
        assert!(langs.contains("x-default"), "{url}");
        assert!(
            alts.iter().any(|(_, u)| u == url),
            "{url} does not list itself"
        );
        for (lang, target) in alts {
            let back = pages.get(target).unwrap_or_else(|| {
                panic!("{url}: hreflang {lang} points to {target}, which is not built")
            });
            assert!(
                back.iter().any(|(_, u)| u == url),
                "{target} does not link back to {url}"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
    // Trust is written in English and Welsh: two languages and x-default;
    // its Urdu page is the English fallback and has none.
    let trust = &pages["https://example.org/principles/trust/"];
    assert_eq!(
        trust,
        &vec![
            (
                "en".to_string(),
                "https://example.org/principles/trust/".to_string()
            ),
            (
                "cy".to_string(),
                "https://example.org/cy/principles/trust/".to_string()
            ),
            (
                "x-default".to_string(),
                "https://example.org/principles/trust/".to_string()
            ),
        ]
    );
    assert!(pages["https://example.org/ur/principles/trust/"].is_empty());
    // The about page is in English only: no alternates anywhere.
    assert!(pages["https://example.org/about/"].is_empty());
}

#[test]
fn a_site_without_languages_keeps_file_names_with_dots_as_errors() {
    // Today `x.cy.md` is not a valid page name: without [[languages]] it stays so.
    let dir = site(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/about.cy.md", "---\ntitle: Amdanom\n---\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"), &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`about.cy` cannot be part of a URL"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn translation_problems_name_the_file() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\n\n[[languages]]\ncode = \"cy\"\nname = \"Cymraeg\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/abuot.cy.md", "---\ntitle: Amdanom\n---\n"),
        ("content/about.md", "---\ntitle: About\n---\n"),
        (
            "content/about.cy.md",
            "---\ntitle: Amdanom\nprinciples: [nobody]\n---\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("content/abuot.cy.md translates content/abuot.md, which does not exist"),
        "{err}"
    );
    assert!(err.contains("content/about.cy.md:3"), "{err}");
}

#[test]
fn bad_language_settings_are_reported_at_their_line() {
    for (toml, message, line) in [
        (
            "[[languages]]\ncode = \"CY\"\nname = \"Cymraeg\"\n",
            "`code` in [[languages]] is not a lowercase language tag: `CY`",
            4,
        ),
        (
            "[[languages]]\ncode = \"cy\"\nname = \"Cymraeg\"\ndirection = \"left\"\n",
            "`direction` of language `cy` is `left`, but it can only be `ltr` or `rtl`",
            4,
        ),
        (
            "[[languages]]\ncode = \"cy\"\nname = \" \"\n",
            "language `cy` has an empty `name`",
            4,
        ),
        (
            "[[languages]]\ncode = \"cy\"\nname = \"Cymraeg\"\nnmae = \"x\"\n",
            "unknown key `nmae`",
            6,
        ),
    ] {
        let dir = site(&[
            ("site.toml", &format!("title = \"T\"\n\n{toml}")),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
        ]);
        let out = tempfile::tempdir().unwrap();
        let o = build(dir.path(), &out.path().join("public"), &[]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{toml}");
        assert!(err.contains(message), "{toml}: {err}");
        assert!(err.contains(&format!("site.toml:{line}")), "{toml}: {err}");
    }
}

#[test]
fn a_strings_file_with_an_unknown_key_is_an_error_with_a_suggestion() {
    let dir = copy_fixture("translations");
    std::fs::write(
        dir.path().join("strings/cy.toml"),
        "search = \"Chwilio\"\nmenuu = \"Dewislen\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("strings/cy.toml: unknown string `menuu`"),
        "{err}"
    );
    assert!(err.contains("did you mean `menu`?"), "{err}");
    assert!(err.contains("strings/cy.toml:2"), "{err}");
}

#[test]
fn a_site_may_change_the_main_languages_words() {
    let dir = site(&[
        ("site.toml", "title = \"T\"\nlanguage = \"en-GB\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("strings/en.toml", "menu = \"Contents\"\n"),
    ]);
    let out = build_ok(dir.path(), &["--no-search"]);
    let home = read(out.path(), "index.html");
    assert!(home.contains(">Contents</a>"), "{home}");
    // No languages: no switcher, no dir, the same <html> as before.
    assert!(home.contains("<html lang=\"en-GB\">"), "{home}");
    assert!(!home.contains("language-switcher"), "{home}");
}

#[test]
fn search_has_an_index_per_language() {
    let out = build_ok(&fixture("translations"), &[]);
    let entry: serde_json::Value =
        serde_json::from_str(&read(out.path(), "pagefind/pagefind-entry.json")).unwrap();
    let languages = entry["languages"].as_object().unwrap();
    let mut codes: Vec<&str> = languages.keys().map(String::as_str).collect();
    codes.sort();
    assert_eq!(codes, ["cy", "en", "ur"], "{entry}");
    // Every language indexes every page (a page not yet translated, in English).
    let counts: Vec<u64> = ["en", "cy", "ur"]
        .iter()
        .map(|c| languages[*c]["page_count"].as_u64().unwrap())
        .collect();
    assert!(
        counts[0] > 0 && counts.iter().all(|&c| c == counts[0]),
        "{entry}"
    );
    // English has Pagefind's stemmer; Welsh and Urdu use its language-neutral code.
    assert!(languages["en"]["wasm"].is_string(), "{entry}");
    // Each language's search page is in that language, so Pagefind loads its index.
    let cy = read(out.path(), "cy/search/index.html");
    assert!(cy.starts_with("<!DOCTYPE html>\n<html lang=\"cy\""), "{cy}");
}

#[test]
fn check_reports_outdated_and_missing_translations() {
    let dir = copy_fixture("translations");
    let o = fairguide(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    // Neither translation of the fixture records its original's version:
    // check gives the line to add.
    let hint = err
        .split("add `translated_from: ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    let hash = &hint[..16];
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{err}");
    assert!(err.contains("content/principles/trust.cy.md does not say which version of content/principles/trust.md it translates"), "{err}");
    assert!(err.contains("2 pages are not yet translated into Cymraeg (cy): content/about.md, content/case-studies/library.md"), "{err}");
    assert!(err.contains("2 pages are not yet translated into اردو (ur): content/about.md, content/principles/trust.md"), "{err}");
    // Record the version of trust.md; check is then quiet about it...
    let trust_cy = dir.path().join("content/principles/trust.cy.md");
    let text = std::fs::read_to_string(&trust_cy).unwrap();
    let hash_of_trust = {
        let o = fairguide(&["check", "--root", dir.path().to_str().unwrap()]);
        let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
        let at = all.find("trust.cy.md does not say").unwrap();
        let rest = &all[at..];
        let h = rest.split("add `translated_from: ").nth(1).unwrap();
        h[..16].to_string()
    };
    std::fs::write(
        &trust_cy,
        text.replacen(
            "number: 1\n",
            &format!("number: 1\ntranslated_from: {hash_of_trust}\n"),
            1,
        ),
    )
    .unwrap();
    let o = fairguide(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(!err.contains("trust.cy.md does not say"), "{err}");
    assert!(!err.contains("has changed since"), "{err}");
    // ...until the original changes.
    let trust = dir.path().join("content/principles/trust.md");
    let original = std::fs::read_to_string(&trust).unwrap();
    std::fs::write(
        &trust,
        original.replace("Trust takes time.", "Trust takes a long time."),
    )
    .unwrap();
    let o = fairguide(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(
        err.contains(
            "content/principles/trust.md has changed since this translation was made from it"
        ),
        "{err}"
    );
    assert!(err.contains("content/principles/trust.cy.md:4"), "{err}");
}

/// The text a reader sees (or hears) on a page: the text of its body and
/// `<title>`, and its `aria-label`s; and the subject and body of the e-mail
/// a `mailto:` link starts; not scripts, styles or other markup.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        for label in attr_values(tag, "aria-label") {
            out.push_str(&label);
            out.push(' ');
        }
        for href in attr_values(tag, "href") {
            if let Some((_, query)) = href.strip_prefix("mailto:").and_then(|h| h.split_once('?')) {
                let query = query.replace("&amp;", "&");
                for part in query.split('&') {
                    let value = part.split_once('=').map_or("", |(_, v)| v);
                    out.push_str(&percent_encoding::percent_decode_str(value).decode_utf8_lossy());
                    out.push(' ');
                }
            }
        }
        rest = &rest[end..];
        for skipped in ["script", "style"] {
            if tag.starts_with(&format!("<{skipped}")) {
                let close = format!("</{skipped}>");
                rest = rest.find(&close).map_or("", |e| &rest[e + close.len()..]);
            }
        }
    }
    out.push_str(rest);
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether `words` occurs in `text` as whole words.
fn has_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The translations fixture with a page of every kind, a collection, a
/// glossary, feedback links by e-mail, a worksheet on the red-amber-green
/// scale, a page with a table, citations and problems `fairguide check`
/// finds, and an accessibility statement that lists them (fixture text
/// written for the test, none of it words of the theme), and a Welsh strings
/// file that gives EVERY key of the theme's English a marker, `⟦key⟧`.
fn every_kind_in_welsh_markers() -> tempfile::TempDir {
    let dir = copy_fixture("translations");
    let add = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let toml = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    add(
        "site.toml",
        &format!(
            "feedback = \"guide@example.org\"\n{toml}\n[accessibility]\norganisation = \"North Forum\"\ncontact = \"access@example.org\"\nreviewed = \"2024-02-01\"\n\n\
             [[collections]]\nname = \"partners\"\ntitle = \"Partners\"\nrecord_pages = true\n\n\
             [[collections.fields]]\nname = \"name\"\nrequired = true\n\n\
             [[collections.fields]]\nname = \"sector\"\ntype = \"choice\"\nvalues = [\"Voluntary\", \"Public\"]\nfilter = true\n"
        ),
    );
    add(
        "data/partners.yaml",
        "- id: north-forum\n  name: North Forum\n  sector: Voluntary\n",
    );
    add(
        "content/barriers/silence.md",
        "---\ntitle: Silence\nsummary: Partners keep quiet.\nupdated: 2024-03-05\n---\nPartners keep quiet about money.\n",
    );
    add(
        "content/recommendations/talk.md",
        "---\ntitle: Talk often\nnumber: 1\nstakeholders: [funders]\nprinciples: [trust]\n---\nPartners talk every week.\n",
    );
    add(
        "content/case-studies/hall.md",
        "---\ntitle: A shared hall\nsummary: Two groups share a hall.\nplace: Leeds\nyears: \"2020\"\nthemes: [rooms]\nstakeholders: [funders]\nprinciples: [trust]\nbarriers: [silence]\n---\nTwo groups share a hall.\n",
    );
    add(
        "content/code-of-conduct.md",
        "---\ntitle: Our code\ncommitments:\n  - stakeholder: funders\n    text: We pay on time.\n    basis: [recommendations/talk, guide]\n---\nPartners sign it.\n",
    );
    add(
        "content/tools/check.md",
        "---\ntitle: Quick check\nstakeholders: [funders]\nscale: [Low, High]\ngroups:\n  - title: Money\n    principles: [trust]\n    recommendations: [talk]\n    questions:\n      - text: Do we pay on time?\n        barriers: [silence]\n      - text: Do we meet?\n        type: yes-no\n      - text: What next?\n        type: text\n---\nFill it in together.\n",
    );
    add(
        "content/tools/lights.md",
        "---\ntitle: Traffic lights\nscale: red-amber-green\ngroups:\n  - title: Rooms\n    questions:\n      - Do we share the hall fairly?\n---\nRate each line.\n",
    );
    // Citations (one source cited twice at one place, once at another), a
    // table, a link that is only an image, and problems check finds: a
    // heading out of order, a link with no text, a link that says "here".
    add(
        "content/notes.md",
        "---\ntitle: Notes\nnav: true\nsource:\n  - id: report\n    title: A report on halls\n    publisher: North Forum\n    year: 2020\n---\n\
         Halls cost money [@report, p. 2]. Rooms cost money too [@report, p. 2]. Heat costs more [@report, p. 5].\n\n\
         | Hall | Cost |\n| --- | --- |\n| North | Low |\n\n\
         [![](https://example.org/hall.png)](https://example.org/halls)\n\n\
         ## Plans\n\n#### Later\n\nRead [here](about.md).\n",
    );
    let english: toml::Table =
        toml::from_str(include_str!("../themes/default/strings/en.toml")).unwrap();
    let markers: String = english
        .keys()
        .map(|k| format!("{k} = \"⟦{k}⟧\"\n"))
        .collect();
    add("strings/cy.toml", &markers);
    dir
}

#[test]
fn every_word_the_theme_shows_comes_from_the_strings_file() {
    let dir = every_kind_in_welsh_markers();
    let out = build_ok(dir.path(), &[]);
    let public = out.path().join("public");
    let english: toml::Table =
        toml::from_str(include_str!("../themes/default/strings/en.toml")).unwrap();
    // Each piece of English between `{name}` parts that has words in it.
    let mut phrases: Vec<(String, String)> = Vec::new();
    for (key, value) in &english {
        let value = value.as_str().unwrap();
        for piece in value.split(['{', '}']).step_by(2) {
            let piece = piece
                .trim()
                .trim_matches(|c: char| c.is_ascii_punctuation())
                .trim();
            if piece.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                phrases.push((key.clone(), piece.to_string()));
            }
        }
    }
    let mut problems = Vec::new();
    let mut pages = 0;
    for rel in files(&public.join("cy")) {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(public.join("cy").join(&rel)).unwrap();
        // The markers themselves hold the keys' names: leave them out.
        let text: String = visible_text(&html)
            .split('⟦')
            .map(|part| part.split_once('⟧').map_or(part, |(_, after)| after))
            .collect::<Vec<_>>()
            .join(" ");
        for (key, phrase) in &phrases {
            if has_words(&text, phrase) {
                problems.push(format!("cy/{rel}: `{phrase}` ({key})"));
            }
        }
    }
    assert!(pages > 15, "{pages}");
    assert!(
        problems.is_empty(),
        "English words of the theme in Welsh pages:\n{}",
        problems.join("\n")
    );
    // The markers are there: the kind labels, the related lists' headings,
    // the search filters, dates, counts.
    let barrier = read(out.path(), "cy/barriers/silence/index.html");
    for marker in [
        "⟦kind_barrier⟧",
        "⟦barrier_case_studies⟧",
        "⟦last_updated⟧",
        "⟦date⟧",
    ] {
        assert!(barrier.contains(marker), "{marker}: {barrier}");
    }
    let search = read(out.path(), "cy/search/index.html");
    for marker in [
        "⟦filter_kind⟧",
        "⟦filter_kind_any⟧",
        "⟦kind_case_study⟧",
        "⟦filter_theme_any⟧",
    ] {
        assert!(search.contains(marker), "{marker}: {search}");
    }
    // The script's words, as JSON in the page.
    assert!(
        search.contains("<script type=\"application/json\" id=\"search-strings\">{\"js_search_failed\":\"⟦js_search_failed⟧\""),
        "{search}"
    );
    let stakeholders = read(out.path(), "cy/stakeholders/index.html");
    assert!(
        stakeholders.contains("⟦recommendation_count_one⟧"),
        "{stakeholders}"
    );
    // A recommendation not yet translated, listed on a Welsh page: its
    // title and text say they are in English.
    let funders = read(out.path(), "cy/stakeholders/funders/index.html");
    assert!(
        funders.contains("<h3><a href=\"/cy/recommendations/talk/\" lang=\"en\" dir=\"ltr\">⟦recommendation_number⟧: Talk often</a></h3>\n      <div class=\"rec-text\" lang=\"en\" dir=\"ltr\">"),
        "{funders}"
    );
    // The red-amber-green scale's labels, as the worksheet's choices.
    let lights = read(out.path(), "cy/tools/lights/index.html");
    for marker in ["⟦scale_red⟧", "⟦scale_amber⟧", "⟦scale_green⟧"] {
        assert!(
            lights.contains(&format!("value=\"{marker}\" data-rank=")),
            "{marker}: {lights}"
        );
    }
    // The feedback e-mail's subject and body.
    assert!(
        lights.contains("href=\"mailto:guide@example.org?subject=%E2%9F%A6feedback_mail_problem_subject%E2%9F%A7&amp;body=%E2%9F%A6feedback_mail_page%E2%9F%A7%0A%0A%E2%9F%A6feedback_mail_problem_question%E2%9F%A7%0A%0A\""),
        "{lights}"
    );
    // The page's own text: the table's and links' names, the References.
    let notes = read(out.path(), "cy/notes/index.html");
    for marker in [
        "aria-label=\"⟦table_scrolls⟧\"",
        "aria-label=\"⟦link_to⟧\"",
        "<h2 id=\"references\">⟦references⟧</h2>",
        "aria-label=\"⟦reference_label⟧\"",
        "aria-label=\"⟦reference_back⟧\"",
        "aria-label=\"⟦reference_back_place⟧\"",
    ] {
        assert!(notes.contains(marker), "{marker}: {notes}");
    }
    // The statement: its words from the strings file; the problems as
    // check writes them, marked as English.
    let statement = read(out.path(), "cy/accessibility/index.html");
    assert!(
        statement.contains(
            "<p>⟦a11y_known_problems⟧ <code>fairguide check</code>⟦a11y_known_problems_end⟧</p>"
        ),
        "{statement}"
    );
    assert!(
        statement.contains("<ul lang=\"en\" dir=\"ltr\"><li>image without alt text</li><li>link to `https://example.org/halls` has no text</li><li>heading level skips from h2 to h4</li>"),
        "{statement}"
    );
    // The English site keeps its words.
    let en = read(out.path(), "barriers/silence/index.html");
    assert!(en.contains("<p class=\"kind\">Barrier</p>"), "{en}");
    assert!(en.contains("5 March 2024"), "{en}");
    let en = read(out.path(), "tools/lights/index.html");
    assert!(en.contains("value=\"Amber\" data-rank=\"1\""), "{en}");
    assert!(
        en.contains("subject=Report%20a%20problem%3A%20Traffic%20lights&amp;body=Page%3A%20https%3A%2F%2Fexample.org%2Ftools%2Flights%2F%0A%0AWhat%20is%20wrong"),
        "{en}"
    );
    let en = read(out.path(), "accessibility/index.html");
    assert!(
        en.contains("<ul><li>image without alt text</li><li>link to `https://example.org/halls` has no text</li><li>heading level skips from h2 to h4</li>"),
        "{en}"
    );
}

#[test]
fn stakeholder_types_and_glossary_have_names_per_language() {
    let out = built();
    // Welsh pages name the funders in Welsh, and councils, which have no
    // Welsh name, in English.
    let index = read(out.path(), "cy/stakeholders/index.html");
    assert!(
        index.contains(">Cyllidwyr</a><span class=\"item-summary\">Rhoddwyr grantiau.</span>"),
        "{index}"
    );
    assert!(
        index.contains(">Councils</a><span class=\"item-summary\">Local government.</span>"),
        "{index}"
    );
    let funders = read(out.path(), "cy/stakeholders/funders/index.html");
    assert!(
        funders.contains("<h1>What this guide asks of cyllidwyr</h1>"),
        "{funders}"
    );
    let trust = read(out.path(), "cy/principles/trust/index.html");
    assert!(
        trust.contains("<a class=\"tag\" href=\"/cy/stakeholders/funders/\">Cyllidwyr</a>"),
        "{trust}"
    );
    let home = read(out.path(), "cy/index.html");
    assert!(
        home.contains("<a href=\"/cy/stakeholders/funders/\">Cyllidwyr</a>"),
        "{home}"
    );
    // English and Urdu keep the main names.
    for page in ["stakeholders/index.html", "ur/stakeholders/index.html"] {
        let html = read(out.path(), page);
        assert!(
            html.contains(">Funders</a>") && !html.contains("Cyllidwyr"),
            "{page}: {html}"
        );
    }
    // The glossary: Welsh where given, the main entry where not.
    let glossary = read(out.path(), "cy/glossary/index.html");
    assert!(
        glossary.contains("<abbr title=\"Du a lleiafrifoedd ethnig\">BME</abbr>"),
        "{glossary}"
    );
    assert!(
        glossary.contains("<abbr title=\"Council for voluntary service\">CVS</abbr>"),
        "{glossary}"
    );
    let glossary = read(out.path(), "glossary/index.html");
    assert!(
        glossary.contains("<abbr title=\"Black and minority ethnic\">BME</abbr>"),
        "{glossary}"
    );
}

#[test]
fn a_translated_stakeholder_type_must_exist() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\n\n[[stakeholders]]\nid = \"funders\"\nname = \"Funders\"\n\n[[languages]]\ncode = \"cy\"\nname = \"Cymraeg\"\n\n[[languages.stakeholders]]\nid = \"funder\"\nname = \"Cyllidwyr\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"), &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("[[languages.stakeholders]] of language `cy` names stakeholder type `funder`, which no [[stakeholders]] table declares"), "{err}");
    assert!(err.contains("did you mean `funders`?"), "{err}");
    assert!(err.contains("site.toml:12"), "{err}");
}

#[test]
fn list_entries_of_untranslated_pages_say_their_language() {
    let out = built();
    // The library is not translated into Welsh: every Welsh list names it in
    // English, with lang and dir on its title (and summary).
    let entry =
        "<a href=\"/cy/case-studies/library/\" lang=\"en\" dir=\"ltr\">A shared library</a>";
    for page in [
        "cy/case-studies/index.html",
        "cy/principles/trust/index.html",
        "cy/search/index.html",
    ] {
        let html = read(out.path(), page);
        assert!(html.contains(entry), "{page}: {html}");
    }
    let section = read(out.path(), "cy/case-studies/index.html");
    assert!(
        section.contains("<span class=\"item-summary\" lang=\"en\" dir=\"ltr\">Two groups share one room.</span>"),
        "{section}"
    );
    // In Urdu, written right to left, the English trust page is marked left to right,
    // in the section's list and on the stakeholder type's page.
    let trust = "<a href=\"/ur/principles/trust/\" lang=\"en\" dir=\"ltr\">1. Trust</a>";
    for page in [
        "ur/principles/index.html",
        "ur/stakeholders/funders/index.html",
    ] {
        let html = read(out.path(), page);
        assert!(html.contains(trust), "{page}: {html}");
    }
    // Translated pages, and every page of the main language, carry none.
    let cy = read(out.path(), "cy/principles/index.html");
    assert!(
        cy.contains("<a href=\"/cy/principles/trust/\">1. Ymddiriedaeth</a>"),
        "{cy}"
    );
    let ur = read(out.path(), "ur/case-studies/index.html");
    assert!(
        ur.contains("<a href=\"/ur/case-studies/library/\">"),
        "{ur}"
    );
    let en = read(out.path(), "case-studies/index.html");
    assert!(
        en.contains("<a href=\"/case-studies/library/\">A shared library</a>"),
        "{en}"
    );
}
