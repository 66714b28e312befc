//! Citations: `[@v4ce-2012, p. 14]` in a page's Markdown names one of the
//! page's `source` entries (by its `id`, or its place in the list) and a
//! locator (a page, section or table: free text). Each becomes a numbered
//! superscript link to the page's "References" list, which links back to
//! every place it is cited. The syntax is Pandoc's, so other Markdown tools
//! show it as plain bracketed text.

use crate::content::Source;
use crate::diagnostics::Diagnostic;
use crate::html::escape_html;
use crate::language::SiteLanguage;

/// One `@id, locator` inside a citation's brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cite<'t> {
    pub id: &'t str,
    /// Free text after the id (`p. 14`, `section 5`), trimmed; may be empty.
    pub locator: &'t str,
    /// Byte offset of the `@` in the scanned text.
    pub at: usize,
}

/// A citation found in text: the bytes `[...]` it spans and what it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<'t> {
    pub start: usize,
    pub end: usize,
    pub cites: Vec<Cite<'t>>,
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
}

/// Every citation in `text`, in order: `[@id]`, `[@id, locator]`,
/// `[@a, p. 3; @b, section 2]`. Brackets whose content does not start with
/// `@` and a name are not citations (and are left as they are).
pub(crate) fn find(text: &str) -> Vec<Found<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    // Only the last `[` before each `]` can open a citation (none holds a `[`):
    // one pass over the text, however many brackets it has.
    while let Some(close) = text[from..].find(']').map(|c| c + from) {
        if let Some(i) = text[from..close].rfind('[').map(|i| i + from) {
            // `\[@x]` is not a citation, nor is `[^note]`.
            let escaped = i > 0 && bytes[i - 1] == b'\\';
            if text[i..].starts_with("[@") && !escaped {
                if let Some(cites) = parse_inside(text, i + 1, close) {
                    out.push(Found {
                        start: i,
                        end: close + 1,
                        cites,
                    });
                }
            }
        }
        from = close + 1;
    }
    out
}

/// The cites between `[` and `]` (`start..end` of `text`), or None when it is
/// not a citation.
fn parse_inside(text: &str, start: usize, end: usize) -> Option<Vec<Cite<'_>>> {
    let mut cites = Vec::new();
    let mut pos = start;
    for part in text[start..end].split(';') {
        let part_start = pos;
        pos += part.len() + 1;
        let lead = part.len() - part.trim_start().len();
        let at = part_start + lead;
        let rest = text[at..part_start + part.len()].strip_prefix('@')?;
        let id_len = rest.bytes().take_while(|&b| is_id_byte(b)).count();
        // Trailing `.` or `:` end the sentence, not the name.
        let id = rest[..id_len].trim_end_matches(['.', ':']);
        if id.is_empty() {
            return None;
        }
        let after = &rest[id.len()..];
        if !(after.is_empty() || after.starts_with([',', ' ', '\t', '\n', '.', ':'])) {
            return None;
        }
        let locator = after
            .trim_start_matches([',', '.', ':'])
            .trim()
            .trim_start_matches(',')
            .trim();
        cites.push(Cite { id, locator, at });
    }
    Some(cites)
}

/// One entry of the References list: a source and a locator, with how many
/// places cite it.
struct Reference {
    source: usize,
    locator: String,
    places: usize,
}

/// The page's citations, numbered in order of first mention; one reference
/// per source and locator.
pub(crate) struct Citations<'a> {
    sources: &'a [Source],
    refs: Vec<Reference>,
    /// The theme's words (the References heading, the links' names), in the
    /// page's language.
    words: &'a SiteLanguage,
}

