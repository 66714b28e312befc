//! Pages with thousands of problems or huge values: every problem is still
//! reported at its own line and column, and what each message keeps stays small.
//! (How the time grows is measured by `cargo run --release --example fuzz -- --grow`.)

mod common;
use common::*;
use std::fs;

fn add_page(site: &std::path::Path, rel: &str, text: &str) {
    let p = site.join("content").join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn thousands_of_unknown_ids_on_one_line_are_each_reported_at_their_column() {
    let site = copy_fixture("every-kind");
    let ids: Vec<String> = (0..2000).map(|i| format!("nobody{i}")).collect();
    let line = format!("stakeholders: [{}]", ids.join(", "));
    add_page(
        site.path(),
        "principles/big.md",
        &format!("---\ntitle: Big\n{line}\n---\nText.\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(
        err.matches("is not declared in site.toml").count(),
        2000,
        "{}",
        &err[..2000.min(err.len())]
    );
    let column = line.find("nobody1500,").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "stakeholder type `nobody1500` is not declared in site.toml\n  --> content/principles/big.md:3:{column}\n"
        )),
        "{}",
        &err[..2000.min(err.len())]
    );
    // Each message shows a window of the 26 KB line, not the whole of it.
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
}

#[test]
fn thousands_of_missing_images_on_one_line_are_each_reported_at_their_line() {
    let site = copy_fixture("every-kind");
    let images: String = (0..2000)
        .map(|i| format!("![](missing-{i}.png) "))
        .collect();
    add_page(
        site.path(),
        "big.md",
        &format!("---\ntitle: Big\n---\nFirst.\n\n{images}\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    for i in [0usize, 999, 1999] {
        assert!(
            err.contains(&format!(
                "error: image `missing-{i}.png` not found: there is no content/missing-{i}.png\n  --> content/big.md:6:{}\n",
                1 + i * 19 + i.saturating_sub(10) + i.saturating_sub(100) + i.saturating_sub(1000)
            )),
            "{i}: {}",
            &err[..2000.min(err.len())]
        );
    }
    assert_eq!(err.matches("--> content/big.md:6:").count(), 2000);
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
}

#[test]
fn deeply_nested_front_matter_is_an_error_at_the_bracket() {
    let site = copy_fixture("minimal");
    add_page(
        site.path(),
        "deep.md",
        &format!("---\ntitle: Deep\nsummary: {}\n---\n", "[".repeat(100_000)),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    // `summary: ` is 9 characters: the 65th `[` is at column 10 + 64.
    assert!(
        err.contains(
            "error: the front matter nests lists or maps more than 64 levels deep\n  --> content/deep.md:3:74\n"
        ),
        "{err}"
    );
    assert!(err.len() < 2000, "{err}");
}

#[test]
fn code_past_the_highlighting_budget_is_plain_text_and_the_rest_is_highlighted() {
    let site = copy_fixture("minimal");
    let small = "all: a\n\t$(CC) -o $@ $^\n";
    let big = "x = 1 # <b>\n".repeat(20_000);
    add_page(
        site.path(),
        "code.md",
        &format!("---\ntitle: Code\n---\n```makefile\n{small}```\n\n```makefile\n{big}```\n"),
    );
    let out = build_ok(site.path(), &["--no-search"]);
    let html = read(out.path(), "code/index.html");
    let blocks: Vec<&str> = html.split("<pre class=\"code\"").skip(1).collect();
    assert_eq!(blocks.len(), 2, "{html}");
    assert!(blocks[0].contains("class=\"hl-"), "{}", blocks[0]);
    assert!(
        blocks[1].starts_with(&format!(
            " tabindex=\"0\"><code class=\"language-makefile\">{}</code></pre>",
            "x = 1 # &lt;b&gt;\n".repeat(20_000)
        )),
        "the big block is escaped plain text"
    );
}

#[test]
fn thousands_of_unknown_keys_and_wrong_items_are_each_reported_at_their_line() {
    let site = copy_fixture("every-kind");
    let keys: String = (0..3000).map(|i| format!("key{i}: x\n")).collect();
    let lists: Vec<String> = (0..3000).map(|i| format!("[a{i}]")).collect();
    add_page(
        site.path(),
        "principles/big.md",
        &format!(
            "---\ntitle: Big\n{keys}stakeholders: [{}]\n---\nText.\n",
            lists.join(", ")
        ),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"), &["--no-search"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let head = &err[..3000.min(err.len())];
    assert_eq!(
        err.matches("error: unknown front matter key `key").count(),
        3000,
        "{head}"
    );
    // `key2999` sits on line 3 + 2999.
    assert!(
        err.contains(
            "error: unknown front matter key `key2999`\n  --> content/principles/big.md:3002:1\n"
        ),
        "{head}"
    );
    // Every list inside the list is the same mistake at the same place: said once.
    let wrong = "error: each item of `stakeholders` should be a name, but one is a list\n  --> content/principles/big.md:3003:15\n";
    assert_eq!(err.matches(wrong).count(), 1, "{head}");
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
}
