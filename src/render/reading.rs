//! What a page adds for its readers at its end: the previous and next pages
//! of its section, when it was last updated and what changed, and the
//! feedback links (issue 16). Kept apart from `render.rs`'s contexts, which
//! only add these values under `page`.

use super::context::{
    ChangeItem, DateText, FeedbackLinks, HomeExtra, ListEntry, SectionCard, WayIn,
};
use super::reads::Reads;
use crate::config::{Config, Feedback};
use crate::language::SiteLanguage;
use crate::link::SECTIONS;

/// The pages before and after page `i` in its section's order (principles,
/// barriers, case studies, recommendations), as list entries; null at the ends
/// and for pages of other kinds.
pub(super) fn previous_next(r: &Reads, i: usize) -> (Option<ListEntry>, Option<ListEntry>) {
    let kind = r.place(i).kind;
    if !SECTIONS.contains(&kind) {
        return (None, None);
    }
    let list = r.section(kind);
    let Some(at) = list.iter().position(|&j| j == i) else {
        return (None, None);
    };
    let entry = |j: Option<&usize>| j.map(|&j| r.entry(j));
    (
        entry(at.checked_sub(1).and_then(|p| list.get(p))),
        entry(list.get(at + 1)),
    )
}

/// `{date, text}` for an ISO date, the text in the site's language.
pub(super) fn date_value(r: &Reads, iso: Option<&str>) -> Option<DateText> {
    iso.map(|d| DateText {
        date: d.to_string(),
        text: r.language().date(d),
    })
}

/// When page `i` last changed: the newest of its `updated` and its
/// `changes`, or else the date of the last commit that touched its file.
pub(super) fn updated(r: &Reads, i: usize) -> Option<String> {
    let d = r.dates(i);
    let own = [d.updated, d.changes.first().map(|c| c.date.as_str())]
        .into_iter()
        .flatten()
        .max();
    own.or_else(|| r.git_date(i)).map(str::to_string)
}

/// Page `i`'s `changes`, newest first, each `{date, text, note}`.
pub(super) fn changes(r: &Reads, i: usize) -> Vec<ChangeItem> {
    r.front(i)
        .changes
        .iter()
        .map(|c| ChangeItem {
            date: c.date.clone(),
            text: r.language().date(&c.date),
            note: c.note.clone(),
        })
        .collect()
}

/// Everything but letters, digits and `-._~` is percent-encoded.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// The feedback links of a page titled `title` at `address`, when site.toml
/// has `feedback`: `{useful, problem}`, each a `mailto:` address with its
/// subject and body filled in, or the form's address with `page` and
/// `feedback` added to its query. Null without `feedback`. The e-mail's
/// words are the theme's, in `words`' language.
pub(super) fn feedback(
    config: &Config,
    words: &SiteLanguage,
    title: &str,
    address: &str,
) -> Option<FeedbackLinks> {
    let to = config.feedback()?;
    let link = |kind: &str, subject: &str, question: &str| match to {
        Feedback::Email(email) => format!(
            "mailto:{email}?subject={}&body={}",
            encode(&words.fill(subject, &[("title", title)])),
            encode(&format!(
                "{}\n\n{}\n\n",
                words.fill("feedback_mail_page", &[("address", address)]),
                words.word(question)
            ))
        ),
        Feedback::Form(form) => {
            let (form, fragment) = form.split_once('#').map_or((form, ""), |(f, h)| (f, h));
            let join = if form.contains('?') { '&' } else { '?' };
            let fragment = if fragment.is_empty() {
                String::new()
            } else {
                format!("#{fragment}")
            };
            format!(
                "{form}{join}page={}&feedback={kind}{fragment}",
                encode(address)
            )
        }
    };
    Some(FeedbackLinks {
        useful: link(
            "useful",
            "feedback_mail_useful_subject",
            "feedback_mail_useful_question",
        ),
        problem: link(
            "problem",
            "feedback_mail_problem_subject",
            "feedback_mail_problem_question",
        ),
    })
}

/// The home page's values: the sections, and the ways in beside the
/// stakeholder types: the tools (when the site has any) and the code of
/// conduct.
pub(super) fn home_extra(r: &Reads, sections: Vec<SectionCard>) -> HomeExtra {
    let mut ways_in = Vec::new();
    let offer = |i: usize, ways_in: &mut Vec<WayIn>| {
        let e = r.entry_fields(i);
        ways_in.push(WayIn {
            title: e.title.to_string(),
            url: super::page_url(r, r.place(i).url_path),
            summary: e.summary.unwrap_or_default().to_string(),
        });
    };
    // The tools, when the site has any (or a landing page for them).
    let tools = crate::kind::Kind::Tool;
    if let Some(i) = r.section_index(tools) {
        offer(i, &mut ways_in);
    } else if !r.section(tools).is_empty() {
        ways_in.push(WayIn {
            title: r.language().section_title(tools).to_string(),
            url: super::page_url(r, &format!("{}/", tools.section().unwrap_or_default())),
            summary: String::new(),
        });
    }
    if let Some(i) = r.code_of_conduct() {
        offer(i, &mut ways_in);
    }
    HomeExtra { sections, ways_in }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(feedback: &str) -> Config {
        Config::parse(&format!("title = \"x\"\nfeedback = \"{feedback}\"\n")).unwrap()
    }

    #[test]
    fn mail_feedback_fills_in_the_page() {
        let v = feedback(
            &config("guide@example.org"),
            &SiteLanguage::default(),
            "Trust & control",
            "https://g.org/barriers/trust/",
        );
        assert_eq!(
            v.unwrap().problem,
            "mailto:guide@example.org?subject=Report%20a%20problem%3A%20Trust%20%26%20control&body=Page%3A%20https%3A%2F%2Fg.org%2Fbarriers%2Ftrust%2F%0A%0AWhat%20is%20wrong%20with%20this%20page%3F%0A%0A"
        );
    }

    #[test]
    fn form_feedback_adds_to_the_query() {
        let v = feedback(
            &config("https://forms.example.org/f?id=3#top"),
            &SiteLanguage::default(),
            "T",
            "/barriers/trust/",
        );
        assert_eq!(
            v.unwrap().useful,
            "https://forms.example.org/f?id=3&page=%2Fbarriers%2Ftrust%2F&feedback=useful#top"
        );
        assert!(feedback(
            &Config::parse("title = \"x\"").unwrap(),
            &SiteLanguage::default(),
            "T",
            "/"
        )
        .is_none());
    }

    #[test]
    fn dates_read_as_words() {
        let en = crate::language::SiteLanguage::default();
        assert_eq!(en.date("2024-03-05"), "5 March 2024");
    }
}
