//! Which language a site is in: its languages, and the theme's own words in
//! each. Set on every linked site by `i18n::prepare`; read by the render
//! stage. Apart from `i18n` (which builds the sites of each language from the
//! linked one), so that `link` can hold it without depending on `i18n`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// The folder at a site's root holding its `<code>.toml` strings files.
pub(crate) const STRINGS_DIR: &str = "strings";

/// The theme's own words in English: every key there is.
const ENGLISH: &str = include_str!("../themes/default/strings/en.toml");

/// Key -> words.
pub(crate) type Strings = BTreeMap<String, String>;

pub(crate) fn english() -> &'static Arc<Strings> {
    static ENGLISH_STRINGS: OnceLock<Arc<Strings>> = OnceLock::new();
    ENGLISH_STRINGS.get_or_init(|| {
        let table: toml::Table = toml::from_str(ENGLISH).unwrap_or_default();
        Arc::new(
            table
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
        )
    })
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lang {
    /// Its tag as `lang` and `hreflang` take it: the main `language`, or the code.
    pub code: String,
    /// Its name in itself ("Cymraeg").
    pub name: String,
    pub rtl: bool,
    /// `""` for the main language, `"<code>/"` for the others.
    pub prefix: String,
}

impl Lang {
    pub(crate) fn dir(&self) -> &'static str {
        if self.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }
}

/// Every language of a multilingual site, and which pages each has.
#[derive(Debug)]
pub(crate) struct Languages {
    /// The main language first, then `[[languages]]` in order.
    pub langs: Vec<Lang>,
    /// The site's own `base_url` and its path (the main language's).
    pub root_url: String,
    pub root_path: String,
    /// URL path (below the language's prefix) of each Markdown page -> for
    /// each language of `langs`, whether the page is written in it.
    pub written: HashMap<String, Vec<bool>>,
}

/// Which language a site is: set on every [`Site`] by [`prepare`].
#[derive(Debug, Clone)]
pub struct SiteLanguage {
    /// None for a site in one language.
    pub(crate) all: Option<Arc<Languages>>,
    /// Its place in `all.langs` (0, the main language, for a one-language site).
    pub(crate) current: usize,
    /// URL paths of the pages shown in the main language, not yet translated.
    pub(crate) untranslated: HashSet<String>,
    /// The theme's words in this language (English where it has none).
    pub(crate) strings: Arc<Strings>,
    /// Its language tag (the site's `language` for a one-language site).
    pub(crate) code: String,
}

impl Default for SiteLanguage {
    fn default() -> Self {
        SiteLanguage {
            all: None,
            current: 0,
            untranslated: HashSet::new(),
            strings: english().clone(),
            code: "en".into(),
        }
    }
}

impl SiteLanguage {
    /// Whether the site has more than one language.
    pub(crate) fn is_multilingual(&self) -> bool {
        self.all.is_some()
    }

    /// The theme's words for `key` (every key is in the theme's English).
    pub(crate) fn word(&self, key: &str) -> &str {
        self.strings
            .get(key)
            .or_else(|| english().get(key))
            .map_or("", String::as_str)
    }

    /// The title of `kind`'s section, in this language.
    pub(crate) fn section_title(&self, kind: crate::kind::Kind) -> &str {
        let key = format!(
            "section_{}",
            kind.section().unwrap_or_default().replace('-', "_")
        );
        match self.word(&key) {
            "" => kind.section_title(),
            words => words,
        }
    }

    /// The label of `kind`, in this language ("Case study").
    pub(crate) fn kind_label(&self, kind: crate::kind::Kind) -> &str {
        match self.word(&format!("kind_{}", kind.value().replace('-', "_"))) {
            "" => kind.label(),
            words => words,
        }
    }

    /// The theme's words for `key` with `{name}` parts filled from `args`.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.word(key), args)
    }

    /// A date (`YYYY-MM-DD`) as readers of this language see it: `5 March 2024`.
    pub(crate) fn date(&self, iso: &str) -> String {
        let Ok(d) = iso.parse::<jiff::civil::Date>() else {
            return iso.to_string();
        };
        self.fill(
            "date",
            &[
                ("day", &d.day().to_string()),
                ("month", self.word(&format!("month_{}", d.month()))),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// This language, when the site has several.
    pub(crate) fn lang(&self) -> Option<&Lang> {
        self.all.as_ref().map(|a| &a.langs[self.current])
    }
}

/// `words` with each `{name}` part replaced by its value in `args`.
pub(crate) fn fill(words: &str, args: &[(&str, &str)]) -> String {
    let mut out = words.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The plural forms (Unicode CLDR categories) a key may end with.
pub(crate) const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The plural form `n` takes in language `code` (by its primary language):
/// one of [`PLURAL_FORMS`]; English's rule for a language CLDR does not know.
pub(crate) fn plural_form(code: &str, n: u64) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let primary = code
        .split(['-', '_'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase();
    let rules = primary
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
    let Some(rules) = rules else {
        return if n == 1 { "one" } else { "other" };
    };
    match rules.select(n) {
        Ok(PluralCategory::ZERO) => "zero",
        Ok(PluralCategory::ONE) => "one",
        Ok(PluralCategory::TWO) => "two",
        Ok(PluralCategory::FEW) => "few",
        Ok(PluralCategory::MANY) => "many",
        _ => "other",
    }
}

/// `<key>_<form>` when `strings` has it, else `<key>_other`, else `key`
/// (words that do not change with the count).
pub(crate) fn plural_key(strings: &Strings, key: &str, form: &str) -> String {
    let with_form = format!("{key}_{form}");
    let other = format!("{key}_other");
    let has = |k: &String| strings.contains_key(k) || english().contains_key(k);
    if has(&with_form) {
        with_form
    } else if has(&other) {
        other
    } else {
        key.to_string()
    }
}

/// The base of a plural key that English does not have but a language may
/// (`results_two` -> `results`, when English has `results_other`).
pub(crate) fn plural_base(key: &str) -> Option<&str> {
    let (base, form) = key.rsplit_once('_')?;
    (PLURAL_FORMS.contains(&form) && english().contains_key(&format!("{base}_other")))
        .then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_forms_follow_each_languages_rules() {
        let forms = |code: &str| -> Vec<&str> {
            [0, 1, 2, 3, 6, 11].map(|n| plural_form(code, n)).to_vec()
        };
        assert_eq!(
            forms("en-GB"),
            ["other", "one", "other", "other", "other", "other"]
        );
        assert_eq!(forms("cy"), ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(
            forms("ur"),
            ["other", "one", "other", "other", "other", "other"]
        );
        assert_eq!(forms("pl")[..4], ["many", "one", "few", "few"]);
        // A language CLDR does not know counts like English.
        assert_eq!(forms("zz"), forms("en"));
    }

    #[test]
    fn counts_fall_back_to_other() {
        let mut strings: Strings = (**english()).clone();
        strings.insert(
            "recommendation_count_two".into(),
            "{count} argymhelliad".into(),
        );
        let cy = SiteLanguage {
            strings: Arc::new(strings),
            code: "cy".into(),
            ..SiteLanguage::default()
        };
        let key = |n: u64| plural_key(&cy.strings, "recommendation_count", plural_form("cy", n));
        assert_eq!(key(2), "recommendation_count_two");
        assert_eq!(key(3), "recommendation_count_other");
        assert_eq!(key(1), "recommendation_count_one");
        assert_eq!(SiteLanguage::default().date("2024-03-05"), "5 March 2024");
        assert_eq!(
            plural_base("recommendation_count_few"),
            Some("recommendation_count")
        );
        assert_eq!(plural_base("search_few"), None);
    }
}
