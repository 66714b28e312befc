//! Translations: the site in each language of `[[languages]]`, and the
//! theme's own words in each.
//!
//! The main `language` is published at the site's root as before; each other
//! language under `/<code>/`. Each language is a site of its own, linked and
//! rendered by the same stages: its pages are the translations
//! (`content/x.<code>.md`) where they exist and the main language's pages
//! where they do not (shown with a "not yet translated" notice), so every
//! list, section, stakeholder page, search page and sitemap is complete in
//! every language. [`SiteLanguage`] tells the render stage which language a
//! site is, which others there are, and which pages exist in which.
//!
//! A site without `[[languages]]` is built exactly as before: one language,
//! the theme's English words (or the site's `strings/<language>.toml`).

use crate::config::{rtl_by_default, Config, CONFIG_FILE};
use crate::content::{Loaded, Translation};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
pub(crate) use crate::language::{english, Lang, Languages, SiteLanguage, Strings, STRINGS_DIR};
use crate::link::{self, Site};
use crate::output::OutputFile;
use crate::theme::Theme;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl Site {
    /// The base path of what every language shares (stylesheet, scripts,
    /// files from content/, the search index): the site's own base path.
    pub(crate) fn root_path(&self) -> String {
        match &self.language.all {
            Some(all) => all.root_path.clone(),
            None => self.config.base_path(),
        }
    }
}

/// The name of a main language that `[[languages]]` does not name.
fn default_name(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "cy" => "Cymraeg",
        "gd" => "Gàidhlig",
        "ga" => "Gaeilge",
        "ur" => "اردو",
        "bn" => "বাংলা",
        "pa" => "ਪੰਜਾਬੀ",
        "gu" => "ગુજરાતી",
        "pl" => "Polski",
        "so" => "Soomaali",
        "ar" => "العربية",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "ro" => "Română",
        "tr" => "Türkçe",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// The languages of `config`, the main one first.
fn languages_of(config: &Config) -> Vec<Lang> {
    let main = config
        .languages
        .iter()
        .find(|l| config.is_main_language(&l.code));
    let mut langs = vec![Lang {
        code: config.language.clone(),
        name: main.map_or_else(|| default_name(&config.language), |l| l.name.clone()),
        rtl: main.map_or_else(|| rtl_by_default(&config.language), |l| l.is_rtl()),
        prefix: String::new(),
    }];
    langs.extend(
        config
            .languages
            .iter()
            .filter(|l| !config.is_main_language(&l.code))
            .map(|l| Lang {
                code: l.code.clone(),
                name: l.name.clone(),
                rtl: l.is_rtl(),
                prefix: format!("{}/", l.code),
            }),
    );
    langs
}

/// Reads `strings/<code>.toml` at the site's root over the theme's English.
fn load_strings(root: &Path, code: &str, diags: &mut Diagnostics) -> Arc<Strings> {
    let lower = code.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or(&lower).to_string();
    let file = [lower.as_str(), primary.as_str()]
        .iter()
        .map(|c| PathBuf::from(STRINGS_DIR).join(format!("{c}.toml")))
        .find(|f| root.join(f).is_file());
    let Some(file) = file else {
        return english().clone();
    };
    let text = match std::fs::read_to_string(root.join(&file)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot read {}: {e}", file.display()))
                    .in_file(&file)
                    .hint("save it as UTF-8 text"),
            );
            return english().clone();
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            diags.push(
                Diagnostic::error(format!(
                    "{} is not valid TOML: {}",
                    file.display(),
                    e.message().lines().next().unwrap_or("")
                ))
                .in_file(&file)
                .at(line, 0)
                .with_source(text)
                .hint("write each string as `key = \"words\"`, one a line"),
            );
            return english().clone();
        }
    };
    let mut strings: Strings = (**english()).clone();
    let known: Vec<&str> = english().keys().map(String::as_str).collect();
    for (key, value) in table {
        let line = text
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key.as_str())
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or(0, |i| i + 1);
        let problem =
            if !english().contains_key(&key) && crate::language::plural_base(&key).is_none() {
                Some((
                    format!("{}: unknown string `{key}`", file.display()),
                    did_you_mean(&key, &known),
                ))
            } else if !value.is_str() {
                Some((
                    format!(
                        "{}: `{key}` should be text in double quotes",
                        file.display()
                    ),
                    format!("write e.g. `{key} = \"...\"`"),
                ))
            } else {
                None
            };
        match problem {
            Some((message, hint)) => diags.push(
                Diagnostic::error(message)
                    .in_file(&file)
                    .at(line, 0)
                    .with_source(text)
                    .hint(hint),
            ),
            None => {
                strings.insert(key, value.as_str().unwrap_or_default().to_string());
            }
        }
    }
    Arc::new(strings)
}

