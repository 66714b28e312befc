//! A tool page's worksheet as the templates see it: groups, questions, each
//! question's choices, and the pages each group and question concerns.
//! Other templates (a print page, say) can include the worksheet markup with
//! `worksheet.html`'s macro and this value.

use super::context::Link as LinkValue;
use super::{page_url, Reads};
use crate::content::worksheet::{Response, SlugRef, Worksheet};
use crate::kind::Kind;
use serde::Serialize;

/// The worksheet of a tool page, for `tool.html`.
#[derive(Debug, Serialize)]
pub(super) struct WorksheetValue {
    /// The tool's slug: exports and saved answers are kept under it.
    pub tool: String,
    pub groups: Vec<GroupValue>,
    /// How many questions there are in all.
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub(super) struct GroupValue {
    pub number: usize,
    pub title: String,
    pub intro: Option<String>,
    pub questions: Vec<QuestionValue>,
    /// What the group and its questions concern, each page once.
    pub principles: Vec<LinkValue>,
    pub barriers: Vec<LinkValue>,
    pub recommendations: Vec<LinkValue>,
}

#[derive(Debug, Serialize)]
pub(super) struct QuestionValue {
    /// `2.3`: the group's number and the question's.
    pub id: String,
    /// `q-2-3`: for HTML ids and form names.
    pub key: String,
    pub text: String,
    /// `rating`, `yes-no` or `text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The choices of a `rating` or `yes-no` question, in order (empty for `text`).
    pub options: Vec<OptionValue>,
    /// A rating's highest rank (its number of labels less one); 0 otherwise.
    pub top: usize,
    pub guidance: Option<String>,
    pub principles: Vec<LinkValue>,
    pub barriers: Vec<LinkValue>,
    pub recommendations: Vec<LinkValue>,
}

#[derive(Debug, Serialize)]
pub(super) struct OptionValue {
    pub label: String,
    /// For a rating, the label's place: 0 for the first (worst) label up
    /// to `top`; none for yes / no / not sure.
    pub rank: Option<usize>,
}

/// `tool.html`.
#[derive(Serialize)]
pub(super) struct ToolExtra {
    pub worksheet: Option<WorksheetValue>,
}

fn links(r: &Reads, refs: &[&SlugRef], kind: Kind) -> Vec<LinkValue> {
    let section = kind.section().unwrap_or_default();
    let mut out: Vec<LinkValue> = Vec::new();
    for link in refs.iter().filter(|l| l.kind == kind) {
        let Some(j) = r.page_at(&format!("{section}/{}.md", link.slug)) else {
            continue;
        };
        let e = r.entry_fields(j);
        let title = match (kind, e.number) {
            (Kind::Recommendation, Some(n)) => match e.series {
                Some(s) => format!("{} ({s}): {}", number(r, n), e.title),
                None => format!("{}: {}", number(r, n), e.title),
            },
            _ => e.title.to_string(),
        };
        let value = LinkValue {
            title,
            url: page_url(r, r.place(j).url_path),
        };
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// "Recommendation 3", in the site's language.
fn number(r: &Reads, n: u32) -> String {
    r.language()
        .fill("recommendation_number", &[("number", &n.to_string())])
}

fn options(r: &Reads, response: &Response) -> (&'static str, Vec<OptionValue>) {
    match response {
        Response::Rating { labels, words } => {
            // A named scale's words (Red, Amber, Green) are the theme's, in
            // the page's language; labels the page writes are its own.
            let labels: Vec<String> = match words {
                Some(keys) => keys
                    .iter()
                    .map(|k| r.language().word(k).to_string())
                    .collect(),
                None => labels.clone(),
            };
            let options = labels
                .into_iter()
                .enumerate()
                .map(|(n, label)| OptionValue {
                    label,
                    rank: Some(n),
                })
                .collect();
            ("rating", options)
        }
        Response::YesNo => (
            "yes-no",
            ["answer_yes", "answer_no", "answer_not_sure"]
                .into_iter()
                .map(|key| r.language().word(key))
                .map(|label| OptionValue {
                    label: label.into(),
                    rank: None,
                })
                .collect(),
        ),
        Response::Text => ("text", vec![]),
    }
}

/// Page `i`'s worksheet, or `None` for a page without one.
pub(super) fn worksheet_value(r: &Reads, i: usize) -> Option<WorksheetValue> {
    let ws: &Worksheet = r.front(i).worksheet.as_ref()?;
    let groups: Vec<GroupValue> = ws
        .groups
        .iter()
        .map(|g| {
            let questions = g
                .questions
                .iter()
                .map(|q| {
                    let refs: Vec<&SlugRef> = q.links.iter().collect();
                    let (kind, options) = options(r, &q.response);
                    QuestionValue {
                        id: q.id.clone(),
                        key: format!("q-{}", q.id.replace('.', "-")),
                        text: q.text.clone(),
                        kind,
                        top: options.len().saturating_sub(1) * usize::from(kind == "rating"),
                        options,
                        guidance: q.guidance.clone(),
                        principles: links(r, &refs, Kind::Principle),
                        barriers: links(r, &refs, Kind::Barrier),
                        recommendations: links(r, &refs, Kind::Recommendation),
                    }
                })
                .collect();
            let refs: Vec<&SlugRef> = g
                .links
                .iter()
                .chain(g.questions.iter().flat_map(|q| &q.links))
                .collect();
            GroupValue {
                number: g.number,
                title: g.title.clone(),
                intro: g.intro.clone(),
                questions,
                principles: links(r, &refs, Kind::Principle),
                barriers: links(r, &refs, Kind::Barrier),
                recommendations: links(r, &refs, Kind::Recommendation),
            }
        })
        .collect();
    Some(WorksheetValue {
        tool: r.place(i).slug.to_string(),
        count: groups.iter().map(|g| g.questions.len()).sum(),
        groups,
    })
}