impl<'a> Citations<'a> {
    pub(crate) fn new(sources: &'a [Source], words: &'a SiteLanguage) -> Self {
        Citations {
            sources,
            refs: Vec::new(),
            words,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    /// The superscript for one citation (with all its cites), or the problem
    /// with each cite that names no source of the page (their byte offsets in
    /// the scanned text, to place them).
    pub(crate) fn marker(&mut self, found: &Found) -> Result<String, Vec<(usize, Diagnostic)>> {
        let mut problems = Vec::new();
        let mut resolved = Vec::new();
        for cite in &found.cites {
            match self.sources.iter().position(|s| s.id == cite.id) {
                Some(s) => resolved.push((s, cite.locator)),
                None => problems.push((cite.at, self.unknown(cite.id))),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut html = String::from("<sup class=\"citation\" data-pagefind-ignore>[");
        for (k, (source, locator)) in resolved.into_iter().enumerate() {
            let n = match self
                .refs
                .iter()
                .position(|r| r.source == source && r.locator == locator)
            {
                Some(i) => i + 1,
                None => {
                    self.refs.push(Reference {
                        source,
                        locator: locator.to_string(),
                        places: 0,
                    });
                    self.refs.len()
                }
            };
            let r = &mut self.refs[n - 1];
            r.places += 1;
            if k > 0 {
                html.push_str(", ");
            }
            let label = self.words.fill(
                "reference_label",
                &[
                    ("number", &n.to_string()),
                    ("source", &short_name(&self.sources[source], &r.locator)),
                ],
            );
            html.push_str(&format!(
                "<a id=\"cite-{n}-{}\" href=\"#ref-{n}\" aria-label=\"{}\">{n}</a>",
                r.places,
                escape_html(&label)
            ));
        }
        html.push_str("]</sup>");
        Ok(html)
    }

    fn unknown(&self, id: &str) -> Diagnostic {
        if self.sources.is_empty() {
            return Diagnostic::error(format!(
                "citation `@{id}` names a source, but this page has no `source`"
            ))
            .hint(format!(
                "add the report to the front matter as `source:` with `id: {id}`, or remove the citation"
            ));
        }
        let ids: Vec<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let shown: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
        let guess = match crate::diagnostics::nearest(id, ids.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? A"),
            None => "a".to_string(),
        };
        Diagnostic::error(format!(
            "citation `@{id}` names no source of this page: its sources are called {}",
            shown.join(", ")
        ))
        .hint(format!(
            "{guess} source is called by its `id`, or by its place in the `source` list (1, 2, ...) when it has none"
        ))
    }

    /// The References section, its heading's id given; empty when nothing is cited.
    pub(crate) fn list(&self, heading_id: &str) -> String {
        if self.refs.is_empty() {
            return String::new();
        }
        let heading_id = escape_html(heading_id);
        let mut html = format!(
            "<section class=\"references\" aria-labelledby=\"{heading_id}\" data-pagefind-ignore>\n<h2 id=\"{heading_id}\">{}</h2>\n<ol class=\"reference-list\">\n",
            escape_html(self.words.word("references"))
        );
        for (i, r) in self.refs.iter().enumerate() {
            let n = i + 1;
            let s = &self.sources[r.source];
            html.push_str(&format!("<li id=\"ref-{n}\">"));
            let title = format!("<cite>{}</cite>", escape_html(&s.title));
            match &s.url {
                Some(url) => {
                    html.push_str(&format!("<a href=\"{}\">{title}</a>", escape_html(url)))
                }
                None => html.push_str(&title),
            }
            for part in [&s.publisher, &s.year].into_iter().flatten() {
                html.push_str(&format!(", {}", escape_html(part)));
            }
            if !r.locator.is_empty() {
                html.push_str(&format!(", {}", escape_html(&r.locator)));
            }
            html.push('.');
            let number = n.to_string();
            if r.places == 1 {
                let label = self.words.fill("reference_back", &[("number", &number)]);
                html.push_str(&format!(
                    " <a class=\"ref-back\" href=\"#cite-{n}-1\" aria-label=\"{}\">↩\u{fe0e}</a>",
                    escape_html(&label)
                ));
            } else {
                html.push_str(" <span class=\"ref-back\">↩\u{fe0e}");
                for k in 1..=r.places {
                    let label = self.words.fill(
                        "reference_back_place",
                        &[
                            ("number", &number),
                            ("place", &k.to_string()),
                            ("places", &r.places.to_string()),
                        ],
                    );
                    html.push_str(&format!(
                        " <a href=\"#cite-{n}-{k}\" aria-label=\"{}\">{}</a>",
                        escape_html(&label),
                        place_label(k)
                    ));
                }
                html.push_str("</span>");
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
        html
    }

    /// Every id the citations and the list give elements (`cite-1-1`, `ref-1`).
    pub(crate) fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for (i, r) in self.refs.iter().enumerate() {
            ids.push(format!("ref-{}", i + 1));
            ids.extend((1..=r.places).map(|k| format!("cite-{}-{k}", i + 1)));
        }
        ids
    }
}

/// `a`, `b`, ... `z`, then 27, 28, ...: which place a back link returns to.
fn place_label(k: usize) -> String {
    match u8::try_from(k) {
        Ok(k @ 1..=26) => char::from(b'a' + k - 1).to_string(),
        _ => k.to_string(),
    }
}

/// "Voice4Change England 2012, p. 14": the source as a link's name gives it.
fn short_name(s: &Source, locator: &str) -> String {
    let mut name = match &s.publisher {
        Some(p) => p.clone(),
        None => {
            let mut t: String = s.title.chars().take(60).collect();
            if t.len() < s.title.len() {
                t.push('…');
            }
            t
        }
    };
    if let Some(year) = &s.year {
        name.push(' ');
        name.push_str(year);
    }
    if !locator.is_empty() {
        name.push_str(", ");
        name.push_str(locator);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids_and_locators(text: &str) -> Vec<Vec<(&str, &str)>> {
        find(text)
            .into_iter()
            .map(|f| f.cites.iter().map(|c| (c.id, c.locator)).collect())
            .collect()
    }

    #[test]
    fn finds_pandoc_style_citations() {
        assert_eq!(
            ids_and_locators("It said so [@v4ce-2012, p. 14]. Then [@1]."),
            [vec![("v4ce-2012", "p. 14")], vec![("1", "")]]
        );
        assert_eq!(
            ids_and_locators("[@a, section 5; @b table 2]"),
            [vec![("a", "section 5"), ("b", "table 2")]]
        );
        assert_eq!(ids_and_locators("[@a.]"), [vec![("a", "")]]);
    }

    #[test]
    fn other_brackets_are_not_citations() {
        for text in [
            "[see @a]",
            "[@]",
            "[@ a]",
            "\\[@a]",
            "[@a",
            "an email@example.org [x]",
            "[@a!b]",
        ] {
            assert_eq!(find(text), vec![], "{text}");
        }
        assert_eq!(ids_and_locators("[@a [@b]"), [vec![("b", "")]]);
    }

    #[test]
    fn many_brackets_are_read_in_one_pass() {
        let text = format!("{}[@a]", "[@".repeat(100_000));
        assert_eq!(find(&text).len(), 1);
        let text = "[@a] ".repeat(10_000);
        assert_eq!(find(&text).len(), 10_000);
    }

    #[test]
    fn place_labels() {
        assert_eq!(place_label(1), "a");
        assert_eq!(place_label(26), "z");
        assert_eq!(place_label(27), "27");
    }
}
