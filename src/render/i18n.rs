//! What each page says about its languages: the language switcher, the
//! `hreflang` alternates and the "not yet translated" notice (see `crate::i18n`).

use super::context::{Alternate, LanguageLink, PageContext, Untranslated};
use super::reads::Reads;

/// Fills `page`'s language values, for a site with `[[languages]]`.
/// `template` is the template it is rendered with (the 404 page links to
/// each language's home page and has no alternates).
pub(super) fn localise(r: &Reads, page: &mut PageContext, template: &str) {
    let language = r.language();
    let Some(all) = language.all.as_deref() else {
        return;
    };
    let base = r.config().base_path();
    let rel = if template == "404.html" {
        ""
    } else {
        page.url.strip_prefix(base.as_str()).unwrap_or("")
    };
    let url = |prefix: &str| format!("{}{prefix}{rel}", all.root_path);
    let permalink = |prefix: &str| format!("{}{prefix}{rel}", all.root_url);
    page.languages = all
        .langs
        .iter()
        .enumerate()
        .map(|(j, l)| LanguageLink {
            code: l.code.clone(),
            name: l.name.clone(),
            dir: l.dir(),
            url: url(&l.prefix),
            current: j == language.current,
        })
        .collect();
    let main = &all.langs[0];
    if language.untranslated.contains(rel) {
        page.untranslated = Some(Untranslated {
            lang: main.code.clone(),
            dir: main.dir(),
            url: url(""),
        });
        return;
    }
    if template == "404.html" {
        return;
    }
    // A Markdown page has alternates in the languages it is written in; a
    // page the generator makes exists in every language.
    let written = all.written.get(rel);
    let alternates: Vec<Alternate> = all
        .langs
        .iter()
        .enumerate()
        .filter(|(j, _)| written.is_none_or(|w| w[*j]))
        .map(|(_, l)| Alternate {
            hreflang: l.code.clone(),
            url: permalink(&l.prefix),
        })
        .collect();
    if alternates.len() > 1 {
        page.alternates = alternates;
        page.alternates.push(Alternate {
            hreflang: "x-default".into(),
            url: permalink(""),
        });
    }
}