/// Sets each site's language and makes the site in each other language of
/// `[[languages]]` (into `site.translations`), from the main site and the
/// loaded translations. Returns the problems found (in translations and
/// strings files only: the main pages' own are reported by the main site).
pub(crate) fn prepare(site: &mut Site, translations: Vec<Translation>, root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let main_strings = load_strings(root, &site.config.language, &mut diags);
    let codes = site.config.translation_codes();
    if codes.is_empty() {
        site.language = SiteLanguage {
            strings: main_strings,
            code: site.config.language.clone(),
            ..SiteLanguage::default()
        };
        return diags;
    }
    let langs = languages_of(&site.config);
    // No page of the main language may sit where a language's pages go.
    for p in &site.pages {
        if let Some(l) = langs[1..]
            .iter()
            .find(|l| p.url_path.starts_with(&l.prefix))
        {
            diags.push(
                Diagnostic::error(format!(
                    "{} is published at /{}, where the pages in {} go",
                    p.file.display(),
                    p.url_path,
                    l.name
                ))
                .in_file(&p.file)
                .hint(format!(
                    "move it out of content/{}/, or give the language another code in {CONFIG_FILE}",
                    l.code
                )),
            );
        }
    }
    let mut by_lang: Vec<HashMap<String, crate::content::Page>> = vec![HashMap::new(); langs.len()];
    let mut written: HashMap<String, Vec<bool>> = site
        .pages
        .iter()
        .map(|p| {
            let mut v = vec![false; langs.len()];
            v[0] = true;
            (p.url_path.clone(), v)
        })
        .collect();
    for t in translations {
        let Some(j) = langs.iter().position(|l| l.code == t.code) else {
            continue;
        };
        let original = &t.page.content_path;
        if !site.by_content_path.contains_key(original) {
            if site.failed.contains(original) {
                continue;
            }
            diags.push(
                Diagnostic::error(format!(
                    "{} translates content/{original}, which does not exist (or is a draft)",
                    t.page.file.display()
                ))
                .in_file(&t.page.file)
                .hint(format!(
                    "a translation is named after its original: content/{original} with `.{}` before `.md`; rename it, or add the original",
                    t.code
                )),
            );
            continue;
        }
        if let Some(v) = written.get_mut(&t.page.url_path) {
            v[j] = true;
        }
        by_lang[j].insert(original.clone(), t.page);
    }
    let all = Arc::new(Languages {
        langs: langs.clone(),
        root_url: site.config.base_url.clone(),
        root_path: site.config.base_path(),
        written,
    });
    let translation_files: HashSet<PathBuf> = by_lang
        .iter()
        .flat_map(|m| m.values().map(|p| p.file.clone()))
        .collect();
    let mut sites = Vec::new();
    for (j, lang) in langs.iter().enumerate().skip(1) {
        let mut config = site.config.clone();
        let declared = site.config.languages.iter().find(|l| l.code == lang.code);
        config.localise(&lang.code);
        config.language = lang.code.clone();
        config.base_url = format!("{}{}", site.config.base_url, lang.prefix);
        if let Some(title) = declared.and_then(|l| l.title.clone()) {
            config.title = title;
        }
        if let Some(description) = declared.and_then(|l| l.description.clone()) {
            config.description = description;
        }
        let mut untranslated = HashSet::new();
        let pages = site
            .pages
            .iter()
            .map(|p| match by_lang[j].remove(&p.content_path) {
                Some(t) => t,
                None => {
                    untranslated.insert(p.url_path.clone());
                    p.clone()
                }
            })
            .collect();
        let (mut lang_site, link_diags) = link::link(
            config,
            Loaded {
                pages,
                assets: site.assets.clone(),
                failed: site.failed.clone(),
                translations: Vec::new(),
            },
            site.collections.clone(),
        );
        diags.extend(own(link_diags, &translation_files));
        lang_site.git_dates = site.git_dates.clone();
        lang_site.photos = site.photos.clone();
        lang_site.language = SiteLanguage {
            all: Some(all.clone()),
            current: j,
            untranslated,
            strings: load_strings(root, &lang.code, &mut diags),
            code: lang.code.clone(),
        };
        sites.push(lang_site);
    }
    site.language = SiteLanguage {
        all: Some(all),
        current: 0,
        untranslated: HashSet::new(),
        strings: main_strings,
        code: site.config.language.clone(),
    };
    site.translations = sites;
    diags
}

