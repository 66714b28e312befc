//! Escaping text for HTML and refusing script URLs: what every stage that
//! writes markup uses.

/// Escapes the five characters that matter in HTML text and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    // Copies runs of plain text whole: Tera escapes every value through this,
    // the Atom feed's whole content included, so it is on the hot path.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // These are ASCII bytes, so `i` is always a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// Schemes a link may use; any other scheme (`javascript:`, `vbscript:`,
/// `data:`, ...) could run script and is never written into a page.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Image types a `data:` image may have (none of them can hold script).
const SAFE_DATA_IMAGES: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
    "data:image/avif",
];

/// The scheme of `url` as a browser reads it: ASCII whitespace and control
/// characters anywhere are ignored (`java\tscript:`), letter case too.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !(c.is_ascii_whitespace() || c.is_ascii_control()))
        .take_while(|&c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    Some(scheme.to_ascii_lowercase())
}

/// Whether `url` can be a link's `href` without running script: a path, an
/// anchor, or a web, mail or phone address.
pub(crate) fn url_is_safe(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE_SCHEMES.contains(&s.as_str()))
}

/// Like [`url_is_safe`], and `data:` images of types that hold no script.
pub(crate) fn image_url_is_safe(url: &str) -> bool {
    if scheme(url).as_deref() == Some("data") {
        let lower = url.trim().to_ascii_lowercase();
        return SAFE_DATA_IMAGES.iter().any(|t| {
            lower
                .strip_prefix(t)
                .is_some_and(|rest| rest.starts_with([';', ',']))
        });
    }
    url_is_safe(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_unsafe_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "livescript:x",
        ] {
            assert!(!url_is_safe(url), "{url:?}");
            assert!(!image_url_is_safe(url), "{url:?}");
        }
        for url in [
            "https://x.org/a:b",
            "../a.md",
            "#top",
            "mailto:a@b.org",
            "a/b:c",
            "?q=a:b",
            "/x",
        ] {
            assert!(url_is_safe(url), "{url:?}");
        }
        assert!(image_url_is_safe("data:image/png;base64,AAAA"));
        assert!(!image_url_is_safe(
            "data:image/svg+xml,<svg onload=alert(1)>"
        ));
        assert!(!url_is_safe("data:image/png;base64,AAAA"));
    }

    #[test]
    fn escape_html_escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain"), "plain");
        assert_eq!(
            escape_html("a<b>&\"c\"'d' é→/"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; é→/"
        );
        assert_eq!(escape_html("<<"), "&lt;&lt;");
    }
}
