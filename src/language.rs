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
}

impl Default for SiteLanguage {
    fn default() -> Self {
        SiteLanguage {
            all: None,
            current: 0,
            untranslated: HashSet::new(),
            strings: english().clone(),
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

    /// This language, when the site has several.
    pub(crate) fn lang(&self) -> Option<&Lang> {
        self.all.as_ref().map(|a| &a.langs[self.current])
    }
}