/// The problems of a language's site that are its own: those in its
/// translations, or in no page (the main site reports its pages' problems).
fn own(diags: Diagnostics, translation_files: &HashSet<PathBuf>) -> Vec<Diagnostic> {
    diags
        .0
        .into_iter()
        .filter(|d| {
            d.file.as_ref().is_none_or(|f| {
                translation_files.contains(f) || !f.starts_with(crate::content::CONTENT_DIR)
            })
        })
        .collect()
}

/// The theme with the `t` function for `language`'s words.
pub(crate) fn theme_for(theme: &Theme, language: &SiteLanguage) -> Theme {
    let mut tera = theme.tera.clone();
    register(&mut tera, language);
    Theme {
        tera,
        static_files: BTreeMap::new(),
    }
}

/// Gives templates `t(key="...")`: the theme's words in the site's language.
/// Other arguments fill `{name}` parts (`t(key="feed_title", site=site.title)`);
/// `count=n` picks `<key>_<form>` for the language's plural form of `n`
/// (`_one`, `_two`, `_few`...; `_other` when the strings have no such form).
/// And `script_strings(prefix="js_search_")`: every string whose key starts
/// with `prefix`, as a JSON object safe inside a `<script>` element, for the
/// theme's scripts.
pub(crate) fn register(tera: &mut tera::Tera, language: &SiteLanguage) {
    let strings = language.strings.clone();
    let code = language.code.clone();
    tera.register_function(
        "t",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let key = args
                .get("key")
                .and_then(|k| k.as_str())
                .ok_or_else(|| tera::Error::msg("t() needs a `key`, e.g. t(key=\"search\")"))?;
            let key = match args.get("count").and_then(|c| c.as_u64()) {
                Some(n) => crate::language::plural_key(
                    &strings,
                    key,
                    crate::language::plural_form(&code, n),
                ),
                None => key.to_string(),
            };
            let words = strings
                .get(&key)
                .or_else(|| english().get(&key))
                .ok_or_else(|| {
                    let known: Vec<&str> = english().keys().map(String::as_str).collect();
                    tera::Error::msg(format!(
                        "the theme has no string `{key}` ({})",
                        did_you_mean(&key, &known)
                    ))
                })?;
            let mut out = words.clone();
            for (name, value) in args {
                if name == "key" {
                    continue;
                }
                let text = match value {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out = out.replace(&format!("{{{name}}}"), &text);
            }
            Ok(tera::Value::String(out))
        },
    );
    let strings = language.strings.clone();
    tera.register_function(
        "script_strings",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let prefix = args.get("prefix").and_then(|k| k.as_str()).ok_or_else(|| {
                tera::Error::msg(
                    "script_strings() needs a `prefix`, e.g. script_strings(prefix=\"js_search_\")",
                )
            })?;
            let words: BTreeMap<&str, &str> = strings
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let json = serde_json::to_string(&words).unwrap_or_else(|_| "{}".into());
            // Nothing in it can end the <script> element or start a comment.
            Ok(tera::Value::String(
                json.replace('<', "\\u003c").replace('>', "\\u003e"),
            ))
        },
    );
}

/// Renders the site in each other language, every file under its
/// language's folder. Problems in main-language pages shown untranslated
/// are left to the main site's render, which found them first.
pub(crate) fn render(site: &Site, theme: &Theme) -> (Vec<OutputFile>, Diagnostics) {
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    for lang_site in &site.translations {
        let Some(lang) = lang_site.language.lang() else {
            continue;
        };
        let theme = theme_for(theme, &lang_site.language);
        let translation_files: HashSet<PathBuf> = lang_site
            .pages
            .iter()
            .filter(|p| !lang_site.language.untranslated.contains(&p.url_path))
            .map(|p| p.file.clone())
            .collect();
        let (rendered, render_diags) = crate::render::render(lang_site, &theme);
        diags.extend(own(render_diags, &translation_files));
        let Some(rendered) = rendered else { continue };
        for f in rendered.files {
            // One robots.txt, at the root.
            if f.path == "robots.txt" {
                continue;
            }
            files.push(OutputFile {
                path: format!("{}{}", lang.prefix, f.path),
                bytes: f.bytes,
            });
        }
    }
    (files, diags)
}

/// The version of a page's file a translation records in `translated_from`:
/// a hash of its text (line endings made `\n`).
pub(crate) fn version_of(page: &crate::content::Page) -> String {
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(page.source_text.as_str().as_bytes())
    )
}

/// `fairguide check`: translations whose original changed after they were
/// translated (or that do not say which version they translate), and, per
/// language, the pages not yet translated.
pub(crate) fn lint(site: &Site, diags: &mut Diagnostics) {
    for lang_site in &site.translations {
        let Some(lang) = lang_site.language.lang() else {
            continue;
        };
        let mut missing = Vec::new();
        for (i, p) in lang_site.pages.iter().enumerate() {
            let Some(original) = site
                .pages
                .get(i)
                .filter(|o| o.content_path == p.content_path)
            else {
                continue;
            };
            if lang_site.language.untranslated.contains(&p.url_path) {
                missing.push(original.file.display().to_string());
                continue;
            }
            let now = version_of(original);
            match p.front.translated_from.as_deref().map(str::trim) {
                Some(v) if v == now => {}
                Some(v) => diags.push(
                    p.error_at(
                        "translated_from",
                        Some(v),
                        format!(
                            "{} has changed since this translation was made from it",
                            original.file.display()
                        ),
                    )
                    .as_warning()
                    .hint(format!(
                        "bring the translation up to date (see what changed in the original's history), then write `translated_from: {now}`"
                    )),
                ),
                None => diags.push(
                    Diagnostic::warning(format!(
                        "{} does not say which version of {} it translates",
                        p.file.display(),
                        original.file.display()
                    ))
                    .in_file(&p.file)
                    .at(p.front_line, 0)
                    .hint(format!(
                        "if it translates the original as it is now, add `translated_from: {now}` to its front matter; check then tells you when the original changes"
                    )),
                ),
            }
        }
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
            let more = missing.len() - shown.len();
            diags.push(
                Diagnostic::warning(format!(
                    "{} page{} not yet translated into {} ({}): {}{}",
                    missing.len(),
                    if missing.len() == 1 { " is" } else { "s are" },
                    lang.name,
                    lang.code,
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ))
                .in_file(CONFIG_FILE)
                .hint(format!(
                    "readers see these pages in the main language, with a note; to translate content/x.md, write content/x.{}.md (docs/TRANSLATING.md)",
                    lang.code
                )),
            );
        }
    }
}
